#!/usr/bin/env bash
# test_stream.sh - -r - reads a capture stream on standard input (SPEC §7):
# the same sessions as the file; a stream still open ends at SIGINT or
# --duration with every packet sent so far; truncated and empty streams;
# -w and --spool, also with a file; -r - twice is a usage error.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$(dirname "$0")/../lib.sh"

command -v python3 >/dev/null || { ok "stream tests skipped: no python3 (make deps installs it)"; finish; }
demo=$(cap demo)
F=sessionid,time,ip.src,ip.dst,ip.proto,packets,size,payload,service,ioc
"$HUNTCON" -r "$demo" --sessions --fields $F >"$T/file.out"
"$HUNTCON" -r "$demo" --stats >"$T/file.stats"

# A whole capture through a pipe: the file's sessions, did is "-".
cat "$demo" | "$HUNTCON" -r - --sessions --fields $F >"$T/out" 2>"$T/err"
check "pipe: exit 0" 0 "$?"
check "pipe: the file's sessions" "$(cat "$T/file.out")" "$(cat "$T/out")"
check "pipe: nothing on stderr" "" "$(cat "$T/err")"
check "pipe: did" "-" "$(cat "$demo" | "$HUNTCON" -r - --values did | cut -f2)"

cat >"$T/writer.py" <<'EOF'
# writer.py FILE: write FILE to stdout, wait (at most 10 s) until the reader
# has taken every byte from the pipe, say "drained" on stderr, then keep the
# pipe open (at most 60 s) as a sender that has nothing more to say.
import fcntl, os, struct, sys, termios, time
data = open(sys.argv[1], "rb").read()
os.write(2, b"%d\n" % os.getpid())
view = memoryview(data)
while view:
    view = view[os.write(1, view):]
for _ in range(1000):
    if struct.unpack("i", fcntl.ioctl(1, termios.FIONREAD, b"\0" * 4))[0] == 0:
        break
    time.sleep(0.01)
os.write(2, b"drained\n")
time.sleep(60)
EOF

# stream_until HOW: the capture through a pipe kept open; once the pipe is
# drained, end huntcon with HOW (int, or none: --duration 2 ends it), wait
# at most 30 s; its status in $rc, output in $T/live.out.
stream_until() {
	local args=() i wpid
	[ "$1" = none ] && args=(--duration 2)
	: >"$T/writer.err"
	"$HUNTCON" -r - "${args[@]}" --sessions --fields $F >"$T/live.out" \
	    2>"$T/live.err" < <(python3 "$T/writer.py" "$demo" 2>"$T/writer.err") &
	local hpid=$!
	for i in $(seq 1000); do
		grep -q drained "$T/writer.err" && break
		sleep 0.01
	done
	wpid=$(head -1 "$T/writer.err")
	[ "$1" = int ] && kill -INT "$hpid"
	for i in $(seq 300); do
		kill -0 "$hpid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$hpid" 2>/dev/null
	rc=0
	wait "$hpid" || rc=$?
	kill "$wpid" 2>/dev/null
}

stream_until int
check "open stream, SIGINT: exit 0" 0 "$rc"
check "open stream, SIGINT: every session sent" "$(cat "$T/file.out")" "$(cat "$T/live.out")"
stream_until none
check "open stream, --duration: exit 0" 0 "$rc"
check "open stream, --duration: every session sent" "$(cat "$T/file.out")" "$(cat "$T/live.out")"

# A truncated stream says so as a file does; an empty one is an error.
head -c 1000 "$demo" >"$T/cut.pcap"
"$HUNTCON" -r "$T/cut.pcap" --stats >"$T/cut.file" 2>"$T/cut.err"
"$HUNTCON" -r - --stats <"$T/cut.pcap" >"$T/out" 2>"$T/err"
check "truncated: exit 0" 0 "$?"
check "truncated: the file's warning, named -" "$(sed "s|$T/cut.pcap|-|" "$T/cut.err")" "$(cat "$T/err")"
check "truncated: the packets before" "$(cat "$T/cut.file")" "$(cat "$T/out")"
"$HUNTCON" -r - --stats </dev/null >"$T/out" 2>"$T/err"
check "empty: exit 1" 1 "$?"
check "empty: message" "huntcon: -: cannot read: truncated dump file; tried to read 4 file header bytes, only got 0" "$(cat "$T/err")"

# -w from a stream: its packets go through a temporary spool (gone at
# exit) and the export is the file's, byte for byte.
mkdir "$T/tmp"
"$HUNTCON" -r "$demo" -q 'ip.proto = 17' -w "$T/file.pcap" 2>/dev/null
TMPDIR=$T/tmp "$HUNTCON" -r - -q 'ip.proto = 17' -w "$T/stream.pcap" <"$demo" 2>"$T/err"
check "-w from a stream: exit 0" 0 "$?"
check "-w from a stream: the file's export, byte for byte" "same" \
    "$(cmp -s "$T/file.pcap" "$T/stream.pcap" && echo same || echo differ)"
check "-w from a stream: the spool is gone" "" "$(ls -A "$T/tmp")"

# --spool DIR keeps the stream, rotated and capped, readable later.
"$HUNTCON" -r - --spool "$T/sp" --spool-size 256K --stats <"$demo" >/dev/null
check "--spool: exit 0" 0 "$?"
check "--spool: under the cap" yes "$([ "$(cat "$T/sp"/*.pcap | wc -c)" -le 262144 ] && echo yes || echo no)"
check "--spool: the oldest file is gone" no "$([ -e "$T/sp/0-000001.pcap" ] && echo yes || echo no)"
"$HUNTCON" -r "$T/sp" --stats >"$T/out" 2>"$T/err"
check "--spool: what it keeps can be read" "0 " "$? $(cat "$T/err")"
run_hc "$T/out" "$T/err" -r "$demo" --spool "$T/sp2" --stats
check "--spool with a file: usage error" 2 "$rc"

# -w from a stream with a file: the files are read first, then the
# stream; the export is that of both files.
two=$(cap icmp_tunnel)
"$HUNTCON" -r "$two" -r "$demo" -w "$T/both.pcap" 2>/dev/null
TMPDIR=$T/tmp "$HUNTCON" -r - -r "$two" -w "$T/mixed.pcap" <"$demo" 2>"$T/err"
check "-w from a stream and a file: exit 0" 0 "$?"
check "-w from a stream and a file: both files' export, byte for byte" same \
    "$(cmp -s "$T/both.pcap" "$T/mixed.pcap" && echo same || echo differ)"
check "-w from a stream and a file: the spool is gone" "" "$(ls -A "$T/tmp")"

# -r - twice.
run_hc "$T/out" "$T/err" -r - -r - --stats </dev/null
check "-r - twice: usage error" 2 "$rc"
finish
