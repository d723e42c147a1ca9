#!/usr/bin/env bash
#
# oracle.sh - compare huntcon's packets and bytes per session key with
# tshark's (SPEC §8, "correctness against tshark").
#
# Copyright (C) 2024 The huntcon authors.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage:
#	tests/oracle.sh HUNTCON PCAP [HUNTCON-ARGS...]
#	tests/oracle.sh - PCAP		print tshark's table only
#
# The key is canonical: "PROTO A B" with A < B (bytewise), where an
# endpoint is ADDR:PORT for TCP (6) and UDP (17) ([ADDR]:PORT for IPv6)
# and ADDR for every other protocol.  Output: one line per key that
# differs, then exit 1; or "oracle: N keys, P packets, B bytes agree" and
# exit 0.  Exit 2 on a usage error or when a tool fails.  The table mode
# prints "KEY<TAB>PACKETS<TAB>BYTES" sorted by key, then a "#" line with
# the number of frames tshark put in no session.
#
# tshark side: every frame's frame.len, summed per key of its innermost
# IP header: tunnels named in ORACLE_TUNNELS (default "gre vxlan gtp ip";
# "ip" is IP-in-IP and 6in4) are followed, nothing inside ICMP or any other
# protocol is.  IP reassembly is off, so the first fragment shows its ports;
# every fragment of a datagram (src, dst, id, protocol) goes to the key of
# the datagram's first fragment; when that fragment holds a followed
# tunnel (GTP-U, ERSPAN...), which tshark reads even without reassembly,
# the key is the inner packet's.  An IPv6 atomic fragment (offset 0, no
# more; RFC 6946) is a whole packet.  A datagram that tshark cannot
# reassemble (a second, two-pass run with reassembly on says which)
# counts as in no session, as huntcon counts it under "incomplete ip
# fragment".  Frames without both addresses of the
# innermost IP header, or TCP/UDP frames without both ports, are in no
# session; so are frames whose link layer (before the first IP header, or
# between a followed tunnel and its IP: ERSPAN, VN-Tag, Ethernet...) is not
# one of those huntcon reads (the lists in tshark_table).
#
# huntcon side: HUNTCON -r PCAP HUNTCON-ARGS... --sessions --fields
# ip.src,...,packets,size (TSV, no header); the sessions of a split
# conversation are summed under their key.
#
# Environment: TSHARK (default tshark), ORACLE_TUNNELS.

set -u
export LC_ALL=C

TSHARK=${TSHARK:-tshark}
TUNNELS=${ORACLE_TUNNELS-gre vxlan gtp ip}
FIELDS=ip.src,ip.dst,ipv6.src,ipv6.dst,ip.proto,tcp.srcport,tcp.dstport
FIELDS=$FIELDS,udp.srcport,udp.dstport,packets,size

usage() {
	echo "usage: oracle.sh HUNTCON PCAP [HUNTCON-ARGS...] | oracle.sh - PCAP" >&2
	exit 2
}

# The canonical key function both sides share.
KEYFN='
function ep(a, p) {
	if (p == "")
		return a
	return (a ~ /:/) ? "[" a "]:" p : a ":" p
}
function sesskey(proto, a, pa, b, pb,	x, y) {
	if (proto != 6 && proto != 17)
		pa = pb = ""
	x = ep(a, pa)
	y = ep(b, pb)
	return proto " " (x < y ? x " " y : y " " x)
}'

# Per-frame fields from tshark, reassembly off (one line per frame).
tshark_fields() {
	"$TSHARK" -n -r "$1" \
	    -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
	    -o tcp.desegment_tcp_streams:FALSE \
	    -T fields -E separator=/t -E occurrence=a -E aggregator=, \
	    -e frame.len -e frame.protocols \
	    -e ip.src -e ip.dst -e ip.proto -e ip.id -e ip.flags.mf \
	    -e ip.frag_offset \
	    -e ipv6.src -e ipv6.dst -e ipv6.nxt -e ipv6.hopopts.nxt \
	    -e ipv6.dstopts.nxt -e ipv6.routing.nxt -e ipv6.fraghdr.nxt \
	    -e ipv6.fraghdr.ident -e ipv6.fraghdr.offset \
	    -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport \
	    -e ah.next_header -e ipv6.fraghdr.more
}

