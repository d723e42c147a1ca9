/*
 * fleet-int.h - declarations shared by the files of src/fleet only.
 */
#ifndef HUNTCON_FLEET_INT_H
#define HUNTCON_FLEET_INT_H

#include "fleet/fleet.h"

/*
 * Rewrite a PCRE2 pattern (n bytes) as an RE2 pattern that matches the
 * same ASCII values, "(?i)" first; false with *at (0-based byte) and *why
 * when the store cannot run it exactly.
 */
bool	 fleet_regex_re2(struct buf *, const char *, size_t, size_t *at,
	    const char **why);

/*
 * A key's number in the table's mk arrays: the low 32 bits of XXH3 of its
 * name (numbers compare four times faster there than names); the names
 * are in DB.huntcon_keys.
 */
uint32_t fleet_key_id(const char *);
/* Whether the database holds a table; false with *cause on error. */
bool	 fleet_table_exists(const struct fleet_url *, const char *, bool *,
	    char **);

/*
 * Whether a key has a column of its own, f_KEY ('.' as '_'), and a bit
 * (1 << key) in fp when a session has its value: the single-valued core
 * keys, which most conditions name.
 */
bool	 fleet_fixed(int);
void	 fleet_fixed_column(struct buf *, int);
/*
 * Whether a key has an array column of its own, a_KEY, of its values: the
 * other keys of the registry but time's (rules write only text, so every
 * value of such a key has the key's type).  A key created at run time
 * lives in the arrays only.
 */
bool	 fleet_own(int);
void	 fleet_own_column(struct buf *, int);
/* Check the schema version of a database that has one; says how to
 * upgrade when it is older. */
bool	 fleet_schema_check(const struct fleet_url *, char **);

/* A JSON string of n raw bytes, as ClickHouse reads them back. */
void	 fleet_json_string(struct buf *, const void *, size_t);

/* A SQL string literal of n bytes, ASCII-folded when asked. */
void	 fleet_sql_string(struct buf *, const void *, size_t, bool);

/* The next element of a TSV array ("['AB','']" or "[1,2]"); false at ']'. */
bool	 fleet_elem(const char **, const char **, size_t *);
/* Decode n hex digits (as hex() gives them; another character counts as
 * 0) into out, n / 2 bytes and a NUL; or into a string the caller frees. */
void	 fleet_unhex(char *out, const char *, size_t);
char	*fleet_unhex_str(const char *, size_t);
/*
 * The references of the sessions a query selects: TSV lines of
 * hex(sensor), [hex(path),...] and [offset,...], in --sessions' order.
 */
bool	 fleet_refs_rows(const struct fleet_url *, const struct query *,
	    char **out, char **cause);

/* The view over the store (read.c): where it is and, to read packets
 * (session.c), the settings that say where each sensor keeps them. */
struct fleet_view {
	const struct fleet_url		*u;
	const struct engine_config	*cfg;		/* NULL: no packets */
	const char			*table;		/* read, once known */
};

/* Where a sensor's packets are: its fleet.sensor.NAME, or NULL. */
const char *fleet_sensor_where(const struct engine_config *, const char *);
/*
 * Fetch references (lines "PATH@OFF,...") from a sensor whose packets are
 * at where (local: or ssh:HOST), as one pcap into out; false with *why.
 */
bool	 fleet_sensor_fetch(const struct engine_config *, const char *where,
	    const char *refs, size_t len, FILE *out, char **why);

/*
 * The first row where (SQL) selects: its meta read through *r as item 0,
 * kept in *own (fleet_read_free), and in *tail (caller frees) the
 * columns cols names after them; false with *cause, or with *r NULL when
 * no row is there.
 */
bool	 fleet_read_row(const struct fleet_url *, const char *cols,
	    const char *where, const struct meta_reader **r, void **own,
	    char **tail, char **cause);
void	 fleet_read_free(void *);
/* The table read: sessions_all when the database has it. */
bool	 fleet_read_table(const struct fleet_url *, const char **, char **);

/* One session and its packets (session.c; see view/session.h). */
struct view_ref;
struct view_session;
struct view_packet;
bool	 fleet_view_session(void *, const struct view_ref *,
	    struct view_session *, char **);
bool	 fleet_view_packets(void *, struct view_session *, size_t from,
	    size_t n, int flags, bool (*)(const struct view_packet *, void *),
	    void *, char **);
void	 fleet_view_session_free(void *, struct view_session *);

/* What throwIf says when a regex meets a value that is not ASCII. */
#define FLEET_THROWIF	"Value passed to 'throwIf' function is non zero"

#endif
