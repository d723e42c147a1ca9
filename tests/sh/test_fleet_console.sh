#!/usr/bin/env bash
# test_fleet_console.sh - the console over a ClickHouse store: one server
# on 127.0.0.1 (own ports, data directory and config under $T, stopped by
# PID), a generated capture shipped to it, and `huntcon --store URL` with
# no batch mode: the status line names the store, Navigate's counts of
# ip.proto and of a key after a drill equal batch --store --values, the
# breadcrumb's count equals --sessions, the histogram's buckets equal
# --histogram over the store, Events lists the path's sessions and opens
# one in the Session pane (its packets read where the settings say), what
# is not there over a store says so, and a store that stops
# answering shows "failed" (never a silent half count); export writes the
# path's sessions as -w and --sessions over the store do.  Waits on screen
# content.
. "$(dirname "$0")/../lib.sh"

CH=${CLICKHOUSE_SERVER:-/usr/sbin/clickhouse-server}
if [ ! -x "$CH" ]; then
	ok "fleet console: skipped: clickhouse-server is not installed"
	finish
fi
if ! command -v tmux >/dev/null 2>&1; then
	ok "fleet console: skipped: tmux is not installed"
	finish
fi

use_asan
demo=$(cap demo)
. "$(dirname "$0")/../clickhouse.sh"
. "$(dirname "$0")/../tmux.sh"
trap '$TM kill-server 2>/dev/null; stop_servers; rm -rf "$T"' EXIT
export XDG_CONFIG_HOME=$T/config
ch_servers 1 "fleet console"
S=clickhouse://127.0.0.1:$H1/hc
run_hc "$T/out" "$T/err" --store $S --init
check "init" "0 " "$rc $(cat "$T/err")"
run_hc "$T/out" "$T/err" -r "$demo" --ship $S --sensor s1 --run r1
check "ship demo" "0 " "$rc $(cat "$T/err")"
all=$("$HUNTCON" --store $S --sessions --fields sessionid | wc -l)

# rows_on_screen FILE: every "COUNT<TAB>VALUE" line of FILE (its first
# 3) is a Navigate row "  COUNT  VALUE" on the screen.
rows_on_screen() {
	local n v miss=
	while IFS=$'\t' read -r n v; do
		wait_for "^ +$n  $v\$" 5 || miss="$miss $n/$v"
	done < <(head -3 "$1")
	echo "${miss:-all}"
}

start 100 40 --store $S --set fleet.sensor.s1=local:
expect_screen "the status line names the store and its sessions" \
    "^ store: clickhouse://127\.0\.0\.1:$H1/hc +sessions: $all\$" 30
expect_screen "breadcrumb: every session" \
    "^path: \(all sessions\) +$all sessions\$"

"$HUNTCON" --store $S --values ip.proto >"$T/proto"
$TM send-keys : ; $TM send-keys -l ip.proto; $TM send-keys Enter
check "Navigate's ip.proto counts equal --store --values" all \
    "$(rows_on_screen "$T/proto")"

q="ip.proto = 6"
"$HUNTCON" --store $S --values tcp.dstport -q "$q" >"$T/port"
n=$("$HUNTCON" --store $S --sessions --fields sessionid -q "$q" | wc -l)
$TM send-keys / ; $TM send-keys -l "$q"; $TM send-keys Enter
expect_screen "drill: the path's count equals --sessions" \
    "^path: ip\.proto = 6 +$n sessions\$"
$TM send-keys : ; $TM send-keys -l tcp.dstport; $TM send-keys Enter
check "after the drill, tcp.dstport's counts equal --values -q" all \
    "$(rows_on_screen "$T/port")"
# ip.src has more values than the screen shows: the store sorts and cuts
# them, and says how many there were.
"$HUNTCON" --store $S --values ip.src -q "$q" >"$T/src"
nv=$(wc -l <"$T/src")
$TM send-keys : ; $TM send-keys -l ip.src; $TM send-keys Enter
check "after the drill, ip.src's top counts equal --values -q" all \
    "$(rows_on_screen "$T/src")"
expect_screen "ip.src: the number of its values under the drill" \
    "ip\.src +$nv values"

# Export over the store: the path's sessions, their packets fetched from
# the sensor (local: here), the same file as -w over the store; the meta
# as --sessions over the store writes it.
$TM send-keys x
expect_screen "export over a store: the prompt counts the path's sessions" \
    "export the path's $n sessions to:"
