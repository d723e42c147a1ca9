/*
 * ui-int.h - what the console's files share: the state, the panes, the
 * theme roles and the drawing helpers.
 *
 * Threads: the hunt's worker only runs the capture and the engine; every
 * function here runs on the main thread.  Readers see sessions
 * through store_get() without a lock; nothing is held while drawing.
 * State changes set dirty flags; ui_draw() draws once per loop turn.
 */
#ifndef HUNTCON_UI_INT_H
#define HUNTCON_UI_INT_H

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/engine.h"
#include "engine/hunt.h"
#include "query/query.h"
#include "store/store.h"
#include "ui/ui.h"
#include "view/session.h"
#include "view/view.h"

struct buf;
struct capture;

/* Theme roles: semantic, never colour names. */
#define UI_ROLES \
	X(NORMAL, "normal") \
	X(TITLE, "title") \
	X(STATUS, "status") \
	X(BREADCRUMB, "breadcrumb") \
	X(HEADER, "header") \
	X(KEY, "key") \
	X(VALUE, "value") \
	X(COUNT, "count") \
	X(SELECTED, "selected") \
	X(ERROR, "error") \
	X(WARNING, "warning") \
	X(MARK, "mark") \
	X(PROMPT, "prompt") \
	X(DIM, "dim") \
	X(PROGRESS, "progress")

enum ui_role {
#define X(id, name) ROLE_##id,
	UI_ROLES
#undef X
	ROLE_MAX
};

enum ui_pane { PANE_NAV, PANE_EVENTS, PANE_SESSION, PANE_RULES,
    PANE_HELP };

/* Binding contexts: a binding applies in its pane or everywhere. */
enum ui_ctx { CTX_ANY, CTX_NAV, CTX_EVENTS, CTX_SESSION, CTX_RULES };

struct ui;

/* A pane, one row of ui_panes[] (panes.c) by enum ui_pane: its name on
 * the title line, the context of its bindings, how it draws h lines from
 * line top and how it moves its cursor by d rows. */
struct ui_pane_ops {
	const char	*name;
	enum ui_ctx	 ctx;
	void		(*draw)(struct ui *, int top, int h);
	void		(*cursor)(struct ui *, int d);
};
extern const struct ui_pane_ops ui_panes[];

/* What the prompt line completes. */
enum prompt_kind { PROMPT_QUERY, PROMPT_TEXT, PROMPT_FILE, PROMPT_KEYS };
/* A prompt's handler: true when done, false (after prompt_error()) to keep
 * the line for another try. */
typedef bool (*prompt_fn)(struct ui *, const char *, void *);
/* A question's handler: the key answered, or 0 when cancelled. */
typedef void (*ask_fn)(struct ui *, int);

/* What a pivot does with a value: drill on it, on its negation, or make
 * it a new path. */
enum pivot_how { PIVOT_DRILL, PIVOT_NEGATE, PIVOT_NEW };

/* Dirty flags: what the next loop turn redraws or recomputes. */
#define DIRTY_SCREEN	0x1
#define DIRTY_COUNTS	0x2		/* value counts are stale */
#define DIRTY_MATCH	0x4		/* the match set must be rebuilt */

/* The drill path: terms joined with && (each a query text). */
struct ui_path {
	char		**term;
	size_t		  n;
};

/*
 * A query running on the main thread (a path change, the match set's
 * update): it polls now and then, reading the keys (a cancel key stops it
 * when cancellable, the others wait in keys for the next loop turn) and,
 * once it has run UI_BUSY_MS, drawing its progress on the message line.
 */
#define UI_BUSY_MS	200
struct ui_busy {
	bool		 on, cancellable, cancel;
	bool		 shown;		/* progress drawn */
	bool		 store;		/* started by a store's request */
	uint64_t	 t0, polled;	/* started, last polled (ms) */
	uint64_t	 done, total;
	int		 keys[64];
	size_t		 nkeys;
};

/* One key of the Navigate pane and its cached counts. */
struct nav_key {
	int		 key;
	bool		 open;
	bool		 all;		/* show every value */
	bool		 counted;
	bool		 hist;		/* sessions over time */
	uint64_t	 gen;		/* view generation counted at */
	unsigned	 pages;		/* times "more" was pressed */
	size_t		 asked;		/* counted (0: all) */
	struct vcount	*v;		/* first n values, or buckets */
	size_t		 n;
	size_t		 total;		/* distinct values */
	uint64_t	 bucket;	/* hist: ns per bucket */
	uint64_t	 max;		/* hist: the largest count */
	ssize_t		 mark;		/* hist: marked bucket or -1 */
};

