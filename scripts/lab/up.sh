#!/usr/bin/env bash
# Start the sendcheck integration-test lab on loopback:
#   Postfix  127.0.0.20:25 (STARTTLS may, no AUTH), :587 and :2525 (STARTTLS required, AUTH after TLS),
#            :465 (implicit TLS + AUTH); SASL and LMTP delivery via Dovecot; nothing can leave the machine.
#            Submitted mail is DKIM-signed by OpenDKIM (d=example.test, s=lab) and then relayed through a second smtpd
#            hop on 127.0.0.20:10025 (the "inbound" side), where OpenDKIM verifies it and adds Authentication-Results.
#   Dovecot  127.0.0.20:143 (IMAP), :993 (IMAPS); passwd-file users @example.test with roles (env.json "users"):
#            alice, bob (inbox), carol (junk: spam-flagged, Sieve files it into Junk), dave (smtp-auth-disabled: IMAP
#            login works, SMTP AUTH is refused), erin (held: accepted by Postfix, kept on the hold queue), frank
#            (no-expunge: a global ACL withholds \Deleted and expunge in his INBOX), gina (unsigned: OpenDKIM does
#            not sign her submissions, the inbound hop records dkim=none).
#            Every mailbox has Junk/Trash/Sent/Drafts with their SPECIAL-USE flags.
#   Knot     127.0.0.30@53, serving every test/fixtures/zones/*.zone (zone name = file name minus .zone).
#   OpenDKIM one milter (sign + verify) on a unix socket; its only DNS server is the lab's Knot. Its SigningTable
#            lists every lab address except gina's.
# Writes .lab/env.json for the tests (see test/helpers/lab-env.ts). Idempotent: stops a previous instance first.
# Must run as root (Postfix/Dovecot need it; port 53/25). No systemd: daemons are started directly.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

if [[ $(id -u) -ne 0 ]]; then
  echo "up.sh: must run as root" >&2
  exit 1
fi

t0=$(date +%s%N)

"$LAB_SCRIPT_DIR/install.sh"
"$LAB_SCRIPT_DIR/down.sh"

# On any failure, stop whatever this run already started (logs stay in .lab/log for inspection).
on_exit() {
  local rc=$?
  if [[ $rc -ne 0 ]]; then
    echo "lab: up.sh failed (exit $rc); stopping what was started. Logs: $LOG_DIR" >&2
    "$LAB_SCRIPT_DIR/down.sh" || true
  fi
}
trap on_exit EXIT

# ---------------------------------------------------------------------------------------------------------------------
# helpers

die() {
  echo "lab: ERROR: $*" >&2
  exit 1
}

tail_log() {
  local f=$1
  echo "----- last lines of $f -----" >&2
  if [[ -f $f ]]; then tail -n 40 "$f" >&2; else echo "(no such file)" >&2; fi
  echo "-----" >&2
}

# port_holders HOST PORT: listeners that would collide with HOST:PORT (exact address or a wildcard).
port_holders() {
  local host=$1 port=$2
  ss -Hltnp 2>/dev/null | awk -v h="$host" -v p="$port" '
    { split($4, a, /:[^:]*$/); addr = a[1]; n = split($4, b, ":"); prt = b[n] }
    prt == p && (addr == h || addr == "0.0.0.0" || addr == "*" || addr == "[::]") { print }'
}

ensure_port_free() {
  local host=$1 port=$2 proto=${3:-tcp} holders
  if [[ $proto == udp ]]; then
    holders=$(ss -Hlunp 2>/dev/null | awk -v h="$host" -v p="$port" '
      { n = split($4, b, ":"); prt = b[n]; split($4, a, /:[^:]*$/); addr = a[1] }
      prt == p && (addr == h || addr == "0.0.0.0" || addr == "*" || addr == "[::]") { print }')
  else
    holders=$(port_holders "$host" "$port")
  fi
  if [[ -n $holders ]]; then
    die "$host:$port/$proto is already in use by a process the lab did not start:
$holders"
  fi
}

# banner HOST PORT: first line the server sends on a plain TCP connection (empty on failure).
banner() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2" && head -n1 <&3' _ "$1" "$2" 2>/dev/null | tr -d '\r' || true
}

# tls_banner HOST PORT BYE: first line after an implicit-TLS handshake. BYE (e.g. "QUIT") is queued so that the server
# closes the connection right after its greeting and s_client exits at once.
tls_banner() {
  printf '%s\r\n' "$3" |
    timeout 3 openssl s_client -connect "$1:$2" -quiet -ign_eof -verify_quiet 2>/dev/null | head -n1 | tr -d '\r' || true
}

