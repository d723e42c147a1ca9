#!/usr/bin/env bash
# test_escape.sh - SPEC §6 escaping of everything huntcon echoes from its
# input, on stdout, stderr and the screen: C1 controls, bidi controls
# (RLO, LRI...), invisible format characters (ZWSP, BOM...), raw ESC, CR and
# bad UTF-8 in capture file names (-r FILE, -r DIR), packets (DNS and HTTP
# names), rule files, --set, the config file, --fields, --values, --sort,
# -q and -w.  Each output must hold none of those bytes, and show them as
# \xNN instead; a long value in a message is cut after 200 bytes.
. "$(dirname "$0")/../lib.sh"

RLO=$(printf '\xe2\x80\xae')
LRI=$(printf '\xe2\x81\xa6')
ZWSP=$(printf '\xe2\x80\x8b')
BOM=$(printf '\xef\xbb\xbf')
NEL=$(printf '\xc2\x85')
ESC=$(printf '\x1b')
CR=$(printf '\r')
BAD=$(printf '\xff')

# hidden FILE: the file holds a byte SPEC §6 escapes (TAB and LF are the
# TSV's own) or is not valid UTF-8.
hidden() {
	LC_ALL=C grep -aqP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|'\
'\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0-\xa4\xa6-\xa9]|\xef\xbb\xbf' \
	    "$1" && return 0
	! iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1
}

# clean NAME FILE...: none of the files holds a hidden byte.
clean() {
	local f
	for f in "${@:2}"; do
		if hidden "$f"; then
			notok "$1" "$f: $(cat -v "$f" | head -5)"
			return
		fi
	done
	ok "$1"
}

# has NAME TEXT FILE: the file holds TEXT (fixed string).
has() {
	if grep -aqF -- "$2" "$3"; then ok "$1"; else
		notok "$1" "no '$2' in: $(cat -v "$3" | head -5)"; fi
}

# run_clean NAME RC ARGS...: run huntcon into $T/out, $T/err; check the status
# and that neither output holds a hidden byte.
run_clean() {
	local name=$1 want=$2
	shift 2
	run_hc "$T/out" "$T/err" "$@"
	check "$name: exit $want" "$want" "$rc"
	clean "$name: nothing raw on stdout and stderr" "$T/out" "$T/err"
}

basic=$(cap basic)
hid=$(cap hidden)

# --- -r FILE: a file that is not a capture, named with RLO, C1, ESC, CR.
printf 'not a capture at all' >"$T/inv${RLO}fdp${NEL}${ESC}[2J${CR}.pcap"
run_clean "-r FILE" 1 -r "$T/inv${RLO}fdp${NEL}${ESC}[2J${CR}.pcap" --stats
has "-r FILE: name escaped" 'inv\xe2\x80\xaefdp\xc2\x85\x1b[2J\r.pcap: ' \
    "$T/err"
run_clean "-r missing" 1 -r "$T/gone${LRI}${BAD}.pcap" --stats
has "-r missing: name escaped" 'gone\xe2\x81\xa6\xff.pcap: cannot open' \
    "$T/err"

# --- -w: the output's name on stderr, then "file exists".
run_clean "-w" 0 -r "$basic" -w "$T/out${RLO}${ZWSP}.pcap"
has "-w: name escaped" 'out\xe2\x80\xae\xe2\x80\x8b.pcap: 103 packets' "$T/err"
run_clean "-w exists" 1 -r "$basic" -w "$T/out${RLO}${ZWSP}.pcap"
has "-w exists: name escaped" \
    'out\xe2\x80\xae\xe2\x80\x8b.pcap: file exists' "$T/err"

# --- -r DIR: a capture and a file that is not one, both with odd names.
mkdir "$T/dir"
cp "$basic" "$T/dir/a${RLO}.pcap"
printf 'notes' >"$T/dir/b${BOM}${NEL}${ESC}${BAD}.txt"
run_clean "-r DIR" 0 -r "$T/dir" --values did
has "-r DIR: skipped name escaped" \
    'b\xef\xbb\xbf\xc2\x85\x1b\xff.txt: skipped' "$T/err"
