/* ui.c - the console's main loop over the hunt (its worker reads), and
 * the drill path, whose sessions the view's selection keeps (view_sel). */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rules/rules.h"
#include "ui/ui-int.h"

static atomic_bool	ui_curses_on;

/* Milliseconds on the monotonic clock. */
uint64_t
ui_ms(void)
{
	return (clock_ns(CLOCK_MONOTONIC) / 1000000);
}

/* Write one timing line to $HUNTCON_UI_TIMING (never to the terminal). */
void
ui_timing(struct ui *u, const char *what, uint64_t ms)
{
	if (u->timing == NULL)
		return;
	fprintf(u->timing, "%s %llu ms\n", what, (unsigned long long)ms);
	fflush(u->timing);
}

/* Microseconds of CPU time the process has used. */
uint64_t
ui_cpu_us(void)
{
	return (clock_ns(CLOCK_PROCESS_CPUTIME_ID) / 1000);
}

/* Microseconds on the monotonic clock. */
static uint64_t
ui_us(void)
{
	return (clock_ns(CLOCK_MONOTONIC) / 1000);
}

/* Write a timing line with the CPU time beside the wall time (us). */
void
ui_timing_cpu(struct ui *u, const char *what, uint64_t wall, uint64_t cpu)
{
	if (u->timing == NULL)
		return;
	fprintf(u->timing, "%s %.1f ms cpu %.1f ms\n", what, wall / 1000.0,
	    cpu / 1000.0);
	fflush(u->timing);
}

/* A message passed through esc_guard, in a new string; frees s. */
char *
ui_guard(char *s)
{
	struct buf	 b;

	buf_init(&b);
	esc_guard(&b, s, strlen(s));
	free(s);
	return (buf_take(&b));
}

/*
 * Set the message line.  Input in the arguments is escaped (esc_str); the
 * message is kept through esc_guard, so nothing raw reaches the screen.
 */
void
ui_message(struct ui *u, enum ui_role role, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	free(u->msg);
	u->msg = NULL;
	if (fmt != NULL) {
		va_start(ap, fmt);
		xvasprintf(&s, fmt, ap);
		va_end(ap);
		u->msg = ui_guard(s);
	}
	u->msgrole = role;
	u->dirty |= DIRTY_SCREEN;
}

/* Restore the terminal: the fatal hook and the normal exit. */
static void
ui_restore(void)
{
	if (ui_curses_on) {
		endwin();
		ui_curses_on = false;
	}
}

/* Print "huntcon: PREFIXMESSAGE" on stderr, the message through esc_guard. */
static void
ui_stderr(const char *prefix, const char *msg)
{
	char	*s = ui_guard(xstrdup(msg));

	fprintf(stderr, "huntcon: %s%s\n", prefix, s);
	free(s);
}

/* Report an input's problem on stderr before the screen is taken; the
 * hunt keeps the latest for the status line. */
static void
ui_input_msg(bool warning, const char *msg, void *arg)
{
	(void)arg;
	if (!atomic_load(&ui_curses_on))
		ui_stderr(warning ? "warning: " : "", msg);
}

/*
 * A message about an input begins with its file name; shorten the name so
 * that what happened to it fits on the line, keeping `extra` columns for
 * what is appended.  Takes msg; returns the string to use.
 */
static char *
ui_fit_input(struct ui *u, char *msg, int extra)
{
	struct hunt_status	 hs;
	struct buf		 b;
	const char		*e, *path;
	size_t			 i, n;
	int			 w;

	if (draw_width(msg, strlen(msg)) + extra <= COLS)
		return (msg);
	hunt_status(u->h, &hs);
	for (i = 0; i < hs.ninputs; i++) {
		path = hunt_input_name(u->h, i);
		e = esc_str(path);
		n = strlen(e);
		if (strncmp(msg, e, n) != 0 || msg[n] != ':')
			continue;
		w = COLS - extra - draw_width(msg + n, strlen(msg + n));
		buf_init(&b);
		draw_path(&b, path, w < 12 ? 12 : w);
		buf_adds(&b, msg + n);
		free(msg);
		return (b.s);
	}
	return (msg);
}