# wait_for DESCRIPTION LOGFILE REGEX COMMAND...: retry COMMAND (which prints a line) until its output matches REGEX;
# after ~20 s fail with the tail of LOGFILE.
wait_for() {
  local what=$1 logf=$2 expect=$3
  shift 3
  local i out=""
  for ((i = 0; i < 100; i++)); do
    out=$("$@") || true
    if [[ $out =~ $expect ]]; then
      return 0
    fi
    sleep 0.2
  done
  echo "lab: ERROR: $what did not come up within 20 s (last answer: '${out}')" >&2
  tail_log "$logf"
  exit 1
}

json_str() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

# ---------------------------------------------------------------------------------------------------------------------
# directories, certificates

mkdir -p "$LAB"
chmod 0755 "$LAB"
if [[ $STATE != "$LAB" ]]; then
  log "$REPO is not searchable by unprivileged users: daemon state in $STATE (symlink $LAB/state)"
  mkdir -p "$STATE"
  chmod 0755 "$STATE"
  ln -sfn "$STATE" "$LAB/state"
fi
# Fresh runtime state at every start (the daemons are stopped): queue, Postfix data, Dovecot/Knot runtime, mailboxes.
rm -rf "$PF_SPOOL" "$PF_DATA" "$DC_RUN" "$DC_DIR/state" "$KN_RUN" "$KN_DIR/db" "$MAIL_DIR" "$OD_DIR"
# PF_DATA and the queue subdirectories are created by Postfix itself (with its own ownership rules).
mkdir -p "$LOG_DIR" "$PF_CONF" "$PF_SPOOL" "$DC_DIR" "$DC_RUN" "$DC_DIR/state" "$DC_DIR/sieve" "$KN_DIR" "$KN_RUN" \
  "$KN_DIR/db" "$MAIL_DIR" "$OD_DIR/keys" "$OD_RUN"
chmod 0755 "$LOG_DIR" "$PF_CONF" "$DC_DIR" "$DC_DIR/sieve" "$KN_DIR" "$OD_DIR"
chown "$VMAIL_UID:$VMAIL_GID" "$MAIL_DIR"
chmod 0770 "$MAIL_DIR"

"$LAB_SCRIPT_DIR/certs.sh" "$CERTS"

# Daemons running as unprivileged users must be able to reach the state directory (see STATE in common.sh); Dovecot's
# LMTP delivery writes $MAIL_DIR as uid $VMAIL_UID.
if ! setpriv --reuid="$VMAIL_UID" --regid="$VMAIL_GID" --clear-groups test -w "$MAIL_DIR" 2>/dev/null; then
  die "uid $VMAIL_UID cannot write $MAIL_DIR (a parent directory is not searchable by others)"
fi

for p in 25 587 465 2525 "$INBOUND_HOP_PORT" 143 993 110 995; do ensure_port_free "$SMTP_HOST" "$p"; done
ensure_port_free "$DNS_HOST" "$DNS_PORT" tcp
ensure_port_free "$DNS_HOST" "$DNS_PORT" udp

# ---------------------------------------------------------------------------------------------------------------------
# Postfix

cat > "$PF_CONF/vmailbox" <<MAP
alice@example.test example.test/alice/
bob@example.test   example.test/bob/
carol@example.test example.test/carol/
dave@example.test  example.test/dave/
erin@example.test  example.test/erin/
frank@example.test example.test/frank/
gina@example.test  example.test/gina/
MAP
# erin (role "held"): every message to her is accepted ("250 ... queued as") and put on the hold queue, so it never
# reaches her mailbox (postqueue -j shows it with "queue_name": "hold").
cat > "$PF_CONF/recipient_hold" <<MAP
erin@example.test  HOLD sendcheck lab: mail for erin@example.test is held for review
MAP
# carol (role "junk"): the receiving side classifies every message to her as spam, as SpamAssassin plus an SPF check
# would. PREPEND does not end the restriction list (access(5): "When more than one PREPEND action executes, the first
# prepended header appears before the second"), but one lookup gives one action: one table per header.
cat > "$PF_CONF/spam_flag" <<MAP
carol@example.test PREPEND X-Spam-Flag: YES
MAP
cat > "$PF_CONF/spam_status" <<MAP
carol@example.test PREPEND X-Spam-Status: Yes, score=7.3 required=5.0 tests=BAYES_99,RDNS_NONE autolearn=no version=3.4.6
MAP
cat > "$PF_CONF/spam_spf" <<MAP
carol@example.test PREPEND Authentication-Results: $SMTP_NAME; spf=softfail (domain of transitioning carol@example.test does not designate 127.0.0.1 as permitted sender) smtp.mailfrom=carol@example.test
MAP
cat > "$PF_CONF/virtual" <<MAP
postmaster@example.test alice@example.test
user@example.test       alice@example.test
MAP