/* A row of the Navigate pane: a key header, one of its values, or the
 * line offering more of them. */
#define NAV_HEADER	(-1)
#define NAV_MORE	(-2)
struct nav_row {
	size_t		 k;		/* index into keys */
	ssize_t		 v;		/* value, NAV_HEADER, NAV_MORE */
};

struct nav {
	struct nav_key	*keys;
	size_t		 nkeys;
	struct nav_row	*rows;
	size_t		 nrows;
	size_t		 cur, top;
	enum vsort	 sort;
	size_t		 fit;		/* values a page holds */
	size_t		 deflt;		/* console.values */
	bool		 hold;		/* keep older counts */
};

/* The Events pane: matching ids in the chosen order. */
struct events {
	uint64_t	*ids;
	size_t		 n;
	uint64_t	 gen;
	size_t		 cur, top;
	int		 sort;		/* column index */
	bool		 rev;		/* the other way round */
	int		 col;		/* the cell pivots act on, 1-based;
					   0: none */
	uint64_t	*marks;		/* bit per id */
	uint64_t	 markcap;
	uint64_t	 nmarks;
	/* Live capture: rows of open sessions on the path, formatted while
	   the engine waits (their meta comes at close). */
	char		**open;
	size_t		 nopen;
	const struct meta_reader *rd;	/* while those rows are made */
	/* console.columns: the extra columns' keys, after the fixed ones
	   (C chooses them). */
	int		 xkeys[ENGINE_KEYS_MAX];
	size_t		 nx;
};

/*
 * The rule editor: the rules as the editor's text loads them (rs), that
 * text (ed, made on the first change), and every ruleset whose values
 * sessions may still hold (rule-written values point into their ruleset,
 * so none is freed before the console ends).
 */
struct rpane {
	const struct ruleset *rs;	/* shown; first the one from main */
	struct rules_edit *ed;
	struct ruleset	**own;		/* every ruleset made here */
	size_t		 nown;
	size_t		 cur, top;	/* evaluation position */
	/* Re-applying rs to the loaded sessions, a slice per loop turn
	   (hunt_reapply_step). */
	bool		 applying, pending;
	uint64_t	 t0;
	/* A rule being added: its name and condition between prompts. */
	char		*name, *cond;
	char		*note;		/* said again when applied */
};

/* Writing sessions from the console (a thread, so input goes on). */
struct xdialog {
	pthread_t	 thread;
	bool		 running;
	atomic_bool	 done;
	char		*path;
	int		 format;	/* 0 pcap, else enum batch_format + 1 */
	uint32_t	*ids;		/* sessions, ascending */
	size_t		 nids;
	struct query	*q;		/* over a store: the path's, its own */
	bool		 force;
	struct export_progress *prog;
	bool		 ok;
	char		*cause;
	char		*result;
};

/* Lines of the Session pane: its head, or one packet's (side: which
 * side sent it, 0 initiator, 1 responder, -1 not known). */
struct spane_lines {
	char		**line;
	uint8_t		 *role;
	size_t		 n;
	int		 side;
};

/*
 * The Session pane: a head built when it opens (title, meta, fragments),
 * then one block of lines per packet, formatted only for a window of
 * packets around the ones on screen, asked of the view (view/session.h)
 * as they come into it.  The top line is (blk, off): block 0 is the
 * head, block k+1 packet k.  As request/response text (stream) the
 * packets are walked twice, the initiator's payload and then the
 * responder's: blocks 1 to nords are the request side, block nords+1
 * the response's title and the blocks after it the response side (a
 * packet of the other side is an empty block).
 */
struct spane {
	uint64_t	 id;
	char		**line;		/* the head */
	uint8_t		 *role;
	size_t		 n;
	struct view	*view;		/* what the session is asked of */
	struct view	 own;		/* the pane's own in-memory view */
	struct view_session vs;		/* its meta and packets */
	size_t		 nords;		/* its packets (vs.npkts) */
	bool		 text;		/* payload as text instead of hex */
	bool		 stream;	/* request/response text */
	bool		 decoded;	/* what DNS, HTTP, TLS hellos say */
	size_t		 hpk;		/* the head's packets title line */
	int		*hkey;		/* each head line's meta key, or -1 */
	size_t		 blk, off;
	size_t		 wlo, wn;	/* the window of formatted packets */
	struct spane_lines *win;
};