/* Show on the status line what the reading threads reported last. */
static void
ui_input_news(struct ui *u)
{
	char		*msg;
	enum ui_role	 role;
	unsigned int	 n;
	bool		 warning;

	if ((msg = hunt_news(u->h, &warning, &n)) == NULL)
		return;
	role = warning ? ROLE_WARNING : ROLE_ERROR;
	msg = ui_fit_input(u, msg, n > 1 ? 30 : 0);
	if (n > 1)
		ui_message(u, role, "%s (%u messages about the inputs)", msg, n);
	else
		ui_message(u, role, "%s", msg);
	free(msg);
	u->dirty |= DIRTY_SCREEN;
}

/* Take the hunt's parts and start its worker. */
static void
ui_start(struct ui *u)
{
	struct hunt		*h = u->h;
	struct hunt_status	 hs;

	hunt_set_msg(h, ui_input_msg, u);
	hunt_start(h);
	u->cap = hunt_capture(h);
	u->st = hunt_store(h);
	u->eng = hunt_engine(h);
	hunt_status(h, &hs);
	u->live = hs.live;
	/*
	 * While the worker reads, this thread's redraws and counts go to the
	 * helpers' CPU (cpu.pair), leaving the engine's thread the other;
	 * loaded, it runs anywhere again (ui_loop).
	 */
	u->pinned = sched_getaffinity(0, sizeof u->cpus, &u->cpus) == 0;
	if (u->pinned)
		cpu_helper_start();
}

/* Join the path's terms into one query text (each term parenthesised
 * when there are several). */
char *
ui_path_text(const struct ui_path *p)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < p->n; i++) {
		if (i > 0)
			buf_adds(&b, " && ");
		if (p->n > 1 && strpbrk(p->term[i], "|&,") != NULL)
			buf_printf(&b, "(%s)", p->term[i]);
		else
			buf_adds(&b, p->term[i]);
	}
	return (buf_take(&b));
}

/* Keys are read and progress drawn at most this often (ms). */
#define UI_POLL_MS	50

/* Begin running a query on this thread. */
static void
ui_busy_start(struct ui *u, bool cancellable)
{
	struct ui_busy	*b = &u->busy;

	b->on = true;
	b->cancellable = cancellable;
	b->cancel = b->shown = false;
	b->t0 = b->polled = ui_ms();
	b->done = b->total = 0;
}

/* The query is over: draw the whole screen again if progress was shown. */
static void
ui_busy_end(struct ui *u)
{
	if (u->busy.shown)
		u->dirty |= DIRTY_SCREEN;
	u->busy.on = u->busy.shown = false;
}

/*
 * While a query runs: now and then read the keys (a cancel key stops it,
 * the others wait for the loop) and, once it has run UI_BUSY_MS, draw its
 * progress.  True when cancelled.
 */
static bool
ui_busy_poll(struct ui *u, uint64_t done, uint64_t total)
{
	struct ui_busy	*b = &u->busy;
	uint64_t	 now = ui_ms();
	bool		 nd = is_nodelay(stdscr);
	int		 ch;

	b->done = done;
	b->total = total;
	if (now - b->polled < UI_POLL_MS)
		return (b->cancel);
	b->polled = now;
	nodelay(stdscr, TRUE);
	while ((ch = getch()) != ERR) {
		if (b->cancellable && keys_cancels(ch))
			b->cancel = true;
		else if (b->nkeys < nitems(b->keys))
			b->keys[b->nkeys++] = ch;
	}
	nodelay(stdscr, nd);
	if (now - b->t0 >= UI_BUSY_MS) {
		b->shown = true;
		draw_busy(u);
	}
	return (b->cancel);
}

/*
 * A store's request, polled while it works: started as a query of its own
 * when nothing else runs (ended after the loop turn), so that Esc cancels
 * it and, past UI_BUSY_MS, "asking the store" is drawn.
 */
static bool
ui_store_poll(void *arg)
{
	struct ui	*u = arg;

	if (!u->busy.on) {
		ui_busy_start(u, true);
		u->busy.store = true;
	}
	return (ui_busy_poll(u, u->busy.done, u->busy.total));
}

/* End what a store's request started this loop turn. */
static void
ui_store_done(struct ui *u)
{
	if (!u->busy.store)
		return;
	u->busy.store = false;
	if (u->busy.cancel)
		ui_message(u, ROLE_WARNING, "the store's answer was cancelled: "
		    "what it did not count is not shown");
	ui_busy_end(u);
}

