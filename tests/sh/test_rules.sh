#!/usr/bin/env bash
# test_rules.sh - application rules end to end (SPEC §4): the analyst's ICMP
# tunnelling hunt fires on a generated tunnel and not on ordinary pings, the
# order check warns in SPEC §4's words when the rules are reversed and
# --fix repairs it, -R none loads nothing, and a broken rule is skipped
# with its file:line:col while the run goes on.
. "$(dirname "$0")/../lib.sh"

tunnel=$(cap icmp_tunnel)
R=$T/rules
mkdir -p "$R"
grep -v '^name="session split"\|^name="session size greater than 1mb"' \
    "$TOP/rules/10-session-analysis.nwr" >"$R/10-analysis.nwr"
cat >"$R/20-hunt.nwr" <<'NWR'
name="session split" rule="session.split exists" alert=analysis.session type=application
name="session size greater than 1mb" rule="streams=2 && size=1024000 -u" alert=analysis.session type=application
name=possible_icmp_tunneling rule="ip.proto=1 && session.split exists && analysis.session = 'icmp large session' && analysis.session = 'session size greater than 1mb'" alert=ioc type=application
NWR

# The hunt fires on the tunnel's big fragment, not on the pings.
rc=0
"$HUNTCON" -r "$tunnel" -R "$R/10-analysis.nwr" -R "$R/20-hunt.nwr" --sessions \
    --fields ip.dst,session.split,ioc >"$T/out" 2>"$T/err" || rc=$?
check "hunt: exit 0, no warnings" "0 " "$rc $(cat "$T/err")"
check "hunt: ioc on the tunnel fragment over 1 MB only" \
	"203.0.113.7	0	possible_icmp_tunneling" "$(grep possible "$T/out")"
check "hunt: the pings stay clean" "" "$(grep '8\.8\.4\.4' "$T/out" | cut -f3)"
check "hunt: --values ioc" "1	possible_icmp_tunneling" \
	"$("$HUNTCON" -r "$tunnel" -R "$R/10-analysis.nwr" -R "$R/20-hunt.nwr" --values ioc)"
check "hunt: the bundled set says the same" "1	possible_icmp_tunneling" \
	"$("$HUNTCON" -r "$tunnel" --values ioc | grep possible_icmp)"
check "-R none: no rule-written meta" "" \
	"$("$HUNTCON" -r "$tunnel" -R none --values ioc)"

# Reversed: the check warns in SPEC §4's words; --fix repairs it.
tac "$R/20-hunt.nwr" >"$R/rev.nwr"
rc=0
"$HUNTCON" --check-rules "$R/10-analysis.nwr" "$R/rev.nwr" >"$T/out" 2>&1 || rc=$?
check "reversed: warnings keep exit 0" 0 "$rc"
check_grep "reversed: the dependency warning" \
	"^$R/rev.nwr:1: warning: rule 'possible_icmp_tunneling' reads analysis.session = 'session size greater than 1mb', which rule 'session size greater than 1mb' \($R/rev.nwr:2\) writes later; move it above line 1$" "$T/out"
"$HUNTCON" --check-rules --fix "$R/10-analysis.nwr" "$R/rev.nwr" >"$R/fixed.nwr" 2>/dev/null
rc=0
"$HUNTCON" --check-rules "$R/fixed.nwr" >"$T/out" 2>&1 || rc=$?
check "fixed: the check is clean" "0 " "$rc $(cat "$T/out")"
check "fixed: every rule kept" "$(cat "$R/10-analysis.nwr" "$R/rev.nwr" | grep -c '^name=')" \
	"$(grep -c '^name=' "$R/fixed.nwr")"
check "fixed: order renumbered 10, 20, ..." "10 20 30" \
	"$(grep -o 'order=[0-9]*' "$R/fixed.nwr" | head -3 | cut -d= -f2 | paste -sd' ')"
check "bundled: the check is clean" "0 " \
	"$("$HUNTCON" --check-rules bundled >"$T/out" 2>&1; echo "$? $(cat "$T/out")")"

# A rule that does not parse: skipped with file:line:col, the rest run.
printf '%s\n' 'name=good rule="ip.proto = 1" alert=ioc' \
    'name=bad rule="ip.proto exsts" alert=ioc' >"$R/broken.nwr"
rc=0
"$HUNTCON" -r "$tunnel" -R "$R/broken.nwr" --values ioc >"$T/out" 2>"$T/err" || rc=$?
check "broken rule: batch exits 1 at the end" 1 "$rc"
check_grep "broken rule: file:line:col" "^$R/broken.nwr:2:[0-9]+: error: .*exsts" "$T/err"
check "broken rule: the other rules ran" "4	good" "$(cat "$T/out")"
rc=0
"$HUNTCON" --check-rules "$R/broken.nwr" >/dev/null 2>&1 || rc=$?
check "broken rule: --check-rules exits 1" 1 "$rc"
# The bundled tunnelling rules on generated tunnels and ordinary traffic.
dns=$(cap dns_tunnel)
check "dns tunnel: every tunnel session flagged" "" \
	"$("$HUNTCON" -r "$dns" --sessions --fields sessionid \
	    -q "alias.host ends 'example-tunnel.com' && ioc != 'possible_dns_tunneling'")"
check "dns tunnel: non-DNS on TCP 53 flagged" "possible_dns_tunneling" \
	"$("$HUNTCON" -r "$dns" --sessions --fields ioc -q 'tcp.dstport = 53')"
check "dns tunnel: ordinary lookups (A, DKIM TXT) clean" "" \
	"$("$HUNTCON" -r "$dns" --sessions --fields sessionid \
	    -q "alias.host = 'www.example.com','example.com','selector1._domainkey.example.com' && ioc exists")"
