/*
 * rules.h - application rules (SPEC §4): load NetWitness rule lines, check
 * their order, print a repaired order, and evaluate them on sessions.
 *
 * Stages, one file each: load.c reads the sources into a ruleset (every raw
 * line kept, so an editor can write a file back byte for byte) and compiles
 * each condition once; check.c finds the dependencies between rules and
 * reports the order check; apply.c evaluates the rules on one session.
 *
 * Contract:
 * - rules_load() never fails: a source that cannot be read, a line that
 *   does not parse and every order-check finding become diagnostics kept in
 *   the ruleset, in file and line order.  rules_check() prints them and
 *   returns how many are errors (exit 1 for --check-rules when not 0).
 * - Alert keys not in the registry are created (text) with meta_intern()
 *   before any condition is compiled, so rules can read them.
 * - A rule with an error (a parse error, a bad alert key, or a condition
 *   that does not compile) is kept for the editor but never evaluated and
 *   takes no part in the order check.  Disabled rules are kept alike.
 * - Evaluation order: ascending order= (missing is 0), ties by file position
 *   (sources in the order given) then line.
 * - rules_apply() runs on the engine thread, rules_reapply() on the thread
 *   that owns the store then (the console's, once ingest is over or under
 *   the gate); one at a time: a rule with a regex owns one PCRE2 match
 *   block.  They allocate nothing per
 *   session beyond what session_meta_add() stores for a matching rule.
 * - The ruleset owns every string it hands out; they live until
 *   rules_free().
 */
#ifndef HUNTCON_RULES_H
#define HUNTCON_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "meta/meta.h"

struct session;
struct ruleset;

/* The source tree's rules, when neither $HUNTCON_RULES nor an installed
 * set is found. */
#ifndef HUNTCON_RULES_DIR
#define HUNTCON_RULES_DIR	"rules"
#endif

/* Rule flags. */
#define RULE_STOP	0x1	/* no later rule runs when this one matched */
#define RULE_TRANSIENT	0x2	/* value seen by later rules, then dropped */
#define RULE_DISABLE	0x4	/* not evaluated, not checked */
#define RULE_TRUNCATE	0x8	/* truncate=... given: kept, not applicable */
#define RULE_ERROR	0x10	/* did not load: skipped */
#define RULE_CORR	0x20	/* type=correlation: judged over groups */

/*
 * One finding.  line is 0 for a whole source (cannot open), col 0 when the
 * message has no column; col is a 1-based byte column in the raw file line
 * (a BOM counts).  rule is the index of the rule concerned, or -1.
 */
struct rules_diag {
	const char	*file;
	size_t		 fileidx;	/* index of the file in load order */
	unsigned	 line;
	unsigned	 col;
	bool		 error;
	long		 rule;
	char		*msg;
};

/*
 * Load rule sources in order: each a FILE, a DIR (its *.nwr files in
 * bytewise name order), "bundled" or "none".  With n == 0: the bundled set
 * then the user's file when it exists.  Never NULL.
 */
struct ruleset	*rules_load(const char *const *, size_t);
/*
 * The store's retention (store.retain, ns; 0: all kept) for the loads
 * that follow: a correlation rule whose window is not shorter gets a
 * warning (its groups count only the sessions kept).
 */
void		 rules_retain(uint64_t);
/* Load one in-memory file (name is used in messages); for tests and fuzz. */
struct ruleset	*rules_load_buffer(const char *, const char *, size_t);
void		 rules_free(struct ruleset *);

/* $HUNTCON_RULES, else the installed rules, else HUNTCON_RULES_DIR
 * (allocated). */
char		*rules_bundled_dir(void);
/* The user's rule file path (allocated; it need not exist). */
char		*rules_user_file(void);
/* The user's order file (order= and disable by rule name), and whether a
 * path is it. */
char		*rules_order_file(void);
bool		 rules_is_order_file(const char *);

/* Print every diagnostic, one line each; returns the number of errors. */
int		 rules_check(const struct ruleset *, FILE *);
/*
 * Print every rule with the comment lines directly above it, in an order
 * satisfying all dependencies, order= renumbered 10, 20, ...  Returns the
 * number of dependency cycles (their members keep their relative order at
 * the end).
 */
int		 rules_fix(const struct ruleset *, FILE *);

/*
 * Evaluate the rules on a session: r is a session_reader_init() reader (or
 * one that reads s as it does; keys from K_NCORE on come from the extra
 * meta alone).
 */
void		 rules_apply(const struct ruleset *, struct session *,
		    const struct meta_reader *);
