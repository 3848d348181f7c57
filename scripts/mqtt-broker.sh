#!/usr/bin/env bash
# A private Mosquitto for the tests and for trying the MQTT verbs (docs/mqtt.md): its own config, persistence and log in a
# temp dir, bound to 127.0.0.1, never the system service.
#   scripts/mqtt-broker.sh start [PORT]    starts one (on a free port unless PORT is given); prints mqtt://127.0.0.1:PORT
#   scripts/mqtt-broker.sh stop [PORT]     stops it (every broker this script started, without PORT) and deletes its dir
#   scripts/mqtt-broker.sh restart PORT    stops it and starts it again on the same port and dir (retained messages and
#                                          persistent sessions survive, as with a real broker restart)
#   scripts/mqtt-broker.sh dir PORT        prints its dir (mosquitto.conf, mosquitto.log)
#   scripts/mqtt-broker.sh reap            stops the brokers whose owner has gone
# With SOLIDBMS_MQTT_OWNER=PID, start records that process as the broker's owner: once it has gone (a `bench fleet` or
# test run killed before it could stop its brokers), the next start or reap stops the broker and deletes its dir.
set -euo pipefail
state_dir=${SOLIDBMS_MQTT_STATE:-/tmp/solidbms-mqtt-brokers}
mkdir -p "$state_dir"

die() { echo "mqtt-broker: $*" >&2; exit 1; }
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || die "mosquitto is not installed (scripts/install-deps.sh installs it)"
mosquitto_bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The state file of a port: its dir on the first line, its owner's pid (if any) on the second.
dir_of() { [ -e "$state_dir/$1" ] && sed -n 1p "$state_dir/$1"; }

launch() { # port dir
  local port=$1 dir=$2
  "$mosquitto_bin" -c "$dir/mosquitto.conf" -d 2>>"$dir/mosquitto.log"
  for _ in $(seq 1 100); do
    listening "$port" && return 0
    sleep 0.05
  done
  die "mosquitto did not listen on port $port within 5 s; its log: $(tail -n 5 "$dir/mosquitto.log" 2>/dev/null)"
}

halt() { # port: stops the process, keeps the dir
  local port=$1 dir pid
  dir=$(dir_of "$port") || return 0
  pid=$(cat "$dir/mosquitto.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/mosquitto.pid"
}

remove() { # port: stops it and deletes its dir
  local dir
  dir=$(dir_of "$1") || return 0
  halt "$1"
  rm -rf "$dir" "$state_dir/$1"
}

reap() {
  local f owner
  for f in "$state_dir"/*; do
    [ -e "$f" ] || continue
    owner=$(sed -n 2p "$f" 2>/dev/null || true) # another reap may have removed it meanwhile
    if [ -n "$owner" ] && ! kill -0 "$owner" 2>/dev/null; then
      echo "mqtt-broker: stopping the broker on port ${f##*/}: its owner (pid $owner) has gone" >&2
      remove "${f##*/}"
    fi
  done
}

case "${1:-}" in
  start)
    reap
    port=${2:-$(free_port)}
    [ -e "$state_dir/$port" ] && die "a broker of this script already runs on port $port (stop it first)"
    listening "$port" && die "port $port is in use"
    dir=$(mktemp -d /tmp/solidbms-mqtt.XXXXXX)
    chmod 755 "$dir"
    cat >"$dir/mosquitto.conf" <<CONF
# Written by scripts/mqtt-broker.sh: a private broker for SolidBms tests.
listener $port 127.0.0.1
allow_anonymous true
user $(id -un)
pid_file $dir/mosquitto.pid
persistence true
persistence_location $dir/
autosave_interval 1
log_dest file $dir/mosquitto.log
log_type error
log_type warning
log_type notice
max_queued_messages 100000
CONF
    printf '%s\n%s\n' "$dir" "${SOLIDBMS_MQTT_OWNER:-}" >"$state_dir/$port"
    launch "$port" "$dir" || { rm -f "$state_dir/$port"; exit 1; }
    echo "mqtt://127.0.0.1:$port"
    ;;
  restart)
    port=${2:?restart needs PORT}
    dir=$(dir_of "$port") || die "no broker of this script on port $port"
    halt "$port"
    launch "$port" "$dir"
    echo "mqtt://127.0.0.1:$port"
    ;;
  stop)
    ports=${2:-$(ls "$state_dir")}
    for port in $ports; do remove "$port"; done
    ;;
  reap)
    reap
    ;;
  dir)
    dir_of "${2:?dir needs PORT}" || die "no broker of this script on port ${2}"
    ;;
  *)
    echo "usage: $0 start [PORT] | stop [PORT] | restart PORT | dir PORT | reap" >&2
    exit 2
    ;;
esac