cat > "$PF_CONF/main.cf" <<CONF
# Generated by scripts/lab/up.sh; do not edit (regenerated at each start).
compatibility_level = 3.6
queue_directory = $PF_SPOOL
data_directory = $PF_DATA
maillog_file = $LOG_DIR/postfix.log
maillog_file_prefixes = $LOG_DIR

myhostname = $SMTP_NAME
mydomain = example.test
myorigin = \$mydomain
mydestination =
# Deliberately excludes 127.0.0.1: loopback test clients are "outsiders" and must authenticate to relay.
mynetworks = 127.0.0.254/32
# 127.0.0.20 is not configured on lo (127/8 routes there anyway): master.cf binds it explicitly, and
# inet_interfaces names an address that exists so Postfix accepts it (LAB-NOTES).
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
smtpd_banner = \$myhostname ESMTP sendcheck-lab

# Nothing can leave the machine: mail for other domains is accepted (so an authenticated relay gets "250" at RCPT, as
# on a real submission server) and then discarded. An error: transport would make smtpd reject such recipients at RCPT
# time ("550 5.7.0 ... Recipient address rejected"), which looks like a relay refusal to a diagnostic client.
default_transport = discard:sendcheck lab: outbound delivery disabled
relay_transport = discard:sendcheck lab: outbound delivery disabled
local_transport = error:5.1.1 sendcheck lab: no local delivery
relayhost =
smtp_dns_support_level = disabled
lmtp_dns_support_level = disabled
smtpd_peername_lookup = no
alias_maps =
alias_database =
biff = no
append_dot_mydomain = no
readme_directory = no

# example.test mailboxes live in Dovecot, delivered by LMTP (socket inside the queue dir: private/dovecot-lmtp).
virtual_mailbox_domains = example.test
virtual_mailbox_maps = texthash:$PF_CONF/vmailbox
virtual_alias_maps = texthash:$PF_CONF/virtual
virtual_transport = lmtp:unix:private/dovecot-lmtp

# TLS (port 25: opportunistic; the submission services override it)
smtpd_tls_cert_file = $CERTS/server-chain.pem
smtpd_tls_key_file = $CERTS/server.key
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes

# SASL through Dovecot (socket inside the queue dir: private/auth); off by default, on in submission services.
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
smtpd_sasl_auth_enable = no
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination

# Per-recipient lab behaviours (tables above). Held mail: every listener that accepts mail from clients; spam
# classification: the receiving side (port 25 and the inbound hop, see master.cf).
lab_hold = check_recipient_access texthash:$PF_CONF/recipient_hold
lab_spam = check_recipient_access texthash:$PF_CONF/spam_flag, check_recipient_access texthash:$PF_CONF/spam_status,
  check_recipient_access texthash:$PF_CONF/spam_spf
smtpd_recipient_restrictions = \$lab_hold

# OpenDKIM (one daemon, sign + verify). If it is not running, mail still flows (unsigned, without its A-R header):
# the other lab tests must not depend on it; scripts/lab/selftest.sh checks it.
lab_dkim_milter = unix:$OD_RUN/opendkim.sock
milter_default_action = accept
milter_protocol = 6
CONF

# Submission (587/2525/465): OpenDKIM signs what authenticated users send (it signs when the client authenticated:
# the {auth_type} milter macro), then the message goes through the inbound hop instead of straight to delivery.
submission_common() {
  cat <<OPTS
  -o smtpd_client_restrictions=
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_milters=\$lab_dkim_milter
  -o content_filter=inbound-hop:[$SMTP_HOST]:$INBOUND_HOP_PORT
OPTS
}
submission_opts() { # $1 = syslog name
  cat <<OPTS
  -o syslog_name=postfix/$1
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
$(submission_common)
OPTS
}