# Per frame, 1 when it is part of a datagram tshark reassembled, else 0.
tshark_reassembled() {
	"$TSHARK" -2 -n -r "$1" -T fields -E separator=/t -E occurrence=a \
	    -e ip.reassembled_in -e ipv6.reassembled.in -e ip.fragment.count \
	    -e ipv6.fragment.count |
	    awk -F'\t' '{ print ($0 ~ /[0-9]/) ? 1 : 0 }'
}

# Sum tshark's frames per key: "KEY<TAB>PACKETS<TAB>BYTES", then "#" line.
# $1 is the file of reassembly flags, one line per frame.
tshark_table() {
	awk -F'\t' -v tunnels="$TUNNELS" -v reasm="$1" "$KEYFN"'
	# The nth comma-separated value of field f ("" when absent).
	function nth(f, n,	v, k) {
		k = split($f, v, ",")
		return (n >= 1 && n <= k) ? v[n] : ""
	}
	function truth(s) {
		return s == "1" || s == "True" || s == "true"
	}
	# The fragment group of the IP header walk() is at ("" when that
	# header is whole; an IPv6 atomic fragment, offset 0 and no more
	# fragments, is whole as RFC 6946 says); sets gfirst.
	function fraggroup(	id) {
		if (fam == 4 && (truth(nth(7, ki)) ||
		    (nth(8, ki) != "" && nth(8, ki) != 0))) {
			gfirst = nth(8, ki) == 0
			return 4 SUBSEP nth(3, ki) SUBSEP nth(4, ki) SUBSEP \
			    nth(6, ki) SUBSEP nth(5, ki)
		}
		if (fam == 6 && ext == "ipv6.fraghdr" &&
		    (nth(17, kext) != 0 || truth(nth(23, kext)))) {
			gfirst = nth(17, kext) == 0
			return 6 SUBSEP nth(9, ki) SUBSEP nth(10, ki) SUBSEP \
			    nth(16, kext) SUBSEP nth(15, kext)
		}
		return ""
	}
	# Walk frame.protocols to the innermost followed IP header; set fam
	# (4 or 6), ki (its occurrence), ext/kext (its last IPv6 extension
	# header and occurrence), l4/kl4 (tcp or udp and occurrence), og and
	# ofirst (the group of the outermost fragmented header before it: a
	# tunnel in a first fragment, which tshark reads without reassembly).
	function walk(	t, n, i, tok, c, after, inlink) {
		n = split($2, t, ":")
		fam = ki = kext = kl4 = inlink = 0
		ext = l4 = after = og = ""
		split("", c)
		for (i = 1; i <= n; i++) {
			tok = t[i]
			c[tok]++
			if (tok == "ip" || tok == "ipv6") {
				if (fam && after == "" && !follow["ip"])
					return
				if (fam && after != "" && after != "tunnel")
					return
				if (fam && og == "" && (og = fraggroup()) != "")
					ofirst = gfirst
				fam = tok == "ip" ? 4 : 6
				ki = c[tok]
				ext = l4 = after = ""
				continue
			}
			if (!fam) {
				# A link layer huntcon does not read: no session.
				# Some only as the link type (PPP also in PPPoE),
				# LLC only in 802.11 and FDDI.
				if (!(tok in linkok) ||
				    ((tok in firstonly) && i != 1 &&
				    !(tok == "ppp" && t[i - 1] == "pppoes") &&
				    !(tok == "chdlc" && t[i - 1] == "ppp")) ||
				    (tok == "llc" && t[i - 1] != "wlan" &&
				    t[i - 1] != "fddi"))
					return
				continue
			}
			if (after == "tunnel") {
				if (tok in innerlink) {
					inlink = 1
					continue
				}
				# Inside a followed tunnel but not IP: no session;
				# a tunnel huntcon does not follow: the outer one.
				if (inlink)
					fam = 0
				return
			}
			# huntcon skips AH in IPv6 like the other extensions.
			if (after == "" && (tok ~ /^ipv6\.(hopopts|dstopts|routing|fraghdr)$/ ||
			    (fam == 6 && tok == "ah"))) {
				ext = tok
				kext = c[tok]
				continue
			}
			if (after == "") {
				after = tok
				if (tok == "tcp" || tok == "udp") {
					l4 = tok
					kl4 = c[tok]
				} else if (tok == "gre" && follow["gre"])
					after = "tunnel"
				else
					return
				continue
			}
			if (after == "udp" || after == "tcp") {
				if ((tok == "vxlan" || tok == "gtp") && follow[tok])
					after = "tunnel"
				else
					return
			}
		}
		if (after == "tunnel" && inlink)
			fam = 0
	}
	BEGIN {
		split(tunnels, tl, " ")
		split("eth ethertype vlan ieee8021ad mpls pppoes ppp sll null loop raw" \
		    " vntag etag ieee8021ah nflog radiotap ppi pcap_pktdata wlan_radio" \
		    " wlan llc arcnet chdlc fr fddi ipoib ipnet pktap wpan 6lowpan", \
		    ll, " ")
		for (i in ll)
			linkok[ll[i]] = 1
		split("ppp chdlc fr arcnet nflog radiotap ppi fddi ipoib ipnet" \
		    " pktap wpan", fl, " ")
		for (i in fl)
			firstonly[fl[i]] = 1
		split("eth ethertype vlan mpls ppp erspan vntag etag", il, " ")
		for (i in il)
			innerlink[il[i]] = 1
		for (i in tl)
			follow[tl[i]] = 1
		f["ipv6.hopopts"] = 12; f["ipv6.dstopts"] = 13
		f["ipv6.routing"] = 14; f["ipv6.fraghdr"] = 15; f["ah"] = 22
	}
	{
		if ((getline flag < reasm) <= 0)
			flag = 0
		walk()
		if (!fam) {
			none++
			next
		}
		if (fam == 4) {
			src = nth(3, ki); dst = nth(4, ki); proto = nth(5, ki)
		} else {
			src = nth(9, ki); dst = nth(10, ki)
			proto = ext == "" ? nth(11, ki) : nth(f[ext], kext)
		}
		g = og != "" ? og : fraggroup()
		frag = g != ""
		first = og != "" ? ofirst : gfirst
		if (src == "" || dst == "" || proto == "") {
			none++
			next
		}
		sp = dp = ""
		if (l4 == "tcp" && proto == 6) {
			sp = nth(18, kl4); dp = nth(19, kl4)
		} else if (l4 == "udp" && proto == 17) {
			sp = nth(20, kl4); dp = nth(21, kl4)
		}
		ported = (proto != 6 && proto != 17) || (sp != "" && dp != "")
		if (frag) {
			gpk[g]++
			gby[g] += $1
			if (flag)
				gdone[g] = 1
			if (first && ported)
				gkey[g] = sesskey(proto, src, sp, dst, dp)
			next
		}
		if (!ported) {
			none++
			next
		}
		k = sesskey(proto, src, sp, dst, dp)
		pk[k]++
		by[k] += $1
	}
	END {
		for (g in gpk) {
			if ((g in gkey) && (g in gdone)) {
				pk[gkey[g]] += gpk[g]
				by[gkey[g]] += gby[g]
			} else
				none += gpk[g]
		}
		for (k in pk)
			printf "%s\t%.0f\t%.0f\n", k, pk[k], by[k] | "sort"
		close("sort")
		printf "# %.0f frames in no session\n", none
	}'
}

