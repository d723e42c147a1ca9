#!/usr/bin/env bash
# test_fleet.sh - the fleet on ClickHouse 18.16: two servers on 127.0.0.1
# as a two-shard cluster (own ports, data directories and configs under
# $T, stopped by PID), --init, --ship from two sensors, and --values and
# --sessions over the cluster equal to reading both captures locally for
# a table of where-clauses covering every operator (the differential
# test); the read-only analyst, a retried batch, a stopped shard.
. "$(dirname "$0")/../lib.sh"

CH=${CLICKHOUSE_SERVER:-/usr/sbin/clickhouse-server}
if [ ! -x "$CH" ]; then
	ok "fleet: skipped: clickhouse-server is not installed (make, as" \
	    "root, installs it)"
	finish
fi

demo=$(cap demo)
# basic a day later: a second partition, and no session of one sensor's
# capture meets the other's when both are read in one run (the truth).
basic=$T/basic.pcap
editcap -F pcap -t 86400 "$(cap basic)" "$basic"
escapes=$(cap escapes)
. "$(dirname "$0")/../clickhouse.sh"
trap 'stop_servers; rm -rf "$T"' EXIT

# The package's own server must not have been started on install.
if port_free 8123; then ok "no packaged server on 8123"; else
	notok "no packaged server on 8123" "something listens on 8123"; fi

ch_servers 2 fleet
ok "fleet: two servers answer on 127.0.0.1:$H1 and :$H2"

S1=clickhouse://127.0.0.1:$H1/hc
S2=clickhouse://127.0.0.1:$H2/hc

# --init on each server, twice (the second finds schema 2 and is content).
for s in $S1 $S2 $S1; do
	run_hc "$T/out" "$T/err" --store $s --init --cluster fleet
	check "init $s" "0 " "$rc $(cat "$T/err")"
done

# Two sensors ship a capture each, one to each shard.
run_hc "$T/out" "$T/err" -r "$demo" --ship $S1 --sensor s1 --run r1
check "ship demo as s1" "0 " "$rc $(cat "$T/err")"
run_hc "$T/out" "$T/err" -r "$basic" --ship $S2 --sensor s2 --run r2
check "ship basic as s2" "0 " "$rc $(cat "$T/err")"

local_n=$("$HUNTCON" -r "$demo" -r "$basic" --stats | awk '$1 == "sessions" { print $2 }')
check "both captures hold 130 sessions" 130 "$local_n"
run_hc "$T/out" "$T/err" --store $S1 --values ip.proto
check "--values over the cluster counts every session" 130 \
	"$(awk '{ s += $1 } END { print s }' "$T/out")"

# Packet references: every packet of a session, by file and record offset
# (the first record of a pcap starts after its 24-byte header).
q1() { curl -s "http://127.0.0.1:$H1/" --data-binary "$1 FORMAT TSV"; }
check "packet references: one per packet, the first after the header" \
	"1	24" "$(q1 "SELECT sum(length(poff)) = sum(packets), min(poff[1])
	    FROM hc.sessions_all FINAL")"
check "packet references: files by absolute path" \
	"$(readlink -f "$basic" "$demo" | sort)" \
	"$(q1 "SELECT DISTINCT arrayJoin(ppath) AS p FROM hc.sessions_all
	    ORDER BY p")"

# Packets by reference: --refs over the store, --fetch on the sensor (here
# both sensors' files are local), the records equal local -w's.
fq="service = 80,443 || ip.proto = 1"
run_hc "$T/refs" "$T/err" --store $S1 --refs -q "$fq"
check "--refs: a line per session" "0 $("$HUNTCON" -r "$demo" -r "$basic" \
	--sessions --fields sessionid -q "$fq" | wc -l)" "$rc $(wc -l <"$T/refs")"
fetch=()
while IFS=$'\t' read -r sensor ref; do fetch+=(--fetch "$ref"); done <"$T/refs"
run_hc "$T/fetched.pcap" "$T/err" "${fetch[@]}" -w -
check "--fetch -w -: exit 0" "0 " "$rc $(cat "$T/err")"
"$HUNTCON" -r "$demo" -r "$basic" -q "$fq" -w "$T/local.pcap" 2>/dev/null
check "fetched records equal local -w's" \
	"$("$TOP/build/pcaprec" "$T/local.pcap" | sort)" \
	"$("$TOP/build/pcaprec" "$T/fetched.pcap" | sort)"
