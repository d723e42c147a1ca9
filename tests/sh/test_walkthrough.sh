#!/usr/bin/env bash
# test_walkthrough.sh - README.md's "A hunt, step by step", followed word
# for word (issue 19): its query, path, rule name and batch commands are
# read from the README itself; the console parts are checked on the screen
# and the batch parts run as written.  It runs as a user who is not root
# (nobody, with its own XDG_CONFIG_HOME) whose bundled rules are read-only
# (a read-only bind mount): save with S, move above a bundled rule, see
# the warning, write, fix the order, write; the bundled files stay as they
# were and --check-rules reads the order file.  Driven in tmux, waiting on
# screen content.  Needs root (setpriv, mount).
. "$(dirname "$0")/../lib.sh"

if ! command -v tmux >/dev/null 2>&1 || ! command -v setpriv >/dev/null ||
    [ "$(id -u)" != 0 ]; then
	echo "# skip: needs tmux, setpriv and root"
	finish
fi

. "$(dirname "$0")/../tmux.sh"
use_asan
HC=$HUNTCON
trap 'umount "$T/bundled" 2>/dev/null; $TM kill-server 2>/dev/null; rm -rf "$T"' EXIT

# --- The walkthrough's words, from the README.
walk=$(sed -n '/^## A hunt, step by step/,/^## Batch modes/p' "$TOP/README.md")
flat=$(printf '%s\n' "$walk" | tr '\n' ' ' | tr -s ' ')
re_query='for example `([^`]*)`'
re_path='With the path at the tunnel \(`([^`]*)`\)'
re_name='name the rule \(`([^`]*)`\)'
[[ $flat =~ $re_query ]] && query=${BASH_REMATCH[1]} || query=
[[ $flat =~ $re_path ]] && path=${BASH_REMATCH[1]} || path=
[[ $flat =~ $re_name ]] && name=${BASH_REMATCH[1]} || name=
mapfile -t cmds < <(printf '%s\n' "$walk" | sed -n 's/^       \(\.\/huntcon .*\)$/\1/p')
check "README: the query, path, rule name and two commands found" \
    "yes yes yes 2" "$([ -n "$query" ] && echo yes) $([ -n "$path" ] &&
    echo yes) $([ -n "$name" ] && echo yes) ${#cmds[@]}"

# --- A user who is not root, read-only bundled rules, the demo capture.
chmod 755 "$T"
mkdir -p "$T/bundled" "$T/config" "$T/state" "$T/wt/build"
cp "$TOP"/rules/*.nwr "$T/bundled/"
sum_before=$(cd "$T/bundled" && sha256sum -- *.nwr)
if mount --bind "$T/bundled" "$T/bundled" &&
    mount -o remount,ro,bind "$T/bundled"; then
	ok "bundled rules are read-only"
else
	notok "bundled rules are read-only" "mount failed"
fi
cp "$(cap demo)" "$T/wt/build/demo.pcap"
ln -s "$HUNTCON" "$T/wt/huntcon"
chown -R nobody:nogroup "$T/config" "$T/state" "$T/wt"
export XDG_CONFIG_HOME=$T/config HUNTCON_RULES=$T/bundled
asnobody="setpriv --reuid=nobody --regid=nogroup --clear-groups"
order=$T/config/huntcon/rules/order
demo=$T/wt/build/demo.pcap
# count QUERY: the sessions batch mode finds (as nobody, like the console).
count() {
	$asnobody "$HC" -r "$demo" --sessions --fields sessionid \
	    ${1:+-q "$1"} | wc -l
}
# re TEXT: TEXT as an extended regular expression that matches itself.
re() { printf '%s' "$1" | sed 's/[][\.*^$()+?{}|]/\\&/g'; }

cd "$T/wt" || exit 1
HUNTCON="$asnobody ./huntcon"
start 120 50 -r build/demo.pcap
loaded || notok "the demo loads as nobody" "$(cat "$T/screen")"

# 1. Navigate.
expect_screen "1: the hunting keys first" '^>?▾ analysis\.session '
expect_screen "1: ioc already shows possible_dns_tunneling" \
    '^ +[0-9]+  possible_dns_tunneling$'
expect_screen "1: and the ICMP tunnel indicators" '^ +[0-9]+  icmp_tunnel_magic$'
select_row ioc possible_dns_tunneling ||
    notok "1: cursor on ioc" "$(cat "$T/screen")"
$TM send-keys a
expect_screen "1: a shows all of ioc, possible_icmp_tunneling among them" \
    '^ +1  possible_icmp_tunneling$'
$TM send-keys a

# 2. Drill.
select_row ip.proto 1 || notok "2: cursor on ip.proto 1" "$(cat "$T/screen")"
$TM send-keys Enter
expect_screen "2: the breadcrumb reads ip.proto = 1 with its count" \
    "^path: ip\\.proto = 1 +$(count 'ip.proto = 1') sessions\$"
expect_screen "2: analysis.session is counted again" \
    '^ +[0-9]+  icmp tunnel magic$'
expect_screen "2: icmp payload size varies among them" \
    '^ +[0-9]+  icmp payload size varies$'
select_row analysis.session 'icmp tunnel magic' && $TM send-keys a
for v in 'icmp large session' 'session size greater than 1mb' 'session split'; do
	expect_screen "2: a shows $v" "^ +[0-9]+  $v\$"
done
select_row analysis.session 'icmp large session' && $TM send-keys Enter
expect_screen "2: Enter drills further" \
    "^path: ip\\.proto = 1 && analysis\\.session = 'icmp large session' +$(count "ip.proto = 1 && analysis.session = 'icmp large session'") sessions?\$"
$TM send-keys BSpace
expect_screen "2: Backspace steps back" '^path: ip\.proto = 1 +[0-9]+ sessions$'

# 3. Ask.
$TM send-keys / C-u "$query" Enter
expect_screen "3: the README's query applies" \
    "^path: $(re "$query") +$(count "$query") sessions?\$"
$TM send-keys / C-u "ip.proto exsts 1" Enter
expect_screen "3: a mistake shows a caret under its column" '^ +\^ column 10: '
$TM send-keys Escape

# 4. Look.
$TM send-keys 2
expect_screen "4: 2 lists the sessions of the path" '^> +[0-9]+ '
$TM send-keys Enter
expect_screen "4: Enter opens one" '^session [0-9]+: [0-9,]+ packets?$'
for _ in 1 2 3 4 5; do
	wait_for '^    0000  ' 1 && break
	$TM send-keys NPage
done
expect_screen "4: its packets in hex and ASCII" '^    0000  ([0-9a-f]{2} ){16} '
$TM send-keys t
expect_screen "4: t shows their payload as text" '\(payload as text\)$'
$TM send-keys G
expect_screen "4: G goes to the last packet" \
    '^session [0-9]+: packet ([0-9,]+) of \1  \(payload as text\)$'
$TM send-keys '?'
expect_screen "4: ? shows every key" 'drill the negation'
$TM send-keys '?'

# 5. Keep the hunt.
$TM send-keys / C-u "$path" Enter
expect_screen "5: the path at the tunnel" \
    "^path: $(re "$path") +$(count "$path") sessions?\$"
$TM send-keys S
expect_screen "5: S asks for the rule's name" '^save path as rule named:'
$TM send-keys "$name" Enter
expect_screen "5: then for the alert key" '^alert key: ioc$'
$TM send-keys Enter
expect_screen "5: written to user.nwr" '^saved as user\.nwr:1 \(order=[0-9]+\)'
check_grep "5: user.nwr holds the rule" "^name=\"$name\" rule=\"$path\" alert=ioc" \
    "$T/config/huntcon/rules/user.nwr"
$asnobody "$HC" -r "$demo" --values ioc >"$T/ioc"
check_grep "5: ioc now counts the new rule (batch)" "^1	$name\$" "$T/ioc"

# 6. Order the rules.
$TM send-keys 4
expect_screen "6: the rule editor, on the new rule" \
    "^> +[0-9]+ \\[x\\] $name +ioc +user\\.nwr:1"
for _ in $(seq 1 40); do
	wait_for "user\\.nwr:1: warning: rule '$name' reads ioc" 1 && break
	$TM send-keys K
done
expect_screen "6: moved above possible_icmp_tunneling: the warning" \
    "user\\.nwr:1: warning: rule '$name' reads ioc = 'possible_icmp_tunneling', which rule"
expect_screen "6: it names the rule and file it conflicts with" \
    "'possible_icmp_tunneling' \\(.*/20-icmp-tunnel\\.nwr:3\\) writes later"
