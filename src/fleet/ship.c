/* ship.c - the bounded queue of batches and the thread that inserts them. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fleet/fleet.h"

#define SHIP_BATCH	5000	/* sessions a batch */
#define SHIP_QUEUE	4	/* batches waiting at most */
#define SHIP_TRIES	4	/* sends of one batch before giving up */

/* The queue between the reader of the store and the sender. */
struct ship {
	const struct fleet_url	*u;
	char			*sql;	/* the INSERT statement */
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct buf		 q[SHIP_QUEUE];
	size_t			 head, count;
	bool			 done;	/* no more batches come */
	char			*cause;	/* the sender failed: why */
	uint64_t		 sent;	/* batches inserted */
};

/* Send one batch, again after a pause while it fails (a retry may write
 * rows that are in already: the table keeps one, FINAL reads one). */
static bool
ship_send(struct ship *sh, const struct buf *b, char **cause)
{
	struct timespec	 ts = { 0, 200 * 1000 * 1000 };
	int		 i;

	for (i = 0; i < SHIP_TRIES; i++) {
		free(*cause);
		*cause = NULL;
		if (fleet_http(sh->u, sh->sql, b->s, b->len, NULL, cause))
			return (true);
		nanosleep(&ts, NULL);
		ts.tv_nsec *= 2;
	}
	return (false);
}

/* The sender thread: take batches in order until done or a failure. */
static void *
ship_main(void *arg)
{
	struct ship	*sh = arg;
	struct buf	 b;
	char		*cause = NULL;
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
		buf_free(&sh->q[sh->head]);
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
ship_put(struct ship *sh, struct buf *b)
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
		buf_free(b);
	pthread_mutex_unlock(&sh->lock);
	buf_init(b);
	return (ok);
}

/* Walk the store in sessionid order, a batch at a time. */
static bool
ship_walk(struct ship *sh, const struct store *st, const struct capture *c,
    const char *sensor, const char *run, uint64_t *shipped)
{
	struct buf	 b;
	uint64_t	 id, end = store_end(st);
	size_t		 rows = 0;

	buf_init(&b);
	for (id = 1; id < end; id++) {
		if (!store_has(st, id))
			continue;
		fleet_row(&b, st, c, id, sensor, run);
		(*shipped)++;
		if (++rows == SHIP_BATCH) {
			rows = 0;
			if (!ship_put(sh, &b))
				return (false);
		}
	}
	if (rows > 0)
		return (ship_put(sh, &b));
	buf_free(&b);
	return (true);
}

/* Ship every session of the store, then wait for the last batch. */
bool
fleet_ship(const struct fleet_url *u, const struct store *st,
    const struct capture *c, const char *sensor, const char *run,
    uint64_t *shipped, char **cause)
{
	struct ship	 sh;
	pthread_t	 t;

	memset(&sh, 0, sizeof sh);
	sh.u = u;
	xasprintf(&sh.sql, "INSERT INTO %s.sessions FORMAT JSONEachRow", u->db);
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
		buf_free(&sh.q[sh.head]);
		sh.head = (sh.head + 1) % SHIP_QUEUE;
		sh.count--;
	}
	free(sh.sql);
	pthread_mutex_destroy(&sh.lock);
	pthread_cond_destroy(&sh.cond);
	*cause = sh.cause;
	return (sh.cause == NULL);
}
