#!/usr/bin/env bash
# test_oracle.sh - per session key, packets and bytes equal tshark's
# per-frame figures summed by the same key (SPEC §8), on every generated
# capture and, when ../shared/corpus exists, on its captures.  Files one of
# the tools cannot read at all (a link type tshark lacks, an empty file) are
# skipped in the corpus and fail for generated captures.
. "$(dirname "$0")/../lib.sh"

# one KIND NAME PCAP: run one comparison, print its result line.
one() {
	local kind=$1 name=$2 pcap=$3 out rc=0
	out=$("$TOP/tests/oracle.sh" "$HUNTCON" "$pcap" 2>&1) || rc=$?
	if [ "$rc" = 0 ]; then
		echo "ok - oracle $name: ${out#oracle: }"
	elif [ "$rc" = 2 ] && [ "$kind" = corpus ]; then
		echo "# skip oracle $name: $(echo "$out" | tail -1)"
	else
		echo "not ok - oracle $name"
		echo "$out" | head -20 | sed 's/^/    /'
	fi
}
export -f one
export TOP HUNTCON

list=$T/list
for s in basic split_time split_size lt_en10mb lt_sll lt_sll2 lt_raw \
    lt_raw12 lt_raw14 lt_ipv4 lt_ipv6 lt_null lt_loop enc_vlan enc_qinq \
    enc_mpls enc_pppoe enc_gre enc_ipip enc_6in4 enc_vxlan enc_gtpu frags \
    malformed pcapng_basic ns_basic icmp_tunnel dns_tunnel escapes demo \
    tcp_shuffle lt_nflog lt_wlan lt_radiotap lt_frelay enc_vntag \
    enc_erspan2 enc_erspan3 lt_lowpan; do
	printf 'gen\t%s\t%s\n' "$s" "$(cap "$s")"
done >"$list"
# Corpus files up to 4 MB of the tunnel, link-type and Arkime folders.
# (benign/ holds evasion and jumbogram captures where huntcon and tshark
# differ by design: see src/DESIGN.md.)
if [ -d "$CORPUS" ]; then
	for f in "$CORPUS"/icmp_tunnel/*.pcap "$CORPUS"/dns_tunnel/*.pcap \
	    "$CORPUS"/linktypes/*.pcap \
	    "$CORPUS"/linktypes/*.pcapng "$CORPUS"/arkime_tests/*.pcap; do
		case $f in
		*ip_secopt*|*bigtcp-*) continue ;;
		esac
		[ -f "$f" ] && [ "$(stat -c %s "$f")" -le 4194304 ] &&
			printf 'corpus\tcorpus/%s\t%s\n' "${f#"$CORPUS"/}" "$f"
	done >>"$list"
fi
# Two at a time: tshark dominates and the machine has two cores.
tr '\n' '\0' <"$list" | xargs -0 -n1 -P"$(nproc)" bash -c \
    'IFS=$(printf "\t") read -r k n p <<<"$1"; one "$k" "$n" "$p"' _ >"$T/out"
cat "$T/out"
grep -q '^not ok' "$T/out" && _failed=1
finish
