/* draw.c - safe text output and the frame of the screen: title, breadcrumb,
 * message or progress line, status line, "terminal too small". */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "ui/ui-int.h"

/* The full layout from 80x24, a compact one down to 40x12. */
#define UI_FULL_COLS	80
#define UI_FULL_ROWS	24
#define UI_MIN_COLS	40
#define UI_MIN_ROWS	12
/* Lines a message may wrap to (in the compact layout: two). */
#define UI_MSG_LINES	3

static bool	draw_ascii;

/* Remember whether the terminal takes UTF-8. */
void
draw_init(bool ascii)
{
	draw_ascii = ascii;
}

/*
 * Decode the next printable character of s: returns its byte length and
 * sets *wc (a replacement '?' for anything a terminal could interpret or
 * that SPEC §6 hides) and *cw (its width).
 */
static size_t
draw_next(const char *s, size_t n, wchar_t *wc, int *cw)
{
	mbstate_t	 ps;
	size_t		 len;
	unsigned char	 c = (unsigned char)*s;

	if (c < 0x80) {
		*wc = (c < 0x20 || c == 0x7f) ? L'?' : (wchar_t)c;
		*cw = 1;
		return (1);
	}
	memset(&ps, 0, sizeof ps);
	len = draw_ascii ? (size_t)-1 : mbrtowc(wc, s, n, &ps);
	if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
		*wc = L'?';
		*cw = 1;
		return (1);
	}
	*cw = wcwidth(*wc);
	if (*cw < 0 || iswcntrl((wint_t)*wc) ||
	    utf8_hidden((const unsigned char *)s, len)) {
		*wc = L'?';
		*cw = 1;
	}
	return (len);
}

/* Display width of the first n bytes of already-escaped text. */
int
draw_width(const char *s, size_t n)
{
	wchar_t	 wc;
	int	 w = 0, cw;
	size_t	 i;

	for (i = 0; i < n && s[i] != '\0'; w += cw)
		i += draw_next(s + i, n - i, &wc, &cw);
	return (w);
}

/* Bytes of the longest start of s[0..n) (escaped text) at most w columns
 * wide, never splitting a character. */
size_t
draw_fit(const char *s, size_t n, int w)
{
	wchar_t	 wc;
	int	 used = 0, cw;
	size_t	 i = 0, len;

	while (i < n && s[i] != '\0') {
		len = draw_next(s + i, n - i, &wc, &cw);
		if (used + cw > w)
			break;
		used += cw;
		i += len;
	}
	return (i);
}

/*
 * Draw text (already escaped) at y, x, clipped to w columns.  No byte below
 * 0x20, no 0x7f and no non-printable character reaches curses.
 */
void
draw_text(int y, int x, int w, enum ui_role role, const char *s)
{
	wchar_t	 out[512], wc;
	size_t	 i = 0, n = strlen(s), k = 0;
	int	 used = 0, cw;

	while (i < n && k < nitems(out) - 1) {
		size_t len = draw_next(s + i, n - i, &wc, &cw);
		if (used + cw > w)
			break;
		out[k++] = wc;
		used += cw;
		i += len;
	}
	out[k] = L'\0';
	attrset(theme_attr(role));
	mvaddnwstr(y, x, out, (int)k);
	attrset(A_NORMAL);
}

/* Draw raw bytes (from a packet) escaped as SPEC §6 says. */
void
draw_esc(int y, int x, int w, enum ui_role role, const void *p, size_t n)
{
	struct buf	 b;

	buf_init(&b);
	esc_text(&b, p, n);
	draw_text(y, x, w, role, b.s);
	buf_free(&b);
}

/* Whether the screen is narrower than the full layout's 80 columns. */
bool
draw_compact(void)
{
	return (COLS < UI_FULL_COLS);
}

/* Bytes of s (n long) that fill at most w columns, ending at a blank when
 * a word fits; a word wider than the line is cut (one character at
 * least). */
static size_t
draw_fit_words(const char *s, size_t n, int w)
{
	size_t	 end = 0, next;

	if (w < 1)
		return (0);
	for (;;) {
		next = end;
		while (next < n && s[next] == ' ')
			next++;
		while (next < n && s[next] != ' ')
			next++;
		if (draw_width(s, next) > w)
			break;
		end = next;
		if (end >= n)
			return (end);
	}
	if (end > 0)
		return (end);
	end = draw_fit(s, n, w);
	return (end > 0 ? end : draw_fit(s, n, 2));
}

