/* keys.c - the key bindings: one table (key, context, action, help) from
 * which dispatch and the help screen are both made. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui-int.h"

#define CTRL(c)		((c) & 0x1f)

typedef void (*keys_fn)(struct ui *);

/* One binding. */
struct keys_binding {
	int		 key;
	const char	*name;		/* as the help screen shows it */
	enum ui_ctx	 ctx;
	keys_fn		 fn;
	const char	*help;
};

/* Scroll the help pane by d lines. */
void
keys_help_move(struct ui *u, int d)
{
	u->helptop = d < 0 && (size_t)-d > u->helptop ? 0 :
	    u->helptop + (size_t)d;
	u->dirty |= DIRTY_SCREEN;
}

/* Pane-dependent cursor movement. */
static void
keys_move(struct ui *u, int d)
{
	ui_panes[u->pane].cursor(u, d);
}

/* A page: the body's height. */
static int
keys_page(void)
{
	return (LINES > 8 ? LINES - 6 : 1);
}

static void k_up(struct ui *u) { keys_move(u, -1); }
static void k_down(struct ui *u) { keys_move(u, 1); }
static void k_pgup(struct ui *u) { keys_move(u, -keys_page()); }
static void k_pgdn(struct ui *u) { keys_move(u, keys_page()); }
static void k_home(struct ui *u) { keys_move(u, -1000000000); }
static void k_end(struct ui *u) { keys_move(u, 1000000000); }

/*
 * Ask a question on the message line; one of keys (or Esc) answers.  Input
 * in the arguments is escaped (esc_str), the question kept as ui_message.
 */
void
ui_ask(struct ui *u, const char *keys, ask_fn fn, const char *fmt, ...)
{
	va_list	 ap;

	char	*s;

	free(u->ask);
	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	u->ask = ui_guard(s);
	u->askkeys = keys;
	u->askfn = fn;
	u->dirty |= DIRTY_SCREEN;
}

/* A key while a question is open: an answer, Esc, or ignored. */
static void
keys_answer(struct ui *u, int ch)
{
	ask_fn	 fn = u->askfn;

	if (ch == KEY_RESIZE) {
		u->dirty |= DIRTY_SCREEN;
		return;
	}
	if (ch != 0x1b && ch != CTRL('g') && (ch <= 0 || ch > 0x7f ||
	    strchr(u->askkeys, ch) == NULL))
		return;
	free(u->ask);
	u->ask = NULL;
	u->askfn = NULL;
	u->dirty |= DIRTY_SCREEN;
	fn(u, ch == 0x1b || ch == CTRL('g') ? 0 : ch);
}

/* The answer to "rules not written": write and quit, or just quit. */
static void
keys_quit_answer(struct ui *u, int key)
{
	if (key == 'w')
		rpane_write(u, true);
	else if (key == 'q')
		u->quit = true;
}

/* Quit, asking first when rule changes are not written. */
static void
k_quit(struct ui *u)
{
	if (rpane_dirty(u))
		ui_ask(u, "wq", keys_quit_answer, "rule changes are not "
		    "written: w write them and quit, q quit without, Esc stay");
	else
		u->quit = true;
}

/* Show the help screen, or leave it. */
static void
k_help(struct ui *u)
{
	if (u->pane == PANE_HELP)
		u->pane = u->back;
	else {
		u->back = u->pane;
		u->pane = PANE_HELP;
		u->helptop = 0;
	}
	u->dirty |= DIRTY_SCREEN;
}

/* Switch panes. */
static void
k_nav(struct ui *u)
{
	u->pane = PANE_NAV;
	u->dirty |= DIRTY_SCREEN;
}

/* Show the Events pane. */
static void
k_events(struct ui *u)
{
	u->pane = PANE_EVENTS;
	u->dirty |= DIRTY_SCREEN;
}

/* Show the rule editor. */
static void
k_rules(struct ui *u)
{
	u->pane = PANE_RULES;
	u->dirty |= DIRTY_SCREEN;
}

/* Show the Session pane (the last session opened). */
static void
k_session(struct ui *u)
{
	u->pane = PANE_SESSION;
	u->dirty |= DIRTY_SCREEN;
}

