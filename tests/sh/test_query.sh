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
3|time = '2024-01-15T10:00:04.000200Z'
9,10,11|time = '2024-01-15T10:00:16Z'
10|time = '2024-01-15T10:00:16.3Z'
9,10|time >= '2024-01-15T10:00:16Z' && time < '2024-01-15T10:00:16.6Z'
11,12,13,14,15,16,17,18|time > '2024-01-15T10:00:16.3Z'
1,2,3|time = '2024-01-15T10:00:00Z' - '2024-01-15T10:00:04.0002Z'
1,2|time = '2024-01-15T10:00:00Z' - '2024-01-15T10:00:04.0001Z'
TABLE

# Every session's time, pasted as --sessions prints it, selects that
# session alone (18 sessions, one run each).
"$HUNTCON" -r "$basic" --sessions --fields sessionid,time >"$T/times"
check "time paste: sessions listed" 18 "$(wc -l <"$T/times")"
bad=
while IFS=$'\t' read -r id t; do
	got=$(ids "time = '$t'")
	[ "$got" = "$id" ] || bad="$bad $id:$t->$got"
done <"$T/times"
check "time paste: each ISO 8601 time selects its session" "" "$bad"

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

# A regex that backtracks catastrophically (capgen regex_names: 100,000
# distinct names of 24 'a' and more) gives up at the match limit on every
# name: no match, one warning with the exact count, exit 0.  The runs are
# bounded by timeout and a CPU limit; what is asserted is that the limit
# was hit and the query ended, not a time.
names=$(cap regex_names)
gaveup() {
	echo "huntcon: query: warning: regex '$1' gave up on $2 values at the match limit (counted as no match)"
}
# slow OUT ERR ARGS...: huntcon on the names, bounded; status in $rc.
slow() {
	local out=$1 err=$2
	shift 2
	rc=0
	(ulimit -t 100; exec timeout 120 "$HUNTCON" -r "$names" -R none "$@") \
		>"$out" 2>"$err" || rc=$?
}
slow "$T/out" "$T/err" --values alias.host -q "alias.host regex '^(a|a?)+\$'"
check "catastrophic regex, --values: exit 0" 0 "$rc"
check "catastrophic regex, --values: no value matches" 0 "$(wc -l <"$T/out")"
check_file "catastrophic regex, --values: warning with the count" \
	"$(gaveup '^(a|a?)+$' 100000)" "$T/err"
slow "$T/out" "$T/err" --sessions --fields sessionid -q \
	"alias.host regex '^(a|a?)+\$' || alias.host = 'aaaaaaaaaaaaaaaaaaaaaaaab000007.example'"
check "catastrophic regex, --sessions: exit 0" 0 "$rc"
check_file "catastrophic regex, --sessions: the other term still matches" 8 "$T/out"
check_file "catastrophic regex, --sessions: warning with the count" \
	"$(gaveup '^(a|a?)+$' 100000)" "$T/err"
# (?-i) keeps the index from answering: every session is tested with the
# query, as the console does while reading and rules do (one value each).
slow "$T/out" "$T/err" --sessions -q "alias.host regex '(?-i)^(a|a?)+\$'"
check "catastrophic regex, per session: exit 0" 0 "$rc"
check "catastrophic regex, per session: no session" 0 "$(wc -l <"$T/out")"
check_file "catastrophic regex, per session: warning with the count" \
	"$(gaveup '(?-i)^(a|a?)+$' 100000)" "$T/err"
# Two patterns: one warning each, with its own count (the second is not
# tested on the 5 names the first matches); the pattern is
# escaped as query errors quote literals (a control byte as \x01).
slow "$T/out" "$T/err" --values ip.proto -q "alias.host regex \
'^(a|a?)+b00000[0-4]\\.', '^(a|a?)+[$(printf '\001')c]' || alias.host regex 'example\$'"
check "two patterns: exit 0" 0 "$rc"
check_file "two patterns: every session matches the last term" \
	"$(printf '100000\t17')" "$T/out"
check_file "two patterns: a warning per pattern, escaped" \
	"$(gaveup '^(a|a?)+b00000[0-4]\\.' 99995; gaveup '^(a|a?)+[\x01c]' 99995)" "$T/err"
# A long pattern is cut in the warning, with an ellipsis.
long="^(a|a?)+$(printf '(x|y)?%.0s' $(seq 1 45))\$"
slow "$T/out" "$T/err" --values ip.proto -q "alias.host regex '$long'"
check "long pattern: exit 0" 0 "$rc"
check_grep "long pattern: cut with an ellipsis in the warning" \
	"^huntcon: query: warning: regex '\^\(a\|a\?\)\+(\(x\|y\)\?){8}[^ ]*\.\.\.' gave up on 100000 values at the match limit \(counted as no match\)\$" "$T/err"
check "long pattern: not echoed whole" "" "$(grep -F -- "${long:0:250}" "$T/err")"
finish
