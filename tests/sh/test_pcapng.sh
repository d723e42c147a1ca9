#!/usr/bin/env bash
# test_pcapng.sh - pcapng as Wireshark writes it (interfaces with different
# link types and snap lengths, which libpcap 1.10 refuses) and compressed
# captures (gzip, zstd, lz4, by content): read fully, each packet keeping
# its link type through sessions and export, per-session packets and bytes
# equal to tshark's, read back for export from a decompressed copy that
# leaves nothing behind, and cut files reported like cut pcaps (SPEC §1).
. "$(dirname "$0")/../lib.sh"
PCAPREC=${PCAPREC:-$TOP/build/pcaprec}
use_asan

two=$(cap pcapng_sll)

# Two interfaces: Ethernet (snap 262144) and Linux cooked (snap 96).
run_hc "$T/out" "$T/err" -r "$two" --stats
check "two interfaces: exit 0, no message" "0 " "$rc $(cat "$T/err")"
check "two interfaces: every frame tshark reads" \
	"$(tshark -r "$two" 2>/dev/null | wc -l)" \
	"$(awk -F'\t' '$1 == "read" {print $2}' "$T/out")"
check "two interfaces: every frame in a session" \
	"$(awk -F'\t' '$1 == "read" {print $2}' "$T/out")" \
	"$(awk -F'\t' '$1 == "assigned" {print $2}' "$T/out")"
out=$("$TOP/tests/oracle.sh" "$HUNTCON" "$two" 2>&1)
check "two interfaces: sessions' packets and bytes = tshark's" \
	"oracle: 6 keys, 48 packets, 10506 bytes agree" "$out"

# Export: one file per link type, each byte for byte the records of that
# interface (as pcaprec prints them; the generator's times are in us).
# ngrec FILE IFACE: the records of one interface of a little-endian pcapng.
ngrec() {
	python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read(); o = 0; want = int(sys.argv[2])
while o + 12 <= len(d):
    t, l = struct.unpack_from("<II", d, o)
    if t == 6:
        i, hi, lo, cap, wire = struct.unpack_from("<IIIII", d, o + 8)
        us = hi << 32 | lo
        if i == want:
            print("%d.%09d %d %d %s" % (us // 1000000, us % 1000000 * 1000,
                cap, wire, d[o + 28:o + 28 + cap].hex()))
    o += l' "$1" "$2"
}
rc=0
"$HUNTCON" -r "$two" -q 'sessionid exists' -w "$T/x.pcap" 2>"$T/err" || rc=$?
check "export: exit 0" 0 "$rc"
check "export: Ethernet interface's 21 records in OUT.pcap" \
	"21 $(ngrec "$two" 0 | md5sum)" \
	"$("$PCAPREC" "$T/x.pcap" | wc -l) $("$PCAPREC" "$T/x.pcap" | md5sum)"
check "export: cooked interface's 27 records in OUT.linux_sll.pcap" \
	"27 $(ngrec "$two" 1 | md5sum)" \
	"$("$PCAPREC" "$T/x.linux_sll.pcap" | wc -l) $("$PCAPREC" "$T/x.linux_sll.pcap" | md5sum)"
check "export: cooked records cut at 96 bytes" "96" \
	"$("$PCAPREC" "$T/x.linux_sll.pcap" | awk '$2 > m {m = $2} END {print m}')"

# The same file gzip-compressed: found by content, read and exported alike,
# its decompressed copy gone from TMPDIR.
gzip -c "$two" >"$T/two.pcapng.gz"
mkdir "$T/tmp"
rc=0
TMPDIR=$T/tmp "$HUNTCON" -r "$T/two.pcapng.gz" -q 'sessionid exists' \
    -w "$T/z.pcap" 2>"$T/err" || rc=$?
check "gzip: export exit 0" 0 "$rc"
check "gzip: export the same as from the plain file" "same same" \
	"$(cmp -s "$T/x.pcap" "$T/z.pcap" && echo same) $(cmp -s \
	"$T/x.linux_sll.pcap" "$T/z.linux_sll.pcap" && echo same)"
check "gzip: nothing left in TMPDIR" "" "$(ls -A "$T/tmp")"
out=$("$TOP/tests/oracle.sh" "$HUNTCON" "$T/two.pcapng.gz" 2>&1)
check "gzip: sessions' packets and bytes = tshark's" \
	"oracle: 6 keys, 48 packets, 10506 bytes agree" "$out"
cp "$T/two.pcapng.gz" "$T/capture.bin"
check "gzip: recognised by content, not by name" "48" \
	"$("$HUNTCON" -r "$T/capture.bin" --stats | awk -F'\t' '$1 == "read" {print $2}')"
