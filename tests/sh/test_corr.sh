#!/usr/bin/env bash
# test_corr.sh - correlation rules (SPEC §10) end to end: the bundled rules
# find a DNS tunnel through a resolver, ICMP spread over many hosts and a
# jittered beacon, none of which one session shows, and leave their benign
# twins (a busy CDN domain, SPF/DKIM lookups, monitoring pings, irregular
# HTTPS, periodic NTP) alone; windows tumble; the cap on open groups is
# reported; parse errors carry FILE:LINE:COL; the order check covers them;
# the console shows their values too.
. "$(dirname "$0")/../lib.sh"

dns=$(cap corr_dns)
icmp=$(cap corr_icmp)
beacon=$(cap corr_beacon)
R=$T/rules
mkdir -p "$R"

# DNS tunnel through a resolver: 120 one-query sessions under one domain.
run_hc "$T/out" "$T/err" -r "$dns" --values ioc
check "dns: exit 0, nothing on stderr" "0 " "$rc $(cat "$T/err")"
check "dns: the 120 tunnel sessions, nothing else" \
	"$(printf '120\tpossible_dns_tunneling')" "$(cat "$T/out")"
check "dns: every flagged session is under exfil-example" \
	"$(printf '120\texfil-example')" \
	"$("$HUNTCON" -r "$dns" --values sld -q "ioc = 'possible_dns_tunneling'")"
check "dns: the CDN domain and SPF/DKIM lookups stay clean" "" \
	"$("$HUNTCON" -r "$dns" --sessions --fields sessionid \
	    -q "sld = 'cdn-example','example' && ioc exists")"
check "dns: no session alone has the strong signs" "" \
	"$("$HUNTCON" -r "$dns" --sessions --fields sessionid \
	    -q "analysis.session = 'dns tunnel signs'")"
check "dns: the group rule's helper value" \
	"$(printf '120\tdns encoded names under one domain')" \
	"$("$HUNTCON" -r "$dns" --values analysis.session | grep encoded)"

# ICMP spread over 40 hosts, one packet per session.
check "icmp: the 40 fan-out sessions of 10.4.0.30" \
	"$(printf '40\t10.4.0.30')" \
	"$("$HUNTCON" -r "$icmp" --values ip.src -q "ioc = 'icmp_tunnel_fan_out'")"
check "icmp: monitoring pings and a 3-ping host stay clean" "" \
	"$("$HUNTCON" -r "$icmp" --sessions --fields sessionid \
	    -q "ip.src = 10.4.0.5,10.4.0.31 && ioc = 'icmp_tunnel_fan_out'")"

# Beacon every 60 s +- 6 s; irregular HTTPS and NTP beside it.
want=$("$HUNTCON" -r "$beacon" --sessions --fields sessionid -q "ip.src = 10.5.0.40" | paste -sd' ')
check "beacon: 20 sessions of 10.5.0.40" 20 "$(echo "$want" | wc -w)"
check "beacon: exactly the beacon's sessions flagged" "$want" \
	"$("$HUNTCON" -r "$beacon" --sessions -q "ioc = 'possible_beaconing'" --fields sessionid | paste -sd' ')"
check "beacon: irregular HTTPS and periodic NTP clean" "" \
	"$("$HUNTCON" -r "$beacon" --sessions --fields sessionid \
	    -q "ip.src = 10.5.0.41,10.5.0.42 && ioc exists")"
check "-R none: no correlation either" "" \
	"$("$HUNTCON" -r "$beacon" -R none --values ioc)"

# cv and interval as computed here from the printed start times: mean gap
# 60.4566 s, cv 0.0605 (population standard deviation over the mean).
read -r mean cv < <("$HUNTCON" -r "$beacon" --sessions --fields time -q "ip.src = 10.5.0.40" |
	awk '{ split($1, a, "T"); split(a[2], b, ":"); sub("Z", "", b[3])
	    t = b[1] * 3600 + b[2] * 60 + b[3]
	    if (NR > 1) { d = t - p; n++; s += d; ss += d * d }; p = t }
	    END { m = s / n; printf "%.4f %.4f\n", m, sqrt(ss / n - m * m) / m }')
