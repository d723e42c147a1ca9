/* test_config.c - the settings table: every row, its range, its default. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine/engine.h"

/* Where a row's value lives in cfg. */
static const uint8_t *
where(const struct engine_config *cfg, const struct setting *se)
{
	if (se->scope == SETTING_PARSE)
		return ((const uint8_t *)&cfg->parse + se->offset);
	return ((const uint8_t *)cfg + se->offset);
}

/* The value a row holds in cfg, widened. */
static uint64_t
held(const struct engine_config *cfg, const struct setting *se)
{
	const uint8_t	*p = where(cfg, se);
	uint64_t	 u64;
	uint32_t	 u32;
	bool		 on;

	switch (se->size) {
	case sizeof u64:
		memcpy(&u64, p, sizeof u64);
		return (u64);
	case sizeof u32:
		memcpy(&u32, p, sizeof u32);
		return (u32);
	default:
		assert_int_equal(se->size, sizeof on);
		memcpy(&on, p, sizeof on);
		return (on);
	}
}

/* What a whole number n of a row's unit is kept as. */
static uint64_t
kept(const struct setting *se, uint64_t n)
{
	if (se->type == SETTING_SECONDS || se->type == SETTING_DURATION)
		return (n * 1000000000ULL);
	if (se->type == SETTING_HUNDREDTHS)
		return (n * 100);
	return (n);
}

/* A decimal number one more than n, which may be UINT64_MAX. */
static void
plus_one(uint64_t n, char *out, size_t len)
{
	if (n == UINT64_MAX)
		snprintf(out, len, "18446744073709551616");
	else
		snprintf(out, len, "%llu", (unsigned long long)n + 1);
}

/* Set NAME=VALUE; returns the cause when refused (caller frees). */
static char *
set(struct engine_config *cfg, const char *name, const char *value)
{
	char	*arg, *cause = NULL;

	if (asprintf(&arg, "%s=%s", name, value) == -1)
		fail();
	if (engine_config_set(cfg, arg, &cause))
		assert_null(cause);
	else
		assert_non_null(cause);
	free(arg);
	return (cause);
}

/* Set a value the row must take, and check it lands where the row says. */
static void
set_ok(struct engine_config *cfg, const struct setting *se, uint64_t n)
{
	char	 v[32], *cause;

	snprintf(v, sizeof v, "%llu", (unsigned long long)n);
	cause = set(cfg, se->name, v);
	if (cause != NULL)
		fail_msg("%s=%s: %s", se->name, v, cause);
	assert_true(held(cfg, se) == kept(se, n));
}

/* Set a value the row must refuse as out of its range, word for word. */
static void
set_out(struct engine_config *cfg, const struct setting *se, const char *v)
{
	char	*cause, *want;

	cause = set(cfg, se->name, v);
	if (cause == NULL)
		fail_msg("%s=%s was taken", se->name, v);
	if (asprintf(&want, "'%s' is out of range for %s (%llu-%llu)", v,
	    se->name, (unsigned long long)se->min,
	    (unsigned long long)se->max) == -1)
		fail();
	assert_string_equal(cause, want);
	free(want);
	free(cause);
}

/* Every row has a name of the form word.word, a unit and help. */
static void
test_rows(void **state)
{
	const struct setting	*se, *o;
	size_t			 n = 0, i;

	(void)state;
	for (se = engine_settings(); se->name != NULL; se++, n++) {
		assert_non_null(strchr(se->name, '.'));
		for (i = 0; se->name[i] != '\0'; i++)
			assert_non_null(strchr("abcdefghijklmnopqrstuvwxyz"
			    "0123456789_.", se->name[i]));
		assert_non_null(se->def);
		assert_true(se->unit != NULL && *se->unit != '\0');
		assert_true(se->help != NULL && *se->help != '\0');
		assert_true(se->size > 0);
		if (se->type != SETTING_NETWORKS)
			assert_true(se->min <= se->max);
		for (o = engine_settings(); o != se; o++)
			assert_string_not_equal(o->name, se->name);
	}
	assert_int_equal(n, 30);
}

