#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs and starts the real components (Postfix, Dovecot, Knot,
# nftables), builds, runs every test, then checks that every finding code was produced by some test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "the suite needs root (it installs packages, starts Postfix/Dovecot/Knot and creates network namespaces)" >&2
  exit 2
fi
[ -d node_modules ] || npm ci
bash scripts/lab/up.sh
trap 'bash scripts/lab/down.sh >/dev/null 2>&1 || true' EXIT
npm run build
npm run typecheck
rm -rf .lab/codes-seen
npx vitest run "$@"
if [ $# -eq 0 ]; then node scripts/check-finding-coverage.mjs; fi