struct ui {
	const struct ui_options	*opt;
	struct hunt		*h;		/* capture, engine, store */
	/* The hunt's, for the panes that read them themselves. */
	struct capture		*cap;		/* the worker's until loaded;
						   then rereads (main thread) */
	struct store		*st;
	struct engine		*eng;
	bool			 live;		/* an interface or a stream */
	FILE			*tty;		/* keys, when stdin is a stream */
	int			 keyfd;		/* where keys come from */
	uint64_t		 t0;		/* start, ms */
	uint64_t		 tload;		/* loaded at, ms */
	bool			 first_counts;
	bool			 warming;	/* nav_warm_step has work */

	enum ui_pane		 pane, back;	/* back: pane under help */
	int			 dirty;
	bool			 quit;
	bool			 ascii;		/* no UTF-8 locale */
	bool			 colour;
	int			 rows, cols;
	size_t			 helptop;

	char			*msg;		/* one-line message */
	char			*find;		/* f: the text found last */
	enum ui_role		 msgrole;

	struct ui_path		 path;
	struct view_sel		 view;		/* the path's sessions */
	struct nav		 nav;
	struct events		 ev;
	struct spane		 sv;
	struct rpane		 rv;
	/* The groups correlation rules passed (rep, made with the ruleset
	 * reprs), for the Session pane; NULL before correlation ran. */
	struct corr_report	*rep;
	const struct ruleset	*reprs;
	struct xdialog		 ex;
	struct ui_busy		 busy;
	bool			 prompting;
	/* A question on the message line, answered by one key. */
	char			*ask;
	const char		*askkeys;
	ask_fn			 askfn;
	FILE			*timing;	/* $HUNTCON_UI_TIMING */
	uint64_t		 tkey, ckey;	/* first key of the turn:
						   wall and CPU (us) */
	uint64_t		 recount;	/* loading: count again then
						   (ms) */
	cpu_set_t		 cpus;		/* this thread's CPUs */
	bool			 pinned;	/* while loading (cpus kept) */
	bool			 frozen;	/* P: the view stands still */
	uint64_t		 tlive;		/* last live refresh (ms) */
};

