#!/usr/bin/env bash
# bench.sh - `make bench`: huntcon's ingest against the libpcap floor (a loop
# that only reads the file), its peak memory, on a capture made by the
# project's own generator; then the same on ../shared/bench's standard
# capture when that folder is there.  Prints medians of N runs, wall and CPU.
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
OUT=${BENCH_OUT:-$TOP/build/bench}
N=${BENCH_RUNS:-5}
SESSIONS=${BENCH_SESSIONS:-200000}
mkdir -p "$OUT"
cc -O2 -o "$OUT/pcapfloor" tests/gen/pcapfloor.c -lpcap
cc -O2 -D_GNU_SOURCE -pthread -o "$OUT/xcpu" tests/bench/xcpu.c
pcap=$OUT/bench-$SESSIONS.pcap
[ -f "$pcap" ] || build/capgen -n "$SESSIONS" bench "$pcap"
cat "$pcap" >/dev/null

# one CMD...: prints "wall maxrss_kb cpu".
one() {
	/usr/bin/time -f "%e %M %U %S" -o "$OUT/.time" "$@" >/dev/null 2>"$OUT/.err" ||
		{ echo "bench: failed: $*" >&2; cat "$OUT/.err" >&2; exit 1; }
	awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}' "$OUT/.time"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

walls=() rss=() ratios=() cratios=() floors=() rwalls=() rratios=() ewalls=()
for _ in $(seq "$N"); do
	read -r w m c < <(one ./huntcon -r "$pcap" -R none --values ip.proto)
	read -r fw _ fc < <(one "$OUT/pcapfloor" "$pcap")
	read -r rw _ _ < <(one ./huntcon -r "$pcap" -R tests/bench/rules50.nwr --values ip.proto)
	read -r ew _ _ < <(one ./huntcon -r "$pcap" -R none --set parse.enabled=0 --values ip.proto)
	walls+=("$w") rss+=("$m") floors+=("$fw") rwalls+=("$rw") ewalls+=("$ew")
	ratios+=("$(awk -v a="$w" -v b="$fw" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')")
	cratios+=("$(awk -v a="$c" -v b="$fc" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}')")
	rratios+=("$(awk -v a="$rw" -v b="$w" 'BEGIN {printf "%.1f", (b > 0 ? 100 * (a / b - 1) : 0)}')")
done
sessions=$(./huntcon -r "$pcap" -R none --stats | awk -F'\t' '$1 == "sessions" {print $2}')
packets=$(./huntcon -r "$pcap" -R none --stats | awk -F'\t' '$1 == "read" {print $2}')
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "capture: $pcap ($(stat -c %s "$pcap") bytes, $packets packets, $sessions sessions)"
echo "ingest (huntcon -r PCAP -R none --values ip.proto), median of $N:"
echo "  wall $(printf '%s\n' "${walls[@]}" | median) s (floor $(printf '%s\n' "${floors[@]}" | median) s)," \
	"x floor $(printf '%s\n' "${ratios[@]}" | median) wall, $(printf '%s\n' "${cratios[@]}" | median) cpu," \
	"peak RSS $(printf '%s\n' "${rss[@]}" | median | awk '{printf "%.0f", $1 / 1024}') MiB"

echo "engine only (--set parse.enabled=0), median of $N:"
echo "  wall $(printf '%s\n' "${ewalls[@]}" | median) s"
echo "rules (-R tests/bench/rules50.nwr, 50 rules) over -R none, median of $N:"
echo "  wall $(printf '%s\n' "${rwalls[@]}" | median) s, +$(printf '%s\n' "${rratios[@]}" | median)%"
echo "drill and search on a 1,000,000-session store (make bench-drill; store_count_top, not the console's path):"
make -s build/bench-drill >/dev/null && build/bench-drill | sed 's/^/  /'
# What the console itself does (tests/bench/console.sh, driven in tmux,
# timed by the console): load to indexed beside batch, a drill step,
# Backspace, a contains query; on the standard capture's generator with
# 1,000,000 sessions when ../shared/bench is there, else on capgen's.
if command -v tmux >/dev/null 2>&1; then
	if [ -f ../shared/bench/genpcap.c ]; then
		make -s -C ../shared/bench OUT="$OUT" >/dev/null
		cpcap=$OUT/std-1000000.pcap
		[ -f "$cpcap" ] || "$OUT/genpcap" -q -n 1000000 -s 1 -o "$cpcap"
	else
		cpcap=$OUT/bench-670000.pcap
		[ -f "$cpcap" ] || build/capgen -n 670000 bench "$cpcap"
	fi
	echo "the console on 1,000,000 sessions (tests/bench/console.sh), median of $N:"
	bash tests/bench/console.sh "$cpcap" "$N" | sed 's/^/  /'
fi