{
  cat <<CONF
# Generated by scripts/lab/up.sh; do not edit (regenerated at each start). No chroot anywhere.
# service               type  private unpriv  chroot  wakeup  maxproc command + args
$SMTP_HOST:25           inet  n       -       n       -       -       smtpd
  -o smtpd_recipient_restrictions=\$lab_hold,\$lab_spam
  -o smtpd_milters=\$lab_dkim_milter
$SMTP_HOST:587          inet  n       -       n       -       -       smtpd
$(submission_opts submission)
$SMTP_HOST:2525         inet  n       -       n       -       -       smtpd
$(submission_opts alt-submission)
$SMTP_HOST:465          inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
$(submission_common)
# The inbound hop: what the submission services accepted arrives here from $SMTP_HOST (inbound-hop transport below),
# like at a receiving MX: OpenDKIM verifies (this client is neither internal nor authenticated) and adds
# Authentication-Results; spam classification for carol. Only $SMTP_HOST may relay through it.
$SMTP_HOST:$INBOUND_HOP_PORT         inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/inbound
  -o content_filter=
  -o mynetworks=$SMTP_HOST/32
  -o smtpd_client_restrictions=
  -o smtpd_relay_restrictions=permit_mynetworks,reject
  -o smtpd_recipient_restrictions=\$lab_spam
  -o smtpd_sasl_auth_enable=no
  -o smtpd_milters=\$lab_dkim_milter
inbound-hop             unix  -       -       n       -       -       smtp
  -o syslog_name=postfix/inbound-hop
  -o smtp_bind_address=$SMTP_HOST
  -o smtp_tls_security_level=may
pickup                  unix  n       -       n       60      1       pickup
cleanup                 unix  n       -       n       -       0       cleanup
qmgr                    unix  n       -       n       300     1       qmgr
tlsmgr                  unix  -       -       n       1000?   1       tlsmgr
rewrite                 unix  -       -       n       -       -       trivial-rewrite
bounce                  unix  -       -       n       -       0       bounce
defer                   unix  -       -       n       -       0       bounce
trace                   unix  -       -       n       -       0       bounce
verify                  unix  -       -       n       -       1       verify
flush                   unix  n       -       n       1000?   0       flush
proxymap                unix  -       -       n       -       -       proxymap
proxywrite              unix  -       -       n       -       1       proxymap
smtp                    unix  -       -       n       -       -       smtp
relay                   unix  -       -       n       -       -       smtp
showq                   unix  n       -       n       -       -       showq
error                   unix  -       -       n       -       -       error
retry                   unix  -       -       n       -       -       error
discard                 unix  -       -       n       -       -       discard
local                   unix  -       n       n       -       -       local
virtual                 unix  -       n       n       -       -       virtual
lmtp                    unix  -       -       n       -       -       lmtp
anvil                   unix  -       -       n       -       1       anvil
scache                  unix  -       -       n       -       1       scache
postlog                 unix-dgram n  -       n       -       1       postlogd
CONF
} > "$PF_CONF/master.cf"

: > "$LOG_DIR/postfix.log"
# Postfix prints fatal errors only to syslog or a terminal: run check/start under script(1) to capture them.
if ! script -qec "postfix -c '$PF_CONF' check" "$LOG_DIR/postfix-check.out" </dev/null >/dev/null 2>&1; then
  cat "$LOG_DIR/postfix-check.out" >&2
  die "postfix check failed"
fi
# ---------------------------------------------------------------------------------------------------------------------
# Dovecot (after "postfix check", which creates the queue directory: Dovecot puts its auth and LMTP sockets in
# $PF_SPOOL/private, where Postfix daemons, already chdir'ed into the queue dir, reach them by relative path)

cat > "$DC_DIR/users" <<USERS
alice@example.test:{PLAIN}lab-Secret-Pa55:$VMAIL_UID:$VMAIL_GID::$MAIL_DIR/example.test/alice
bob@example.test:{PLAIN}bob-Secret-Pa55:$VMAIL_UID:$VMAIL_GID::$MAIL_DIR/example.test/bob
carol@example.test:{PLAIN}carol-Secret-Pa55:$VMAIL_UID:$VMAIL_GID::$MAIL_DIR/example.test/carol
dave@example.test:{PLAIN}dave-Secret-Pa55:$VMAIL_UID:$VMAIL_GID::$MAIL_DIR/example.test/dave
erin@example.test:{PLAIN}erin-Secret-Pa55:$VMAIL_UID:$VMAIL_GID::$MAIL_DIR/example.test/erin
frank@example.test:{PLAIN}frank-Secret-Pa55:$VMAIL_UID:$VMAIL_GID::$MAIL_DIR/example.test/frank
gina@example.test:{PLAIN}gina-Secret-Pa55:$VMAIL_UID:$VMAIL_GID::$MAIL_DIR/example.test/gina
USERS
# Per-service refusals, keyed "SERVICE/USER" (%s = the Dovecot service: "smtp" for Postfix's SASL requests, "imap"...).
# dave (role "smtp-auth-disabled"): SMTP AUTH is refused although his password is right; IMAP works, as with a provider
# that disables SMTP AUTH per mailbox.
cat > "$DC_DIR/deny-service" <<USERS
smtp/dave@example.test:::::::
USERS
chown root:dovecot "$DC_DIR/users" "$DC_DIR/deny-service"
chmod 0640 "$DC_DIR/users" "$DC_DIR/deny-service"

