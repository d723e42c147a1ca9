#!/usr/bin/env bash
# console.sh - what the console does on a large capture, timed by the
# console itself ($HUNTCON_UI_TIMING: wall and CPU of each step, from the
# first key of a loop turn to the screen showing its result), driven in
# tmux as an analyst would: load to indexed, a drill step (Enter on
# service = 80 under ip.proto = 6), Backspace, a contains query; beside the
# batch figure for the same capture (--values ip.proto).  Given a store's
# URL instead of a capture, the console over the store (huntcon --store
# URL): no load, the same steps, beside batch --store URL --values ip.proto.
#
# Usage: console.sh PCAP|URL [RUNS]   (HUNTCON: the binary, default ./huntcon)
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
pcap=$1 N=${2:-5}
HUNTCON=${HUNTCON:-$TOP/huntcon}
W=$(mktemp -d "${TMPDIR:-/tmp}/huntcon-cbench.XXXXXX")
SOCK=huntcon-cbench-$$
TM="tmux -L $SOCK"
trap '$TM kill-server 2>/dev/null; rm -rf "$W"' EXIT
export XDG_STATE_HOME=$W/state XDG_CONFIG_HOME=$W/config \
    HUNTCON_THEMES=$TOP/themes

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
die() { echo "console bench: $*" >&2; cat "$W/screen" >&2 2>/dev/null; exit 1; }
screen() { $TM capture-pane -p >"$W/screen" 2>/dev/null; }
# wait_for REGEX SECONDS: poll the pane until a line matches.
wait_for() {
	local end=$((SECONDS + $2))
	while [ $SECONDS -le "$end" ]; do
		screen
		grep -qE -- "$1" "$W/screen" && return 0
		sleep 0.05
	done
	return 1
}
# steps: timing lines written so far.
steps() { grep -c '^step ' "$W/timing" 2>/dev/null || true; }
# timed KEYS...: send the keys, wait for the step they cause; prints
# "wall cpu" (ms).
timed() {
	local before end
	before=$(steps)
	$TM send-keys "$@"
	end=$((SECONDS + 120))
	while [ "$(steps)" -le "$before" ]; do
		[ $SECONDS -le $end ] || die "no step after $*"
		sleep 0.02
	done
	sleep 0.2	# later keys of the same turn would add a line
	grep '^step ' "$W/timing" | sed -n "$((before + 1))p" |
		awk '{print $2, $5}'
}
# prompt TEXT: type a query at / and wait until the prompt shows it.
prompt() {
	$TM send-keys / C-u
	$TM send-keys -l "$1"
	wait_for "^/ $(printf '%s' "$1" | sed 's/[][().*^$|+?{}\\]/\\&/g')\$" 10 ||
		die "the prompt does not show $1"
	sleep 0.3	# the typing's own step line
}
# select_row KEY VALUE: Down until the selected row is VALUE under KEY.
select_row() {
	local i before end
	for i in $(seq 1 200); do
		screen
		awk -v key="$1" -v val="$2" '
			/^>?(▾|▸|-|\+) / { k = $0; sub(/^>?(▾|▸|-|\+) /, "", k);
				sub(/ .*/, "", k); next }
			/^> / { v = $0; sub(/^> +[0-9]+  /, "", v);
				if (k == key && v == val) found = 1; exit }
			END { exit !found }' "$W/screen" && return 0
		before=$(grep -n '^>' "$W/screen" || true)
		$TM send-keys Down
		end=$((SECONDS + 10))
		while [ $SECONDS -le $end ]; do
			screen
			[ "$(grep -n '^>' "$W/screen" || true)" != "$before" ] && break
			sleep 0.02
		done
	done
	return 1
}

store=false
case $pcap in clickhouse://*|clickhouses://*) store=true ;; esac
if $store; then src=(--store "$pcap"); else src=(-r "$pcap" -R none); fi
/usr/bin/time -f "%e %U %S" -o "$W/btime" "$HUNTCON" "${src[@]}" \
    --values ip.proto >"$W/values"
