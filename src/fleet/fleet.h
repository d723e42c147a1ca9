/*
 * fleet.h - the fleet: sensors ship their closed sessions to ClickHouse
 * and the batch modes read them back over its HTTP interface (libcurl).
 *
 * Files, one concept each: cli.c runs the modes main's options ask for,
 * url.c parses clickhouse://USER:PASS@HOST:PORT/DB,
 * http.c sends one statement and checks the answer's status and tail,
 * schema.c creates the tables, row.c writes a session as a JSONEachRow
 * line, ship.c is the bounded queue and its sender thread, sql.c turns a
 * compiled where-clause into SQL, read.c answers a view's counts and pages (and --refs).
 *
 * Contract:
 * - Every function that talks to the server returns false with *cause
 *   (caller frees) on failure: the server's exception text or the
 *   transfer's error, escaped, never a password.
 * - A struct fleet_url owns its strings; fleet_url_free() wipes the
 *   password before freeing it.
 * - The session table keeps every value of every key in parallel arrays
 *   (mk key number, mt type + 16 * time precision, mn number, ms bytes), so
 *   one translation serves every key; sensor, run, sessionid, time, size
 *   and packets are columns of their own, the packet references the
 *   arrays ppath and poff; each single-valued core key also has its own
 *   column f_KEY and a bit in fp (schema.c), which conditions on it read
 *   instead of the arrays; every other key of the registry has an array
 *   column a_KEY of its values, which its counts and most conditions read
 *   (a drill step counts a handful of keys: reading one short column each
 *   is ten times quicker than the arrays).  Schema version FLEET_SCHEMA.
 */
#ifndef HUNTCON_FLEET_H
#define HUNTCON_FLEET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "batch/batch.h"
#include "engine/engine.h"
#include "query/query.h"
#include "store/store.h"

#define FLEET_SCHEMA	2
#define FLEET_SCHEMA_STR "2"

/* Where the store is. */
struct fleet_url {
	char		*user;		/* NULL: the server's default user */
	char		*password;	/* NULL: none */
	char		*host;
	unsigned int	 port;
	char		*db;
	bool		 tls;		/* clickhouses:// */
};

/*
 * Parse clickhouse://[USER[:PASSWORD]@]HOST[:PORT]/DB (clickhouses:// for
 * HTTPS); the password may also come from HUNTCON_STORE_PASSWORD.  False
 * with *cause on a malformed URL (the password never quoted).
 */
bool	 fleet_url_parse(struct fleet_url *, const char *, char **);
void	 fleet_url_free(struct fleet_url *);
/* Overwrite the password of a URL in an argument in place (":****@"). */
void	 fleet_url_hide(char *);

/*
 * Send one statement (body: data after it, or NULL); the answer's text
 * (NUL-terminated) in *out when out is not NULL.  False with *cause when
 * the transfer fails, the status is not 200 or the answer ends with a
 * server exception.
 */
bool	 fleet_http(const struct fleet_url *, const char *sql,
	    const char *body, size_t len, char **out, char **cause);
struct view_req;
/* Until served NULL, this thread's statements stop when the request is
 * late or cancelled ("query cancelled", "no answer before the deadline"). */
void	 fleet_http_serve(struct view_req *);

/*
 * Create the database and its session table (and sessions_all), or
 * upgrade an older schema's tables, saying so in *note (caller frees).
 */
bool	 fleet_init(const struct fleet_url *, const char *cluster,
	    char **note, char **cause);
/*
 * Drop this server's partitions (days) of DB.sessions older than today -
 * days, printing each day dropped on f.
 */
bool	 fleet_retain(FILE *, const struct fleet_url *, unsigned int days,
	    char **cause);

struct capture;
/*
 * Append a session's JSONEachRow line: sensor, run, its meta, and its
 * packet references (file and record offset of each packet still kept,
 * through capture_locate(); none when c is NULL).
 */
void	 fleet_row(struct buf *, const struct store *, const struct capture *,
	    uint64_t id, const char *sensor, const char *run);

/*
 * Ship the store's sessions to DB.sessions (the reader's thread waits
 * while the queue of batches is full); how many in *shipped.
 */
bool	 fleet_ship(const struct fleet_url *, const struct store *,
	    const struct capture *, const char *sensor, const char *run,
	    uint64_t *shipped, char **cause);

/*
 * Shipping as sessions become final (a live capture): start, then from the
 * engine's thread fleet_ship_ready() now and then, then fleet_ship_end().
 * A bounded queue of batches lies between it and a sender thread; live
 * (no wait), sessions that find the queue full stay in the store for a
 * later call and a batch that fails goes again every few seconds until
 * the end (saying so on live), so nothing is dropped while the store
 * holds it.  live NULL: a file ingest.
 */
