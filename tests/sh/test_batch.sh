#!/usr/bin/env bash
# test_batch.sh - the batch output of SPEC §6 on generated captures: golden
# TSV, JSON and --values, time precision, escaping of text from the input,
# sort orders, link-type meta, and the documentation of every key.
. "$(dirname "$0")/../lib.sh"

basic=$(cap basic)
G=$TOP/tests/golden

"$HUNTCON" -r "$basic" --sessions --header >"$T/out"
check_file "golden: --sessions --header (default fields)" "$(cat "$G/basic.tsv")" "$T/out"
"$HUNTCON" -r "$basic" --sessions --format json --fields \
    sessionid,time,ip.src,ip.dst,ipv6.src,ip.proto,tcp.dstport,udp.dstport,size,packets,payload,streams,tcpflags,icmp.type,direction,eth.type,medium >"$T/out"
check_file "golden: --format json" "$(cat "$G/basic.json")" "$T/out"
"$HUNTCON" -r "$basic" --values ip.proto >"$T/out"
check_file "golden: --values ip.proto" "$(cat "$G/basic-values-ip.proto.txt")" "$T/out"

# TSV: no header by default; a multi-valued key joined by commas.
check "tsv: no header without --header" "1" \
	"$("$HUNTCON" -r "$basic" --sessions | head -1 | cut -f1)"
check "tsv: multi-valued joined" "fin,syn,psh,ack" \
	"$("$HUNTCON" -r "$basic" --sessions --fields tcpflags -q 'sessionid = 1')"
check "tsv: absent value is an empty cell" "1		6" \
	"$("$HUNTCON" -r "$basic" --sessions --fields sessionid,ipv6.src,ip.proto -q 'sessionid = 1')"
check "json: alias names as written" '{"payload.req":148}' \
	"$("$HUNTCON" -r "$basic" --sessions --format json --fields payload.req -q 'sessionid = 1')"

# --sort orders and what they count.
check "sort value: ascending values" "1 6 17 58 89" \
	"$("$HUNTCON" -r "$basic" --values ip.proto --sort value | cut -f2 | paste -sd' ')"
check "sort size: summed size first" "11093	6" \
	"$("$HUNTCON" -r "$basic" --values ip.proto --sort size | head -1)"
check "sort packets: summed packets" "$("$HUNTCON" -r "$basic" --stats | awk -F'\t' '$1 == "assigned" {print $2}')" \
	"$("$HUNTCON" -r "$basic" --values ip.proto --sort packets | awk '{s += $1} END {print s}')"

# Nanosecond captures print nine digits.
check "ns: nine digits" "2024-01-15T10:00:00.000000919Z" \
	"$("$HUNTCON" -r "$(cap ns_basic)" --sessions --fields time -q 'sessionid = 1')"

# Text from the input (here a file name) is escaped, and JSON on top.
weird="$T/we$(printf '\t')ird$(printf '\033')[2J$(printf '\377').pcap"
cp "$basic" "$weird"
check "escaping: did in --values" "$T/we\\tird\\x1b[2J\\xff.pcap" \
	"$("$HUNTCON" -r "$weird" --values did | cut -f2)"
check "escaping: JSON on top" "{\"did\":[\"$T/we\\\\tird\\\\x1b[2J\\\\xff.pcap\"]}" \
	"$("$HUNTCON" -r "$weird" --sessions --format json --fields did -q 'sessionid = 1')"
if "$HUNTCON" -r "$weird" --sessions --fields all | LC_ALL=C grep -q "$(printf '[\033\377]')"; then
	notok "escaping: no raw control or invalid byte in --fields all"
else
	ok "escaping: no raw control or invalid byte in --fields all"
fi

# Link-type meta.
check "medium: raw IP is 13, no eth.type" "13	" \
	"$("$HUNTCON" -r "$(cap lt_raw)" --sessions --fields medium,eth.type -q 'sessionid = 1')"
check "medium: Linux cooked is 1" "1" \
	"$("$HUNTCON" -r "$(cap lt_sll)" --sessions --fields medium -q 'sessionid = 1')"
check "vlan.id from 802.1Q" "$(tshark -r "$(cap enc_vlan)" -T fields -e vlan.id -c 1 2>/dev/null)" \
	"$("$HUNTCON" -r "$(cap enc_vlan)" --sessions --fields vlan.id -q 'sessionid = 1')"
check "split: session.first and index" "0 1,1 1,2 1,3 1" \
	"$("$HUNTCON" -r "$(cap split_time)" --sessions --fields session.split,session.first -q 'ip.proto = 17' | tr '\t' ' ' | paste -sd, -)"
check "settings: --set changes the split" "1" \
	"$("$HUNTCON" -r "$(cap split_time)" --set session.split_time=1000 --sessions -q 'ip.proto = 17' | wc -l)"
mkdir -p "$T/cfg/huntcon"
echo "session.split_time = 1000" >"$T/cfg/huntcon/huntcon.conf"
check "settings: config file" "1" \
	"$(XDG_CONFIG_HOME=$T/cfg "$HUNTCON" -r "$(cap split_time)" --sessions -q 'ip.proto = 17' | wc -l)"

# The parsers' thread (parse.thread=1) changes nothing in what is written:
# the same sessions, in the same order, with the same meta and rule hits.
# The bench capture (some 74,000 sessions) goes round the thread's rings of
# jobs, DNS bytes and packed records (4 MiB) more than once.
"$CAPGEN" -n 50000 bench "$T/bench.pcap" 2>/dev/null
for c in demo dns_tunnel icmp_tunnel frags malformed split_size bench; do
	f=$T/bench.pcap
	[ "$c" = bench ] || f=$(cap "$c")
	"$HUNTCON" -r "$f" --set parse.thread=0 --sessions --fields all \
	    >"$T/inline" 2>&1
	"$HUNTCON" -r "$f" --set parse.thread=1 --sessions --fields all \
	    >"$T/thread" 2>&1
	check "parsers' thread: same output as without ($c, $(wc -l <"$T/inline") lines)" \
	    "$(md5sum <"$T/inline")" "$(md5sum <"$T/thread")"
done

# Every key and setting of --keys is in the man page and README's reach.
"$HUNTCON" --keys >"$T/keys"
missing=$(awk -F'\t' '$1 == "setting" {print $2; next} $1 != "" {print $1}' "$T/keys" |
	while read -r k; do grep -qF -- "$k" "$TOP/man/huntcon.1" || echo "$k"; done)
check "man page names every key and setting" "" "$missing"
finish