check "-r DIR: did escaped" "18	$T/dir/a\\xe2\\x80\\xae.pcap" \
    "$(cat "$T/out")"

# --- Names in packets: DNS names and HTTP headers, every output format.
run_clean "--values alias.host" 0 -r "$hid" --values alias.host
has "--values: RLO" 'www\xe2\x80\xaefdp.hid.example' "$T/out"
has "--values: C1" 'c1\xc2\x85nel\xc2\x9b.hid.example' "$T/out"
has "--values: isolates" 'iso\xe2\x81\xa6late\xe2\x81\xa9.hid.example' \
    "$T/out"
has "--values: zero-width" 'zw\xe2\x80\x8bsp\xe2\x80\x8f.hid.example' \
    "$T/out"
has "--values: BOM" 'bom\xef\xbb\xbf.hid.example' "$T/out"
has "--values: LRE and WJ" 'lre\xe2\x80\xaa.wj\xe2\x81\xa0.hid.example' \
    "$T/out"
has "--values: ESC, CR, bad byte" 'esc\x1b[0m.cr\r.bad\xff.hid.example' \
    "$T/out"
has "--values: other UTF-8 as it is" "café$(printf '\xc2\xa0')ok.hid" \
    "$T/out"
run_clean "--sessions tsv" 0 -r "$hid" --sessions --fields alias.host,client,server
has "--sessions tsv: Host, User-Agent, Server" \
    'www\xe2\x80\xaefdp.hid.example	Mozilla/5.0 \xc2\x9b31m \xe2\x81\xa6x\xe2\x81\xa9	srv\xe2\x80\x8b/1.0' \
    "$T/out"
run_clean "--sessions json" 0 -r "$hid" --sessions --format json \
    --fields alias.host,client
has "--sessions json: Host" '"www\\xe2\\x80\\xaefdp.hid.example"' "$T/out"
has "--sessions json: User-Agent" '"Mozilla/5.0 \\xc2\\x9b31m' "$T/out"

# --- Rule files: file name, rule names, words and conditions.
rf="$T/r${RLO}.nwr"
{
	printf 'name="dup%s%s" rule="service = 80" alert=ioc\n' "$RLO" "$ESC"
	printf 'name="dup%s%s" rule="service = 53" alert=ioc\n' "$RLO" "$ESC"
	printf 'name=w rule="service = 80" alert=ioc bad%sword\n' "$ZWSP"
	printf 'name=q rule="nokey%s%s = 1" alert=ioc\n' "$LRI" "$NEL"
	printf 'name=o rule="service = 80" alert=ioc order=1%s\r\n' "$BAD"
} >"$rf"
run_clean "--check-rules" 1 --check-rules "$rf"
has "--check-rules: file name" 'r\xe2\x80\xae.nwr:2: ' "$T/out"
has "--check-rules: rule name" "duplicate rule name 'dup\\xe2\\x80\\xae\\x1b'" \
    "$T/out"
has "--check-rules: unknown word" "unknown word 'bad\\xe2\\x80\\x8bword'" \
    "$T/out"
has "--check-rules: condition" "'nokey\\xe2\\x81\\xa6\\xc2\\x85' is not a key" \
    "$T/out"
has "--check-rules: order" "not '1\\xff'" "$T/out"
run_clean "-R" 1 -r "$basic" -R "$rf" --values service
has "-R: diagnostics on stderr" "duplicate rule name 'dup\\xe2\\x80\\xae" \
    "$T/err"

