/*
 * test_edit.c - the rule editor's model: a rule file written back after
 * no change or after changes keeps every other byte (quoted names,
 * escapes, flags, comments, CRLF, BOM, no final newline); condition,
 * enable, order, delete and append edit one line each; --fix order and
 * renumbering give a set the order check finds clean.  Writing several
 * files lands all or none: when the second's directory is a full tmpfs or
 * a read-only bind mount, both files stay byte for byte and no temporary
 * is left; a file keeps its mode and owner, a symlinked file stays a link
 * and its target is written, and a link planted at the old predictable
 * temporary name is not followed.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <unistd.h>

#include <cmocka.h>

#include "unit/tmpdir.h"

#include "rules/rules.h"
#include "util/util.h"

static char	 dir[] = "/tmp/huntcon-edit-XXXXXX";

/* A pack with everything the loader keeps: comments, quoted names with
 * escapes, flags, unknown words, CRLF on one line, trailing blanks. */
static const char PACK[] =
    "\xef\xbb\xbf# session analysis, as an analyst wrote it\n"
    "name=\"session split\" rule=\"session.split exists\" alert=analysis.session type=application\n"
    "\n"
    "# big ones\r\n"
    "name=\"size \\\"big\\\"\" rule=\"streams=2 && size=1024000 -u\" alert=analysis.session type=application stop transient \r\n"
    "name=tunnel rule=\"ip.proto=1 && analysis.session = 'session split' && alert.id = 'a\\\\b\\'c'\" alert=ioc order=5 truncate=64 frobnicate\n"
    "name=off rule=\"service = 53\" alert=boc disable";

/* Write path with text. */
static void
put(const char *path, const char *text, size_t n)
{
	FILE	*fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, n, fp), n);
	fclose(fp);
}

/* Read a whole file (NUL-terminated); *n its length. */
static char *
slurp(const char *path, size_t *n)
{
	FILE	*fp = fopen(path, "rb");
	char	*s = xmalloc(65536);

	assert_non_null(fp);
	*n = fread(s, 1, 65535, fp);
	s[*n] = '\0';
	fclose(fp);
	return (s);
}

/* Load path as the only source. */
static struct ruleset *
load1(const char *path)
{
	const char	*src[] = { path };

	return (rules_load(src, 1));
}

/* The rule index named name. */
static size_t
named(const struct ruleset *rs, const char *name)
{
	long	 i = rules_find(rs, name);

	assert_true(i >= 0);
	return ((size_t)i);
}

/* Written back without a change: byte for byte, nothing to write. */
static void
test_roundtrip_unchanged(void **state)
{
	struct ruleset		*rs, *again;
	struct rules_edit	*e;
	char			*cause = NULL, *back, path[256];
	size_t			 n, i;

	(void)state;
	snprintf(path, sizeof path, "%s/pack.nwr", dir);
	put(path, PACK, sizeof PACK - 1);
	rs = load1(path);
	assert_int_equal(rules_count(rs), 4);
	e = rules_edit_new(rs);
	assert_false(rules_edit_dirty(e));
	again = rules_edit_load(e);
	assert_int_equal(rules_count(again), rules_count(rs));
	for (i = 0; i < rules_count(rs); i++) {
		assert_string_equal(rules_name(again, i), rules_name(rs, i));
		assert_string_equal(rules_condition(again, i),
		    rules_condition(rs, i));
		assert_int_equal(rules_flags(again, i), rules_flags(rs, i));
		assert_int_equal(rules_order(again, i), rules_order(rs, i));
	}
	assert_true(rules_edit_write(e, NULL, &cause));
	/* A forced write of a clean copy does nothing; touch and write. */
	assert_true(rules_edit_set_order(e, again, named(again, "tunnel"), 5));
	assert_false(rules_edit_dirty(e));
	back = slurp(path, &n);
	assert_int_equal(n, sizeof PACK - 1);
	assert_memory_equal(back, PACK, n);
	free(back);
	rules_free(again);
	rules_edit_free(e);
	rules_free(rs);
}

