#!/usr/bin/env bash
# Installs what the test suite uses on Debian: tshark (the reference decoder), tcpdump and
# libpcap, ssldump (a peer in the read benchmark), real FTP servers (proftpd with mod_tls,
# pyftpdlib; vsftpd and pure-ftpd unpacked beside proftpd because apt will not install them
# together) and real clients.
# Needs root (or sudo). Safe to run again: it skips what is already there.
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

packages=(libpcap0.8 tcpdump tshark ssldump proftpd-core proftpd-mod-crypto python3 python3-pyftpdlib python3-openssl
          lftp curl openssl iproute2 libwrap0 libsodium23 libcap2 socat tmux nftables)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    [ -n "${APT_UPDATED:-}" ] || $SUDO apt-get update -qq
    # tshark asks whether non-root users may capture; answer before installing.
    echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

servers="${INSPECTOR_SERVERS_DIR:-/opt/inspector-test-servers}"
if [ ! -x "$servers/usr/sbin/vsftpd" ] || [ ! -x "$servers/usr/sbin/pure-ftpd" ]; then
    echo "unpacking vsftpd and pure-ftpd into $servers"
    work=$(mktemp -d)
    (cd "$work" && apt-get download vsftpd pure-ftpd >/dev/null)
    $SUDO mkdir -p "$servers"
    for deb in "$work"/*.deb; do $SUDO dpkg-deb -x "$deb" "$servers"; done
    rm -rf "$work"
fi
