#!/usr/bin/env bash
# test_corr_signals.sh - the per-session signals correlation rules read:
# ping -p fill patterns (icmp.pattern, 'icmp ping pattern') and the rule
# that flags ping -p exfiltration one echo per session or many in one,
# ptunnel-ng's magic, and their benign twins (a fixed monitoring pattern,
# a few patterns tried by hand, 1,400-byte pings whose fill cycles through
# every byte value, fping's zeros, a router's 0xabcd, mDNS service
# discovery with long, hex-looking instance names).
. "$(dirname "$0")/../lib.sh"

pingp=$(cap corr_pingp)
mdns=$(cap corr_mdns)

# ping -p exfiltration, low and slow: 20 sessions of one echo each.
check "pingp: 10.4.0.50's 20 one-echo sessions" "20 2" \
	"$("$HUNTCON" -r "$pingp" --sessions --fields packets -q "ip.src = 10.4.0.50" |
	    sort | uniq -c | awk '{print $1, $2}')"
check "pingp: the first pattern is the text's first 16 bytes" "Q3 board minutes" \
	"$("$HUNTCON" -r "$pingp" --sessions --fields icmp.pattern -q "ip.src = 10.4.0.50" |
	    head -1 | sed 's/../\\x&/g' | xargs -0 printf '%b')"
check "pingp: 20 distinct patterns from 10.4.0.50" 20 \
	"$("$HUNTCON" -r "$pingp" --values icmp.pattern -q "ip.src = 10.4.0.50" | wc -l)"
check "pingp: every slow exfiltration session flagged, and the fast one" \
	"$(printf '20\t10.4.0.50\n1\t10.4.0.55')" \
	"$("$HUNTCON" -r "$pingp" --values ip.src -q "ioc = 'icmp_tunnel_ping_pattern'")"
check "pingp: the fast session keeps 8 of its 20 patterns" 8 \
	"$("$HUNTCON" -r "$pingp" --values icmp.pattern -q "ip.src = 10.4.0.55" | wc -l)"
check "pingp: the signal on every monitoring and hand-test session" \
	"$(printf '6\ticmp ping pattern')" \
	"$("$HUNTCON" -r "$pingp" --values analysis.session \
	    -q "ip.src = 10.4.0.51,10.4.0.52" | grep 'ping pattern')"
check "pingp: no ioc on them" "" \
	"$("$HUNTCON" -r "$pingp" --values ioc -q "ip.src = 10.4.0.51,10.4.0.52")"
check "pingp: monitoring keeps one pattern, the hand tests three" \
	"aa55 ff,55aa,0f" \
	"$("$HUNTCON" -r "$pingp" --sessions --fields icmp.pattern -q "ip.src = 10.4.0.51,10.4.0.52" | sort -u | paste -sd' ')"
check "pingp: big pings, zeros and 0xabcd: no signal at all" "" \
	"$("$HUNTCON" -r "$pingp" --sessions --fields sessionid \
	    -q "ip.src = 10.4.0.53,10.4.0.54 && (analysis.session = 'icmp ping pattern','icmp non-standard payload' || icmp.pattern exists || ioc exists)")"
check "pingp: the 1,400-byte pings are whole" "$(printf '14420\t10.4.0.53')" \
	"$("$HUNTCON" -r "$pingp" --values ip.src --sort size -q "ip.src = 10.4.0.53")"

# ptunnel-ng: magic 0xdeadc0de as ptunnel's 0xd5200880.
check "ptunnel-ng: its magic is known" \
	"$(printf '1\ticmp tunnel magic')" \
	"$("$HUNTCON" -r "$pingp" --values analysis.session -q "ip.src = 10.4.0.60" | grep magic)"
check "ptunnel-ng: icmp_tunnel_magic" "$(printf '1\ticmp_tunnel_magic')" \
	"$("$HUNTCON" -r "$pingp" --values ioc -q "ip.src = 10.4.0.60" | grep magic)"

# A rule of one's own may read the pattern like any value.
R=$T/rules
mkdir -p "$R"
printf '%s\n' "name=aa55 rule=\"icmp.pattern = 'aa55'\" alert=eoc type=application" >"$R/p.nwr"
check "pingp: a rule reads icmp.pattern" "$(printf '5\taa55')" \
	"$("$HUNTCON" -r "$pingp" -R "$R/p.nwr" --values eoc)"

# mDNS service discovery: long instance labels with 32 hex characters
# under _googlecast._tcp.local and spaced ones under _airplay._tcp.local,
# from 40 hosts: service 5353, no DNS tunnel indicator, no ioc.
check "mdns: 42 sessions of service 5353" "$(printf '42\t5353')" \
	"$("$HUNTCON" -r "$mdns" --values service)"
check "mdns: no unicast-DNS indicator" "" \
	"$("$HUNTCON" -r "$mdns" --values analysis.service)"
check "mdns: no ioc" "" "$("$HUNTCON" -r "$mdns" --values ioc)"
finish