$TM send-keys w
expect_screen "6: w writes your files only" '^wrote 2 rule files; '
check "6: the bundled files are unchanged" "$sum_before" \
    "$(cd "$T/bundled" && sha256sum -- *.nwr)"
check_grep "6: the order file holds the bundled rule's new order" \
    '^order=[0-9]+ name="possible_icmp_tunneling"$' "$order"
$asnobody bash -c "${cmds[0]}" >"$T/check" 2>&1
check "6: ${cmds[0]}: a warning is exit 0" 0 $?
check_grep "6: ${cmds[0]} reads the order file: the new order" \
    "user\\.nwr:1: warning: rule '$name' reads ioc = 'possible_icmp_tunneling', which rule 'possible_icmp_tunneling' \\(.*20-icmp-tunnel\\.nwr:3\\) writes later; move it above rule '$name'\$" \
    "$T/check"
$TM send-keys f
expect_screen "6: f fixes the order" '^order fixed: '
$TM send-keys w
expect_screen "6: and w writes it" '^wrote [0-9]+ rule files?; '
$asnobody bash -c "${cmds[0]}" >"$T/check" 2>&1
check "6: ${cmds[0]} after the fix: exit 0" 0 $?
check "6: ${cmds[0]} after the fix: no finding" "" "$(cat "$T/check")"
check "6: the bundled files are still unchanged" "$sum_before" \
    "$(cd "$T/bundled" && sha256sum -- *.nwr)"

# 7. Export.
$TM send-keys 1 x
expect_screen "7: x on the path's sessions" "^export the path's 1 session to:"
$TM send-keys tunnel.pcap Enter
expect_screen "7: the other fragments are offered" \
    '^take the other [0-9]+ fragments of split conversations too\? \(y/n\)$'
$TM send-keys y
expect_screen "7: it says what it will write" \
    '^write [0-9]+ sessions, [0-9]+ packets to tunnel\.pcap \(pcap\)\? \(y/n\)$'
$TM send-keys y
expect_screen "7: written" '^exported [0-9]+ sessions, [0-9]+ packets to tunnel\.pcap'
quit_rc "quits with 0 as nobody"
mv tunnel.pcap console.pcap
$asnobody bash -c "${cmds[1]}" 2>"$T/err"
check "7: ${cmds[1]}: exit 0" 0 $?
cmp -s console.pcap tunnel.pcap && ok "7: the same in batch, byte for byte" ||
    notok "7: the same in batch, byte for byte" "$(cat "$T/err")"
cd "$TOP" || exit 1

finish
