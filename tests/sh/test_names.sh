#!/usr/bin/env bash
# test_names.sh - host names as tshark shows them: DNS responses cut by the
# snap length or malformed after the question, reverse lookups (and the
# address they ask about), HTTP Hosts that are addresses, mDNS, LLMNR and
# NetBIOS names (their own services, not judged as unicast DNS); each
# capture's alias.host values equal the names tshark shows.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$(dirname "$0")/../lib.sh"

fields=udp.srcport,tcp.srcport,service,alias.host,alias.ip,alias.ipv6,analysis.service

# sessions NAME CAPTURE EXPECTED: the sessions' fields, with and without
# the parsers' thread.
sessions() {
	local thread
	for thread in 0 1; do
		run_hc "$T/out" "$T/err" -r "$2" -R none \
		    --set parse.thread=$thread --sessions --fields "$fields"
		check "$1 (thread=$thread): exit 0" 0 "$rc"
		check_file "$1 (thread=$thread)" "$3" "$T/out"
	done
}

# tshark_names CAPTURE: the host names tshark shows (DNS question and
# answer owner names, HTTP Hosts that are not addresses, without the port,
# NetBIOS names without their <suffix>, TLS and QUIC SNI), lower case, one
# each.
tshark_names() {
	tshark -r "$1" -T fields -E aggregator='|' -e dns.qry.name \
	    -e dns.resp.name -e http.host -e nbns.name \
	    -e tls.handshake.extensions_server_name 2>/dev/null |
	    tr '\t|' '\n\n' | sed -e 's/<[0-9a-f][0-9a-f]>\( (.*)\)\{0,1\}$//' \
	    -e 's/:[0-9]*$//' | grep -v -E '^$|^[0-9.]+$|^\[' |
	    tr 'A-Z' 'a-z' | sort -u
}

# compare NAME CAPTURE: alias.host values equal tshark's names.
compare() {
	local ours theirs
	ours=$("$HUNTCON" -r "$2" -R none --values alias.host | cut -f2- |
	    tr 'A-Z' 'a-z' | sort -u)
	theirs=$(tshark_names "$2")
	check "$1: alias.host equals tshark's names" "$theirs" "$ours"
}

tab=$(printf '\t')

# A response cut inside its answers keeps its question and the whole
# answers before the cut; one cut inside its second question keeps the
# first (it was dropped as not DNS); one whose second answer is malformed
# keeps the first; a TCP response cut by the snap length keeps its
# question (also without its query).
pcap=$(cap dns_snap)
sessions "snapped DNS" "$pcap" "40001${tab}${tab}53${tab}snap.example.com${tab}192.0.2.1${tab}${tab}
40002${tab}${tab}53${tab}one.example.com${tab}${tab}${tab}
40003${tab}${tab}53${tab}bad.example.com${tab}192.0.2.5${tab}${tab}
${tab}40004${tab}53${tab}tcp.example.com${tab}${tab}${tab}
${tab}40005${tab}53${tab}tcp2.example.com${tab}${tab}${tab}"
compare "snapped DNS" "$pcap"

# Reverse lookups: the name as asked, and the address it asks about when
# it names one (not a zone, not 999); ip6.arpa names are not 'long'.
pcap=$(cap dns_reverse)
sessions "reverse lookups" "$pcap" "40101${tab}${tab}53${tab}34.216.184.93.in-addr.arpa${tab}93.184.216.34${tab}${tab}
40102${tab}${tab}53${tab}1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa${tab}${tab}2001:db8::1${tab}
40103${tab}${tab}53${tab}216.184.93.in-addr.arpa${tab}${tab}${tab}
40104${tab}${tab}53${tab}999.1.168.192.in-addr.arpa${tab}${tab}${tab}"
compare "reverse lookups" "$pcap"

# An HTTP Host that is an address goes to alias.ip or alias.ipv6 (without
# port or brackets) and still says 'direct to ip http request'.
pcap=$(cap http_iphost)
sessions "HTTP Host addresses" "$pcap" "${tab}50300${tab}80${tab}${tab}10.1.2.3${tab}${tab}http no referer,direct to ip http request
${tab}50301${tab}80${tab}${tab}10.1.2.3${tab}${tab}http no referer,direct to ip http request
${tab}50302${tab}80${tab}${tab}${tab}2001:db8::1${tab}http no referer,direct to ip http request
${tab}50303${tab}80${tab}www.example.com${tab}${tab}${tab}http no referer"
compare "HTTP Host addresses" "$pcap"
check "tshark's IPv4 Hosts are alias.ip" \
	"$(tshark -r "$pcap" -T fields -e http.host 2>/dev/null |
	    sed -n 's/^\([0-9.]\{7,\}\)\(:[0-9]*\)\{0,1\}$/\1/p' | sort -u)" \
	"$("$HUNTCON" -r "$pcap" -R none --values alias.ip | cut -f2)"

# mDNS (service 5353), LLMNR (5355) and NetBIOS name service (137): their
# names, and no unicast-DNS tunnel indicator for a long, spaced instance
# label or a TTL 0 goodbye.
pcap=$(cap local_names)
long='Living Room Speaker with a rather long instance name 0123._googlecast._tcp.local'
sessions "link-local names" "$pcap" "5353${tab}${tab}5353${tab}_googlecast._tcp.local,${long}${tab}${tab}${tab}
5353${tab}${tab}5353${tab}_googlecast._tcp.local,speaker-livingroom.local${tab}10.4.0.9${tab}${tab}
52000${tab}${tab}5355${tab}fileserver${tab}${tab}${tab}
5355${tab}${tab}5355${tab}fileserver${tab}10.4.0.20${tab}${tab}
137${tab}${tab}137${tab}WORKGROUP,<01><02>__MSBROWSE__<02>${tab}${tab}${tab}
137${tab}${tab}137${tab}FILESERVER${tab}${tab}${tab}"
compare "link-local names" "$pcap"

# QUIC: the client Initials of RFC 9001 (v1) and RFC 9369 (v2), decrypted:
# SNI, version and ALPN, and service 443 by content; an Initial cut by the
# snap length is still QUIC.  (tshark 4.0 reads the v2 one's header but
# not its ClientHello.)
pcap=$(cap quic_initial)
fields=udp.srcport,service,alias.host,version,alpn
sessions "QUIC Initial" "$pcap" "51001${tab}443${tab}${tab}quic v1${tab}
51000${tab}443${tab}example.com${tab}quic v1${tab}alpn
51002${tab}443${tab}example.com${tab}quic v2${tab}alpn"
compare "QUIC Initial" "$pcap"
check "QUIC: ALPN as tshark shows it" \
	"$(tshark -r "$pcap" -T fields -e tls.handshake.extensions_alpn_str \
	    2>/dev/null | grep -v '^$' | sort -u)" \
	"$("$HUNTCON" -r "$pcap" -R none --values alpn | cut -f2)"

finish
