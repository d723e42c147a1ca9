#!/usr/bin/env bash
# test_layers.sh - the layers of src/DESIGN.md's map hold: the console
# (src/ui/) includes no header of capture/, decode/ or session/ (it asks
# the engine through the hunt and the view), only src/ui/ includes curses
# or readline, and only capture/ and export/ include libpcap.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$(dirname "$0")/../lib.sh"

cd "$TOP" || exit 1

for f in src/ui/*.c src/ui/*.h; do
	n=$(grep -cE '^#include "(capture|decode|session)/' "$f")
	check "$(basename "$f") includes no capture/, decode/ or session/" \
	    0 "$n"
done
check "only src/ui/ includes curses or readline" "" \
    "$(grep -lE '^#include <(n?curses|ncursesw/|readline/)' -r src |
    grep -v '^src/ui/')"
check "only capture/ and export/ include libpcap" "" \
    "$(grep -lE '^#include <pcap' -r src | grep -vE '^src/(capture|export)/')"

finish
