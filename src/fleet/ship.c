/* ship.c - the bounded queue of batches and the thread that inserts them. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fleet/fleet-int.h"

#define SHIP_BATCH	5000	/* sessions a batch */
#define SHIP_QUEUE	4	/* batches waiting at most */
#define SHIP_TRIES	4	/* sends of one batch before giving up */

/* A batch: its rows and the sessionids they run over. */
struct ship_batch {
	struct buf		 rows;
	uint64_t		 first, last, n;
};

/* The queue between the reader of the store and the sender. */
struct ship {
	const struct fleet_url	*u;
	char			*sql;	/* the INSERT statement */
	char			*where;	/* this sensor's and run's rows */
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct ship_batch	 q[SHIP_QUEUE];
	size_t			 head, count;
	bool			 done;	/* no more batches come */
	char			*cause;	/* the sender failed: why */
	uint64_t		 sent;	/* batches inserted */
};

/*
 * How many of a batch's sessions the table holds already: none, or all
 * of them (an INSERT of one block is atomic), after a send whose answer
 * was lost.
 */
static bool
ship_present(struct ship *sh, const struct ship_batch *b, uint64_t *n,
    char **cause)
{
	char	*sql, *out;
	bool	 ok;

	xasprintf(&sql, "SELECT count() FROM %s.sessions WHERE %s AND "
	    "sessionid >= %llu AND sessionid <= %llu FORMAT TSV", sh->u->db,
	    sh->where, (unsigned long long)b->first,
	    (unsigned long long)b->last);
	if ((ok = fleet_http(sh->u, sql, NULL, 0, &out, cause))) {
		*n = strtoull(out, NULL, 10);
		free(out);
	}
	free(sql);
	return (ok);
}

/*
 * Send one batch unless the table has it (a retry, or the same run shipped
 * again), again after a pause while it fails: so no session is written
 * twice and readers need no FINAL.
 */
static bool
ship_send(struct ship *sh, const struct ship_batch *b, char **cause)
{
	struct timespec	 ts = { 0, 200 * 1000 * 1000 };
	uint64_t	 n;
	int		 i;

	for (i = 0; i < SHIP_TRIES; i++) {
		free(*cause);
		*cause = NULL;
		if (ship_present(sh, b, &n, cause)) {
			if (n == b->n)
				return (true);
			if (n != 0) {
				xasprintf(cause, "store: %llu of a batch's %llu "
				    "sessions are there already",
				    (unsigned long long)n,
				    (unsigned long long)b->n);
				return (false);
			}
			if (fleet_http(sh->u, sh->sql, b->rows.s, b->rows.len,
			    NULL, cause))
				return (true);
		}
		nanosleep(&ts, NULL);
		ts.tv_nsec *= 2;
	}
	return (false);
}

/* The sender thread: take batches in order until done or a failure. */
static void *
ship_main(void *arg)
{
	struct ship		*sh = arg;
	struct ship_batch	 b;
	char			*cause = NULL;
	bool		 ok;

	for (;;) {
		pthread_mutex_lock(&sh->lock);
		while (sh->count == 0 && !sh->done)
			pthread_cond_wait(&sh->cond, &sh->lock);
		if (sh->count == 0) {
			pthread_mutex_unlock(&sh->lock);
			return (NULL);
		}
		b = sh->q[sh->head];
		pthread_mutex_unlock(&sh->lock);
		ok = ship_send(sh, &b, &cause);
		pthread_mutex_lock(&sh->lock);
		buf_free(&sh->q[sh->head].rows);
		sh->head = (sh->head + 1) % SHIP_QUEUE;
		sh->count--;
		if (ok)
			sh->sent++;
		else
			sh->cause = cause;
		pthread_cond_broadcast(&sh->cond);
		pthread_mutex_unlock(&sh->lock);
		if (!ok)
			return (NULL);
	}
}

/* Queue a batch, waiting for room; false once the sender has failed. */
static bool
ship_put(struct ship *sh, struct ship_batch *b)
{
	bool	 ok;

	pthread_mutex_lock(&sh->lock);
	while (sh->count == SHIP_QUEUE && sh->cause == NULL)
		pthread_cond_wait(&sh->cond, &sh->lock);
	if ((ok = sh->cause == NULL)) {
		sh->q[(sh->head + sh->count) % SHIP_QUEUE] = *b;
		sh->count++;
		pthread_cond_broadcast(&sh->cond);
	} else
		buf_free(&b->rows);
	pthread_mutex_unlock(&sh->lock);
	memset(b, 0, sizeof *b);
	buf_init(&b->rows);
	return (ok);
}

