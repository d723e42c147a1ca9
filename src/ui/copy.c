/*
 * copy.c - y copies to the clipboard over any terminal, SSH included, by
 * writing OSC 52 (ESC ] 52 ; c ; BASE64 BEL) to it: in Navigate the value
 * (or key) under the cursor, in Events the chosen cell's values or else
 * the session's meta, in the Session view the session's meta (head at the
 * top) or the packets shown from the top.  What is copied is the escaped
 * text the screen shows, never a raw byte of a packet; console.osc52 = 0
 * turns copying off.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/ui-int.h"

#define COPY_MAX	(64 * 1024)	/* bytes of text copied at most */

/* Append base64 (RFC 4648, padded) of n bytes. */
static void
copy_base64(struct buf *b, const uint8_t *p, size_t n)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
	    "vwxyz0123456789+/";
	uint32_t	 w;
	size_t		 i;

	for (i = 0; i < n; i += 3) {
		w = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			w |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			w |= p[i + 2];
		buf_addc(b, al[w >> 18 & 63]);
		buf_addc(b, al[w >> 12 & 63]);
		buf_addc(b, i + 1 < n ? al[w >> 6 & 63] : '=');
		buf_addc(b, i + 2 < n ? al[w & 63] : '=');
	}
}

/* Session id's values of key, escaped, joined by ", "; false: none. */
static bool
copy_values(struct ui *u, struct buf *b, uint64_t id, int key)
{
	struct mval	 small[32], *v;
	size_t		 n, i;

	if ((n = pivot_values(u, id, key, small, nitems(small), &v)) == 0)
		return (false);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_adds(b, ", ");
		mval_format(b, &v[i]);
	}
	if (v != small)
		free(v);
	return (true);
}

/* A session's meta as the Session view lists it: "key  values" lines. */
static void
copy_meta(struct ui *u, struct buf *b, uint64_t id)
{
	size_t	 at;
	int	 k;

	for (k = 0; k < meta_nkeys(); k++) {
		at = b->len;
		buf_printf(b, "%-20s ", meta_key(k)->name);
		if (!copy_values(u, b, id, k)) {
			b->len = at;
			b->s[at] = '\0';
			continue;
		}
		buf_addc(b, '\n');
	}
}

/* Navigate: the value under the cursor, or the key on its header. */
static bool
copy_nav(struct ui *u, struct buf *b, struct buf *what)
{
	const struct nav	*n = &u->nav;
	const struct nav_row	*r;
	const struct nav_key	*k;

	if (n->cur >= n->nrows)
		return (false);
	r = &n->rows[n->cur];
	k = &n->keys[r->k];
	if (r->v == NAV_HEADER) {
		buf_adds(b, meta_key(k->key)->name);
		buf_adds(what, "the key's name");
		return (true);
	}
	if (r->v == NAV_MORE || k->hist)
		return (false);
	mval_format(b, &k->v[r->v].v);
	buf_printf(what, "a value of %s", meta_key(k->key)->name);
	return (true);
}

/* Events: the chosen cell's values, else the session's meta. */
static bool
copy_events(struct ui *u, struct buf *b, struct buf *what)
{
	uint64_t	 id;
	int		 key;

	if (!events_selected(u, &id, &key))
		return (false);
	if (key >= 0 && copy_values(u, b, id, key)) {
		buf_printf(what, "%s of session %llu", meta_key(key)->name,
		    (unsigned long long)id);
		return (true);
	}
	copy_meta(u, b, id);
	buf_printf(what, "the meta of session %llu", (unsigned long long)id);
	return (true);
}

/* Session: the packets shown from the top, or the meta at the head. */
static bool
copy_session(struct ui *u, struct buf *b, struct buf *what)
{
	size_t	 n;

	if (u->sv.n == 0)
		return (false);
	if ((n = spane_copy_packets(u, b, LINES > 8 ? (size_t)LINES - 6 :
	    1)) > 0) {
		buf_printf(what, "%zu packet%s of session %llu as shown", n,
		    n == 1 ? "" : "s", (unsigned long long)u->sv.id);
		return (true);
	}
	copy_meta(u, b, u->sv.id);
	buf_printf(what, "the meta of session %llu",
	    (unsigned long long)u->sv.id);
	return (true);
}

/* Write all of s to the terminal the console draws on; false with errno. */
static bool
copy_write(struct ui *u, const char *s, size_t n)
{
	FILE	*f = isatty(STDOUT_FILENO) || u->tty == NULL ? stdout : u->tty;
	ssize_t	 w;
	int	 fd;

	if (fflush(f) != 0)
		return (false);
	fd = fileno(f);
	while (n > 0) {
		if ((w = write(fd, s, n)) < 0) {
			if (errno == EINTR)
				continue;
			return (false);
		}
		s += w;
		n -= (size_t)w;
	}
	return (true);
}

/* Send text (escaped already) to the clipboard and say what was copied. */
static void
copy_send(struct ui *u, const struct buf *text, const char *what)
{
	struct buf	 seq;
	size_t		 n = text->len;
	bool		 cut = n > COPY_MAX;

	if (cut)
		n = COPY_MAX;
	buf_init(&seq);
	buf_adds(&seq, "\033]52;c;");
	copy_base64(&seq, (const uint8_t *)text->s, n);
	buf_addc(&seq, '\a');
	if (!copy_write(u, seq.s, seq.len))
		ui_message(u, ROLE_WARNING, "copy: the terminal: %s",
		    strerror(errno));
	else
		ui_message(u, ROLE_NORMAL, "copied %s (%zu bytes%s) with OSC 52",
		    what, n, cut ? ", cut" : "");
	buf_free(&seq);
}

/* y: copy what is under the cursor of the pane to the clipboard. */
void
copy_key(struct ui *u)
{
	struct buf	 b, what;
	bool		 ok = false;

	if (!u->opt->cfg->console_osc52) {
		ui_message(u, ROLE_NORMAL, "copying is off (console.osc52 = 0)");
		return;
	}
	buf_init(&b);
	buf_init(&what);
	if (u->pane == PANE_NAV)
		ok = copy_nav(u, &b, &what);
	else if (u->pane == PANE_EVENTS)
		ok = copy_events(u, &b, &what);
	else if (u->pane == PANE_SESSION)
		ok = copy_session(u, &b, &what);
	while (ok && b.len > 0 && b.s[b.len - 1] == '\n')
		b.s[--b.len] = '\0';
	if (!ok || b.len == 0)
		ui_message(u, ROLE_NORMAL, "nothing to copy here");
	else
		copy_send(u, &b, what.s);
	buf_free(&b);
	buf_free(&what);
}
