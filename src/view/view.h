/*
 * view.h - the questions asked of a store of sessions, and the stores that
 * answer them.  A store is an ops table shaped around queries, not around
 * arrays of session ids (a million ids cannot cross a network): counts of
 * a key's values over the sessions a query selects, and a page of those
 * sessions after a cursor.  The in-memory store (mem.c) and the fleet's
 * ClickHouse (fleet/read.c) are its two implementations; batch's --values
 * and --sessions ask through it, whichever store answers.  The console
 * asks its drill path's questions of a selection (struct view_sel) that
 * follows the in-memory store as it grows.  One session, its meta and
 * packets, is asked through session.h.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef HUNTCON_VIEW_H
#define HUNTCON_VIEW_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "batch/batch.h"
#include "meta/meta.h"
#include "query/query.h"
#include "store/store.h"

/*
 * The order of a page.  Every store orders by (time, sensor, run,
 * sessionid); the in-memory store also by sessionid alone (its sessions
 * are one sensor's, numbered as they closed: batch's own order).
 */
enum view_order { VIEW_BY_TIME, VIEW_BY_ID };

/* Where the next page starts: after this session (set false: at the
 * first).  sensor and run are the store's own text (empty in memory). */
struct view_cursor {
	bool		 set;
	uint64_t	 time;		/* the session's start, ns */
	char		*sensor;
	char		*run;
	uint64_t	 id;		/* sessionid */
};

/* One session, wherever it is stored: its sessionid and, over a fleet,
 * the sensor and run that numbered it (NULL in memory: one sensor). */
struct view_ref {
	uint64_t	 id;
	const char	*sensor;
	const char	*run;
};

/*
 * One request: its query (NULL: every session), when it gives up, and a
 * flag another thread sets to cancel it.  A store checks both between
 * steps; an answer cut short says so (complete false), never silently.
 */
struct view_req {
	const struct query	*q;
	uint64_t		 deadline;	/* CLOCK_MONOTONIC ns; 0: none */
	atomic_bool		 cancel;
	/* Asked now and then while a store works (NULL: not); true
	 * cancels, so the client may read its keys meanwhile. */
	bool			(*poll)(void *);
	void			*arg;
};

/* The counts of one key, sorted as asked; own belongs to the store. */
struct view_counts {
	struct vcount	*v;
	size_t		 n;
	size_t		 total;		/* distinct values */
	bool		 complete;
	void		*own;
};

/* A page of sessions: items[0..n-1] (NULL: 0..n-1) read through r;
 * next is the cursor after the last; more when sessions remain. */
struct view_page {
	const struct meta_reader *r;
	const uint32_t	*items;
	const struct view_ref *refs;	/* each one's (NULL: in memory) */
	size_t		 n;
	bool		 more;
	struct view_cursor next;
	void		*own;
};

struct view_session;
struct view_packet;

struct store_ops {
	const char	*name;
	/* The values of key over the request's sessions, first top (0: all). */
	bool	(*counts)(void *, struct view_req *, int key, enum vsort,
		    size_t top, struct view_counts *, char **cause);
	/* How many sessions the request selects. */
	bool	(*size)(void *, struct view_req *, uint64_t *,
		    char **cause);
	/* Up to limit sessions after the cursor, in the order asked. */
	bool	(*page)(void *, struct view_req *, enum view_order,
		    const struct view_cursor *, size_t limit,
		    struct view_page *, char **cause);
	/* One session's meta, fragments and packet count (session.h);
	 * NULL: the store gives none. */
	bool	(*session)(void *, const struct view_ref *,
		    struct view_session *, char **cause);
	/* Packets of a session it gave, to the function in order. */
	bool	(*packets)(void *, struct view_session *, size_t from,
		    size_t n, int flags,
		    bool (*)(const struct view_packet *, void *), void *,
		    char **cause);
	/* Free what a session's own holds. */
	void	(*session_free)(void *, struct view_session *);
	/* The request's sessions over time, as store_histogram counts them
	 * (bucket 0: one giving at most max buckets). */
	bool	(*histogram)(void *, struct view_req *, uint64_t bucket,
		    size_t max, struct store_hist *, char **cause);
	/* Write the packets of the sessions the request selects to a pcap
	 * at path (force: over a file there), *packets how many; NULL: the
	 * store has none here (the in-memory store's is export/'s). */
	bool	(*export)(void *, struct view_req *, const char *path,
		    bool force, uint64_t *packets, char **cause);
	/* Free what an answer's own holds. */
	void	(*release)(void *, void *own);
	/* Free the store's side of the view. */
	void	(*free)(void *);
};

struct view {
	const struct store_ops	*ops;
	void			*impl;
};

/* A view over the in-memory store (it stays the caller's). */
void	 view_mem(struct view *, const struct store *);
void	 view_free(struct view *);

/* A request for q with no deadline. */
void	 view_req_init(struct view_req *, const struct query *);
/* Whether a request is past its deadline or cancelled. */
bool	 view_req_stop(struct view_req *);

void	 view_cursor_free(struct view_cursor *);
void	 view_counts_free(struct view *, struct view_counts *);
void	 view_page_free(struct view *, struct view_page *);

/* --values: every value of key over the sessions of q, printed. */
bool	 view_values(FILE *, struct view *, int key, enum vsort,
	    const struct query *, char **cause);
/* --sessions: the sessions of q, page by page, in the order asked. */
/* --histogram: the sessions of q over time in buckets of bucket ns. */
bool	 view_histogram(FILE *, struct view *, uint64_t bucket,
	    const struct query *, char **cause);