/* Drop every rule-written value of a session, then apply again. */
void		 rules_reapply(const struct ruleset *, struct session *,
		    const struct meta_reader *);

struct store;
/*
 * Run the correlation rules (corr.c) over every stored session once the
 * application rules have run on all of them, on the packet clock: each
 * rule's groups in tumbling windows; a group that passes its threshold
 * gives every session of its window the rule's name.  Groups are judged
 * one at a time (no cap on them).  Warnings (members not kept) go to warn
 * when not NULL.  Returns the number of sessions that gained a value.
 * Not while another thread reads st (the index is read and rebuilt).
 */
uint64_t	 rules_correlate(const struct ruleset *, struct store *,
		    FILE *);

/*
 * A group a correlation rule passed and the figures it was judged on: its
 * key values, its window's first and last session start, the sessions in
 * it, the count of each distinct() term, the sums of size and payload,
 * the rate (sessions a minute over the window) and the mean and
 * coefficient of variation of the intervals between session starts (NAN
 * with too few intervals, as cv and interval then never hold).
 */
struct corr_figures {
	size_t		 rule;		/* index for rules_name() and others */
	char		*group;		/* the key values as a where-clause
					   (KEY = VALUE && ...), escaped;
					   absent keys left out */
	char		*distinct;	/* "KEY=N" per distinct() term, comma
					   separated, or "" */
	uint64_t	 first, last;	/* nanoseconds */
	uint64_t	 sessions, size, payload;
	double		 rate, interval, cv;
};
struct corr_report;
/*
 * rules_correlate(), keeping in *rep (when not NULL; the caller frees it
 * with rules_report_free()) every group that passed and its sessions.
 */
uint64_t	 rules_correlate_report(const struct ruleset *, struct store *,
		    FILE *, struct corr_report **);
/*
 * The groups that gave session id a correlation rule's value, in the
 * rules' order: up to max in out (valid as long as the report); returns
 * how many there are.
 */
size_t		 rules_report_groups(const struct corr_report *, uint64_t,
		    const struct corr_figures **, size_t);
/*
 * Correlation rules on a live capture (live.c): every stored session joins
 * the windows (rules_live_add from the engine's thread, as it stores it),
 * the wall clock slides them (rules_live_tick), and at most once a second
 * (no sooner than ten times what the last judgement took) each rule
 * judges again the sessions that started within its window and five
 * minutes before now, newest first, so that a group's window ends at its
 * newest session; a group that passes gives its sessions the rule's value
 * then.  At most keep sessions (0: 1,000,000) are kept, the oldest leaving
 * first, counted; a judgement keeps at most 65,536 groups open at once,
 * the oldest judged early and evicted.  rules_live_new() returns NULL
 * when the ruleset has no correlation rule; the functions take NULL.
 */
struct corr_live;
struct corr_live *rules_live_new(const struct ruleset *, struct store *,
		    size_t keep);
void		 rules_live_add(struct corr_live *, uint64_t id, uint64_t t);
void		 rules_live_tick(struct corr_live *, uint64_t now);
/* On the packet clock (a file read with retention): judgements every 30 s
 * of packet time, ticked by rules_live_packet as sessions are stored. */
void		 rules_live_on_packets(struct corr_live *);
/* Keep every judgement's groups for rules_live_finish's report. */
void		 rules_live_report(struct corr_live *);
void		 rules_live_packet(struct corr_live *, uint64_t now);
/* The end at wall time now: a last judgement (warnings to the stream,
 * its groups to *rep when not NULL), the index rebuilt; sessions that
 * gained a value in all. */
uint64_t	 rules_live_finish(struct corr_live *, uint64_t now, FILE *,
		    struct corr_report **);
void		 rules_live_free(struct corr_live *);
/*
 * How long after its start a session may still gain a value here (the
 * longest window, five minutes, a judgement's second): after that it is
 * final, for shipping.  0 for NULL.
 */
uint64_t	 rules_live_horizon(const struct corr_live *);
/* Number of groups that passed. */
size_t		 rules_report_count(const struct corr_report *);
void		 rules_report_free(struct corr_report *);
/* Number of correlation rules that will be evaluated. */
size_t		 rules_ncorr(const struct ruleset *);