check "icmp tunnel: each fragment flagged" "3" \
	"$("$HUNTCON" -r "$tunnel" --sessions -q "ip.dst = 203.0.113.7 && ioc contains 'icmp' && ioc contains 'tunnel'" | wc -l)"
demo=$(cap demo)
check "demo: ordinary Linux and Windows pings clean" "" \
	"$("$HUNTCON" -r "$demo" --sessions --fields sessionid \
	    -q "ip.proto = 1 && ip.dst != 203.0.113.7 && ioc exists")"
check "demo: the DNS tunnel is found" "1" \
	"$("$HUNTCON" -r "$demo" --values ioc -q "alias.host ends 'example-tunnel.com'" | grep -c possible_dns_tunneling)"
# 100,000 rules load and check without quadratic work: under a CPU-time
# limit far above what they need (about a second), exact warning counts.
# Rule i writes r<i> to one of four keys; every tenth reads two earlier
# names (no warning), every tenth and one a later one (10,000 warnings);
# 100 read a name nobody writes, 100 match earlier names with a regex and
# 10 repeat an earlier name with other case.
awk -v n=100000 'BEGIN {
	k[0] = "ioc"; k[1] = "eoc"; k[2] = "boc"; k[3] = "analysis.session"
	for (i = 1; i <= n; i++) {
		nm = "r" i
		if (i % 10 == 0)
			c = k[(i - 4) % 4] " = '\''r" (i - 4) "'\'','\''r" (i - 8) "'\''"
		else if (i % 10 == 1)
			c = k[(i + 4) % 4] " = '\''r" (i + 4) "'\'' && ip.proto = 6"
		else if (i % 1000 == 2)
			c = "ioc = '\''nobody" i "'\''"
		else if (i % 1000 == 3 && i > 4)
			c = k[(i - 4) % 4] " regex '\''^r" (i - 4) "$'\''"
		else {
			c = "ip.proto = 6 && tcp.dstport = " (i % 60000 + 1)
			if (i % 10000 == 7)
				nm = "R" (i - 6)
		}
		printf "name=%s rule=\"%s\" alert=%s\n", nm, c, k[i % 4]
	}
}' >"$R/big.nwr"
rc=0
(ulimit -t 60; exec "$HUNTCON" --check-rules "$R/big.nwr") >"$T/out" 2>&1 || rc=$?
check "100,000 rules: checked within the CPU limit, exit 0" 0 "$rc"
check "100,000 rules: 10,110 warnings" 10110 "$(grep -c ': warning: ' "$T/out")"
check "100,000 rules: 10,000 read later writers" 10000 \
	"$(grep -c "which rule 'r[0-9]*' .* writes later; move it above line" "$T/out")"
check "100,000 rules: 100 read what nobody writes" 100 \
	"$(grep -c "reads ioc = 'nobody[0-9]*', which no rule and no parser writes" "$T/out")"
check "100,000 rules: 10 duplicate names" 10 \
	"$(grep -c "duplicate rule name 'R[0-9]*' (first at " "$T/out")"
check "100,000 rules: the first warning" \
	"$R/big.nwr:1: warning: rule 'r1' reads eoc = 'r5', which rule 'r5' ($R/big.nwr:5) writes later; move it above line 1" \
	"$(head -1 "$T/out")"
rc=0
(ulimit -t 60; exec "$HUNTCON" --check-rules --fix "$R/big.nwr") >"$T/fix" 2>/dev/null || rc=$?
check "100,000 rules: --fix within the CPU limit" "0 100000" "$rc $(wc -l <"$T/fix")"
check "100,000 rules: --fix puts r5 before r1" "name=r5 name=r1" \
	"$(grep -m2 -o '^name=r[15] ' "$T/fix" | tr -d ' ' | paste -sd' ')"
# A NUL byte in a rule line (or a comment) is an error at its line and
# column; the other rules still load.
printf 'name=a rule="ip.proto = 1" alert=ioc\nname=b\0x rule="ip.proto = 1" alert=ioc\n# c\0\nname=d rule="alias.host = '"'x\0y'"'" alert=eoc\n' >"$R/nul.nwr"
rc=0
"$HUNTCON" --check-rules "$R/nul.nwr" >"$T/out" 2>&1 || rc=$?
check "NUL byte: --check-rules exits 1" 1 "$rc"
check "NUL byte: FILE:LINE:COL: error: NUL byte, each line" \
	"$R/nul.nwr:2:7: error: NUL byte
$R/nul.nwr:3:4: error: NUL byte
$R/nul.nwr:4:29: error: NUL byte" "$(cat "$T/out")"
check "NUL byte: the rule without one runs" "4	a" \
	"$("$HUNTCON" -r "$tunnel" -R "$R/nul.nwr" --values ioc 2>/dev/null)"
# A rule source that is a FIFO or a device is refused, not waited on.
mkfifo "$R/fifo.nwr"
rc=0
timeout 10 "$HUNTCON" --check-rules "$R/fifo.nwr" >"$T/out" 2>&1 || rc=$?
check "FIFO rules: exit 1, no hang" 1 "$rc"
check "FIFO rules: message" "$R/fifo.nwr: error: cannot read: is a FIFO" "$(cat "$T/out")"
mkdir -p "$T/xdg/huntcon/rules"
ln -s /dev/zero "$T/xdg/huntcon/rules/user.nwr"
rc=0
XDG_CONFIG_HOME=$T/xdg timeout 10 "$HUNTCON" --check-rules >"$T/out" 2>&1 || rc=$?
check "user.nwr on /dev/zero: refused, no hang" \
	"1 $T/xdg/huntcon/rules/user.nwr: error: cannot read: is a device" "$rc $(cat "$T/out")"
finish