check "beacon: the gaps as awk sees them" "60.4566 0.0605" "$mean $cv"
for th in "cv <= 0.0606" "cv <= 0.0604" "interval >= 60.456" "interval >= 60.457"; do
	printf 'name=b type=correlation rule="ip.src = 10.5.0.40" group=ip.src,ip.dst window=3600 threshold="%s" alert=ioc\n' "$th" >"$R/cv.nwr"
	printf '%s=%s ' "$th" "$("$HUNTCON" -r "$beacon" -R "$R/cv.nwr" --values ioc | cut -f1)"
done >"$T/out"
check "beacon: cv and interval at their boundaries" \
	"cv <= 0.0606=20 cv <= 0.0604= interval >= 60.456=20 interval >= 60.457= " \
	"$(cat "$T/out")"
# A client fetching once a second is regular, but no beacon: interval.
shuffle=$(cap tcp_shuffle)
printf '%s\n' 'name=b type=correlation rule="ip.src = 10.0.0.7" group=ip.src,ip.dst window=3600 threshold="sessions >= 8 && cv <= 0.15" alert=ioc' >"$R/noint.nwr"
check "once a second: regular enough without interval" "$(printf '16\tb')" \
	"$("$HUNTCON" -r "$shuffle" -R "$R/noint.nwr" --values ioc)"
check "once a second: not a beacon for the bundled rule" "" \
	"$("$HUNTCON" -r "$shuffle" --values ioc)"

# --groups: the group that flagged each session, with its figures.
run_hc "$T/out" "$T/err" -r "$beacon" --groups --header -q "sessionid = 2"
check "groups: exit 0, nothing on stderr" "0 " "$rc $(cat "$T/err")"
check_file "groups: the beacon's group and figures" "$(printf '%s\t' sessionid rule group first last sessions distinct size payload rate interval | sed 's/\t$//')	cv
2	possible_beaconing	ip.src = 10.5.0.40 && ip.dst = 203.0.113.80	2024-01-15T10:00:00.000000Z	2024-01-15T10:19:08.676000Z	20	-	20560	9600	0.33	60.457	0.0605" "$T/out"
check "groups: one line per flagged beacon session" 20 \
	"$("$HUNTCON" -r "$beacon" --groups | wc -l)"
check "groups: the tunnel's sessions, each twice (helper and ioc)" \
	"$(printf '120\tdns encoded names under one domain\n120\tpossible_dns_tunneling')" \
	"$("$HUNTCON" -r "$dns" --groups | cut -f2 | sort | uniq -c | awk '{ printf "%s\t%s", $1, $2; for (i = 3; i <= NF; i++) printf " %s", $i; print "" }')"
check "groups: the domain's figures" \
	"sld = 'exfil-example'	120	alias.host=120	28320	18240	24.00	2.000	0.0000" \
	"$("$HUNTCON" -r "$dns" --groups -q "sessionid = 1" | grep encoded | cut -f3,6-)"
check "groups: the group as a drill selects the group's sessions" 120 \
	"$("$HUNTCON" -r "$dns" --sessions -q "$("$HUNTCON" -r "$dns" --groups | grep -m1 encoded | cut -f3) && analysis.service exists" | wc -l)"
check "groups: json, null for what a group lacks" \
	'{"sessionid":1,"rule":"possible_dns_tunneling","group":"sessionid = 1","first":"2024-01-15T10:00:00.000000Z","last":"2024-01-15T10:00:00.000000Z","sessions":1,"distinct":null,"size":236,"payload":152,"rate":60.00,"interval":null,"cv":null}' \
	"$("$HUNTCON" -r "$dns" --groups --format json -q "sessionid = 1" | grep '"possible_dns')"
check "groups: a session no group flagged prints nothing" "" \
	"$("$HUNTCON" -r "$beacon" --groups -q "ip.src = 10.5.0.42")"
run_hc "$T/out" "$T/err" -r "$beacon" --groups --sessions
check "groups: one output at a time" \
	"2 huntcon: --values, --sessions, --groups, --packets, --histogram and -w go one at a time (huntcon --help)" \
	"$rc $(head -1 "$T/err")"

