#!/usr/bin/env bash
# Check a running lab (scripts/lab/up.sh) with swaks, openssl and dig. Exit status 0 only if every check passes.
set -uo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

H=$SMTP_HOST
A_USER=alice@example.test A_PASS=lab-Secret-Pa55
fails=0

# check NAME REGEX COMMAND...: run COMMAND, pass if its combined output matches REGEX (extended, multi-line).
check() {
  local name=$1 re=$2 out
  shift 2
  out=$("$@" 2>&1)
  if grep -Eq -- "$re" <<<"$out"; then
    echo "ok   $name"
  else
    echo "FAIL $name (expected /$re/)"
    sed 's/^/     | /' <<<"$out" | tail -n 25
    fails=$((fails + 1))
  fi
}
# check_not NAME REGEX COMMAND...: pass if the output does NOT match REGEX (and the command produced output).
check_not() {
  local name=$1 re=$2 out
  shift 2
  out=$("$@" 2>&1)
  if [[ -n $out ]] && ! grep -Eq -- "$re" <<<"$out"; then
    echo "ok   $name"
  else
    echo "FAIL $name (unexpected /$re/)"
    sed 's/^/     | /' <<<"$out" | tail -n 25
    fails=$((fails + 1))
  fi
}

SW=(swaks --server "$H" --timeout 10 --helo selftest.example)
CA=$CERTS/ca.pem

check "587 STARTTLS + AUTH PLAIN alice" '235 2\.7\.0' \
  "${SW[@]}" --port 587 --tls --tls-verify --tls-ca-path "$CA" --auth PLAIN --auth-user "$A_USER" --auth-password "$A_PASS" --quit-after AUTH
check "587 wrong password -> 535" '535 5\.7\.8' \
  "${SW[@]}" --port 587 --tls --auth PLAIN --auth-user "$A_USER" --auth-password wrong-password --quit-after AUTH
check "587 good login right after a bad one" '235 2\.7\.0' \
  "${SW[@]}" --port 587 --tls --auth PLAIN --auth-user bob@example.test --auth-password bob-Secret-Pa55 --quit-after AUTH
check_not "587 EHLO before STARTTLS: no AUTH" '250.AUTH' "${SW[@]}" --port 587 --quit-after HELO
check "587 EHLO after STARTTLS: AUTH" "250.AUTH PLAIN" "${SW[@]}" --port 587 --tls --quit-after HELO
check "587 MAIL before STARTTLS -> 530" '530 5\.7\.0 Must issue a STARTTLS' \
  "${SW[@]}" --port 587 --from x@elsewhere.test --to "$A_USER" --quit-after RCPT
check "587 authenticated relay accepted (then discarded)" '250 2\.0\.0 Ok: queued' \
  "${SW[@]}" --port 587 --tls --auth PLAIN --auth-user "$A_USER" --auth-password "$A_PASS" --from "$A_USER" --to bob@elsewhere.test
check "2525 same as 587" '235 2\.7\.0' \
  "${SW[@]}" --port 2525 --tls --auth LOGIN --auth-user "$A_USER" --auth-password "$A_PASS" --quit-after AUTH
check "465 implicit TLS + AUTH" '235 2\.7\.0' \
  "${SW[@]}" --port 465 --tls-on-connect --tls-verify --tls-ca-path "$CA" --auth PLAIN --auth-user "$A_USER" --auth-password "$A_PASS" --quit-after AUTH
check "25 relay without AUTH -> 554 5.7.1 Relay access denied" '554 5\.7\.1 <bob@elsewhere\.test>: Relay access denied' \
  "${SW[@]}" --port 25 --from x@elsewhere.test --to bob@elsewhere.test --quit-after RCPT
check "25 offers STARTTLS" '250.STARTTLS' "${SW[@]}" --port 25 --quit-after HELO
check_not "25 no AUTH even after STARTTLS" '250.AUTH' "${SW[@]}" --port 25 --tls --quit-after HELO
check "25 local delivery via LMTP" '250 2\.0\.0 Ok: queued' \
  "${SW[@]}" --port 25 --from x@elsewhere.test --to bob@example.test
check "25 unknown local user -> 550 5.1.1" '550 5\.1\.1' \
  "${SW[@]}" --port 25 --from x@elsewhere.test --to nobody@example.test --quit-after RCPT
check "143 IMAP from 127.0.0.1: LOGINDISABLED before TLS" 'LOGINDISABLED' \
  bash -c "exec 3<>/dev/tcp/$H/143; printf 'a CAPABILITY\r\na LOGOUT\r\n' >&3; timeout 3 cat <&3"
check "993 IMAPS login alice" 'a OK' \
  bash -c "printf 'a LOGIN $A_USER $A_PASS\r\nb LOGOUT\r\n' | timeout 5 openssl s_client -connect $H:993 -quiet -ign_eof -verify_return_error -CAfile '$CA' 2>/dev/null"
check "dns mail.example.test A" '^127\.0\.0\.20$' dig +short @"$DNS_HOST" -p "$DNS_PORT" mail.example.test A
check "dns MX" '^10 mail\.example\.test\.$' dig +short @"$DNS_HOST" -p "$DNS_PORT" example.test MX
check "dns _submission SRV" '^0 1 587 mail\.example\.test\.$' dig +short @"$DNS_HOST" -p "$DNS_PORT" _submission._tcp.example.test SRV

sleep 0.5
check "LMTP delivered into bob's Maildir" 'Saved' grep 'to=<bob@example.test>' "$LOG_DIR/postfix.log"

if ((fails)); then
  echo "selftest: $fails check(s) failed"
  exit 1
fi
echo "selftest: all checks passed"
