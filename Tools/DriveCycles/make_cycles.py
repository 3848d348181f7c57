#!/usr/bin/env python3
"""Derives board/cycles/udds.csv and us06.csv (battery current normalised to its peak) from the EPA speed
schedules kept next to this script. Run from the repository root: python3 Tools/DriveCycles/make_cycles.py

Vehicle model (a small electric car, engineering estimate; the shape matters, not the absolute power):
  traction force F = m_eff a + m g Crr + 0.5 rho CdA v^2   (flat road)
  m = 1500 kg, m_eff = 1.05 m (rotating parts), Crr = 0.009, CdA = 0.60 m2, rho = 1.2 kg/m3
  battery power P = F v / 0.90 when driving; regenerative braking returns 0.60 F v, capped at 40 kW
  (a typical regen limit; friction brakes take the rest); no auxiliary load, so stops are zero current.
  Current is taken proportional to power (constant pack voltage), then normalised so the largest
  discharge is 1.0. Per second i: a = v[i+1] - v[i], mean speed (v[i] + v[i+1]) / 2, held for [i, i+1).
"""
import os

M, ROT, G, CRR, CDA, RHO = 1500.0, 1.05, 9.81, 0.009, 0.60, 1.2
ETA_DRIVE, ETA_REGEN, REGEN_CAP_W = 0.90, 0.60, 40000.0
MPH = 0.44704

HERE = os.path.dirname(os.path.abspath(__file__))


def speeds(name):
    out = []
    with open(os.path.join(HERE, name)) as f:
        for line in f:
            if not line.startswith('#'):
                out.extend(float(x) * MPH for x in line.split())
    return out


def powers(v):
    p = []
    for i in range(len(v) - 1):
        a = v[i + 1] - v[i]
        vm = 0.5 * (v[i] + v[i + 1])
        force = ROT * M * a + (M * G * CRR if vm > 0 else 0.0) + 0.5 * RHO * CDA * vm * vm
        wheel = force * vm
        p.append(wheel / ETA_DRIVE if wheel >= 0 else max(-REGEN_CAP_W, wheel * ETA_REGEN))
    return p


def write(name, title, src, v, header_extra):
    p = powers(v)
    peak = max(p)
    rows = [x / peak for x in p]
    path = os.path.join(HERE, '..', '..', 'board', 'cycles', name)
    moving = sum(1 for x in v[:-1] if x > 0)
    with open(path, 'w') as f:
        f.write(f"# {title}, {len(p)} s, as battery current normalised to its peak (positive = discharge).\n")
        f.write(f"# Speed trace: {src} (the real second-by-second schedule, copied in Tools/DriveCycles/).\n")
        f.write("# Current derived by Tools/DriveCycles/make_cycles.py: a 1500 kg electric car (Crr 0.009, CdA 0.60 m2,\n")
        f.write("# 90 % drive efficiency, 60 % regeneration capped at 40 kW), current proportional to battery power,\n")
        f.write("# then scaled so the largest discharge is 1.0. Each row: time the step starts, level until the next row.\n")
        f.write(f"# Trace statistics: max {max(v) / MPH:.1f} mph, mean {sum(v) / len(v) / MPH:.1f} mph, "
                f"{len(v) - 1 - moving} s stopped; mean current {sum(rows) / len(rows):.3f}, min {min(rows):.3f}.\n")
        f.write(header_extra)
        f.write("time_s,current\n")
        for i, x in enumerate(rows):
            f.write(f"{i},{x:.4f}\n")
        f.write(f"{len(rows)},0\n")


write('udds.csv', 'EPA Urban Dynamometer Driving Schedule (UDDS)', 'EPA uddscol.txt', speeds('udds-speed-mph.txt'), '')
write('us06.csv', 'EPA US06 Supplemental FTP Driving Schedule', 'EPA us06col.txt', speeds('us06-speed-mph.txt'), '')
