"""Scans the device with SunSpec's own client, pysunspec2 (public repository sunspec/pysunspec2, found through
PYTHONPATH; nothing of it is kept in this repository), as an integrator would: SunSpecModbusClientDeviceRTU, scan(),
then the decoded values (scale factors applied by pysunspec2). Every request the client sends is recorded through its
trace hook, and the map's time registers (input 12-13, firmware ms) are read through the same client before and after
the scan, so the test can tell which tick served which request (one request per tick, served in order).
Usage: /usr/bin/python3 sunspec_pysunspec2.py PORT MODELS_DIR   (MODELS_DIR: sunspec/models' json/ files)
Prints one JSON object."""
import json
import sys

import sunspec2.device as device
import sunspec2.modbus.client as client

port, models_dir = sys.argv[1], sys.argv[2]
device.set_model_defs_path([models_dir])

requests = []  # [function, address, count] in the order sent


def trace(line):
    if line.startswith('> '):
        b = bytes.fromhex(line[2:])
        requests.append([b[1], (b[2] << 8) | b[3], (b[4] << 8) | b[5]])


d = client.SunSpecModbusClientDeviceRTU(slave_id=1, name=port, baudrate=115200, timeout=2)
d.client.trace_func = trace


def time_ms():
    r = d.read(12, 2, op=4)  # input registers: function 04
    return (r[0] << 24) | (r[1] << 16) | (r[2] << 8) | r[3]


t0 = time_ms()
d.scan()
t1 = time_ms()

models = []
for group in d.model_list:
    models.append({"id": group.model_id, "addr": group.model_addr, "len": group.model_len, "error_info": group.error_info})


def value(model_id, name):
    return d.models[model_id][0].points[name].cvalue


m805 = d.models[805][0]
cells = getattr(m805, 'lithium-ion-module-cell') if hasattr(m805, 'lithium-ion-module-cell') else m805.groups['lithium-ion-module-cell']
out = {
    "timeMs": [t0, t1],
    "sent": requests,
    "models": models,
    "mn": value(1, "Mn"), "md": value(1, "Md"), "vr": value(1, "Vr"), "sn": value(1, "SN"),
    "soc": value(802, "SoC"), "v": value(802, "V"), "a": value(802, "A"), "state": value(802, "State"),
    "ncell": value(805, "NCell"),
    "cellV": [c.points["CellV"].cvalue for c in cells],
}
d.close()
print(json.dumps(out))