/*
 * Wrap s at blanks into a first line of w0 columns and lines of w after
 * it (their leading blanks dropped): the span of line part in
 * [*off, *off + *len), line max - 1 taking the rest; false when there is
 * no such line.
 */
bool
draw_wrap(const char *s, int w0, int w, unsigned int part, unsigned int max,
    size_t *off, size_t *len)
{
	size_t		 pos = 0, n = strlen(s), end;
	unsigned int	 i;

	for (i = 0;; i++) {
		while (i > 0 && pos < n && s[pos] == ' ')
			pos++;
		if (pos >= n)
			return (false);
		end = pos + draw_fit_words(s + pos, n - pos, i == 0 ? w0 :
		    w < 1 ? 1 : w);
		if (i == part || i + 1 == max) {
			*off = pos;
			*len = i + 1 == max ? n - pos : end - pos;
			return (i == part);
		}
		pos = end;
	}
}

/* The lines s wraps to from column x, its next lines at column indent,
 * at most max (at least 1). */
int
draw_wrap_lines(int x, int indent, int max, const char *s)
{
	size_t	 off, len;
	int	 i;

	for (i = 0; i < max && draw_wrap(s, COLS - x, COLS - indent,
	    (unsigned int)i, (unsigned int)max, &off, &len); i++)
		;
	return (i > 0 ? i : 1);
}

/*
 * Draw s wrapped from column x, its next lines at column indent, in at
 * most max lines: lines from on of them (the ones before scrolled off), in
 * rows lines from y.  Returns the lines taken (an empty text takes one).
 */
int
draw_text_wrap_from(int y, int x, int indent, int from, int rows, int max,
    enum ui_role role, const char *s)
{
	size_t	 off, len;
	char	*line;
	int	 i;

	for (i = from; i < max && i - from < rows && draw_wrap(s, COLS - x,
	    COLS - indent, (unsigned int)i, (unsigned int)max, &off, &len);
	    i++) {
		line = xmalloc(len + 1);
		memcpy(line, s + off, len);
		line[len] = '\0';
		draw_text(y + i - from, i == 0 ? x : indent, COLS - (i == 0 ?
		    x : indent), role, line);
		free(line);
	}
	return (i == 0 && rows > 0 ? 1 : i - from);
}

/* Draw s wrapped from (y, x), its next lines at column indent, in at most
 * max lines; returns the lines drawn (at least 1). */
int
draw_text_wrap(int y, int x, int indent, int max, enum ui_role role,
    const char *s)
{
	return (draw_text_wrap_from(y, x, indent, 0, max, max, role, s));
}

/*
 * Append text (already escaped) as it fits in w columns: whole, else its
 * end after a '<', from the start of a term ("&& ") when one fits, so that
 * the newest term of a path stays in view.
 */
void
draw_tail(struct buf *out, const char *s, int w)
{
	size_t	 n = strlen(s), i;

	if (draw_width(s, n) <= w) {
		buf_add(out, s, n);
		return;
	}
	for (i = 1; i + 3 < n; i++) {
		if (strncmp(s + i, "&& ", 3) == 0 &&
		    draw_width(s + i + 3, n - i - 3) + 2 <= w)
			break;
	}
	if (i + 3 < n) {
		buf_adds(out, "< ");
		buf_add(out, s + i + 3, n - i - 3);
		return;
	}
	for (i = 1; i < n; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 &&
		    draw_width(s + i, n - i) + 1 <= w)
			break;
	}
	buf_addc(out, '<');
	buf_add(out, s + i, n - i);
}

/*
 * Append a file name escaped, shortened to w columns by dropping leading
 * directories ("…/caps/basic.pcap"), so that the end of the name, which
 * tells the inputs apart, stays in view.
 */
