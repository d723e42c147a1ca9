#!/usr/bin/env bash
# test_navigate.sh - the Navigate pane uses the screen: as many values per
# key as fit (the demo's ICMP tunnel indicators without pressing a, at
# 80x24 and 200x60), the "more" line and console.values, the alert key of
# a user's rule, jumping to a key by name, and the sessions-over-time
# histogram: a range drilled with the keyboard counts what batch
# --histogram and -q count.  Waits on screen content, never on sleeps.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
export XDG_CONFIG_HOME=$T/config

demo=$(cap demo)
# batch_n QUERY: sessions batch mode selects.
batch_n() {
	"$HUNTCON" -r "$demo" --sessions --fields sessionid -q "$1" | wc -l
}

# --- 80x24: the first screen lists analysis.session to its last value;
# paging (never a) reaches every ioc value.
start 80 24 -r "$demo"
loaded || notok "demo loads" "$(cat "$T/screen")"
n=$("$HUNTCON" -r "$demo" --values analysis.session | wc -l)
expect_screen "80x24: analysis.session counts $n values" \
    "^>?▾ analysis\.session  $n values\$"
large=$("$HUNTCON" -r "$demo" --values analysis.session |
	awk -F'\t' '$2 == "icmp large session" { print $1 }')
expect_screen "80x24: icmp large session on the first screen" \
    "^ +$large  icmp large session\$"
tun=$("$HUNTCON" -r "$demo" --values ioc |
	awk -F'\t' '$2 == "possible_icmp_tunneling" { print $1 }')
check "demo: possible_icmp_tunneling counted in batch" 1 "$([ -n "$tun" ] && echo 1)"
found=0
for _ in $(seq 1 8); do
	if wait_for "^ +$tun  possible_icmp_tunneling\$" 2; then found=1; break; fi
	$TM send-keys NPage
done
check "80x24: possible_icmp_tunneling listed under ioc without a" 1 "$found"
quit_rc "80x24: quit exits 0"

# --- 200x60: both on the first screen, no key pressed.
start 200 60 -r "$demo"
loaded || notok "demo loads at 200x60" "$(cat "$T/screen")"
expect_screen "200x60: icmp large session on the first screen" \
    "^ +$large  icmp large session\$"
expect_screen "200x60: possible_icmp_tunneling on the first screen" \
    "^ +$tun  possible_icmp_tunneling\$"
quit_rc "200x60: quit exits 0"

# --- console.values=3: three values, then the "more" line; Enter on it
# lists three more.
start 80 24 -r "$demo" --set console.values=3
loaded || notok "demo loads with console.values=3" "$(cat "$T/screen")"
left=$((n - 3))
expect_screen "console.values=3: the more line" \
    "^ +… $left more  \(Enter: 3 more, a: all\)\$"
$TM send-keys Down Down Down Down Enter
expect_screen "more: three more listed" \
    "^ +… $((left - 3)) more  \(Enter: 3 more, a: all\)\$"
rows=$(awk '/analysis\.session/ {on = 1; next} /^.?(▾|▸)/ {on = 0} on && /^.? +[0-9]+  /' "$T/screen" | wc -l)
check "more: six values under analysis.session" 6 "$rows"
quit_rc "console.values: quit exits 0"
"$HUNTCON" --keys >"$T/keys"
check_grep "--keys lists console.values with its default" '^setting.console\.values.0.values the console' "$T/keys"

# --- a user's rule with its own alert key shows in Navigate.
mkdir -p "$T/config/huntcon/rules"
cat >"$T/config/huntcon/rules/user.nwr" <<'EOF'
name=icmp_watch rule="ip.proto = 1" alert=hunt.mine order=5 type=application
EOF
icmp=$(batch_n 'ip.proto = 1')
start 80 24 -r "$demo"
loaded || notok "demo loads with a user rule" "$(cat "$T/screen")"
page=0
for _ in $(seq 1 8); do
	if wait_for '^>?▾ hunt\.mine  1 value$' 2; then page=1; break; fi
	$TM send-keys NPage
