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

#include "engine/engine.h"
#include "query/query.h"
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

/* Items 0..n-1 of a reader as lines; counts made elsewhere (freed). */
bool	 batch_reader_lines(FILE *, const struct meta_reader *,
	    const struct batch_fields *, enum batch_format, bool header,
	    size_t n);
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

bool	 batch_stats(FILE *, const struct engine_stats *, const struct store *);
bool	 batch_keys(FILE *);

#endif
