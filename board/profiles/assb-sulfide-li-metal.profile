# Limit profile: all-solid-state cell, Li6PS5Cl sulfide electrolyte, NMC811 cathode, Li-metal anode,
# held at low external stack pressure (about 1 MPa). Cell data and sources: board/cells/assb-lpscl-nmc811-li.cell.
# Per quantity: warning (reported), alarm (current derated), trip (safe state, latched).
# qualifyMs applies to warning and alarm, tripQualifyMs to the trip; hysteresis is the release band.

[profile]
name = assb-sulfide-li-metal
chemistry = sulfide-argyrodite / NMC811 / Li-metal

[cellOverVoltage]
# mV. Window top 4250 mV (cell file). NMC811 above ~4.3 V releases lattice oxygen that oxidises the
# sulfide electrolyte at the cathode interface, so the trip sits only 50 mV above the window.
warning = 4220
alarm = 4250
trip = 4300
qualifyMs = 1000
tripQualifyMs = 500
hysteresis = 30

[cellUnderVoltage]
# mV. Window bottom 3000 mV. Deep discharge strips the Li anode toward the current collector and
# opens voids at the interface; the trip is 100 mV under the window.
warning = 3100
alarm = 3000
trip = 2900
qualifyMs = 1000
tripQualifyMs = 1000
hysteresis = 50

[chargeOverCurrent]
# A, for the 3 Ah cell. Dendrite-free Li plating through LPSCl is reported up to about 1 mA/cm2
# (cell file, limits section): 0.3C continuous (0.9 A) is the rating; the trip at 0.5C (1.5 A).
warning = 1.0
alarm = 1.2
trip = 1.5
qualifyMs = 2000
tripQualifyMs = 1000
hysteresis = 0.05

[dischargeOverCurrent]
# A. 0.5C continuous rating (1.5 A); trip at 1C, where stripping faster than Li creep refills the
# interface opens voids at this stack pressure.
warning = 1.6
alarm = 2.0
trip = 3.0
qualifyMs = 2000
tripQualifyMs = 500
hysteresis = 0.05

[chargeOverTemperature]
# degC, applies while charging. Charge window 0..60 C (cell file).
warning = 50
alarm = 55
trip = 60
qualifyMs = 5000
tripQualifyMs = 2000
hysteresis = 2

[chargeUnderTemperature]
# degC, applies while charging. No Li-metal charging below 0 C: plating turns dendritic in the cold.
warning = 5
alarm = 2
trip = 0
qualifyMs = 5000
tripQualifyMs = 2000
hysteresis = 2

[dischargeOverTemperature]
# degC, applies always. Discharge window up to 70 C; charged NMC811 with LPSCl reacts exothermically
# from about 150 C (Kim et al. 2022), so 70 C keeps a wide margin.
warning = 60
alarm = 65
trip = 70
qualifyMs = 5000
tripQualifyMs = 2000
hysteresis = 2

[dischargeUnderTemperature]
# degC, applies when not charging. Discharge window down to -20 C (R0 rises tenfold by then).
warning = -10
alarm = -15
trip = -20
qualifyMs = 5000
tripQualifyMs = 2000
hysteresis = 2

[stackPressureLow]
# kPa. Impedance table referenced at 1000 kPa; contact loss at the Li/LPSCl interface below 300 kPa
# (cell file): alarm well above it so derating starts before voids open.
warning = 700
alarm = 500
trip = 300
qualifyMs = 2000
tripQualifyMs = 2000
hysteresis = 20

[stackPressureHigh]
# kPa. Above ~2 MPa Li creeps into electrolyte pores and grain boundaries (dendrite path) and the
# pouch seal is loaded; reversible swelling over a full charge is only ~150 kPa.
warning = 1500
alarm = 2000
trip = 2500
qualifyMs = 2000
tripQualifyMs = 2000
hysteresis = 20

[stackPressureRate]
# kPa/s, magnitude, over sensors.pressureRateWindowMs. Normal swelling at 0.5C is ~0.02 kPa/s; gas
# evolution or an internal short moves the stack far faster and shows here before the thermistors.
warning = 0.5
alarm = 1.0
trip = 2.0
qualifyMs = 5000
tripQualifyMs = 3000
hysteresis = 0.1