void
draw_path(struct buf *out, const char *path, int w)
{
	const char	*ell = draw_ascii ? "..." : "\u2026";
	struct buf	 b;
	size_t		 i;
	int		 ew = draw_ascii ? 3 : 1;

	buf_init(&b);
	esc_text(&b, path, strlen(path));
	if (draw_width(b.s, b.len) <= w) {
		buf_add(out, b.s, b.len);
		buf_free(&b);
		return;
	}
	/* The first '/' after which the rest fits, else the plain tail. */
	for (i = 1; i < b.len; i++) {
		if (b.s[i] == '/' &&
		    draw_width(b.s + i, b.len - i) + ew <= w)
			break;
	}
	if (i == b.len) {
		for (i = 1; i < b.len; i++) {
			if (((unsigned char)b.s[i] & 0xc0) != 0x80 &&
			    draw_width(b.s + i, b.len - i) + ew <= w)
				break;
		}
	}
	buf_adds(out, ell);
	buf_add(out, b.s + i, b.len - i);
	buf_free(&b);
}

/*
 * Scroll a list of h lines so that its rows first to last show (the first
 * when they cannot all): the one clamp every pane's list uses.
 */
void
draw_scroll(size_t *top, size_t first, size_t last, int h)
{
	if (h > 0 && last >= *top + (size_t)h)
		*top = last + 1 - (size_t)h;
	if (first < *top)
		*top = first;
}

/* Fill a whole line with a role's background. */
void
draw_fill(int y, enum ui_role role)
{
	attrset(theme_attr(role));
	mvhline(y, 0, ' ', COLS);
	attrset(A_NORMAL);
}

/* A horizontal rule. */
void
draw_hline(int y, int x, int w)
{
	attrset(theme_attr(ROLE_DIM));
	mvhline(y, x, draw_ascii ? '-' : ACS_HLINE, w);
	attrset(A_NORMAL);
}

/* The title line: the panes, with the current one marked (compact: the
 * current one only). */
static void
draw_title(struct ui *u)
{
	const char	*name = ui_panes[u->pane].name;
	const char	*dirty;
	char		*s;

	dirty = u->pane != PANE_HELP && rpane_dirty(u) ? "*" : "";
	draw_fill(0, ROLE_TITLE);
	/* 4:Rules* while rule changes are not written. */
	if (draw_compact())
		xasprintf(&s, " [%s]%s", name, *dirty != '\0' ?
		    "  4:Rules*" : "");
	else
		xasprintf(&s, " huntcon  %s%s  [%s]", u->pane == PANE_HELP ?
		    "" : "1:Navigate 2:Events 3:Session 4:Rules", dirty, name);
	draw_text(0, 0, COLS, ROLE_TITLE, s);
	free(s);
	draw_text(0, COLS - 17, 17, ROLE_TITLE, "?:keys  q:quit ");
}

/*
 * The breadcrumb: the path (query text as typed, so through esc_guard),
 * its end after a '<' when it is too long, and the matching session count.
 */
static void
draw_breadcrumb(struct ui *u)
{
	char		*path = ui_guard(ui_path_text(&u->path)), *s;
	struct buf	 b;
	int		 w;

	xasprintf(&s, " %llu sessions", (unsigned long long)u->view.nmatch);
	w = COLS - (int)strlen(s);
	draw_fill(1, ROLE_NORMAL);
	draw_text(1, 0, 6, ROLE_DIM, "path: ");
	buf_init(&b);
	draw_tail(&b, path, w - 6);
	if (*path == '\0')
		draw_text(1, 6, w - 6, ROLE_DIM, "(all sessions)");
	else
		draw_text(1, 6, w - 6, ROLE_BREADCRUMB, b.s);
	draw_text(1, w, COLS - w, ROLE_COUNT, s);
	buf_free(&b);
	free(s);
	free(path);
}

/* A progress bar on line y: a label with the percent, then the bar. */
static void
draw_bar(int y, const char *label, int pct)
{
	char	 s[64];
	int	 w = COLS - 30, fill, x;

	if (pct < 0)
		pct = 0;
	if (pct > 100)
		pct = 100;
	snprintf(s, sizeof s, "%s %3d%% ", label, pct);
	x = (int)strlen(s);
	fill = pct * w / 100;
	draw_text(y, 0, x, ROLE_NORMAL, s);
	attrset(theme_attr(ROLE_PROGRESS));
	mvhline(y, x, ' ', fill);
	attrset(theme_attr(ROLE_DIM));
	mvhline(y, x + fill, draw_ascii ? '.' : ACS_BULLET, w - fill);
	attrset(A_NORMAL);
}

/* The most lines the message may take. */
static int
draw_msg_max(void)
{
	return (LINES < UI_FULL_ROWS ? UI_MSG_LINES - 1 : UI_MSG_LINES);
}