check "fetched some" yes "$([ "$(wc -l <"$T/refs")" -gt 20 ] && echo yes)"
run_hc "$T/out" "$T/err" --fetch "$demo@25" -w -
check "--fetch at no record: exit 1, no output" "1 0" "$rc $(wc -c <"$T/out")"
check_grep "--fetch at no record: said" "no record at offset 25" "$T/err"
editcap -F pcapng "$demo" "$T/demo.pcapng"
run_hc "$T/out" "$T/err" --fetch "$T/demo.pcapng@24" -w -
check "--fetch from pcapng: exit 1" 1 "$rc"
check_grep "--fetch from pcapng: said" "pcapng is not read by reference" "$T/err"

# Export over the store: -w reads each sensor's packets where
# fleet.sensor.NAME says (local: here, ssh:HOST through fleet.ssh_command)
# and writes the pcap a local -w of the same sessions writes, byte for byte.
locals=(--set fleet.sensor.s1=local: --set fleet.sensor.s2=local:)
run_hc "$T/out" "$T/err" --store $S1 -q "$fq" "${locals[@]}" -w "$T/st.pcap"
check "export over the store via local: exit 0, says the packets" \
	"0 huntcon: $T/st.pcap: $("$TOP/build/pcaprec" "$T/local.pcap" |
	wc -l) packets" "$rc $(cat "$T/err")"
same_file() {
	if cmp -s "$2" "$3"; then ok "$1"; else
		notok "$1" "$(cmp "$2" "$3" 2>&1)"; fi
}
same_file "export over the store equals local -w byte for byte" \
	"$T/local.pcap" "$T/st.pcap"
"$HUNTCON" -r "$demo" -r "$basic" -w "$T/local-all.pcap" 2>/dev/null
run_hc "$T/out" "$T/err" --store $S1 "${locals[@]}" -w "$T/st-all.pcap"
check "export of every session: exit 0" 0 "$rc"
same_file "export of every session equals local -w" \
	"$T/local-all.pcap" "$T/st-all.pcap"
# ssh's stand-in: notes the host, drops it, runs the command here as
# ssh's remote shell would (huntcon found on PATH, as on a sensor).
mkdir -p "$T/bin"
ln -s "$HUNTCON" "$T/bin/huntcon"
printf '%s\n' '#!/bin/sh' "echo \"\$1\" >>'$T/hosts'" 'shift' \
	'exec sh -c "$*"' >"$T/fakessh"