[cellImbalance]
# mV, max cell minus min cell. A few mV is spread; tens of mV is a weak or shorted cell.
warning = 50
alarm = 100
trip = 200
qualifyMs = 10000
tripQualifyMs = 10000
hysteresis = 10

[current]
# Continuous ratings: 0.3C charge, 0.5C discharge (cell file limits section).
maxChargeA = 0.9
maxDischargeA = 1.5
idleA = 0.05
alarmDerateFactor = 0.5

[sensors]
# Invalid readings trip after half a second: five ticks at 100 ms, long enough to ride through one
# corrupted conversion, short against the thermal and pressure time constants.
faultQualifyMs = 500
pressureRateWindowMs = 10000
temperatureRateWindowMs = 30000

[packOverVoltage]
# mV per cell, the mean of the series string (the stack voltage divided by the cell count). Sits just
# under the cell trip: a balanced string overcharged as a whole trips here first.
warning = 4200
alarm = 4230
trip = 4280
qualifyMs = 1000
tripQualifyMs = 500
hysteresis = 30

[packUnderVoltage]
# mV per cell, string mean. Just above the cell trip, for the same reason.
warning = 3150
alarm = 3050
trip = 2950
qualifyMs = 1000
tripQualifyMs = 1000
hysteresis = 50

[shortCircuit]
# A, discharge or charge magnitude, the fast path: no qualification, evaluated every tick on the raw
# reading, and a current sensor pinned at its rail counts as beyond the trip (a short saturates it).
warning = 5
alarm = 8
trip = 10
qualifyMs = 0
tripQualifyMs = 0
hysteresis = 0.5

[temperatureRiseRate]
# degC per minute, fastest cell, over sensors.temperatureRateWindowMs. At 0.5C the cell warms by far
# less than 1 C/min; a soft internal short dissipating watts heats the cell at tens of C/min.
warning = 2
alarm = 5
trip = 10
qualifyMs = 5000
tripQualifyMs = 3000
hysteresis = 0.5

[chargeAboveLimit]
# A by which the charge current exceeds the allowed (derated) charge limit. Li metal plates as dendrites
# when charged faster than its derated limit (cold, low pressure, near full): a charger that ignores the
# limit is stopped.
warning = 0.05
alarm = 0.1
trip = 0.2
qualifyMs = 2000
tripQualifyMs = 5000
hysteresis = 0.02

[r0Growth]
# % rise of ohmic resistance over its commissioning baseline, worst cell. Contact loss at the
# Li/electrolyte interface (delamination, voids) shows first as R0 growth.
warning = 30
alarm = 60
trip = 100
qualifyMs = 60000
tripQualifyMs = 60000
hysteresis = 5

[loopLate]
# ms a tick started late (beyond its period). The watchdog resets the board at its own timeout; this
# catches a loop that is slow but alive.
warning = 50
alarm = 100
trip = 500
qualifyMs = 0
tripQualifyMs = 0
hysteresis = 10

