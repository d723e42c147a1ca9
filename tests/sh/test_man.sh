#!/usr/bin/env bash
# test_man.sh - the manual pages: both lint clean with mandoc (nothing at
# warning level or above: no unknown macro, no line read as a request), and
# huntcon(1)'s SETTINGS section has an entry for every setting --keys
# prints, with the same default; huntcon-rules(5) has every message the
# rule loader, the order check and a correlation run give.
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

# Every message the rule loader and the order check give, drawn out by a
# file with one mistake a line, is in huntcon-rules(5) word for word, its
# placeholders ('R', KEY, FILE:LINE, N ...) standing for the values.
cat >"$T/all.nwr" <<'EOF'
# one mistake a line
name=big rule="size > 1000000" alert=analysis.session order=20
name=tunnel rule="analysis.session = 'big' && ip.proto = 1" alert=ioc order=10
name=ghost rule="analysis.session = 'nobody writes me'" alert=ioc
name=self rule="ioc = 'self'" alert=ioc order=30
name=big rule="size > 5" alert=analysis.session order=40
name=stopper rule="ip.proto = 6" alert=boc stop order=50
name=after rule="boc exists" alert=eoc order=60
name=stopw rule="ip.proto = 17" alert=boc order=61
name=a1 rule="eoc = 'b1'" alert=eoc order=70
name=b1 rule="eoc = 'a1'" alert=eoc order=70
name=t rule="ip.proto=1" alert=ioc type=frob truncate=10 frobnicate
name=o rule="ip.proto=1" alert=ioc order=ten
name=q rule="ip.proto=1
rule="ip.proto=1" alert=ioc
name="" rule="ip.proto=1" alert=ioc
name=nr alert=ioc
name=na rule="ip.proto=1"
name=n name=m rule="ip.proto=1" alert=ioc
name=k rule="ip.proto=1" alert=size
name=k2 rule="ip.proto=1" alert=a/b
name=e1 rule="ip.proto == 1" alert=ioc
name=e2 rule="ip.src = 10.0.0.1/8 && nosuch.key = 3" alert=ioc
name=e3 rule="ip.proto = abc" alert=ioc
name=e4 rule="alias.host = foo" alert=ioc
name=e5 rule="(ip.proto = 1" alert=ioc
name=e6 rule="ip.proto = 1)" alert=ioc
name=e7 rule="alias.host regex '('" alert=ioc
name=e8 rule="ip.proto exsts" alert=ioc
name=e9 rule="ip.proto begins 1" alert=ioc
name=e10 rule="size < 1-5" alert=ioc
name=e11 rule="ip.proto = 5-1" alert=ioc
name=e12 rule="!ip.proto = 1" alert=ioc
name=e13 rule="ip.proto = 1 &&" alert=ioc
name=e14 rule="ip.proto = 1 ip.proto = 2" alert=ioc
name=e15 rule="alias.host = 'a'-'b'" alert=ioc
name=e16 rule="ip.proto = 1 & size > 1" alert=ioc
name=e17 rule="alias.host = 'unterminated" alert=ioc
name=e18 rule="ip.proto" alert=ioc
name=e19 rule="ip.proto =" alert=ioc
name=c1 type=correlation rule="ip.proto=1" window=60 threshold="sessions >= 2" alert=ioc
name=c2 type=correlation rule="ip.proto=1" group=ip.src threshold="sessions >= 2" alert=ioc
name=c3 type=correlation rule="ip.proto=1" group=ip.src window=60 alert=ioc
name=c4 rule="ip.proto=1" group=ip.src alert=ioc
name=c5 rule="ip.proto=1" window=60 alert=ioc
name=c6 rule="ip.proto=1" threshold="sessions >= 2" alert=ioc
name=c7 type=correlation rule="ip.proto=1" group=ip.src window=60 threshold="sessions >= 2" alert=ioc stop
name=c8 type=correlation rule="ip.proto=1" group=ip.src window=60 threshold="sessions >= 2" alert=ioc transient
name=c9 type=correlation rule="ip.proto=1" group=ip.src,nosuch.key window=60 threshold="sessions >= 2" alert=ioc
name=c10 type=correlation rule="ip.proto=1" group=ip.src,ip.dst,sld,service,tcp.dstport window=60 threshold="sessions >= 2" alert=ioc
name=c11 type=correlation rule="ip.proto=1" group=ip.src;ip.dst window=60 threshold="sessions >= 2" alert=ioc
name=c12 type=correlation rule="ip.proto=1" group=ip.src window=0 threshold="sessions >= 2" alert=ioc
name=c13 type=correlation rule="ip.proto=1" group=ip.src window=60 window=30 threshold="sessions >= 2" alert=ioc
name=c14 type=correlation rule="ip.proto=1" group=ip.src window=60 threshold="sessions >= 2 alert=ioc
name=c15 type=correlation rule="ip.proto=1" group=ip.src window=60 threshold="count > 3" alert=ioc
name=c16 type=correlation rule="ip.proto=1" group=ip.src window=60 threshold="distinct ip.dst > 3" alert=ioc
name=c17 type=correlation rule="ip.proto=1" group=ip.src window=60 threshold="distinct(nokey) >= 2" alert=ioc
name=c18 type=correlation rule="ip.proto=1" group=ip.src window=60 threshold="distinct(ip.dst >= 2" alert=ioc
name=c19 type=correlation rule="ip.proto=1" group=ip.src window=60 threshold="sessions ~ 2" alert=ioc
name=c20 type=correlation rule="ip.proto=1" group=ip.src window=60 threshold="cv <= low" alert=ioc
name=c21 type=correlation rule="ip.proto=1" group=ip.src window=60 threshold="rate >= 2 sessions >= 3" alert=ioc
name=c22 type=correlation rule="ip.proto=1" group=ip.src window=60 threshold="distinct(ip.dst) > 1 && distinct(ip.src) > 1 && distinct(sld) > 1 && distinct(service) > 1 && distinct(alias.host) > 1 && distinct(tcp.dstport) > 1 && distinct(udp.dstport) > 1 && distinct(eth.src) > 1 && distinct(eth.dst) > 1" alert=ioc
name=reader rule="ioc = 'cw'" alert=eoc
name=cw type=correlation rule="ip.proto=1" group=ip.src window=60 threshold="sessions >= 2" alert=ioc
EOF
printf 'name=z rule="ip.proto=1" alert=ioc\0\n' >"$T/nul.nwr"
mkfifo "$T/fifo.nwr"
"$HUNTCON" --check-rules "$T/all.nwr" "$T/nul.nwr" "$T/fifo.nwr" \
    "$T/missing.nwr" >"$T/diags" 2>&1
