/*
 * capture.h - the inputs named with -r and -i, read as one stream (pcap and
 * interfaces through libpcap, pcapng through pcapng.c, compressed files
 * through unzip.c).
 *
 * Contract:
 * - capture_add() expands an argument (a file, or a directory's regular
 *   files in bytewise name order) into inputs; capture_run() reads them in
 *   that order and calls the packet function for every record, with a
 *   global 0-based ordinal that export later uses to find it again.  Each
 *   record has its own link type (a pcapng file's interfaces differ).
 * - Problems are reported through the message function, one line each,
 *   already naming the file: errors (the input yielded no packet, or
 *   libpcap rejected it) and warnings (a truncated tail, a skipped file in
 *   a directory).  capture_errors() counts the errors.
 * - Packet data passed to the function is valid only during the call.
 * - Packets come from sources (capture-int.h): the list of -r files, read
 *   once to the end, live interfaces (capture_add_live()) and standard
 *   input (capture_add_stream()), read until capture_run()'s tick function
 *   says stop or every one has ended.
 *   Whoever calls capture_run() does not know which it reads; with a live
 *   source the tick function is called on the caller's thread at least
 *   every CAPTURE_TICK_NS, with the wall time, also when no packet comes.
 * - Only this module and export include <pcap.h>.
 */
#ifndef HUNTCON_CAPTURE_H
#define HUNTCON_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

struct posidx;

/* One capture file. */
struct capture_input {
	char		*path;		/* as given, or directory/name */
	char		*arg;		/* the -r argument it came from */
	int		 dlt;		/* libpcap link type */
	uint8_t		 prec;		/* 6 or 9 timestamp digits */
	bool		 pcapng;
	uint64_t	 first;		/* ordinal of its first packet */
	uint64_t	 packets;	/* records read */
	uint64_t	 bytes;		/* file size */
	bool		 live;		/* an interface or a stream, not a file */
	struct posidx	*pos;		/* where each record starts */
	/* capture/ only: how a file is read. */
	uint8_t		 zip;		/* compressed (unzip.h), 0: not */
	bool		 cached;	/* decompressed into cache, an fd */
	int		 cache;
	uint64_t	 zip_cut;	/* compressed byte it stopped at, 0 */
	bool		 zip_corrupt;
	struct pcapng_table *ng;	/* pcapng interfaces, after a read */
};

/* One record. */
struct capture_packet {
	uint64_t	 ordinal;
	uint64_t	 ts;		/* ns since the epoch */
	uint32_t	 caplen;
	uint32_t	 wirelen;
	const uint8_t	*data;
	uint16_t	 input;		/* index into the inputs */
	int		 dlt;
	uint8_t		 prec;
};

enum capture_level { CAPTURE_WARNING, CAPTURE_ERROR };

typedef void (*capture_msg_fn)(enum capture_level, const char *, void *);
/* Returns false to stop reading. */
typedef bool (*capture_packet_fn)(const struct capture_packet *, void *);

/* What live capture is asked for: -s, -p, -B and -f. */
struct capture_live_options {
	int		 snaplen;	/* 0: 262144 bytes */
	bool		 no_promisc;
	unsigned int	 buffer_kib;	/* 0: libpcap's default */
	const char	*filter;	/* NULL: every packet */
};

/* A live source's counters, from pcap_stats(). */
struct capture_stats {
	uint64_t	 received;
	uint64_t	 dropped;	/* by the kernel: no room in the buffer */
	uint64_t	 ifdropped;	/* by the interface or its driver */
};

/* What a live capture has done so far (capture_figures). */
struct capture_figures {
	uint64_t	 received, dropped, ifdropped;	/* pcap_stats */
	uint64_t	 spool_used, spool_cap;		/* bytes */
};

#define CAPTURE_TICK_NS	250000000ULL

/* Called with the wall time (ns since the epoch); returns false to stop. */
typedef bool (*capture_tick_fn)(uint64_t, void *);

struct capture;

struct capture	*capture_new(capture_msg_fn, void *);
void		 capture_free(struct capture *);
/*
 * Add a -r argument (a FIFO is added as a stream, see capture_add_stream);
 * problems found now are reported at once.
 */
