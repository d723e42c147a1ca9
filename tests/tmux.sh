# tmux.sh - drive the console in a private tmux server for the screen
# tests: start it at a size, read the pane, wait on its content (polling
# capture-pane with a timeout, never a fixed sleep), quit and check the exit
# status; a test without tmux is skipped.  Sourced after lib.sh; needs $T
# and $HUNTCON.
# SPDX-License-Identifier: GPL-3.0-or-later

if ! command -v tmux >/dev/null 2>&1; then
	echo "# skip: tmux is not installed"
	finish
fi

SOCK=huntcon-test-$$
TM="tmux -L $SOCK"
run=0
trap '$TM kill-server 2>/dev/null; rm -rf "$T"' EXIT
export XDG_STATE_HOME=$T/state HUNTCON_THEMES=$TOP/themes

# start W H ARGS...: run huntcon in a fresh tmux server; its exit status
# goes to $T/rc.
start() {
	local w=$1 h=$2
	shift 2
	$TM kill-server 2>/dev/null
	run=$((run + 1))
	SOCK=huntcon-test-$$-$run
	TM="tmux -L $SOCK"
	rm -f "$T/rc"
	$TM new-session -d -x "$w" -y "$h" \
	    "LANG=${SCREEN_LANG:-C.UTF-8} $HUNTCON $* 2>$T/stderr; echo \$? >$T/rc; sleep 600"
}

# screen: the pane's text now.
screen() { $TM capture-pane -p >"$T/screen" 2>/dev/null; cat "$T/screen"; }

# wait_for REGEX [SECONDS]: poll the pane until a line matches; false on
# timeout (the last screen is in $T/screen).
wait_for() {
	local end=$((SECONDS + ${2:-15}))
	while [ $SECONDS -le $end ]; do
		screen >/dev/null
		grep -qE -- "$1" "$T/screen" && return 0
		sleep 0.05
	done
	return 1
}

# expect_screen NAME REGEX [SECONDS]: one test result.
expect_screen() {
	if wait_for "$2" "${3:-15}"; then ok "$1"; else
		notok "$1" "no line matches '$2' in:
$(cat "$T/screen")"; fi
}

# wait_gone REGEX: poll until no line matches.
wait_gone() {
	local end=$((SECONDS + 15))
	while [ $SECONDS -le $end ]; do
		screen >/dev/null
		grep -qE -- "$1" "$T/screen" || return 0
		sleep 0.05
	done
	return 1
}

# loaded: wait until the capture is read (packets are counted).
loaded() { wait_for 'packets: [0-9]+' 60; }

# quit_rc NAME: press q and check the exit status.
quit_rc() {
	$TM send-keys q
	local end=$((SECONDS + 15))
	while [ $SECONDS -le $end ] && [ ! -s "$T/rc" ]; do sleep 0.05; done
	check "$1" 0 "$(cat "$T/rc" 2>/dev/null)"
}

# selected_in KEY VALUE: the selected Navigate row is VALUE under KEY.
selected_in() {
	awk -v key="$1" -v val="$2" '
		/^>?(▾|▸|-|\+) / { k = $0; sub(/^>?(▾|▸|-|\+) /, "", k);
			sub(/ .*/, "", k); next }
		/^> / { n = split($0, f, "  *"); v = $0;
			sub(/^> +[0-9]+  /, "", v);
			if (k == key && v == val) found = 1; exit }
		END { exit !found }' "$T/screen"
}

# select KEY VALUE: move the Navigate cursor down onto that row.
select_row() {
	local i
	for i in $(seq 1 80); do
		screen >/dev/null
		selected_in "$1" "$2" && return 0
		local before
		before=$(grep -n '^>' "$T/screen")
		$TM send-keys Down
		local end=$((SECONDS + 5))
		while [ $SECONDS -le $end ]; do
			screen >/dev/null
			[ "$(grep -n '^>' "$T/screen")" != "$before" ] && break
			sleep 0.02
		done
	done
	return 1
}