/* Backspace: step back in the path, or back from a pane. */
static void
k_back(struct ui *u)
{
	char	*term;

	if (u->pane == PANE_SESSION)
		u->pane = PANE_EVENTS;
	else if (u->pane == PANE_RULES)
		u->pane = PANE_NAV;
	else if (u->pane == PANE_HELP)
		u->pane = u->back;
	else if (u->path.n > 0) {
		term = xstrdup(u->path.term[u->path.n - 1]);
		if (ui_path_pop(u))
			nav_land(u, term);
		free(term);
	}
	ui_message(u, ROLE_NORMAL, NULL);
}

/* Drop the whole path. */
static void
k_clear(struct ui *u)
{
	ui_path_set(u, NULL);
}

/*
 * Stop long work: an export here; a running query reads this binding
 * itself (keys_cancels), since it runs before keys are dispatched again.
 */
static void
k_cancel(struct ui *u)
{
	struct hunt_status	 hs;

	if (u->ex.running)
		xdialog_cancel(u);
	else if (hunt_end(u->h)) {
		hunt_status(u->h, &hs);
		ui_message(u, ROLE_NORMAL, hs.wall ?
		    "stopping the capture: hunting in what it saw" :
		    "ending the stream: hunting in what it sent");
	}
}

/* Live: stop the view following the capture (counts frozen), or follow
 * it again. */
static void
k_freeze(struct ui *u)
{
	if (!hunt_capturing(u->h)) {
		ui_message(u, ROLE_WARNING, "the capture has ended");
		return;
	}
	u->frozen = !u->frozen;
	ui_message(u, ROLE_NORMAL, u->frozen ? "view paused: the capture "
	    "goes on (P: follow it)" : "following the capture");
	if (!u->frozen)
		u->dirty |= DIRTY_MATCH;
}

static void k_prompt(struct ui *u) { prompt_open(u); }
static void k_drill(struct ui *u) { nav_enter(u, false); }
static void k_negate(struct ui *u) { nav_enter(u, true); }
static void k_toggle(struct ui *u) { nav_toggle(u, false); }
static void k_all(struct ui *u) { nav_toggle(u, true); }
static void k_nsort(struct ui *u) { nav_sort(u); }
static void k_esort(struct ui *u) { events_sort(u); }
static void k_mark(struct ui *u) { events_mark(u); }
static void k_unmark(struct ui *u) { events_unmark_all(u); }
static void k_open(struct ui *u) { events_enter(u, PIVOT_DRILL); }
static void k_enot(struct ui *u) { events_enter(u, PIVOT_NEGATE); }
static void k_enew(struct ui *u) { events_enter(u, PIVOT_NEW); }
static void k_eleft(struct ui *u) { events_cell(u, -1); }
static void k_eright(struct ui *u) { events_cell(u, 1); }
static void k_sdrill(struct ui *u) { spane_pivot(u, PIVOT_DRILL); }
static void k_snot(struct ui *u) { spane_pivot(u, PIVOT_NEGATE); }
static void k_snew(struct ui *u) { spane_pivot(u, PIVOT_NEW); }
static void k_save(struct ui *u) { rpane_save_path(u); }
static void k_export(struct ui *u) { xdialog_start(u); }
static void k_apply(struct ui *u) { rpane_apply(u); }

/* Redraw everything (after line noise). */
static void
k_redraw(struct ui *u)
{
	clearok(curscr, TRUE);
	u->dirty |= DIRTY_SCREEN;
}

