# Shared definitions for scripts/lab/*.sh (sourced, not executed).
# All lab state lives under $REPO/.lab, REPO being computed from this file's location.

LAB_SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$LAB_SCRIPT_DIR/../.." && pwd)
LAB=$REPO/.lab

# STATE holds everything the daemons touch. Their unprivileged processes (postfix, dovecot, uid 5000 for mailboxes)
# must be able to traverse to it: a clone under a mode-700 directory (e.g. /root) would make Postfix fail with
# "open lock file ...: Permission denied". In that case the state goes to a root-owned directory under /run (keyed by
# the repo path) and $LAB/state is a symlink to it; env.json stays in $LAB either way.
lab_state_dir() {
  if setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$REPO" 2>/dev/null; then
    echo "$LAB"
  else
    local base=/run
    [[ -d $base && -w $base ]] || base=/var/tmp
    echo "$base/sendcheck-lab-$(printf '%s' "$REPO" | sha256sum | cut -c1-12)"
  fi
}
STATE=$(lab_state_dir)

SMTP_HOST=127.0.0.20
SMTP_NAME=mail.example.test
DNS_HOST=127.0.0.30
DNS_PORT=53
ZONES_DIR=$REPO/test/fixtures/zones

PF_CONF=$STATE/postfix          # main.cf, master.cf, lookup tables
PF_SPOOL=$STATE/postfix-spool   # queue_directory (must be outside the config dir)
PF_DATA=$STATE/postfix-data     # data_directory
DC_DIR=$STATE/dovecot
DC_CONF=$DC_DIR/dovecot.conf
DC_RUN=$DC_DIR/run              # base_dir
KN_DIR=$STATE/knot
KN_CONF=$KN_DIR/knot.conf
KN_RUN=$KN_DIR/run
OD_DIR=$STATE/opendkim          # OpenDKIM: opendkim.conf, unbound.conf, keys/, run/ (socket, pid)
OD_CONF=$OD_DIR/opendkim.conf
OD_RUN=$OD_DIR/run
LOG_DIR=$STATE/log
MAIL_DIR=$STATE/mail
CERTS=$STATE/certs

# Second smtpd hop: the submission services hand every accepted message to this listener (content_filter), where
# OpenDKIM verifies what it signed on the first hop, like a receiving MX (see up.sh).
INBOUND_HOP_PORT=10025
# Lab-only DKIM key (test/fixtures/lab-keys/README.md); its public half is lab._domainkey in example.test.zone.
DKIM_DOMAIN=example.test
DKIM_SELECTOR=lab
DKIM_KEY=$REPO/test/fixtures/lab-keys/example.test.lab.private

VMAIL_UID=5000
VMAIL_GID=5000

log() { echo "lab: $*" >&2; }

# pid_alive PID: true if PID exists and is not a zombie (kill -0 succeeds on zombies).
pid_alive() {
  local pid=$1 state
  [[ -n $pid && -r /proc/$pid/stat ]] || return 1
  state=$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $state != Z && $state != X ]]
}

# pid_is PID NAME: true if PID is alive and its executable's basename is NAME.
pid_is() {
  local pid=$1 name=$2 exe
  pid_alive "$pid" || return 1
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  exe=${exe% (deleted)}
  [[ ${exe##*/} == "$name" ]]
}

# read_pid FILE: the first number in FILE (Postfix pads its pid file with spaces).
read_pid() {
  [[ -r $1 ]] || return 1
  tr -dc '0-9\n' < "$1" | head -n1
}

# stop_pid PID NAME [TIMEOUT_S]: SIGTERM, wait, then SIGKILL. Only if PID really is NAME.
stop_pid() {
  local pid=$1 name=$2 timeout=${3:-10} i
  pid_is "$pid" "$name" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
  log "$name (pid $pid) did not exit after ${timeout}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 20; i++)); do pid_alive "$pid" || return 0; sleep 0.1; done
}
