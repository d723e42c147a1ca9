#!/usr/bin/env bash
# test_order.sh - rule order without writing the bundled rules (issue 19):
# a user who is not root, with read-only bundled rules ($HUNTCON_RULES on a
# read-only bind mount), saves the drill path as a rule, moves it above a
# bundled rule, sees the warning, writes, fixes the order, writes again;
# the bundled files stay byte for byte, the order file holds the bundled
# rules' new order, and --check-rules reads it.  Driven in tmux, waiting on
# screen content.  Needs root (setpriv, mount).
. "$(dirname "$0")/../lib.sh"

if ! command -v tmux >/dev/null 2>&1 || ! command -v setpriv >/dev/null ||
    [ "$(id -u)" != 0 ]; then
	echo "# skip: needs tmux, setpriv and root"
	finish
fi

. "$(dirname "$0")/../tmux.sh"
# The sanitizer build when there is one: the console must not leak or
# misbehave either.
use_asan
trap 'umount "$T/bundled" 2>/dev/null; $TM kill-server 2>/dev/null; rm -rf "$T"' EXIT

cap=$(cap icmp_tunnel)
chmod 755 "$T"
mkdir -p "$T/bundled" "$T/config" "$T/state"
cp "$TOP"/rules/*.nwr "$T/bundled/"
sum_before=$(cd "$T/bundled" && sha256sum -- *.nwr)
if mount --bind "$T/bundled" "$T/bundled" &&
    mount -o remount,ro,bind "$T/bundled"; then
	ok "bundled rules are read-only"
else
	notok "bundled rules are read-only" "mount failed"
fi
chown nobody:nogroup "$T/config" "$T/state"
export XDG_CONFIG_HOME=$T/config HUNTCON_RULES=$T/bundled
asnobody="setpriv --reuid=nobody --regid=nogroup --clear-groups"
user=$T/config/huntcon/rules/user.nwr
order=$T/config/huntcon/rules/order
path="ip.proto = 1 && ioc = 'possible_icmp_tunneling'"
n=$($asnobody "$HUNTCON" -r "$cap" --sessions --fields sessionid -q "$path" | wc -l)
check "the tunnel is found as nobody" 1 "$n"

HC=$HUNTCON
HUNTCON="$asnobody $HC"
start 100 30 -r "$cap"
loaded || notok "icmp_tunnel loads as nobody" "$(cat "$T/screen")"
$TM send-keys / C-u "$path" Enter
expect_screen "drilled to the tunnel" "^path: ip\.proto = 1 && ioc = 'possible_icmp_tunneling' +$n sessions?\$"
$TM send-keys S
expect_screen "save asks for a name" '^save path as rule named:'
$TM send-keys "my icmp hunt" Enter
expect_screen "then for the alert key" '^alert key: ioc$'
$TM send-keys Enter
expect_screen "saved as nobody" '^saved as user\.nwr:1 \(order=1\)'
for _ in 1 2 3 4 5 6 7; do $TM send-keys K; done
expect_screen "moved above the bundled rule it reads" \
    '^> +23 \[x\] my icmp hunt +ioc +user\.nwr:1 o230$'
expect_screen "the order warning appears" \
    "user\.nwr:1: warning: rule 'my icmp hunt' reads ioc ="
$TM send-keys w
expect_screen "the move is written without the bundled files" \
    '^wrote 2 rule files; '
check "bundled rules unchanged after the move" "$sum_before" \
    "$(cd "$T/bundled" && sha256sum -- *.nwr)"
check_grep "the order file moves the bundled rule" \
    '^order=240 name="possible_icmp_tunneling"$' "$order"
check_grep "the user's rule is renumbered in user.nwr" \
    '^name="my icmp hunt" .*order=230$' "$user"
$asnobody "$HC" --check-rules >"$T/check" 2>&1
check "--check-rules reads the order file: warning, exit 0" 0 $?
check_grep "--check-rules reports the new order" \
    "user\.nwr:1: warning: rule 'my icmp hunt' reads ioc = 'possible_icmp_tunneling', which rule 'possible_icmp_tunneling' .* writes later" \
    "$T/check"
$TM send-keys f
expect_screen "fix order" 'order fixed: '
expect_screen "the fix puts the rule after its dependency" \
    '^> +24 \[x\] my icmp hunt +ioc +user\.nwr:1 o240$'
$TM send-keys w
expect_screen "the fix is written" '^wrote [0-9]+ rule files?; '

# --- Disable a bundled rule and enable it again: the order file only.
$TM send-keys Home
expect_screen "on the first bundled rule" \
    '^> +1 \[x\] icmp large session +analysis\.session +10-session-analysis\.nwr:7'
$TM send-keys Space
expect_screen "the bundled rule is disabled" \
    '^> +1 \[ \] icmp large session '
$TM send-keys w
expect_screen "the disable is written" '^wrote 1 rule file; '
check_grep "the order file disables it" \
    '^disable name="icmp large session"$' "$order"
$asnobody "$HC" -r "$cap" --values analysis.session >"$T/values"
check "batch runs without the disabled rule" 0 \
    "$(grep -c 'icmp large session' "$T/values")"
$TM send-keys Space
expect_screen "the bundled rule is enabled again" \
    '^> +1 \[x\] icmp large session '
$TM send-keys w
expect_screen "the enable is written" '^wrote 1 rule file; '
check "the disable line is gone" 0 \
    "$(grep -c '^disable ' "$order")"
quit_rc "quits with 0 as nobody"
check "bundled rules unchanged after the fix" "$sum_before" \
    "$(cd "$T/bundled" && sha256sum -- *.nwr)"
$asnobody "$HC" --check-rules >"$T/check" 2>&1
check "--check-rules with the fixed order: exit 0" 0 $?
check "--check-rules with the fixed order: no finding" "" "$(cat "$T/check")"
"$HC" -r "$cap" --sessions --fields sessionid \
    -q "ioc = 'my icmp hunt'" >"$T/hunt"
check "the saved rule runs after its dependency in batch" 1 \
    "$(wc -l <"$T/hunt")"

# --- Editing a bundled rule's condition: a copy in user.nwr, placed just
# after the original, which the order file disables.
newcond="ip.proto = 1 && analysis.session = 'icmp large session'"
ncopy=$("$HC" -r "$cap" --sessions --fields sessionid -q "$newcond" | wc -l)
start 100 30 -r "$cap"
loaded || notok "icmp_tunnel loads as nobody again" "$(cat "$T/screen")"
$TM send-keys 4 Home
expect_screen "the Rules pane again" '^> +1 \[x\] icmp large session '
for _ in $(seq 1 40); do
	screen >/dev/null
	grep -qE '^> +[0-9]+ \[x\] possible_icmp_tunneling ' "$T/screen" && break
	before=$(grep '^>' "$T/screen")
	$TM send-keys Down
	wait_gone "^$(printf '%s' "$before" | sed 's/[][\.*^$()+?{}|]/\\&/g')\$" >/dev/null
done
expect_screen "on the bundled rule" \
    '^> +([0-9]+) \[x\] possible_icmp_tunneling +ioc +20-icmp-tunnel\.nwr:3'
at=$(sed -n 's/^> *\([0-9]*\) .*/\1/p' "$T/screen")
$TM send-keys Enter
expect_screen "Enter edits its condition" "^rule= .*'session size greater than 1mb'"
$TM send-keys C-u "$newcond" Enter
expect_screen "the condition goes to a copy in user.nwr" \
    "^condition changed in a copy, user\.nwr:2; the original 'possible_icmp_tunneling' is disabled"