/* Every default is inside its range and is what init leaves. */
static void
test_defaults(void **state)
{
	const struct setting	*se;
	struct engine_config	 cfg, again;
	unsigned long long	 whole;
	char			*cause;

	(void)state;
	engine_config_init(&cfg);
	engine_config_init(&again);
	for (se = engine_settings(); se->name != NULL; se++) {
		if (se->type == SETTING_NETWORKS) {
			assert_string_equal(se->def, "");
			assert_int_equal(cfg.nhome, 0);
			continue;
		}
		if (se->type == SETTING_KEYS) {
			assert_string_equal(se->def, "");
			assert_string_equal(cfg.console_columns, "");
			continue;
		}
		assert_true(*se->def >= '0' && *se->def <= '9');
		whole = strtoull(se->def, NULL, 10);
		assert_true(whole >= se->min && whole <= se->max);
		if ((cause = set(&again, se->name, se->def)) != NULL)
			fail_msg("%s=%s: %s", se->name, se->def, cause);
		assert_true(held(&again, se) == held(&cfg, se));
	}
	assert_int_equal(cfg.sess.idle_ns, 60 * 1000000000ULL);
	assert_int_equal(cfg.sess.max_open, 500000);
	assert_int_equal(cfg.dec.frag_max, 65536);
	assert_int_equal(cfg.parse.dns_entropy, 400);
	assert_int_equal(cfg.parse.icmp_text_scan, 2048);
	assert_true(cfg.parsers && cfg.parse_thread && cfg.cpu_pair);
	assert_int_equal(cfg.console_values, 0);
	assert_true(cfg.console_osc52);
	assert_int_equal(cfg.parse.tls_offered, 0);
	assert_int_equal(cfg.retain_ns, 0);
	assert_int_equal(cfg.max_sessions, 0);
	engine_config_free(&again);
	engine_config_free(&cfg);
}

/* Min and max are taken; min-1 and max+1 are out of range, a word is
   not a valid value: the same judgement for every row. */
static void
test_ranges(void **state)
{
	const struct setting	*se;
	struct engine_config	 cfg;
	char			 v[32], *cause, *want;
	size_t			 n = 0;

	(void)state;
	engine_config_init(&cfg);
	for (se = engine_settings(); se->name != NULL; se++) {
		if (se->type == SETTING_NETWORKS || se->type == SETTING_KEYS)
			continue;
		set_ok(&cfg, se, se->min);
		set_ok(&cfg, se, se->max);
		if (se->min == 0)
			snprintf(v, sizeof v, "-1");
		else
			snprintf(v, sizeof v, "%llu",
			    (unsigned long long)se->min - 1);
		set_out(&cfg, se, v);
		plus_one(se->max, v, sizeof v);
		set_out(&cfg, se, v);
		assert_true(held(&cfg, se) == kept(se, se->max));
		cause = set(&cfg, se->name, "x");
		if (asprintf(&want, "'x' is not a valid value for %s",
		    se->name) == -1)
			fail();
		assert_string_equal(cause, want);
		free(want);
		free(cause);
		n++;
	}
	assert_int_equal(n, 28);
	engine_config_free(&cfg);
}

