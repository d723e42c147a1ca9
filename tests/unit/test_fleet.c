/*
 * test_fleet.c - the fleet's parts that need no server: store URLs (and
 * the password hidden in the argument), the PCRE2 patterns RE2 runs the
 * same way and those refused, and the SQL of a few where-clauses.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fleet/fleet-int.h"

/* URLs that parse: user, password, host, port, database, TLS. */
static void
test_url_ok(void **state)
{
	struct fleet_url	 u;
	char			*cause = NULL;

	(void)state;
	unsetenv("HUNTCON_STORE_PASSWORD");
	assert_true(fleet_url_parse(&u, "clickhouse://h1/db", &cause));
	assert_string_equal(u.host, "h1");
	assert_int_equal(u.port, 8123);
	assert_string_equal(u.db, "db");
	assert_null(u.user);
	assert_null(u.password);
	assert_false(u.tls);
	fleet_url_free(&u);
	assert_true(fleet_url_parse(&u,
	    "clickhouses://ana:p@ss/w:rd@127.0.0.1:9443/hunt_1", &cause));
	assert_string_equal(u.user, "ana");
	assert_string_equal(u.password, "p@ss/w:rd");
	assert_string_equal(u.host, "127.0.0.1");
	assert_int_equal(u.port, 9443);
	assert_string_equal(u.db, "hunt_1");
	assert_true(u.tls);
	fleet_url_free(&u);
	setenv("HUNTCON_STORE_PASSWORD", "fromenv", 1);
	assert_true(fleet_url_parse(&u, "clickhouse://ana@h/db", &cause));
	assert_string_equal(u.password, "fromenv");
	fleet_url_free(&u);
	unsetenv("HUNTCON_STORE_PASSWORD");
}

/* URLs refused, with messages that never quote the password. */
static void
test_url_bad(void **state)
{
	static const char *const bad[] = {
		"http://h/db", "clickhouse://h", "clickhouse://h/", "clickhouse://"
		"/db", "clickhouse://h:0/db", "clickhouse://h:99999/db",
		"clickhouse://h:x/db", "clickhouse://h/d;b",
		"clickhouse://a'b:secret@h/db", NULL
	};
	struct fleet_url	 u;
	char			*cause;
	size_t			 i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		cause = NULL;
		assert_false(fleet_url_parse(&u, bad[i], &cause));
		assert_non_null(cause);
		assert_null(strstr(cause, "secret"));
		free(cause);
	}
}

/* The password of an argument is overwritten in place. */
static void
test_url_hide(void **state)
{
	char	 a[] = "clickhouse://ana:s3cret@h:1/db";
	char	 b[] = "clickhouse://h/db";

	(void)state;
	fleet_url_hide(a);
	assert_string_equal(a, "clickhouse://ana:******@h:1/db");
	fleet_url_hide(b);
	assert_string_equal(b, "clickhouse://h/db");
}

/* Patterns rewritten for RE2, and those refused (with the byte). */
static void
test_regex(void **state)
{
	static const struct {
		const char	*in, *out;	/* out NULL: refused */
		size_t		 at;
	} t[] = {
		{ "^www\\.", "(?i)^www\\.", 0 },
		{ "(?-i)^WWW", "^WWW", 0 },
		{ "a\\sb", "(?i)a[\\t\\n\\v\\f\\r ]b", 0 },
		{ "[\\s,]", "(?i)[\\t\\n\\v\\f\\r ,]", 0 },
		{ "com$", "(?i)com(?:\\n?\\z)", 0 },
		{ "(a|b$)", "(?i)(a|b(?:\\n?\\z))", 0 },
		{ "(?:x)(?P<n>y)\\x41", "(?i)(?:x)(?P<n>y)\\x41", 0 },
		{ "(a)\\1", NULL, 3 },
		{ "x(?=y)", NULL, 1 },
		{ "(?i)x", NULL, 0 },
		{ "a++", NULL, 1 },
		{ "a$b", NULL, 1 },
		{ "\\Qa\\E", NULL, 0 },
		{ "\\x80", NULL, 0 },
		{ "\xc3\xa9", NULL, 0 },
		{ "[]a]", NULL, 0 },
		{ "a\\Z", NULL, 1 },
	};
	struct buf	 b;
	const char	*why;
	size_t		 i, at;
	bool		 ok;

	(void)state;
	buf_init(&b);
	for (i = 0; i < nitems(t); i++) {
		buf_reset(&b);
		at = 99;
		ok = fleet_regex_re2(&b, t[i].in, strlen(t[i].in), &at, &why);
		if (t[i].out != NULL) {
			assert_true(ok);
			assert_string_equal(b.s, t[i].out);
		} else {
			assert_false(ok);
			assert_int_equal(at, t[i].at);
		}
	}
	buf_free(&b);
}

/*
 * The SQL of where-clauses: a single-valued core key in its own column,
 * a multi-valued one in its array column; negation, text, exists.
 */
static void
test_sql(void **state)
{
	struct query		*q;
	struct query_error	 err;
	struct buf		 b;
	char			*cause = NULL, *want;
	const char		*text;

	(void)state;
	buf_init(&b);
	text = "ip.proto != 6 && alias.host begins 'W' && !(ioc exists)";
	q = query_compile(text, strlen(text), 0, &err);
	assert_non_null(q);
	assert_true(fleet_sql_where(&b, q, &cause));
	xasprintf(&want, "(NOT (bitAnd(fp, %llu) != 0 AND "
	    "((f_ip_proto >= 6 AND f_ip_proto <= 6))) "
	    "AND arrayExists(x -> ((length(x) >= 1 AND "
	    "substring(lower(x), 1, 1) = 'w')), a_alias_host) "
	    "AND NOT (notEmpty(a_ioc)))", 1ULL << K_IP_PROTO);
	assert_string_equal(b.s, want);
	free(want);
	query_free(q);
	query_error_clear(&err);
	buf_reset(&b);
	text = "alias.host regex '(a)\\1'";
	q = query_compile(text, strlen(text), 0, &err);
	assert_non_null(q);
	assert_false(fleet_sql_where(&b, q, &cause));
	assert_non_null(strstr(cause, "column 18: regex over the store"));
	free(cause);
	query_free(q);
	query_error_clear(&err);
	buf_reset(&b);
	assert_true(fleet_sql_where(&b, NULL, &cause));
	assert_string_equal(b.s, "1");
	buf_free(&b);
}

/*
 * The keys with an array column of their own are schema 2's: a key added
 * to the registry needs a column in tables made before, so a new schema
 * version (fleet.h) whose --init adds it; then change this count.
 */
static void
test_own_columns(void **state)
{
	struct buf	 b;
	int		 key, n = 0;

	(void)state;
	assert_int_equal(FLEET_SCHEMA, 2);
	buf_init(&b);
	for (key = 0; key < meta_nkeys(); key++) {
		if (!fleet_own(key))
			continue;
		assert_false(fleet_fixed(key));
		n++;
	}
	assert_int_equal(n, 37);
	fleet_own_column(&b, meta_find("analysis.session", 16));
	assert_string_equal(b.s, "a_analysis_session");
	assert_false(fleet_own(meta_find("time", 4)));
	assert_false(fleet_own(meta_find("ip.src", 6)));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_ok),
		cmocka_unit_test(test_url_bad),
		cmocka_unit_test(test_url_hide),
		cmocka_unit_test(test_regex),
		cmocka_unit_test(test_sql),
		cmocka_unit_test(test_own_columns),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
