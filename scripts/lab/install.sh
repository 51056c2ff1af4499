#!/usr/bin/env bash
# Install the Debian packages the sendcheck lab needs (Postfix, Dovecot, Knot, nftables, ...).
# Fast when everything is already installed: only `dpkg -s` is run; `apt-get update` only if something is missing.
set -euo pipefail

# libnet-ssleay-perl: swaks needs it for --tls/--tls-on-connect (only a Recommends, skipped by --no-install-recommends).
# dovecot-sieve: Sieve for LMTP (spam-flagged mail into Junk). opendkim (+ opendkim-tools for opendkim-genkey/-testkey):
# the milter that signs submitted mail and adds Authentication-Results on the lab's second smtpd hop.
# chromium: the web page's browser tests (test/ui/page.test.ts, driven by playwright-core).
# xz-utils, zip, util-linux (unshare), wine64: the single executables' tests (test/reach/): archives, a mount namespace
# without Node, and the Windows binary under Wine. prometheus (with promtool): the exporter scraped for real (test/exporter/).
# zsh, fish: `sendcheck completion zsh|fish` is loaded and asked for completions by the shells themselves
# (test/check/cli-options.test.ts); util-linux also gives `script`, the pseudo-terminal of the progress tests.
PACKAGES=(postfix dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd dovecot-sieve knot knot-dnsutils nftables iproute2 swaks
  openssl dnsutils libnet-ssleay-perl opendkim opendkim-tools chromium xz-utils zip unzip util-linux wine64 prometheus zsh fish)

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
# Keep the packages' own init scripts from starting system-wide daemons (a system Postfix/Dovecot would listen on
# 0.0.0.0:25/143/993 and collide with the lab): a temporary policy-rc.d, unless the machine already has one.
POLICY=/usr/sbin/policy-rc.d
if [[ ! -e $POLICY ]]; then
  printf '#!/bin/sh\n# temporary, scripts/lab/install.sh\nexit 101\n' > "$POLICY"
  chmod 0755 "$POLICY"
  trap 'rm -f "$POLICY"' EXIT
fi

apt-get "${APT_OPTS[@]}" update -qq
apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends "${missing[@]}"
exit 0