/* Fractions where the type takes them, and words only where it does. */
static void
test_types(void **state)
{
	struct engine_config	 cfg;
	char			*cause;

	(void)state;
	engine_config_init(&cfg);
	assert_null(set(&cfg, "session.idle_timeout", "0.5"));
	assert_int_equal(cfg.sess.idle_ns, 500000000);
	assert_null(set(&cfg, "dns.entropy", "3.75"));
	assert_int_equal(cfg.parse.dns_entropy, 375);
	assert_null(set(&cfg, "dns.entropy", "3.5"));
	assert_int_equal(cfg.parse.dns_entropy, 350);
	cause = set(&cfg, "dns.entropy", "8.01");
	assert_string_equal(cause, "'8.01' is out of range for dns.entropy "
	    "(0-8)");
	free(cause);
	cause = set(&cfg, "session.max_open", "1.0");
	assert_string_equal(cause, "'1.0' is not a valid value for "
	    "session.max_open");
	free(cause);
	cause = set(&cfg, "cpu.pair", "01");
	assert_string_equal(cause, "'01' is not a valid value for cpu.pair");
	free(cause);
	assert_null(set(&cfg, "tls.offered_ciphers", "01"));
	assert_int_equal(cfg.parse.tls_offered, 1);
	assert_null(set(&cfg, "net.home", "10.1.0.0/16, 192.0.2.0/24"));
	assert_int_equal(cfg.nhome, 2);
	cause = set(&cfg, "net.home", "bad");
	assert_string_equal(cause, "'bad' is not a network (use CIDR like "
	    "10.0.0.0/8)");
	free(cause);
	assert_null(set(&cfg, "store.retain", "30m"));
	assert_int_equal(cfg.retain_ns, 1800 * 1000000000ULL);
	assert_null(set(&cfg, "store.retain", "6h"));
	assert_int_equal(cfg.retain_ns, 6 * 3600 * 1000000000ULL);
	assert_null(set(&cfg, "store.retain", "2d"));
	assert_int_equal(cfg.retain_ns, 2 * 86400 * 1000000000ULL);
	assert_null(set(&cfg, "store.retain", "90s"));
	assert_int_equal(cfg.retain_ns, 90 * 1000000000ULL);
	cause = set(&cfg, "store.retain", "1.5h");
	assert_string_equal(cause, "'1.5h' is not a valid value for "
	    "store.retain");
	free(cause);
	cause = set(&cfg, "store.retain", "h");
	assert_string_equal(cause, "'h' is not a valid value for "
	    "store.retain");
	free(cause);
	/* Past the range in a unit: out of it (the range is in seconds). */
	cause = set(&cfg, "store.retain", "11575d");
	assert_string_equal(cause, "'11575d' is out of range for "
	    "store.retain (0-1000000000)");
	free(cause);
	assert_null(set(&cfg, "store.retain", "11574d"));
	cause = set(&cfg, "store.retain", "99999999999999999999999m");
	assert_string_equal(cause, "'99999999999999999999999m' is out of "
	    "range for store.retain (0-1000000000)");
	free(cause);
	cause = set(&cfg, "no.such", "1");
	assert_string_equal(cause, "unknown setting 'no.such' (see huntcon(1))");
	free(cause);
	engine_config_free(&cfg);
}

/* A config file is judged by the same rows as --set. */
static void
test_file(void **state)
{
	struct engine_config	 cfg;
	char			 path[] = "/tmp/test_config.XXXXXX", *cause;
	char			*want;
	FILE			*f;
	int			 fd;

	(void)state;
	engine_config_init(&cfg);
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	fprintf(f, "# settings\nicmp.unmatched_replies = 100\n"
	    "dns.entropy=2.5\nicmp.unmatched_replies=101\n");
	fclose(f);
	assert_false(engine_config_load(&cfg, path, &cause));
	if (asprintf(&want, "%s:4: '101' is out of range for "
	    "icmp.unmatched_replies (0-100)", path) == -1)
		fail();
	assert_string_equal(cause, want);
	assert_int_equal(cfg.parse.icmp_unmatched, 100);
	assert_int_equal(cfg.parse.dns_entropy, 250);
	free(want);
	free(cause);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "console.columns=alias.host\nconsole.columns=size, zz\n");
	fclose(f);
	assert_false(engine_config_load(&cfg, path, &cause));
	if (asprintf(&want, "%s:2: console.columns: 'zz' is not a meta key "
	    "(see --keys)", path) == -1)
		fail();
	assert_string_equal(cause, want);
	assert_string_equal(cfg.console_columns, "alias.host");
	free(want);
	free(cause);
	unlink(path);
	engine_config_free(&cfg);
}