$TM send-keys -l "$T/con.pcap"; $TM send-keys Enter
expect_screen "export over a store: it asks first" \
    "write the path's $n sessions to .*con\.pcap \(pcap, packets from"
$TM send-keys y
expect_screen "export over a store: done, said" \
    "exported $n sessions, [0-9]+ packets to .*con\.pcap \(from their" 30
"$HUNTCON" --store $S --set fleet.sensor.s1=local: -q "$q" \
    -w "$T/batch.pcap" 2>/dev/null
check "export over a store equals -w over the store" "same" \
    "$(cmp -s "$T/batch.pcap" "$T/con.pcap" && echo same)"
$TM send-keys x; $TM send-keys -l "$T/con.tsv"; $TM send-keys Enter
expect_screen "export over a store: meta, asked" "write the meta of $n"
$TM send-keys y
expect_screen "export over a store: meta written" "exported the meta of $n"
"$HUNTCON" --store $S --sessions --header -q "$q" >"$T/batch.tsv"
check "export of the meta over a store equals --sessions over it" "same" \
    "$(cmp -s "$T/batch.tsv" "$T/con.tsv" && echo same)"

$TM send-keys h
expect_screen "histogram over a store: opened with its bucket size" \
    '^>▾ time  [0-9]+ buckets of [0-9]+[smhd]  '
bucket=$(sed -n 's/^>▾ time  [0-9]* buckets of \([0-9]*[smhd]\)  .*/\1/p' \
    "$T/screen")
"$HUNTCON" --store $S --histogram "$bucket" -q "$q" >"$T/hist"
expect_screen "histogram over a store: the first bucket as batch prints it" \
    "^ +$(head -1 "$T/hist" | cut -f1)  $(head -1 "$T/hist" | cut -f2)  "
$TM send-keys Tab
expect_screen "Events lists the path's sessions" "row 1 of $n"
first=$("$HUNTCON" --store $S --sessions --fields sessionid -q "$q" |
	head -1)
$TM send-keys Enter
expect_screen "Events: Enter opens the session as the store names it" \
    "^session $first  sensor s1  run r1\$"
np=$("$HUNTCON" --store $S --sessions --fields packets -q "$q" | head -1)
expect_screen "Session: its $np packets, read where fleet.sensor.s1 says" \
    "^session $first: $np packets\$"
$TM send-keys Enter
expect_screen "Session: pivots are the Events pane's over a store" \
    "over a store, pivot and copy from the Events pane's cells"
$TM send-keys BSpace
$TM send-keys 4 a
expect_screen "Rules: read-only over a store" \
    "the rules are read-only over a store: edits are a sensor's business"
$TM send-keys 1

# The store stops answering: the next answer says it failed.
kill "$(cat "$T/ch1/pid")"
wait "$(cat "$T/ch1/pid")" 2>/dev/null
$TM send-keys c
expect_screen "a stopped store: the status line says failed" \
    "^ store: .* failed: "
quit_rc "quit: exit 0"

# A store that takes connections and never answers: the console gives up
# at console.store_timeout and says so, or at once on Esc; it never hangs.
python3 -c 'import socket,time
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(16)
print(s.getsockname()[1], flush=True); c=[]; s.settimeout(0.5)
end=time.time()+60
while time.time()<end:
    try: c.append(s.accept()[0])
    except socket.timeout: pass' >"$T/port" &
stall=$!
for i in $(seq 1 50); do [ -s "$T/port" ] && break; sleep 0.1; done
X=clickhouse://127.0.0.1:$(cat "$T/port")/hc
start 100 30 --store $X --set console.store_timeout=2
expect_screen "a silent store: failed at the deadline" \
    "^ store: .* failed: store 127\.0\.0\.1:[0-9]+: no answer before the" 15
expect_screen "a silent store: the keys say they were not counted" \
    "analysis\.session  \(not counted: the store failed\)"
quit_rc "a silent store: quit, exit 0"
start 100 30 --store $X
expect_screen "a silent store: asking, Esc cancels" \
    "^asking the store \(Esc cancels\)" 10
$TM send-keys Escape
expect_screen "Esc: the store's answer cancelled, said" \
    "^ store: .* failed: store 127\.0\.0\.1:[0-9]+: query cancelled" 10
quit_rc "Esc: quit, exit 0"
kill $stall 2>/dev/null
wait $stall 2>/dev/null
finish