/* The lines the message area takes: the prompt's error, a question or
 * a message wrapped, else one. */
static int
draw_msg_lines(struct ui *u)
{
	int	 n;

	if (u->prompting)
		return ((n = prompt_lines(draw_msg_max())) > 1 ? n : 1);
	if (u->ask != NULL)
		return (draw_wrap_lines(0, 2, draw_msg_max(), u->ask));
	if (u->busy.shown || rpane_progress(u) >= 0 ||
	    xdialog_progress(u) >= 0 || u->msg == NULL)
		return (1);
	return (draw_wrap_lines(0, 2, draw_msg_max(), u->msg));
}

/* The question, else the progress of long work, else the message, in h
 * lines from y. */
static void
draw_message(struct ui *u, int y, int h)
{
	struct hunt_status	 hs;
	uint64_t		 done, total;
	int			 i;

	hunt_status(u->h, &hs);
	done = hs.bytes_done;
	total = hs.bytes_total;
	for (i = 0; i < h; i++) {
		move(y + i, 0);
		clrtoeol();
	}
	if (u->ask != NULL) {
		draw_text_wrap(y, 0, 2, h, ROLE_PROMPT, u->ask);
		return;
	}
	if (u->busy.shown) {
		draw_bar(y, u->view.remote != NULL ? "asking the store (Esc "
		    "cancels)" : "querying (Esc cancels)", u->busy.total == 0 ?
		    0 : (int)(u->busy.done * 100 / u->busy.total));
		return;
	}
	if (rpane_progress(u) >= 0) {
		draw_bar(y, "applying rules", rpane_progress(u));
		return;
	}
	if (xdialog_progress(u) >= 0) {
		draw_bar(y, "exporting (Esc stops)", xdialog_progress(u));
		return;
	}
	if (u->msg != NULL) {
		draw_text_wrap(y, 0, 2, h, u->msgrole, u->msg);
		return;
	}
	if (hs.loaded || total == 0)
		return;
	if (done > total)
		done = total;
	draw_bar(y, "reading", (int)(done * 100 / total));
}

/* Draw only the message line: a query is running, the panes wait. */
void
draw_busy(struct ui *u)
{
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS)
		return;
	draw_message(u, LINES - 2, 1);
	refresh();
}

/* Live: the interfaces (or the stream) named, comma-joined, to shorten
 * as a path (caller frees). */
static char *
draw_sources(struct ui *u, size_t n)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		buf_adds(&b, hunt_input_name(u->h, i));
	}
	if (i == 0)
		buf_addc(&b, '-');
	return (buf_take(&b));
}

/* A byte count in the largest unit that keeps it at 1 or more. */
static void
draw_bytes(struct buf *b, uint64_t n)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB",
	    "TiB" };
	double		 v = (double)n;
	size_t		 i = 0;

	while (v >= 1024 && i + 1 < nitems(unit)) {
		v /= 1024;
		i++;
	}
	buf_printf(b, i == 0 ? "%.0f %s" : "%.1f %s", v, unit[i]);
}

/*
 * Live: sessions open, packets read and their rate, the kernel's and the
 * interfaces' drops, the spool's use, and what C-c and P do.
 */
static void
draw_live(struct ui *u, const struct hunt_status *hs, struct buf *c)
{
	buf_printf(c, " (%llu open)  packets: %llu (%llu/s)",
	    (unsigned long long)hs->open, (unsigned long long)hs->packets,
	    (unsigned long long)hs->pps);
	if (hs->wall)	/* a stream has no drops to count */
		buf_printf(c, "  drops: %llu", (unsigned long long)hs->drops);
	if (hs->spool_cap > 0) {
		buf_adds(c, "  spool: ");
		draw_bytes(c, hs->spool_used);
	}
	buf_adds(c, u->frozen ? "  view paused (P: follow)" : hs->wall ?
	    "  C-c: stop, P: pause" : "  C-c: end, P: pause");
}

/* Over a store: its name, its sessions, and whether the answers on the
 * screen are partial or one failed. */
