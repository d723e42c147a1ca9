#!/usr/bin/env bash
# test_live.sh - live capture (SPEC §7) in batch mode on a veth pair between
# two network namespaces made for the test: known pings, a UDP exchange and
# a TCP transfer counted exactly; a BPF filter; two interfaces; --duration
# and SIGINT; -Z; the messages for a bad interface, a bad filter, an interface
# that is down and no permission.  The addresses (10.232.X.1 and .2) exist
# only inside the namespaces, which are deleted at exit.  Needs root.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../netns.sh"

# skip WHY: the whole file is skipped, saying why.
skip() { ok "live tests skipped: $1"; finish; }

[ "$(id -u)" = 0 ] || skip "not root (they make network namespaces)"
for tool in ip ping python3 setpriv; do
	command -v "$tool" >/dev/null || skip "no $tool (make deps installs it)"
done

hc_pid=
ZT= RO= FULL=
TMS="tmux -L huntcon-live-$$"
cleanup() {
	[ -n "$hc_pid" ] && kill -KILL "$hc_pid" 2>/dev/null
	$TMS kill-server 2>/dev/null
	[ -n "$RO" ] && umount "$RO"
	[ -n "$FULL" ] && umount "$FULL"
	[ -n "$ZT" ] && rm -rf "$ZT"
	netns_del
	rm -rf "$T"
}
trap cleanup EXIT
# Quiet namespaces (tests/netns.sh), the veth down at first.
netns_pair hc down || skip "cannot make network namespaces"

# Down first: the message says how to bring it up.
ip netns exec "$A" "$HUNTCON" -i "$VA" --stats >"$T/o" 2>"$T/e"
check "interface down: exit 1" 1 "$?"
check "interface down: message" "huntcon: $VA: interface is down: bring it up with \`ip link set $VA up\`" "$(cat "$T/e")"

netns_up

cat >"$T/peer.py" <<'EOF'
# peer.py MODE PORT COUNT SIZE [HOST]: a UDP echo server or client, a TCP
# sink that answers "ok", or a TCP client sending COUNT bytes.  A server
# writes "ready" on stdout once it listens.
import socket, sys
mode, port, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
if mode == "udpserver":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(20)
    s.bind(("0.0.0.0", port))
    print("ready", flush=True)
    for _ in range(count):
        d, a = s.recvfrom(65535)
        s.sendto(d, a)
elif mode == "udpclient":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.bind(("0.0.0.0", 40000))
    for i in range(count):
        s.sendto(bytes([65 + i]) * size, (sys.argv[5], port))
        s.recvfrom(65535)
elif mode == "tcpserver":
    l = socket.socket()
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.settimeout(20)
    l.bind(("0.0.0.0", port))
    l.listen(1)
    print("ready", flush=True)
    c, _ = l.accept()
    c.settimeout(10)
    n = 0
    while True:
        d = c.recv(65536)
        if not d:
            break
        n += len(d)
    c.sendall(b"ok")
    c.close()
    print(n, flush=True)
elif mode == "tcpclient":
    s = socket.create_connection((sys.argv[5], port), timeout=10)
    s.sendall(b"x" * count)
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536):
        pass
    s.close()
EOF

# wait_for WHAT CMD...: poll CMD (at most 200 times, 50 ms apart).
wait_for() {
	local what=$1 i
	shift
	for i in $(seq 200); do
		"$@" && return 0
		sleep 0.05
	done
	notok "waited too long for $what"
	return 1
}

# threads PID: more than one thread runs (huntcon starts them only once
# the interfaces are open and filtered).
threads() { [ "$(ls "/proc/$1/task" 2>/dev/null | wc -l)" -ge 2 ]; }
is_ready() { grep -qs ready "$1"; }

# start_hc NAME ARGS...: huntcon in namespace A, in the background, once
# it captures.
start_hc() {
	local name=$1
	shift
	ip netns exec "$A" "$HUNTCON" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	hc_pid=$!
	wait_for "huntcon to capture" threads "$hc_pid"
}

# stop_hc [SIGNAL]: send it SIGNAL (none: --duration ends it), wait at
# most 30 s; status in $rc.
stop_hc() {
	local i
	[ -n "${1:-}" ] && kill -"$1" "$hc_pid"
	for i in $(seq 300); do
		kill -0 "$hc_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$hc_pid" 2>/dev/null
	rc=0
	wait "$hc_pid" || rc=$?
	hc_pid=
}

