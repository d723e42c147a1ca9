#!/usr/bin/env bash
# test_corr_corpus.sh - the bundled rules' thresholds on the captures of
# ../shared/corpus (README.md there says which is which): every ICMP
# tunnel capture has its echo sessions flagged; in every DNS tunnel
# capture but the DNS-over-HTTPS ones, the sessions flagged
# possible_dns_tunneling carry 90% or more of the port-53 bytes; and at
# most 1% of the ICMP and DNS sessions of benign/ get a tunnelling ioc,
# each file read on its own.  Skipped when the corpus is absent.
. "$(dirname "$0")/../lib.sh"

if [ ! -d "$CORPUS" ]; then
	echo "# skip corpus thresholds: $CORPUS is absent"
	finish
fi
tun="ioc = 'possible_icmp_tunneling','possible_dns_tunneling' || ioc begins 'icmp_tunnel_'"
p53="udp.srcport = 53 || udp.dstport = 53 || tcp.srcport = 53 || tcp.dstport = 53"
sel="ip.proto = 1,58 || service = 53 || $p53"

# ICMP tunnels: every echo session (a quoted echo in an unreachable is
# not one) has a tunnelling ioc.
for f in "$CORPUS"/icmp_tunnel/*.pcap; do
	[ -f "$f" ] || continue
	echo=$("$HUNTCON" -r "$f" --sessions --fields sessionid \
	    -q "ip.proto = 1,58 && icmp.type = 0,8,128,129" | wc -l)
	miss=$("$HUNTCON" -r "$f" --sessions --fields sessionid \
	    -q "ip.proto = 1,58 && icmp.type = 0,8,128,129 && !($tun)" | paste -sd,)
	if [ "$echo" -gt 0 ] && [ -z "$miss" ]; then
		ok "icmp tunnel: ${f##*/}: $echo echo sessions, all flagged"
	else
		notok "icmp tunnel: ${f##*/}: $echo echo sessions" "not flagged: $miss"
	fi
done

# DNS tunnels: the flagged sessions' share of the port-53 bytes.
for f in "$CORPUS"/dns_tunnel/*.pcap; do
	case ${f##*/} in *doh*) continue ;; esac
	all=$("$HUNTCON" -r "$f" --values ip.proto --sort size -q "$p53" |
	    awk '{ s += $1 } END { print s + 0 }')
	hit=$("$HUNTCON" -r "$f" --values ip.proto --sort size \
	    -q "($p53) && ioc = 'possible_dns_tunneling'" |
	    awk '{ s += $1 } END { print s + 0 }')
	if [ "$all" -gt 0 ] && [ $((hit * 100)) -ge $((all * 90)) ]; then
		ok "dns tunnel: ${f##*/}: $hit of $all port-53 bytes flagged"
	else
		notok "dns tunnel: ${f##*/}: $hit of $all port-53 bytes flagged"
	fi
done

# DNS over HTTPS: no plain-DNS rule fires on the encrypted tunnel.
for f in "$CORPUS"/dns_tunnel/*doh*.pcap; do
	[ -f "$f" ] || continue
	check "dns over https: ${f##*/}: no possible_dns_tunneling" "" \
	    "$("$HUNTCON" -r "$f" --values ioc -q "ioc = 'possible_dns_tunneling'")"
done

# Benign captures: each file on its own (a directory would join sessions
# of different captures that share addresses and ports).  Only the files
# with ICMP or DNS sessions are read one by one.
"$HUNTCON" -r "$CORPUS/benign" --values did -q "$sel" 2>/dev/null |
	cut -f2- >"$T/files"
: >"$T/benign"
while IFS= read -r f; do
	"$HUNTCON" -r "$f" --sessions --fields sessionid,ioc -q "$sel" \
	    2>/dev/null | sed "s|^|${f##*/}\t|" >>"$T/benign"
done < <(sort -u "$T/files" | head -2000)
n=$(wc -l <"$T/benign")
bad=$(grep -cE "	(.*,)?(possible_icmp_tunneling|possible_dns_tunneling|icmp_tunnel_[a-z_]*)(,|$)" "$T/benign")
if [ "$n" -ge 1000 ] && [ $((bad * 100)) -le "$n" ]; then
	ok "benign: $bad of $n ICMP and DNS sessions with a tunnelling ioc"
else
	notok "benign: $bad of $n ICMP and DNS sessions with a tunnelling ioc" \
	    "$(grep -E 'tunnel' "$T/benign" | head -20)"
fi
finish
