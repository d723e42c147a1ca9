#!/usr/bin/env bash
# test_corpus_asan.sh - bad input is normal input: the sanitized build
# (ASan + UBSan, leak checks) reads every capture of the malformed and
# tunnel folders of ../shared/corpus with the bundled rules and parsers,
# and every file ends with a clean exit status and no sanitizer report.
# Skipped when the corpus is absent.
. "$(dirname "$0")/../lib.sh"
ASANHC=${ASANHC:-$TOP/build/asan/huntcon}

if [ ! -d "$CORPUS" ]; then
	echo "# skip corpus under ASan: $CORPUS is absent"
	finish
fi
for f in "$CORPUS"/malformed/* "$CORPUS"/dns_tunnel/*.pcap \
    "$CORPUS"/icmp_tunnel/*.pcap; do
	[ -f "$f" ] || continue
	rc=0
	timeout 120 "$ASANHC" -r "$f" --sessions --fields all >/dev/null \
	    2>"$T/err" || rc=$?
	if [ "$rc" -le 1 ] && ! grep -q 'Sanitizer\|runtime error' "$T/err"; then
		ok "asan: ${f#"$CORPUS"/} (exit $rc)"
	else
		notok "asan: ${f#"$CORPUS"/} (exit $rc)" "$(grep -m5 'ERROR\|runtime error' "$T/err")"
	fi
done
finish
