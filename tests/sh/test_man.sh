#!/usr/bin/env bash
# test_man.sh - the manual pages: both lint clean with mandoc (nothing at
# warning level or above: no unknown macro, no line read as a request), and
# huntcon(1)'s SETTINGS section has an entry for every setting --keys
# prints, with the same default.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$(dirname "$0")/../lib.sh"

for page in huntcon.1 huntcon-rules.5; do
	rc=0
	mandoc -Tlint -Wwarning "$TOP/man/$page" >"$T/lint" 2>&1 || rc=$?
	check "mandoc -Tlint finds nothing in $page" "0 " \
	    "$rc $(cat "$T/lint")"
done

# The SETTINGS section's tags: ".BR NAME " (UNIT, default VALUE...)"".
sed -n '/^\.SH SETTINGS/,/^\.SH /p' "$TOP/man/huntcon.1" |
	sed -n 's/^\.BR \([a-z0-9_.]*\) " *(.*default \([^;)]*\).*/\1 \2/p' \
	>"$T/man"
"$HUNTCON" --keys | awk -F'\t' '$1 == "setting" {
	print $2, ($3 == "-" ? "none" : $3) }' >"$T/keys"
check "--keys prints the settings" yes \
    "$([ "$(wc -l <"$T/keys")" -ge 20 ] && echo yes)"
missing=$(grep -vxFf "$T/man" "$T/keys")
check "the man page lists every setting with its default" "" "$missing"
extra=$(grep -vxFf "$T/keys" "$T/man")
check "the man page lists no setting huntcon lacks" "" "$extra"
finish
