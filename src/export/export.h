/*
 * export.h - write the packets of chosen sessions to pcap files (SPEC §6
 * -w): capture order, original bytes and timestamps, one file per link
 * type.
 *
 * Contract: the inputs are read again through capture_reread(), so they
 * must still be there.  An existing output is refused unless force is set.
 * Each file written is reported through the message function.
 */
#ifndef HUNTCON_EXPORT_H
#define HUNTCON_EXPORT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"
#include "store/store.h"

struct export_result {
	uint64_t	 sessions;
	uint64_t	 packets;
	unsigned int	 files;
};

/*
 * How far an export is, for a client on another thread: packets written
 * of the packets wanted (total is set before the first is written).
 * Setting cancel stops it; the files written so far are closed and kept.
 */
struct export_progress {
	atomic_uint_least64_t	 done, total;
	atomic_bool		 cancel;
};

/*
 * Export the sessions for which keep(id) is true (all when NULL) to path.
 * Returns false with *cause (caller frees) when a file cannot be written
 * or when cancelled.  prog may be NULL.
 */
bool	export_pcap(struct capture *, const struct store *, const char *path,
	    bool force, bool (*keep)(uint64_t, void *), void *,
	    void (*say)(const char *, void *), void *,
	    struct export_result *, struct export_progress *, char **cause);

#endif