# A window not shorter than store.retain adds its warning.
"$HUNTCON" --set store.retain=60 --check-rules "$T/all.nwr" 2>&1 |
	grep 'store.retain' >>"$T/diags"
# A correlation rule's cap on open groups, met on a capture, adds the
# message of a run.
HUNTCON_CORR_GROUPS=1 "$HUNTCON" -r "$(cap corr_dns)" --values ioc \
    2>>"$T/diags" >/dev/null
sed 's/^.*\(: error: \|: warning: \)//' "$T/diags" | sort -u >"$T/msgs"
check "the rule file and the capped run draw 69 different messages or more" \
    yes "$([ "$(wc -l <"$T/msgs")" -ge 69 ] && echo yes)"
check "the capped run draws the eviction message" 1 \
    "$(grep -c '^huntcon: correlation rule .* groups judged early and evicted' "$T/msgs")"
# The page's quoted messages (.I "..."), each made a pattern (in perl:
# grep -E reads some escaped characters as anchors), and the messages no
# pattern matches.
undocumented=$(perl -e '
	open(M, "<", $ARGV[0]) or die;
	while (<M>) {
		next unless /^\.IR? "(.*)"/;
		my $p = $1;
		$p =~ s/\\-/-/g;
		$p =~ s/FILE:LINE/\x01/g;
		$p =~ s/\x27[A-Z][A-Z\/]*\x27/\x02/g;
		$p =~ s/\.\.\./\x03/g;
		$p =~ s/\b(?:KEY|TYPE|REASON|MESSAGE|WORD)\b|\bB\/N\b/\x04/g;
		$p =~ s/=X\b/=\x04/g;
		$p =~ s/\bN\b/\x05/g;
		my $r = quotemeta($p);
		$r =~ s/\\\x01/\\S+:[0-9]+/g;
		$r =~ s/\\\x02/\x27.*\x27/g;
		$r =~ s/\\\x03/.*/g;
		$r =~ s/\\\x04/.+/g;
		$r =~ s/\\\x05/[0-9]+/g;
		push @re, qr/^$r$/;
	}
	open(D, "<", $ARGV[1]) or die;
	LINE: while (my $l = <D>) {
		chomp $l;
		for my $r (@re) { next LINE if $l =~ $r; }
		print "$l\n";
	}' "$TOP/man/huntcon-rules.5" "$T/msgs")
check "huntcon-rules(5) explains every message" "" "$undocumented"
finish
