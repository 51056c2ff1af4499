#!/usr/bin/env bash
# Stop the lab daemons started by up.sh (Postfix, Dovecot, Knot). Tolerant of nothing running.
# Leaves .lab/ in place (logs stay readable); up.sh regenerates what it needs.
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

# Postfix: a clean "postfix stop" first, then make sure the master is really gone (it releases the ports on exit).
pf_pid=$(read_pid "$PF_SPOOL/pid/master.pid" 2>/dev/null || true)
if [[ -n ${pf_pid:-} ]] && pid_is "$pf_pid" master; then
  log "stopping postfix (master pid $pf_pid)"
  if [[ -f $PF_CONF/main.cf ]]; then
    postfix -c "$PF_CONF" stop >/dev/null 2>&1 || true
  fi
  stop_pid "$pf_pid" master 10
fi

# Dovecot: master pid file in base_dir; children exit with the master.
dc_pid=$(read_pid "$DC_RUN/master.pid" 2>/dev/null || true)
if [[ -n ${dc_pid:-} ]] && pid_is "$dc_pid" dovecot; then
  log "stopping dovecot (pid $dc_pid)"
  stop_pid "$dc_pid" dovecot 10
fi

# Knot
kn_pid=$(read_pid "$KN_RUN/knot.pid" 2>/dev/null || true)
if [[ -n ${kn_pid:-} ]] && pid_is "$kn_pid" knotd; then
  log "stopping knotd (pid $kn_pid)"
  stop_pid "$kn_pid" knotd 10
fi

rm -f "$LAB/env.json"
exit 0
