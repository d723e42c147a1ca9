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
#define SHIP_PAUSE	5	/* live: seconds before a failed batch again */

/* A batch: its rows, the sessionids they run over, and which ones. */
struct ship_batch {
	struct buf		 rows;
	struct buf		 ids;	/* "id,id,..." */
	uint64_t		 first, last, n;
};

/* The queue between the reader of the store and the sender. */
struct fleet_ship {
	const struct fleet_url	*u;
	char			*sql;	/* the INSERT statement */
	char			*where;	/* this sensor's and run's rows */
	char			*sensor, *run;
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct ship_batch	 q[SHIP_QUEUE];
	size_t			 head, count;
	bool			 done;	/* no more batches come */
	bool			 live;	/* a failed batch waits and goes again */
	FILE			*warn;	/* live: says so there */
	char			*cause;	/* the sender failed: why */
	uint64_t		 sent;	/* sessions inserted */
	/* The reader's side. */
	struct ship_batch	 cur;	/* the batch being filled */
	uint64_t		*shipped;	/* bitmap of ids queued */
	uint64_t		 nbits, low;	/* ids below low: all queued */
	uint64_t		 queued;
};

/* Reset a batch to empty. */
static void
ship_batch_init(struct ship_batch *b)
{
	memset(b, 0, sizeof *b);
	buf_init(&b->rows);
	buf_init(&b->ids);
}

/*
 * How many of a batch's sessions the table holds already: none, or all
 * of them (an INSERT of one block is atomic), after a send whose answer
 * was lost.  A batch of consecutive ids asks by range, others by list.
 */
static bool
ship_present(struct fleet_ship *sh, const struct ship_batch *b,
    uint64_t *n, char **cause)
{
	char	*sql, *out;
	bool	 ok;

	if (b->last - b->first + 1 == b->n)
		xasprintf(&sql, "SELECT count() FROM %s.sessions WHERE %s AND "
		    "sessionid >= %llu AND sessionid <= %llu FORMAT TSV",
		    sh->u->db, sh->where, (unsigned long long)b->first,
		    (unsigned long long)b->last);
	else
		xasprintf(&sql, "SELECT count() FROM %s.sessions WHERE %s AND "
		    "sessionid IN (%s) FORMAT TSV", sh->u->db, sh->where,
		    b->ids.s);
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
ship_send(struct fleet_ship *sh, const struct ship_batch *b, char **cause)
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

/*
 * Live, a batch that failed stays first in the queue and goes again after
 * SHIP_PAUSE seconds (sooner when the capture ends); true to try again.
 */
static bool
ship_again(struct fleet_ship *sh, const char *cause)
{
	struct timespec	 until;

	if (!sh->live || sh->done)
		return (false);
	if (sh->warn != NULL)
		fprintf(sh->warn, "huntcon: ship: %s; the batch goes again in "
		    "%d s\n", cause, SHIP_PAUSE);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SHIP_PAUSE;
	pthread_mutex_lock(&sh->lock);
	while (!sh->done && pthread_cond_timedwait(&sh->cond, &sh->lock,
	    &until) == 0)
		continue;
	pthread_mutex_unlock(&sh->lock);
	return (true);
}

/* The sender thread: take batches in order until done or a failure. */
static void *
ship_main(void *arg)
{
	struct fleet_ship	*sh = arg;
	struct ship_batch	 b;
	char			*cause = NULL;
	bool			 ok;

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
		if (!(ok = ship_send(sh, &b, &cause)) && ship_again(sh, cause))
			continue;
		pthread_mutex_lock(&sh->lock);
		buf_free(&sh->q[sh->head].rows);
		buf_free(&sh->q[sh->head].ids);
		sh->head = (sh->head + 1) % SHIP_QUEUE;
		sh->count--;
		if (ok)
			sh->sent += b.n;
		else
			sh->cause = cause;
		pthread_cond_broadcast(&sh->cond);
		pthread_mutex_unlock(&sh->lock);
		if (!ok)
			return (NULL);
	}
}

/*
 * Queue the batch being filled, waiting for room when asked; false when
 * there is no room (it stays) or once the sender has failed.
 */
static bool
ship_put(struct fleet_ship *sh, bool wait)
{
	bool	 ok;

	pthread_mutex_lock(&sh->lock);
	while (wait && sh->count == SHIP_QUEUE && sh->cause == NULL)
		pthread_cond_wait(&sh->cond, &sh->lock);
	if ((ok = sh->cause == NULL && sh->count < SHIP_QUEUE)) {
		sh->q[(sh->head + sh->count) % SHIP_QUEUE] = sh->cur;
		sh->count++;
		pthread_cond_broadcast(&sh->cond);
		ship_batch_init(&sh->cur);
	}
	pthread_mutex_unlock(&sh->lock);
	return (ok);
}

/* Whether id was queued; mark it when asked. */
static bool
ship_mark(struct fleet_ship *sh, uint64_t id, bool set)
{
	uint64_t	 n;

	if (id >= sh->nbits) {
		if (!set)
			return (false);
		n = (id / 64 + 1) * 2;
		sh->shipped = xreallocarray(sh->shipped, n, sizeof *sh->shipped);
		memset(sh->shipped + sh->nbits / 64, 0,
		    (n - sh->nbits / 64) * sizeof *sh->shipped);
		sh->nbits = n * 64;
	}
	if (set)
		sh->shipped[id / 64] |= 1ULL << (id % 64);
	return ((sh->shipped[id / 64] >> (id % 64)) & 1);
}

