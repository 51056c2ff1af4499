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

# ---------------------------------------------------------------------------------------------------------------------
# Roundtrip cases (env.json "users" roles): every message carries a unique tag so that earlier runs don't count.

TAG="selftest-$$-$(date +%s%N)"
C_USER=carol@example.test C_PASS=carol-Secret-Pa55
D_USER=dave@example.test D_PASS=dave-Secret-Pa55
E_USER=erin@example.test
F_USER=frank@example.test F_PASS=frank-Secret-Pa55
G_USER=gina@example.test G_PASS=gina-Secret-Pa55
MB=$MAIL_DIR/example.test

# submit USER PASS TO: one tagged message over 587 (STARTTLS + AUTH PLAIN).
submit() {
  "${SW[@]}" --port 587 --tls --auth PLAIN --auth-user "$1" --auth-password "$2" --from "$1" --to "$3" \
    --header "Subject: lab selftest $TAG" --header "X-Lab-Selftest: $TAG"
}
# imaps USER PASS COMMAND...: log in over 993, run the IMAP commands (tags c1, c2...), log out; print the dialogue.
imaps() {
  local user=$1 pass=$2 cmds="" i=1 c
  shift 2
  for c in "$@"; do cmds+="c$i $c"$'\r\n'; i=$((i + 1)); done
  printf 'a LOGIN %s %s\r\n%sz LOGOUT\r\n' "$user" "$pass" "$cmds" |
    timeout 5 openssl s_client -connect "$H:993" -quiet -ign_eof -verify_return_error -CAfile "$CA" 2>/dev/null
}
# tagged_in MAILDIR: the file in MAILDIR/{new,cur} carrying this run's tag (empty if none).
tagged_in() {
  grep -lsF "X-Lab-Selftest: $TAG" "$1"/new/* "$1"/cur/* 2>/dev/null | head -n1
}
# headers_of MAILDIR: the header block of this run's message in MAILDIR, folded lines joined (or a "none" line).
headers_of() {
  local f
  f=$(tagged_in "$1")
  if [[ -z $f ]]; then
    echo "(no message tagged $TAG in $1)"
    return
  fi
  awk '/^\r?$/ { exit } /^[ \t]/ { sub(/^[ \t]+/, " "); line = line $0; next } { if (line != "") print line; line = $0 }
       END { if (line != "") print line }' "$f"
}
absent_in() { # MAILDIR: prints "absent" if no message with this run's tag is there
  [[ -z $(tagged_in "$1") ]] && echo "absent" || echo "present: $(tagged_in "$1")"
}
signed_state() { # MAILDIR: "signed" or "unsigned" (DKIM-Signature header or not) for this run's message there
  local h
  h=$(headers_of "$1")
  if [[ $h == "(no message"* ]]; then echo "$h"; elif grep -q '^DKIM-Signature:' <<<"$h"; then echo signed; else echo unsigned; fi
}

check "587 alice -> alice accepted" '250 2\.0\.0 Ok: queued' submit "$A_USER" "$A_PASS" "$A_USER"
check "587 carol (junk) -> carol accepted" '250 2\.0\.0 Ok: queued' submit "$C_USER" "$C_PASS" "$C_USER"
check "587 alice -> erin (held) accepted" '250 2\.0\.0 Ok: queued' submit "$A_USER" "$A_PASS" "$E_USER"
check "587 frank (no-expunge) -> frank accepted" '250 2\.0\.0 Ok: queued' submit "$F_USER" "$F_PASS" "$F_USER"
check "587 gina (unsigned) -> gina accepted" '250 2\.0\.0 Ok: queued' submit "$G_USER" "$G_PASS" "$G_USER"
check "587 dave (smtp-auth-disabled): AUTH refused with the right password" '535 5\.7\.8' \
  "${SW[@]}" --port 587 --tls --auth PLAIN --auth-user "$D_USER" --auth-password "$D_PASS" --quit-after AUTH
check "993 IMAPS login dave (smtp-auth-disabled) works" '^a OK' imaps "$D_USER" "$D_PASS"
check "993 CAPABILITY lists SPECIAL-USE and IDLE" 'CAPABILITY .*IDLE.* SPECIAL-USE' imaps "$A_USER" "$A_PASS" CAPABILITY
check "993 LIST: Junk has \\Junk" '^\* LIST \([^)]*\\Junk[^)]*\) "." Junk' \
  imaps "$A_USER" "$A_PASS" 'LIST "" "*" RETURN (SPECIAL-USE)'

# Deliveries go 587 -> inbound hop 10025 -> LMTP: wait (at most 10 s) for the copies.
for ((i = 0; i < 100; i++)); do
  [[ -n $(tagged_in "$MB/alice/Maildir") && -n $(tagged_in "$MB/carol/Maildir/.Junk") &&
    -n $(tagged_in "$MB/frank/Maildir") && -n $(tagged_in "$MB/gina/Maildir") ]] && break
  sleep 0.1
done
check "alice's copy in her INBOX, signed: DKIM-Signature d=example.test s=lab" '^DKIM-Signature: .*d=example\.test; s=lab;' \
  headers_of "$MB/alice/Maildir"
check "alice's copy: Authentication-Results dkim=pass from the inbound hop's OpenDKIM" \
  '^Authentication-Results: mail\.example\.test; dkim=pass .*header\.d=example\.test .*header\.s=lab' headers_of "$MB/alice/Maildir"
check "alice's copy: three Received hops (submission, inbound hop, LMTP)" '^3$' \
  bash -c 'grep -c "^Received: " <<<"$1"' _ "$(headers_of "$MB/alice/Maildir")"
check "carol's copy filed into Junk by Sieve, with X-Spam-Flag: YES" '^X-Spam-Flag: YES$' headers_of "$MB/carol/Maildir/.Junk"
check "carol's copy: SpamAssassin-style X-Spam-Status" '^X-Spam-Status: Yes, score=7\.3 ' headers_of "$MB/carol/Maildir/.Junk"
check "carol's copy: an spf=softfail Authentication-Results" \
  '^Authentication-Results: mail\.example\.test; spf=softfail ' headers_of "$MB/carol/Maildir/.Junk"
check "carol's copy not in her INBOX" '^absent$' absent_in "$MB/carol/Maildir"
check "erin's message on the hold queue" '"queue_name": "hold".*"erin@example\.test"' postqueue -c "$PF_CONF" -j
check "erin's message not in her mailbox" '^absent$' absent_in "$MB/erin/Maildir"

# gina (unsigned): OpenDKIM's SigningTable leaves her out; the inbound hop finds no signature.
check "gina's copy in her INBOX, without DKIM-Signature" '^unsigned$' signed_state "$MB/gina/Maildir"
check "gina's copy: Authentication-Results dkim=none from the inbound hop's OpenDKIM" \
  '^Authentication-Results: mail\.example\.test; dkim=none' headers_of "$MB/gina/Maildir"

# Clean-up as sendcheck roundtrip does it (UID STORE +FLAGS (\Deleted), UID EXPUNGE), on this run's message only
# (SEARCHRES: "RETURN (SAVE)" keeps the hits as "$"). alice: allowed, the message is gone. frank (no-expunge, global
# ACL without t and e on INBOX): both commands answer OK, but the flag is not set and the message stays.
cleanup_dialogue() { # USER PASS
  imaps "$1" "$2" 'SELECT INBOX' "UID SEARCH RETURN (SAVE) HEADER X-Lab-Selftest $TAG" 'UID STORE $ +FLAGS (\Deleted)' \
    'UID FETCH $ (FLAGS)' 'UID EXPUNGE $' "UID SEARCH HEADER X-Lab-Selftest $TAG"
}
out=$(cleanup_dialogue "$A_USER" "$A_PASS")
check "993 alice: UID STORE +FLAGS (\\Deleted) applied" '^\* [0-9]+ FETCH \(UID [0-9]+ FLAGS \([^)]*\\Deleted' echo "$out"
check "993 alice: UID EXPUNGE removes it" '^\* [0-9]+ EXPUNGE' echo "$out"
check "alice's copy gone from her Maildir" '^absent$' absent_in "$MB/alice/Maildir"
out=$(cleanup_dialogue "$F_USER" "$F_PASS")
check "993 frank: PERMANENTFLAGS without \\Deleted" '^\* OK \[PERMANENTFLAGS \(\\Answered \\Flagged \\Seen \\Draft \\\*\)\]' echo "$out"
check "993 frank: UID STORE +FLAGS (\\Deleted) answered OK" '^c3 OK Store completed' echo "$out"
check_not "993 frank: ... but \\Deleted not set" 'FETCH \(.*FLAGS \([^)]*\\Deleted' echo "$out"
check "993 frank: UID EXPUNGE answered OK" '^c5 OK Expunge completed' echo "$out"
check "993 frank: the message is still there" '^\* SEARCH [0-9]+' echo "$out"
check_not "993 frank: no EXPUNGE response" '^\* [0-9]+ EXPUNGE' echo "$out"
check "frank's copy still in his Maildir" '^present: ' absent_in "$MB/frank/Maildir"

check "LMTP delivered into bob's Maildir" 'Saved' grep 'to=<bob@example.test>' "$LOG_DIR/postfix.log"

if ((fails)); then
  echo "selftest: $fails check(s) failed"
  exit 1
fi
echo "selftest: all checks passed"
