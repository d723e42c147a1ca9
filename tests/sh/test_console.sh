#!/usr/bin/env bash
# test_console.sh - the console's walkthrough as a new analyst meets it
# (issue 19): a bad -q at start is refused with its column and no path; S
# never saves a rule that does not load; Backspace lands on the value that
# was drilled; rule-load errors show on the message line and in the Rules
# pane; Tab inside a quoted value completes the key's values; the order
# warning names the rule it conflicts with.  Driven in tmux, waiting on
# screen content.
. "$(dirname "$0")/../lib.sh"

. "$(dirname "$0")/../tmux.sh"
# The sanitizer build when there is one: the console must not leak or
# misbehave either.
use_asan

cap=$(cap icmp_tunnel)
mkdir -p "$T/rules" "$T/config"
cp "$TOP"/rules/*.nwr "$T/rules/"
export XDG_CONFIG_HOME=$T/config
user=$T/config/huntcon/rules/user.nwr
all=$("$HUNTCON" -r "$cap" -R "$T/rules" --sessions --fields sessionid | wc -l)

# --- A bad -q at start: the error with its column, no path, nothing saved.
start 80 24 -r "$cap" -R "$T/rules" -q "'ip.proto = = 1'"
loaded || notok "icmp_tunnel loads" "$(cat "$T/screen")"
expect_screen "bad -q: the error and its column on the message line" \
    '^-q: column 12: '
expect_screen "bad -q: the path is left empty" \
    "^path: \(all sessions\) +$all sessions?\$"
$TM send-keys S
expect_screen "bad -q: S has no path to save" '^drill first'
quit_rc "bad -q: quits with 0"
check "bad -q: no rule file written" "no" \
    "$([ -e "$user" ] && echo yes || echo no)"

# --- S refuses a path that does not load as a rule (a regex rules reject).
start 80 24 -r "$cap" -R "$T/rules"
loaded || notok "icmp_tunnel loads again" "$(cat "$T/screen")"
bad="alias.host = 'a\\\"'"
$TM send-keys / C-u "$bad" Enter
expect_screen "a path rules cannot quote" "^path: alias\.host = 'a\\\\\"' +0 sessions?\$"
$TM send-keys S
expect_screen "S asks for a name" '^save path as rule named:'
$TM send-keys "quoted hunt" Enter
expect_screen "S asks for the alert key" '^alert key: ioc$'
$TM send-keys Enter
expect_screen "S refuses a rule that would not load" \
    '^not saved: the rule would not load \(column [0-9]+: unterminated quote\)'
quit_rc "S refused: quits with 0"
check "S refused: no rule file written" "no" \
    "$([ -e "$user" ] && echo yes || echo no)"

# --- Backspace lands on the value that was drilled.
bcap=$(cap basic)
ball=$("$HUNTCON" -r "$bcap" -R "$T/rules" --sessions --fields sessionid | wc -l)
start 80 24 -r "$bcap" -R "$T/rules"
loaded || notok "basic loads for the drill" "$(cat "$T/screen")"
select_row ip.proto 17 && ok "cursor on ip.proto 17" ||
    notok "cursor on ip.proto 17" "$(cat "$T/screen")"
$TM send-keys Enter
expect_screen "drilled into ip.proto 17" '^path: ip\.proto = 17 +[0-9]+ sessions?$'
$TM send-keys BSpace
expect_screen "Backspace steps back" "^path: \(all sessions\) +$ball sessions?\$"
wait_for '^> ' 5
selected_in ip.proto 17 && ok "Backspace lands on ip.proto 17" ||
    notok "Backspace lands on ip.proto 17" "$(cat "$T/screen")"
select_row ip.proto 1 && $TM send-keys '!'
expect_screen "drilled into ip.proto != 1" '^path: ip\.proto != 1 +[0-9]+ sessions?$'
$TM send-keys BSpace
expect_screen "Backspace steps back again" "^path: \(all sessions\) +$ball sessions?\$"
wait_for '^> ' 5
selected_in ip.proto 1 && ok "Backspace lands on the negated ip.proto 1" ||
    notok "Backspace lands on the negated ip.proto 1" "$(cat "$T/screen")"
quit_rc "drill: quits with 0"

# --- Rule-load errors on the message line at start and in the Rules pane.
mkdir -p "$T/bad"
cp "$TOP"/rules/*.nwr "$T/bad/"
printf '%s\n' "name=broken rule=\"ip.proto = = 1\" alert=ioc" \
    'this is junk' >"$T/bad/50-bad.nwr"
start 80 24 -r "$bcap" -R "$T/bad"
loaded || notok "basic loads with bad rules" "$(cat "$T/screen")"
expect_screen "rule errors: counted on the message line, first shown" \
    "^rules: 2 errors \(4:Rules lists them\): 50-bad\.nwr:1:30: error: expected"
$TM send-keys 4
expect_screen "rule errors: the Rules pane counts them" \
    '^ +# +on +rule \([0-9]+, [0-9]+ active, 2 with errors;'
$TM send-keys End
expect_screen "rule errors: the Rules pane lists the error" \
    "^ +50-bad\.nwr:1:30: error: expected a value after '=', found '='"
quit_rc "rule errors: quits with 0"
grep -q "^$T/bad/50-bad\.nwr:2: error: rule has no name=" "$T/stderr" &&
    ok "rule errors: still on stderr" ||
    notok "rule errors: still on stderr" "$(cat "$T/stderr")"

# --- Tab inside a quoted value completes the key's values, blanks and all.
start 100 24 -r "$cap" -R "$T/rules"
loaded || notok "icmp_tunnel loads for completion" "$(cat "$T/screen")"
$TM send-keys / C-u "analysis.session = 'icmp l" Tab
expect_screen "Tab completes a quoted value with blanks" \
    "^/ analysis\.session = 'icmp large session' *\$"
$TM send-keys C-u "analysis.session = 'session size 1" Tab Tab
expect_screen "Tab lists the quoted values that match, whole" \
    "^'session size 1-10m' 'session size 10-50k' *\$"
$TM send-keys C-u "analysis.session = 'session split','icmp t" Tab
expect_screen "Tab completes the next value of a list" \
    "^/ analysis\.session = 'session split','icmp tunnel magic' *\$"
n=$("$HUNTCON" -r "$cap" -R "$T/rules" --sessions --fields sessionid \
    -q "analysis.session = 'session split','icmp tunnel magic'" | wc -l)
$TM send-keys Enter
expect_screen "the completed list applies" \
    "^path: analysis\.session = 'session split','icmp tunnel magic' +$n sessions?\$"
quit_rc "completion: quits with 0"

# --- Export acts on what is shown: x in the Session view exports the open
# session; marks a path change hides are counted; u unmarks them all; the
# prompt says what it will write before writing.
start 100 24 -r "$cap" -R "$T/rules"
loaded || notok "icmp_tunnel loads for export" "$(cat "$T/screen")"
$TM send-keys 2
expect_screen "Events lists the sessions" '^> +1 2024-01-15 10:00:00 '
$TM send-keys Enter
expect_screen "Session view of session 1" '^session 1$'
$TM send-keys x
expect_screen "x in the Session view: the open session" '^export session 1 to:'
$TM send-keys "$T/one.pcap" Enter
expect_screen "its other fragments are offered" \
    '^take the other 2 fragments of split conversations too\? \(y/n\)$'
$TM send-keys n
p1=$("$HUNTCON" -r "$cap" -R "$T/rules" -q "sessionid = 1" --sessions \
    --fields packets)
expect_screen "the prompt says what it will write" \
    "^write 1 session, $p1 packets to .*/one\.pcap \(pcap\)\? \(y/n\)\$"