static const struct keys_binding keys_table[] = {
	{ '?', "?", CTX_ANY, k_help, "show or leave this key map" },
	{ 'q', "q", CTX_ANY, k_quit, "quit" },
	{ '/', "/", CTX_ANY, k_prompt, "query prompt: Enter replaces the "
	    "path, Esc or C-g cancels, Tab completes" },
	{ '1', "1", CTX_ANY, k_nav, "Navigate pane" },
	{ '2', "2", CTX_ANY, k_events, "Events pane" },
	{ '3', "3", CTX_ANY, k_session, "Session pane" },
	{ '\t', "Tab", CTX_NAV, k_events, "Events pane" },
	{ KEY_BACKSPACE, "Backspace", CTX_ANY, k_back,
	    "step back one drill (or back from a pane)" },
	{ 0x7f, NULL, CTX_ANY, k_back, NULL },
	{ CTRL('h'), NULL, CTX_ANY, k_back, NULL },
	{ 'c', "c", CTX_ANY, k_clear, "clear the path" },
	{ 0x1b, "Esc C-c", CTX_ANY, k_cancel, "stop a query that runs long "
	    "(the path stays as it was) or an export" },
	{ CTRL('c'), NULL, CTX_ANY, k_cancel, NULL },
	{ CTRL('l'), "C-l", CTX_ANY, k_redraw, "redraw the screen" },
	{ KEY_UP, "Up k", CTX_ANY, k_up, "move up" },
	{ 'k', NULL, CTX_ANY, k_up, NULL },
	{ KEY_DOWN, "Down j", CTX_ANY, k_down, "move down" },
	{ 'j', NULL, CTX_ANY, k_down, NULL },
	{ KEY_PPAGE, "PgUp", CTX_ANY, k_pgup, "page up" },
	{ KEY_NPAGE, "PgDn", CTX_ANY, k_pgdn, "page down" },
	{ KEY_HOME, "Home g", CTX_ANY, k_home, "first line" },
	{ 'g', NULL, CTX_ANY, k_home, NULL },
	{ KEY_END, "End G", CTX_ANY, k_end, "last line" },
	{ 'G', NULL, CTX_ANY, k_end, NULL },
	{ '\r', "Enter", CTX_NAV, k_drill, "drill: key = value (on a key: "
	    "open or close it; on a key's more line: list more values)" },
	{ '\n', NULL, CTX_NAV, k_drill, NULL },
	{ KEY_ENTER, NULL, CTX_NAV, k_drill, NULL },
	{ '!', "!", CTX_NAV, k_negate, "drill the negation: key != value" },
	{ 'o', "o", CTX_NAV, k_toggle, "open or close the key" },
	{ 'a', "a", CTX_NAV, k_all, "show all values of the key (toggle)" },
	{ 's', "s", CTX_NAV, k_nsort, "sort values: count, value, size, "
	    "packets" },
	{ ':', ":", CTX_NAV, nav_jump, "jump to a key by name (Tab "
	    "completes; a key not listed is added)" },
	{ 'h', "h", CTX_NAV, nav_hist, "the sessions-over-time histogram: "
	    "open it and move to it" },
	{ ' ', "Space", CTX_NAV, nav_mark, "histogram: mark a bucket as one "
	    "end of the time range Enter drills" },
	{ 's', "s", CTX_EVENTS, k_esort, "sort sessions: time, size, "
	    "packets, service, proto" },
	{ ' ', "Space", CTX_EVENTS, k_mark, "mark or unmark the session" },
	{ 'u', "u", CTX_ANY, k_unmark, "unmark every session" },
	{ 'r', "r", CTX_EVENTS, events_reverse, "reverse the sort order" },
	{ KEY_LEFT, "Left Right", CTX_EVENTS, k_eleft, "choose the row's cell "
	    "to pivot on (left of the first: none)" },
	{ KEY_RIGHT, NULL, CTX_EVENTS, k_eright, NULL },
	{ '\r', "Enter", CTX_EVENTS, k_open, "open the session; with a cell "
	    "chosen, drill on its value: key = value" },
	{ '\n', NULL, CTX_EVENTS, k_open, NULL },
	{ KEY_ENTER, NULL, CTX_EVENTS, k_open, NULL },
	{ '!', "!", CTX_EVENTS, k_enot, "drill on the chosen cell's negation: "
	    "key != value" },
	{ 'p', "p", CTX_EVENTS, k_enew, "the chosen cell's key = value as a new "
	    "path" },
	{ 'C', "C", CTX_EVENTS, events_columns, "choose extra columns: meta "
	    "keys, comma-separated (Tab completes), saved in huntcon.conf" },
	{ '\r', "Enter", CTX_SESSION, k_sdrill, "drill on the meta line at the "
	    "top: key = its values" },
	{ '\n', NULL, CTX_SESSION, k_sdrill, NULL },
	{ KEY_ENTER, NULL, CTX_SESSION, k_sdrill, NULL },
	{ '!', "!", CTX_SESSION, k_snot, "drill on the top meta line's "
	    "negation: key != its values" },
	{ 'p', "p", CTX_SESSION, k_snew, "the top meta line's key = its values "
	    "as a new path" },
	{ 't', "t", CTX_SESSION, spane_toggle_text, "packets as hex and ASCII, "
	    "or their payload as text" },
	{ 'd', "d", CTX_SESSION, spane_toggle_decoded, "what each packet's "
	    "DNS, HTTP head or TLS hello says (as --packets --decoded), or "
	    "the packets as before" },
	{ 'r', "r", CTX_SESSION, spane_toggle_stream, "the request/response "
	    "text (the initiator's payload, then the responder's), or the "
	    "packets again" },
	{ 'f', "f", CTX_ANY, find_open, "find text in the pane: a key or value "
	    "(Navigate), a session with a meta value holding it (Events), a "
	    "line (Session)" },
	{ 'n', "n N", CTX_ANY, find_next, "the next or previous match of f" },
	{ 'N', NULL, CTX_ANY, find_prev, NULL },
	{ 'y', "y", CTX_ANY, copy_key, "copy to the clipboard (OSC 52): the "
	    "value or key under the cursor (Navigate), the chosen cell or the "
	    "session's meta (Events), the meta or the packets shown "
	    "(Session)" },
	{ '4', "4", CTX_ANY, k_rules, "Rules pane: the rule editor" },
	{ 'S', "S", CTX_ANY, k_save, "save the drill path as a rule in your "
	    "rule file" },
	{ 'x', "x", CTX_ANY, k_export, "export the open session (in Session), "
	    "else the marked ones, else all of the path, to .pcap, .tsv or "
	    ".json" },
	{ '\r', "Enter e", CTX_RULES, rpane_edit, "edit the rule's condition" },
	{ '\n', NULL, CTX_RULES, rpane_edit, NULL },
	{ KEY_ENTER, NULL, CTX_RULES, rpane_edit, NULL },
	{ 'e', NULL, CTX_RULES, rpane_edit, NULL },
	{ 'a', "a", CTX_RULES, rpane_add, "add a rule (name, condition, alert "
	    "key)" },
	{ 'd', "d Delete", CTX_RULES, rpane_delete, "delete the rule" },
	{ KEY_DC, NULL, CTX_RULES, rpane_delete, NULL },
	{ ' ', "Space", CTX_RULES, rpane_toggle, "enable or disable the rule" },
	{ 'K', "K", CTX_RULES, rpane_up, "move the rule up (order= "
	    "renumbered 10, 20, ...)" },
	{ 'J', "J", CTX_RULES, rpane_down, "move the rule down" },
	{ 'f', "f", CTX_RULES, rpane_fix, "fix the order (as --check-rules "
	    "--fix)" },
	{ 'w', "w", CTX_RULES, rpane_write_key, "write the changed rule files "
	    "and apply them" },
	{ 'r', "r", CTX_RULES, k_apply, "apply the rules to the loaded "
	    "sessions now" },
	{ 'P', "P", CTX_ANY, k_freeze, "live capture: pause the view (counts "
	    "stay; the capture goes on), or follow it again" },
};

