#!/usr/bin/env bash
# test_editor.sh - the analyst's loop ends in the console (issue 7): drill
# to the ICMP tunnel sessions of a generated capture, save the path as a
# rule, see it in the rule editor without a warning, move it above the rule
# it depends on and see the warning, fix the order, write the files and
# check them with --check-rules; edit, disable and delete with the answers
# asked; export the marked sessions and the path to pcap, TSV and JSON and
# compare with batch -q ... -w / --sessions of the same path.  Driven in
# tmux, waiting on screen content, with the ASan/UBSan build.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
# The sanitizer build when there is one: the console must not leak or
# misbehave either.
use_asan

cap=$(cap icmp_tunnel)
mkdir -p "$T/rules" "$T/config"
cp "$TOP"/rules/*.nwr "$T/rules/"
cp -r "$T/rules" "$T/rules.orig"
export XDG_CONFIG_HOME=$T/config
user=$T/config/huntcon/rules/user.nwr
path="ip.proto = 1 && ioc = 'possible_icmp_tunneling'"
n=$("$HUNTCON" -r "$cap" -R "$T/rules" --sessions --fields sessionid -q "$path" | wc -l)
check "the tunnel is found in batch mode" 1 "$n"

start 80 24 -r "$cap" -R "$T/rules"
loaded || notok "icmp_tunnel loads" "$(cat "$T/screen")"

# --- Save the drill path as a rule.
$TM send-keys / C-u "$path" Enter
expect_screen "drilled to the tunnel" "^path: ip\.proto = 1 && ioc = 'possible_icmp_tunneling' +$n sessions?\$"
$TM send-keys S
expect_screen "save asks for a name" '^save path as rule named:'
$TM send-keys possible_icmp_tunneling Enter
expect_screen "an existing name is refused" \
    "rule 'possible_icmp_tunneling' exists \(.*20-icmp-tunnel\.nwr:3\)"
$TM send-keys C-u "my icmp hunt" Enter
expect_screen "then for the alert key, ioc by default" '^alert key: ioc$'
$TM send-keys Enter
expect_screen "the editor shows the new rule, after its dependency" \
    '^> +30 \[x\] my icmp hunt +ioc +user\.nwr:1 o1$'
expect_screen "the editor shows its condition" \
    "^ +rule=ip\.proto = 1 && ioc = 'possible_icmp_tunneling'\$"
expect_screen "the rule is saved and applied" \
    '^saved as user\.nwr:1 \(order=1\); 30 rules applied to 4 sessions'
if grep -q 'warning' "$T/screen"; then
	notok "no warning for the new rule" "$(cat "$T/screen")"
else
	ok "no warning for the new rule"
fi
check "the user's rule file holds the rule" \
    "name=\"my icmp hunt\" rule=\"$path\" alert=ioc type=application order=1" \
    "$(cat "$user")"
out=$("$HUNTCON" -r "$cap" -R "$T/rules" -R "$user" --values ioc)
check "batch mode finds the new rule's value" \
    "$(printf '1\tmy icmp hunt\n1\tpossible_icmp_tunneling')" \
    "$(echo "$out" | grep -E 'possible_icmp_tunneling|my icmp hunt')"
$TM send-keys 1 / C-u "ioc = 'my icmp hunt'" Enter
expect_screen "Navigate drills on the new ioc value" \
    "^path: ioc = 'my icmp hunt' +1 sessions?\$"
$TM send-keys / C-u "$path" Enter 4

# --- Move it above its dependency: the warning appears; fix the order.
for _ in 1 2 3 4 5 6 7; do $TM send-keys K; done
expect_screen "moved above the rule it reads" \
    '^> +23 \[x\] my icmp hunt +ioc +user\.nwr:1 o230$'
expect_screen "the order warning appears" \
    "user\.nwr:1: warning: rule 'my icmp hunt' reads ioc ="
screen >/dev/null
sed 's/^ *//' "$T/screen" | tr '\n' ' ' | grep -q "writes later; move it above rule 'my icmp hunt'" &&
	ok "the warning says what to move" ||
	notok "the warning says what to move" "$(cat "$T/screen")"
