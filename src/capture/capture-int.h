/*
 * capture-int.h - packet sources, inside capture/ only.
 *
 * Contract:
 * - A source is one ops table and its data.  It is opened when it is added
 *   (ops->open: problems reported through capture_report()), read on the
 *   reader thread with ops->next() until it says CAPTURE_END, read again
 *   with ops->reread() (export, the Session pane) or, for a spooled
 *   source, through ops->series() (all series merged in capture order),
 *   and closed by capture_free().  ops->fd, when not NULL, gives a descriptor to poll
 *   while the source is idle.
 * - next() passes records to the packet function; a record's ordinal comes
 *   from capture_ordinal(), its input from capture_input_add().  When the
 *   packet function returns false the source stops as soon as it can and
 *   returns.
 */
#ifndef HUNTCON_CAPTURE_INT_H
#define HUNTCON_CAPTURE_INT_H

#include <sys/types.h>

#include "capture/capture.h"

/* What a source's next() found. */
enum capture_next {
	CAPTURE_MORE,		/* read some; there may be more now */
	CAPTURE_IDLE,		/* nothing now: poll its fd */
	CAPTURE_END		/* nothing ever again */
};

struct capture_source;

struct capture_source_ops {
	const char	*name;
	bool		 wall;		/* its packets' time is the wall clock */
	/* How long the kernel may hold packets in a block not yet full:
	 * the last turn waits that long first, so none is left behind. */
	unsigned int	 hold_ms;
	bool		 (*open)(struct capture_source *);
	enum capture_next (*next)(struct capture_source *, capture_packet_fn,
			     void *);
	int		 (*fd)(struct capture_source *);
	bool		 (*stats)(struct capture_source *,
			     struct capture_stats *);
	void		 (*reread)(struct capture_source *, capture_select_fn,
			     void *, capture_packet_fn, void *);
	void		 (*close)(struct capture_source *);
	/* Its records in the spool, read back merged with the others'. */
	struct series	*(*series)(struct capture_source *);
};

struct capture_source {
	const struct capture_source_ops	*ops;
	struct capture			*c;
	void				*data;	/* the source's own */
	size_t				 input;	/* its first input */
	bool				 ended;
};


/* Add a source: open it; false (and freed) when it cannot be opened. */
bool		 capture_source_add(struct capture *,
		    const struct capture_source_ops *, void *);
/* Append an input named name; returns its index. */
size_t		 capture_input_add(struct capture *, const char *, int,
		    uint8_t, bool);
/* An input, to count its packets. */
struct capture_input *capture_input_get(struct capture *, size_t);
/* The next global ordinal. */
uint64_t	 capture_ordinal(struct capture *);
/* Where each record of a file starts (posidx.c). */
struct posidx	*posidx_new(void);
void		 posidx_free(struct posidx *);
void		 posidx_add(struct posidx *, uint64_t);
uint64_t	 posidx_count(const struct posidx *);
void		 posidx_inexact(struct posidx *, uint64_t);
bool		 posidx_get(const struct posidx *, uint64_t, uint64_t *,
		    unsigned int *);
size_t		 posidx_size(const struct posidx *);
/* The spool (spool.c), or NULL when packets are not spooled. */
struct spool;
struct spool	*capture_spool_get(const struct capture *);
struct spool	*spool_new(const char *, uint64_t, char **);
void		 spool_free(struct spool *);
bool		 spool_chown(struct spool *, uid_t, gid_t, char **);
size_t		 spool_file_new(struct spool *, size_t, unsigned int);
const char	*spool_path(const struct spool *, size_t);
const char	*spool_kept_dir(const struct spool *);
void		 spool_file_done(struct spool *, size_t);
void		 spool_grow(struct spool *, size_t, uint64_t);
uint64_t	 spool_used(const struct spool *);
uint64_t	 spool_cap_of(const struct spool *);
bool		 spool_gone(const struct spool *, size_t);
uint64_t	 spool_rotate(const struct spool *);
void		 spool_lost(struct spool *);
uint64_t	 spool_lost_count(const struct spool *);
const char	*spool_dir(const struct spool *);

/* A source's series of files in the spool (series.c). */
struct series;
struct pcap;
struct pcap_pkthdr;
struct series	*series_new(struct capture *, struct spool *, struct pcap *,
		    size_t, const char *);
void		 series_put(struct series *, const struct pcap_pkthdr *,
		    const unsigned char *, uint64_t);
void		 series_reread(struct series **, size_t, capture_select_fn,
		    void *, capture_packet_fn, void *);
bool		 series_locate(const struct series *, uint64_t,
		    struct capture_ref *);
void		 series_free(struct series *);
/* Report a problem (msg already escaped). */
void		 capture_report(struct capture *, enum capture_level,
		    const char *);

#endif