check "nothing is written before the answer" no \
    "$([ -e "$T/one.pcap" ] && echo yes || echo no)"
$TM send-keys y
expect_screen "the open session is exported" \
    "^exported 1 session, $p1 packets to .*/one\.pcap"
"$HUNTCON" -r "$cap" -R "$T/rules" -q "sessionid = 1" -w "$T/one-batch.pcap" \
    2>/dev/null
cmp -s "$T/one.pcap" "$T/one-batch.pcap" &&
    ok "the open session's packets, as batch writes them" ||
    notok "the open session's packets, as batch writes them"
$TM send-keys 2 Home Space Space
expect_screen "two sessions marked" ' marked: 2$'
$TM send-keys / C-u "sessionid = 1" Enter
expect_screen "a path change hides a mark: shown" \
    ' marked: 2 \(1 outside the path\)$'
$TM send-keys x
expect_screen "the export prompt counts the hidden mark" \
    '^export 2 marked sessions \(1 outside the path\) to:'
$TM send-keys "$T/marks.tsv" Enter
expect_screen "the marked session's fragments are offered" \
    '^take the other 2 fragments of split conversations too\? \(y/n\)$'
$TM send-keys n
expect_screen "meta: the prompt says what it will write" \
    "^write the meta of 2 sessions to .*/marks\.tsv \(TSV\)\? \(y/n\)\$"
$TM send-keys n
expect_screen "answer no: nothing written" '^not exported$'
check "answer no: no file" no "$([ -e "$T/marks.tsv" ] && echo yes || echo no)"
$TM send-keys u
expect_screen "u unmarks every session" '^unmarked 2 sessions$'
wait_gone 'marked: ' && ok "no marks left on the status line" ||
    notok "no marks left on the status line" "$(cat "$T/screen")"
$TM send-keys x
expect_screen "no marks: the path's sessions" "^export the path's 1 session to:"
$TM send-keys Escape
quit_rc "export: quits with 0"

