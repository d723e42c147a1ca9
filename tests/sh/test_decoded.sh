#!/usr/bin/env bash
# test_decoded.sh - decoded views (issue 20): --packets --decoded prints
# what each packet's DNS message, HTTP head or TLS hello says, escaped;
# exact lines on the standard set, and the DNS names and addresses, HTTP
# Host and User-Agent, TLS SNI and JA3/JA3S compared with tshark's on
# generated captures.  The console's d shows the same lines (screen test
# at the end, in tmux).
. "$(dirname "$0")/../lib.sh"

std=$(cap lt_en10mb)

# decoded CAP: "FRAME<TAB>LINE" for every decoded line of every packet.
decoded() {
	"$HUNTCON" -r "$1" -R none --packets --decoded |
	    awk -F'\t' '$7 != "" { n = split($7, l, /\\n/)
		for (i = 1; i <= n; i++) print $2 "\t" l[i] }'
}

"$HUNTCON" -r "$std" -R none --packets --decoded --header >"$T/std"
check "the header names the column" \
    "sessionid	frame	time	offset	direction	length	decoded" \
    "$(head -1 "$T/std")"
check "a DNS response: header, question and answer, exact" \
    'dns response id 0x3a08 NOERROR, 1 question, 1 answer, 0 authority, 0 additional\n  question: www.example.org A IN\n  answer: www.example.org A 93.184.216.34 ttl 600' \
    "$(awk -F'\t' '$2 == 34 { print $7 }' "$T/std")"
check "an AAAA answer" \
    'dns response id 0x96f9 NOERROR, 1 question, 1 answer, 0 authority, 0 additional\n  question: v6.example.com AAAA IN\n  answer: v6.example.com AAAA 2001:db8::80 ttl 600' \
    "$(awk -F'\t' '$2 == 36 { print $7 }' "$T/std")"
check "an HTTP request: its line and headers, exact" \
    'http request: GET / HTTP/1.1\n  Host: www.example.com\n  User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0\n  Accept: */*' \
    "$(awk -F'\t' '$2 == 4 { print $7 }' "$T/std")"
check "an HTTP response's head" \
    'http response: HTTP/1.1 200 OK\n  Server: ECS (nyb/1D2E)\n  Content-Type: text/html\n  Content-Length: 3000' \
    "$(awk -F'\t' '$2 == 6 { print $7 }' "$T/std")"
check "a ServerHello: versions, suite, JA3S, exact" \
    'tls ServerHello, record tls 1.2, hello tls 1.2\n  cipher suite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f)\n  ja3s: 76c691f46143bf86e2d1bb73c6187767\n  ja3s string: 771,49199,65281-11-23' \
    "$(awk -F'\t' '$2 == 19 { print $7 }' "$T/std")"
decoded "$std" | awk -F'\t' '$1 == 17' | cut -f2 >"$T/ch"
check "a ClientHello's lines" \
    "tls ClientHello, record tls 1.0, hello tls 1.2
  supported versions: tls 1.3, tls 1.2
  sni: v6.example.com
  alpn: h2, http/1.1
  ja3: d911ecb3cad5324d4055054dad4cb572" \
    "$(grep -v -e '^  cipher suites' -e '^  ja3 string' "$T/ch")"
check "its suites by name, counted" \
    "  cipher suites (17): TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256" \
    "$(grep '^  cipher suites' "$T/ch" | cut -d, -f1-2)"
check "packets with nothing known leave the column empty" 0 \
    "$(awk -F'\t' 'NR > 1 && $6 == 54 && $7 != ""' "$T/std" | wc -l)"
check "the engine's ja3 meta is the digest shown" \
    "d911ecb3cad5324d4055054dad4cb572" \
    "$("$HUNTCON" -r "$std" -R none --values ja3 | cut -f2)"

