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
# Every numeric setting has one range, judged alike by --set and the config
# file: min and max accepted, min-1 and max+1 out of range, a word and an
# empty value not valid.  NAME MIN-1 MIN MAX MAX+1:
ranges=$(cat <<'TABLE'
session.idle_timeout -1 0 1000000000 1000000001
session.tcp_linger -1 0 1000000000 1000000000.5
session.split_bytes 0 1 18446744073709551615 18446744073709551616
session.split_time -1 0 1000000000 1000000001
session.max_open -1 0 1000000000 1000000001
store.retain -1 0 1000000000 1000000001
store.max_sessions -1 0 4294967295 4294967296
ip.frag_timeout -1 0 1000000000 1000000001
ip.frag_max 0 1 16777216 16777217
parse.enabled -1 0 1 2
parse.thread -1 0 1 2
cpu.pair -1 0 1 2
console.values -1 0 1000000 1000001
console.osc52 -1 0 1 2
console.store_timeout 0 1 3600 3601
dns.long_query -1 0 4294967295 4294967296
dns.long_label -1 0 4294967295 4294967296
dns.large_answer -1 0 4294967295 4294967296
dns.encoded_label -1 0 4294967295 4294967296
dns.entropy -1 0 8 8.01
dns.txt_encoded -1 0 4294967295 4294967296
dns.low_ttl -1 0 4294967295 4294967296
dns.consonants -1 0 4294967295 4294967296
dns.many_names -1 0 4294967295 4294967296
icmp.size_variants -1 0 4294967295 4294967296
icmp.unmatched_replies -1 0 100 101
icmp.text_scan -1 0 4294967295 4294967296
tls.offered_ciphers -1 0 1 2
TABLE
)
small=$(cap basic)
mkdir -p "$T/rcfg/huntcon"
while read -r name below min max above; do
	for v in "$below" "$min" "$max" "$above" x ''; do
		case $v in
		"$min"|"$max") want="0 " ;;
		x|'') want="2 huntcon: --set: '$v' is not a valid value for $name (huntcon --help)" ;;
		*) want="2 huntcon: --set: '$v' is out of range for $name ($min-$max) (huntcon --help)" ;;
		esac
		rc=0
		XDG_CONFIG_HOME=$T/none "$HUNTCON" -r "$small" -R none --stats --set "$name=$v" \
		    >/dev/null 2>"$T/err" || rc=$?
		check "--set $name=$v" "$want" "$rc $(cat "$T/err")"
		printf '# range\n%s=%s\n' "$name" "$v" >"$T/rcfg/huntcon/huntcon.conf"
		want=${want% (huntcon --help)}
		want=${want/#2 huntcon: --set: /1 huntcon: $T/rcfg/huntcon/huntcon.conf:2: }
		rc=0
		XDG_CONFIG_HOME=$T/rcfg "$HUNTCON" -r "$small" -R none --stats \
		    >/dev/null 2>"$T/err" || rc=$?
		check "config file $name=$v" "$want" "$rc $(cat "$T/err")"
	done
done <<<"$ranges"
check "every numeric setting is in the range table" \
	"$(awk -F'\t' '$1 == "setting" && $2 != "net.home" &&
	    $2 != "console.columns" {print $2}' "$T/keys" | sort)" \
	"$(cut -d' ' -f1 <<<"$ranges" | sort)"

# console.columns, a list of meta keys: each name must be a key of --keys,
# by --set and in the config file alike; the error names it.
rc=0
XDG_CONFIG_HOME=$T/none "$HUNTCON" -r "$small" -R none --stats \
    --set console.columns=alias.host,nope.key >/dev/null 2>"$T/err" || rc=$?
check "--set console.columns=nope.key: an error naming the key" \
    "2 huntcon: --set: console.columns: 'nope.key' is not a meta key (see --keys) (huntcon --help)" \
    "$rc $(cat "$T/err")"
printf '# columns\nconsole.columns = ALIAS.host, client\nconsole.columns=zz\n' \
    >"$T/rcfg/huntcon/huntcon.conf"
rc=0
XDG_CONFIG_HOME=$T/rcfg "$HUNTCON" -r "$small" -R none --stats \
    >/dev/null 2>"$T/err" || rc=$?
check "config console.columns=zz: the file, its line and the key" \
    "1 huntcon: $T/rcfg/huntcon/huntcon.conf:3: console.columns: 'zz' is not a meta key (see --keys)" \
    "$rc $(cat "$T/err")"
rc=0
XDG_CONFIG_HOME=$T/none "$HUNTCON" -r "$small" -R none --stats \
    --set 'console.columns= ALIAS.host , client,' >/dev/null 2>"$T/err" || rc=$?
check "--set console.columns: known keys taken, any case" "0 " \
    "$rc $(cat "$T/err")"

# A config file that is a FIFO, a device or huge is refused, not read; a
# NUL byte in one is an error at its line and column.
conf=$T/rcfg/huntcon/huntcon.conf
conf_run() {
	rc=0
	XDG_CONFIG_HOME=$T/rcfg timeout 10 "$HUNTCON" -r "$small" -R none --stats \
	    >/dev/null 2>"$T/err" || rc=$?
}
rm -f "$conf"; mkfifo "$conf"; conf_run
check "config FIFO: refused, no hang" "1 huntcon: $conf: is a FIFO; not read as a config file" "$rc $(cat "$T/err")"
rm -f "$conf"; ln -s /dev/zero "$conf"; conf_run
check "config /dev/zero: refused, no hang" "1 huntcon: $conf: is a device; not read as a config file" "$rc $(cat "$T/err")"
rm -f "$conf"; head -c 1048577 /dev/zero | tr '\0' '#' >"$conf"; conf_run
check "config over 1 MiB: refused" "1 huntcon: $conf: is larger than 1 MiB; not read as a config file" "$rc $(cat "$T/err")"
rm -f "$conf"; head -c 1048576 /dev/zero | tr '\0' '#' >"$conf"; conf_run
check "config of 1 MiB: read" "0 " "$rc $(cat "$T/err")"
printf '# settings\ndns.low_ttl=4\nicmp.unmatched\0_replies=10\n' >"$conf"; conf_run
check "config NUL byte: FILE:LINE:COL" "1 huntcon: $conf:3:15: NUL byte" "$rc $(cat "$T/err")"
finish