# --- Settings: --set and the config file.
run_clean "--set value" 2 -r "$basic" --set "dns.low_ttl=1${RLO}" --stats
has "--set value: escaped" "'1\\xe2\\x80\\xae' is not a valid value" "$T/err"
run_clean "--set name" 2 -r "$basic" --set "no${NEL}such=1" --stats
has "--set name: escaped" "unknown setting 'no\\xc2\\x85such'" "$T/err"
run_clean "--set NAME=VALUE" 2 -r "$basic" --set "x${ESC}]0;t"
has "--set NAME=VALUE: escaped" "'x\\x1b]0;t' is not NAME=VALUE" "$T/err"
mkdir -p "$T/xdg/huntcon"
printf 'dns.low_ttl=5\nfoo%s[31m%s=1\n' "$ESC" "$RLO" \
    >"$T/xdg/huntcon/huntcon.conf"
XDG_CONFIG_HOME=$T/xdg run_clean "config file" 1 -r "$basic" --stats
has "config file: line escaped" \
    "huntcon.conf:2: unknown setting 'foo\\x1b[31m\\xe2\\x80\\xae'" "$T/err"

# --- Options echoed in usage errors, and a query's token.
run_clean "--fields" 2 -r "$basic" --sessions --fields "ip.src,a${RLO}b"
has "--fields: key escaped" "unknown meta key 'a\\xe2\\x80\\xaeb'" "$T/err"
run_clean "--values KEY" 2 -r "$basic" --values "k${BOM}"
has "--values KEY: key escaped" "unknown meta key 'k\\xef\\xbb\\xbf'" "$T/err"
run_clean "--sort" 2 -r "$basic" --values service --sort "c${LRI}"
has "--sort: escaped" "not 'c\\xe2\\x81\\xa6'" "$T/err"
run_clean "--format" 2 -r "$basic" --sessions --format "t${CR}"
has "--format: escaped" "not 't\\r'" "$T/err"
run_clean "-q" 1 -r "$basic" --sessions -q "service = 80 && ${RLO}"
has "-q: token escaped" "'\\xe2\\x80\\xae'" "$T/err"

# --- A long value in a message is cut after 200 bytes of escaped text.
long=$(printf 'x%.0s' $(seq 1 300))
run_clean "long --set" 2 -r "$basic" --set "dns.low_ttl=$long"
has "long --set: cut at 200 bytes" "'$(printf 'x%.0s' $(seq 1 200))...'" \
    "$T/err"
check "long --set: not longer" 0 "$(grep -c "x\{201\}" "$T/err")"

# --- The screen: the Navigate pane and the message line.
if command -v tmux >/dev/null 2>&1; then
	. "$(dirname "$0")/../tmux.sh"
	mkdir "$T/sdir"
	cp "$hid" "$T/sdir/hidden.pcap"
	printf 'notes' >"$T/sdir/note${RLO}txt.exe"
	start 100 40 -r "$T/sdir" -q "\"alias.host = 'www${RLO}fdp.hid.example'\""
	loaded || notok "screen: hidden loads" "$(cat "$T/screen")"
	expect_screen "screen: RLO in the path escaped" \
	    "^path: alias\.host = 'www\\\\xe2\\\\x80\\\\xaefdp\.hid\.example' +1 sessions"
	expect_screen "screen: RLO in a host name escaped" \
	    '^ +1  www\\xe2\\x80\\xaefdp\.hid\.example *$'
	expect_screen "screen: C1 and isolates in User-Agent escaped" \
	    'Mozilla/5\.0 \\xc2\\x9b31m \\xe2\\x81\\xa6x\\xe2\\x81\\xa9'
	expect_screen "screen: skipped file named on the message line" \
	    'note\\xe2\\x80\\xaetxt\.exe: skipped'
	clean "screen: nothing raw in the pane" "$T/screen"
	has "screen: stderr names the skipped file escaped" \
	    'note\xe2\x80\xaetxt.exe: skipped' "$T/stderr"
	clean "screen: nothing raw on stderr" "$T/stderr"
	quit_rc "screen: q exits 0"
fi

finish
