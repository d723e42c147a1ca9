#!/usr/bin/env bash
# test_oracle.sh - per session key, packets and bytes equal tshark's
# per-frame figures summed by the same key (SPEC §8), on every generated
# capture and, when ../shared/corpus exists, on its captures.  Files one of
# the tools cannot read at all (a link type tshark lacks, an empty file) are
# skipped in the corpus and fail for generated captures.
#
# make check runs the tunnel, link-type and Arkime folders, and of benign/
# the captures that once differed plus every 10th of the rest (by name);
# ORACLE_CORPUS=full (make check-corpus) runs every capture of linktypes/,
# benign/ and arkime_tests/.  The captures where huntcon differs from tshark
# by design are listed in known() with the reason; for them the oracle's
# difference must be exactly the one listed.
. "$(dirname "$0")/../lib.sh"

# known NAME: for a capture where huntcon differs from tshark by design,
# the reason, a tab, then the oracle's lines (one per differing key).
known() {
	local m='tshark 46 packets 68748 bytes, huntcon none' t=$'\t'
	case $1 in
	corpus/benign/tcpdump__pptp.pcap)
		echo "LCP in PPTP GRE stays a GRE session, as encrypted" \
		    "PPP does (src/DESIGN.md)${t}47 10.1.1.10 10.1.1.11:" \
		    "tshark none, huntcon 1 packets 94 bytes" ;;
	corpus/benign/zeek__ipv6-reassembly-state-leak.pcap)
		echo "fragments 1 s apart over 46 s outlive the 30 s" \
		    "reassembly timeout; tshark has none${t}17" \
		    "[2001:db8::1]:0 [2001:db8::2]:0: $m"
		echo "17 [2001:db8::1]:257 [2001:db8::2]:257: $m" ;;
	esac
}

# one KIND NAME PCAP: run one comparison, print its result line.
one() {
	local kind=$1 name=$2 pcap=$3 out rc=0 k
	out=$("$TOP/tests/oracle.sh" "$HUNTCON" "$pcap" 2>&1) || rc=$?
	k=$(known "$name")
	if [ -n "$k" ] && [ "$rc" = 1 ] && [ "$out" = "${k#*$'\t'}" ]; then
		echo "ok - oracle $name: known difference: ${k%%$'\t'*}"
	elif [ -n "$k" ]; then
		echo "not ok - oracle $name: known difference changed"
		echo "$out" | head -20 | sed 's/^/    /'
	elif [ "$rc" = 0 ]; then
		echo "ok - oracle $name: ${out#oracle: }"
	elif [ "$rc" = 2 ] && [ "$kind" = corpus ]; then
		echo "# skip oracle $name: $(echo "$out" | tail -1)"
	else
		echo "not ok - oracle $name"
		echo "$out" | head -20 | sed 's/^/    /'
	fi
}
export -f one known
export TOP HUNTCON

list=$T/list
for s in basic split_time split_size lt_en10mb lt_sll lt_sll2 lt_raw \
    lt_raw12 lt_raw14 lt_ipv4 lt_ipv6 lt_null lt_loop enc_vlan enc_qinq \
    enc_mpls enc_pppoe enc_gre enc_ipip enc_6in4 enc_vxlan enc_gtpu frags \
    malformed pcapng_basic ns_basic icmp_tunnel dns_tunnel escapes demo \
    tcp_shuffle lt_nflog lt_wlan lt_radiotap lt_frelay enc_vntag \
    enc_erspan2 enc_erspan3 lt_lowpan ip_edges; do
	printf 'gen\t%s\t%s\n' "$s" "$(cap "$s")"
done >"$list"
# benign/ captures that once differed from tshark: always run.
BENIGN_ONCE="tcpdump__bigtcp-ipv4-vxlan-ipv4.pcap
tcpdump__bigtcp-ipv4-vxlan-ipv6.pcap tcpdump__bigtcp-ipv6-hbh.pcap
tcpdump__ipv6_jumbogram_1.pcap tcpdump__kday1.pcap tcpdump__kday3.pcap
tcpdump__pptp.pcap tcpdump__wccp_redirect_gre.pcap
suricata__bug-7414-decoder-event-01__ip_secopt.pcap zeek__erspan.pcap
zeek__ipv6-mobility-dst-opts.pcap zeek__ipv6-http-atomic-frag.pcap
zeek__ipv6-reassembly-state-leak.pcap
zeek__tunnels__gtp__gtp1_gn_normal_incl_fragmentation.pcap
zeek__tunnels__gtp__gtp2_different_udp_port.pcap
zeek__tunnels__gtp__gtp9_unknown_or_too_short_payload.pcap
zeek__tunnels__gtp__gtp_ext_header.pcap"
# The corpus: the tunnel folders, link types, Arkime's captures and
# benign/'s chosen ones, or (full) everything in linktypes, benign, arkime.
if [ -d "$CORPUS" ]; then
	full=false
	LC_COLLATE=C
	[ "${ORACLE_CORPUS:-}" = full ] && full=true
	i=0
	for f in "$CORPUS"/icmp_tunnel/*.pcap "$CORPUS"/dns_tunnel/*.pcap \
	    "$CORPUS"/linktypes/*.pcap "$CORPUS"/linktypes/*.pcapng \
	    "$CORPUS"/arkime_tests/*.pcap "$CORPUS"/benign/*; do
		[ -f "$f" ] || continue
		n=${f#"$CORPUS"/}
		case $n in
		*.txt|*.test|*.out|*/README*) continue ;;
		benign/*)
			i=$((i + 1))
			$full || [ $((i % 10)) = 1 ] ||
			    case " $BENIGN_ONCE " in
			    *[[:space:]]"${n#benign/}"[[:space:]]*) ;;
			    *) continue ;;
			    esac ;;
		esac
		printf 'corpus\tcorpus/%s\t%s\n' "$n" "$f"
	done >>"$list"
fi
# Two at a time: tshark dominates and the machine has two cores.
tr '\n' '\0' <"$list" | xargs -0 -n1 -P"$(nproc)" bash -c \
    'IFS=$(printf "\t") read -r k n p <<<"$1"; one "$k" "$n" "$p"' _ >"$T/out"
cat "$T/out"
grep -q '^not ok' "$T/out" && _failed=1
finish