void		 capture_add(struct capture *, const char *);
/*
 * Open an interface for live capture now (its problems, with their fix,
 * are reported at once as errors); false when it cannot be captured.
 */
bool		 capture_add_live(struct capture *, const char *,
		    const struct capture_live_options *);
/*
 * Add a capture stream, its header read now: standard input ("-") or a
 * FIFO, named so in did and messages.
 */
bool		 capture_add_stream(struct capture *, const char *);
/* Whether any source is live (an interface or a stream). */
bool		 capture_live(const struct capture *);
/* Whether any source is an interface, whose packets have wall time. */
bool		 capture_wall_clock(const struct capture *);
/*
 * Keep the packets of live interfaces in a spool so that they can be read
 * again: in dir (made when missing, locked for this run, kept at exit) or,
 * with NULL, a temporary directory under $TMPDIR removed by
 * capture_free(); cap bytes at most (0: 1 GiB or half the free space),
 * the oldest files deleted first.  False with *cause (caller frees).
 */
bool		 capture_spool(struct capture *, const char *, uint64_t,
		    char **);
/* The spool's directory when it is kept at exit (--spool DIR), else NULL. */
const char	*capture_spool_kept(const struct capture *);
/* Whether there is a spool, and the records it could not keep. */
bool		 capture_spooling(const struct capture *);
uint64_t	 capture_unspooled(const struct capture *);
/* Give the spool directory to a user before dropping root (-Z). */
bool		 capture_spool_chown(struct capture *, unsigned int,
		    unsigned int, char **);
/* Ordinals given so far: one past the highest. */
uint64_t	 capture_ordinals(const struct capture *);
/*
 * Send problems to another message function; a capture made without one
 * holds them back until it is given one.
 */
void		 capture_set_msg(struct capture *, capture_msg_fn, void *);
/* The tick function of live capture (see the contract). */
void		 capture_set_tick(struct capture *, capture_tick_fn, void *);
/* The DLT for a file header's link type (LINKTYPE_ value). */
int		 capture_linktype_dlt(uint32_t);
/* Read every input in order. */
void		 capture_run(struct capture *, capture_packet_fn, void *);
/*
 * Have capture_run's consumer call the tick function at once (it waits
 * for packets at most until then); any thread.
 */
void		 capture_nudge(struct capture *);
/* The live sources' counters summed and the spool's use, as the reader
 * saw them last (every tick at most); any thread. */
void		 capture_figures(struct capture *, struct capture_figures *);
/* A live input's counters so far; false for a file. */
bool		 capture_stats(struct capture *, size_t,
		    struct capture_stats *);
/* The inputs, in reading order. */
size_t		 capture_ninputs(const struct capture *);
const struct capture_input *capture_input(const struct capture *, size_t);
/* Errors reported so far (an input that yielded nothing counts once). */
unsigned int	 capture_errors(const struct capture *);
/* Bytes of all inputs, and bytes read so far (progress). */
uint64_t	 capture_total_bytes(const struct capture *);
uint64_t	 capture_done_bytes(const struct capture *);
/* Whether any input has nanosecond timestamps. */
bool		 capture_any_ns(const struct capture *);

/*
 * Where a record is kept: the file (an input, or a file of the spool), where
 * the record starts in it, and its frame number there (1-based, as
 * Wireshark numbers the file's packets).  gone: the spool deleted that file.
 */
struct capture_ref {
	const char	*path;
	uint64_t	 offset;	/* compressed input: in its data */
	uint64_t	 frame;
	size_t		 input;
	bool		 gone;
};
/*
 * Find ordinal o's record; false when it was never kept (a live packet
 * without a spool, or one the spool could not write).
 */
bool		 capture_locate(const struct capture *, uint64_t,
		    struct capture_ref *);
/* Whether ordinal o can still be read again. */
bool		 capture_kept(const struct capture *, uint64_t);

/*
 * Read the records with the given ordinals again, in capture order:
 * sel(from) gives the first wanted ordinal at or after from (UINT64_MAX:
 * none).  Each record is found by where it starts in its file or spool
 * file, so only the records asked for are read.  Used by export and the
 * Session pane.
 */
typedef uint64_t (*capture_select_fn)(uint64_t, void *);
void		 capture_reread(struct capture *, capture_select_fn,
		    capture_packet_fn, void *);

#endif