[derating]
# State of power (added with the estimator, docs/estimation.md): factors 0..1 on [current] maxChargeA and
# maxDischargeA. The three tables multiply; each is read at the worst cell (charge: coldest and hottest
# cell, fullest cell, lowest and highest stack). Reported limit = min(these, the voltage prediction, the
# supervisor's alarm derating).
# Temperature axis, C: the window edges of the cell file plus the points where the rates change.
temperaturesC = -20, -10, 0, 5, 10, 25, 45, 55, 60, 65, 70
# Charge: no Li plating at or below 0 C (cell file chargeStopBelowC). 5 C: 0.33, the cell file's 0 C rating
# (0.1C of 0.3C) moved up 5 K for thermistor error and the cold core of the stack. 10 C: 0.6, about the
# ionic-conductivity ratio 10/25 C (R0 29 vs 15 mOhm in the cell file). 25-45 C: full rating. 55 C:
# half (chargeOverTemperature alarm). 60 C: 0, the top of the charge window.
chargeByTemperature = 0, 0, 0, 0.33, 0.6, 1, 1, 0.5, 0, 0, 0
# Discharge: 0 C 0.4 (cell file maxDischargeCRate0C, 0.2C of 0.5C). Colder, scaled by R0 from the cell
# file: R0(0 C) / R0(-10 C) = 48.5 / 84.1 = 0.58, so -10 C 0.25 (rounded down); R0(0 C) / R0(-20 C) = 0.32,
# so -20 C 0.13 (the window edge). 5 C 0.55 and 10 C 0.7 lie between 0 and 25 C. 60 C 0.7, 65 C 0.3
# (dischargeOverTemperature alarm), 70 C 0 (window top).
dischargeByTemperature = 0.13, 0.25, 0.4, 0.55, 0.7, 1, 1, 1, 0.7, 0.3, 0
# SOC axis (fraction).
socPoints = 0, 0.05, 0.1, 0.2, 0.8, 0.9, 0.95, 1
# Charge near full: the Li anode is thickest and NMC811 is in its H2-H3 region above about 4.15 V
# (cell file [ocv]); taper like a CV phase: 0.7 at 90 %, 0.4 at 95 %, 0.1 at 100 %.
chargeBySoc = 1, 1, 1, 1, 1, 0.7, 0.4, 0.1
# Discharge near empty: NMC811 is on its steep lithiation knee below 10 % (high charge-transfer
# resistance) and the stripped Li interface opens voids [cell file S7]: 0.2 at 0 %, 0.4 at 5 %, 0.7 at 10 %.
dischargeBySoc = 0.2, 0.4, 0.7, 1, 1, 1, 1, 1
# Stack pressure axis, kPa: contact loss 300 (cell file), alarm 500, warning 700, reference 1000,
# warning 1500, alarm 2000, trip 2500 ([stackPressureLow] / [stackPressureHigh]).
pressuresKpa = 300, 500, 700, 1000, 1500, 2000, 2500
# Charge is the pressure-sensitive direction: at lost contact, plating focuses on the remaining contacts and
# seeds dendrites [cell file S7-S9]: 0 at 300 kPa, 0.3 at the alarm, 0.7 at the warning. High pressure
# pushes Li into electrolyte pores: 0.5 at the 2000 kPa alarm, 0 at the trip.
chargeByPressure = 0, 0.3, 0.7, 1, 1, 0.5, 0
# Discharge (stripping) opens voids at low pressure but does not grow dendrites: 0.3 / 0.6 / 0.9 at
# 300 / 500 / 700 kPa; at high pressure only mildly reduced (0.8, 0.5).
dischargeByPressure = 0.3, 0.6, 0.9, 1, 1, 0.8, 0.5
# Voltage-prediction horizon, s: the 10 s pulse of the USABC/HPPC power tests, longer than the supervisor's
# 1 s voltage qualification and several tau1 (2 s at 25 C), so a limit held for 10 s keeps every cell
# inside the profile's warning voltages.
horizonS = 10

[balancing]
# Passive (bleed) balancing policy (docs/balancing.md). The rig's bleed hardware is in the board file.
enabled = true
# Decide on the estimator's per-cell SOC and capacity; cell voltages after a rest until it has converged.
socBased = true
# SOC points above the lowest cell: start at 0.5 (the estimator's cell-to-cell error after a rest is a few
# tenths of a point), stop at 0.2, so the pack ends within the 1-point target with margin.
startSocDeltaPercent = 0.5
stopSocDeltaPercent = 0.2
# Voltage fallback, mV above the lowest cell after a rest: 1 SOC point is about 6-10 mV on the NMC811 OCV
# between 20 and 90 % (cell file [ocv]); start at 5 mV, stop at 2 mV (twice the sensor noise).
startMillivolts = 5
stopMillivolts = 2
# Rest before voltages count: 30 min lets the slow RC (tau2 ~ 10 min at 25 C, cell file) decay to a few %.
voltageRestS = 1800
# Never in discharge: bleeding during a discharge only shortens the run, and on a Li-metal anode the extra
# stripping of the fullest cell at low pressure buys nothing (100 = never).
dischargeSocFloorPercent = 100
# Bleed heat: stop at 45 C (5 K under the charge-temperature warning), resume at 40 C.
stopTemperatureC = 45
temperatureHysteresisC = 5
# Converged: every cell's SOC sigma at or below 1.5 points (the start delta must stand above the SOC error).
convergedSigmaPercent = 1.5
