#!/usr/bin/env bash
# tests/package/install.sh: the Debian packages of build/deb/ installed on this machine (as
# root: CI's fresh machine), checked as an operator would find them, and removed again.
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "package test: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (it installs packages)"
ls build/deb/leamond_*.deb build/deb/leamon_*.deb >/dev/null || fail "no packages: make deb"
apt-get install -y -qq ./build/deb/leamond_*_"$(dpkg --print-architecture)".deb \
    ./build/deb/leamon_*_"$(dpkg --print-architecture)".deb >/dev/null
trap 'apt-get purge -y -qq leamond leamon >/dev/null 2>&1 || true' EXIT

for f in /usr/bin/leamond /usr/bin/leamon /lib/systemd/system/leamond.service \
    /etc/leamon/leamond.conf /etc/leamon/catalog.conf /etc/leamon/partners.conf; do
    [ -e "$f" ] || fail "$f not installed"
done
for page in leamon leamond leamond.conf leamon-catalog leamon-partners; do
    man -w "$page" >/dev/null 2>&1 || fail "man $page finds nothing"
done
dpkg-query -W -f='${Conffiles}\n' leamond | grep -q /etc/leamon/partners.conf ||
    fail "/etc/leamon/partners.conf is not a conffile"
grep -q '{ id = ' /etc/leamon/partners.conf && fail "the demo's partners were installed"
# Enabled, not started (no systemd here to ask: the link the postinst made).
[ -e /etc/systemd/system/multi-user.target.wants/leamond.service ] ||
    fail "the unit is not enabled"

# Configured as man leamond says: the daemon's key pair, then the check (as root, which
# reads the key file; under systemd the service reads its credential).
leamon keygen server --dir /etc/leamon >/dev/null
out=$(leamond --check -c /etc/leamon/leamond.conf 2>&1) || fail "leamond --check: $out"
# The service's view: the key as a credential of the same name, the file out of reach.
mkdir -p /tmp/leamon-cred && install -m 0600 /etc/leamon/server.key /tmp/leamon-cred/server.key
CREDENTIALS_DIRECTORY=/tmp/leamon-cred leamond --check -c /etc/leamon/leamond.conf |
    grep -q '^server_secret_key_file = "/tmp/leamon-cred/server.key";' ||
    fail "the credential is not read in place of the file"
rm -rf /tmp/leamon-cred
echo "$out" | grep -q '^database = "/var/lib/leamon/leamon.db";' || fail "--check printed: $out"
rm -f /etc/leamon/server.key /etc/leamon/server.pub
echo "package test: installed, man pages found, configuration checked, removed"