/* A selection's progress, polled the same way. */
static bool
ui_sel_poll(void *arg, uint64_t done, uint64_t total)
{
	return (ui_busy_poll(arg, done, total));
}

/*
 * Bring a selection up to date with the store as the worker leaves it
 * (view_sel_fill), the keys read and progress drawn meanwhile.
 */
static bool
ui_view_fill(struct ui *u, struct view_sel *v, bool fresh, bool *changed)
{
	struct view_src	 src = { hunt_loaded(u->h), u->live,
			    hunt_gate_held(u->h), ui_sel_poll, u };

	return (view_sel_fill(v, &src, fresh, changed));
}

/* Say on the message line when the path's patterns gave up on values. */
static void
ui_view_warn(struct ui *u)
{
	struct view_sel	*v = &u->view;
	uint64_t	 g = query_gaveup(v->q);
	char		**msgs;
	size_t		 i, n;

	if (g == 0 || g == v->warned)
		return;
	v->warned = g;
	n = query_gaveup_messages(v->q, &msgs);
	if (n > 0)
		ui_message(u, ROLE_WARNING, "warning: %s%s", msgs[0],
		    n > 1 ? " (and other patterns)" : "");
	for (i = 0; i < n; i++)
		free(msgs[i]);
	free(msgs);
}

/*
 * Compile the path and match it into a new view, which replaces the old
 * one; false (the old view kept) when cancelled.
 */
static bool
ui_view_reset(struct ui *u)
{
	struct view_sel		 nv;
	struct query_error	 err;
	struct query		*q;
	char			*text = ui_path_text(&u->path);
	bool			 changed = false, ok;

	q = query_compile(text, strlen(text), QUERY_EMPTY_OK, &err);
	if (q == NULL) {
		ui_message(u, ROLE_ERROR, "path: column %zu: %s", err.col,
		    err.msg);
		q = query_compile("", 0, QUERY_EMPTY_OK, NULL);
	}
	view_sel_again(&nv, &u->view, q);
	query_error_clear(&err);
	free(text);
	ui_busy_start(u, true);
	ok = ui_view_fill(u, &nv, true, &changed);
	ui_busy_end(u);
	if (!ok) {
		view_sel_free(&nv);
		ui_message(u, ROLE_WARNING, "query cancelled");
		return (false);
	}
	nv.gen = u->view.gen + 1;
	view_sel_free(&u->view);
	u->view = nv;
	u->recount = 0;
	u->dirty |= DIRTY_MATCH | DIRTY_COUNTS | DIRTY_SCREEN;
	ui_view_warn(u);
	return (true);
}

/* Put a path in place and match it; when cancelled the old path stays.
 * Takes np's terms either way. */
static bool
ui_path_apply(struct ui *u, struct ui_path *np)
{
	struct ui_path	 old = u->path;
	bool		 ok;
	size_t		 i;

	u->path = *np;
	if (!(ok = ui_view_reset(u))) {
		*np = u->path;
		u->path = old;
	} else
		*np = old;
	for (i = 0; i < np->n; i++)
		free(np->term[i]);
	free(np->term);
	return (ok);
}

/* A copy of the first n terms of the path, with room for one more. */
static struct ui_path
ui_path_copy(const struct ui_path *p, size_t n)
{
	struct ui_path	 c;
	size_t		 i;

	c.term = xreallocarray(NULL, n + 1, sizeof *c.term);
	for (i = 0; i < n; i++)
		c.term[i] = xstrdup(p->term[i]);
	c.n = n;
	return (c);
}

/* The path emptied after a cancel that left no view to go back to. */
static void
ui_path_drop(struct ui *u, const char *why)
{
	struct ui_path	 np = { NULL, 0 };

	(void)ui_path_apply(u, &np);
	ui_message(u, ROLE_WARNING, "query cancelled: path cleared (%s)",
	    why);
}

/* Match the path again (after the sessions' meta changed). */
void
ui_view_refresh(struct ui *u)
{
	if (!ui_view_reset(u))
		ui_path_drop(u, "the rules changed the meta");
}

