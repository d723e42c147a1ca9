#!/usr/bin/env bash
# test_links.sh - link types and encapsulations beyond Ethernet: NFLOG,
# 802.11 (plain, and radiotap with QoS and HT control), Frame Relay with
# OSPFv3 to ff02::5, VN-Tag, ERSPAN II and III, 6LoWPAN on 802.15.4.  Each generated capture
# holds the standard set; its sessions, packets and bytes are checked
# exactly and against tshark (tests/oracle.sh).
. "$(dirname "$0")/../lib.sh"

F=ip.src,ip.dst,ipv6.src,ipv6.dst,ip.proto,packets,size

# totals NAME: "SESSIONS PACKETS BYTES" of huntcon's sessions.
totals() {
	"$HUNTCON" -r "$(cap "$1")" --sessions --fields packets,size |
	    awk -F'\t' '{ n++; p += $1; b += $2 } END { print n + 0, p + 0, b + 0 }'
}

# stat NAME LINE: a --stats figure.
stat() {
	"$HUNTCON" -r "$(cap "$1")" --stats | awk -F'\t' -v k="$2" '$1 == k { print $2 }'
}

# The standard set: 6 sessions, 48 packets; bytes depend on the framing.
while read -r name want; do
	check "$name: sessions, packets, bytes" "$want" "$(totals "$name")"
	enc=$(stat "$name" "encrypted frame")
	check "$name: every IP packet assigned" "$(stat "$name" read)" \
	    "$(($(stat "$name" assigned) + ${enc:-0}))"
	out=$("$TOP/tests/oracle.sh" "$HUNTCON" "$(cap "$name")" 2>&1)
	case $out in
	"oracle: "*" agree") ok "$name: tshark agrees" ;;
	*) notok "$name: tshark agrees" "$out" ;;
	esac
done <<'EOF'
lt_nflog 6 48 10932
lt_wlan 6 48 11316
lt_radiotap 6 48 11984
lt_frelay 8 54 10452
enc_vntag 6 48 10740
enc_erspan2 6 48 12852
enc_erspan3 6 48 13228
lt_lowpan 4 14 853
EOF

# NFLOG has no link addresses: medium 13, no eth.src.
check "nflog: medium, no ethernet" "13	" "$("$HUNTCON" -r "$(cap lt_nflog)" \
    --sessions --fields medium,eth.src -q 'ip.proto = 6 && ip.src exists')"

# 802.11: eth.src and eth.dst are SA and DA (address 2 and 3 towards the AP,
# 1 and 3 from it), as tshark's wlan.sa and wlan.da of the first frame.
for name in lt_wlan lt_radiotap; do
	want=$(tshark -r "$(cap "$name")" -c 1 -T fields -E separator=/t \
	    -e wlan.sa -e wlan.da 2>/dev/null)
	check "$name: eth.src, eth.dst are SA, DA" "1	$want	2048" \
	    "$("$HUNTCON" -r "$(cap "$name")" --sessions \
	    --fields medium,eth.src,eth.dst,eth.type -q 'tcp.dstport = 80')"
done
check "wlan: protected frames counted apart" 2 "$(stat lt_wlan "encrypted frame")"

# OSPFv3 hellos to ff02::5 are sessions like any IP protocol.
check "frame relay: ospfv3 to ff02::5" "		fe80::1	ff02::5	89	3	240
		fe80::2	ff02::5	89	3	240" \
    "$("$HUNTCON" -r "$(cap lt_frelay)" --sessions --fields "$F" -q 'ip.proto = 89')"

# ERSPAN: the mirrored frame is the session, not the GRE carrying it.
for name in enc_erspan2 enc_erspan3; do
	check "$name: inner http session" "10.0.0.5	93.184.216.34			6	13" \
	    "$("$HUNTCON" -r "$(cap "$name")" --sessions \
	    --fields "${F%,size}" -q 'tcp.dstport = 80')"
	check "$name: no gre session" "" "$("$HUNTCON" -r "$(cap "$name")" \
	    --sessions --fields ip.src -q 'ip.proto = 47')"
done

# 6LoWPAN: addresses from the MAC (fe80::ff:fe00:10), ff02::1 from one
# byte, ports 0xf0b1/0xf0b2 from one nibble each, payload from the frame.
check "6lowpan: iphc sessions" "fe80::ff:fe00:10	fe80::ff:fe00:20	17	61617	61618	6	219	57
2001:db8::1	2001:db8::2	17	5683	5683	2	152	26
fe80::1	fe80::2	58			4	416	224
fe80::ff:fe00:10	ff02::1	17	5683	5683	2	66	16" \
    "$("$HUNTCON" -r "$(cap lt_lowpan)" --sessions \
    --fields ipv6.src,ipv6.dst,ip.proto,udp.srcport,udp.dstport,packets,size,payload)"

# VN-Tag: eth.type stays the outer type (0x8926).
check "vn-tag: eth.type" "35110" "$("$HUNTCON" -r "$(cap enc_vntag)" \
    --sessions --fields eth.type -q 'udp.dstport = 53 && ip.src exists')"
finish