static void
draw_store_status(struct ui *u, int y)
{
	struct buf	 b, c;
	char		*why;
	int		 w;

	buf_init(&c);
	buf_printf(&c, "  sessions: %llu",
	    (unsigned long long)view_sel_stored(&u->view));
	if (u->view.failed != NULL) {
		why = ui_guard(xstrdup(u->view.failed));
		buf_printf(&c, "  failed: %s", why);
		free(why);
	} else if (u->view.partial)
		buf_adds(&c, "  partial");
	w = COLS - 8 - draw_width(c.s, c.len);
	buf_init(&b);
	buf_adds(&b, " store: ");
	draw_path(&b, u->opt->store_name, w < 12 ? 12 : w);
	buf_add(&b, c.s, c.len);
	draw_fill(y, ROLE_STATUS);
	draw_text(y, 0, COLS, u->view.failed != NULL ? ROLE_ERROR :
	    ROLE_STATUS, b.s);
	buf_free(&c);
	buf_free(&b);
}

/* The status line: source, sessions (what is kept), packets. */
static void
draw_status(struct ui *u, int y)
{
	struct hunt_status	 hs;
	const char		*src;
	struct buf		 b, c;
	char			*srcs;
	uint64_t		 hidden;
	int			 w;

	if (u->view.remote != NULL) {
		draw_store_status(u, y);
		return;
	}
	hunt_status(u->h, &hs);
	src = hs.ninputs > 0 ? hunt_input_name(u->h, 0) : "-";
	/* The counts first, so that a long file name never hides them. */
	buf_init(&c);
	if (hs.ninputs > 1 && !(hs.live && !hs.loaded))
		buf_printf(&c, " (+%zu)", hs.ninputs - 1);
	if (hs.retained)
		buf_printf(&c, "  kept: %s", hs.kept);
	else
		buf_printf(&c, "  sessions: %llu",
		    (unsigned long long)hs.closed);
	if (hs.live && !hs.loaded && hs.figures)
		draw_live(u, &hs, &c);
	else if (hs.loaded)
		buf_printf(&c, "  packets: %llu", (unsigned long long)
		    hs.packets);
	else if (hs.wall)
		buf_adds(&c, "  packets: ...  (capturing; C-c: stop)");
	else if (hs.live)
		buf_adds(&c, "  packets: ...  (reading; C-c: end the stream)");
	else
		buf_adds(&c, "  packets: ...  (reading)");
	if (u->ev.nmarks > 0)
		buf_printf(&c, "  marked: %llu",
		    (unsigned long long)u->ev.nmarks);
	if (u->ev.nmarks > 0 && (hidden = events_marks_hidden(u)) > 0)
		buf_printf(&c, " (%llu outside the path)",
		    (unsigned long long)hidden);
	/* Compact: no label, the name as short as 8 columns. */
	w = COLS - (draw_compact() ? 1 : 9) - draw_width(c.s, c.len);
	buf_init(&b);
	buf_adds(&b, draw_compact() ? " " : " source: ");
	srcs = hs.live && !hs.loaded ? draw_sources(u, hs.ninputs) : NULL;
	draw_path(&b, srcs != NULL ? srcs : src, w < 12 ? (draw_compact() ?
	    8 : 12) : w);
	free(srcs);
	buf_add(&b, c.s, c.len);
	draw_fill(y, ROLE_STATUS);
	draw_text(y, 0, COLS, ROLE_STATUS, b.s);
	buf_free(&c);
	buf_free(&b);
}

/* The screen for a terminal below 40x12. */
static void
draw_too_small(void)
{
	char	 s[80];

	snprintf(s, sizeof s, "terminal too small (%dx%d, need %dx%d)",
	    COLS, LINES, UI_MIN_COLS, UI_MIN_ROWS);
	erase();
	draw_text(LINES / 2, 0, COLS, ROLE_WARNING, s);
	refresh();
}

/* Draw the whole screen from the state: the frame, the pane, and under it
 * the prompt and a message area as high as its text wraps. */
void
ui_draw(struct ui *u)
{
	int	 mh = draw_msg_lines(u), h = LINES - 3 - mh;

	if (COLS < UI_MIN_COLS || LINES < UI_MIN_ROWS) {
		curs_set(0);
		draw_too_small();
		return;
	}
	erase();
	draw_title(u);
	draw_breadcrumb(u);
	if (u->prompting)
		h--;
	ui_panes[u->pane].draw(u, 2, h);
	draw_message(u, LINES - 1 - mh, mh);
	draw_status(u, LINES - 1);
	if (u->prompting)
		prompt_draw(u, LINES - 2 - mh, mh);
	else
		curs_set(0);
	refresh();
}