# pings COUNT SIZE [INTERVAL]: from B to A.
pings() { ip netns exec "$B" ping -q -c "$1" -s "$2" -i "${3:-0.2}" -W 2 "$NET.1" >/dev/null; }

# spool_bytes DIR: the bytes of its pcap files.
spool_bytes() { cat "$1"/*.pcap | wc -c; }

# udp_exchange COUNT SIZE: COUNT datagrams of SIZE bytes from B, echoed.
udp_exchange() {
	rm -f "$T/udp.srv"	# not the last server's "ready"
	ip netns exec "$A" python3 "$T/peer.py" udpserver 5000 "$1" "$2" \
	    >"$T/udp.srv" &
	local srv=$!
	wait_for "the UDP server" is_ready "$T/udp.srv"
	ip netns exec "$B" python3 "$T/peer.py" udpclient 5000 "$1" "$2" "$NET.1"
	wait "$srv"
}

# tcp_transfer BYTES: BYTES from B to A, "ok" back.
tcp_transfer() {
	rm -f "$T/tcp.srv"
	ip netns exec "$A" python3 "$T/peer.py" tcpserver 6000 0 0 >"$T/tcp.srv" &
	local srv=$!
	wait_for "the TCP server" is_ready "$T/tcp.srv"
	ip netns exec "$B" python3 "$T/peer.py" tcpclient 6000 "$1" 0 "$NET.1"
	wait "$srv"
}

FIELDS=ip.proto,ip.src,ip.dst,packets,size,payload,requestpayload,responsepayload,did

# 1. Everything, ended by SIGINT: 4 pings of 100 bytes (8 frames of
# 14 + 20 + 8 + 100), 3 UDP datagrams of 200 bytes each way (6 frames of
# 14 + 20 + 8 + 200), 10,000 bytes over TCP and "ok" back.  Rules apply.
printf '%s\n' 'name=eight_pings rule="ip.proto = 1 && packets = 8" alert=ioc' \
    'name=udp_echo rule="ip.proto = 17 && streams = 2" alert=ioc' >"$T/live.nwr"
start_hc all -i "$VA" --duration 60 -R "$T/live.nwr" --sessions \
    --fields $FIELDS,ioc --stats
pings 4 100
udp_exchange 3 200
tcp_transfer 10000
stop_hc INT
check "sigint: exit 0" 0 "$rc"
check "sigint: tcp server got every byte" "10000" "$(tail -1 "$T/tcp.srv")"
check "ping session, its rule" "1	$NET.2	$NET.1	8	1136	800	400	400	$VA	eight_pings" \
    "$(awk -F'\t' '$1 == 1' "$T/all.out")"
check "udp session, its rule" "17	$NET.2	$NET.1	6	1452	1200	600	600	$VA	udp_echo" \
    "$(awk -F'\t' '$1 == 17' "$T/all.out")"
check "tcp session: payload each way, no rule" "6	$NET.2	$NET.1	10002	10000	2	$VA	no rule" \
    "$(awk -F'\t' -v OFS='\t' '$1 == 6 {print $1, $2, $3, $6, $7, $8, $9, $10 == "" ? "no rule" : $10}' "$T/all.out")"
check "three sessions, nothing else" 3 "$(wc -l <"$T/all.out")"
tcp_packets=$(awk -F'\t' '$1 == 6 {print $4}' "$T/all.out")
check "stats: read = every packet sent" "$((8 + 6 + tcp_packets))" \
    "$(awk -F'\t' '$1 == "read" {print $2}' "$T/all.err")"
check "stats: none dropped" "0" "$(awk -F'\t' '$1 == "dropped" {print $2}' "$T/all.err")"

# 2. A filter keeps what it names only.
start_hc bpf -i "$VA" -f icmp --duration 60 --sessions --fields $FIELDS --stats
pings 2 50
udp_exchange 2 100
stop_hc TERM
check "bpf: exit 0" 0 "$rc"
check "bpf: the pings only" "1	$NET.2	$NET.1	4	368	200	100	100	$VA" "$(cat "$T/bpf.out")"
check "bpf: read" "4" "$(awk -F'\t' '$1 == "read" {print $2}' "$T/bpf.err")"

# 3. Two interfaces (the veth and any): a packet counts once per
# interface, and did names both.
start_hc two -i "$VA" -i any --duration 60 --sessions --fields packets,did
pings 3 64
stop_hc INT
check "two interfaces: exit 0" 0 "$rc"
# (which interface's copy is read first is not fixed: did sorted)
check "two interfaces: each packet twice, both named" "12	any,$VA" \
    "$(cut -f1 "$T/two.out")	$(cut -f2 "$T/two.out" | tr , '\n' | LC_ALL=C sort | paste -sd,)"

# 3b. An interface that goes away ends with a warning; the others go on.
ip -n "$A" link add hcx$$ type veth peer name hcy$$
ip -n "$A" link set hcx$$ up
ip -n "$A" link set hcy$$ up
start_hc gone -i hcx$$ -i "$VA" --duration 60 --sessions --fields packets,did
ip -n "$A" link del hcx$$
pings 2 64
stop_hc INT
check "interface gone: exit 0" 0 "$rc"
check "interface gone: warning" "huntcon: warning: hcx$$: capture ended: The interface disappeared" "$(cat "$T/gone.err")"
check "interface gone: the other goes on" "4	$VA" "$(cat "$T/gone.out")"

# 4. --duration ends the capture on a quiet wire, in time (the tick runs
# without packets); a UDP exchange closed by the idle timeout while the
# wire is quiet is reported.  (That it closes before the end without a
# packet is checked in tests/unit/test_engine.c.)
t0=$(date +%s%N)
start_hc idle -i "$VA" --duration 4 --set session.idle_timeout=2 \
    --sessions --fields ip.proto,packets,size
udp_exchange 1 100
stop_hc
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
check "duration: exit 0" 0 "$rc"
check "duration: ended within two seconds of it" yes \
    "$([ "$elapsed_ms" -ge 4000 ] && [ "$elapsed_ms" -lt 6000 ] && echo yes || echo "no: $elapsed_ms ms")"
check "idle: the exchange" "17	2	284" "$(cat "$T/idle.out")"

# 4b. -Z nobody: once the interface is open huntcon runs as nobody, with
# no capability left, and still captures.
start_hc z -i "$VA" -Z nobody --duration 60 --sessions --fields packets,did
nobody="$(id -u nobody) $(id -u nobody) $(id -u nobody) $(id -u nobody)"
nogroup="$(id -g nobody) $(id -g nobody) $(id -g nobody) $(id -g nobody)"
check "-Z: uid" "$nobody" "$(awk '$1 == "Uid:" {print $2, $3, $4, $5}' /proc/$hc_pid/status)"
check "-Z: gid" "$nogroup" "$(awk '$1 == "Gid:" {print $2, $3, $4, $5}' /proc/$hc_pid/status)"
check "-Z: no capability" "0000000000000000" "$(awk '$1 == "CapEff:" {print $2}' /proc/$hc_pid/status)"
pings 2 64
stop_hc INT
check "-Z: exit 0" 0 "$rc"
check "-Z: still captures" "4	$VA" "$(cat "$T/z.out")"
run_hc "$T/o" "$T/e" -i lo -Z nosuchuser$$ --stats
check "-Z unknown user: exit 1" 1 "$rc"
check "-Z unknown user: message" "huntcon: -Z nosuchuser$$: no such user" "$(cat "$T/e")"

# 4c. -w after a live capture: the chosen sessions' packets, read again
# from a temporary spool that is gone at exit; with -Z the spool and the
# export are the user's.
mkdir "$T/tmp"
export TMPDIR=$T/tmp
start_hc w -i "$VA" --duration 60 -q 'ip.proto = 1' -w "$T/w.pcap"
pings 3 80
udp_exchange 1 50
stop_hc INT
unset TMPDIR
check "-w: exit 0" 0 "$rc"
check "-w: says what it wrote" "huntcon: $T/w.pcap: 6 packets" "$(cat "$T/w.err")"
check "-w: exactly the pings" "1	6	732" \
    "$("$HUNTCON" -r "$T/w.pcap" --sessions --fields ip.proto,packets,size)"
check "-w: the spool is gone" "" "$(ls -A "$T/tmp")"
ZT=$(mktemp -d /tmp/huntcon-z.XXXXXX)
chmod 1777 "$ZT"
export TMPDIR=$ZT
start_hc wz -i "$VA" -Z nobody --duration 60 -w "$ZT/z.pcap"
pings 2 80
stop_hc INT
unset TMPDIR
check "-w -Z nobody: exit 0" 0 "$rc"
check "-w -Z nobody: the pings" "1	4	488" \
    "$("$HUNTCON" -r "$ZT/z.pcap" --sessions --fields ip.proto,packets,size)"
check "-w -Z nobody: the file is nobody's" "$(id -u nobody)" "$(stat -c %u "$ZT/z.pcap")"
check "-w -Z nobody: the spool is gone" "z.pcap" "$(ls -A "$ZT")"
# -w after two interfaces of one link type (the veth and A's lo): one file,
# the packets in capture order, the interfaces' records interleaved.  The
# kernel hands each interface's packets over in blocks of up to 100 ms, so
# the two interleave block by block: the veth's first pings come first,
# its last ones last, A's lo pings in between (its blocks may fall among
# the last pings').
start_hc w2 -i "$VA" -i lo --duration 60 -w "$T/w2.pcap"
pings 2 80
ip netns exec "$A" ping -q -c 2 -i 0.2 127.0.0.1 >/dev/null
pings 2 80
stop_hc INT
check "-w two interfaces: exit 0" 0 "$rc"
check "-w two interfaces: one file, every packet" "huntcon: $T/w2.pcap: 12 packets" "$(cat "$T/w2.err")"
if command -v tshark >/dev/null; then
	tshark -r "$T/w2.pcap" -T fields -e ip.dst >"$T/w2.dst" 2>/dev/null
	check "-w two interfaces: in capture order" "veth lo ... veth" \
	    "$(sed 's/^127\..*/lo/; s/^10\..*/veth/' "$T/w2.dst" | uniq |
	    paste -sd' ' | sed 's/^veth lo\( .*\)* veth$/veth lo ... veth/')"
	check "-w two interfaces: each interface in time order" "" \
	    "$(tshark -r "$T/w2.pcap" -T fields -e ip.dst -e frame.time_epoch \
	    2>/dev/null | awk '$2 < last[$1] {print} {last[$1] = $2}')"
