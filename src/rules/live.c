/* live.c - correlation rules on a live capture: wall clock, sliding windows. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rules/rules-int.h"
#include "store/store.h"

/* Sessions kept for the windows at most; the oldest leave first. */
#define LIVE_KEEP	1000000
/* Wall time between two judgements at least, nanoseconds; and at least
 * this many times what the last one took, so that judging takes a tenth
 * of the engine's thread at most. */
#define LIVE_EVERY	1000000000ULL
#define LIVE_SHARE	10
/* How long after its start a session may still come to be stored (split
 * time and idle timeout by default: two minutes), nanoseconds. */
#define LIVE_LATE	300000000000ULL
/* On the packet clock (a file read with retention), a judgement every 30 s
 * of packet time: a tenth of LIVE_LATE, so each session is judged about
 * ten times while it may still gain a value, and the answer does not
 * depend on how fast the machine judged. */
#define LIVE_PACKET_EVERY	(LIVE_LATE / 10)

/*
 * The sessions stored while the capture runs, in the order they were
 * stored (a ring), as long as the longest window of a rule may still want
 * them.  Every judgement runs each correlation rule, in order, over the
 * sessions that started within its window and LIVE_LATE before now,
 * newest first: a group's window ends at its newest session and reaches
 * back one window's length, so the windows slide as sessions come (and
 * older sessions fill windows of their own behind it).  A later rule sees
 * what an earlier one wrote.
 */
struct corr_live {
	const struct ruleset	*rs;
	struct store		*st;
	struct corr_cand	*ring;
	size_t			 cap, head, n;
	uint64_t		 window;	/* longest, nanoseconds */
	uint64_t		 now;		/* wall time of the last tick */
	uint64_t		 judged;	/* wall time of the last judgement */
	uint64_t		 pause;		/* before the next one */
	bool			 fresh;		/* sessions since it */
	uint64_t		 dropped;	/* left the ring at its cap */
	bool			 packets;	/* on the packet clock */
	struct corr_report	*rep;		/* every judgement's groups, when
						   kept (rules_live_report) */
	uint64_t		 gained;
};

/* Live correlation for a ruleset over a store (NULL without a
 * correlation rule); keep is the ring's size (0: the default). */
struct corr_live *
rules_live_new(const struct ruleset *rs, struct store *st, size_t keep)
{
	struct corr_live	*l;
	size_t			 k;
	uint64_t		 w;

	if (rs == NULL || rs->ncorr == 0)
		return (NULL);
	l = xcalloc(1, sizeof *l);
	l->rs = rs;
	l->st = st;
	l->cap = keep > 0 ? keep : LIVE_KEEP;
	l->pause = LIVE_EVERY;
	l->ring = xreallocarray(NULL, l->cap, sizeof *l->ring);
	for (k = 0; k < rs->ncorr; k++) {
		w = rs->rules[rs->corr[k]].corr->window;
		if (w > l->window)
			l->window = w;
	}
	return (l);
}

/* A session was stored (its start t, ns): it joins the windows (the
 * oldest kept leaves at the cap, counted). */
void
rules_live_add(struct corr_live *l, uint64_t id, uint64_t t)
{
	struct corr_cand	*c;

	if (l == NULL)
		return;
	if (l->n == l->cap) {
		l->head = (l->head + 1) % l->cap;
		l->n--;
		l->dropped++;
	}
	c = &l->ring[(l->head + l->n++) % l->cap];
	c->id = id;
	c->t = t;
	l->fresh = true;
}

/* Forget the sessions that started before every window. */
static void
live_expire(struct corr_live *l)
{
	uint64_t	 back = l->window + LIVE_LATE;
	uint64_t	 since = l->now > back ? l->now - back : 0;

	while (l->n > 0 && l->ring[l->head].t < since) {
		l->head = (l->head + 1) % l->cap;
		l->n--;
	}
}

