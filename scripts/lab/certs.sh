#!/usr/bin/env bash
# Create a throwaway test CA and a server certificate for mail.example.test in $REPO/.lab/certs.
# Regenerated at every lab start (called by up.sh). Output:
#   ca.pem / ca.key          test CA (CN=sendcheck lab test CA)
#   server.pem / server.key  leaf for mail.example.test, SAN DNS:mail.example.test, DNS:localhost, IP:127.0.0.20
#   server-chain.pem         leaf followed by CA (what the servers present)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
CERTS=${1:-$REPO/.lab/certs}
DAYS=${LAB_CERT_DAYS:-30}

mkdir -p "$CERTS"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# CA
openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days "$DAYS" \
  -subj "/O=sendcheck lab/CN=sendcheck lab test CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" \
  -keyout "$tmp/ca.key" -out "$tmp/ca.pem" 2>/dev/null

# Server key + CSR
openssl req -new -newkey rsa:2048 -nodes -sha256 \
  -subj "/O=sendcheck lab/CN=mail.example.test" \
  -keyout "$tmp/server.key" -out "$tmp/server.csr" 2>/dev/null

cat > "$tmp/server.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:mail.example.test,DNS:localhost,IP:127.0.0.20
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid,issuer
EXT

openssl x509 -req -sha256 -days "$DAYS" -in "$tmp/server.csr" \
  -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -set_serial "0x$(openssl rand -hex 8)" \
  -extfile "$tmp/server.ext" -out "$tmp/server.pem" 2>/dev/null

openssl verify -CAfile "$tmp/ca.pem" "$tmp/server.pem" >/dev/null

cat "$tmp/server.pem" "$tmp/ca.pem" > "$tmp/server-chain.pem"
chmod 0644 "$tmp"/*.pem
chmod 0600 "$tmp"/*.key
for f in ca.pem ca.key server.pem server.key server-chain.pem; do
  mv -f "$tmp/$f" "$CERTS/$f"
done
