#!/usr/bin/env bash
# test_ip_edges.sh - corners of IP that tshark reads its own way, one flow
# each in the generated ip_edges capture: an IPv6 jumbogram, BIG TCP in
# VXLAN with UDP length 0 (the outer UDP is the session), an IPv4 option
# past the header (read) and one shorter than its fields (a bad header),
# an IPv6 destination option past its header (a bad header), IPv6 behind
# ethertype 0x0800, WCCP in GRE with and without the redirect header, IPv6
# atomic fragments, and GTP-U in a fragmented outer datagram.  Sessions,
# packets and bytes are checked exactly and against tshark.
. "$(dirname "$0")/../lib.sh"

F=ip.proto,ip.src,ipv6.src,tcp.srcport,udp.srcport,ip.dst,ipv6.dst
F=$F,tcp.dstport,udp.dstport,packets,size
pcap=$(cap ip_edges)

run_hc "$T/out" "$T/err" -r "$pcap" --sessions --fields "$F"
check "ip_edges: exit status" 0 "$rc"
# key: "PROTO SRC:PORT DST:PORT PACKETS BYTES" per session, sorted.
awk -F'\t' '{ printf "%s %s:%s%s %s:%s%s %s %s\n", $1, $2 $3, $4, $5,
    $6 $7, $8, $9, $10, $11 }' "$T/out" | LC_ALL=C sort >"$T/got"
while read -r name want; do
	got=$(grep -F -- "${want% * *}" "$T/got")
	check "ip_edges: $name" "$want" "$got"
done <<'TAB'
jumbogram 6 2001:db8:e::1:40001 2001:db8:e::2:80 2 66156
bigtcp-vxlan 17 172.16.9.1:47044 172.16.9.2:4789 1 404
ipv4-options 17 10.9.3.1:5001 10.9.3.2:5002 3 157
ipv6-in-0x0800 17 2001:db8:e::11:5003 2001:db8:e::12:5004 1 71
wccp 6 10.9.5.1:1291 10.9.5.2:445 2 360
ipv6-dstopts 17 2001:db8:e::21:5005 2001:db8:e::22:5006 1 74
atomic-frag 17 2001:db8:e::31:5007 2001:db8:e::32:5008 2 152
gtp-frag 6 10.9.8.1:40000 10.9.8.2:80 2 1324
TAB
check "ip_edges: 8 sessions, no inner BIG TCP or GRE one" 8 \
    "$(wc -l <"$T/got")"
run_hc "$T/stats" "$T/err" -r "$pcap" --stats
check "ip_edges: two bad option headers are bad ip headers" 2 \
    "$(awk -F'\t' '$1 == "bad ip header" { print $2 }' "$T/stats")"
out=$("$TOP/tests/oracle.sh" "$HUNTCON" "$pcap" 2>&1)
case $out in
"oracle: "*" agree") ok "ip_edges: tshark agrees" ;;
*) notok "ip_edges: tshark agrees" "$out" ;;
esac
finish
