/* schema.c - the session table on one server, and sessions_all. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "fleet/fleet-int.h"

/* Whether a key has a column of its own. */
bool
fleet_fixed(int key)
{
	return (key >= 0 && key < K_NCORE && key < 64 &&
	    (meta_key(key)->flags & MK_MULTI) == 0);
}

/* Whether a key has an array column of its own. */
bool
fleet_own(int key)
{
	const struct meta_key	*k = meta_key(key);

	return (k != NULL && (k->flags & MK_DYNAMIC) == 0 &&
	    k->type != MT_TIME && !fleet_fixed(key));
}

/* A column named for a key: prefix, then the name with '.' as '_'. */
static void
schema_column(struct buf *b, const char *prefix, int key)
{
	const char	*p;

	buf_adds(b, prefix);
	for (p = meta_key(key)->name; *p != '\0'; p++)
		buf_addc(b, *p == '.' ? '_' : *p);
}

/* The name of a single-valued key's own column. */
void
fleet_fixed_column(struct buf *b, int key)
{
	schema_column(b, "f_", key);
}

/* The name of a key's own array column. */
void
fleet_own_column(struct buf *b, int key)
{
	schema_column(b, "a_", key);
}

/*
 * An array column's definition.  Its DEFAULT takes the key's values from
 * the arrays, so that the rows of a table made by an older schema read
 * the same once --init adds the column; rows shipped now carry it.
 */
static void
schema_own(struct buf *b, int key)
{
	uint32_t	 id = fleet_key_id(meta_key(key)->name);

	fleet_own_column(b, key);
	switch (meta_key(key)->type) {
	case MT_UINT:
		buf_printf(b, " Array(UInt64) DEFAULT arrayFilter((n, k) -> "
		    "k = %u, mn, mk)", id);
		break;
	case MT_IPV4:
		buf_printf(b, " Array(UInt32) DEFAULT arrayMap(n -> "
		    "toUInt32(n), arrayFilter((n, k) -> k = %u, mn, mk))", id);
		break;
	case MT_IPV6:
	case MT_MAC:
		buf_printf(b, " Array(FixedString(%d)) DEFAULT arrayMap(s -> "
		    "toFixedString(s, %d), arrayFilter((s, k) -> k = %u, ms, "
		    "mk))", meta_key(key)->type == MT_MAC ? 6 : 16,
		    meta_key(key)->type == MT_MAC ? 6 : 16, id);
		break;
	default:
		buf_printf(b, " Array(String) DEFAULT arrayFilter((s, k) -> "
		    "k = %u, ms, mk)", id);
		break;
	}
}

/* The keys' own columns, for CREATE TABLE. */
static void
schema_fixed(struct buf *b)
{
	static const char *const types[] = {
		[MT_UINT] = "UInt64", [MT_IPV4] = "UInt32",
		[MT_IPV6] = "FixedString(16)", [MT_MAC] = "FixedString(6)",
		[MT_TEXT] = "String", [MT_TIME] = "UInt64"
	};
	int	 key;

	buf_adds(b, "fp UInt64");
	for (key = 0; key < K_NCORE; key++) {
		if (!fleet_fixed(key))
			continue;
		buf_adds(b, ", ");
		fleet_fixed_column(b, key);
		buf_printf(b, " %s", types[meta_key(key)->type]);
	}
	for (key = 0; key < meta_nkeys(); key++) {
		if (!fleet_own(key))
			continue;
		buf_adds(b, ", ");
		schema_own(b, key);
	}
}

/*
 * The session table, keyed by (sensor, run, sessionid).  The sender asks
 * whether a batch is there before sending it (ship.c), so rows are not
 * written twice and reads need no FINAL (which 18.16 runs on one thread);
 * should one be written twice all the same, ReplacingMergeTree keeps one
 * once parts merge.
 */
static const char schema_table[] =
	"CREATE TABLE %s.sessions ("
	"sensor String, run String, sessionid UInt64, time UInt64, "
	"day Date, size UInt64, packets UInt64, "
	"mk Array(UInt32), mt Array(UInt8), mn Array(UInt64), "
	"ms Array(String), ppath Array(String), poff Array(UInt64), "
	"schema UInt16, %s) "
	"ENGINE = ReplacingMergeTree(schema) PARTITION BY day "
	"ORDER BY (sensor, run, sessionid)";

