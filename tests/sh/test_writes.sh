#!/usr/bin/env bash
# test_writes.sh - nothing is claimed that did not reach the disk (issue
# 15): -w to /dev/full and to a small tmpfs that fills half way exits 1
# naming the file and the reason, leaves no partial file and claims no
# "N packets"; every batch output on standard output (--values, --sessions,
# --stats, --keys, --check-rules [--fix]) to /dev/full exits 1 with a
# message; the files of later link types are named as the man page says.
. "$(dirname "$0")/../lib.sh"
PCAPREC=${PCAPREC:-$TOP/build/pcaprec}

basic=$(cap basic)
tunnel=$(cap icmp_tunnel)

# -w to /dev/full: exit 1, the file and the reason, no packet count.
rc=0
"$HUNTCON" -r "$basic" -w /dev/full --force 2>"$T/err" || rc=$?
check "-w /dev/full: exit 1" 1 "$rc"
check_grep "-w /dev/full: names the file and the reason" \
    '^huntcon: /dev/full: No space left on device$' "$T/err"
if grep -q 'packets' "$T/err"; then
	notok "-w /dev/full: no \"N packets\" claimed" "$(cat "$T/err")"
else
	ok "-w /dev/full: no \"N packets\" claimed"
fi
check "-w /dev/full: the device is left alone" "c" "$(stat -c %F /dev/full | cut -c1)"

# Standard output of every batch mode to /dev/full: exit 1 and a message.
# (warn.nwr: a rule whose check is a warning, so that exit 0 is expected.)
printf '%s\n' "name=lonely rule=\"ioc = 'nothing writes this'\" alert=boc" >"$T/warn.nwr"
rc=0
"$HUNTCON" --check-rules "$T/warn.nwr" >"$T/out" 2>&1 || rc=$?
check "--check-rules of a warning: exit 0, one line" "0 1" "$rc $(wc -l <"$T/out")"
while IFS='|' read -r name args; do
	rc=0
	# shellcheck disable=SC2086
	eval "\"\$HUNTCON\" $args" >/dev/full 2>"$T/err" || rc=$?
	check "$name > /dev/full: exit 1" 1 "$rc"
	check_grep "$name > /dev/full: says so" \
	    '^huntcon: standard output: No space left on device$' "$T/err"
done <<EOF
--values|-r "\$basic" --values ip.proto
--values -q|-r "\$basic" --values ip.dst -q 'ip.proto = 6'
--sessions|-r "\$basic" --sessions
--sessions json|-r "\$basic" --sessions --format json --fields all
--stats|-r "\$basic" --stats
--keys|--keys
--check-rules|--check-rules "\$T/warn.nwr"
--check-rules --fix|--check-rules --fix "\$TOP/rules"
EOF

# The same to a pipe that reads everything: exit 0, as before.
rc=0
"$HUNTCON" --check-rules --fix "$TOP/rules" 2>"$T/err" | cat >"$T/fixed" || rc=$?
check "--check-rules --fix to a pipe: exit 0, nothing said" "0:" "$rc:$(cat "$T/err")"
check "--check-rules --fix to a pipe: every rule" \
    "$(cat "$TOP"/rules/*.nwr | grep -c '^name=')" "$(grep -c '^name=' "$T/fixed")"

# -w to a small tmpfs that fills half way: exit 1, no partial file left.
if [ "$(id -u)" != 0 ]; then
	echo "ok - -w to a full tmpfs # skip: needs root to mount a tmpfs"
else
	mnt=$T/small
	mkdir -p "$mnt"
	trap 'umount "$mnt" 2>/dev/null; rm -rf "$T"' EXIT
	if mount -t tmpfs -o size=256k tmpfs "$mnt"; then
		rc=0
		"$HUNTCON" -r "$tunnel" -w "$mnt/out.pcap" 2>"$T/err" || rc=$?
		check "-w to a tmpfs filling half way: exit 1" 1 "$rc"
		check_grep "-w to a tmpfs filling half way: names the file" \
		    "^huntcon: $mnt/out\.pcap: No space left on device\$" "$T/err"
		check "-w to a tmpfs filling half way: no partial file left" "" \
		    "$(ls -A "$mnt")"
		if grep -q 'packets' "$T/err"; then
			notok "-w to a full tmpfs: no \"N packets\" claimed" "$(cat "$T/err")"
		else
			ok "-w to a full tmpfs: no \"N packets\" claimed"
		fi
		# Mixed link types: the second file fills the disk; both go.
		dd if=/dev/zero of="$mnt/fill" bs=1k count=200 2>/dev/null
		rc=0
		"$HUNTCON" -r "$basic" -r "$(cap lt_sll)" -r "$tunnel" \
		    -w "$mnt/mix.pcap" 2>"$T/err" || rc=$?
		rm -f "$mnt/fill"
		check "-w of two link types to a full tmpfs: exit 1" 1 "$rc"
		check "-w of two link types to a full tmpfs: no file of the export left" "" \
		    "$(ls -A "$mnt")"
		umount "$mnt"
	else
		notok "mount a tmpfs for -w" "mount -t tmpfs failed"
	fi
fi

# Later link types: OUT.pcap -> OUT.linux_sll.pcap; the name's extension
# is kept (out.cap -> out.linux_sll.cap); a name without one gets
# .linux_sll.pcap; a dot that starts the file name is no extension.
sll=$(cap lt_sll)
nsll=$("$PCAPREC" "$sll" | wc -l)
for pair in "a.pcap:a.linux_sll.pcap" "b.cap:b.linux_sll.cap" \
    "c:c.linux_sll.pcap" ".d:.d.linux_sll.pcap" "e.f/g:e.f/g.linux_sll.pcap"; do
	first=${pair%%:*} second=${pair#*:}
	mkdir -p "$T/names/e.f"
	rc=0
	"$HUNTCON" -r "$basic" -r "$sll" -w "$T/names/$first" 2>"$T/err" || rc=$?
	check "-w $first: exit 0, later link type in $second" "0 $nsll" \
	    "$rc $("$PCAPREC" "$T/names/$second" 2>/dev/null | wc -l)"
	check_grep "-w $first: $second named on stderr" \
	    "^huntcon: $T/names/$second: $nsll packets\$" "$T/err"
done
finish
