# What the bench scripts share. Sourced; the script sets BENCH_TAG (its log prefix) first.
# shellcheck shell=bash

log() { echo "[${BENCH_TAG:-bench} $(date +%H:%M:%S)] $*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

# Stops one process this script started, by its PID only: TERM, five seconds, then KILL.
stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