/* Each change rewrites one token; the rest of the file stays. */
static void
test_changes(void **state)
{
	struct ruleset		*rs, *rs2;
	struct rules_edit	*e;
	char			*cause = NULL, *back, path[256];
	size_t			 n, ri;
	unsigned		 line;

	(void)state;
	snprintf(path, sizeof path, "%s/changes.nwr", dir);
	put(path, PACK, sizeof PACK - 1);
	rs = load1(path);
	e = rules_edit_new(rs);

	/* A condition with a quote and backslashes. */
	ri = named(rs, "session split");
	assert_true(rules_edit_set_cond(e, rs, ri,
	    "session.split exists && alias.host = 'a\"b\\\\c'"));
	assert_true(rules_edit_enable(e, rs, named(rs, "off"), true));
	assert_true(rules_edit_enable(e, rs, named(rs, "tunnel"), false));
	assert_true(rules_edit_set_order(e, rs, named(rs, "size \"big\""), 7));
	assert_true(rules_edit_dirty(e));
	rs2 = rules_edit_load(e);
	ri = named(rs2, "session split");
	assert_string_equal(rules_condition(rs2, ri),
	    "session.split exists && alias.host = 'a\"b\\\\c'");
	assert_true(rules_enabled(rs2, named(rs2, "off")));
	assert_false(rules_enabled(rs2, named(rs2, "tunnel")));
	assert_int_equal(rules_flags(rs2, named(rs2, "size \"big\"")) &
	    (RULE_STOP | RULE_TRANSIENT), RULE_STOP | RULE_TRANSIENT);
	assert_int_equal(rules_order(rs2, named(rs2, "size \"big\"")), 7);

	/* Delete one, append one: the line ending follows the file. */
	assert_true(rules_edit_delete(e, rs2, named(rs2, "off")));
	rules_free(rs);
	rs = rules_edit_load(e);
	assert_int_equal(rules_count(rs), 3);
	assert_int_equal(rules_find(rs, "off"), -1);
	{
		char *l = rules_format_line("my rule", "ip.proto = 1",
		    "ioc", 11);
		assert_string_equal(l, "name=\"my rule\" "
		    "rule=\"ip.proto = 1\" alert=ioc order=11 "
		    "type=application");
		assert_int_equal(rules_edit_append(e, path, l, &line), 0);
		free(l);
	}
	assert_true(rules_edit_write(e, NULL, &cause));
	assert_false(rules_edit_dirty(e));
	back = slurp(path, &n);
	assert_string_equal(back,
	    "\xef\xbb\xbf# session analysis, as an analyst wrote it\n"
	    "name=\"session split\" rule=\"session.split exists && alias.host = 'a\\\"b\\\\c'\" alert=analysis.session type=application\n"
	    "\n"
	    "# big ones\r\n"
	    "name=\"size \\\"big\\\"\" rule=\"streams=2 && size=1024000 -u\" alert=analysis.session type=application stop transient order=7\r\n"
	    "name=tunnel rule=\"ip.proto=1 && analysis.session = 'session split' && alert.id = 'a\\\\b\\'c'\" alert=ioc order=5 truncate=64 frobnicate disable\n"
	    "name=\"my rule\" rule=\"ip.proto = 1\" alert=ioc order=11 type=application\n");
	assert_int_equal(line, 7);
	free(back);
	rules_free(rs2);
	rules_free(rs);
	rules_edit_free(e);

	/* The written file loads to the same rules. */
	rs = load1(path);
	assert_int_equal(rules_count(rs), 4);
	assert_false(rules_enabled(rs, named(rs, "tunnel")));
	assert_int_equal(rules_order(rs, named(rs, "my rule")), 11);
	rules_free(rs);
}

/* A reader placed before its writer: --fix order then renumbering leaves
 * a clean check; the writers of a rule are its edges. */