bool	 view_sessions(FILE *, struct view *, enum view_order,
	    const struct batch_fields *, enum batch_format, bool header,
	    const struct query *, char **cause);

/*
 * The selection of an in-memory store that grows (the console's drill
 * path, select.c): the sessions q matches, as a bit per sessionid checked
 * (seen) and matching (match) while sessions are being stored, and once
 * the store's index may be read, also as ascending ids (indexed).  Every
 * function runs on one thread, the one that may read the index when the
 * source says so (struct view_src); gen is the client's, bumped when the
 * set changes.  A selection over a store is not moved once it is listed
 * (its page's reader points back to it).
 */
struct view_sel {
	const struct store *st;
	struct query	*q;
	uint64_t	*seen, *match;
	uint64_t	 cap;		/* bits allocated */
	uint64_t	 nmatch;
	uint64_t	 gen;
	bool		 indexed;
	uint32_t	*ids;		/* indexed: the matching ids */
	size_t		 nids;
	uint64_t	 warned;	/* the client's: give-ups last said */
	uint64_t	 stored;	/* store_count() at the last look */
	uint64_t	 dropped;	/* store_dropped() at the last look */
	/*
	 * Over a store (remote, view_sel_remote): nothing is scanned; the
	 * path's size, counts and a page of its sessions are asked of the
	 * store.  partial when an answer for the path was not complete,
	 * failed (why) once one failed; never a silent half count.
	 */
	struct view	*remote;
	struct view_page *pages;	/* its sessions by time, so far */
	size_t		 npages;
	size_t		 nlisted;	/* positions over those pages */
	size_t		 pagesize;	/* sessions a page (0: 1,000) */
	bool		 paged;		/* the first page was asked */
	struct meta_reader pr;		/* the pages', item a position */
	uint64_t	 all;		/* sessions in the store */
	bool		 partial;
	char		*failed;
	uint64_t	 timeout;	/* an answer's deadline, ns (0: none) */
	bool		(*wait)(void *); /* polled meanwhile; true cancels */
	void		*warg;
};

/*
 * Where a selection's sessions come from, for one view_sel_fill: loaded
 * once every session is stored; live while a capture stores more; held
 * while its ingest is paused (the index may be read then, as once
 * loaded).  poll is called now and then with how far the work is; true
 * from it cancels.
 */
struct view_src {
	bool		 loaded;	/* the capture is read (now) */
	bool		 live;
	bool		 held;
	bool		(*poll)(void *, uint64_t done, uint64_t total);
	void		*arg;
};

/* The columns a selection's list is ordered by. */
enum view_col { VIEW_COL_TIME, VIEW_COL_SIZE, VIEW_COL_PACKETS,
    VIEW_COL_SERVICE, VIEW_COL_PROTO };

/* An empty selection of a store for q (taken); one for q that asks what
 * another asks (store, remote store, wait); free it, what it asks stays;
 * over a store's view instead (asked, not scanned). */
void	 view_sel_init(struct view_sel *, const struct store *,
	    struct query *);
void	 view_sel_again(struct view_sel *, const struct view_sel *,
	    struct query *);
void	 view_sel_free(struct view_sel *);
void	 view_sel_remote(struct view_sel *, struct view *);
/* How long a store's answer may take (ns, 0: no limit), and the client's
 * poll while it works (true cancels: Esc). */
void	 view_sel_wait(struct view_sel *, uint64_t timeout,
	    bool (*)(void *), void *);
/* Bring it up to date (fresh: a new one); false when the poll cancels. */
bool	 view_sel_fill(struct view_sel *, const struct view_src *,
	    bool fresh, bool *changed);
/* Whether an indexed one has nothing new to look at. */
bool	 view_sel_current(const struct view_sel *);
bool	 view_sel_has(const struct view_sel *, uint64_t);
/* The values of key over it, the first *top (0: all; set to 0 when every
 * value was kept), and how many distinct; over every session stored. */
size_t	 view_sel_count(struct view_sel *, int key, enum vsort,
	    size_t *top, struct vcount **, size_t *total);
size_t	 view_sel_count_all(struct view_sel *, int key, enum vsort,
	    struct vcount **);
/* Its sessions over time (false, *cause maybe NULL, when it cannot). */
bool	 view_sel_histogram(struct view_sel *, size_t max,
	    struct store_hist *, char **cause);
/* Index keys over at most limit more sessions; true once done. */
bool	 view_sel_warm(const struct view_sel *, const int *, size_t,
	    size_t limit);
/* Its ids ordered by a column (over a store, a page's positions). */
size_t	 view_sel_list(struct view_sel *, enum view_col, bool rev,
	    uint64_t **);
/* Over a store: read the next page after those listed; true if any. */
bool	 view_sel_more(struct view_sel *);
/* A listed session's measures, its meta, its number as shown, and
 * where it is stored (for the Session pane). */
const struct session *view_sel_get(const struct view_sel *, uint64_t,
	    struct session *);
const struct meta_reader *view_sel_reader(const struct view_sel *);
uint64_t view_sel_number(const struct view_sel *, uint64_t);
bool	 view_sel_ref(const struct view_sel *, uint64_t, struct view_ref *);
/* The context of stored sessions; whether an open one matches. */
const struct session_ctx *view_sel_ctx(const struct view_sel *);
bool	 view_sel_match(const struct view_sel *, const struct meta_reader *,
	    uint64_t item);
/* Sessions stored in all (over a store, the store's). */
uint64_t view_sel_stored(const struct view_sel *);

#endif
