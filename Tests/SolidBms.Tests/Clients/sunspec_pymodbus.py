"""Reads the SunSpec chain with Debian's python3-pymodbus as a scanner does (issue 22): the marker, then each
model's ID/L header and body up to the end marker, never past what the headers say exists, 125 registers at
most per request; then the map's own cell-voltage and SOC input registers. The map's time registers (input 12-13,
firmware ms) are read before and after the chain, and every request is listed in the order sent, so the test can
tell which tick served which request (one request per tick, served in order). Prints one JSON object.
Usage: /usr/bin/python3 sunspec_pymodbus.py PORT CELLS"""
import json
import sys

from pymodbus.client import ModbusSerialClient

port, cells = sys.argv[1], int(sys.argv[2])
client = ModbusSerialClient(port=port, baudrate=115200, bytesize=8, parity="N", stopbits=1, timeout=2)
if not client.connect():
    sys.exit("cannot open " + port)

sent = []  # [function, address, count]


def read(function, address, count):
    sent.append([3 if function == client.read_holding_registers else 4, address, count])
    r = function(address, count, slave=1)
    if r.isError():
        sys.exit(f"read {address} x {count}: {r}")
    return list(r.registers)


def time_ms():
    r = read(client.read_input_registers, 12, 2)
    return (r[0] << 16) | r[1]


t0 = time_ms()
chain, requests = [], 0
while True:
    o = 2  # walk the headers read so far: the end marker, or the next header still to read
    while o + 1 < len(chain) and chain[o] != 0xFFFF:
        o += 2 + chain[o + 1]
    known = o + 2 if chain else 4
    if known <= len(chain):
        break
    count = min(125, known - len(chain))
    chain += read(client.read_holding_registers, 40000 + len(chain), count)
    requests += 1
t1 = time_ms()
inputs = read(client.read_input_registers, 100, cells)
soc = read(client.read_input_registers, 16, 1)[0]
client.close()
print(json.dumps({"chain": chain, "requests": requests, "cellMv": inputs, "socPermille": soc, "timeMs": [t0, t1], "sent": sent}))