/* The context of a pane. */
static enum ui_ctx
keys_ctx(enum ui_pane p)
{
	return (ui_panes[p].ctx);
}

/*
 * Over a store: what a binding cannot do there, said on the message line
 * instead of done; true then.
 */
static bool
keys_store_refuses(struct ui *u, const struct keys_binding *b)
{
	const char	*why = NULL;

	if (u->view.remote == NULL)
		return (false);
	if (b->ctx == CTX_RULES || b->fn == k_save)
		why = "the rules are read-only over a store: edits are a "
		    "sensor's business";
	else if (b->fn == k_sdrill || b->fn == k_snot || b->fn == k_snew ||
	    (b->fn == copy_key && u->pane == PANE_SESSION))
		why = "over a store, pivot and copy from the Events pane's "
		    "cells";
	else if (b->fn == k_mark)
		why = "no marks over a store: x exports the path's sessions";
	else if (b->fn == k_export && u->pane == PANE_SESSION)
		why = "over a store, x exports the path's sessions from "
		    "Navigate or Events";
	if (why == NULL)
		return (false);
	ui_message(u, ROLE_WARNING, "%s", why);
	return (true);
}

/* Run the binding of a key (pane bindings before global ones). */
void
keys_dispatch(struct ui *u, int ch)
{
	enum ui_ctx	 ctx = keys_ctx(u->pane);
	size_t		 i;

	if (u->askfn != NULL) {
		keys_answer(u, ch);
		return;
	}
	if (ch == 0x1b && u->ex.running) {
		xdialog_cancel(u);
		return;
	}
	if (ch == KEY_RESIZE) {
		u->dirty |= DIRTY_SCREEN;
		return;
	}
	for (i = 0; i < nitems(keys_table); i++) {
		if (keys_table[i].key == ch && keys_table[i].ctx == ctx &&
		    ctx != CTX_ANY) {
			if (!keys_store_refuses(u, &keys_table[i]))
				keys_table[i].fn(u);
			return;
		}
	}
	for (i = 0; i < nitems(keys_table); i++) {
		if (keys_table[i].key == ch && keys_table[i].ctx == CTX_ANY) {
			if (u->msg != NULL && keys_table[i].fn != k_back &&
			    keys_table[i].fn != k_cancel)
				ui_message(u, ROLE_NORMAL, NULL);
			if (!keys_store_refuses(u, &keys_table[i]))
				keys_table[i].fn(u);
			return;
		}
	}
}

