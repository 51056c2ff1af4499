#!/usr/bin/env bash
# Stop the lab daemons started by up.sh (Postfix, Dovecot, Knot, OpenDKIM). Tolerant of nothing running.
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

# The others have no clients left once Postfix is gone: stop them in parallel (Dovecot alone takes about a second).
# Dovecot: master pid file in base_dir; children exit with the master.
dc_pid=$(read_pid "$DC_RUN/master.pid" 2>/dev/null || true)
if [[ -n ${dc_pid:-} ]] && pid_is "$dc_pid" dovecot; then
  log "stopping dovecot (pid $dc_pid)"
  stop_pid "$dc_pid" dovecot 10 &
fi

# Knot
kn_pid=$(read_pid "$KN_RUN/knot.pid" 2>/dev/null || true)
if [[ -n ${kn_pid:-} ]] && pid_is "$kn_pid" knotd; then
  log "stopping knotd (pid $kn_pid)"
  stop_pid "$kn_pid" knotd 10 &
fi

# OpenDKIM (after Postfix, its only client). On SIGTERM its milter loop notices the stop only at its next periodic
# check (up to ~5 s); it keeps no state worth a clean shutdown, so after half a second it is killed.
od_pid=$(read_pid "$OD_RUN/opendkim.pid" 2>/dev/null || true)
if [[ -n ${od_pid:-} ]] && pid_is "$od_pid" opendkim; then
  log "stopping opendkim (pid $od_pid)"
  (
    kill -TERM "$od_pid" 2>/dev/null || true
    for ((i = 0; i < 5; i++)); do pid_alive "$od_pid" || exit 0; sleep 0.1; done
    pid_is "$od_pid" opendkim && kill -KILL "$od_pid" 2>/dev/null
    for ((i = 0; i < 20; i++)); do pid_alive "$od_pid" || exit 0; sleep 0.1; done
  ) &
fi
wait
rm -f "$OD_RUN/opendkim.sock"

rm -f "$LAB/env.json"
exit 0