/* Add a session's row to the batch being filled. */
static void
ship_add(struct fleet_ship *sh, const struct store *st,
    const struct capture *c, uint64_t id)
{
	struct ship_batch	*b = &sh->cur;

	fleet_row(&b->rows, st, c, id, sh->sensor, sh->run);
	buf_printf(&b->ids, "%s%llu", b->n == 0 ? "" : ",",
	    (unsigned long long)id);
	if (b->n++ == 0 || id < b->first)
		b->first = id;
	if (id > b->last)
		b->last = id;
	ship_mark(sh, id, true);
	sh->queued++;
}

/*
 * Queue the stored sessions not queued yet that started before `before`
 * (ns; sessionids come in the order sessions start, so the walk stops at
 * the first stored one that did not).  wait: wait for room in the queue
 * (a file ingest, and the end); else stop when there is none, the rest
 * staying in the store for a later call (a live capture never blocks).
 * The batch being filled is queued at the end.  False once the sender
 * has failed.
 */
bool
fleet_ship_ready(struct fleet_ship *sh, const struct store *st,
    const struct capture *c, uint64_t before, bool wait)
{
	struct session		 buf;
	const struct session	*s;
	uint64_t		 id, end = store_end(st);
	bool			 low = true;

	for (id = sh->low > 0 ? sh->low : 1; id < end; id++) {
		if (ship_mark(sh, id, false))
			goto next;
		if ((s = store_get(st, id, &buf)) == NULL) {
			low = false;
			continue;
		}
		if (s->t_first >= before)
			break;
		if (sh->cur.n == SHIP_BATCH && !ship_put(sh, wait))
			break;
		ship_add(sh, st, c, id);
next:
		if (low)
			sh->low = id + 1;
	}
	if (sh->cur.n > 0)
		ship_put(sh, wait);
	return (fleet_ship_failed(sh) == NULL);
}

/* Why the sender stopped, or NULL while it goes on. */
const char *
fleet_ship_failed(struct fleet_ship *sh)
{
	const char	*cause;

	pthread_mutex_lock(&sh->lock);
	cause = sh->cause;
	pthread_mutex_unlock(&sh->lock);
	return (cause);
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

/*
 * Start shipping as sensor and run: the key names first, then a sender
 * thread; NULL with *cause when the table's schema is not this huntcon's
 * or the server refuses the names.
 */
struct fleet_ship *
fleet_ship_start(const struct fleet_url *u, const char *sensor,
    const char *run, FILE *live, char **cause)
{
	struct fleet_ship	*sh;

	*cause = NULL;
	if (!fleet_schema_check(u, cause) || !ship_keys(u, cause))
		return (NULL);
	sh = xcalloc(1, sizeof *sh);
	sh->u = u;
	sh->live = live != NULL;
	sh->warn = live;
	sh->sensor = xstrdup(sensor);
	sh->run = xstrdup(run);
	xasprintf(&sh->sql, "INSERT INTO %s.sessions FORMAT JSONEachRow", u->db);
	sh->where = ship_where(sensor, run);
	ship_batch_init(&sh->cur);
	pthread_mutex_init(&sh->lock, NULL);
	pthread_cond_init(&sh->cond, NULL);
	if (pthread_create(&sh->thread, NULL, ship_main, sh) != 0)
		fatal("pthread_create failed");
	return (sh);
}

/*
 * Queue every session left (all of them now final), wait for the sender
 * and free the shipper; sessions inserted in *shipped, not in *left.
 */
bool
fleet_ship_end(struct fleet_ship *sh, const struct store *st,
    const struct capture *c, uint64_t *shipped, uint64_t *left,
    char **cause)
{
	bool	 ok;

	fleet_ship_ready(sh, st, c, UINT64_MAX, true);
	pthread_mutex_lock(&sh->lock);
	sh->done = true;
	pthread_cond_broadcast(&sh->cond);
	pthread_mutex_unlock(&sh->lock);
	pthread_join(sh->thread, NULL);
	while (sh->count > 0) {
		buf_free(&sh->q[sh->head].rows);
		buf_free(&sh->q[sh->head].ids);
		sh->head = (sh->head + 1) % SHIP_QUEUE;
		sh->count--;
	}
	*shipped = sh->sent;
	*left = store_count(st) - sh->sent;
	*cause = sh->cause;
	ok = sh->cause == NULL;
	buf_free(&sh->cur.rows);
	buf_free(&sh->cur.ids);
	free(sh->shipped);
	free(sh->sql);
	free(sh->where);
	free(sh->sensor);
	free(sh->run);
	pthread_mutex_destroy(&sh->lock);
	pthread_cond_destroy(&sh->cond);
	free(sh);
	return (ok);
}

/* Ship every session of the store, then wait for the last batch. */
bool
fleet_ship(const struct fleet_url *u, const struct store *st,
    const struct capture *c, const char *sensor, const char *run,
    uint64_t *shipped, char **cause)
{
	struct fleet_ship	*sh;
	uint64_t		 left;

	*shipped = 0;
	if ((sh = fleet_ship_start(u, sensor, run, NULL, cause)) == NULL)
		return (false);
	return (fleet_ship_end(sh, st, c, shipped, &left, cause));
}
