/*
 * view.c - requests, cursors and answers of any store, and batch's
 * --values and --sessions asked through them.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/util.h"
#include "view/view.h"

/* Sessions a page of --sessions holds. */
#define VIEW_PAGE	4096

/* Free the store's side of a view. */
void
view_free(struct view *v)
{
	if (v->ops != NULL && v->ops->free != NULL)
		v->ops->free(v->impl);
	v->ops = NULL;
	v->impl = NULL;
}

/* A request for q with no deadline. */
void
view_req_init(struct view_req *r, const struct query *q)
{
	r->q = q;
	r->deadline = 0;
	atomic_init(&r->cancel, false);
	r->poll = NULL;
	r->arg = NULL;
}

/* Whether a request is past its deadline or cancelled. */
bool
view_req_stop(struct view_req *r)
{
	if (atomic_load_explicit(&r->cancel, memory_order_relaxed))
		return (true);
	if (r->poll != NULL && r->poll(r->arg)) {
		atomic_store(&r->cancel, true);
		return (true);
	}
	return (r->deadline != 0 && clock_ns(CLOCK_MONOTONIC) > r->deadline);
}

void
view_cursor_free(struct view_cursor *c)
{
	free(c->sensor);
	free(c->run);
	memset(c, 0, sizeof *c);
}

void
view_counts_free(struct view *v, struct view_counts *c)
{
	free(c->v);
	if (c->own != NULL)
		v->ops->release(v->impl, c->own);
	memset(c, 0, sizeof *c);
}

void
view_page_free(struct view *v, struct view_page *p)
{
	view_cursor_free(&p->next);
	if (p->own != NULL)
		v->ops->release(v->impl, p->own);
	memset(p, 0, sizeof *p);
}

/* --values: every value of key over the sessions of q, printed. */
bool
view_values(FILE *out, struct view *v, int key, enum vsort sort,
    const struct query *q, char **cause)
{
	struct view_req		 r;
	struct view_counts	 c;
	bool			 ok;

	view_req_init(&r, q);
	memset(&c, 0, sizeof c);
	*cause = NULL;
	if (!v->ops->counts(v->impl, &r, key, sort, 0, &c, cause))
		return (false);
	ok = batch_counts(out, c.v, c.n, sort);	/* frees c.v */
	c.v = NULL;
	view_counts_free(v, &c);
	return (ok);
}

/* --histogram: the sessions of q over time, printed. */
bool
view_histogram(FILE *out, struct view *v, uint64_t bucket,
    const struct query *q, char **cause)
{
	struct view_req		 r;
	struct store_hist	 h;
	bool			 ok;

	view_req_init(&r, q);
	*cause = NULL;
	if (v->ops->histogram == NULL) {
		xasprintf(cause, "the %s store has no histogram", v->ops->name);
		return (false);
	}
	if (!v->ops->histogram(v->impl, &r, bucket, 0, &h, cause))
		return (false);
	ok = batch_hist_lines(out, &h);
	free(h.count);
	return (ok);
}

/* --sessions: the sessions of q, page by page, in the order asked. */
bool
view_sessions(FILE *out, struct view *v, enum view_order order,
    const struct batch_fields *f, enum batch_format fmt, bool header,
    const struct query *q, char **cause)
{
	struct view_req		 r;
	struct view_page	 p;
	struct view_cursor	 at;
	bool			 ok = true, more = true;

	view_req_init(&r, q);
	memset(&at, 0, sizeof at);
	*cause = NULL;
	while (ok && more) {
		memset(&p, 0, sizeof p);
		if (!v->ops->page(v->impl, &r, order, &at, VIEW_PAGE, &p,
		    cause)) {
			ok = false;
			break;
		}
		ok = batch_reader_lines(out, p.r, f, fmt, header, p.items,
		    p.n);
		header = false;
		more = p.more;
		view_cursor_free(&at);
		at = p.next;
		memset(&p.next, 0, sizeof p.next);
		view_page_free(v, &p);
	}
	view_cursor_free(&at);
	return (ok);
}
