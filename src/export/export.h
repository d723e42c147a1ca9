/*
 * export.h - write the packets of chosen sessions to pcap files (SPEC §6
 * -w): capture order, original bytes and timestamps, one file per link
 * type.
 *
 * Contract: the inputs are read again through capture_reread(), so they
 * must still be there (a marked packet not found again is an error).  An
 * existing output is refused unless force is set.  Every write is checked
 * and each file synced: only when all of them reached the disk is each
 * file reported through the message function; on any failure every file
 * of the export is removed.
 */
#ifndef HUNTCON_EXPORT_H
#define HUNTCON_EXPORT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

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
 * Setting cancel stops it; the files written so far are removed.
 */
struct export_progress {
	atomic_uint_least64_t	 done, total;
	atomic_bool		 cancel;
};

/*
 * Export the sessions for which keep(id) is true (all when NULL) to path.
 * Returns false with *cause (caller frees) naming the file and the reason
 * when a file cannot be written or when cancelled.  prog may be NULL.
 */
bool	export_pcap(struct capture *, const struct store *, const char *path,
	    bool force, bool (*keep)(uint64_t, void *), void *,
	    void (*say)(const char *, void *), void *,
	    struct export_result *, struct export_progress *, char **cause);

/* The packets the chosen sessions (ids ascending) have. */
uint64_t export_packets(const struct store *, const uint32_t *, size_t);
/*
 * The other fragments of the chosen sessions' split conversations: how
 * many are not chosen, and (all not NULL) every stored session chosen or
 * such a fragment, ascending, in *all (caller frees; NULL when no chosen
 * session is a fragment).
 */
size_t	 export_fragments(const struct store *, const uint32_t *, size_t,
	    uint32_t **all, size_t *nall);

/*
 * How many of a session's packets cannot be read again (capture is the
 * struct capture): the session_ctx missing function of a live run.
 */
uint64_t export_missing(const struct session *, void *capture);
/*
 * Tell the store where its sessions' meta comes from: the inputs' names
 * for did (returned, NULL-terminated, for the caller to free after the
 * store), the home networks, and in a live run the capture, for
 * packets.missing.
 */
const char **export_store_ctx(struct store *, struct capture *,
	    const struct netrange *, size_t);

/*
 * A pcap written by libpcap on an open stream: its file header now (link
 * type dlt, nanosecond or microsecond times), then a record each
 * export_dump_put (time in ns); false when the stream failed.  The stream
 * stays the caller's: export_dump_free leaves it open.
 */
struct export_dump;
struct export_dump *export_dump_new(FILE *, int dlt, bool ns, char **cause);
bool	 export_dump_put(struct export_dump *, uint64_t ts, uint32_t caplen,
	    uint32_t wirelen, const uint8_t *);
void	 export_dump_free(struct export_dump *);

#endif
