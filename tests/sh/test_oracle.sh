#!/usr/bin/env bash
# test_oracle.sh - per session key, packets and bytes equal tshark's
# per-frame figures summed by the same key (SPEC §8), on every generated
# capture and, when ../shared/corpus exists, on its captures.
. "$(dirname "$0")/../lib.sh"

# oracle NAME PCAP [ARGS...]: one comparison as one test.
oracle() {
	local name=$1 out
	shift
	if out=$("$TOP/tests/oracle.sh" "$HUNTCON" "$@" 2>&1); then
		ok "oracle $name: ${out#oracle: }"
	else
		notok "oracle $name" "$out"
	fi
}

for s in basic split_time split_size lt_en10mb lt_sll lt_sll2 lt_raw \
    lt_raw12 lt_raw14 lt_ipv4 lt_ipv6 lt_null lt_loop enc_vlan enc_qinq \
    enc_mpls enc_pppoe enc_gre enc_ipip enc_6in4 enc_vxlan enc_gtpu frags \
    malformed pcapng_basic ns_basic icmp_tunnel dns_tunnel escapes demo; do
	oracle "$s" "$(cap "$s")"
done

# The public captures, when the corpus is there.
if [ -d "$CORPUS" ]; then
	for f in "$CORPUS"/icmp_tunnel/*.pcap "$CORPUS"/dns_tunnel/*.pcap \
	    "$CORPUS"/linktypes/*.pcap "$CORPUS"/linktypes/*.pcapng \
	    "$CORPUS"/arkime_tests/*.pcap; do
		[ -f "$f" ] || continue
		oracle "corpus/${f#"$CORPUS"/}" "$f"
	done
fi
finish
