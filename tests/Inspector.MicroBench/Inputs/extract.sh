#!/usr/bin/env bash
# Re-creates the benchmark inputs from the committed captures with tshark: one control
# connection per file, one TCP segment (or FIN/RST) per line, as
#   <microseconds since the first packet> <c|s> <payload hex | FIN | RST>
# where c is the client's direction and s the server's. The benchmarks replay these bytes, so
# what they measure is real client and server output, not invented data.
set -euo pipefail
cd "$(dirname "$0")"
captures=../../../captures

extract() { # capture server-port output
    {
        echo "# $1, the control connection to port $2 (extracted by extract.sh; do not edit)"
        tshark -n -r "$captures/$1" -Y "tcp.port == $2 && (tcp.len > 0 || tcp.flags.fin == 1 || tcp.flags.reset == 1)" \
            -T fields -E separator=' ' -e frame.time_relative -e tcp.srcport -e tcp.flags.fin -e tcp.flags.reset -e tcp.payload \
        | awk -v port="$2" '{
            us = sprintf("%.0f", $1 * 1000000)
            dir = ($2 == port) ? "s" : "c"
            if ($5 != "") print us, dir, $5
            if ($3 == "1" || $3 == "True") print us, dir, "FIN"
            if ($4 == "1" || $4 == "True") print us, dir, "RST"
        }'
    } > "$3"
}

# Plain FTP by lftp: banner, FEAT (one reply line per segment), CLNT, USER, PASS, PASV, LIST, PORT, RETR, QUIT.
extract ftp-plain-pasv-port-lftp-proftpd.pcap 2171 ftp-plain-lftp-proftpd.txt
# Explicit FTPS by lftp/GnuTLS: FEAT, AUTH TLS, a TLS 1.3 ClientHello with 13 extensions, then encrypted records.
extract ftps-lftp-vsftpd.pcap 2136 ftps-lftp-vsftpd.txt
# curl --tls-max 1.2: a TLS 1.2 ClientHello, the server's clear ServerHello/Certificate flight, an alert.
extract ftps-cert-rejected-tls12-curl-proftpd.pcap 2140 ftps-tls12-curl-proftpd.txt