/* Check the sessions published since the last look; true if any. */
static bool
ui_view_update(struct ui *u)
{
	struct view_sel	*v = &u->view;
	bool		 changed = false, ok;

	if (v->indexed && (u->frozen || view_sel_current(v)))
		return (false);
	ui_busy_start(u, true);
	ok = ui_view_fill(u, v, false, &changed);
	ui_busy_end(u);
	if (!ok) {
		ui_path_drop(u, "still reading");
		return (true);
	}
	if (changed)
		v->gen++;
	ui_view_warn(u);
	return (changed);
}

/* Replace the path with one query (empty text: no path). */
bool
ui_path_set(struct ui *u, const char *text)
{
	struct ui_path	 np = ui_path_copy(&u->path, 0);

	if (text != NULL && text[strspn(text, " \t")] != '\0') {
		np.term[0] = xstrdup(text);
		np.n = 1;
	}
	return (ui_path_apply(u, &np));
}

/* Add a term to the path. */
bool
ui_path_push(struct ui *u, const char *term)
{
	struct ui_path	 np = ui_path_copy(&u->path, u->path.n);

	np.term[np.n++] = xstrdup(term);
	return (ui_path_apply(u, &np));
}

/* Step back one term. */
bool
ui_path_pop(struct ui *u)
{
	struct ui_path	 np;

	if (u->path.n == 0)
		return (true);
	np = ui_path_copy(&u->path, u->path.n - 1);
	return (ui_path_apply(u, &np));
}

/* Set up curses, the locale and the theme; false with *cause. */
static bool
ui_curses(struct ui *u, char **cause)
{
	const char	*cs;

	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	u->ascii = cs == NULL || strcmp(cs, "UTF-8") != 0;
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(25);
	u->keyfd = STDIN_FILENO;
	if (!isatty(STDIN_FILENO)) {		/* a stream: keys from the tty */
		if ((u->tty = fopen("/dev/tty", "r+")) == NULL) {
			xasprintf(cause, "the console needs a terminal: "
			    "/dev/tty: %s", strerror(errno));
			return (false);
		}
		u->keyfd = fileno(u->tty);
	}
	if ((u->tty != NULL && newterm(NULL, isatty(STDOUT_FILENO) ? stdout :
	    u->tty, u->tty) == NULL) || (u->tty == NULL && initscr() == NULL)) {
		*cause = xstrdup("cannot initialise the terminal");
		return (false);
	}
	ui_curses_on = true;
	fatal_set_hook(ui_restore);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	u->colour = has_colors();
	if (u->colour) {
		start_color();
		use_default_colors();
	}
	draw_init(u->ascii);
	if (!theme_load(u->opt->theme != NULL ? u->opt->theme : "dark",
	    u->colour, cause)) {
		ui_restore();
		return (false);
	}
	return (true);
}

/* Recompute what the dirty flags ask for; the worker never waits. */
static void
ui_refresh(struct ui *u, bool force)
{
	uint64_t	 t = ui_ms();
	bool		 loading = !hunt_loaded(u->h);

	if (loading && !force)
		u->dirty |= DIRTY_SCREEN;
	if (ui_view_update(u) || (u->dirty & DIRTY_MATCH)) {
		u->dirty &= ~DIRTY_MATCH;
		u->dirty |= DIRTY_COUNTS | DIRTY_SCREEN;
	}
	/*
	 * While loading, the counts are made by reading every session: keep
	 * the last ones on the screen until a second has passed (live, where
	 * the index counts, 400 ms: the counts follow within a second), and
	 * four times as long as counting took, so the reading threads keep
	 * the CPUs.  A new path counts at once.
	 */
	u->nav.hold = loading && t < u->recount;
	if (u->dirty & DIRTY_COUNTS) {
		nav_stale(u);
		u->dirty &= ~DIRTY_COUNTS;
		u->dirty |= DIRTY_SCREEN;
	}
	if (u->dirty & DIRTY_SCREEN) {
		ui_draw(u);
		if (loading && !u->nav.hold)
			u->recount = ui_ms() + (ui_ms() - t > 250 ?
			    4 * (ui_ms() - t) : u->live ? 400 : 1000);
		u->dirty &= ~DIRTY_SCREEN;
		if (!u->first_counts && store_count(u->st) > 0) {
			u->first_counts = true;
			ui_timing(u, "first-counts", ui_ms() - u->t0);
		}
		if (force)
			ui_timing(u, "redraw", ui_ms() - t);
	}
	/* From the first key of the turn to the screen showing its result. */
	if (u->tkey != 0 && hunt_loaded(u->h)) {
		ui_timing_cpu(u, "step", ui_us() - u->tkey, ui_cpu_us() -
		    u->ckey);
		u->tkey = 0;
	}
}

