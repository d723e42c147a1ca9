#!/usr/bin/env bash
# test_install.sh - `make install` as a Debian build runs it: staged with
# DESTDIR and PREFIX=/usr, the tree holds the binary built for the source
# tree (not another build), both man pages, the rules and the themes; the
# staged binary checks its rules clean and, with no -R, no $HUNTCON_RULES
# and no $HUNTCON_THEMES, finds the rules and themes beside it (moved
# elsewhere too); `make uninstall` leaves no file behind.
# SPDX-License-Identifier: GPL-3.0-or-later
. "$(dirname "$0")/../lib.sh"

demo=$(cap demo)
S=$T/stage
unset HUNTCON_RULES HUNTCON_THEMES
export HOME=$T/home XDG_CONFIG_HOME=$T/home/.config
mkdir -p "$HOME"

# mk TARGET...: run make in the source tree, outside any make that runs us.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory \
	    -C "$TOP" "$@" DESTDIR="$S" PREFIX=/usr >"$T/make.out" 2>&1
}

rc=0; mk install || rc=$?
check "make install exits 0" 0 "$rc"
check "the installed binary is the tree's" same \
    "$(cmp -s "$TOP/huntcon" "$S/usr/bin/huntcon" && echo same)"
check "the man pages are installed" "huntcon-rules.5 huntcon.1" \
    "$(cd "$S/usr/share/man" && ls man5/huntcon-rules.5 man1/huntcon.1 |
    xargs -n1 basename | sort | xargs)"
check "every rule file and theme is installed" \
    "$(cd "$TOP" && find rules themes -type f | sort)" \
    "$(cd "$S/usr/share/huntcon" && find rules themes -type f | sort)"

HC=$S/usr/bin/huntcon
run_hc_staged() { local o=$1 e=$2; shift 2; rc=0; "$@" >"$o" 2>"$e" || rc=$?; }
run_hc_staged "$T/out" "$T/err" "$HC" --check-rules "$S/usr/share/huntcon/rules"
check "the installed rules check clean" "0 0 0" \
    "$rc $(grep -c 'error' "$T/out" "$T/err" | awk -F: '{s+=$2} END {print s}') \
$(wc -c <"$T/err")"

# With no -R the staged binary loads the staged rules: the same iocs as the
# tree's binary, and a rule added to the staged set is applied.
"$TOP/huntcon" -r "$demo" --values ioc >"$T/tree" 2>&1
run_hc_staged "$T/out" "$T/err" "$HC" -r "$demo" --values ioc
check "the staged binary finds its rules (exit)" 0 "$rc"
check_file "the staged binary gives the tree's iocs" "$(cat "$T/tree")" "$T/out"
grep -q possible_icmp_tunneling "$T/out" && ok "the iocs come from rules" ||
	notok "the iocs come from rules" "$(cat "$T/out")"

# Moved elsewhere, the tree still finds its own data.
cp -a "$S/usr" "$T/moved"
echo 'name=moved_marker rule="ip.proto = 1" alert=ioc' \
    >"$T/moved/share/huntcon/rules/99-marker.nwr"
run_hc_staged "$T/out" "$T/err" "$T/moved/bin/huntcon" -r "$demo" --values ioc
check_grep "a moved tree loads the rules beside it" \
    "^[0-9]+	moved_marker$" "$T/out"
run_hc_staged "$T/out" "$T/err" "$T/moved/bin/huntcon" -R bundled --check-rules \
    --fix
check_grep "-R bundled names the rules beside the binary" \
    "^name=moved_marker" "$T/out"

# The console finds its themes beside it too: a broken theme there is
# reported with its path.
echo 'frame nosuchcolour' >"$T/moved/share/huntcon/themes/light.theme"
SOCK=huntcon-install-$$
tmux -L "$SOCK" new-session -d -x 80 -y 24 \
    "env -u HUNTCON_THEMES LANG=C.UTF-8 $T/moved/bin/huntcon -r $demo --theme light 2>$T/stderr; echo \$? >$T/rc; sleep 600"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$T"' EXIT
end=$((SECONDS + 15))
while [ $SECONDS -le $end ] && [ ! -s "$T/rc" ]; do sleep 0.05; done
check "a broken installed theme stops the console (usage error)" 2 "$(cat "$T/rc" 2>/dev/null)"
check_grep "the theme is read from beside the binary" \
    "^huntcon: $T/moved/share/huntcon/themes/light.theme:1: " "$T/stderr"

rc=0; mk uninstall || rc=$?
check "make uninstall exits 0" 0 "$rc"
check "make uninstall leaves no file" "" "$(find "$S" ! -type d)"
check "make uninstall removes huntcon's data directory" no \
    "$([ -e "$S/usr/share/huntcon" ] && echo yes || echo no)"
finish