else
	ok "-w two interfaces: order not checked: no tshark"
fi

# 4d. A kept spool: rotated, capped (the oldest files deleted first, the
# disk use under the cap), kept at exit; export of sessions whose packets
# left it says how many it could read; two runs never share one.  100
# pings of 1000 bytes: 200 records of 16 + 1042 bytes, three times 64 KiB.
start_hc sp -i "$VA" --duration 60 --spool "$T/sp" --spool-size 64K -w "$T/sp.pcap"
ip netns exec "$A" "$HUNTCON" -i "$VA" --spool "$T/sp" --duration 1 --stats >"$T/o" 2>"$T/e"
check "spool in use: exit 1" 1 "$?"
check "spool in use: message" "huntcon: spool $T/sp: in use by another run" "$(cat "$T/e")"
pings 100 1000 0.005
stop_hc INT
check "spool: export of lost packets fails" 1 "$rc"
check_grep "spool: export says what it could read" "^huntcon: $T/sp.pcap: only [0-9]+ of 200 packets could be read again: [0-9]+ are no longer in the spool$" "$T/sp.err"
sp_got=$(sed -n 's/^huntcon: .*: only \([0-9]*\) of 200 .*: \([0-9]*\) are no longer.*/\1 \2/p' "$T/sp.err")
check "spool: read again and gone add up to the session's packets" 200 "$(( ${sp_got% *} + ${sp_got#* } ))"
check "spool: the oldest file is gone" "no" "$([ -e "$T/sp/0-000001.pcap" ] && echo yes || echo no)"
check "spool: several files kept" "yes" "$([ "$(ls "$T/sp" | wc -l)" -ge 3 ] && echo yes || echo no)"
check "spool: under the cap" "yes" "$([ "$(spool_bytes "$T/sp")" -le 65536 ] && echo yes || echo "no: $(spool_bytes "$T/sp")")"
"$HUNTCON" -r "$T/sp" --stats >"$T/o" 2>"$T/e"
check "spool: what it keeps can be read" "0 " "$? $(cat "$T/e")"

