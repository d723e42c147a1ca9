/* rules-int.h - the ruleset's insides, shared by load.c, check.c, apply.c. */
#ifndef HUNTCON_RULES_INT_H
#define HUNTCON_RULES_INT_H

#include "query/query.h"
#include "rules/rules.h"
#include "session/session.h"
#include "util/util.h"

/* One line of a file, exactly as read. */
struct rules_line {
	char		*raw;		/* terminator included */
	size_t		 len;
	long		 rule;		/* rule on this line, or -1 */
	bool		 comment;	/* '#' is the first non-blank */
};

/* One loaded file. */
struct rules_file {
	char		*path;
	struct rules_line *lines;
	size_t		 nlines;
	bool		 order;		/* the user's order file */
};

/* A line of the order file: a rule's order= or disable, by name. */
struct rules_ovr {
	char		*name;
	size_t		 file;
	unsigned	 line;
	bool		 has_order;
	uint64_t	 order;
	bool		 disable;
};

/* One rule line. */
struct rule {
	size_t		 file;		/* index in files */
	unsigned	 line;		/* 1-based */
	const char	*raw;		/* the line, terminator excluded */
	size_t		 rawlen;
	char		*name;		/* NUL-terminated */
	size_t		 namelen;
	char		*cond;		/* \" reduced */
	size_t		 condlen;
	size_t		 condoff;	/* raw offset of the condition */
	size_t		 alertoff;	/* raw offset of the alert key */
	char		*alertname;
	int		 alert;		/* key id, -1 until known */
	uint64_t	 order;
	size_t		 orderoff;	/* raw span of "order=N" */
	size_t		 orderlen;	/* 0: not given */
	int		 flags;		/* RULE_* */
	struct query	*q;
	struct mval	 value;		/* the name as a text value */
	uint32_t	 pool;		/* its value pool id (apply_prepare) */
	uint8_t		 lower;		/* MF_LOWER when it has no capital */
	/* type=correlation: the raw group=, window= and threshold= values,
	   their raw offsets, and what corr_compile() made of them. */
	char		*cgroup, *cwindow, *cthresh;
	size_t		 cgroupoff, cwindowoff, cthreshoff;
	struct corr_spec *corr;
};

/* Group keys a correlation rule may name. */
#define CORR_KEYS	4
/* distinct() terms a threshold may hold. */
#define CORR_DTERMS	8

/* A correlation aggregate. */
enum corr_agg {
	CA_SESSIONS, CA_DISTINCT, CA_SUMSIZE, CA_SUMPAYLOAD, CA_RATE, CA_CV,
	CA_INTERVAL
};

/* A comparison in a threshold. */
enum corr_op { CO_GE, CO_LE, CO_GT, CO_LT, CO_EQ, CO_NE };

/* One term of a threshold: AGG OP NUMBER. */
struct corr_term {
	enum corr_agg	 agg;
	int		 key;		/* CA_DISTINCT: the key */
	size_t		 dslot;		/* CA_DISTINCT: its set in a group */
	enum corr_op	 op;
	double		 num;
};

/* A compiled correlation rule. */
struct corr_spec {
	int		*keys;		/* group keys */
	size_t		 nkeys;
	uint64_t	 window;	/* nanoseconds */
	struct corr_term *terms;	/* all must hold */
	size_t		 nterms;
	size_t		 ndistinct;	/* distinct sets per group */
};

struct ruleset {
	struct rules_file *files;
	size_t		 nfiles;
	struct rule	*rules;
	size_t		 nrules;
	size_t		*sorted;	/* every rule in evaluation order */
	size_t		*run;		/* rules evaluated, in order */
	size_t		 nrun;
	size_t		*corr;		/* correlation rules, in order */
	size_t		 ncorr;
	const struct query **runq;	/* their queries (apply_prepare) */
	size_t		*namecls;	/* per run position: the first one
					   writing its key an equal name */
	int		*xkeys;		/* extra-meta keys they read that the
					   query cache remembers */
	size_t		 nxkeys;
	bool		 transient;	/* some runnable rule is transient */
	struct rules_diag *diags;
	size_t		 ndiags;
	struct rules_ovr *ovr;		/* order file lines, in order */
	size_t		 novr;
	size_t		*deps;		/* edges writer -> reader, pairs */
	size_t		 ndeps;
	int		 ncycles;
};

/*
 * Rules grouped by name, ASCII case folded, and by alert key too when
 * bykey: a hash table of each group's first rule, chained to the next in
 * the order the rules were added.
 */
struct rules_index {
	size_t		*slot;		/* head rule + 1 per slot, 0 empty */
	size_t		 mask;
	size_t		*next;		/* per rule: next in its group, or
					   SIZE_MAX */
	bool		 bykey;
};

/* Group n rules, taken in the order given. */
void	 rules_index_build(struct rules_index *, const struct ruleset *,
	    const size_t *, size_t, bool);
/* The first rule of the group of a key and name, or -1. */
long	 rules_index_find(const struct rules_index *, const struct ruleset *,
	    int, const char *, size_t);
void	 rules_index_free(struct rules_index *);

/* Record a diagnostic. */
void	 rules_diag_add(struct ruleset *, size_t, unsigned, unsigned, bool,
	    long, const char *, ...) __attribute__((format(printf, 7, 8)));
/* Raw 1-based column of a 1-based column of a rule's reduced condition. */
unsigned rules_cond_col(const struct rule *, size_t);
/* Find dependencies and record the order-check findings. */
void	 check_analyse(struct ruleset *);
/* Whether a rule takes part in evaluation and the check. */
bool	 rules_live(const struct rule *);
/* Compile a correlation rule's group=, window= and threshold=; false
 * after recording an error. */
bool	 corr_compile(struct ruleset *, struct rule *, long);
void	 corr_spec_free(struct corr_spec *);
/* A stored session live correlation may judge: its id and start (ns). */
struct corr_cand {
	uint64_t	 id, t;
};
/* Run one correlation rule (index ri) over the stored sessions, or over
 * the candidates that started at since or later; how many sessions
 * gained its value (the index is not rebuilt). */
uint64_t corr_judge(const struct ruleset *, size_t, struct store *,
	    const struct corr_cand *, size_t, uint64_t, FILE *,
	    struct corr_report *);
/* report.c: a group's key bytes (corr.c's layout) as a where-clause. */
char	*report_group_text(const struct corr_spec *, const uint8_t *, size_t);
/* Keep a passed group's figures (strings taken) and its sessions. */
void	 report_add(struct corr_report *, const struct corr_figures *,
	    const uint64_t *, size_t);
/* Sort what was kept for rules_report_groups(). */
void	 report_finish(struct corr_report *);
struct corr_report *report_new(void);
/* Gather what rules_apply needs once rs->run is known. */
void	 apply_prepare(struct ruleset *);
/* Build a ruleset from in-memory files (edit.c): add each, then finish. */
void	 rules_load_data(struct ruleset *, const char *, const char *, size_t);
void	 rules_order_line(struct ruleset *, size_t, unsigned,
	    struct rules_line *);
void	 rules_order_apply(struct ruleset *);
void	 rules_load_finish(struct ruleset *);

#endif