expect_screen "changes not written are shown" '^ huntcon .*4:Rules\*'
$TM send-keys f
nb=$(cat "$T"/rules.orig/*.nwr | grep -c '^name=')
expect_screen "fix order" "order fixed: $((nb + 1)) rules renumbered 10 to $((nb + 1))0"
wait_gone 'warning' && ok "fix order: the warning is gone" ||
	notok "fix order: the warning is gone" "$(cat "$T/screen")"
expect_screen "fix order puts the rule after its dependency" \
    '^> +24 \[x\] my icmp hunt +ioc +user\.nwr:1 o240$'
$TM send-keys w
expect_screen "write the files" 'wrote 5 rule files; 30 rules applied'
wait_gone '4:Rules\*' && ok "written: nothing left unsaved" ||
	notok "written: nothing left unsaved" "$(cat "$T/screen")"
"$HUNTCON" --check-rules "$T/rules" "$user" >"$T/check" 2>&1
check "the written files load clean with --check-rules" "0:" \
    "$?:$(cat "$T/check")"
same=0
for f in "$T"/rules.orig/*.nwr; do
	sed 's/ order=[0-9]*//' "$T/rules/$(basename "$f")" | cmp -s - "$f" || same=1
done
check "bundled files: only order= tokens were added" 0 "$same"
check "bundled files: every rule numbered" "$nb" \
    "$(cat "$T"/rules/*.nwr | grep -c ' order=[0-9]*0 type\| order=[0-9]*0$')"

# --- Edit a condition: errors show with a caret; Esc keeps the rule.
$TM send-keys Home
expect_screen "first rule selected" '^> +1 \[x\] icmp large session '
$TM send-keys Enter
expect_screen "edit prompt holds the condition" '^rule= ip\.proto = 1,58 && payload = 65536-u$'
$TM send-keys C-u "ip.proto == 1" Enter
expect_screen "a bad condition shows its caret" '^ +\^ column [0-9]+: '
$TM send-keys Escape
wait_gone '^rule= ' && ok "Esc leaves the condition" ||
	notok "Esc leaves the condition" "$(cat "$T/screen")"
# Disable, delete (answer n), then quit asks because of the change.
$TM send-keys Space
expect_screen "disable a rule" '^> +1 \[ \] icmp large session '
$TM send-keys d
expect_screen "delete asks first" "^delete rule 'icmp large session'\? \(y/n\)$"
$TM send-keys n
expect_screen "delete answered no keeps it" '^> +1 \[ \] icmp large session '

# --- Export the marked session; compare with batch -w of the path.
$TM send-keys 2
expect_screen "Events lists the path's session" '^> +[0-9]+ .* 1 +0 '
$TM send-keys Space x
expect_screen "export asks for a file" '^export 1 marked session to:'
$TM send-keys "$T/marked.pcap" Enter
expect_screen "other fragments are offered" \
    '^take the other 2 fragments of split conversations too\? \(y/n\)$'
$TM send-keys n y
expect_screen "marked session exported" \
    "exported 1 session, [0-9]+ packets to .*marked\.pcap"
"$HUNTCON" -r "$cap" -R "$T/rules" -R "$user" -q "$path" -w "$T/batch.pcap" 2>/dev/null
cmp -s "$T/marked.pcap" "$T/batch.pcap" && ok "console export = batch -q -w (identical packets)" ||
	notok "console export = batch -q -w (identical packets)"
$TM send-keys x "$T/marked.pcap" Enter
expect_screen "an existing file is not overwritten unasked" \
    'marked\.pcap exists: overwrite\? \(y/n\)$'
$TM send-keys n
expect_screen "answer no: not exported" '^not exported$'
$TM send-keys x "$T/marke" Tab
expect_screen "Tab completes the file name" '^export .* to: .*/marked\.pcap'
$TM send-keys Enter y y y
expect_screen "overwrite, with the fragments" \
    "exported 3 sessions, [0-9]+ packets to .*marked\.pcap"
first=$("$HUNTCON" -r "$cap" --sessions --fields session.first -q "$path")
"$HUNTCON" -r "$cap" -q "session.first = $first" -w "$T/frags.pcap" 2>/dev/null
cmp -s "$T/marked.pcap" "$T/frags.pcap" && ok "fragments exported as batch selects them" ||
	notok "fragments exported as batch selects them"
$TM send-keys x "$T/meta.tsv" Enter n y
expect_screen "meta to TSV" "exported the meta of 1 session to .*meta\.tsv"
"$HUNTCON" -r "$cap" -R "$T/rules" -R "$user" -q "$path" --sessions --header >"$T/batch.tsv"
cmp -s "$T/meta.tsv" "$T/batch.tsv" && ok "TSV as --sessions --header" ||
	notok "TSV as --sessions --header" "$(diff "$T/meta.tsv" "$T/batch.tsv")"
$TM send-keys Space x
expect_screen "no marks: the path's sessions" "^export the path's 1 session to:"
$TM send-keys "$T/meta.json" Enter n y
expect_screen "path's meta to JSON" "exported the meta of 1 session to .*meta\.json"
"$HUNTCON" -r "$cap" -R "$T/rules" -R "$user" -q "$path" --sessions --format json >"$T/batch.json"
cmp -s "$T/meta.json" "$T/batch.json" && ok "JSON lines as --sessions --format json" ||
	notok "JSON lines as --sessions --format json" "$(diff "$T/meta.json" "$T/batch.json")"

# --- An export to a full disk says why and leaves no file (root: tmpfs).
if [ "$(id -u)" != 0 ]; then
	echo "ok - export to a full disk # skip: needs root to mount a tmpfs"
elif mkdir -p "$T/full" && mount -t tmpfs -o size=64k tmpfs "$T/full"; then
	trap '$TM kill-server 2>/dev/null; umount "$T/full" 2>/dev/null; rm -rf "$T"' EXIT
	dd if=/dev/zero of="$T/full/fill" bs=4k count=32 2>/dev/null
	$TM send-keys x "$T/full/meta.tsv" Enter n y
	expect_screen "meta export to a full disk: the file and why" \
	    'full/meta\.tsv: No space left on device'
	check "meta export to a full disk: no file left" "fill" "$(ls -A "$T/full")"
	$TM send-keys x "$T/full/path.pcap" Enter n y
	expect_screen "pcap export to a full disk: the file and why" \
	    'full/path\.pcap: No space left on device'
	check "pcap export to a full disk: no file left" "fill" "$(ls -A "$T/full")"
	umount "$T/full"
else
	notok "mount a tmpfs for the console export" "mount -t tmpfs failed"
fi

# --- Quit asks about the rule not written; w writes it and quits.
$TM send-keys q
expect_screen "quit asks about unwritten rules" '^rule changes are not written: w write'
$TM send-keys Escape
wait_gone '^rule changes are not written' && ok "Esc stays" ||
	notok "Esc stays" "$(cat "$T/screen")"
$TM send-keys q w
end=$((SECONDS + 15))
while [ $SECONDS -le $end ] && [ ! -s "$T/rc" ]; do sleep 0.05; done
check "write and quit: exit 0" 0 "$(cat "$T/rc" 2>/dev/null)"
check "nothing on stderr (no sanitizer report under ASan)" "" "$(cat "$T/stderr")"
grep -q '^name="icmp large session" .* disable$' "$T/rules/10-session-analysis.nwr" &&
	ok "the disabled rule was written" || notok "the disabled rule was written" \
	"$(grep 'icmp large session' "$T/rules/10-session-analysis.nwr")"
"$HUNTCON" --check-rules "$T/rules" "$user" >"$T/check" 2>&1
check "the disabled writer leaves its reader a warning" \
    "0:$T/rules/20-icmp-tunnel.nwr:3:93: warning: rule 'possible_icmp_tunneling' reads analysis.session = 'icmp large session', which no rule and no parser writes" \
    "$?:$(cat "$T/check")"

finish
