#!/usr/bin/env bash
# Debian packages the tests use: mbpoll and python3-pymodbus, the third-party Modbus masters the interoperability tests
# drive; python3-serial, the one import of SunSpec's pysunspec2 outside the standard library (its RTU client;
# pysunspec2 itself is used from its fetched mirror, never installed); mosquitto and mosquitto-clients, the MQTT broker
# and subscriber; postgresql for the fleet database. Idempotent and quiet
# when everything is present; needs root (CI and the dev machines run as root).
set -euo pipefail
need=()
command -v mbpoll >/dev/null 2>&1 || need+=(mbpoll)
# Debian's interpreter (/usr/bin/python3), not a pyenv one on PATH: the Debian package installs there.
/usr/bin/python3 -c 'import pymodbus.client' >/dev/null 2>&1 || need+=(python3-pymodbus)
/usr/bin/python3 -c 'import serial' >/dev/null 2>&1 || need+=(python3-serial)
# MQTT (docs/mqtt.md): the broker the tests start privately (scripts/mqtt-broker.sh) and the real subscriber they read with.
[ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null 2>&1 || need+=(mosquitto)
command -v mosquitto_sub >/dev/null 2>&1 || need+=(mosquitto-clients)
# ss (iproute2): the collector's TCP receive window read from the kernel (CollectSocketTests).
command -v ss >/dev/null 2>&1 || need+=(iproute2)
# PostgreSQL (docs/fleet.md): the server binaries scripts/postgres.sh runs as a private cluster (not the system service).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: need root to install: ${need[*]}" >&2
    exit 1
  fi
  echo "install-deps: installing ${need[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v dotnet >/dev/null 2>&1 || { echo "install-deps: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