/* Whether a key is bound to stopping long work. */
bool
keys_cancels(int ch)
{
	size_t	 i;

	for (i = 0; i < nitems(keys_table); i++) {
		if (keys_table[i].key == ch && keys_table[i].fn == k_cancel)
			return (true);
	}
	return (false);
}

/* Lines an action wraps to, at most. */
#define KEYS_HELP_WRAP	16

/* The column the help's actions start at: under their key when
 * compact. */
static int
keys_help_x(void)
{
	return (COLS < 60 ? 4 : 26);
}

/* The screen lines binding i takes on the help screen (0: not shown). */
static size_t
keys_help_height(size_t i)
{
	int	 x = keys_help_x();

	if (keys_table[i].name == NULL)
		return (0);
	return ((size_t)(x < 26) + (size_t)draw_wrap_lines(x, x,
	    KEYS_HELP_WRAP, keys_table[i].help));
}

/* Lines of the help screen, as it wraps at this width. */
size_t
keys_help_lines(void)
{
	size_t	 i, n = 0;

	for (i = 0; i < nitems(keys_table); i++)
		n += keys_help_height(i);
	return (n);
}

/* Draw binding i on the help screen from its line skip, in at most rows
 * lines from y; returns the lines drawn. */
static int
keys_help_entry(size_t i, int y, size_t skip, int rows)
{
	static const char *const ctxs[] = { "everywhere", "Navigate",
	    "Events", "Session", "Rules" };
	int	 x = keys_help_x(), n = 0;
	char	 s[64];

	if (skip == 0) {
		snprintf(s, sizeof s, " %-12s %-11s", keys_table[i].name,
		    ctxs[keys_table[i].ctx]);
		draw_text(y, 0, 14, ROLE_KEY, s);
		draw_text(y, 14, COLS - 14, ROLE_NORMAL, s + 14);
		if (x < 26)
			n++;	/* the action on the lines below */
	} else if (x < 26)
		skip--;
	return (n + draw_text_wrap_from(y + n, x, x, (int)skip, rows - n,
	    KEYS_HELP_WRAP, ROLE_NORMAL, keys_table[i].help));
}

/* Draw the help screen from line u->helptop of it. */
void
keys_help_draw(struct ui *u, int top, int h)
{
	size_t	 i, line = 0, n = keys_help_lines();
	int	 y = top;

	draw_text(y++, 0, COLS, ROLE_HEADER, " key          where       "
	    "action   (? or Backspace: back)");
	/* The last page is a full one. */
	if (h > 1 && u->helptop + (size_t)(h - 1) > n)
		u->helptop = n > (size_t)(h - 1) ? n - (size_t)(h - 1) : 0;
	for (i = 0; i < nitems(keys_table) && y < top + h; i++) {
		n = keys_help_height(i);
		if (n > 0 && line + n > u->helptop)
			y += keys_help_entry(i, y, line < u->helptop ?
			    u->helptop - line : 0, top + h - y);
		line += n;
	}
}