/* A list of keys: names as the registry spells them, each known. */
static void
test_keys(void **state)
{
	struct engine_config	 cfg;
	char			*cause;
	int			 keys[ENGINE_KEYS_MAX];
	size_t			 n, at;

	(void)state;
	engine_config_init(&cfg);
	assert_null(set(&cfg, "console.columns", " ALIAS.host , client,"
	    "alias.host,,payload.req"));
	assert_string_equal(cfg.console_columns,
	    "alias.host,client,requestpayload");
	cause = set(&cfg, "console.columns", "size,nope.key");
	assert_string_equal(cause, "console.columns: 'nope.key' is not a "
	    "meta key (see --keys)");
	free(cause);
	assert_string_equal(cfg.console_columns,
	    "alias.host,client,requestpayload");
	cause = set(&cfg, "console.columns", "size,time,packets,service,"
	    "ip.src,ip.dst,ioc,boc,eoc");
	assert_string_equal(cause, "console.columns: more than 8 keys");
	free(cause);
	assert_null(set(&cfg, "console.columns", ""));
	assert_string_equal(cfg.console_columns, "");
	assert_false(engine_config_keys("size,  nope", keys, &n, &at,
	    &cause));
	assert_int_equal(at, 7);
	free(cause);
	meta_intern("test.made", 9, MT_TEXT);
	assert_false(engine_config_keys("test.made", keys, &n, &at, &cause));
	assert_string_equal(cause, "'test.made' is a key rules make, not "
	    "one of --keys");
	free(cause);
	assert_true(engine_config_keys("time,TIME", keys, &n, &at, &cause));
	assert_int_equal(n, 1);
	engine_config_free(&cfg);
}

/* Read a whole file into a new string. */
static char *
slurp(const char *path)
{
	FILE	*f;
	char	*s;
	long	 n;

	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return (s);
}

/* Saving a setting replaces its line, keeps the others byte for byte. */
static void
test_save(void **state)
{
	char		 dir[] = "/tmp/test_config.XXXXXX", *path, *text;
	char		*cause, *want;
	struct stat	 sb;
	FILE		*f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	if (asprintf(&path, "%s/sub/huntcon.conf", dir) == -1)
		fail();
	/* No file yet, nor its directory. */
	assert_true(engine_config_save(path, "console.columns", "size",
	    &cause));
	text = slurp(path);
	assert_string_equal(text, "console.columns=size\n");
	free(text);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "# mine\r\nconsole.values=5\n console.columns = size\n"
	    "console.columns=time\ndns.entropy=2.5");
	fclose(f);
	assert_int_equal(chmod(path, 0640), 0);
	assert_true(engine_config_save(path, "console.columns", "alias.host",
	    &cause));
	text = slurp(path);
	assert_string_equal(text, "# mine\r\nconsole.values=5\n"
	    "console.columns=alias.host\ndns.entropy=2.5");
	free(text);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0640);
	/* Appended after a last line without its newline. */
	assert_true(engine_config_save(path, "console.values", "3", &cause));
	assert_true(engine_config_save(path, "store.retain", "1h", &cause));
	text = slurp(path);
	assert_string_equal(text, "# mine\r\nconsole.values=3\n"
	    "console.columns=alias.host\ndns.entropy=2.5\nstore.retain=1h\n");
	free(text);
	/* A file where a directory should be: the file is named. */
	free(path);
	if (asprintf(&path, "%s/sub/huntcon.conf/x.conf", dir) == -1)
		fail();
	assert_false(engine_config_save(path, "console.columns", "size",
	    &cause));
	if (asprintf(&want, "%s: Not a directory", path) == -1)
		fail();
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(path);
	if (asprintf(&path, "%s/sub", dir) == -1)
		fail();
	assert_false(engine_config_save(path, "console.columns", "size",
	    &cause));
	if (asprintf(&want, "%s: is a directory; not read as a config file",
	    path) == -1)
		fail();
	assert_string_equal(cause, want);
	free(want);
	free(cause);
	free(path);
	if (asprintf(&path, "rm -r %s", dir) == -1 || system(path) != 0)
		fail();
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_save),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