/* Handle one key: the prompt's when it is open. */
static void
ui_key(struct ui *u, int ch)
{
	if (u->timing != NULL && u->tkey == 0 &&
	    hunt_loaded(u->h)) {
		u->tkey = ui_us();
		u->ckey = ui_cpu_us();
	}
	if (u->prompting)
		prompt_key(u, ch);
	else
		keys_dispatch(u, ch);
}

/* Handle the keys typed while a query ran, in order. */
static bool
ui_input_held(struct ui *u)
{
	int	 keys[nitems(u->busy.keys)];
	size_t	 i, n = u->busy.nkeys;

	memcpy(keys, u->busy.keys, n * sizeof *keys);
	u->busy.nkeys = 0;
	for (i = 0; i < n && !u->quit; i++)
		ui_key(u, keys[i]);
	return (n > 0);
}

/* Wait for a key (at most ms); true when one waits. */
static bool
ui_wait(struct ui *u, int ms)
{
	struct pollfd	 pfd = { u->keyfd, POLLIN, 0 };

	if (u->busy.nkeys > 0)
		return (true);
	/* SIGWINCH interrupts it (then getch gives KEY_RESIZE). */
	return (poll(&pfd, 1, ms) != 0);
}

/* Handle every key waiting. */
static bool
ui_input(struct ui *u)
{
	int		 ch;
	bool		 any = ui_input_held(u);

	nodelay(stdscr, TRUE);
	while (!u->quit && (ch = getch()) != ERR) {
		any = true;
		ui_key(u, ch);
		ui_input_held(u);
	}
	nodelay(stdscr, FALSE);
	return (any);
}

/*
 * Run the correlation rules over the loaded sessions, keeping the groups
 * they passed for the Session pane (the report of an earlier run goes).
 * Returns the number of sessions that gained a value.
 */
uint64_t
ui_correlate(struct ui *u)
{
	struct corr_report	*rep = NULL;
	uint64_t		 n;

	n = rules_correlate_report(u->rv.rs, u->st, NULL, &rep);
	rules_report_free(u->rep);
	u->rep = rep;
	u->reprs = u->rv.rs;
	return (n);
}

/*
 * The live figures, while the gate is held: open sessions, packets read
 * and their rate, drops and the spool.
 */
static void
ui_live_figures(struct ui *u, uint64_t now)
{
	if (!hunt_gate_held(u->h))
		return;
	hunt_sample(u->h, now);
	if (u->pane == PANE_EVENTS && !u->frozen)
		events_open_rows(u);
}

/*
 * Whether this turn of a live capture has work for the index (then the
 * loop takes the gate): a key, rules being applied or due, or the
 * refresh that keeps the counts within a second.
 */
static bool
ui_live_turn(struct ui *u, bool key, uint64_t now)
{
	if (key || u->rv.applying || u->rv.pending ||
	    (u->dirty & DIRTY_MATCH) || now - u->tlive >= 500) {
		u->tlive = now;
		return (true);
	}
	return (false);
}