# Global ACL file (Dovecot ACL plugin, vfile backend; lines: <mailbox pattern> <identifier> <rights>). Without a
# matching line a user has the owner's default rights (all of them) on their own mailboxes; a matching user= line
# replaces them. frank (role "no-expunge"): in INBOX he may look up (l), read (r), set flags other than \Seen and
# \Deleted (w), set \Seen (s), APPEND/COPY (i) and post (p), but not set \Deleted (t) or expunge (e). Dovecot drops
# the refused change silently: "STORE +FLAGS (\Deleted)" answers OK without applying it, SELECT's PERMANENTFLAGS
# lacks \Deleted, "UID EXPUNGE" answers OK and the message stays. (LMTP delivery into INBOX ignores ACLs in
# Dovecot; Sieve's fileinto into another folder needs p there: his other folders keep the owner's full rights.)
cat > "$DC_DIR/global-acl" <<'ACL'
INBOX user=frank@example.test lrwsip
ACL
chmod 0644 "$DC_DIR/global-acl"

# Global Sieve script run before any user script: spam-flagged mail goes to the \Junk folder.
cat > "$DC_DIR/sieve/spam-to-junk.sieve" <<'SIEVE'
# sendcheck lab (scripts/lab/up.sh): file spam-flagged mail into Junk.
require ["fileinto", "mailbox"];
if header :is "X-Spam-Flag" "YES" {
  fileinto :create "Junk";
  stop;
}
SIEVE

cat > "$DC_CONF" <<CONF
# Generated by scripts/lab/up.sh; do not edit (regenerated at each start).
instance_name = sendcheck-lab
base_dir = $DC_RUN
state_dir = $DC_DIR/state
log_path = $LOG_DIR/dovecot.log
info_log_path = $LOG_DIR/dovecot.log
debug_log_path = $LOG_DIR/dovecot.log

protocols = imap pop3 lmtp
listen = $SMTP_HOST
# Name in LMTP's Received header ("by mail.example.test with LMTP") instead of the machine's host name.
hostname = $SMTP_NAME

ssl = yes
ssl_cert = <$CERTS/server-chain.pem
ssl_key = <$CERTS/server.key
ssl_dh = </usr/share/dovecot/dh.pem
ssl_min_protocol = TLSv1.2

# Plaintext auth only over TLS (or from the server's own address, Dovecot's "secured" rule).
disable_plaintext_auth = yes
auth_mechanisms = plain login
# Fast negative tests: no delay after a failed login...
auth_failure_delay = 0
auth_verbose = yes
auth_verbose_passwords = no

# Found here => refused for that service (deny = yes); not found => the next passdb decides.
passdb {
  driver = passwd-file
  deny = yes
  args = username_format=%s/%u $DC_DIR/deny-service
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DC_DIR/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $DC_DIR/users
}

mail_location = maildir:~/Maildir

# Special-use folders (RFC 6154; CAPABILITY lists SPECIAL-USE and IDLE), created and subscribed at first use.
namespace inbox {
  inbox = yes
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
}
first_valid_uid = $VMAIL_UID
first_valid_gid = $VMAIL_GID

service imap-login {
  inet_listener imap {
    address = $SMTP_HOST
    port = 143
  }
  inet_listener imaps {
    address = $SMTP_HOST
    port = 993
    ssl = yes
  }
}

# POP3 for the round trip's password cross-check of POP3 accounts (sendcheck roundtrip --pop3).
service pop3-login {
  inet_listener pop3 {
    address = $SMTP_HOST
    port = 110
  }
  inet_listener pop3s {
    address = $SMTP_HOST
    port = 995
    ssl = yes
  }
}

service lmtp {
  unix_listener $PF_SPOOL/private/dovecot-lmtp {
    mode = 0600
    user = postfix
    group = postfix
  }
}

