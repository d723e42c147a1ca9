/*
 * test_rules.c - application rules: the loader on every token form, the
 * evaluation order on hand-made sessions, the order check's messages and
 * --fix, and the bundled set.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "meta/meta.h"
#include "rules/rules.h"
#include "session/session.h"
#include "util/util.h"

static char	 tmpdir[] = "/tmp/huntcon-rules-XXXXXX";
static char	 origdir[4096];

/* Write a file under rules/ in the temp dir (cwd is the temp dir). */
static void
put(const char *name, const char *text)
{
	char	 path[256];
	FILE	*fp;

	snprintf(path, sizeof path, "rules/%s", name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	fwrite(text, 1, strlen(text), fp);
	fclose(fp);
}

/* Load one file written by put(). */
static struct ruleset *
load1(const char *name, const char *text)
{
	char		 path[256];
	const char	*src = path;

	put(name, text);
	snprintf(path, sizeof path, "rules/%s", name);
	return (rules_load(&src, 1));
}

/* Run a printer into a string (caller frees). */
static char *
output(const struct ruleset *rs, int (*fn)(const struct ruleset *, FILE *),
    int *ret)
{
	char	*s = NULL;
	size_t	 n = 0;
	FILE	*fp = open_memstream(&s, &n);
	int	 r;

	r = fn(rs, fp);
	fclose(fp);
	if (ret != NULL)
		*ret = r;
	return (s);
}

/* Assert the check output and error count. */
static void
check_is(const struct ruleset *rs, const char *want, int errors)
{
	int	 e;
	char	*s = output(rs, rules_check, &e);

	assert_string_equal(s, want);
	assert_int_equal(e, errors);
	free(s);
}

/* Index of a rule by name. */
static size_t
find(const struct ruleset *rs, const char *name)
{
	size_t	 i;

	for (i = 0; i < rules_count(rs); i++) {
		if (strcmp(rules_name(rs, i), name) == 0)
			return (i);
	}
	fail_msg("no rule '%s'", name);
	return (0);
}

static const char loader_text[] =
    "\xef\xbb\xbf# a comment\r\n"
    "name=\"a b\" rule=\"ip.proto = 1\" alert=analysis.session order=20 "
    "type=application\r\n"
    "\r\n"
    "   \t\r\n"
    "  # indented comment\n"
    "rule=\"query = 'name=\\\"x\\\"'\" alert=ioc name=q order=5   \r\n"
    "name=dir rule=\"directory = '\\\\c$\\\\'\" alert=ioc stop transient\n"
    "name=t rule=\"ip.proto=1&&size=1-u\" alert=test.alert truncate=100 "
    "frobnicate disable\n"
    "name=Q rule=\"ip.proto = 6\" alert=ioc\n"
    "name=bad rule=\"client = \\\"x\\\" && ip.proto exsts\" alert=ioc\n"
    "name=num rule=\"ip.proto = 1\" alert=size\n"
    "name=open rule=\"ip.proto = 1 alert=ioc\n"
    "rule=\"ip.proto = 1\" alert=ioc\n"
    "name=last rule=\"size exists\" alert=ioc";

/* Every token form of SPEC §4 loads; errors keep the other rules. */
static void
test_loader(void **state)
{
	struct ruleset	*rs;
	size_t		 i, len;
	const char	*raw;
	int		 key;

	(void)state;
	rs = load1("forms.nwr", loader_text);
	assert_int_equal(rules_count(rs), 10);
	i = find(rs, "a b");
	assert_int_equal(rules_line(rs, i), 2);
	assert_int_equal(rules_order(rs, i), 20);
	assert_string_equal(rules_condition(rs, i), "ip.proto = 1");
	raw = rules_raw(rs, i, &len);
	assert_int_equal(len, strlen("name=\"a b\" rule=\"ip.proto = 1\" "
	    "alert=analysis.session order=20 type=application"));
	assert_memory_equal(raw, "name=\"a b\"", 10);
	i = find(rs, "q");
	assert_string_equal(rules_condition(rs, i), "query = 'name=\"x\"'");
	assert_int_equal(rules_order(rs, i), 5);
	assert_true(rules_enabled(rs, i));
	i = find(rs, "dir");
	assert_string_equal(rules_condition(rs, i), "directory = '\\\\c$\\\\'");
	assert_int_equal(rules_flags(rs, i), RULE_STOP | RULE_TRANSIENT);
	i = find(rs, "t");
	assert_int_equal(rules_flags(rs, i), RULE_TRUNCATE | RULE_DISABLE);
	assert_false(rules_enabled(rs, i));
	key = meta_find("test.alert", 10);
	assert_true(key >= 0);
	assert_int_equal(meta_key(key)->type, MT_TEXT);
	assert_int_equal(rules_alert(rs, i), key);
	i = find(rs, "last");
	assert_int_equal(rules_line(rs, i), 14);
	assert_true(rules_enabled(rs, i));
	assert_false(rules_enabled(rs, find(rs, "bad")));
	assert_false(rules_enabled(rs, find(rs, "num")));
	assert_int_equal(rules_active(rs), 5);
	assert_int_equal(rules_file_nlines(rs, 0), 14);
	check_is(rs,
	    "rules/forms.nwr:6: warning: rule 'q' writes ioc, but stop rule "
	    "'dir' (rules/forms.nwr:7) runs first and ends evaluation when it "
	    "matches\n"
	    "rules/forms.nwr:8:53: warning: truncate= does not apply to "
	    "huntcon (kept, ignored)\n"
	    "rules/forms.nwr:8:66: warning: unknown word 'frobnicate' (kept, "
	    "ignored)\n"
	    "rules/forms.nwr:9: warning: duplicate rule name 'Q' (first at "
	    "rules/forms.nwr:6)\n"
	    "rules/forms.nwr:9: warning: rule 'Q' writes ioc, but stop rule "
	    "'dir' (rules/forms.nwr:7) runs first and ends evaluation when it "
	    "matches\n"
	    "rules/forms.nwr:10:43: error: 'exsts' is not an operator (did "
	    "you mean 'exists'?)\n"
	    "rules/forms.nwr:11:36: error: alert=size is a uint key; rules "
	    "write text\n"
	    "rules/forms.nwr:12:16: error: unterminated quote in rule=\n"
	    "rules/forms.nwr:13: error: rule has no name=\n"
	    "rules/forms.nwr:14: warning: rule 'last' writes ioc, but stop "
	    "rule 'dir' (rules/forms.nwr:7) runs first and ends evaluation "
	    "when it matches\n", 4);
	rules_free(rs);
}

/* A file that cannot be read is an error; none loads nothing. */
static void
test_sources(void **state)
{
	const char	*src[] = { "rules/nonexistent.nwr", "none" };
	struct ruleset	*rs;

	(void)state;
	rs = rules_load(src, 2);
	assert_int_equal(rules_count(rs), 0);
	check_is(rs, "rules/nonexistent.nwr: error: cannot read: No such "
	    "file or directory\n", 1);
	rules_free(rs);
	rs = rules_load(src + 1, 1);
	assert_int_equal(rules_count(rs), 0);
	check_is(rs, "", 0);
	rules_free(rs);
}

/* A directory contributes its *.nwr files in bytewise name order. */
static void
test_directory(void **state)
{
	const char	*src = "rules/d";
	struct ruleset	*rs;

	(void)state;
	mkdir("rules/d", 0700);
	put("d/b.nwr", "name=two rule=\"ip.proto=1\" alert=ioc\n");
	put("d/a.nwr", "name=one rule=\"ip.proto=1\" alert=ioc\n");
	put("d/c.txt", "name=never rule=\"ip.proto=1\" alert=ioc\n");
	rs = rules_load(&src, 1);
	assert_int_equal(rules_count(rs), 2);
	assert_string_equal(rules_name(rs, 0), "one");
	assert_string_equal(rules_file(rs, 1), "rules/d/b.nwr");
	rules_free(rs);
}

/* A hand-made session: ICMP, both directions. */
static struct session *
fake(uint8_t proto, uint64_t size)
{
	struct session	*s = xcalloc(1, sizeof *s);

	s->id = 1;
	s->af = 4;
	s->proto = proto;
	s->size = size;
	s->packets = 10;
	s->payload[0] = size / 2;
	s->payload[1] = size / 4;
	s->seen = 3;
	s->initiator = 0;
	s->prec = 6;
	return (s);
}

/* The values of a key, joined with commas. */
static char *
vals(struct session *s, const char *key)
{
	struct mval	 v[16];
	struct buf	 b;
	size_t		 n, i;

	n = session_meta_get(s, meta_find(key, strlen(key)), v, 16);
	buf_init(&b);
	buf_adds(&b, "");
	for (i = 0; i < n && i < 16; i++) {
		if (i != 0)
			buf_addc(&b, ',');
		buf_add(&b, v[i].text.p, v[i].text.n);
	}
	return (buf_take(&b));
}

/* Assert the values of a key. */
static void
vals_are(struct session *s, const char *key, const char *want)
{
	char	*got = vals(s, key);

	assert_string_equal(got, want);
	free(got);
}

static const char eval_text[] =
    "name=second rule=\"analysis.session = 'first'\" alert=ioc order=20\n"
    "name=first rule=\"ip.proto = 1\" alert=analysis.session order=10\n"
    "name=late rule=\"ip.proto = 1\" alert=analysis.session order=30\n"
    "name=notlate rule=\"analysis.session = 'late'\" alert=ioc order=25\n"
    "name=trans rule=\"ip.proto = 1\" alert=analysis.session transient "
    "order=11\n"
    "name=usetrans rule=\"analysis.session = 'trans'\" alert=ioc order=12\n"
    "name=off rule=\"ip.proto = 1\" alert=ioc disable\n"
    "name=stopper rule=\"size = 5000-u\" alert=eoc stop order=40\n"
    "name=afterstop rule=\"ip.proto = 1\" alert=eoc order=50\n";

/* Order, transient, disable, stop, and not seeing later values. */
static void
test_apply(void **state)
{
	struct session_ctx	 ctx = { NULL, NULL, 0, NULL, NULL };
	struct meta_reader	 r;
	struct ruleset		*rs;
	struct session		*big, *small;
	struct mval		 v;

	(void)state;
	session_reader_init(&r, &ctx);
	rs = load1("eval.nwr", eval_text);
	big = fake(1, 10000);
	small = fake(1, 100);
	rules_apply(rs, big, &r);
	rules_apply(rs, small, &r);
	vals_are(big, "ioc", "usetrans,second");
	vals_are(big, "analysis.session", "first,late");
	vals_are(big, "eoc", "stopper");
	vals_are(small, "eoc", "afterstop");
	/* Reapply drops rule values only. */
	memset(&v, 0, sizeof v);
	v.type = MT_TEXT;
	v.text.p = "junk";
	v.text.n = 4;
	session_meta_add(big, meta_find("ioc", 3), &v, MF_RULE);
	v.text.p = "parsed";
	v.text.n = 6;
	session_meta_add(big, meta_find("boc", 3), &v, MF_PARSER);
	rules_reapply(rs, big, &r);
	vals_are(big, "ioc", "usetrans,second");
	vals_are(big, "boc", "parsed");
	session_meta_free(big);
	session_meta_free(small);
	free(big);
	free(small);
	rules_free(rs);
}

/*
 * Rules past one chunk of gathered queries (64): a rule sees the value the
 * rule just before it wrote, though an earlier rule read the key before the
 * write, in its chunk and across chunks; stop ends the run in the second
 * chunk.
 */
static void
test_apply_chunks(void **state)
{
	struct session_ctx	 ctx = { NULL, NULL, 0, NULL, NULL };
	struct meta_reader	 r;
	struct ruleset		*rs;
	struct session		*s;
	struct buf		 b;
	char			*text;
	int			 i;

	(void)state;
	buf_init(&b);
	buf_printf(&b, "name=first rule=\"boc = 'zz'\" alert=ioc\n");
	for (i = 0; i < 10; i++)
		buf_printf(&b, "name=a%d rule=\"size = 0-u\" alert=boc\n", i);
	buf_printf(&b, "name=seen1 rule=\"boc = 'A9'\" alert=eoc\n");
	buf_printf(&b, "name=unseen rule=\"eoc = 'late'\" alert=ioc\n");
	for (i = 12; i < 63; i++)
		buf_printf(&b, "name=b%d rule=\"ip.proto = 6\" alert=boc\n", i);
	buf_printf(&b, "name=edge rule=\"boc = 'a0' && eoc = 'seen1'\" "
	    "alert=ioc\n");
	buf_printf(&b, "name=late rule=\"ip.proto = 1\" alert=eoc\n");
	buf_printf(&b, "name=next rule=\"eoc = 'late' && ioc = 'edge'\" "
	    "alert=ioc\n");
	buf_printf(&b, "name=halt rule=\"eoc exists\" alert=eoc stop\n");
	buf_printf(&b, "name=never rule=\"ip.proto = 1\" alert=ioc\n");
	text = buf_take(&b);
	rs = load1("chunks.nwr", text);
	assert_int_equal(rules_active(rs), 69);
	session_reader_init(&r, &ctx);
	s = fake(1, 40);
	rules_apply(rs, s, &r);
	vals_are(s, "boc", "a0,a1,a2,a3,a4,a5,a6,a7,a8,a9");
	vals_are(s, "eoc", "seen1,late,halt");
	vals_are(s, "ioc", "edge,next");
	rules_reapply(rs, s, &r);
	vals_are(s, "eoc", "seen1,late,halt");
	vals_are(s, "ioc", "edge,next");
	session_meta_free(s);
	free(s);
	rules_free(rs);
	free(text);
}

/* Add a parser's text value to a session. */
static void
parsed(struct session *s, const char *key, const char *text)
{
	struct mval	 v;

	memset(&v, 0, sizeof v);
	v.type = MT_TEXT;
	v.text.p = text;
	v.text.n = (uint32_t)strlen(text);
	session_meta_add(s, meta_find(key, strlen(key)), &v, MF_PARSER);
}

/*
 * A key's values are a set with ASCII case folded, whoever wrote them:
 * rule names that differ in case only, a rule name a parser wrote first in
 * other case, names that differ in one byte, and text with a capital
 * against text without.
 */
static void
test_apply_folded(void **state)
{
	struct session_ctx	 ctx = { NULL, NULL, 0, NULL, NULL };
	struct meta_reader	 r;
	struct ruleset		*rs;
	struct session		*s;

	(void)state;
	rs = load1("fold.nwr",
	    "name=Dup rule=\"ip.proto = 1\" alert=boc\n"
	    "name=dup rule=\"ip.proto = 1\" alert=boc\n"
	    "name=DUP rule=\"ip.proto = 1\" alert=boc\n"
	    "name=dupe rule=\"ip.proto = 1\" alert=boc\n"
	    "name=dupf rule=\"ip.proto = 1\" alert=boc\n"
	    "name=seen rule=\"ip.proto = 1\" alert=ioc\n"
	    "name=Other rule=\"ip.proto = 1\" alert=ioc\n"
	    "name=dup rule=\"ip.proto = 1\" alert=ioc\n"
	    "name=count rule=\"boc = 'DUPE'\" alert=eoc\n");
	session_reader_init(&r, &ctx);
	s = fake(1, 100);
	parsed(s, "ioc", "SEEN");
	parsed(s, "ioc", "other");
	rules_apply(rs, s, &r);
	vals_are(s, "boc", "Dup,dupe,dupf");
	vals_are(s, "ioc", "SEEN,other,dup");
	vals_are(s, "eoc", "count");
	rules_reapply(rs, s, &r);
	vals_are(s, "boc", "Dup,dupe,dupf");
	vals_are(s, "ioc", "SEEN,other,dup");
	session_meta_free(s);
	free(s);
	rules_free(rs);
}

/*
 * Keys of the extra meta that a session lacks are answered without a read,
 * and one a rule writes is read again: exists, !exists, != and = on a key
 * absent, present with another value and present with the value.
 */
static void
test_apply_absent(void **state)
{
	struct session_ctx	 ctx = { NULL, NULL, 0, NULL, NULL };
	struct meta_reader	 r;
	struct ruleset		*rs;
	struct session		*none, *y, *x;

	(void)state;
	rs = load1("absent.nwr",
	    "name=has rule=\"alias.host exists\" alert=ioc\n"
	    "name=hasnt rule=\"alias.host !exists\" alert=ioc\n"
	    "name=notx rule=\"alias.host != 'x.example'\" alert=ioc\n"
	    "name=isy rule=\"alias.host = 'y.example'\" alert=ioc\n"
	    "name=after rule=\"ioc = 'hasnt' && eoc !exists\" alert=eoc\n"
	    "name=twice rule=\"eoc = 'after'\" alert=eoc\n");
	session_reader_init(&r, &ctx);
	none = fake(1, 100);
	y = fake(1, 100);
	x = fake(1, 100);
	parsed(y, "alias.host", "Y.example");
	parsed(x, "alias.host", "x.example");
	rules_apply(rs, none, &r);
	rules_apply(rs, y, &r);
	rules_apply(rs, x, &r);
	vals_are(none, "ioc", "hasnt,notx");
	vals_are(none, "eoc", "after,twice");
	vals_are(y, "ioc", "has,notx,isy");
	vals_are(y, "eoc", "");
	vals_are(x, "ioc", "has");
	rules_reapply(rs, none, &r);
	vals_are(none, "ioc", "hasnt,notx");
	vals_are(none, "eoc", "after,twice");
	session_meta_free(none);
	session_meta_free(y);
	session_meta_free(x);
	free(none);
	free(y);
	free(x);
	rules_free(rs);
}

/*
 * Past the rules whose names a run tracks as bits (1024), names are found
 * by searching the session's values: duplicates folded on both sides of
 * that line, and a transient name that a later rule writes again.
 */
static void
test_apply_many_names(void **state)
{
	struct session_ctx	 ctx = { NULL, NULL, 0, NULL, NULL };
	struct meta_reader	 r;
	struct ruleset		*rs;
	struct session		*s;
	struct buf		 b;
	char			*text;
	int			 i;

	(void)state;
	buf_init(&b);
	for (i = 0; i < 1030; i++)
		buf_printf(&b, "name=n%d rule=\"ip.proto = 1\" alert=boc\n", i);
	buf_printf(&b, "name=N5 rule=\"ip.proto = 1\" alert=boc\n");
	buf_printf(&b, "name=N1025 rule=\"ip.proto = 1\" alert=boc\n");
	buf_printf(&b, "name=n1026 rule=\"ip.proto = 1\" alert=boc\n");
	buf_printf(&b, "name=N1029 rule=\"ip.proto = 1\" alert=eoc\n");
	buf_printf(&b, "name=t rule=\"ip.proto = 1\" alert=ioc transient\n");
	buf_printf(&b, "name=T rule=\"ip.proto = 1\" alert=ioc\n");
	buf_printf(&b, "name=saw rule=\"ioc = 't'\" alert=ioc\n");
	text = buf_take(&b);
	rs = load1("many.nwr", text);
	assert_int_equal(rules_active(rs), 1037);
	session_reader_init(&r, &ctx);
	s = fake(1, 100);
	rules_apply(rs, s, &r);
	assert_int_equal(session_meta_get(s, meta_find("boc", 3), NULL, 0),
	    1030);
	vals_are(s, "eoc", "N1029");
	vals_are(s, "ioc", "saw");
	rules_reapply(rs, s, &r);
	assert_int_equal(session_meta_get(s, meta_find("boc", 3), NULL, 0),
	    1030);
	vals_are(s, "ioc", "saw");
	session_meta_free(s);
	free(s);
	rules_free(rs);
	free(text);
}

/*
 * The internal ranges that direction (read by rules on every session)
 * tests, at both edges of each, and a home network.
 */
static void
test_internal_ranges(void **state)
{
	static const struct {
		const char	*addr;
		bool		 internal;
	} t[] = {
		{ "10.0.0.0", true }, { "10.255.255.255", true },
		{ "9.255.255.255", false }, { "11.0.0.0", false },
		{ "172.16.0.0", true }, { "172.31.255.255", true },
		{ "172.15.255.255", false }, { "172.32.0.0", false },
		{ "192.168.0.1", true }, { "192.169.0.1", false },
		{ "192.167.255.255", false },
		{ "100.64.0.0", true }, { "100.127.255.255", true },
		{ "100.63.255.255", false }, { "100.128.0.0", false },
		{ "127.0.0.1", true }, { "169.254.1.1", true },
		{ "169.253.1.1", false }, { "8.8.8.8", false },
		{ "203.0.113.7", true }, { "203.0.114.0", false },
		{ "fc00::1", true }, { "fdff::1", true }, { "fe00::1", false },
		{ "fe80::1", true }, { "febf::1", true }, { "fec0::1", false },
		{ "::1", true }, { "::2", false }, { "2001:db8::1", false },
	};
	struct netrange		 home, a;
	struct session_ctx	 ctx = { NULL, &home, 1, NULL, NULL };
	size_t			 i;

	(void)state;
	assert_true(netrange_parse("203.0.113.0/24", 14, &home));
	for (i = 0; i < nitems(t); i++) {
		assert_true(netrange_parse(t[i].addr, strlen(t[i].addr), &a));
		if (session_internal(&ctx, a.af, a.addr) != t[i].internal)
			fail_msg("%s", t[i].addr);
	}
	/* Without the context, the home network is not internal. */
	assert_true(netrange_parse("203.0.113.7", 11, &a));
	assert_false(session_internal(NULL, a.af, a.addr));
}

static const char analyst_reversed[] =
    "name=possible_icmp_tunneling rule=\"ip.proto=1 && session.split "
    "exists && analysis.session = 'icmp large session' && analysis.session "
    "= 'session size greater than 1mb'\" alert=ioc type=application\n"
    "# two-way and big\n"
    "name=\"session size greater than 1mb\" rule=\"streams=2 && "
    "size=1024000 -u\" alert=analysis.session type=application\n"
    "name=\"session split\" rule=\"session.split exists\" "
    "alert=analysis.session type=application\n";

/* The analyst's three rules in reverse order: the SPEC §4 warning. */
static void
test_check_reversed(void **state)
{
	struct ruleset	*rs;
	char		*s;
	int		 n;

	(void)state;
	rs = load1("x.nwr", analyst_reversed);
	check_is(rs,
	    "rules/x.nwr:1:93: warning: rule 'possible_icmp_tunneling' reads "
	    "analysis.session = 'icmp large session', which no rule and no "
	    "parser writes\n"
	    "rules/x.nwr:1: warning: rule 'possible_icmp_tunneling' reads "
	    "analysis.session = 'session size greater than 1mb', which rule "
	    "'session size greater than 1mb' (rules/x.nwr:3) writes later; "
	    "move it above line 1\n", 0);
	s = output(rs, rules_fix, &n);
	assert_int_equal(n, 0);
	assert_string_equal(s,
	    "# two-way and big\n"
	    "name=\"session size greater than 1mb\" rule=\"streams=2 && "
	    "size=1024000 -u\" alert=analysis.session type=application "
	    "order=10\n"
	    "name=possible_icmp_tunneling rule=\"ip.proto=1 && session.split "
	    "exists && analysis.session = 'icmp large session' && "
	    "analysis.session = 'session size greater than 1mb'\" alert=ioc "
	    "type=application order=20\n"
	    "name=\"session split\" rule=\"session.split exists\" "
	    "alert=analysis.session type=application order=30\n");
	free(s);
	rules_free(rs);
}

/* --fix renumbers an existing order= in place and follows order=. */
static void
test_fix_order(void **state)
{
	struct ruleset	*rs;
	char		*s;

	(void)state;
	rs = load1("o.nwr",
	    "name=b rule=\"ioc = 'a'\" alert=ioc order=5 type=application\n"
	    "name=c rule=\"ip.proto=1\" alert=ioc order=1\n"
	    "name=a rule=\"ip.proto=1\" alert=ioc order=7\r\n");
	check_is(rs, "rules/o.nwr:1: warning: rule 'b' reads ioc = 'a', "
	    "which rule 'a' (rules/o.nwr:3) writes later; move it above "
	    "line 1\n", 0);
	s = output(rs, rules_fix, NULL);
	assert_string_equal(s,
	    "name=c rule=\"ip.proto=1\" alert=ioc order=10\n"
	    "name=a rule=\"ip.proto=1\" alert=ioc order=20\n"
	    "name=b rule=\"ioc = 'a'\" alert=ioc order=30 type=application\n");
	free(s);
	rules_free(rs);
}

/* A cycle is an error naming every member. */
static void
test_cycle(void **state)
{
	struct ruleset	*rs;
	char		*s;
	int		 n;

	(void)state;
	rs = load1("cyc.nwr",
	    "name=a rule=\"ioc = 'b'\" alert=ioc\n"
	    "name=free rule=\"ip.proto = 1\" alert=boc\n"
	    "name=b rule=\"ioc begins 'a'\" alert=ioc\n");
	check_is(rs,
	    "rules/cyc.nwr:1: warning: rule 'a' reads ioc = 'b', which rule "
	    "'b' (rules/cyc.nwr:3) writes later; move it above line 1\n"
	    "rules/cyc.nwr:1: error: dependency cycle between rules 'a' "
	    "(rules/cyc.nwr:1), 'b' (rules/cyc.nwr:3)\n", 1);
	s = output(rs, rules_fix, &n);
	assert_int_equal(n, 1);
	free(s);
	rules_free(rs);
}

/* Stop rules, self reads and values nobody writes. */
static void
test_check_warnings(void **state)
{
	struct ruleset	*rs;

	(void)state;
	rs = load1("w.nwr",
	    "name=s rule=\"ip.proto = 1\" alert=eoc stop\n"
	    "name=me rule=\"ioc = 'me' || ip.proto = 6\" alert=ioc\n"
	    "name=r rule=\"eoc exists\" alert=boc\n"
	    "name=w rule=\"ip.proto = 17\" alert=eoc\n"
	    "name=n rule=\"analysis.session != 'no such thing'\" alert=boc\n"
	    "name=off rule=\"eoc = 'nothing'\" alert=eoc disable\n");
	check_is(rs,
	    "rules/w.nwr:2: warning: rule 'me' reads its own output (ioc = "
	    "'me'); not a dependency\n"
	    "rules/w.nwr:3: warning: rule 'r' reads eoc = 'w', which rule 'w' "
	    "(rules/w.nwr:4) writes later; move it above line 3\n"
	    "rules/w.nwr:3: warning: rule 'r' reads eoc, but stop rule 's' "
	    "(rules/w.nwr:1) runs first and ends evaluation when it matches\n"
	    "rules/w.nwr:4: warning: rule 'w' writes eoc, but stop rule 's' "
	    "(rules/w.nwr:1) runs first and ends evaluation when it matches\n"
	    "rules/w.nwr:5:34: warning: rule 'n' reads analysis.session = "
	    "'no such thing', which no rule and no parser writes\n", 0);
	rules_free(rs);
}

/* Correlation rules load (tokens in any order), run only as correlation
 * rules, and their errors carry columns. */
static void
test_corr_parse(void **state)
{
	struct ruleset	*rs;
	struct session	*s;
	struct session_ctx ctx = { NULL, NULL, 0, NULL, NULL };
	struct meta_reader r;

	(void)state;
	rs = load1("c.nwr",
	    "name=g group=ip.src,ip.dst window=300 alert=ioc TYPE=Correlation "
	    "threshold=\"sessions>=5&&distinct(alias.host) > 4 && sum(size) "
	    "< 9 && sum(payload) <= 1 && rate = 2.5 && cv != 0.25 && "
	    "interval>=10\" "
	    "rule=\"ip.proto = 1\"\n"
	    "name=a rule=\"ip.proto = 1\" alert=ioc\n"
	    "name=x1 type=correlation rule=\"ip.proto = 1\" group=ip.src "
	    "window=60 threshold=\"sessions >=\" alert=ioc\n"
	    "name=x2 type=correlation rule=\"ip.proto = 1\" group=ip.src "
	    "window=60 threshold=\"sum(bytes) > 1\" alert=ioc\n"
	    "name=x3 type=correlation rule=\"ip.proto = 1\" group=ip.src "
	    "window=60 threshold=\"distinct ip.dst > 1\" alert=ioc\n"
	    "name=x4 type=correlation rule=\"ip.proto = 1\" "
	    "group=ip.src,ip.dst,sld,tld,service window=60 "
	    "threshold=\"cv < 1\" alert=ioc\n"
	    "name=x5 type=correlation rule=\"ip.proto = 1\" group=ip.src "
	    "window=1m threshold=\"cv < 1\" alert=ioc\n"
	    "name=x6 type=correlation rule=\"ip.proto = 1\" group=ip.src "
	    "group=ip.dst window=60 threshold=\"cv < 1\" alert=ioc\n"
	    "name=x7 type=correlation rule=\"ip.proto = 1\" group=ip.src; "
	    "window=60 threshold=\"cv < 1\" alert=ioc\n"
	    "name=x8 threshold=\"cv < 1\" rule=\"ip.proto = 1\" alert=ioc\n"
	    "name=s type=correlation rule=\"ip.proto = 1\" group=ip.src "
	    "window=60 threshold=\"cv < 1\" alert=eoc stop\n");
	check_is(rs,
	    "rules/c.nwr:3:91: error: threshold: expected a number\n"
	    "rules/c.nwr:4:80: error: threshold: expected sessions, "
	    "distinct(KEY), sum(size), sum(payload), rate, cv or "
	    "interval\n"
	    "rules/c.nwr:5:89: error: threshold: expected '(' after distinct\n"
	    "rules/c.nwr:6:74: error: group= takes at most 4 keys\n"
	    "rules/c.nwr:7:66: error: window= wants seconds from 1 to 86400, "
	    "not '1m'\n"
	    "rules/c.nwr:8:59: error: group= given twice\n"
	    "rules/c.nwr:9:58: error: group= expected ',' between keys\n"
	    "rules/c.nwr:10:9: error: threshold= goes with type=correlation\n"
	    "rules/c.nwr:11: warning: stop does not apply to correlation "
	    "rules (kept, ignored)\n", 8);
	assert_true(rules_flags(rs, find(rs, "g")) & RULE_CORR);
	assert_false(rules_flags(rs, find(rs, "a")) & RULE_CORR);
	assert_int_equal(rules_active(rs), 1);
	assert_int_equal(rules_ncorr(rs), 2);
	session_reader_init(&r, &ctx);
	s = fake(1, 100);
	rules_apply(rs, s, &r);
	vals_are(s, "ioc", "a");
	session_meta_free(s);
	free(s);
	rules_free(rs);
}

/* --fix keeps correlation rules after every application rule, even when
 * a cycle leaves application rules for the end. */
static void
test_corr_fix(void **state)
{
	struct ruleset	*rs;
	char		*s;
	int		 n;

	(void)state;
	rs = load1("cf.nwr",
	    "name=c type=correlation rule=\"ip.proto = 1\" group=ip.src "
	    "window=60 threshold=\"sessions >= 1\" alert=eoc order=1\n"
	    "name=x rule=\"ioc = 'y'\" alert=ioc order=2\n"
	    "name=y rule=\"ioc = 'x'\" alert=ioc order=3\n");
	s = output(rs, rules_fix, &n);
	assert_int_equal(n, 1);
	assert_string_equal(s,
	    "name=x rule=\"ioc = 'y'\" alert=ioc order=10\n"
	    "name=y rule=\"ioc = 'x'\" alert=ioc order=20\n"
	    "name=c type=correlation rule=\"ip.proto = 1\" group=ip.src "
	    "window=60 threshold=\"sessions >= 1\" alert=eoc order=30\n");
	free(s);
	rules_free(rs);
}

/* The bundled set checks clean and finds the ICMP tunnel. */
static void
test_bundled(void **state)
{
	struct session_ctx	 ctx = { NULL, NULL, 0, NULL, NULL };
	struct meta_reader	 r;
	const char		*src = "bundled";
	struct ruleset		*rs;
	struct session		*tun, *ping;
	char			 path[8192];

	(void)state;
	snprintf(path, sizeof path, "%s/rules", origdir);
	setenv("HUNTCON_RULES", path, 1);
	rs = rules_load(&src, 1);
	unsetenv("HUNTCON_RULES");
	if (rules_count(rs) == 0) {
		rules_free(rs);
		skip();
	}
	check_is(rs, "", 0);
	session_reader_init(&r, &ctx);
	tun = fake(1, 2000000);
	tun->payload[0] = tun->payload[1] = 900000;
	tun->first_id = 1;
	tun->split = 2;
	ping = fake(1, 980);
	rules_apply(rs, tun, &r);
	rules_apply(rs, ping, &r);
	vals_are(tun, "ioc", "possible_icmp_tunneling");
	vals_are(tun, "analysis.session", "icmp large session,session split,"
	    "session size greater than 1mb,session size 1-10m");
	vals_are(ping, "ioc", "");
	vals_are(ping, "analysis.session", "session size 0-5k");
	session_meta_free(tun);
	session_meta_free(ping);
	free(tun);
	free(ping);
	rules_free(rs);
}

/* The public rule pack loads without errors. */
static void
test_public_pack(void **state)
{
	const char	*src = "/work/shared/corpus/rules";
	struct ruleset	*rs;
	char		*s;
	int		 e;

	(void)state;
	if (access(src, R_OK) != 0)
		skip();
	rs = rules_load(&src, 1);
	assert_int_equal(rules_count(rs), 17);
	assert_int_equal(rules_active(rs), 17);
	s = output(rs, rules_check, &e);
	assert_int_equal(e, 0);
	free(s);
	rules_free(rs);
}

/* Make the temp dir and go there. */
static int
setup(void **state)
{
	(void)state;
	if (getcwd(origdir, sizeof origdir) == NULL ||
	    mkdtemp(tmpdir) == NULL || chdir(tmpdir) != 0 ||
	    mkdir("rules", 0700) != 0)
		return (-1);
	return (0);
}

/* Remove the temp dir. */
static int
teardown(void **state)
{
	char	 cmd[256];

	(void)state;
	if (chdir(origdir) != 0)
		return (-1);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return (system(cmd) == 0 ? 0 : -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loader),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_apply_chunks),
		cmocka_unit_test(test_apply_folded),
		cmocka_unit_test(test_apply_absent),
		cmocka_unit_test(test_apply_many_names),
		cmocka_unit_test(test_internal_ranges),
		cmocka_unit_test(test_check_reversed),
		cmocka_unit_test(test_fix_order),
		cmocka_unit_test(test_cycle),
		cmocka_unit_test(test_check_warnings),
		cmocka_unit_test(test_corr_parse),
		cmocka_unit_test(test_corr_fix),
		cmocka_unit_test(test_bundled),
		cmocka_unit_test(test_public_pack),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