static void
test_fix_and_renumber(void **state)
{
	static const char text[] =
	    "name=reader rule=\"ip.proto = 1 && analysis.session = 'writer'\" alert=ioc\n"
	    "# what the writer looks for\n"
	    "name=writer rule=\"ip.proto = 1\" alert=analysis.session\n";
	struct ruleset		*rs, *rs2;
	struct rules_edit	*e;
	size_t			 seq[2], w[4];
	char			 path[256];
	FILE			*null = fopen("/dev/null", "w");

	(void)state;
	snprintf(path, sizeof path, "%s/fix.nwr", dir);
	put(path, text, sizeof text - 1);
	rs = load1(path);
	assert_int_equal(rules_ndiags(rs), 1);	/* writes later */
	assert_int_equal(rules_writers_of(rs, named(rs, "reader"), w, 4), 1);
	assert_int_equal(w[0], named(rs, "writer"));
	rules_fix_order(rs, seq);
	assert_int_equal(seq[0], named(rs, "writer"));
	assert_int_equal(seq[1], named(rs, "reader"));
	e = rules_edit_new(rs);
	rules_edit_renumber(e, rs, seq, 2);
	rs2 = rules_edit_load(e);
	assert_int_equal(rules_ndiags(rs2), 0);
	assert_int_equal(rules_check(rs2, null), 0);
	assert_int_equal(rules_order(rs2, named(rs2, "writer")), 10);
	assert_int_equal(rules_order(rs2, named(rs2, "reader")), 20);
	assert_int_equal(rules_sorted(rs2, 0), named(rs2, "writer"));
	fclose(null);
	rules_free(rs2);
	rules_edit_free(e);
	rules_free(rs);
}

/* A file that could not be read is never written; a new file is. */
static void
test_files(void **state)
{
	struct ruleset		*rs;
	struct rules_edit	*e;
	char			 missing[256], fresh[256], *cause = NULL, *back;
	unsigned		 line;
	size_t			 n;

	(void)state;
	snprintf(missing, sizeof missing, "%s/missing.nwr", dir);
	snprintf(fresh, sizeof fresh, "%s/new/dir/user.nwr", dir);
	rs = load1(missing);
	e = rules_edit_new(rs);
	assert_int_equal(rules_edit_append(e, fresh, "name=a rule=\"ip.proto"
	    " = 6\" alert=ioc", &line), 1);
	assert_int_equal(line, 1);
	assert_true(rules_edit_write(e, NULL, &cause));
	assert_int_equal(access(missing, F_OK), -1);
	back = slurp(fresh, &n);
	assert_string_equal(back, "name=a rule=\"ip.proto = 6\" alert=ioc\n");
	free(back);
	rules_edit_free(e);
	rules_free(rs);
}


/* Mount points a test made, undone by its teardown even when it fails. */
static char	 mnt[2][300];

/* Undo the mounts of a test. */
static int
unmount_all(void **state)
{
	int	 i;

	(void)state;
	for (i = 0; i < 2; i++) {
		if (mnt[i][0] != '\0')
			umount2(mnt[i], MNT_DETACH);
		mnt[i][0] = '\0';
	}
	return (0);
}

/* The names in a directory, sorted, joined by spaces. */
static char *
names_in(const char *d)
{
	struct dirent	**list;
	struct buf	 b;
	int		 n, i;

	n = scandir(d, &list, NULL, alphasort);
	assert_true(n >= 0);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (strcmp(list[i]->d_name, ".") != 0 &&
		    strcmp(list[i]->d_name, "..") != 0)
			buf_printf(&b, "%s%s", b.len > 0 ? " " : "",
			    list[i]->d_name);
		free(list[i]);
	}
	free(list);
	return (buf_take(&b));
}

static const char ONE[] = "name=one rule=\"ip.proto = 6\" alert=ioc\n";

/* Load two files and add a rule to each. */
static struct rules_edit *
edit_two(const char *pa, const char *pb, struct ruleset **rsp)
{
	const char		*src[] = { pa, pb };
	struct rules_edit	*e;
	unsigned		 line;

	*rsp = rules_load(src, 2);
	e = rules_edit_new(*rsp);
	assert_int_equal(rules_edit_append(e, pa, "name=two rule=\"ip.proto"
	    " = 17\" alert=ioc", &line), 0);
	assert_int_equal(rules_edit_append(e, pb, "name=three rule=\""
	    "ip.proto = 1\" alert=ioc", &line), 1);
	return (e);
}