service auth {
  unix_listener $PF_SPOOL/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
  unix_listener auth-userdb {
    mode = 0600
  }
}

# ...and no auth penalty either (otherwise a good login after a bad one waits seconds).
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}

# ACLs (global file above) apply to IMAP sessions and to LMTP/Sieve deliveries alike.
protocol imap {
  mail_plugins = \$mail_plugins acl
}

protocol lmtp {
  postmaster_address = postmaster@example.test
  mail_plugins = \$mail_plugins acl sieve
}

plugin {
  acl = vfile:$DC_DIR/global-acl
  # only the global file: no dovecot-acl files are looked up in the mail directories
  acl_globals_only = yes
  # Precompiled by up.sh (sievec): the LMTP process (uid $VMAIL_UID) cannot write next to it.
  sieve_before = $DC_DIR/sieve/spam-to-junk.sieve
  sieve = file:~/sieve;active=~/.dovecot.sieve
}
CONF

if ! doveconf -c "$DC_CONF" -n >/dev/null 2>"$DC_DIR/doveconf.err"; then
  cat "$DC_DIR/doveconf.err" >&2
  die "dovecot configuration rejected ($DC_CONF)"
fi
if ! sievec -c "$DC_CONF" "$DC_DIR/sieve/spam-to-junk.sieve" >"$DC_DIR/sievec.out" 2>&1; then
  cat "$DC_DIR/sievec.out" >&2
  die "sievec rejected $DC_DIR/sieve/spam-to-junk.sieve"
fi
chmod 0644 "$DC_DIR/sieve/"*
: > "$LOG_DIR/dovecot.log"
dovecot -c "$DC_CONF" </dev/null >>"$LOG_DIR/dovecot.log" 2>&1 || { tail_log "$LOG_DIR/dovecot.log"; die "dovecot failed to start"; }

# ---------------------------------------------------------------------------------------------------------------------
# OpenDKIM: one daemon for both hops. Postfix passes the SASL login in the {auth_type} macro: authenticated submission
# is signed (d=$DKIM_DOMAIN s=$DKIM_SELECTOR) if its From: address is in the SigningTable; anything else is verified.
# InternalHosts names an address nobody uses, so no loopback client counts as "internal" (the default, 127.0.0.1,
# would sign everything the tests send on port 25). DNS: libunbound forwarding to the lab's Knot only (Nameservers +
# ResolverConfiguration), never another server.

[[ -r $DKIM_KEY ]] || die "DKIM key $DKIM_KEY missing"
install -m 0600 -o opendkim -g opendkim "$DKIM_KEY" "$OD_DIR/keys/$DKIM_SELECTOR.private"
chown opendkim:opendkim "$OD_DIR/keys"
chmod 0700 "$OD_DIR/keys"
# run/ holds the milter socket: opendkim creates it (UMask 007, group postfix), Postfix's daemons connect to it.
chown opendkim:postfix "$OD_RUN"
chmod 0750 "$OD_RUN"
echo "127.0.0.254/32" > "$OD_DIR/internal-hosts"
# Which From: addresses are signed: every lab address (mailboxes and aliases) except those of role "unsigned" (gina):
# her submissions pass OpenDKIM unsigned, and the inbound hop adds "dkim=none" (AlwaysAddARHeader). A refile table
# (patterns, first match wins) naming each address, since a domain entry would match gina too; the KeyTable maps the
# one key name to d=, s= and the key file.
UNSIGNED_SENDERS=(gina@example.test)
{
  echo "# Generated by scripts/lab/up.sh: From: address pattern -> KeyTable entry. Not listed (unsigned): ${UNSIGNED_SENDERS[*]}"
  awk '!/^#/ && NF { print $1 }' "$PF_CONF/vmailbox" "$PF_CONF/virtual" | sort -u |
    grep -vxF -f <(printf '%s\n' "${UNSIGNED_SENDERS[@]}") | awk -v k="$DKIM_SELECTOR" '{ printf "%-30s %s\n", $1, k }'
} > "$OD_DIR/signing-table"
echo "$DKIM_SELECTOR $DKIM_DOMAIN:$DKIM_SELECTOR:$OD_DIR/keys/$DKIM_SELECTOR.private" > "$OD_DIR/key-table"

cat > "$OD_DIR/unbound.conf" <<CONF
# Generated by scripts/lab/up.sh: libunbound inside OpenDKIM asks the lab's Knot and nothing else.
# (Without do-not-query-localhost: no, libunbound skips a 127.x forwarder; without the local-zone line, it answers
# NXDOMAIN for everything under .test itself, an RFC 6761 default zone, without asking anyone.)
server:
    do-not-query-localhost: no
    local-zone: "test." nodefault
    module-config: "iterator"
    qname-minimisation: no
    use-syslog: no
    chroot: ""
    username: ""
    directory: ""