/* Walk the store in sessionid order, a batch at a time. */
static bool
ship_walk(struct ship *sh, const struct store *st, const struct capture *c,
    const char *sensor, const char *run, uint64_t *shipped)
{
	struct ship_batch	 b;
	uint64_t		 id, end = store_end(st);

	memset(&b, 0, sizeof b);
	buf_init(&b.rows);
	for (id = 1; id < end; id++) {
		if (!store_has(st, id))
			continue;
		fleet_row(&b.rows, st, c, id, sensor, run);
		(*shipped)++;
		if (b.n++ == 0)
			b.first = id;
		b.last = id;
		if (b.n == SHIP_BATCH && !ship_put(sh, &b))
			return (false);
	}
	if (b.n > 0)
		return (ship_put(sh, &b));
	buf_free(&b.rows);
	return (true);
}

/* The condition naming one sensor's run. */
static char *
ship_where(const char *sensor, const char *run)
{
	struct buf	 b;

	buf_init(&b);
	buf_adds(&b, "sensor = ");
	fleet_sql_string(&b, sensor, strlen(sensor), false);
	buf_adds(&b, " AND run = ");
	fleet_sql_string(&b, run, strlen(run), false);
	return (buf_take(&b));
}

/*
 * Insert the names of the key numbers this process ships into
 * DB.huntcon_keys (readers look up the ones they do not know); false
 * when two names share a number.
 */
static bool
ship_keys(const struct fleet_url *u, char **cause)
{
	struct buf	 b;
	char		*sql;
	uint32_t	*ids;
	int		 i, j, n = meta_nkeys();
	bool		 ok;

	ids = xreallocarray(NULL, (size_t)n, sizeof *ids);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		ids[i] = fleet_key_id(meta_key(i)->name);
		for (j = 0; j < i; j++) {
			if (ids[j] == ids[i])
				fatal("keys %s and %s share number %u",
				    meta_key(j)->name, meta_key(i)->name,
				    ids[i]);
		}
		buf_printf(&b, "{\"id\":%u,\"type\":%u,\"name\":",
		    ids[i], meta_key(i)->type);
		fleet_json_string(&b, meta_key(i)->name,
		    strlen(meta_key(i)->name));
		buf_adds(&b, "}\n");
	}
	xasprintf(&sql, "INSERT INTO %s.huntcon_keys FORMAT JSONEachRow",
	    u->db);
	ok = fleet_http(u, sql, b.s, b.len, NULL, cause);
	free(sql);
	free(ids);
	buf_free(&b);
	return (ok);
}

/* Ship every session of the store, then wait for the last batch. */
bool
fleet_ship(const struct fleet_url *u, const struct store *st,
    const struct capture *c, const char *sensor, const char *run,
    uint64_t *shipped, char **cause)
{
	struct ship	 sh;
	pthread_t	 t;

	*shipped = 0;
	if (!ship_keys(u, cause))
		return (false);
	memset(&sh, 0, sizeof sh);
	sh.u = u;
	xasprintf(&sh.sql, "INSERT INTO %s.sessions FORMAT JSONEachRow", u->db);
	sh.where = ship_where(sensor, run);
	pthread_mutex_init(&sh.lock, NULL);
	pthread_cond_init(&sh.cond, NULL);
	*shipped = 0;
	if (pthread_create(&t, NULL, ship_main, &sh) != 0)
		fatal("pthread_create failed");
	ship_walk(&sh, st, c, sensor, run, shipped);
	pthread_mutex_lock(&sh.lock);
	sh.done = true;
	pthread_cond_broadcast(&sh.cond);
	pthread_mutex_unlock(&sh.lock);
	pthread_join(t, NULL);
	while (sh.count > 0) {
		buf_free(&sh.q[sh.head].rows);
		sh.head = (sh.head + 1) % SHIP_QUEUE;
		sh.count--;
	}
	free(sh.sql);
	free(sh.where);
	pthread_mutex_destroy(&sh.lock);
	pthread_cond_destroy(&sh.cond);
	*cause = sh.cause;
	return (sh.cause == NULL);
}