/* Judge every correlation rule over its window before now. */
static void
live_judge(struct corr_live *l, FILE *warn, struct corr_report *rep)
{
	const struct corr_cand	*c;
	struct corr_cand	*flat;
	size_t			 k, i;
	uint64_t		 w, t0 = clock_ns(CLOCK_MONOTONIC), took;

	flat = xreallocarray(NULL, l->n + 1, sizeof *flat);
	for (i = 0; i < l->n; i++)
		flat[i] = l->ring[(l->head + i) % l->cap];
	c = flat;
	for (k = 0; k < l->rs->ncorr; k++) {
		w = l->rs->rules[l->rs->corr[k]].corr->window + LIVE_LATE;
		l->gained += corr_judge(l->rs, l->rs->corr[k], l->st, c, l->n,
		    l->now > w ? l->now - w : 0, warn, rep != NULL ? rep :
		    l->rep);
	}
	free(flat);
	if (rep == NULL && l->rep != NULL)
		report_finish(l->rep);	/* a session keeps its last group */
	took = clock_ns(CLOCK_MONOTONIC) - t0;
	l->pause = l->packets ? LIVE_PACKET_EVERY : took * LIVE_SHARE >
	    LIVE_EVERY ? took * LIVE_SHARE : LIVE_EVERY;
	l->judged = l->now;
	l->fresh = false;
}

/* The wall clock (ns): windows slide; at most once a second, when
 * sessions came, the rules judge them again. */
void
rules_live_tick(struct corr_live *l, uint64_t now)
{
	if (l == NULL || now < l->now)
		return;
	l->now = now;
	live_expire(l);
	if (l->fresh && now >= l->judged + l->pause)
		live_judge(l, NULL, NULL);
}

/* Keep the groups of every judgement, not only the last one's, for
 * --groups: a session flagged early in a capture is listed too. */
void
rules_live_report(struct corr_live *l)
{
	if (l != NULL && l->rep == NULL)
		l->rep = report_new();
}

/*
 * Judge on the packet clock instead: a file read with retention, whose
 * sessions must be judged before they leave the store.
 */
void
rules_live_on_packets(struct corr_live *l)
{
	if (l == NULL)
		return;
	l->packets = true;
	l->pause = LIVE_PACKET_EVERY;
}

/* A session was stored at packet time now: on the packet clock, the
 * windows slide to it (and a judgement comes when it is due). */
void
rules_live_packet(struct corr_live *l, uint64_t now)
{
	if (l != NULL && l->packets)
		rules_live_tick(l, now);
}

/*
 * The capture ended at the wall time now: a last judgement (its warnings
 * to warn, its passing groups to *rep when rep is not NULL), and the index
 * rebuilt when a session gained a value.  Returns how many did in all.
 */
uint64_t
rules_live_finish(struct corr_live *l, uint64_t now, FILE *warn,
    struct corr_report **rep)
{
	struct corr_report	*r;

	if (l == NULL)
		return (0);
	r = rep == NULL ? NULL : l->rep != NULL ? l->rep : report_new();
	l->rep = NULL;
	if (now > l->now)
		l->now = now;
	live_expire(l);
	live_judge(l, warn, r);
	if (rep != NULL) {
		report_finish(r);
		*rep = r;
	}
	if (warn != NULL && l->dropped > 0)
		fprintf(warn, "huntcon: live correlation: %llu sessions left "
		    "the windows early (at most %zu kept)\n",
		    (unsigned long long)l->dropped, l->cap);
	if (l->gained > 0)
		store_reindex(l->st);
	return (l->gained);
}

/* How long after it starts a session may still gain a value (0: NULL). */
uint64_t
rules_live_horizon(const struct corr_live *l)
{
	/* A judgement comes at most once a second: one more second. */
	return (l == NULL ? 0 : l->window + LIVE_LATE + 1000000000ULL);
}

/* Free live correlation (NULL is ignored). */
void
rules_live_free(struct corr_live *l)
{
	if (l == NULL)
		return;
	rules_report_free(l->rep);
	free(l->ring);
	free(l);
}