/* Check a write of a and b that failed on b: the message names b and
 * says why, both files are as they were, no temporary is left. */
static void
check_none(struct rules_edit *e, const char *pa, const char *pb,
    const char *db, const char *db_names, const char *why)
{
	char	*cause = NULL, *back, *names, da[300];
	size_t	 n;

	assert_false(rules_edit_write(e, NULL, &cause));
	assert_non_null(cause);
	assert_non_null(strstr(cause, pb));
	assert_non_null(strstr(cause, why));
	free(cause);
	assert_true(rules_edit_dirty(e));
	back = slurp(pa, &n);
	assert_string_equal(back, ONE);
	free(back);
	back = slurp(pb, &n);
	assert_string_equal(back, ONE);
	free(back);
	names = names_in(db);
	assert_string_equal(names, db_names);
	free(names);
	snprintf(da, sizeof da, "%.*s", (int)(strrchr(pa, '/') - pa), pa);
	names = names_in(da);
	assert_string_equal(names, "a.nwr");
	free(names);
}

/* Whether mounts can be made here; says why not. */
static bool
can_mount(void)
{
	if (geteuid() != 0) {
		print_message("# skip: not root, cannot mount a tmpfs or a "
		    "read-only bind mount\n");
		return (false);
	}
	return (true);
}

/* Make directory d (under dir) and file d/name holding ONE. */
static void
make_file(char *d, size_t dn, char *p, size_t pn, const char *sub,
    const char *name)
{
	snprintf(d, dn, "%s/%s", dir, sub);
	assert_int_equal(mkdir(d, 0755), 0);
	snprintf(p, pn, "%s/%s", d, name);
	put(p, ONE, strlen(ONE));
}

/* The second file's directory is a full tmpfs: neither file changes. */
static void
test_write_full(void **state)
{
	struct ruleset		*rs;
	struct rules_edit	*e;
	char			 da[200], db[200], pa[300], pb[300], fill[310];
	char			 block[4096];
	size_t			 n;
	FILE			*fp;

	(void)state;
	if (!can_mount())
		skip();
	make_file(da, sizeof da, pa, sizeof pa, "full-a", "a.nwr");
	snprintf(db, sizeof db, "%s/full-b", dir);
	assert_int_equal(mkdir(db, 0755), 0);
	assert_int_equal(mount("tmpfs", db, "tmpfs", 0, "size=64k"), 0);
	snprintf(mnt[0], sizeof mnt[0], "%s", db);
	snprintf(pb, sizeof pb, "%s/b.nwr", db);
	put(pb, ONE, strlen(ONE));
	e = edit_two(pa, pb, &rs);
	snprintf(fill, sizeof fill, "%s/fill", db);
	assert_non_null(fp = fopen(fill, "wb"));
	memset(block, 'x', sizeof block);
	setvbuf(fp, NULL, _IONBF, 0);
	for (n = 0; n < 64 && fwrite(block, 1, sizeof block, fp) ==
	    sizeof block; n++)
		;
	fclose(fp);
	check_none(e, pa, pb, db, "b.nwr fill", "No space left on device");
	rules_edit_free(e);
	rules_free(rs);
}

/* The second file's directory is a read-only bind mount: neither file
 * changes. */
static void
test_write_readonly(void **state)
{
	struct ruleset		*rs;
	struct rules_edit	*e;
	char			 da[200], db[200], pa[300], pb[300];

	(void)state;
	if (!can_mount())
		skip();
	make_file(da, sizeof da, pa, sizeof pa, "ro-a", "a.nwr");
	make_file(db, sizeof db, pb, sizeof pb, "ro-b", "b.nwr");
	assert_int_equal(mount(db, db, NULL, MS_BIND, NULL), 0);
	snprintf(mnt[0], sizeof mnt[0], "%s", db);
	assert_int_equal(mount(NULL, db, NULL, MS_REMOUNT | MS_BIND |
	    MS_RDONLY, NULL), 0);
	e = edit_two(pa, pb, &rs);
	check_none(e, pa, pb, db, "b.nwr", "Read-only file system");
	rules_edit_free(e);
	rules_free(rs);
}

