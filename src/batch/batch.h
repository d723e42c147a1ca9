/*
 * batch.h - the batch output of SPEC §6: --values, --sessions (TSV and JSON
 * lines), --stats and --keys, written to a stdio stream.
 *
 * Sessions are chosen by a compiled query answered through the store's
 * index (NULL keeps every session).  Text is escaped as SPEC §6 says.
 * Each writer stops at the first write that fails and returns false with
 * errno set to the reason (for file_finish()).
 */
#ifndef HUNTCON_BATCH_H
#define HUNTCON_BATCH_H

#include <stdbool.h>
#include <stdio.h>

#include "capture/capture.h"
#include "engine/engine.h"
#include "query/query.h"
#include "rules/rules.h"
#include "store/store.h"

enum batch_format { BATCH_TSV, BATCH_JSON };

/* A --fields list: keys and the names as the user wrote them. */
struct batch_fields {
	int		*key;
	char		**name;
	size_t		 n;
};

typedef bool (*batch_keep_fn)(uint64_t, void *);

/* Parse "K,K,..." or "all"; false with *cause (caller frees) on error. */
bool	 batch_fields_parse(struct batch_fields *, const char *, char **);
/* The default fields of SPEC §6. */
void	 batch_fields_default(struct batch_fields *);
void	 batch_fields_free(struct batch_fields *);

/* --values and --sessions over the sessions a query selects (NULL: all). */
bool	 batch_values(FILE *, const struct store *, int key, enum vsort,
	    const struct query *);
bool	 batch_sessions(FILE *, const struct store *,
	    const struct batch_fields *, enum batch_format, bool header,
	    const struct query *);

/* --sessions over chosen sessions (ascending ids). */
bool	 batch_lines(FILE *, const struct store *, const struct batch_fields *,
	    enum batch_format, bool header, const uint32_t *ids, size_t n);

/* Items ids[0..n-1] (NULL: 0..n-1) of a reader as lines; counts made
 * elsewhere (freed). */
bool	 batch_reader_lines(FILE *, const struct meta_reader *,
	    const struct batch_fields *, enum batch_format, bool header,
	    const uint32_t *ids, size_t n);
bool	 batch_counts(FILE *, struct vcount *, size_t, enum vsort);

/* The sessions a query selects, for export's keep function. */
struct batch_sel {
	uint32_t	*ids;		/* ascending */
	size_t		 n;
};
/* Select with a query (NULL: every session); free with batch_sel_free. */
void	 batch_sel_init(struct batch_sel *, const struct store *,
	    const struct query *);
/* A batch_keep_fn over a struct batch_sel (the arg). */
bool	 batch_sel_keep(uint64_t, void *);
void	 batch_sel_free(struct batch_sel *);
/* Add the other fragments of the chosen split conversations
 * (--with-fragments; what the console's export offers). */
void	 batch_sel_fragments(struct batch_sel *, const struct store *);

/* --packets: --hex, --text and --decoded add a column each (decoded:
 * parse_show()'s lines joined by the escape "\n"). */
#define BATCH_PKT_HEX		0x1
#define BATCH_PKT_TEXT		0x2
#define BATCH_PKT_DECODED	0x4
struct decoded;
/* One line per packet of the chosen sessions (ascending ids), in capture
 * order, the inputs read again. */
bool	 batch_packets(FILE *, struct capture *, const struct store *,
	    const uint32_t *ids, size_t n, int flags, bool header);
/* A packet's frame number in its file (FILE:N with several inputs). */
void	 batch_pkt_frame(struct buf *, const struct capture *, uint64_t,
	    uint16_t);
/* A packet's UTC time, sep, and its offset from start ("+S.ffffff"). */
void	 batch_pkt_time(struct buf *, uint64_t ts, uint64_t start,
	    uint8_t prec, const char *sep);
/* Which side sent a decoded packet: 0 initiator, 1 responder. */
int	 batch_pkt_side(const struct session *, const struct decoded *);

/*
 * --histogram: lines "COUNT<TAB>START" for every bucket of bucket ns from
 * the earliest start among a query's sessions to the latest, START in ISO
 * 8601 as the meta prints times.  False with *cause when there would be
 * too many buckets (else with errno, a write failed).
 */
bool	 batch_histogram(FILE *, const struct store *, uint64_t bucket,
	    const struct query *, char **cause);
/* Those lines for buckets counted (false with errno: a write failed). */
bool	 batch_hist_lines(FILE *, const struct store_hist *);

/* --groups: each chosen session a correlation rule flagged, once per
 * group that flagged it (the report of rules_correlate_report()), with
 * the group's figures, as TSV or JSON lines. */
bool	 batch_groups(FILE *, const struct store *, const struct ruleset *,
	    const struct corr_report *, enum batch_format, bool header,
	    const struct query *);

/* --stats: packet accounting, sessions, retention (dropped, kept). */
bool	 batch_stats(FILE *, const struct engine *, const struct store *);
bool	 batch_keys(FILE *);

#endif