done
check "user rule: its alert key hunt.mine is listed" 1 "$page"
expect_screen "user rule: its value counted" "^ +$icmp  icmp_watch\$"
quit_rc "user rule: quit exits 0"
rm -f "$T/config/huntcon/rules/user.nwr"

# --- jump to a key by name: one the group lists, and one it does not.
start 80 24 -r "$demo"
loaded || notok "demo loads for the jump" "$(cat "$T/screen")"
$TM send-keys : C-u did Enter
expect_screen "jump: the cursor on did" '^>▾ did  1 value$'
$TM send-keys : C-u tcp.srcport Enter
expect_screen "jump: tcp.srcport added and selected" '^>▾ tcp\.srcport  [0-9]+ values'
$TM send-keys : C-u no.such.key Enter
expect_screen "jump: an unknown key is refused" 'no key no\.such\.key'
$TM send-keys Escape
quit_rc "jump: quit exits 0"

# --- the histogram: mark the first bucket, move two down, drill the range;
# its count is the batch histogram's three buckets and -q's count.
start 80 24 -r "$demo"
loaded || notok "demo loads for the histogram" "$(cat "$T/screen")"
$TM send-keys h
expect_screen "histogram: opened with its bucket size" \
    '^>▾ time  [0-9]+ buckets of [0-9]+[smhd]  '
bucket=$(sed -n 's/^>▾ time  [0-9]* buckets of \([0-9]*[smhd]\)  .*/\1/p' "$T/screen")
"$HUNTCON" -r "$demo" --histogram "$bucket" >"$T/hist"
first=$(head -1 "$T/hist" | cut -f2)
expect_screen "histogram: the first bucket as batch prints it" \
    "^ +$(head -1 "$T/hist" | cut -f1)  $first  "
want=$(head -3 "$T/hist" | awk -F'\t' '{ n += $1 } END { print n }')
$TM send-keys Down Space Down Down
expect_screen "histogram: the range marked" "^\* +[0-9]+  $first  "
$TM send-keys Enter
expect_screen "histogram: the drill is a time range" \
    "^path: time = '$first' - '[^']*' +$want sessions\$"
q=$(sed -n "s/^path: \(time = '[^']*' - '[^']*'\) .*/\1/p" "$T/screen")
check "histogram: -q on the drilled range counts the same" "$want" "$(batch_n "$q")"
quit_rc "histogram: quit exits 0"

# --- batch --histogram: totals, -q, and its errors.
"$HUNTCON" -r "$demo" --histogram 1m >"$T/h1m"
check "--histogram 1m: 5 buckets" 5 "$(wc -l <"$T/h1m")"
check "--histogram 1m: every session counted" "$(batch_n 'sessionid exists')" \
    "$(awk -F'\t' '{ n += $1 } END { print n }' "$T/h1m")"
check "--histogram 1m: first bucket" "2024-01-15T10:00:00Z" "$(head -1 "$T/h1m" | cut -f2)"
"$HUNTCON" -r "$demo" --histogram 1m -q 'ip.proto = 1' >"$T/h1"
check "--histogram -q: ICMP sessions" "$icmp" "$(awk -F'\t' '{ n += $1 } END { print n }' "$T/h1")"
run_hc "$T/out" "$T/err" -r "$demo" --histogram 5x
check "--histogram 5x: usage error" 2 "$rc"
check_grep "--histogram 5x: says why" "takes a bucket such as 500ms" "$T/err"
"$HUNTCON" -r "$demo" --histogram 500ms -q 'ip.proto = 1' >"$T/h500"
check "--histogram 500ms: ICMP sessions" "$icmp" \
    "$(awk -F'\t' '{ n += $1 } END { print n }' "$T/h500")"
check "--histogram 500ms: starts in milliseconds" "" \
    "$(cut -f2 "$T/h500" | grep -vE '^2024-01-15T10:0[0-4]:[0-5][0-9]\.(000|500)Z$')"
finish