expect_screen "the copy sits just after the disabled original" \
    "^> +$((at + 1)) \[x\] possible_icmp_tunneling +ioc +user\.nwr:2 o$((10 * (at + 1)))\$"
$TM send-keys Up
expect_screen "the original is disabled" \
    "^> +$at \[ \] possible_icmp_tunneling +ioc +20-icmp-tunnel\.nwr:3"
$TM send-keys w
expect_screen "the copy is written" '^wrote 2 rule files; '
quit_rc "quits with 0 after the copy"
check "bundled rules unchanged after the copy" "$sum_before" \
    "$(cd "$T/bundled" && sha256sum -- *.nwr)"
check_grep "user.nwr holds the copy with the new condition" \
    "^name=possible_icmp_tunneling rule=\"$newcond\" alert=ioc type=application order=$((10 * (at + 1)))\$" "$user"
check_grep "the order file disables the original" \
    '^disable name="possible_icmp_tunneling"$' "$order"
$asnobody "$HC" -r "$cap" --sessions --fields sessionid \
    -q "ioc = 'possible_icmp_tunneling'" >"$T/copy"
check "batch runs the copy's condition" "$ncopy" "$(wc -l <"$T/copy")"
$asnobody "$HC" --check-rules >"$T/check" 2>&1
check "--check-rules after the copy: exit 0" 0 $?
check "--check-rules after the copy: no finding" "" "$(cat "$T/check")"

# --- A name several bundled rules have, or none: warnings.  The order
# file leaves the user's own rules alone.
mkdir -p "$T/bundled2"
cp "$TOP"/rules/*.nwr "$T/bundled2/"
printf '%s\n' 'name="tcp xmas flags" rule="ip.proto = 99" alert=ioc' \
    >"$T/bundled2/50-more.nwr"
printf '%s\n' 'name="tcp xmas flags" rule="ip.proto = 98" alert=ioc' >>"$user"
printf '%s\n' 'order=7 name="tcp xmas flags"' 'order=8 name="no such rule"' \
    'order=9 name="my icmp hunt"' >>"$order"
HUNTCON_RULES=$T/bundled2 $asnobody "$HC" --check-rules >"$T/check" 2>&1
check "--check-rules: order file warnings only, exit 0" 0 $?
check_grep "a name several rules have is a warning" \
    "^$order:[0-9]+: warning: the name 'tcp xmas flags' matches 2 rules; all are changed\$" \
    "$T/check"
check_grep "a name no rule has is a warning" \
    "^$order:[0-9]+: warning: no rule is named 'no such rule'\$" "$T/check"
check_grep "the order file does not reach the user's own rules" \
    "^$order:[0-9]+: warning: no rule is named 'my icmp hunt'\$" "$T/check"

finish
