#!/usr/bin/env bash
# test_parse_tiers.sh - the parsers' files keep their tiers (src/DESIGN.md):
# no protocol file calls the dispatcher or the parsers' thread or reads the
# protocols' table, the parsers include nothing of the engine above them,
# and every protocol in PARSE_PROTOCOLS has its row defined in one file.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$(dirname "$0")/../lib.sh"

cd "$TOP" || exit 1

# The dispatcher's and the thread's names a protocol file must not use.
top='parse_pipe_|parse_ship|parse_meta|parse_release|parse_drop|parse_ops\[|PJ_[A-Z]'
for f in src/parse/*.c; do
	case $f in
	src/parse/parse.c|src/parse/pipe.c) continue ;;
	esac
	n=$(grep -cE "$top" "$f")
	check "$(basename "$f") does not reach the dispatcher or the thread" \
	    0 "$n"
done

n=$(grep -l '#include "engine/' src/parse/*.c src/parse/*.h | wc -l)
check "src/parse/ includes nothing of src/engine/" 0 "$n"

# Each X(NAME, name) row of PARSE_PROTOCOLS has one name_ops definition.
rows=$(sed -n '/^#define PARSE_PROTOCOLS/,/^$/p' src/parse/parse-int.h |
    sed -n 's/.*X([A-Z0-9]*, \([a-z0-9]*\)).*/\1/p')
n=$(echo "$rows" | grep -c .)
check "PARSE_PROTOCOLS lists the protocols" true "$([ "$n" -ge 12 ] && echo true)"
for r in $rows; do
	n=$(grep -l "^const struct parse_ops ${r}_ops = {" src/parse/*.c | wc -l)
	check "${r}_ops is defined in one file" 1 "$n"
done

finish