struct fleet_ship;
struct fleet_ship *fleet_ship_start(const struct fleet_url *,
	    const char *sensor, const char *run, FILE *live, char **cause);
bool	 fleet_ship_ready(struct fleet_ship *, const struct store *,
	    const struct capture *, uint64_t before, bool wait);
const char *fleet_ship_failed(struct fleet_ship *);
bool	 fleet_ship_end(struct fleet_ship *, const struct store *,
	    const struct capture *, uint64_t *shipped, uint64_t *left,
	    char **cause);

/*
 * The SQL condition for a compiled query (NULL: every session) into b;
 * false with *cause as "column N: ..." when the store cannot answer an
 * operator exactly.
 */
bool	 fleet_sql_where(struct buf *, const struct query *, char **);

/* A view (view/view.h) over the store: counts and pages of sessions of
 * DB.sessions_all or DB.sessions, asked as the in-memory store is. */
struct view;
void	 view_fleet(struct view *, const struct fleet_url *);
/* Have such a view read a session's packets from its sensor, where cfg's
 * fleet.sensor.NAME says (view/session.h); cfg stays the caller's. */
void	 view_fleet_packets(struct view *, const struct engine_config *);

/*
 * --refs over the store: per session (as --sessions orders them) a line
 * "SENSOR<TAB>PATH@OFFSET,...[<TAB>PATH@...]", escaped.
 */
bool	 fleet_refs(FILE *, const struct fleet_url *, const struct query *,
	    char **);
/*
 * --fetch on the sensor: the records each "PATH@OFFSET,..." names, as one
 * pcap on out (classic pcap inputs of one format and link type).
 */
bool	 fleet_fetch(FILE *, char **refs, size_t, char **);
/* --fetch -: the references one a line on in. */
bool	 fleet_fetch_lines(FILE *out, FILE *in, char **);

/*
 * -w over the store: the packets of the sessions q selects, read on their
 * sensors (cfg's fleet.sensor.NAME and fleet.ssh_command), written to
 * path ("-": standard output) as one pcap equal to a local -w of the
 * same sessions: sensors in name order, each one's files in name order,
 * records in file order.  Nothing is written before every sensor
 * answered; on failure no file is left and *cause names the sensor.
 */
bool	 fleet_export(const struct fleet_url *, const struct query *,
	    const struct engine_config *, const char *path, bool force,
	    uint64_t *packets, char **cause);

/* The fleet's part of the command line (main parses it). */
struct fleet_args {
	char		 *store;	/* --store URL (a copy) */
	char		 *ship;		/* --ship URL (a copy) */
	const char	 *cluster;	/* --init --cluster NAME */
	const char	 *sensor;	/* --ship --sensor NAME */
	const char	 *run;		/* --ship --run ID */
	bool		  init, refs;
	int64_t		  retain;	/* --retain DAYS; -1: none */
	char		**fetch;	/* --fetch PATH@OFFSET,... */
	size_t		  nfetch;
	struct fleet_url  ship_url;	/* while shipping */
	struct fleet_ship *shipper;	/* NULL: not started */
};

/* What main's other options ask of a mode over the store. */
struct fleet_mode {
	int			 key;		/* --values; -1: none */
	enum vsort		 sort;
	const struct batch_fields *fields;
	enum batch_format	 format;
	bool			 header;
	const struct query	*q;
	const char		*write;		/* -w; NULL: none */
	uint64_t		 bucket;	/* --histogram, ns; 0: none */
	bool			 force;
	const struct engine_config *cfg;
};

/*
 * Start shipping to fa->ship (live: a live capture's, its messages there;
 * NULL: after a file ingest), and finish: every session not shipped yet,
 * waited for.  False with *cause (caller frees).
 */
bool	 fleet_ship_begin(struct fleet_args *, FILE *live, char **);
bool	 fleet_ship_finish(struct fleet_args *, const struct store *,
	    const struct capture *, char **);
/* --fetch REF... -w PATH (or -): false with *cause, no file left. */
bool	 fleet_run_fetch(const struct fleet_args *, const char *path,
	    bool force, char **);
/*
 * Run the mode asked over fa->store, its output on out; false with *cause
 * (NULL: a write to out failed); *note, when set, is for standard error.
 */
bool	 fleet_run_store(FILE *out, const struct fleet_args *,
	    const struct fleet_mode *, char **note, char **cause);

#endif