# --- The same in batch: console export with the split fragments equals
# -w --with-fragments; --packets lists the packets the Session view shows,
# numbered as Wireshark numbers them.
start 100 24 -r "$cap" -R "$T/rules"
loaded || notok "icmp_tunnel loads for fragments" "$(cat "$T/screen")"
$TM send-keys 2
expect_screen "Events again" '^> +1 2024-01-15 10:00:00 '
$TM send-keys Enter
expect_screen "Session view of session 1 again" '^session 1$'
$TM send-keys x "$T/frags.pcap" Enter
expect_screen "fragments offered again" '^take the other 2 fragments'
$TM send-keys y
pf=$("$HUNTCON" -r "$cap" -R "$T/rules" -q "session.first = 1" --sessions \
    --fields packets | awk '{ n += $1 } END { print n }')
expect_screen "with fragments: what it will write" \
    "^write 3 sessions, $pf packets to .*/frags\.pcap \(pcap\)\? \(y/n\)\$"
$TM send-keys y
expect_screen "with fragments: exported" "^exported 3 sessions, $pf packets"
quit_rc "fragments: quits with 0"
"$HUNTCON" -r "$cap" -R "$T/rules" -q "sessionid = 1" --with-fragments \
    -w "$T/frags-batch.pcap" 2>/dev/null
check "batch -w --with-fragments: exit 0" 0 $?
cmp -s "$T/frags.pcap" "$T/frags-batch.pcap" &&
    ok "console export with fragments = batch -w --with-fragments" ||
    notok "console export with fragments = batch -w --with-fragments"
run_hc "$T/fs" "$T/err" -r "$cap" -R "$T/rules" -q "sessionid = 1" \
    --with-fragments --sessions --fields sessionid
check "--sessions --with-fragments: the conversation" "1 3 4" \
    "$(tr '\n' ' ' <"$T/fs" | sed 's/ $//')"
run_hc "$T/pk" "$T/err" -r "$cap" -R "$T/rules" -q "sessionid = 2" \
    --packets --header
check "--packets: exit 0" 0 "$rc"
check "--packets: the header" \
    "$(printf 'sessionid\tframe\ttime\toffset\tdirection\tlength')" \
    "$(head -1 "$T/pk")"
check "--packets: a line per packet" \
    "$("$HUNTCON" -r "$cap" -q "sessionid = 2" --sessions --fields packets)" \
    "$(($(wc -l <"$T/pk") - 1))"
check "--packets: the first packet" \
    "$(printf '2\t733\t2024-01-15T10:00:30.000000Z\t+0.000000\trequest\t98')" \
    "$(sed -n 2p "$T/pk")"
check "--packets: the second, a response 24 ms later" \
    "$(printf '2\t735\t2024-01-15T10:00:30.024001Z\t+0.024001\tresponse\t98')" \
    "$(sed -n 3p "$T/pk")"
if command -v tshark >/dev/null 2>&1; then
	check "--packets: Wireshark's frame numbers" \
	    "$(tshark -r "$cap" -Y 'ip.addr == 8.8.4.4' -T fields \
	    -e frame.number 2>/dev/null | tr '\n' ' ')" \
	    "$(sed 1d "$T/pk" | cut -f2 | tr '\n' ' ')"
	check "--packets --hex: the frame's bytes" \
	    "$(tshark -r "$cap" -Y 'frame.number == 735' -x 2>/dev/null |
	    sed -n 's/^[0-9a-f]\{4\}  //p' | cut -c1-48 | tr -d ' \n')" \
	    "$("$HUNTCON" -r "$cap" -q "sessionid = 2" --packets --hex |
	    sed -n 2p | cut -f7)"
fi
run_hc "$T/pk2" "$T/err" -r "$cap" -r "$cap" -q "sessionid = 2" --packets \
    --text
check "--packets with two inputs: FILE:FRAME" "icmp_tunnel.pcap:733" \
    "$(head -1 "$T/pk2" | cut -f2)"
check "--packets --text: the payload, escaped" \
    '>\x02\xa5e\x00\x00\x00\x00' "$(head -1 "$T/pk2" | cut -f7 | cut -c1-26)"
run_hc "$T/out" "$T/err" -r "$cap" --hex
check "--hex without --packets: usage error" 2 "$rc"
run_hc "$T/out" "$T/err" -r "$cap" --with-fragments --values ip.proto
check "--with-fragments with --values: usage error" 2 "$rc"

# / says whether it edits the path or starts a new one, and goes with it.
start 100 30 -r "$cap" -q "'ip.proto = 1'"
loaded || notok "loads for the prompt's hint" "$(cat "$T/screen")"
$TM send-keys /
expect_screen "/ on a path: editing it, C-u for a new one" \
    '^editing the path: Enter applies it, C-u starts a new one, Esc cancels$'
$TM send-keys Escape
wait_gone '^editing the path' && ok "Esc: the hint goes with the prompt" ||
	notok "Esc: the hint goes with the prompt" "$(cat "$T/screen")"
$TM send-keys c /
expect_screen "/ with no path: a new one" \
    '^a new path: Enter applies it, Esc cancels$'
$TM send-keys Escape
quit_rc "the prompt's hint: quits with 0"

finish