# -Z nobody still rotates its spool, which is given to it.
# The session says how many of its packets left the spool.
start_hc spz -i "$VA" -Z nobody --duration 60 --spool "$ZT/spz" --spool-size 64K --stats \
    --sessions --fields ip.proto,packets,packets.missing
pings 100 1000 0.005
stop_hc INT
check "spool -Z nobody: exit 0" 0 "$rc"
spz_kept=$("$HUNTCON" -r "$ZT/spz" --stats 2>&1 | awk -F'\t' '$1 == "read" {print $2}')
check "packets.missing: the packets the spool no longer has" \
    "1	200	$((200 - spz_kept))" "$(awk -F'\t' '$1 == 1' "$T/spz.out")"
check "spool -Z nobody: rotated, oldest gone" "no" "$([ -e "$ZT/spz/0-000001.pcap" ] && echo yes || echo no)"
check "spool -Z nobody: the files are nobody's" "$(id -u nobody)" "$(stat -c %u "$ZT/spz"/*.pcap | sort -u)"
check "spool -Z nobody: under the cap" "yes" "$([ "$(spool_bytes "$ZT/spz")" -le 65536 ] && echo yes || echo no)"

# An unwritable spool (a read-only bind mount) and --spool none with -w.
mkdir -p "$T/ro/sp"
if mount --bind "$T/ro" "$T/ro" && mount -o remount,bind,ro "$T/ro"; then
	RO=$T/ro
	run_hc "$T/o" "$T/e" -i lo --spool "$T/ro/sp" --duration 1 --stats
	check "spool not writable: exit 1" 1 "$rc"
	check "spool not writable: message" "huntcon: spool $T/ro/sp: not writable: Read-only file system" "$(cat "$T/e")"
	umount "$RO" && RO=