for z in zstd lz4; do
	if command -v "$z" >/dev/null; then
		"$z" -q -c "$two" >"$T/two.$z"
		check "$z: read like the plain file" "48" \
			"$("$HUNTCON" -r "$T/two.$z" --stats | awk -F'\t' '$1 == "read" {print $2}')"
	else
		ok "$z: skipped: no $z command"
	fi
done

# A gzip file cut in half: the packets before the cut, a warning naming the
# file and the compressed byte where it ends, exit 0.
size=$(stat -c %s "$T/two.pcapng.gz")
head -c $((size / 2)) "$T/two.pcapng.gz" >"$T/cut.pcapng.gz"
run_hc "$T/out" "$T/err" -r "$T/cut.pcapng.gz" --stats
n=$(gzip -dc "$T/cut.pcapng.gz" 2>/dev/null | tshark -r - 2>/dev/null | wc -l)
check "cut gzip: exit 0" 0 "$rc"
check "cut gzip: warning" \
	"huntcon: warning: $T/cut.pcapng.gz: truncated after $n packets at byte $((size / 2)) (gzip data cut short)" \
	"$(cat "$T/err")"
check "cut gzip: the packets before the cut" "read	$n" "$(head -1 "$T/out")"

# No room to decompress into: an error naming the file, exit 1.
TMPDIR=$T/none "$HUNTCON" -r "$T/two.pcapng.gz" --stats >"$T/out" 2>"$T/err"
rc=$?
check "no TMPDIR: exit 1" 1 "$rc"
check_grep "no TMPDIR: says which file and why" \
	"^huntcon: $T/two.pcapng.gz: cannot read: cannot make a file in $T/none to decompress into: No such file" \
	"$T/err"

# No room left to decompress into (a 64 KiB tmpfs, as root): the same.
mkdir "$T/small"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k tmpfs "$T/small" 2>/dev/null; then
	trap 'umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
	gzip -c "$(cap icmp_tunnel)" >"$T/big.pcap.gz"	# 1.3 MB inside
	rc=0
	TMPDIR=$T/small "$HUNTCON" -r "$T/big.pcap.gz" --stats >"$T/out" \
	    2>"$T/err" || rc=$?
	check "full TMPDIR: exit 1" 1 "$rc"
	check "full TMPDIR: says which file and why" \
		"huntcon: $T/big.pcap.gz: cannot read: cannot decompress into $T/small: No space left on device" \
		"$(cat "$T/err")"
	check "full TMPDIR: nothing left there" "" "$(ls -A "$T/small")"
	umount "$T/small"
else
	ok "full TMPDIR: skipped: needs root to mount a tmpfs"
fi

# A two-interface pcapng cut inside its last block: the offset where the
# whole blocks end.
size=$(stat -c %s "$two")
last=$(python3 -c 'import struct,sys
d=open(sys.argv[1],"rb").read(); o=0
while o < len(d):
    l=struct.unpack_from("<I", d, o + 4)[0]; p=o; o+=l
print(p)' "$two")
head -c $((size - 20)) "$two" >"$T/cut.pcapng"
run_hc "$T/out" "$T/err" -r "$T/cut.pcapng" --stats
check "cut pcapng: warning at the last whole block" \
	"huntcon: warning: $T/cut.pcapng: truncated after 47 packets at byte $last" \
	"$(cat "$T/err")"

# The Session pane reads a session of the cooked interface back and decodes
# it as Linux cooked: each record's side and its own link header.
if ! command -v tmux >/dev/null; then
	ok "Session pane: skipped: tmux is not installed"
	finish
fi
. "$TOP/tests/tmux.sh"
start 120 60 -r "$two"
loaded || notok "Session pane: loaded" "$(cat "$T/screen")"
$TM send-keys / C-u 'ipv6.src exists && ip.proto = 6' Enter
expect_screen "Session pane: path applied" '1 sessions$'
$TM send-keys 2
expect_screen "Session pane: Events lists it" '^> +[0-9]+ '
$TM send-keys Enter
expect_screen "Session pane: the cooked session" '^  ipv6\.src +fd00::5$'
expect_screen "Session pane: its records decoded as cooked (their sides)" \
	'^  frame [0-9]+ .* request  80 bytes$'
expect_screen "Session pane: the responder's record too" \
	'^  frame [0-9]+ .* response  80 bytes$'
expect_screen "Session pane: a record's cooked header" \
	'^    0000  00 04 00 01 00 06 02 00 00 00 00 05 00 00 86 dd '
quit_rc "Session pane: exit 0"
finish