/* The schema version is the one row of this table. */
static const char schema_version[] =
	"CREATE TABLE %s.huntcon_schema (version UInt16) ENGINE = TinyLog";

/* The names of the key numbers in mk, as each sensor ships them. */
static const char schema_keys[] =
	"CREATE TABLE %s.huntcon_keys (id UInt32, name String, type UInt8) "
	"ENGINE = ReplacingMergeTree ORDER BY (id, name)";

/* Whether the database already holds a table; false with *cause on error. */
bool
fleet_table_exists(const struct fleet_url *u, const char *table, bool *yes,
    char **cause)
{
	char	*sql, *out;

	xasprintf(&sql, "EXISTS TABLE %s.%s FORMAT TSV", u->db, table);
	if (!fleet_http(u, sql, NULL, 0, &out, cause)) {
		free(sql);
		return (false);
	}
	*yes = out[0] == '1';
	free(out);
	free(sql);
	return (true);
}

/* The version of a schema that exists. */
static bool
schema_version_of(const struct fleet_url *u, unsigned long *v, char **cause)
{
	char	*sql, *out;

	xasprintf(&sql, "SELECT max(version) FROM %s.huntcon_schema "
	    "FORMAT TSV", u->db);
	if (!fleet_http(u, sql, NULL, 0, &out, cause)) {
		free(sql);
		return (false);
	}
	free(sql);
	*v = strtoul(out, NULL, 10);
	free(out);
	return (true);
}

/* Check the version of a schema that exists; says how to upgrade. */
bool
fleet_schema_check(const struct fleet_url *u, char **cause)
{
	unsigned long	 v;

	if (!schema_version_of(u, &v, cause))
		return (false);
	if (v == FLEET_SCHEMA)
		return (true);
	if (v < FLEET_SCHEMA)
		xasprintf(cause, "store: %s.sessions has schema %lu, this "
		    "huntcon reads and writes %d: upgrade it with huntcon "
		    "--store URL --init on each server", u->db, v,
		    FLEET_SCHEMA);
	else
		xasprintf(cause, "store: %s.sessions has schema %lu, newer than "
		    "this huntcon's %d", u->db, v, FLEET_SCHEMA);
	return (false);
}

/* Run one formatted DDL statement naming the database. */
static bool
schema_run(const struct fleet_url *u, const char *fmt, const char *cluster,
    char **cause)
{
	char	*sql;
	bool	 ok;

	if (cluster != NULL)
		xasprintf(&sql, fmt, u->db, u->db, cluster, u->db);
	else
		xasprintf(&sql, fmt, u->db);
	ok = fleet_http(u, sql, NULL, 0, NULL, cause);
	free(sql);
	return (ok);
}

/* Create the session table. */
static bool
schema_table_create(const struct fleet_url *u, char **cause)
{
	struct buf	 cols;
	char		*sql;
	bool		 ok;

	buf_init(&cols);
	schema_fixed(&cols);
	xasprintf(&sql, schema_table, u->db, cols.s);
	ok = fleet_http(u, sql, NULL, 0, NULL, cause);
	free(sql);
	buf_free(&cols);
	return (ok);
}

/*
 * Add to a table the own columns it lacks (ALTER on the Distributed
 * sessions_all changes only its definition); *added counts them.
 */
static bool
schema_add(const struct fleet_url *u, const char *table, size_t *added,
    char **cause)
{
	struct buf	 b, name;
	char		*sql, *out, *line, *p;
	bool		 have, ok = true;
	int		 key;

	xasprintf(&sql, "SELECT name FROM system.columns WHERE database = "
	    "'%s' AND table = '%s' FORMAT TSV", u->db, table);
	ok = fleet_http(u, sql, NULL, 0, &out, cause);
	free(sql);
	if (!ok)
		return (false);
	buf_init(&b);
	buf_init(&name);
	buf_printf(&b, "ALTER TABLE %s.%s", u->db, table);
	*added = 0;
	for (key = 0; key < meta_nkeys(); key++) {
		if (!fleet_own(key))
			continue;
		buf_reset(&name);
		fleet_own_column(&name, key);
		have = false;
		for (p = out; !have && (p = strstr(p, name.s)) != NULL;
		    p += name.len) {
			line = p + name.len;
			have = (p == out || p[-1] == '\n') &&
			    (*line == '\n' || *line == '\0');
		}
		if (have)
			continue;
		buf_adds(&b, *added > 0 ? ", ADD COLUMN " : " ADD COLUMN ");
		schema_own(&b, key);
		(*added)++;
	}
	if (*added > 0)
		ok = fleet_http(u, b.s, NULL, 0, NULL, cause);
	free(out);
	buf_free(&name);
	buf_free(&b);
	return (ok);
}