else
	ok "spool not writable: skipped: cannot make a read-only bind mount"
fi
# A full disk (a 64 KiB tmpfs under a 1 MiB cap) stops spooling, counted,
# not capture: 50 pings of 1000 bytes are 100 records of 1058 bytes.
mkdir "$T/full"
if mount -t tmpfs -o size=64k tmpfs "$T/full"; then
	FULL=$T/full
	start_hc full -i "$VA" --duration 60 --spool "$T/full/sp" \
	    --spool-size 1M --stats
	pings 50 1000 0.005
	stop_hc INT
	check "full disk: exit 0" 0 "$rc"
	check "full disk: every packet captured" 100 "$(awk -F'\t' '$1 == "read" {print $2}' "$T/full.out")"
	check_grep "full disk: says spooling stopped" "^huntcon: warning: $VA: spooling stopped: No space left on device$" "$T/full.err"
	check "full disk: unspooled counted" yes \
	    "$(awk -F'\t' '$1 == "unspooled" {print ($2 > 0 ? "yes" : "no: " $2)}' "$T/full.out")"
	umount "$FULL" && FULL=
else
	ok "full disk: skipped: cannot mount a tmpfs"
fi
run_hc "$T/o" "$T/e" -i lo --spool none -w "$T/x.pcap"
check "--spool none with -w: usage error" 2 "$rc"

# 4e. The stream source reads what tcpdump sends on the wire (-U -w -, as
# over ssh): an export from the stream is the export from the file tcpdump
# wrote, byte for byte, and the sessions are the pings sent.
if command -v tcpdump >/dev/null; then
	ip netns exec "$A" tcpdump -U -c 8 -w - -i "$VA" icmp 2>"$T/td.err" |
	    tee "$T/td.pcap" | "$HUNTCON" -r - -w "$T/td-out.pcap" 2>"$T/td-hc.err" &
	td_pid=$!
	wait_for "tcpdump to listen" grep -qs "listening on" "$T/td.err"
	pings 4 100
	for i in $(seq 300); do kill -0 "$td_pid" 2>/dev/null || break; sleep 0.1; done
	kill "$td_pid" 2>/dev/null
	wait "$td_pid"
	check "tcpdump stream: exit 0" 0 "$?"
	"$HUNTCON" -r "$T/td.pcap" -w "$T/td-ref.pcap" 2>/dev/null
	check "tcpdump stream: the export is the file's" same \
	    "$(cmp -s "$T/td-ref.pcap" "$T/td-out.pcap" && echo same || echo differ)"
	check "tcpdump stream: the pings sent" "1	8	1136" \
	    "$("$HUNTCON" -r "$T/td-out.pcap" --sessions --fields ip.proto,packets,size)"
else
	ok "tcpdump stream: skipped: no tcpdump (make deps installs it)"
fi