/* A written file keeps its mode and owner; a symlinked file stays a link
 * and its target gets the text. */
static void
test_write_keeps(void **state)
{
	struct ruleset		*rs;
	struct rules_edit	*e;
	struct stat		 sb;
	char			 d[200], pa[300], pb[300], target[300];
	char			*cause = NULL, *back;
	size_t			 n;

	(void)state;
	snprintf(d, sizeof d, "%s/keep", dir);
	assert_int_equal(mkdir(d, 0755), 0);
	snprintf(pa, sizeof pa, "%s/a.nwr", d);
	put(pa, ONE, strlen(ONE));
	assert_int_equal(chmod(pa, 0600), 0);
	if (geteuid() == 0)
		assert_int_equal(chown(pa, 1234, 5678), 0);
	snprintf(target, sizeof target, "%s/real/target.nwr", d);
	snprintf(pb, sizeof pb, "%s/user.nwr", d);
	make_parents(target, 0755);
	put(target, ONE, strlen(ONE));
	assert_int_equal(symlink("real/target.nwr", pb), 0);
	e = edit_two(pa, pb, &rs);
	assert_true(rules_edit_write(e, NULL, &cause));
	assert_int_equal(lstat(pa, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	if (geteuid() == 0) {
		assert_int_equal(sb.st_uid, 1234);
		assert_int_equal(sb.st_gid, 5678);
	}
	assert_int_equal(lstat(pb, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	back = slurp(target, &n);
	assert_string_equal(back, "name=one rule=\"ip.proto = 6\" alert=ioc\n"
	    "name=three rule=\"ip.proto = 1\" alert=ioc\n");
	free(back);
	back = names_in(d);
	assert_string_equal(back, "a.nwr real user.nwr");
	free(back);
	*strrchr(target, '/') = '\0';
	back = names_in(target);
	assert_string_equal(back, "target.nwr");
	free(back);
	rules_edit_free(e);
	rules_free(rs);
}

/* A link planted at the old predictable temporary name (path.tmpPID) is
 * not followed: the file it names is not made, the rule file stays a
 * file. */
static void
test_write_no_trap(void **state)
{
	struct ruleset		*rs;
	struct rules_edit	*e;
	struct stat		 sb;
	char			 d[200], pa[300], pb[300], trap[330];
	char			 victim[300], *cause = NULL;

	(void)state;
	snprintf(d, sizeof d, "%s/trap", dir);
	assert_int_equal(mkdir(d, 0755), 0);
	snprintf(pa, sizeof pa, "%s/a.nwr", d);
	snprintf(pb, sizeof pb, "%s/b.nwr", d);
	put(pa, ONE, strlen(ONE));
	put(pb, ONE, strlen(ONE));
	snprintf(victim, sizeof victim, "%s/victim", d);
	snprintf(trap, sizeof trap, "%s.tmp%ld", pa, (long)getpid());
	assert_int_equal(symlink(victim, trap), 0);
	e = edit_two(pa, pb, &rs);
	assert_true(rules_edit_write(e, NULL, &cause));
	assert_int_equal(access(victim, F_OK), -1);
	assert_int_equal(lstat(pa, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	rules_edit_free(e);
	rules_free(rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_unchanged),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_fix_and_renumber),
		cmocka_unit_test(test_files),
		cmocka_unit_test_teardown(test_write_full, unmount_all),
		cmocka_unit_test_teardown(test_write_readonly, unmount_all),
		cmocka_unit_test(test_write_keeps),
		cmocka_unit_test(test_write_no_trap),
	};

	return (run_in_tmpdir(dir, tests));
}