printf '%s\n' '#!/bin/sh' 'shift' 'sh -c "$*" | head -c 2000' >"$T/shortssh"
chmod +x "$T/fakessh" "$T/shortssh"
sshs=(--set fleet.sensor.s1=ssh:sensor-one
	--set fleet.sensor.s2=ssh://sensor-two)
PATH=$T/bin:$PATH run_hc "$T/out" "$T/err" --store $S1 -q "$fq" \
	"${sshs[@]}" --set "fleet.ssh_command=$T/fakessh" -w "$T/ssh.pcap"
check "export through fleet.ssh_command: exit 0" "0 " \
	"$rc $(grep -v ' packets$' "$T/err")"
check "export through fleet.ssh_command: each sensor's host asked once" \
	"sensor-one sensor-two" "$(sort "$T/hosts" | paste -sd' ')"
same_file "export through fleet.ssh_command equals local -w byte for byte" \
	"$T/local.pcap" "$T/ssh.pcap"
PATH=$T/bin:$PATH run_hc "$T/out" "$T/err" --store $S1 -q "$fq" \
	"${sshs[@]}" --set "fleet.ssh_command=$T/fakessh" -w -
check "export to standard output: exit 0, nothing said" "0 " \
	"$rc $(cat "$T/err")"
same_file "export to standard output equals local -w" "$T/local.pcap" \
	"$T/out"
# Errors name the sensor, exit 1 and leave no file.
nofile() { [ -e "$T/x.pcap" ] && echo "a file" || echo "no file"; }
run_hc "$T/out" "$T/err" --store $S1 --set fleet.sensor.s1=local: \
	-w "$T/x.pcap"
check "export, a sensor without a place: exit 1, no file" "1 no file" \
	"$rc $(nofile)"
check_grep "export, a sensor without a place: said" \
	"^huntcon: export: sensor s2: no fleet.sensor.s2 setting" "$T/err"
run_hc "$T/out" "$T/err" --store $S1 "${sshs[@]}" \
	--set "fleet.ssh_command=false -o BatchMode=yes" -w "$T/x.pcap"
check "export, the command fails: exit 1, no file" "1 no file" \
	"$rc $(nofile)"
check_grep "export, the command fails: said which sensor" \
	"^huntcon: export: sensor s1 \(ssh:sensor-one\): false sensor-one \.\.\. exited with 1$" \
	"$T/err"
PATH=$T/bin:$PATH run_hc "$T/out" "$T/err" --store $S1 "${sshs[@]}" \
	--set "fleet.ssh_command=$T/shortssh" -w "$T/x.pcap"
check "export, a short pcap: exit 1, no file" "1 no file" "$rc $(nofile)"
check_grep "export, a short pcap: said which sensor and how short" \
	"^huntcon: export: sensor s1 \(ssh:sensor-one\): its pcap holds [0-9]+ records where [0-9]+ were asked for" \
	"$T/err"
run_hc "$T/out" "$T/err" --store $S1 "${sshs[@]}" \
	--set "fleet.ssh_command=$T/no-such-ssh" -w "$T/x.pcap"
check_grep "export, no such command: said" \
	"^huntcon: export: sensor s1 .*exited with 127: cannot run .*no-such-ssh" \
	"$T/err"
PATH=/usr/bin:/bin run_hc "$T/out" "$T/err" --store $S1 "${sshs[@]}" \
	--set "fleet.ssh_command=$T/fakessh" -w "$T/x.pcap"
check_grep "export, no huntcon on the sensor: what the sensor said" \
	"^huntcon: export: sensor s1 .*exited with 127: .*huntcon.*not found" \
	"$T/err"
run_hc "$T/out" "$T/err" --set fleet.sensor.s1=ftp:x --store $S1 \
	-w "$T/x.pcap"
check "fleet.sensor.NAME not local: or ssh:HOST: usage error" 2 "$rc"
printf 'ref' >"$T/x.pcap"
run_hc "$T/out" "$T/err" --store $S1 "${locals[@]}" -w "$T/x.pcap"
check "export over the store keeps an existing file" "1 ref" \
	"$rc $(cat "$T/x.pcap")"
rm -f "$T/x.pcap"

# Every field but sessionid (a sensor numbers its own sessions).
fields=$("$HUNTCON" --keys | awk -F'\t' '$1 != "" && $1 != "setting" &&
	$1 != "sessionid" { print $1 }' | paste -sd, -)

# same NAME QUERY: --sessions (all fields, sorted: the store orders by time,
# sensor, sessionid) and --values (order and all) equal the local answers.
nonempty=0
same() {
	local q=$1 a b
	a=$("$HUNTCON" --store $S2 --sessions --fields "$fields" -q "$q" 2>&1 |
		sort)
	b=$("$HUNTCON" -r "$demo" -r "$basic" --sessions --fields "$fields" \
	    -q "$q" 2>&1 | sort)
	check "sessions: $q" "$b" "$a"
	[ -n "$b" ] && nonempty=$((nonempty + 1))
	for k in alias.host ip.dst; do
		a=$("$HUNTCON" --store $S1 --values $k -q "$q" 2>&1)
		b=$("$HUNTCON" -r "$demo" -r "$basic" --values $k -q "$q" 2>&1)
		check "values $k: $q" "$b" "$a"
	done
}

while IFS= read -r q; do
	[ -n "$q" ] && same "$q"
done <<'TABLE'
alias.host = 'www.example.com'
alias.host = 'WWW.Example.COM', 'static.example.org'
alias.host != 'www.example.com'
dns.querytype = 'aaaa record'
dns.querytype != 'a record'
tcp.dstport != 80,443
tcp.dstport = 1-1024
tcp.dstport = 1-2221, 2223-u
size = 1000-5000
size > 3240
size < 200
size >= 3240
size <= 550
time = '2024-jan-15 10:00:00' - '2024-jan-15 10:01:00'
time > '2024-jan-15 10:02:00'
time = '2024-jan-15 10:00:05'
time = '2024-jan-16 10:00:00' - '2024-jan-16 11:00:00'
ip.proto = 1,17,58
ip.src = 10.0.0.0/24
ip.dst = 224.0.0.0 - 239.255.255.255
ip.dst < 10.0.0.53
alias.ip = 93.184.216.34
ipv6.src = fd00::/8
ipv6.dst = 2001:db8::80
ipv6.dst >= 2001:db8::80
eth.src = 02:00:0a:00:00:05
eth.dst > 02:00:0a:00:00:05
alias.host exists
ipv6.src !exists
alias.host begins 'WWW.'
alias.host ends '.ORG'
alias.host contains 'Example'
alias.host contains ''
alias.host > 'm'
alias.host <= 'cdn.example.net'
direction = 'OUTBOUND'
alias.host regex '^www\.'
alias.host regex 'example\.(com|org)$'
alias.host regex '(?-i)^WWW'
alias.host regex 'e\s*x[a-m]+\d*'
alias.host length 15
alias.host length 1-14
alias.host ucount 2
icmp.type ucount 2
analysis.session = 'session size 0-5k' && !(ip.proto = 6)
!(ip.proto = 6) && (service = 53 || service = 0)
not(alias.host exists) || tcp.dstport = 22
TABLE
check "the table selects sessions (rows with some)" yes \
	"$([ $nonempty -ge 35 ] && echo yes || echo "no: $nonempty")"

# --values of a key of each type with a column of its own (and time's).
for k in direction ipv6.src eth.dst ip.src time service; do
	a=$("$HUNTCON" --store $S1 --values $k -q "size > 100" 2>&1)
	b=$("$HUNTCON" -r "$demo" -r "$basic" --values $k -q "size > 100")
	check "values $k" "$b" "$a"
done

# Sessions over time: --histogram over the store prints what it prints
# over both captures, for a size, a path, a multi-valued key.
for hq in "1m|" "1h|ip.proto = 6" "10s|alias.host exists" "1d|ip.proto = 99"; do
	bk=${hq%%|*} hq=${hq#*|}
	a=$("$HUNTCON" --store $S1 --histogram $bk ${hq:+-q "$hq"} 2>&1)
	b=$("$HUNTCON" -r "$demo" -r "$basic" --histogram $bk ${hq:+-q "$hq"})
	check "histogram $bk ${hq:-(all)}" "$b" "$a"
done
check "histogram: 1m over the two days has 1,441 buckets or more" yes \
	"$([ "$("$HUNTCON" --store $S1 --histogram 1m | wc -l)" -ge 1441 ] &&
	    echo yes)"

# The orders of --values.
for s in value size packets; do
	a=$("$HUNTCON" --store $S1 --values tcp.dstport --sort $s 2>&1)
	b=$("$HUNTCON" -r "$demo" -r "$basic" --values tcp.dstport --sort $s)
	check "values --sort $s" "$b" "$a"
done
a=$("$HUNTCON" --store $S1 --sessions --format json --fields "$fields" | sort)
b=$("$HUNTCON" -r "$demo" -r "$basic" --sessions --format json --fields "$fields" | sort)
check "sessions as JSON" "$b" "$a"

# Text bytes (control bytes, ESC, bad UTF-8) go and come back as they were.
E1=clickhouse://127.0.0.1:$H1/esc
run_hc "$T/out" "$T/err" --store $E1 --init
run_hc "$T/out" "$T/err" -r "$escapes" --ship $E1 --sensor e --run e1
check "ship escapes" "0 " "$rc $(cat "$T/err")"
a=$("$HUNTCON" --store $E1 --sessions --fields "$fields" | sort)
b=$("$HUNTCON" -r "$escapes" --sessions --fields "$fields" | sort)
check "escapes: bytes kept" "$b" "$a"
a=$("$HUNTCON" --store $E1 --values alias.host -q "alias.host contains 'x'")
b=$("$HUNTCON" -r "$escapes" --values alias.host -q "alias.host contains 'x'")
check "escapes: values" "$b" "$a"

# A key made by a sensor's own rule: the reader, without that rule, finds
# its name in huntcon_keys and selects by it as the sensor would.
printf '%s\n' "name=big-dns rule=\"service = 53 && size > 200\" alert=hunt.custom" \
	>"$T/custom.nwr"
C1=clickhouse://127.0.0.1:$H1/custom
run_hc "$T/out" "$T/err" --store $C1 --init
run_hc "$T/out" "$T/err" -r "$demo" -R "$T/custom.nwr" --ship $C1 --sensor c --run c1
check "ship with a rule's own key" "0 " "$rc $(cat "$T/err")"
a=$("$HUNTCON" --store $C1 --sessions --fields "$fields" -q "hunt.custom = 'big-dns'" 2>/dev/null | sort)
b=$("$HUNTCON" -r "$demo" -R "$T/custom.nwr" --sessions --fields "$fields" \
	-q "hunt.custom = 'big-dns'" | sort)
check "a rule's own key selects the same sessions" "$b" "$a"
check "a rule's own key selects some" yes "$([ -n "$b" ] && echo yes)"

# --retain DAYS: basic moved to today stays, demo (2024-01-15) goes.
shift=$(( $(date -u -d 'today 00:00' +%s) - $(date -u -d '2024-01-15' +%s) ))
editcap -F pcap -t $shift "$(cap basic)" "$T/today.pcap"
R1=clickhouse://127.0.0.1:$H1/ret
run_hc "$T/out" "$T/err" --store $R1 --init
run_hc "$T/out" "$T/err" -r "$demo" --ship $R1 --sensor r --run old
run_hc "$T/out" "$T/err" -r "$T/today.pcap" --ship $R1 --sensor r --run new
run_hc "$T/out" "$T/err" --store $R1 --retain 1
check "--retain 1 drops the old day and says which" "0 2024-01-15 " \
	"$rc $(cat "$T/out") $(cat "$T/err")"
check "--retain 1 keeps today's sessions" 18 \
	"$(q1 "SELECT count() FROM ret.sessions")"

# A regex RE2 cannot run as PCRE2 does: an error with the column.
while IFS='|' read -r col q; do
	[ -n "$q" ] || continue
	run_hc "$T/out" "$T/err" --store $S1 --sessions -q "$q"
	check "refused: $q" "1 " "$rc $(cat "$T/out")"
	check_grep "refused column $col: $q" \
		"^huntcon: query: column $col: regex over the store" "$T/err"
done <<'TABLE'
18|alias.host regex '(a)\1'
34|ip.proto = 6 && alias.host regex 'www(?=\.)'
18|alias.host regex 'a++'
18|alias.host regex '\Qa.b\E'
18|alias.host regex 'a$b'
TABLE
# A regex meeting a value that is not ASCII: RE2 reads UTF-8, so no answer.
run_hc "$T/out" "$T/err" --store $E1 --sessions -q "alias.host regex 'a'"
check "regex over non-ASCII values: exit 1, no rows" "1 " "$rc $(cat "$T/out")"
check_grep "regex over non-ASCII values: said" "not ASCII" "$T/err"

# The analyst (readonly=1) reads, but can neither init nor insert; the
# password is never in a message and ps does not show it.
A1=clickhouse://analyst:s3cret-pw@127.0.0.1:$H1/hc
run_hc "$T/out" "$T/err" --store $A1 --values ip.proto
check "analyst reads" "0 130" "$rc $(awk '{ s += $1 } END { print s }' "$T/out")"
run_hc "$T/out" "$T/err" --store $A1 --retain 1
check "analyst cannot drop days" "1 " "$rc $(cat "$T/out")"
run_hc "$T/out" "$T/err" --store $A1 --init --cluster fleet
check "analyst cannot init" 1 "$rc"
check_grep "analyst cannot init: said" "readonly" "$T/err"
run_hc "$T/out" "$T/err" -r "$basic" --ship $A1 --sensor a
check "analyst cannot insert" 1 "$rc"
check_grep "analyst cannot insert: said" "readonly" "$T/err"
HUNTCON_STORE_PASSWORD=wrong-pw run_hc "$T/out" "$T/err" \
	--store clickhouse://analyst@127.0.0.1:$H1/hc --values ip.proto
check "wrong password from the environment: exit 1" 1 "$rc"
if grep -q -e s3cret -e wrong-pw "$T"/err; then
	notok "no password in messages" "$(cat "$T/err")"
else ok "no password in messages"; fi
HUNTCON_STORE_PASSWORD=s3cret-pw run_hc "$T/out" "$T/err" \
	--store clickhouse://analyst@127.0.0.1:$H1/hc --values ip.proto
check "password from HUNTCON_STORE_PASSWORD" 0 "$rc"
# A server that never answers holds huntcon while ps is read.
python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(4)
print(s.getsockname()[1], flush=True); c=s.accept(); time.sleep(20)' \
	>"$T/port" &
stall=$!
for i in $(seq 1 200); do [ -s "$T/port" ] && break; sleep 0.1; done
"$HUNTCON" --store "clickhouse://analyst:s3cret-pw@127.0.0.1:$(cat "$T/port")/hc" \
	--values ip.proto >/dev/null 2>&1 &
hc=$!
for i in $(seq 1 200); do
	tr '\0' ' ' </proc/$hc/cmdline 2>/dev/null | grep -q 'analyst:\*' &&
		break
	sleep 0.1
done
check "ps shows no password" "analyst:*********@" \
	"$(tr '\0' '\n' </proc/$hc/cmdline | grep -o 'analyst:[^@]*@')"
kill $hc $stall 2>/dev/null
wait $hc $stall 2>/dev/null

# Pages: --sessions reads the store a page (4,096 sessions) at a time
# after a (time, sensor, sessionid, run) cursor.  One capture of 2,234
# sessions shipped by two sensors into a database of its own gives 4,468
# sessions in pairs that tie on time and sessionid: every one comes once,
# in time order, across the page boundary.
many=$T/many.pcap
"$TOP/build/capgen" -n 1500 bench "$many" >/dev/null
SV=clickhouse://127.0.0.1:$H1/hv
run_hc "$T/out" "$T/err" --store $SV --init
check "pages: init" "0 " "$rc $(cat "$T/err")"
for s in pa pb; do
	run_hc "$T/out" "$T/err" -r "$many" --ship $SV --sensor $s --run r
	check "pages: ship as $s" "0 " "$rc $(cat "$T/err")"
done
"$HUNTCON" -r "$many" --sessions --fields all >"$T/one"
check "pages: the capture holds 2234 sessions" 2234 "$(wc -l <"$T/one")"
run_hc "$T/out" "$T/err" --store $SV --sessions --fields all
check "pages: every session of both sensors, once" \
	"$(cat "$T/one" "$T/one" | sort | md5sum)" "$(sort "$T/out" | md5sum)"
run_hc "$T/out" "$T/err" --store $SV --sessions --fields time
check "pages: in time order" "$(sort -s "$T/out" | md5sum)" \
	"$(md5sum <"$T/out")"
run_hc "$T/out" "$T/err" --store $SV --values ip.proto
check "pages: counts of both sensors" \
	"$("$HUNTCON" -r "$many" --values ip.proto | awk '{ print 2 * $1 "\t" $2 }')" \
	"$(cat "$T/out")"

# Export over the store of sessions whose sensors capture other link
# types (Ethernet and raw IP) is refused, naming both, and writes no file:
# one pcap holds one link type.
SL=clickhouse://127.0.0.1:$H1/hl
run_hc "$T/out" "$T/err" --store $SL --init
check "link types: init" "0 " "$rc $(cat "$T/err")"
run_hc "$T/out" "$T/err" -r "$(cap lt_en10mb)" --ship $SL --sensor le --run r
check "link types: ship Ethernet as le" "0 " "$rc $(cat "$T/err")"
run_hc "$T/out" "$T/err" -r "$(cap lt_raw)" --ship $SL --sensor lr --run r
check "link types: ship raw IP as lr" "0 " "$rc $(cat "$T/err")"
run_hc "$T/out" "$T/err" --store $SL --set fleet.sensor.le=local: \
	--set fleet.sensor.lr=local: -w "$T/lt.pcap"
check "link types: export of both refused, no file" "1 no file" \
	"$rc $([ -e "$T/lt.pcap" ] && echo file || echo no file)"
check_grep "link types: said which sensors" \
	"^huntcon: export: sensors le and lr capture other link types \(1, 101\): export them apart$" \
	"$T/err"

# A retried batch (the same sensor, run and sessions) counts once.
run_hc "$T/out" "$T/err" -r "$demo" --ship $S1 --sensor s1 --run r1
check "ship again (a retry)" 0 "$rc"
run_hc "$T/out" "$T/err" --store $S2 --values ip.proto
check "a retried batch does not duplicate sessions" "0 130" \
	"$rc $(awk '{ s += $1 } END { print s }' "$T/out")"
check "a retried batch wrote no row twice" 112 \
	"$(q1 "SELECT count() FROM hc.sessions")"

# Live shipping: huntcon -i on a veth between two network namespaces made
# here ships each session as it closes, while it captures.  Its server runs
# inside namespace A (the capture's, whose 127.0.0.1 is its own).
A=hcfA$$ B=hcfB$$ VA=hcfa$$ VB=hcfb$$
NET=10.232.$((RANDOM % 200))
trap 'stop_servers; ip netns del "$A" 2>/dev/null;
	ip netns del "$B" 2>/dev/null; rm -rf "$T"' EXIT
# ina CMD...: run CMD in namespace A (not for a background job: $! would
# be the subshell's).
ina() { ip netns exec "$A" "$@"; }
qa() { ina curl -s "http://127.0.0.1:$H1/" --data-binary "$1 FORMAT TSV"; }
live_ship() {
	local i hc n ch3
	ip netns add "$A" && ip netns add "$B" || {
		notok "live shipping: network namespaces made"; return; }
	for n in "$A" "$B"; do
		ip netns exec "$n" sysctl -qw \
		    net.ipv6.conf.all.disable_ipv6=1 \
		    net.ipv6.conf.default.disable_ipv6=1
		ip -n "$n" link set lo up
	done
	ip link add "$VA" netns "$A" address 02:00:00:00:01:0a type veth \
	    peer name "$VB" netns "$B" address 02:00:00:00:01:0b
	ip -n "$A" addr add "$NET.1/24" dev "$VA"
	ip -n "$B" addr add "$NET.2/24" dev "$VB"
	ip -n "$A" link set "$VA" up
	ip -n "$B" link set "$VB" up
	ip -n "$A" neigh replace "$NET.2" lladdr 02:00:00:00:01:0b \
	    dev "$VA" nud permanent
	ip -n "$B" neigh replace "$NET.1" lladdr 02:00:00:00:01:0a \
	    dev "$VB" nud permanent
	# The server: the first shard's ports, in A (free there).
	config "$T/ch3" $H1 $T1
	ip netns exec "$A" "$CH" --config-file="$T/ch3/config.xml" \
	    >"$T/ch3/out" 2>&1 &
	ch3=$!
	pids+=($ch3)
	for i in $(seq 150); do
		[ "$(ina curl -s "http://127.0.0.1:$H1/ping")" = Ok. ] && break
		sleep 0.2
	done
	L=clickhouse://127.0.0.1:$H1/live
	ina "$HUNTCON" --store $L --init >"$T/out" 2>"$T/err"
	check "live shipping: a server in the namespace, init" "0 " \
		"$? $(cat "$T/err")"
	ip netns exec "$A" "$HUNTCON" -i "$VA" -R none \
	    --set session.idle_timeout=1 --spool "$T/spool" \
	    --ship $L --sensor live --run l1 >"$T/live.out" 2>"$T/live.err" &
	hc=$!
	for i in $(seq 200); do
		[ "$(ls /proc/$hc/task 2>/dev/null | wc -l)" -ge 3 ] && break
		sleep 0.05
	done
	ip netns exec "$B" ping -q -c 4 -s 100 -i 0.2 -W 2 "$NET.1" >/dev/null
	# Closed a second after its last packet, shipped within a second.
	for i in $(seq 100); do
		[ "$(qa "SELECT count() FROM live.sessions")" = 1 ] && break
		sleep 0.1
	done
	check "live shipping: a closed session is in the store while \
huntcon captures" "1 running" \
		"$(qa "SELECT count() FROM live.sessions") $(kill -0 $hc &&
		echo running)"
	# The server away: the batch fails, is said, and goes again once
	# the server is back, while huntcon captures.
	kill $ch3
	wait $ch3
	ip netns exec "$B" ping -q -c 2 -s 50 -i 0.2 -W 2 "$NET.1" >/dev/null
	for i in $(seq 100); do
		grep -qs "goes again" "$T/live.err" && break
		sleep 0.1
	done
	check_grep "live shipping: the server away is said" \
		"^huntcon: ship: store 127.0.0.1:$H1: .*; the batch goes again in 5 s$" \
		"$T/live.err"
	ip netns exec "$A" "$CH" --config-file="$T/ch3/config.xml" \
	    >"$T/ch3/out" 2>&1 &
	pids+=($!)
	for i in $(seq 200); do
		[ "$(qa "SELECT count() FROM live.sessions")" = 2 ] && break
		sleep 0.1
	done
	check "live shipping: the batch went again once the server was back" \
		"2 running" "$(qa "SELECT count() FROM live.sessions") $(kill -0 \
		$hc && echo running)"
	kill -INT $hc
	for i in $(seq 300); do kill -0 $hc 2>/dev/null || break; sleep 0.1; done
	kill -KILL $hc 2>/dev/null
	wait $hc
	check "live shipping: SIGINT ends it, exit 0" "0 " \
		"$? $(grep -v 'goes again' "$T/live.err")"
	check "live shipping: both ping sessions, packets and bytes, once" \
		"live	l1	1	8	1136
live	l1	1	4	368" \
		"$(qa "SELECT sensor, run, f_ip_proto, packets, size
		FROM live.sessions ORDER BY sessionid")"
	# Their packets are in the spool, by reference: an export over the
	# store equals a local -w of the spool's files.
	check "live shipping: a reference into the spool for each packet" \
		"12	$T/spool/" "$(qa "SELECT sum(length(poff)),
		any(substring(ppath[1], 1, $((${#T} + 7)))) FROM live.sessions")"
	ina "$HUNTCON" --store $L --set fleet.sensor.live=local: \
	    -w "$T/live-st.pcap" 2>"$T/err"
	"$HUNTCON" -r "$T/spool" -w "$T/live-local.pcap" 2>/dev/null
	same_file "live shipping: export over the store equals -w of the spool" \
		"$T/live-local.pcap" "$T/live-st.pcap"
}
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
	ok "live shipping: skipped (it needs root and ip for namespaces)"
else
	live_ship
fi

# A table of schema 1 (made here from one of 2: the keys' own array
# columns dropped, the version set back): reading and shipping say how to
# upgrade; --init upgrades it, and its rows answer as before, their new
# columns read from the arrays until a merge writes them.
O=clickhouse://127.0.0.1:$H1/hcold
run_hc "$T/out" "$T/err" --store $O --init
run_hc "$T/out" "$T/err" -r "$demo" --ship $O --sensor s1 --run r1
check "schema 1: shipped to a new database" "0 " "$rc $(cat "$T/err")"
own=$(q1 "SELECT name FROM system.columns WHERE database = 'hcold' AND
    table = 'sessions' AND substring(name, 1, 2) = 'a_'")
nown=$(wc -l <<<"$own")
d1() { curl -sS "http://127.0.0.1:$H1/" --data-binary "$1"; }
for c in $own; do d1 "ALTER TABLE hcold.sessions DROP COLUMN $c"; done
d1 "DROP TABLE hcold.huntcon_schema"
d1 "CREATE TABLE hcold.huntcon_schema (version UInt16) ENGINE = TinyLog"
d1 "INSERT INTO hcold.huntcon_schema VALUES (1)"
run_hc "$T/out" "$T/err" --store $O --values alias.host
check "schema 1: reading it is exit 1, nothing on stdout" "1 " \
	"$rc $(cat "$T/out")"
check_grep "schema 1: reading says how to upgrade" "^huntcon: store: \
hcold.sessions has schema 1, this huntcon reads and writes 2: upgrade it \
with huntcon --store URL --init on each server\$" "$T/err"
run_hc "$T/out" "$T/err" -r "$demo" --ship $O --sensor s1 --run r2
check "schema 1: shipping to it is exit 1" 1 "$rc"
check_grep "schema 1: shipping says how to upgrade" "has schema 1, this" \
	"$T/err"
run_hc "$T/out" "$T/err" --store $O --init
check "schema 1: --init upgrades it" "0 huntcon: hcold.sessions: schema 1 \
upgraded to 2 ($nown columns added)" "$rc $(cat "$T/err")"
for k in alias.host ip.src did dns.querytype; do
	"$HUNTCON" -r "$demo" --values $k -q "alias.host exists" >"$T/want"
	run_hc "$T/out" "$T/err" --store $O --values $k -q "alias.host exists"
	same_file "schema 1 upgraded: --values $k equals local" "$T/want" \
		"$T/out"
done
run_hc "$T/out" "$T/err" --store $O --init
check "schema 2: --init again is content" "0 " "$rc $(cat "$T/err")"

# A stopped shard: exit 1 and a message, never half the count.
kill "$(cat "$T/ch2/pid")"
wait "$(cat "$T/ch2/pid")" 2>/dev/null
run_hc "$T/out" "$T/err" --store $S1 --values ip.proto
check "stopped shard: exit 1, nothing on stdout" "1 " "$rc $(cat "$T/out")"
check_grep "stopped shard: said" \
	"^huntcon: store 127.0.0.1:$H1: .*a shard did not answer" "$T/err"
run_hc "$T/out" "$T/err" --store $S1 --sessions
check "stopped shard: --sessions exit 1, no rows" "1 " "$rc $(cat "$T/out")"
run_hc "$T/out" "$T/err" -r "$basic" --ship $S2 --sensor s2
check "ship to a stopped server: exit 1" 1 "$rc"
check_grep "ship to a stopped server: said" "^huntcon: store 127.0.0.1:$H2: " \
	"$T/err"
finish