read -r bw bu bs <"$W/btime"
bc=$(awk -v u="$bu" -v s="$bs" 'BEGIN {printf "%.2f", u + s}')
sessions=$(awk -F'\t' '{n += $1} END {print n}' "$W/values")

$TM new-session -d -x 200 -y 60 "LANG=C.UTF-8 HUNTCON_UI_TIMING=$W/timing \
    $HUNTCON ${src[*]} 2>$W/stderr; echo \$? >$W/rc; sleep 600"
if $store; then
	wait_for " store: .* sessions: $sessions\$" 120 ||
		die "the console over the store does not show $sessions sessions"
else
	end=$((SECONDS + 600))
	until grep -q '^indexed ' "$W/timing" 2>/dev/null; do
		[ $SECONDS -le $end ] || die "not indexed after 600 s"
		sleep 0.2
	done
	read -r _ lw _ _ lc _ < <(grep '^indexed ' "$W/timing")
	loadedat=$(awk '$1 == "loaded" {print $2}' "$W/timing")
	wait_for 'packets: [0-9]+' 30 || die "not loaded"
fi

prompt 'ip.proto = 6'
timed Enter >/dev/null
wait_for "^path: ip.proto = 6 " 60 || die "no path ip.proto = 6"
select_row service 80 || die "no row service = 80"
dw=() dc=() bkw=() bkc=() cw=() cc=()
for _ in $(seq "$N"); do
	read -r w c < <(timed Enter)
	dw+=("$w") dc+=("$c")
	wait_for "^path: ip.proto = 6 && service = 80 " 60 || die "no drill"
	read -r w c < <(timed BSpace)
	bkw+=("$w") bkc+=("$c")
	wait_for "^path: ip.proto = 6 " 60 || die "no step back"
	select_row service 80 || die "the step back left the row"
done
for _ in $(seq "$N"); do
	prompt "alias.host contains 'xyz'"
	read -r w c < <(timed Enter)
	cw+=("$w") cc+=("$c")
done
wait_for "^path: alias.host contains 'xyz' " 60 || die "no contains path"
hits=$(sed -n "s/^path: alias.host contains 'xyz'  *\([0-9]*\) sessions.*/\1/p" "$W/screen")
$TM send-keys q
end=$((SECONDS + 60))
while [ ! -s "$W/rc" ] && [ $SECONDS -le $end ]; do sleep 0.1; done

m() { printf '%s\n' "$@" | median; }
goal_drill=20 goal_contains=50
$store && goal_drill=1000 goal_contains=1000
if $store; then
	echo "store: $pcap ($sessions sessions); console at 200x60; wall and CPU ms (the console's own CPU: the store's is not counted), median of $N"
	echo "  batch --store URL --values ip.proto: wall $bw s, cpu $bc s"
else
echo "capture: $pcap ($sessions sessions); console at 200x60, -R none; wall and CPU ms, median of $N"
echo "  load to indexed: wall $(awk -v a="$lw" 'BEGIN {printf "%.1f", a / 1000}') s, cpu $(awk -v a="$lc" 'BEGIN {printf "%.1f", a / 1000}') s;" \
	"batch --values ip.proto: wall $bw s, cpu $bc s;" \
	"x batch $(awk -v a="$lw" -v b="$bw" 'BEGIN {printf "%.2f", a / 1000 / b}') wall (goal 1.2)," \
	"$(awk -v a="$lc" -v b="$bc" 'BEGIN {printf "%.2f", a / 1000 / b}') cpu;" \
	"read at $(awk -v a="$loadedat" 'BEGIN {printf "%.1f", a / 1000}') s"
fi
echo "  drill step (Enter on service = 80 under ip.proto = 6): wall $(m "${dw[@]}") ms, cpu $(m "${dc[@]}") ms (goal $goal_drill)"
echo "  Backspace (back to ip.proto = 6): wall $(m "${bkw[@]}") ms, cpu $(m "${bkc[@]}") ms"
echo "  alias.host contains 'xyz' ($hits sessions): wall $(m "${cw[@]}") ms, cpu $(m "${cc[@]}") ms (goal $goal_contains)"