forward-zone:
    name: "."
    forward-addr: $DNS_HOST@$DNS_PORT
CONF

cat > "$OD_CONF" <<CONF
# Generated by scripts/lab/up.sh; do not edit (regenerated at each start).
Mode                    sv
KeyTable                $OD_DIR/key-table
SigningTable            refile:$OD_DIR/signing-table
Canonicalization        relaxed/simple
SignatureAlgorithm      rsa-sha256
OversignHeaders         From
InternalHosts           $OD_DIR/internal-hosts
AuthservID              $SMTP_NAME
AlwaysAddARHeader       yes
Nameservers             $DNS_HOST
ResolverConfiguration   $OD_DIR/unbound.conf
Socket                  local:$OD_RUN/opendkim.sock
PidFile                 $OD_RUN/opendkim.pid
UMask                   007
# The key is 0600 opendkim, but OpenDKIM's "safe keys" check also walks up the directory tree and refuses a key
# below a world-writable directory: a clone under /tmp (sticky 1777) would make every signature a 451 tempfail.
RequireSafeKeys         no
UserID                  opendkim:postfix
Syslog                  yes
SyslogSuccess           yes
LogWhy                  yes
CONF

if ! opendkim -n -x "$OD_CONF" >"$OD_DIR/config-check.out" 2>&1; then
  cat "$OD_DIR/config-check.out" >&2
  die "opendkim configuration rejected ($OD_CONF)"
fi
# (OpenDKIM logs to syslog only; without a syslog daemon its verdicts are visible in the headers it adds.)
opendkim -x "$OD_CONF" </dev/null >"$LOG_DIR/opendkim.out" 2>&1 || { cat "$LOG_DIR/opendkim.out" >&2; die "opendkim failed to start"; }

# ---------------------------------------------------------------------------------------------------------------------
# Postfix start
# (Daemons get stdin/stdout/stderr away from our own: a caller reading up.sh's output through a pipe must see EOF.)

if ! script -qec "postfix -c '$PF_CONF' start" "$LOG_DIR/postfix-start.out" </dev/null >/dev/null 2>&1; then
  cat "$LOG_DIR/postfix-start.out" >&2
  tail_log "$LOG_DIR/postfix.log"
  die "postfix failed to start"
fi

# ---------------------------------------------------------------------------------------------------------------------
# Knot: configuration generated from the zone directory contents

