# netns.sh - two network namespaces joined by a veth pair, for the live
# tests and the live bench: quiet (no IPv6, so no router or neighbour
# solicitations; fixed neighbours, so no ARP), so that every packet on the
# veth is one the test sends.  A has $NET.1 on $VA, B $NET.2 on $VB; the
# addresses exist only inside them.  Sourced; the caller's cleanup runs
# netns_del.
# SPDX-License-Identifier: GPL-3.0-or-later

# netns_pair TAG [down]: make them (names from TAG and the PID); with
# "down" the veth stays down until netns_up.  False when they cannot be
# made.
netns_pair() {
	local n
	A=${1}A$$ B=${1}B$$ VA=${1}va$$ VB=${1}vb$$
	NET=10.232.$((RANDOM % 200))
	MA=02:00:00:00:00:0a MB=02:00:00:00:00:0b
	ip netns add "$A" && ip netns add "$B" || return 1
	for n in "$A" "$B"; do
		ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		    net.ipv6.conf.default.disable_ipv6=1
		ip -n "$n" link set lo up
	done
	ip link add "$VA" netns "$A" address $MA type veth peer name "$VB" \
	    netns "$B" address $MB || return 1
	ip -n "$A" addr add "$NET.1/24" dev "$VA"
	ip -n "$B" addr add "$NET.2/24" dev "$VB"
	[ "${2:-}" = down ] || netns_up
}

# netns_up: the veth up, each side's neighbour fixed.
netns_up() {
	ip -n "$A" link set "$VA" up
	ip -n "$B" link set "$VB" up
	ip -n "$A" neigh replace "$NET.2" lladdr $MB dev "$VA" nud permanent
	ip -n "$B" neigh replace "$NET.1" lladdr $MA dev "$VB" nud permanent
}

# netns_del: delete both (the veth goes with them).
netns_del() {
	[ -n "${A:-}" ] && ip netns del "$A" 2>/dev/null
	[ -n "${B:-}" ] && ip netns del "$B" 2>/dev/null
	return 0
}