# Windows tumble from a group's first session: 2 s apart, 100 s windows
# hold 50, 50 and the last 20, which stay below the threshold.
cat >"$R/w.nwr" <<'NWR'
name=w100 type=correlation rule="sld = 'exfil-example'" group=sld window=100 threshold="sessions >= 40" alert=ioc
NWR
check "window: the first two windows pass, the third does not" \
	"$(printf '100\tw100')" "$("$HUNTCON" -r "$dns" -R "$R/w.nwr" --values ioc)"
check "window: the last flagged session starts at 198 s" \
	"2024-01-15T10:03:18.000000Z" \
	"$("$HUNTCON" -r "$dns" -R "$R/w.nwr" --sessions --fields time -q "ioc = 'w100'" | tail -1)"
printf '%s\n' 'name=m type=correlation rule="sld = '"'exfil-example'"'" group=sld window=300 threshold="sessions >= 120 && distinct(alias.host) >= 120 && rate >= 24 && sum(size) >= 20000 && sum(payload) >= 10000" alert=ioc' \
    'name=n type=correlation rule="sld = '"'exfil-example'"'" group=sld window=300 threshold="distinct(alias.host) >= 121" alert=ioc' >"$R/agg.nwr"
check "aggregates: each at its boundary" "$(printf '120\tm')" \
	"$("$HUNTCON" -r "$dns" -R "$R/agg.nwr" --values ioc)"

# A file's groups are walked one at a time: no cap on open groups.
# 70,000 one-datagram flows from as many hosts, a group each.
flows=$T/flows.pcap
"$CAPGEN" -n 70000 flows-udp "$flows"
printf '%s\n' 'name=u type=correlation rule="ip.proto = 17" group=ip.src window=60 threshold="sessions >= 1" alert=eoc' >"$R/u.nwr"
run_hc "$T/out" "$T/err" -r "$flows" -R "$R/u.nwr" --values eoc
check "groups: 70,000 judged whole, nothing evicted" \
	"$(printf '0 70000\tu')" "$rc $(cat "$T/out" "$T/err")"
# $HUNTCON_CORR_GROUPS (for tests) judges a file's groups side by side as
# a live capture does, under that cap: the oldest judged early, counted.
rc=0
HUNTCON_CORR_GROUPS=1 "$HUNTCON" -r "$dns" --values ioc >"$T/out" 2>"$T/err" || rc=$?
check "group cap: exit 0, the tunnel's windows cut short" "0 " "$rc $(cat "$T/out")"
check "group cap: evictions counted" \
	"huntcon: correlation rule 'dns encoded names under one domain': 19 groups judged early and evicted (at most 1 open)" \
	"$(cat "$T/err")"

# Parse errors: FILE:LINE:COL, the rule skipped, --check-rules exit 1.
cat >"$R/e.nwr" <<'NWR'
name=e1 type=correlation rule="ip.proto = 1" group=ip.src,nosuch.key window=60 threshold="sessions >= 2" alert=ioc
name=e2 type=correlation rule="ip.proto = 1" group=ip.src window=0 threshold="sessions >= 2" alert=ioc
name=e3 type=correlation rule="ip.proto = 1" group=ip.src window=60 threshold="sessions >= 2 && count > 3" alert=ioc
name=e5 type=correlation rule="ip.proto = 1" group=ip.src window=60 threshold="cv <= low" alert=ioc
name=e6 type=correlation rule="ip.proto = 1" group=ip.src window=60 threshold="rate >= 2 sessions >= 3" alert=ioc
name=e7 type=correlation rule="ip.proto = 1" window=60 threshold="rate >= 2" alert=ioc
name=e8 rule="ip.proto = 1" window=60 alert=ioc
name=e9 type=correlation rule="ip.proto = 1" group=ip.src window=60 threshold="distinct(nokey) >= 2" alert=ioc
name=ok type=correlation rule="ip.proto = 1" group=ip.src window=60 threshold="sessions >= 1" alert=ioc
NWR
rc=0
"$HUNTCON" --check-rules "$R/e.nwr" >"$T/out" 2>&1 || rc=$?
check "errors: --check-rules exits 1" 1 "$rc"
check_file "errors: each at FILE:LINE:COL" "$R/e.nwr:1:59: error: group= wants meta keys, not 'nosuch.key'
$R/e.nwr:2:66: error: window= wants seconds from 1 to 86400, not '0'
$R/e.nwr:3:97: error: threshold: expected sessions, distinct(KEY), sum(size), sum(payload), rate, cv or interval
$R/e.nwr:4:86: error: threshold: expected a number
$R/e.nwr:5:90: error: threshold: expected && or the end
$R/e.nwr:6: error: correlation rule has no group=
$R/e.nwr:7:29: error: window= goes with type=correlation
$R/e.nwr:8:89: error: threshold: distinct() wants a meta key, not 'nokey'" "$T/out"
run_hc "$T/out" "$T/err" -r "$icmp" -R "$R/e.nwr" --values ioc
check "errors: batch exits 1, the good rule runs" "1 $(printf '127\tok')" \
	"$rc $(cat "$T/out")"