# --- against tshark: the same names, addresses, hosts, agents and hellos.
if command -v tshark >/dev/null 2>&1; then
	# ts CAP FILTER FIELDS...: "FRAME<TAB>VALUE" lines, one a value.
	ts() {
		local c=$1 f=$2 e=()
		shift 2
		for x in "$@"; do e+=(-e "$x"); done
		tshark -r "$c" -Y "$f" -T fields -E occurrence=a \
		    -E aggregator=, -e frame.number "${e[@]}" 2>/dev/null |
		    awk -F'\t' '{ for (i = 2; i <= NF; i++) { n = split($i,
			v, ","); for (j = 1; j <= n; j++) if (v[j] != "")
			print $1 "\t" v[j] } }' | sort -u
	}
	# Generated captures, and real ones of the corpus when it is there
	# (an SSL 3.0 hello without extensions, TLS 1.3, DNS on TCP, CAA).
	set -- lt_en10mb demo dns_reverse local_names http_iphost
	for c in ssl-selfsign curl-enabled-tls13 dns-tcp dns-caa; do
		[ -f "$CORPUS/arkime_tests/$c.pcap" ] &&
		    set -- "$@" "$CORPUS/arkime_tests/$c.pcap"
	done
	for c in "$@"; do
		case $c in
		/*) f=$c c=$(basename "$c") ;;
		*) f=$(cap "$c") ;;
		esac
		decoded "$f" >"$T/d"
		awk -F'\t' '$2 ~ /^  question: / { sub(/^  question: /, "",
		    $2); sub(/ [^ ]+ [^ ]+$/, "", $2); print $1 "\t" $2 }' \
		    "$T/d" | sort -u >"$T/ours"
		ts "$f" "(dns || mdns || llmnr) && !nbns" dns.qry.name >"$T/theirs"
		check_file "$c: DNS question names as tshark's ($(wc -l \
		    <"$T/theirs") lines)" "$(cat "$T/theirs")" "$T/ours"
		awk -F'\t' '$2 ~ /^  (answer|authority|additional): .* (A|AAAA) / {
		    n = split($2, w, " "); print $1 "\t" w[4] }' "$T/d" |
		    sort -u >"$T/ours"
		ts "$f" "(dns || mdns || llmnr) && !nbns" dns.a dns.aaaa >"$T/theirs"
		check_file "$c: DNS addresses as tshark's ($(wc -l \
		    <"$T/theirs") lines)" "$(cat "$T/theirs")" "$T/ours"
		awk -F'\t' 'tolower($2) ~ /^  host: / { sub(/^  [^:]*: /, "",
		    $2); print $1 "\t" $2 }' "$T/d" | sort -u >"$T/ours"
		ts "$f" http.request http.host >"$T/theirs"
		check_file "$c: HTTP Host as tshark's ($(wc -l \
		    <"$T/theirs") lines)" "$(cat "$T/theirs")" "$T/ours"
		awk -F'\t' 'tolower($2) ~ /^  user-agent: / { sub(/^  [^:]*: /,
		    "", $2); print $1 "\t" $2 }' "$T/d" | sort -u >"$T/ours"
		tshark -r "$f" -Y http.user_agent -T fields -e frame.number \
		    -e http.user_agent 2>/dev/null | sort -u >"$T/theirs"
		check_file "$c: HTTP User-Agent as tshark's ($(wc -l \
		    <"$T/theirs") lines)" "$(cat "$T/theirs")" "$T/ours"
		awk -F'\t' '$2 ~ /^  sni: / { sub(/^  sni: /, "", $2)
		    print $1 "\t" $2 }' "$T/d" | sort -u >"$T/ours"
		ts "$f" tls tls.handshake.extensions_server_name >"$T/theirs"
		check_file "$c: TLS SNI as tshark's ($(wc -l <"$T/theirs") \
lines)" "$(cat "$T/theirs")" "$T/ours"
		awk -F'\t' '$2 ~ /^  ja3s?: / { sub(/^  ja3s?: /, "", $2)
		    print $1 "\t" $2 }' "$T/d" | sort -u >"$T/ours"
		ts "$f" tls tls.handshake.ja3 tls.handshake.ja3s >"$T/theirs"
		check_file "$c: JA3 and JA3S as tshark's ($(wc -l \
		    <"$T/theirs") lines)" "$(cat "$T/theirs")" "$T/ours"
	done
else
	echo "# skip: tshark is not installed"
fi

# --- escaping: nothing raw from a packet, in any decoded line.
esc=$(cap escapes)
"$HUNTCON" -r "$esc" -R none --packets --decoded >"$T/esc"
check "no control byte in the decoded column" 0 \
    "$(cut -f7 "$T/esc" | tr -d '\n' | LC_ALL=C grep -c '[[:cntrl:]]')"
check_grep "an ESC in a DNS name is escaped" \
    '  question: \\x1b\[2J\.esc\.example A IN' "$T/esc"
check_grep "a backslash is doubled" 'back\\\\slash\.esc\.example' "$T/esc"

run_hc "$T/o" "$T/e" -r "$std" --decoded
check "--decoded without --packets: usage error" 2 "$rc"
check_grep "it says so" 'decoded go with --packets' "$T/e"

# --- the console: d in the Session view shows the same lines.
if ! command -v tmux >/dev/null 2>&1; then
	echo "# skip: tmux is not installed"
	finish
fi
. "$(dirname "$0")/../tmux.sh"
use_asan
export XDG_CONFIG_HOME=$T/config
start 100 40 -r "$std" -R none
loaded || notok "the standard set loads" "$(cat "$T/screen")"
$TM send-keys / "service = 53 && alias.host = 'www.example.org'" Enter
expect_screen "the DNS session is the path" '1 sessions?$'
$TM send-keys 2
expect_screen "Events lists it" '^> +3 '
$TM send-keys Enter
expect_screen "the Session view opens it" '^session 3: 2 packets$'
$TM send-keys d
expect_screen "d: the decoded view says so" \
    '^session 3: 2 packets  \(decoded\)$'
$TM send-keys G
expect_screen "G: the response, the last packet" \
    '^session 3: packet 2 of 2  \(decoded\)$'
expect_screen "the question, as --packets --decoded" \
    '^      question: www\.example\.org A IN$'
expect_screen "the answer" \
    '^      answer: www\.example\.org A 93\.184\.216\.34 ttl 600$'
expect_screen "the response's header line" \
    '^    dns response id 0x3a08 NOERROR, 1 question, 1 answer'
$TM send-keys d
expect_screen "d again: the packets as before" \
    '^session 3: packet 2 of 2$'
expect_screen "in hex" '^    0000  '
$TM send-keys '?' NPage
expect_screen "the help lists d from the key table" \
    '^ d +Session +what each packet'
quit_rc "quits with 0"
finish
