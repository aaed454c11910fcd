#!/usr/bin/env bash
# tls-certs.sh — makes the throwaway certificates of a TLS test server with openssl.
#
#   scripts/tls-certs.sh <dir>
#
# Writes into <dir> (created if missing):
#   ca.crt, ca.key          a self-signed CA ("es_fdw test CA")
#   node.crt, node.key      the server's certificate, issued by the CA for DNS:localhost and IP:127.0.0.1
#   node-chain.crt          node.crt followed by ca.crt: what the server sends, so that a client can pin
#                           the CA by its fingerprint (as Elasticsearch's auto-configured http.p12 does)
#   client.crt, client.key  a client certificate issued by the CA for CN=esfdw_pki (mutual TLS); its key
#                           is RSA in PKCS#1 form, as elasticsearch-certutil writes keys
# Keys are unencrypted test fixtures. ca.key and node.key are private to the caller; the certificates and
# client.key are world-readable, so that the PostgreSQL server's user can use them in tests.
# Certificates are valid for 30 days.
set -euo pipefail

die() { echo "tls-certs.sh: error: $*" >&2; exit 1; }

[[ $# -eq 1 ]] || { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
command -v openssl >/dev/null || die "openssl not found (apt-get install openssl)"
dir=$1
mkdir -p "$dir"
cd "$dir"
umask 077

ossl() { openssl "$@" 2>/dev/null || die "openssl $1 failed in $dir"; }
ec_key() { ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

# issue <name> <subject> <extensions>: a certificate signed by the CA for <name>.key
issue() {
    printf '%s\n' "$3" >"$1.ext"
    ossl req -new -key "$1.key" -subj "$2" -out "$1.csr"
    ossl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
        -days 30 -sha256 -extfile "$1.ext" -out "$1.crt"
    rm -f "$1.csr" "$1.ext"
}

ec_key ca.key
ossl req -x509 -new -key ca.key -subj "/CN=es_fdw test CA" -days 30 -sha256 -out ca.crt \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

ec_key node.key
issue node "/CN=esfdw test node" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1"
cat node.crt ca.crt >node-chain.crt

ossl genrsa -traditional -out client.key 2048
issue client "/CN=esfdw_pki" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"

chmod 644 ca.crt node.crt node-chain.crt client.crt client.key
