#!/usr/bin/env bash
# test_query.sh - batch -q on a generated capture: expressions with the
# session ids they must select, error columns, and the counting identities
# (values sum to the session count; A || B = A + B - (A && B); !(A) =
# total - A).
. "$(dirname "$0")/../lib.sh"

basic=$(cap basic)

# ids QUERY: the sessionids it selects, comma-joined.
ids() {
	"$HUNTCON" -r "$basic" --sessions --fields sessionid -q "$1" 2>"$T/err" |
		paste -sd, -
}
# n QUERY: how many sessions it selects.
n() { "$HUNTCON" -r "$basic" --sessions --fields sessionid -q "$1" 2>/dev/null | wc -l; }

while IFS='|' read -r want q; do
	[ -n "$q" ] || continue
	check "select: $q" "$want" "$(ids "$q")"
done <<'TABLE'
1,3,9,13,14,15|ip.proto = 6 && tcp.flags exists && !(tcp.srcport = 40000)
1,3,9,13,14,15|tcp.dstport = 1-2221, 2223-u
2|tcp.dstport exists && tcp.dstport != 80,443,8080
1,3,14,15|ip.dst = 93.184.216.34
1,3,4,5,6,7,8,13,14,15,16,18|ip.src = 10.0.0.0/8
9,10,11,12|ipv6.src = fd00::/7
8|ip.dst = 224.0.0.0 - 239.255.255.255
1,3,14,15|size = 1024 -u && ip.proto=6&&ipv6.src !exists
6,7,11|icmp.type = 8,128 || icmp.type = 0
6|icmp.type ucount 2 && ip.dst = 1.1.1.1
5,10,12,13|direction = 'LATERAL'
17|direction !exists
8,17|streams = 1
8,17|not(streams = 2)
16,18|udp.dstport = 123 && time = '2024-jan-15 10:00:00' - '2024-JAN-15 11:00:00'
4,10|udp.dstport = 53 && tcpflags !exists
1,9,14,15|tcp.flags.desc = 'fin' && tcp.dstport = 80
1,3,9,14,15|tcpflags contains 'AC' && direction begins 'out'
1,2,3,9,14,15|tcpflags regex '^a.k$' && direction ends 'bound'
|tcpflags regex '(?-i)^ACK$'
1,3,9|payload.res > 600 && ip.proto = 6
13|payload.res = 0 && payload.req >= 87
TABLE

# Errors: column and message on stderr, exit 1.
while IFS='|' read -r col msg q; do
	[ -n "$q" ] || continue
	rc=0
	"$HUNTCON" -r "$basic" --sessions -q "$q" >/dev/null 2>"$T/err" || rc=$?
	check "error exit: $q" 1 "$rc"
	check_grep "error column $col: $q" "^huntcon: query: column $col: .*$msg" "$T/err"
done <<'TABLE'
10|'exsts' is not an operator \(did you mean 'exists'\?\)|ip.proto exsts
13|quote text values|direction = outbound
12|unterminated|alias.host='abc
10|not a valid value for ip.src|ip.src = 300.1.2.3
1|empty| 
TABLE

# An unknown key is a warning: the query still runs.
rc=0
"$HUNTCON" -r "$basic" --sessions -q "no.such.key = 3" >"$T/out" 2>"$T/err" || rc=$?
check "unknown key: exit 0" 0 "$rc"
check_grep "unknown key: warning" "^huntcon: query: column 1: warning: .*no.such.key" "$T/err"

# Counting identities.
total=$("$HUNTCON" -r "$basic" --sessions | wc -l)
check "values of ip.proto sum to the sessions" "$total" \
	"$("$HUNTCON" -r "$basic" --values ip.proto | awk '{s += $1} END {print s}')"
for pair in "ip.proto = 6|direction = 'outbound'" "size > 500|udp.dstport exists" \
    "ip.src = 10.0.0.5|icmp.type exists"; do
	a=${pair%%|*} b=${pair#*|}
	check "A || B = A + B - (A && B): $a / $b" \
		$(( $(n "$a") + $(n "$b") - $(n "($a) && ($b)") )) "$(n "($a) || ($b)")"
	check "!(A) = total - A: $a" $((total - $(n "$a"))) "$(n "!($a)")"
done
check "values under -q sum to the sessions it selects" "$(n 'ip.proto = 6,17')" \
	"$("$HUNTCON" -r "$basic" --values ip.proto -q 'ip.proto = 6,17' |
	awk '{s += $1} END {print s}')"
finish
