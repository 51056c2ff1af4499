#!/usr/bin/env bash
# Install the Debian packages the sendcheck lab needs (Postfix, Dovecot, Knot, nftables, ...).
# Fast when everything is already installed: only `dpkg -s` is run; `apt-get update` only if something is missing.
set -euo pipefail

PACKAGES=(postfix dovecot-core dovecot-imapd dovecot-lmtpd knot knot-dnsutils nftables iproute2 swaks openssl dnsutils)

if [[ $(id -u) -ne 0 ]]; then
  echo "install.sh: must run as root (apt-get)" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  # dpkg -s succeeds for removed-but-not-purged packages too: check the status line.
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Postfix asks what kind of mail system this is: we configure our own private instance, so "No configuration".
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
echo "postfix postfix/mailname string mail.example.test" | debconf-set-selections

# Wait for another apt/dpkg run (e.g. a background install) instead of failing on the lock.
APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
apt-get "${APT_OPTS[@]}" update -qq
apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends "${missing[@]}"

# No init system runs these packaged daemons here, but if one did start a system instance, the lab does not need it.
# (The lab starts its own instances with private configs; see up.sh.)
exit 0