/* Accessors for the rule editor. */
size_t		 rules_count(const struct ruleset *);
/* Number of rules that will be evaluated. */
size_t		 rules_active(const struct ruleset *);
const char	*rules_name(const struct ruleset *, size_t);
const char	*rules_file(const struct ruleset *, size_t);
unsigned	 rules_line(const struct ruleset *, size_t);
/* Raw line, without its line terminator; length in *len. */
const char	*rules_raw(const struct ruleset *, size_t, size_t *);
/* Condition as given to the query compiler (\" reduced). */
const char	*rules_condition(const struct ruleset *, size_t);
int		 rules_alert(const struct ruleset *, size_t);
uint64_t	 rules_order(const struct ruleset *, size_t);
int		 rules_flags(const struct ruleset *, size_t);
bool		 rules_enabled(const struct ruleset *, size_t);
/* Diagnostics in file and line order. */
size_t		 rules_ndiags(const struct ruleset *);
const struct rules_diag *rules_diag(const struct ruleset *, size_t);

/* Files loaded, and the raw lines of each (terminators included). */
size_t		 rules_nfiles(const struct ruleset *);
const char	*rules_file_path(const struct ruleset *, size_t);
size_t		 rules_file_nlines(const struct ruleset *, size_t);
const char	*rules_file_line(const struct ruleset *, size_t, size_t,
		    size_t *);

/* Evaluation order: the rule index at position k (0 .. count - 1). */
size_t		 rules_sorted(const struct ruleset *, size_t k);
/* A rule's file, as an index into rules_file_path(). */
size_t		 rules_fileidx(const struct ruleset *, size_t);
/* Whether a name can be an alert key: letters, digits, ".", "_", "-". */
bool		 rules_keyname_ok(const char *);
/* The rule with this name (case folded), or -1. */
long		 rules_find(const struct ruleset *, const char *);
/* The rules whose values rule ri reads (its order-check edges): up to max
 * into out; returns how many there are. */
size_t		 rules_writers_of(const struct ruleset *, size_t ri, size_t *,
		    size_t max);
/* The order --fix prints: rules_count() rule indices into seq. */
void		 rules_fix_order(const struct ruleset *, size_t *seq);

struct buf;
/* Line p (n bytes, no terminator) with token w set to value (a bare word
 * when value is NULL): in place when present, else appended. */
void		 rules_token_set(struct buf *, const char *p, size_t n,
		    const char *w, const char *value);
/* A new rule line: name=... rule="..." alert=KEY [order=N] type=application
 * (order 0 is left out).  Caller frees. */
char		*rules_format_line(const char *name, const char *cond,
		    const char *alert, uint64_t order);

/*
 * The rule editor's model (edit.c): a copy of a ruleset's files as lines
 * of text.  Each change rewrites, adds or drops one line, keeping every
 * other byte; rules_edit_load() loads the text again (the caller replaces
 * its ruleset with the result, whose rule indices the next change uses).
 * Changes name a rule by its index in the ruleset loaded from this copy
 * last (or the one it was made from); false when the rule's file cannot be
 * changed (it could not be read).  Nothing is written until
 * rules_edit_write().
 */
struct rules_edit;
struct rules_edit *rules_edit_new(const struct ruleset *);
void		 rules_edit_free(struct rules_edit *);
struct ruleset	*rules_edit_load(const struct rules_edit *);
bool		 rules_edit_dirty(const struct rules_edit *);
size_t		 rules_edit_nfiles(const struct rules_edit *);
const char	*rules_edit_path(const struct rules_edit *, size_t);
bool		 rules_edit_modified(const struct rules_edit *, size_t);
bool		 rules_edit_set_cond(struct rules_edit *,
		    const struct ruleset *, size_t, const char *);
long		 rules_edit_copy_cond(struct rules_edit *,
		    const struct ruleset *, size_t, const char *, unsigned *);
bool		 rules_edit_set_order(struct rules_edit *,
		    const struct ruleset *, size_t, uint64_t);
bool		 rules_edit_enable(struct rules_edit *, const struct ruleset *,
		    size_t, bool);
bool		 rules_edit_delete(struct rules_edit *, const struct ruleset *,
		    size_t);
/* Renumber order= 10, 20, ... along seq (rule indices). */
void		 rules_edit_renumber(struct rules_edit *,
		    const struct ruleset *, const size_t *seq, size_t n);
/* Append a line to a file (added when absent); returns the file index,
 * *line its 1-based line number. */
size_t		 rules_edit_append(struct rules_edit *, const char *path,
		    const char *text, unsigned *line);
/* Write the changed files (only path's when not NULL), all or none: each
 * to a temporary beside it (a symlink's target) with its mode and owner,
 * then all renamed; false with *cause (caller frees) naming the file, every
 * file as it was. */
bool		 rules_edit_write(struct rules_edit *, const char *path,
		    char **cause);

#endif