# 4f. Without root: the capabilities on the binary are enough.
cp "$HUNTCON" "$ZT/hc-cap"
chmod 755 "$ZT/hc-cap"
if setcap cap_net_raw,cap_net_admin+eip "$ZT/hc-cap" 2>/dev/null; then
	ip netns exec "$A" setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent "$ZT/hc-cap" \
	    -i "$VA" --duration 60 --sessions --fields packets,did \
	    >"$T/cap.out" 2>"$T/cap.err" &
	hc_pid=$!
	wait_for "huntcon to capture" threads "$hc_pid"
	check "capabilities: runs as nobody" "$(id -u nobody)" \
	    "$(awk '$1 == "Uid:" {print $3}' /proc/$hc_pid/status)"
	pings 2 64
	stop_hc INT
	check "capabilities: exit 0" 0 "$rc"
	check "capabilities: captures" "4	$VA" "$(cat "$T/cap.out")"
else
	ok "capabilities: skipped: setcap failed on $ZT"
fi

# 4g. The console on a live interface: sessions show as they close on the
# wall clock (a one-second idle timeout, no packet after the pings); C-c
# stops the capture and the console hunts in what it saw; the packets are
# kept in a spool under XDG_CACHE_HOME, named at exit.  In tmux, waiting
# on screen content.
# pane_has REGEX: wait (at most 20 s) until a line of the pane matches.
pane_has() {
	local i
	for i in $(seq 400); do
		$TMS capture-pane -p 2>/dev/null >"$T/pane"
		grep -qE -- "$1" "$T/pane" && return 0
		sleep 0.05
	done
	return 1
}
# pane_check NAME REGEX: one result.
pane_check() {
	if pane_has "$2"; then ok "$1"; else
		notok "$1" "no line matches '$2' in:
$(cat "$T/pane")"; fi
}
if command -v tmux >/dev/null; then
	$TMS new-session -d -x 100 -y 30 "ip netns exec $A env \
	    XDG_CACHE_HOME=$T/cache $HUNTCON -i $VA --set session.idle_timeout=1 \
	    2>$T/lc.err; echo \$? >$T/lc.rc; sleep 600"
	pane_check "live console: capturing, C-c stops it" \
	    'sessions: 0 \(0 open\)  packets: 0 \(0/s\)  drops: 0  spool: .*  C-c: stop'
	pings 3 100
	pane_check "live console: the ping session shows once idle" \
	    'sessions: 1 \(0 open\)  packets: 6 '
	$TMS send-keys C-c
	pane_check "live console: C-c says so" '^stopping the capture'
	pane_check "live console: every packet counted" 'sessions: 1  packets: 6$'
	$TMS send-keys 2
	pane_check "live console: the session in Events" \
	    "$NET\.2 > $NET\.1 +1 "
	$TMS send-keys q
	for i in $(seq 300); do [ -s "$T/lc.rc" ] && break; sleep 0.05; done
	check "live console: quits with 0" 0 "$(cat "$T/lc.rc" 2>/dev/null)"
	check_grep "live console: the spool is named" \
	    "^huntcon: the packets read are kept in $T/cache/huntcon/spool/" "$T/lc.err"
	$TMS kill-server 2>/dev/null
else
	ok "live console: skipped: no tmux"
fi

# 5. Messages, exit 1.
run_hc "$T/o" "$T/e" -i nosuch0 --stats
check "no such device: exit 1" 1 "$rc"
check_grep "no such device: lists the devices" '^huntcon: nosuch0: no such device; devices: .*\blo\b' "$T/e"
ip netns exec "$A" "$HUNTCON" -i "$VA" -f 'tcp port' --stats >"$T/o" 2>"$T/e"
check "bad filter: exit 1" 1 "$?"
check "bad filter: libpcap's message" "huntcon: $VA: bad filter 'tcp port': can't parse filter expression: syntax error" "$(cat "$T/e")"
setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
    --bounding-set=-all env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent \
    "$HUNTCON" -i lo --stats --duration 1 >"$T/o" 2>"$T/e"
check "no permission: exit 1" 1 "$?"
check "no permission: the fix" "huntcon: lo: no permission to capture: run as root, or give the program the capabilities with \`setcap cap_net_raw,cap_net_admin+eip huntcon\`" "$(cat "$T/e")"
run_hc "$T/o" "$T/e" -r /dev/null -f icmp --stats
check "-f without -i: usage error" 2 "$rc"
finish