/* ui.c */
uint64_t ui_ms(void);
void	 ui_timing(struct ui *, const char *, uint64_t);
void	 ui_timing_cpu(struct ui *, const char *, uint64_t, uint64_t);
uint64_t ui_cpu_us(void);
/* A message passed through esc_guard, in a new string; frees s. */
char	*ui_guard(char *);
void	 ui_message(struct ui *, enum ui_role, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
bool	 ui_path_set(struct ui *, const char *);
bool	 ui_path_push(struct ui *, const char *);
bool	 ui_path_pop(struct ui *);
void	 ui_view_refresh(struct ui *);
char	*ui_path_text(const struct ui_path *);
uint64_t ui_correlate(struct ui *);

/* theme.c */
bool	 theme_load(const char *name, bool colour, char **cause);
int	 theme_attr(enum ui_role);

/* draw.c */
void	 draw_text(int y, int x, int w, enum ui_role, const char *);
void	 draw_esc(int y, int x, int w, enum ui_role, const void *, size_t);
void	 draw_fill(int y, enum ui_role);
void	 draw_scroll(size_t *top, size_t first, size_t last, int h);
void	 draw_path(struct buf *, const char *, int);
int	 draw_width(const char *, size_t);
size_t	 draw_fit(const char *, size_t, int w);
void	 draw_init(bool ascii);
void	 ui_draw(struct ui *);
void	 draw_hline(int y, int x, int w);
void	 draw_busy(struct ui *);
bool	 draw_compact(void);
bool	 draw_wrap(const char *, int w0, int w, unsigned int part,
	    unsigned int max, size_t *off, size_t *len);
int	 draw_text_wrap(int y, int x, int indent, int max, enum ui_role,
	    const char *);
int	 draw_text_wrap_from(int y, int x, int indent, int from, int rows,
	    int max, enum ui_role, const char *);
int	 draw_wrap_lines(int x, int indent, int max, const char *);
void	 draw_tail(struct buf *, const char *, int);

/* pane-rules.c */
void	 rpane_init(struct ui *);
void	 rpane_free(struct ui *);
void	 rpane_draw(struct ui *, int top, int h);
void	 rpane_move(struct ui *, int);
void	 rpane_edit(struct ui *);
void	 rpane_add(struct ui *);
void	 rpane_delete(struct ui *);
void	 rpane_toggle(struct ui *);
void	 rpane_up(struct ui *);
void	 rpane_down(struct ui *);
void	 rpane_fix(struct ui *);
void	 rpane_write_key(struct ui *);
void	 rpane_save_path(struct ui *);
void	 rpane_apply(struct ui *);
bool	 rpane_step(struct ui *);
int	 rpane_progress(const struct ui *);
bool	 rpane_dirty(const struct ui *);
void	 rpane_write(struct ui *, bool quit);

/* dialog-export.c */
void	 xdialog_start(struct ui *);
bool	 xdialog_poll(struct ui *);
int	 xdialog_progress(const struct ui *);
void	 xdialog_cancel(struct ui *);
void	 xdialog_free(struct ui *);

/* keys.c */
void	 ui_ask(struct ui *, const char *keys, ask_fn, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
void	 keys_dispatch(struct ui *, int);
bool	 keys_cancels(int);
void	 keys_help_draw(struct ui *, int top, int h);
void	 keys_help_move(struct ui *, int);
size_t	 keys_help_lines(void);

/* prompt.c */
void	 prompt_init(void);
void	 prompt_done(void);
void	 prompt_open(struct ui *);
void	 prompt_ask(struct ui *, enum prompt_kind, const char *label,
	    const char *text, prompt_fn, void *);
void	 prompt_error(struct ui *, size_t col, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 prompt_key(struct ui *, int);
int	 prompt_lines(int max);
void	 prompt_draw(struct ui *, int y, int h);

/* pane-navigate.c */
void	 nav_rows(struct ui *, size_t need);
void	 nav_init(struct nav *, size_t deflt);
void	 nav_jump(struct ui *);
void	 nav_hist(struct ui *);
void	 nav_mark(struct ui *);
void	 nav_warm(struct ui *);
bool	 nav_warm_step(struct ui *);
void	 nav_free(struct nav *);
void	 nav_draw(struct ui *, int top, int h);
void	 nav_move(struct ui *, int);
void	 nav_enter(struct ui *, bool negate);
void	 nav_toggle(struct ui *, bool all);
void	 nav_sort(struct ui *);
void	 nav_invalidate(struct nav *);
void	 nav_stale(struct ui *);
void	 nav_land(struct ui *, const char *);
void	 nav_format_value(struct buf *, const struct mval *);
void	 nav_quote_value(struct buf *, const struct mval *, int key);

/* pane-events.c */
void	 events_free(struct events *);
void	 events_open_rows(struct ui *);
void	 events_draw(struct ui *, int top, int h);
void	 events_move(struct ui *, int);
void	 events_mark(struct ui *);
void	 events_unmark_all(struct ui *);
uint64_t events_marks_hidden(const struct ui *);
void	 events_sort(struct ui *);
void	 events_open(struct ui *);
void	 events_reverse(struct ui *);
void	 events_cell(struct ui *, int);
void	 events_enter(struct ui *, enum pivot_how);
bool	 events_marked(const struct events *, uint64_t);
bool	 events_selected(struct ui *, uint64_t *id, int *key);
void	 events_columns_init(struct ui *);
void	 events_columns(struct ui *);

/* pivot.c */
size_t	 pivot_values(struct ui *, uint64_t, int, struct mval *, size_t,
	    struct mval **);
void	 pivot_go(struct ui *, uint64_t id, int key, enum pivot_how);

/* pane-session.c */
void	 spane_open(struct ui *, uint64_t id);
/* A session of any view (the caller keeps it while the pane shows it). */
void	 spane_open_ref(struct ui *, struct view *, const struct view_ref *);
void	 spane_free(struct spane *);
void	 spane_draw(struct ui *, int top, int h);
void	 spane_move(struct ui *, int);
void	 spane_toggle_text(struct ui *);
void	 spane_toggle_stream(struct ui *);
void	 spane_toggle_decoded(struct ui *);
void	 spane_pivot(struct ui *, enum pivot_how);
size_t	 spane_copy_packets(struct ui *, struct buf *, size_t lines);
int	 spane_find(struct ui *, const char *, bool back);

/* copy.c */
void	 copy_key(struct ui *);

/* find.c */
void	 find_open(struct ui *);
void	 find_next(struct ui *);
void	 find_prev(struct ui *);
bool	 find_in(const char *, size_t, const char *);

#endif
