#!/usr/bin/env bash
# test_tcp.sh - TCP reassembly drops no bytes: HTTP requests whose headers
# come in small segments, shuffled, repeated and overlapping, from the
# handshake on or picked up mid-stream, give the meta of the same requests
# in order, with and without the parsers' thread; and what tshark
# reassembles out of order says the same.
. "$(dirname "$0")/../lib.sh"

pcap=$(cap tcp_shuffle)
fields=tcp.srcport,alias.host,client,action,directory
ff='Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0'
chrome='Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'

# The meta of request i (ports 41000 + 10 i + 0..3: in order, shuffled,
# mid-stream in order, mid-stream shuffled).
want() {
	local i=$1 v
	for v in 0 1 2 3; do
		case $i in
		0) printf '4100%s\tshop.example.com\t%s\tGET\t/shop/cart/\n' "$v" "$ff" ;;
		1) printf '4101%s\tapi.example.org\tcurl/7.88.1\tPOST\t/v2/items/\n' "$v" ;;
		2) printf '4102%s\tcdn.example.net\tWget/1.21.3\tGET\t/static/js/\n' "$v" ;;
		3) printf '4103%s\tmail.example.com\t%s\tGET\t/owa/auth/\n' "$v" "$chrome" ;;
		esac
	done
}
expected=$(for i in 0 1 2 3; do want "$i"; done)

for thread in 0 1; do
	run_hc "$T/out" "$T/err" -r "$pcap" -R none --set parse.thread=$thread \
	    --sessions --fields "$fields"
	check "thread=$thread: exit 0" 0 "$rc"
	check_file "thread=$thread: shuffled, repeated, overlapping segments give the meta of in order" \
	    "$expected" "$T/out"
done

# No indicator says a header is missing.
run_hc "$T/out" "$T/err" -r "$pcap" -R none --values analysis.service
check "no 'http no user-agent' on any session" 0 \
	"$(grep -c 'http no user-agent' "$T/out")"

# tshark with out-of-order reassembly: every request it reassembles has
# the Host and User-Agent huntcon found.  (Without the handshake, tshark
# 4.0 drops segments before the first one it saw, so it misses the
# mid-stream shuffled requests; huntcon places them from the lowest.)
if command -v tshark >/dev/null 2>&1; then
	tshark -o tcp.reassemble_out_of_order:TRUE \
	    -o tcp.desegment_tcp_streams:TRUE -r "$pcap" -Y http.request \
	    -T fields -e tcp.srcport -e http.host -e http.user_agent \
	    2>/dev/null | sort >"$T/tshark"
	"$HUNTCON" -r "$pcap" -R none --sessions \
	    --fields tcp.srcport,alias.host,client | sort >"$T/ours"
	check "tshark reassembles the sessions in order or with the handshake" \
	    "41000 41001 41002 41010 41011 41012 41020 41021 41022 41030 41031 41032" \
	    "$(cut -f1 "$T/tshark" | grep -v -E '^410[0-3]3$' | tr '\n' ' ' |
	    sed 's/ $//')"
	check "every request tshark reassembles has huntcon's Host and User-Agent" \
	    "" "$(comm -23 "$T/tshark" "$T/ours")"
else
	echo "# skip tshark comparison: tshark not installed"
fi
finish