shopt -s nullglob
zone_files=("$ZONES_DIR"/*.zone)
shopt -u nullglob
[[ ${#zone_files[@]} -gt 0 ]] || die "no zone files in $ZONES_DIR"
zones=()
for f in "${zone_files[@]}"; do
  z=$(basename "$f" .zone)
  zones+=("$z")
done

{
  cat <<CONF
# Generated by scripts/lab/up.sh from $ZONES_DIR; do not edit (regenerated at each start).
server:
    rundir: "$KN_RUN"
    pidfile: "$KN_RUN/knot.pid"
    listen: $DNS_HOST@$DNS_PORT

control:
    listen: "$KN_RUN/knot.sock"

log:
  - target: "$LOG_DIR/knot.log"
    any: info

database:
    storage: "$KN_DIR/db"

template:
  - id: default
    storage: "$ZONES_DIR"
    file: "%s.zone"
    semantic-checks: off
    # never write back into the repository, never keep state between runs
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none

zone:
CONF
  for z in "${zones[@]}"; do
    echo "  - domain: \"$z.\""
  done
} > "$KN_CONF"

: > "$LOG_DIR/knot.log"
if ! knotc -c "$KN_CONF" conf-check >"$KN_DIR/conf-check.out" 2>&1; then
  cat "$KN_DIR/conf-check.out" >&2
  die "knot configuration rejected ($KN_CONF)"
fi
knotd -c "$KN_CONF" -d </dev/null >>"$LOG_DIR/knot.log" 2>&1 || { tail_log "$LOG_DIR/knot.log"; die "knotd failed to start"; }

# ---------------------------------------------------------------------------------------------------------------------
# wait until every listener answers

wait_for "postfix smtp 25" "$LOG_DIR/postfix.log" '^220 ' banner "$SMTP_HOST" 25
wait_for "postfix submission 587" "$LOG_DIR/postfix.log" '^220 ' banner "$SMTP_HOST" 587
wait_for "postfix alt submission 2525" "$LOG_DIR/postfix.log" '^220 ' banner "$SMTP_HOST" 2525
wait_for "postfix submissions 465 (implicit TLS)" "$LOG_DIR/postfix.log" '^220 ' tls_banner "$SMTP_HOST" 465 QUIT
wait_for "postfix inbound hop $INBOUND_HOP_PORT" "$LOG_DIR/postfix.log" '^220 ' banner "$SMTP_HOST" "$INBOUND_HOP_PORT"
wait_for "dovecot imap 143" "$LOG_DIR/dovecot.log" '^\* OK' banner "$SMTP_HOST" 143
wait_for "dovecot imaps 993" "$LOG_DIR/dovecot.log" '^\* OK' tls_banner "$SMTP_HOST" 993 "a LOGOUT"
wait_for "dovecot pop3 110" "$LOG_DIR/dovecot.log" '^\+OK' banner "$SMTP_HOST" 110
wait_for "dovecot pop3s 995" "$LOG_DIR/dovecot.log" '^\+OK' tls_banner "$SMTP_HOST" 995 "QUIT"
for z in "${zones[@]}"; do
  wait_for "knot zone $z on $DNS_HOST@$DNS_PORT" "$LOG_DIR/knot.log" 'SOA' \
    dig +norec +time=1 +tries=1 -p "$DNS_PORT" "@$DNS_HOST" "$z." SOA +noall +answer
done

# Postfix's SASL and LMTP paths: the Dovecot sockets must exist where Postfix looks (relative to its queue dir).
for s in auth dovecot-lmtp; do
  [[ -S $PF_SPOOL/private/$s ]] || { tail_log "$LOG_DIR/dovecot.log"; die "dovecot socket $PF_SPOOL/private/$s missing"; }
done
socket_exists() { [[ -S $1 ]] && echo yes || true; }
wait_for "opendkim milter socket" "$LOG_DIR/opendkim.out" '^yes$' socket_exists "$OD_RUN/opendkim.sock"

# ---------------------------------------------------------------------------------------------------------------------
# env.json for the tests (test/helpers/lab-env.ts)

zone_json=""
for z in "${zones[@]}"; do zone_json+="${zone_json:+, }$(json_str "$z")"; done

cat > "$LAB/env.json.tmp" <<JSON
{
  "smtpHost": "$SMTP_HOST",
  "smtpName": "$SMTP_NAME",
  "ports": { "smtp": 25, "submission": 587, "submissions": 465, "alt": 2525, "imap": 143, "imaps": 993, "pop3": 110, "pop3s": 995 },
  "caFile": $(json_str "$CERTS/ca.pem"),
  "certFile": $(json_str "$CERTS/server.pem"),
  "users": [
    { "user": "alice@example.test", "password": "lab-Secret-Pa55", "role": "inbox" },
    { "user": "bob@example.test", "password": "bob-Secret-Pa55", "role": "inbox" },
    { "user": "carol@example.test", "password": "carol-Secret-Pa55", "role": "junk" },
    { "user": "dave@example.test", "password": "dave-Secret-Pa55", "role": "smtp-auth-disabled" },
    { "user": "erin@example.test", "password": "erin-Secret-Pa55", "role": "held" },
    { "user": "frank@example.test", "password": "frank-Secret-Pa55", "role": "no-expunge" },
    { "user": "gina@example.test", "password": "gina-Secret-Pa55", "role": "unsigned" }
  ],
  "dns": { "server": "$DNS_HOST", "port": $DNS_PORT },
  "zonesDir": $(json_str "$ZONES_DIR"),
  "zones": [ $zone_json ],
  "postfixLog": $(json_str "$LOG_DIR/postfix.log"),
  "postfixConfigDir": $(json_str "$PF_CONF"),
  "dovecotLog": $(json_str "$LOG_DIR/dovecot.log"),
  "knotLog": $(json_str "$LOG_DIR/knot.log"),
  "mailDir": $(json_str "$MAIL_DIR")
}
JSON
mv -f "$LAB/env.json.tmp" "$LAB/env.json"

t1=$(date +%s%N)
log "up in $(((t1 - t0) / 1000000)) ms: smtp $SMTP_HOST:{25,587,465,2525} (+ inbound hop :$INBOUND_HOP_PORT) imap :{143,993} dns $DNS_HOST@$DNS_PORT, opendkim; env: $LAB/env.json"