/*
 * Upgrade an older schema: the columns it lacks, on sessions and on
 * sessions_all when there is one, then the version.  Rows already there
 * read their new columns from the arrays until ClickHouse merges them.
 */
static bool
schema_upgrade(const struct fleet_url *u, unsigned long from, char **note,
    char **cause)
{
	size_t	 added, added_all = 0;
	bool	 all;

	if (!schema_add(u, "sessions", &added, cause) ||
	    !fleet_table_exists(u, "sessions_all", &all, cause) ||
	    (all && !schema_add(u, "sessions_all", &added_all, cause)) ||
	    !schema_run(u, "INSERT INTO %s.huntcon_schema VALUES ("
	    FLEET_SCHEMA_STR ")", NULL, cause))
		return (false);
	xasprintf(note, "%s.sessions: schema %lu upgraded to %d (%zu columns "
	    "added)", u->db, from, FLEET_SCHEMA, added);
	return (true);
}

/* Create the database, the session table, its version, sessions_all. */
bool
fleet_init(const struct fleet_url *u, const char *cluster, char **note,
    char **cause)
{
	char		*sql;
	bool		 yes = false;
	unsigned long	 v;

	xasprintf(&sql, "CREATE DATABASE IF NOT EXISTS %s", u->db);
	if (!fleet_http(u, sql, NULL, 0, NULL, cause)) {
		free(sql);
		return (false);
	}
	free(sql);
	if (!fleet_table_exists(u, "huntcon_schema", &yes, cause))
		return (false);
	if (yes) {
		if (!schema_version_of(u, &v, cause) || (v < FLEET_SCHEMA &&
		    !schema_upgrade(u, v, note, cause)) ||
		    (v > FLEET_SCHEMA && !fleet_schema_check(u, cause)))
			return (false);
	} else if (!schema_table_create(u, cause) ||
	    !schema_run(u, schema_keys, NULL, cause) ||
	    !schema_run(u, schema_version, NULL, cause) ||
	    !schema_run(u, "INSERT INTO %s.huntcon_schema VALUES ("
	    FLEET_SCHEMA_STR ")", NULL, cause))
		return (false);
	if (cluster == NULL)
		return (true);
	if (!fleet_table_exists(u, "sessions_all", &yes, cause))
		return (false);
	return (yes || (schema_run(u, "CREATE TABLE %s.sessions_all AS "
	    "%s.sessions ENGINE = Distributed(%s, %s, sessions, rand())",
	    cluster, cause) && schema_run(u, "CREATE TABLE %s.huntcon_keys_all "
	    "AS %s.huntcon_keys ENGINE = Distributed(%s, %s, huntcon_keys, "
	    "rand())", cluster, cause)));
}

/* Drop one day's partition of the session table. */
static bool
schema_drop(const struct fleet_url *u, const char *day, char **cause)
{
	char	*sql;
	bool	 ok;

	xasprintf(&sql, "ALTER TABLE %s.sessions DROP PARTITION '%s'", u->db,
	    day);
	ok = fleet_http(u, sql, NULL, 0, NULL, cause);
	free(sql);
	return (ok);
}

/* Drop the days before today - days on this server; each one on f. */
bool
fleet_retain(FILE *f, const struct fleet_url *u, unsigned int days,
    char **cause)
{
	char	*sql, *out, *p, *line;
	bool	 ok = true;

	xasprintf(&sql, "SELECT DISTINCT partition FROM system.parts WHERE "
	    "database = '%s' AND table = 'sessions' AND active AND "
	    "toDate(partition) < today() - %u ORDER BY partition FORMAT TSV",
	    u->db, days);
	if (!fleet_http(u, sql, NULL, 0, &out, cause)) {
		free(sql);
		return (false);
	}
	free(sql);
	for (p = out; ok && (line = strsep(&p, "\n")) != NULL; ) {
		if (strspn(line, "0123456789-") != 10 || line[10] != '\0')
			continue;
		if ((ok = schema_drop(u, line, cause)))
			fprintf(f, "%s\n", line);
	}
	free(out);
	return (ok);
}