/* The loop: input, then at most ~10 redraws a second while loading. */
static void
ui_loop(struct ui *u)
{
	uint64_t	 last = 0, now;
	bool		 was_loading = true, key, busy, gate;

	while (!u->quit) {
		busy = u->rv.applying || u->rv.pending || u->ex.running;
		key = ui_wait(u, u->rv.applying || u->warming ? 0 :
		    was_loading || busy ? 100 : 1000);
		now = ui_ms();
		/* Live: the index is read only while the engine waits. */
		gate = hunt_capturing(u->h);
		if (gate && !ui_live_turn(u, key, now)) {
			ui_input_news(u);
			continue;
		}
		if (gate)
			hunt_gate_enter(u->h);
		key = ui_input(u) || key;
		ui_input_news(u);
		if (rpane_step(u) | xdialog_poll(u))
			key = true;
		(void)nav_warm_step(u);
		if (was_loading && hunt_loaded(u->h)) {
			was_loading = false;
			if (u->pinned)
				(void)sched_setaffinity(0, sizeof u->cpus, &u->cpus);
			u->tload = now;
			u->frozen = false;
			events_open_rows(u);
			ui_timing(u, "loaded", now - u->t0);
			if (ui_correlate(u) > 0)
				ui_view_refresh(u);
			nav_warm(u);
			u->dirty |= DIRTY_SCREEN;
		}
		if (gate)
			ui_live_figures(u, now);
		if (key || !was_loading || now - last >= 100 || gate) {
			ui_refresh(u, key && !was_loading);
			ui_store_done(u);
			last = now;
		}
		if (gate)
			hunt_gate_leave(u->h);
	}
}

/* Free everything the console made. */
static void
ui_free(struct ui *u)
{
	size_t	 i;

	xdialog_free(u);
	rpane_free(u);
	free(u->ask);
	free(u->find);
	nav_free(&u->nav);
	events_free(&u->ev);
	spane_free(&u->sv);
	rules_report_free(u->rep);
	for (i = 0; i < u->path.n; i++)
		free(u->path.term[i]);
	free(u->path.term);
	view_sel_free(&u->view);
	free(u->msg);
	hunt_free(u->h, true);
	if (u->tty != NULL)
		fclose(u->tty);
	if (u->timing != NULL)
		fclose(u->timing);
}

/* Start on the -q path, refused as the prompt refuses a bad query. */
static void
ui_path_start(struct ui *u, const char *text)
{
	struct query_error	 err;
	struct query		*q;

	if (text == NULL) {
		ui_path_set(u, NULL);
		return;
	}
	q = query_compile(text, strlen(text), QUERY_EMPTY_OK, &err);
	if (q == NULL) {
		ui_path_set(u, NULL);
		ui_message(u, ROLE_ERROR, "-q: column %zu: %s", err.col,
		    err.msg);
		query_error_clear(&err);
		return;
	}
	query_free(q);
	if (ui_path_set(u, text) && err.nwarnings > 0)
		ui_message(u, ROLE_WARNING, "-q: column %zu: warning: %s",
		    err.warnings[0].col, err.warnings[0].msg);
	query_error_clear(&err);
}

/* Run the console. */
int
ui_run(const struct ui_options *o)
{
	struct ui		 u;
	struct hunt_status	 hs;
	char			*cause = NULL;
	int			 rc;
	const char		*tf = getenv("HUNTCON_UI_TIMING");

	memset(&u, 0, sizeof u);
	u.opt = o;
	u.h = o->hunt;
	u.t0 = ui_ms();
	if (tf != NULL && *tf != '\0')
		u.timing = fopen(tf, "a");
	ui_start(&u);
	view_sel_init(&u.view, u.st, NULL);
	view_sel_remote(&u.view, o->store);
	if (o->store != NULL)
		view_sel_wait(&u.view, o->cfg->console_store_ns, ui_store_poll,
		    &u);
	hunt_status(u.h, &hs);
	if (hs.errors > 0 && hs.closed == 0 && hs.ninputs == 0) {
		hunt_stop(u.h);
		ui_free(&u);
		return (1);
	}
	if (!ui_curses(&u, &cause)) {
		ui_stderr("", cause);
		free(cause);
		hunt_stop(u.h);
		ui_free(&u);
		return (2);
	}
	nav_init(&u.nav, (size_t)o->cfg->console_values);
	events_columns_init(&u);
	rpane_init(&u);
	prompt_init();
	ui_path_start(&u, o->query);
	u.dirty |= DIRTY_SCREEN;
	ui_loop(&u);
	prompt_done();
	ui_restore();
	hunt_stop(u.h);
	hunt_status(u.h, &hs);
	if (hs.spool_kept != NULL)
		fprintf(stderr, "huntcon: the packets read are kept in %s\n",
		    esc_str(hs.spool_kept));
	rc = hs.errors > 0 ? 1 : 0;
	ui_free(&u);
	return (rc);
}
