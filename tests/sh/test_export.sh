#!/usr/bin/env bash
# test_export.sh - -w writes the packets of the chosen sessions: nothing
# lost (every assigned packet, byte for byte, in capture order), one
# conversation as tshark's conversation filter selects it, one file per
# link type, ns precision, and no overwriting without --force (SPEC §6, §8).
. "$(dirname "$0")/../lib.sh"
PCAPREC=${PCAPREC:-$TOP/build/pcaprec}

# subseq A B: whether the lines of B appear in A in the same order.
subseq() {
	awk 'NR == FNR { want[++n] = $0; next } i < n && $0 == want[i + 1] { i++ }
	    END { exit i != n }' "$2" "$1"
}

for s in basic frags malformed enc_gre enc_vxlan lt_sll2 ns_basic \
    pcapng_basic split_time icmp_tunnel; do
	in=$(cap "$s")
	rc=0
	"$HUNTCON" -r "$in" -q 'sessionid exists' -w "$T/$s.pcap" 2>"$T/err" || rc=$?
	check "export $s: exit 0" 0 "$rc"
	"$PCAPREC" "$in" >"$T/in.rec"
	"$PCAPREC" "$T/$s.pcap" >"$T/out.rec"
	assigned=$("$HUNTCON" -r "$in" --stats | awk -F'\t' '$1 == "assigned" {print $2}')
	check "export $s: every assigned packet" "$assigned" "$(wc -l <"$T/out.rec")"
	if subseq "$T/in.rec" "$T/out.rec"; then
		ok "export $s: byte for byte, capture order"
	else
		notok "export $s: byte for byte, capture order"
	fi
done

# One conversation, as tshark's conversation filter selects it.
basic=$(cap basic)
"$HUNTCON" -r "$basic" -q 'ip.src = 10.0.0.5 && tcp.srcport = 50000' -w "$T/conv.pcap" 2>/dev/null
tshark -r "$basic" -Y 'ip.addr == 10.0.0.5 && ip.addr == 93.184.216.34 &&
    tcp.port == 50000 && tcp.port == 80' -w "$T/tshark.pcap" 2>/dev/null
check "one conversation = tshark's filter" "$("$PCAPREC" "$T/tshark.pcap")" \
	"$("$PCAPREC" "$T/conv.pcap")"

# No overwriting without --force.
rc=0
"$HUNTCON" -r "$basic" -w "$T/conv.pcap" 2>"$T/err" || rc=$?
check "existing file refused: exit 1" 1 "$rc"
check_grep "existing file refused: said" "conv.pcap: file exists \(use --force" "$T/err"
rc=0
"$HUNTCON" -r "$basic" -w "$T/conv.pcap" --force 2>"$T/err" || rc=$?
check "--force overwrites" "0 $("$HUNTCON" -r "$basic" --stats | awk -F'\t' '$1 == "assigned" {print $2}')" \
	"$rc $("$PCAPREC" "$T/conv.pcap" | wc -l)"

# Mixed link types: one file each, the later named after libpcap's DLT name.
rc=0
"$HUNTCON" -r "$basic" -r "$(cap lt_sll)" -w "$T/mix.pcap" 2>"$T/err" || rc=$?
check "mixed link types: exit 0" 0 "$rc"
check "mixed: first link type in OUT.pcap" "EN10MB" \
	"$(tshark -r "$T/mix.pcap" -T fields -e frame.encap_type -c 1 2>/dev/null | sed 's/^1$/EN10MB/')"
check "mixed: later one in OUT.linux_sll.pcap" "$("$PCAPREC" "$(cap lt_sll)" | wc -l)" \
	"$("$PCAPREC" "$T/mix.linux_sll.pcap" | wc -l)"
check_grep "mixed: files named on stderr" "mix.linux_sll.pcap: [0-9]+ packets" "$T/err"

# ns precision when any input is ns.
"$HUNTCON" -r "$basic" -r "$(cap ns_basic)" -w "$T/ns.pcap" 2>/dev/null
check "ns input: ns pcap written" "4d3cb2a1" "$(od -An -tx1 -N4 "$T/ns.pcap" | tr -d ' ')"
check "us input only: us pcap written" "d4c3b2a1" "$(od -An -tx1 -N4 "$T/conv.pcap" | tr -d ' ')"
finish