# Order check: an application rule reading a correlation alert; a
# correlation rule reading one written by a later correlation rule.
cat >"$R/o.nwr" <<'NWR'
name=helper rule="service = 53" alert=analysis.session order=10
name=reader rule="ioc = 'grp'" alert=eoc order=20
name=final type=correlation rule="analysis.session = 'grp2'" group=sessionid window=1 threshold="sessions >= 1" alert=ioc order=5
name=grp type=correlation rule="analysis.session = 'helper'" group=ip.src window=60 threshold="sessions >= 2" alert=ioc order=30
name=grp2 type=correlation rule="analysis.session = 'helper'" group=ip.src window=60 threshold="sessions >= 2" alert=analysis.session order=50
NWR
rc=0
"$HUNTCON" --check-rules "$R/o.nwr" >"$T/out" 2>&1 || rc=$?
check "order: warnings keep exit 0" 0 "$rc"
check_file "order: both dependencies named, with the repair" \
"$R/o.nwr:2: warning: rule 'reader' reads ioc = 'grp', which correlation rule 'grp' ($R/o.nwr:4) writes once every application rule has run; make 'reader' a correlation rule (type=correlation) or have it read what 'grp' reads
$R/o.nwr:3: warning: rule 'final' reads analysis.session = 'grp2', which rule 'grp2' ($R/o.nwr:5) writes later; move it above line 3" "$T/out"
"$HUNTCON" --check-rules --fix "$R/o.nwr" >"$R/fixed.nwr" 2>/dev/null
check "order: --fix puts final after grp2, correlation rules last" \
	"helper=10 reader=20 grp=30 grp2=40 final=50" \
	"$(sed 's/^name=\([^ ]*\) .* order=\([0-9]*\).*/\1=\2/' "$R/fixed.nwr" | paste -sd' ')"
rc=0
"$HUNTCON" --check-rules "$R/fixed.nwr" >"$T/out" 2>&1 || rc=$?
check "order: only the application reader is left to repair by hand" \
	"0 1 reader" "$rc $(wc -l <"$T/out") $(grep -o "rule '[a-z0-9]*'" "$T/out" | head -1 | tr -d "'" | cut -d' ' -f2)"
check "bundled: the check is clean" "0 " \
	"$("$HUNTCON" --check-rules bundled >"$T/out" 2>&1; echo "$? $(cat "$T/out")")"
# The console runs them once the capture is read, and again when the rule
# editor re-applies the rules: a drill lists the sessions each time.
if command -v tmux >/dev/null 2>&1; then
	. "$(dirname "$0")/../tmux.sh"
	path="ioc = 'possible_dns_tunneling'"
	start 100 30 -r "$dns"
	loaded || notok "console: corr_dns loads" "$(cat "$T/screen")"
	$TM send-keys / C-u "$path" Enter
	expect_screen "console: the drill lists the 120 tunnel sessions" \
	    "^path: ioc = 'possible_dns_tunneling' +120 sessions\$"
	$TM send-keys 4 r
	expect_screen "console: the rules re-applied" \
	    "rules applied to 432 sessions"
	$TM send-keys 1 / C-u "$path" Enter
	expect_screen "console: still 120 after re-applying" \
	    "^path: ioc = 'possible_dns_tunneling' +120 sessions\$"
	quit_rc "console: quits with 0"
fi
finish