# Sum huntcon's sessions per key: "KEY<TAB>PACKETS<TAB>BYTES".
huntcon_table() {
	awk -F'\t' "$KEYFN"'
	NF < 11 {
		printf "oracle: bad huntcon line %d: %s\n", NR, $0 > "/dev/stderr"
		bad = 1
		next
	}
	{
		a = $1 != "" ? $1 : $3
		b = $2 != "" ? $2 : $4
		if ($6 != "" || $7 != "")
			k = sesskey($5, a, $6, b, $7)
		else
			k = sesskey($5, a, $8, b, $9)
		pk[k] += $10
		by[k] += $11
	}
	END {
		for (k in pk)
			printf "%s\t%.0f\t%.0f\n", k, pk[k], by[k] | "sort"
		close("sort")
		exit bad
	}'
}

[ $# -ge 2 ] || usage
huntcon=$1
pcap=$2
shift 2
[ -r "$pcap" ] || { echo "oracle: $pcap: cannot read" >&2; exit 2; }

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# tshark's messages (a file cut short, say), shown when the result is not
# a plain agreement.
tshark_said() {
	grep -v -e 'Running as user "root"' "$tmp/tshark.err" |
	    sed 's/^/oracle: tshark: /' >&2
}

# A file tshark cannot read at all leaves nothing to compare with.
if ! tshark_fields "$pcap" >"$tmp/fields" 2>"$tmp/tshark.err" &&
    [ ! -s "$tmp/fields" ]; then
	tshark_said
	echo "oracle: tshark cannot read $pcap" >&2
	exit 2
fi
# The second pass is only needed when there are fragments.
if grep -qE 'ipv6\.fraghdr|	(1|True)	[0-9]+	' "$tmp/fields" ||
    awk -F'\t' '$8 ~ /[1-9]/ { f = 1 } END { exit !f }' "$tmp/fields"; then
	tshark_reassembled "$pcap" >"$tmp/reasm" 2>/dev/null
else
	: >"$tmp/reasm"
fi
tshark_table "$tmp/reasm" <"$tmp/fields" >"$tmp/tshark" || exit 2

if [ "$huntcon" = - ]; then
	tshark_said
	cat "$tmp/tshark"
	exit 0
fi

if ! "$huntcon" -r "$pcap" "$@" --sessions --fields "$FIELDS" \
    >"$tmp/out" 2>"$tmp/huntcon.err"; then
	sed 's/^/oracle: huntcon: /' "$tmp/huntcon.err" >&2
	echo "oracle: $huntcon failed on $pcap" >&2
	tshark_said
	exit 2
fi
huntcon_table <"$tmp/out" >"$tmp/huntcon" || exit 2

grep -v '^#' "$tmp/tshark" >"$tmp/t"
awk -F'\t' '
	FILENAME == ARGV[1] {
		tp[$1] = $2; tb[$1] = $3
		next
	}
	{
		hp[$1] = $2; hb[$1] = $3
	}
	END {
		for (k in tp) {
			if (!(k in hp))
				printf "%s: tshark %.0f packets %.0f bytes, huntcon none\n", k, tp[k], tb[k]
			else if (tp[k] != hp[k] || tb[k] != hb[k])
				printf "%s: tshark %.0f packets %.0f bytes, huntcon %.0f packets %.0f bytes\n", k, tp[k], tb[k], hp[k], hb[k]
			else {
				n++; p += tp[k]; b += tb[k]
				continue
			}
			bad = 1
		}
		for (k in hp) {
			if (!(k in tp)) {
				printf "%s: tshark none, huntcon %.0f packets %.0f bytes\n", k, hp[k], hb[k]
				bad = 1
			}
		}
		if (!bad)
			printf "oracle: %d keys, %.0f packets, %.0f bytes agree\n", n, p, b
		exit bad
	}' "$tmp/t" "$tmp/huntcon" | sort
status=${PIPESTATUS[0]}
[ "$status" = 0 ] || tshark_said
exit "$status"