# Live: the highest rate tcpreplay sends a capture of 20,000 sessions into
# a veth pair while huntcon -i on the peer drops nothing (root only).
# Then RSS over a 30 s live replay of one-query DNS sessions, with and
# without retention.
lpcap=$OUT/bench-20000.pcap
[ -f "$lpcap" ] || build/capgen -n 20000 bench "$lpcap"
llong=$OUT/retain_long-600000.pcap
[ -f "$llong" ] || build/capgen -n 600000 retain_long "$llong"
bash tests/bench/live.sh "$lpcap" 10 "$llong"

# Open sessions: peak memory of --stats (no closed session kept) on a
# million concurrent UDP flows and 500,000 concurrent HTTP fetches, at the
# default session.max_open and without a cap.  The captures are made once.
for f in flows-udp:1000000 flows-http:500000; do
	mode=${f%%:*} n=${f##*:}
	fpcap=$OUT/$mode-$n.pcap
	[ -f "$fpcap" ] || build/capgen -n "$n" "$mode" "$fpcap"
	read -r _ m c < <(one ./huntcon -r "$fpcap" -R none --stats)
	read -r _ m0 c0 < <(one ./huntcon -r "$fpcap" -R none --stats --set session.max_open=0)
	capped=$(./huntcon -r "$fpcap" -R none --stats | awk -F'\t' '$1 == "closed at max_open" {print $2}')
	echo "open sessions, $n concurrent ${mode#flows-} flows (--stats):"
	echo "  peak RSS $((m / 1024)) MiB at the default session.max_open ($capped closed at it, cpu $c s)," \
		"$((m0 / 1024)) MiB without a cap (cpu $c0 s)"
done
# Loading and checking a large rule pack (tests/gen/rules.awk): = lists
# on the names of other rules, some exists, begins, ends and regex.
rules20k=$OUT/rules-20000.nwr
awk -v n=20000 -f tests/gen/rules.awk >"$rules20k"
lc=() lw=() fc=() fw=()
for _ in $(seq "$N"); do
	read -r w _ c < <(one ./huntcon --check-rules "$rules20k")
	lw+=("$w") lc+=("$c")
	read -r w _ c < <(one ./huntcon --check-rules --fix "$rules20k")
	fw+=("$w") fc+=("$c")
done
echo "rule loading (huntcon --check-rules, 20,000 generated rules), median of $N:"
echo "  check: CPU $(printf '%s\n' "${lc[@]}" | median) s, wall $(printf '%s\n' "${lw[@]}" | median) s;" \
	"--fix: CPU $(printf '%s\n' "${fc[@]}" | median) s, wall $(printf '%s\n' "${fw[@]}" | median) s"

if [ -x ../shared/bench/ratio.sh ] || [ -f ../shared/bench/ratio.sh ]; then
	echo "standard capture (../shared/bench/ratio.sh):"
	std=$(bash ../shared/bench/ratio.sh -n "$N" -- ./huntcon -r PCAP -R none --values ip.proto)
	echo "$std" | sed 's/^/  /'
	echo "standard capture, --stats alone (no session kept):"
	nostore=$(bash ../shared/bench/ratio.sh -n "$N" -- ./huntcon -r PCAP -R none --stats)
	echo "$nostore" | sed 's/^/  /'
	rss_of() { sed -n 's/.*peak RSS \([0-9.]*\) MiB.*/\1/p'; }
	a=$(echo "$std" | rss_of) b=$(echo "$nostore" | rss_of)
	echo "  the store adds $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.0f MiB, +%.0f%%", a - b, 100 * (a / b - 1)}') to peak memory (bar +40%)"
	echo "standard capture, engine only (--set parse.enabled=0):"
	bash ../shared/bench/ratio.sh -n "$N" -- ./huntcon -r PCAP -R none --set parse.enabled=0 --values ip.proto | sed 's/^/  /'
	echo "standard capture, with the 50 rules (-R tests/bench/rules50.nwr):"
	bash ../shared/bench/ratio.sh -n "$N" -- ./huntcon -r PCAP -R tests/bench/rules50.nwr --values ip.proto | sed 's/^/  /'
	# The rules' cost from pairs run back to back (-R none, then the
	# rules), as for the project's capture above: two separate series
	# against the floor drift apart by more than the bar's margin.
	spcap=${OUT_STD:-/tmp/huntcon-bench}/std-200000.pcap
	if [ -f "$spcap" ]; then
		sr=() sw=() sx=()
		for _ in $(seq "$N"); do
			read -r w _ _ < <(one ./huntcon -r "$spcap" -R none --values ip.proto)
			read -r x _ _ < <(one ./huntcon -r "$spcap" -R tests/bench/rules50.nwr --values ip.proto)
			sw+=("$w") sx+=("$x")
			sr+=("$(awk -v a="$x" -v b="$w" 'BEGIN {printf "%.1f", (b > 0 ? 100 * (a / b - 1) : 0)}')")
		done
		echo "  in pairs with -R none, median of $N: $(printf '%s\n' "${sx[@]}" | median) s against $(printf '%s\n' "${sw[@]}" | median) s, +$(printf '%s\n' "${sr[@]}" | median)% (bar +25%)"
		# The bundled rules' cost the same way: the application rules
		# alone (the bundled files without their correlation rules),
		# then all of them, against -R none; and the peak memory with
		# correlation on.
		grep -hv 'type=correlation' rules/*.nwr >"$OUT/bundled-app.nwr"
		bw=() ba=() bx=() bar=() bxr=() bm=() bxm=()
		for _ in $(seq "$N"); do
			read -r w m _ < <(one ./huntcon -r "$spcap" -R none --values ip.proto)
			read -r a _ _ < <(one ./huntcon -r "$spcap" -R "$OUT/bundled-app.nwr" --values ip.proto)
			read -r x xm _ < <(one ./huntcon -r "$spcap" -R bundled --values ip.proto)
			bw+=("$w") ba+=("$a") bx+=("$x") bm+=("$m") bxm+=("$xm")
			bar+=("$(awk -v a="$a" -v b="$w" 'BEGIN {printf "%.1f", (b > 0 ? 100 * (a / b - 1) : 0)}')")
			bxr+=("$(awk -v a="$x" -v b="$w" 'BEGIN {printf "%.1f", (b > 0 ? 100 * (a / b - 1) : 0)}')")
		done
		echo "standard capture, the bundled rules against -R none, run back to back, median of $N:"
		echo "  application rules $(printf '%s\n' "${ba[@]}" | median) s, +$(printf '%s\n' "${bar[@]}" | median)%;" \
			"with the correlation rules (-R bundled) $(printf '%s\n' "${bx[@]}" | median) s, +$(printf '%s\n' "${bxr[@]}" | median)%;" \
			"-R none $(printf '%s\n' "${bw[@]}" | median) s"
		echo "  peak RSS with correlation on $(printf '%s\n' "${bxm[@]}" | median | awk '{printf "%.0f", $1 / 1024}') MiB," \
			"-R none $(printf '%s\n' "${bm[@]}" | median | awk '{printf "%.0f", $1 / 1024}') MiB"
		# The parsers' cost the same way: with them (their own thread,
		# then on the engine's thread), against the engine alone.
		# With how long a cache line takes to cross the CPUs and back
		# before each pair: the parsers' figure follows it (xcpu.c).
		pr=() pw=() pe=() pi=() pt=() px=()
		for _ in $(seq "$N"); do
			px+=("$("$OUT/xcpu")")
			read -r w _ _ < <(one ./huntcon -r "$spcap" -R none --values ip.proto)
			read -r i _ _ < <(one ./huntcon -r "$spcap" -R none --set parse.thread=0 --values ip.proto)
			read -r x _ _ < <(one ./huntcon -r "$spcap" -R none --set parse.enabled=0 --values ip.proto)
			pw+=("$w") pi+=("$i") pe+=("$x")
			pr+=("$(awk -v a="$w" -v b="$x" 'BEGIN {printf "%.1f", (b > 0 ? 100 * (a / b - 1) : 0)}')")
			pt+=("$(awk -v a="$i" -v b="$x" 'BEGIN {printf "%.1f", (b > 0 ? 100 * (a / b - 1) : 0)}')")
		done
		echo "standard capture, the parsers against the engine alone, run back to back, median of $N:"
		echo "  parsers on their own thread $(printf '%s\n' "${pw[@]}" | median) s, +$(printf '%s\n' "${pr[@]}" | median)% (bar +25%);" \
			"on the engine's thread (parse.thread=0) $(printf '%s\n' "${pi[@]}" | median) s, +$(printf '%s\n' "${pt[@]}" | median)%;" \
			"engine alone $(printf '%s\n' "${pe[@]}" | median) s"
		echo "  cross-CPU round trip before each pair (tests/bench/xcpu.c): ${px[*]} ns"
	fi
fi

# Retention (issue 18): RSS at the start, middle and end of a replay eight
# times longer than its window, on and off; its cost on the standard
# capture's ingest (tests/bench/retain.sh).
bash tests/bench/retain.sh "$N" "$OUT"

# The fleet (tests/bench/fleet.sh): ship rate and drill latency over
# BENCH_FLEET_SESSIONS (default 1,000,000) sessions in a two-shard cluster
# on 127.0.0.1, beside the same queries in memory; skipped without
# clickhouse-server.
echo "fleet (tests/bench/fleet.sh):"
bash tests/bench/fleet.sh "${BENCH_FLEET_SESSIONS:-1000000}" 3 | sed 's/^/  /'
