/* capture.c - the packet sources read as one stream; the -r file list. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture/capture-int.h"
#include "capture/pcapng.h"
#include "capture/unzip.h"
#include "util/util.h"

#define CAPTURE_BUFSIZE	(1024 * 1024)
#define CAPTURE_POLL_MS	100	/* a live reader's longest wait */

struct capture {
	struct capture_input	*in;
	size_t			 nin;
	capture_msg_fn		 msg;
	void			*msg_arg;
	unsigned int		 errors;
	uint64_t		 ordinals;
	uint64_t		 total;
	_Atomic uint64_t	 done;
	struct capture_source	**src;		/* the file list first */
	size_t			 nsrc;
	bool			 live;
	bool			 wall;
	struct spool		*spool;		/* NULL: none */
	capture_tick_fn		 tick;
	void			*tick_arg;
	struct {
		enum capture_level	 lvl;
		char			*msg;
	}			*held;		/* no message function yet */
	size_t			 nheld;
	/* The ring being consumed (under nlock), for capture_nudge(). */
	pthread_mutex_t		 nlock;
	struct ring		*ring;
	atomic_bool		 nudged;
	/* Series in the spool: the reader writes them, rereads read them. */
	pthread_mutex_t		 splock;
	/* Live figures, refreshed by the reader (capture_figures). */
	_Atomic uint64_t	 fig[4];
	uint64_t		 fig_next;	/* ns, monotonic */
};

static const struct capture_source_ops capture_files_ops;

/* What the first bytes of a file say it is. */
enum capture_kind { KIND_NONE, KIND_PCAP_US, KIND_PCAP_NS, KIND_PCAPNG };

/* Make an empty set of inputs. */
struct capture *
capture_new(capture_msg_fn fn, void *arg)
{
	struct capture	*c;

	pthread_mutexattr_t	 ma;

	c = xcalloc(1, sizeof *c);
	c->msg = fn;
	c->msg_arg = arg;
	pthread_mutex_init(&c->nlock, NULL);
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&c->splock, &ma);
	pthread_mutexattr_destroy(&ma);
	capture_source_add(c, &capture_files_ops, NULL);
	return (c);
}

/* Free the inputs. */
void
capture_free(struct capture *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nsrc; i++) {
		if (c->src[i]->ops->close != NULL)
			c->src[i]->ops->close(c->src[i]);
		free(c->src[i]);
	}
	free(c->src);
	spool_free(c->spool);	/* after the sources closed their files */
	for (i = 0; i < c->nin; i++) {
		free(c->in[i].path);
		free(c->in[i].arg);
		posidx_free(c->in[i].pos);
		pcapng_table_free(c->in[i].ng);
		if (c->in[i].cached)
			close(c->in[i].cache);
	}
	free(c->in);
	for (i = 0; i < c->nheld; i++)
		free(c->held[i].msg);
	free(c->held);
	pthread_mutex_destroy(&c->nlock);
	pthread_mutex_destroy(&c->splock);
	free(c);
}

/* Report a problem with a file. */
static void
capture_say(struct capture *c, enum capture_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void
capture_say(struct capture *c, enum capture_level lvl, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	if (lvl == CAPTURE_ERROR)
		c->errors++;
	if (c->msg != NULL) {
		c->msg(lvl, s, c->msg_arg);
		free(s);
		return;
	}
	c->held = xreallocarray(c->held, c->nheld + 1, sizeof *c->held);
	c->held[c->nheld].lvl = lvl;
	c->held[c->nheld++].msg = s;
}

/*
 * Classify a file by its magic number, that of its decompressed bytes when
 * it is compressed (*zip); *why says what was wrong.
 */
static enum capture_kind
capture_magic(const char *path, const char **why, uint32_t *magic,
    uint8_t *zip)
{
	unsigned char	 b[4];
	FILE		*f;
	size_t		 n;

	*magic = 0;
	*zip = UNZIP_NONE;
	if ((f = fopen(path, "rb")) == NULL) {
		*why = strerror(errno);
		return (KIND_NONE);
	}
	n = fread(b, 1, sizeof b, f);
	fclose(f);
	if (n == 0) {
		*why = "empty file, not a capture";
		return (KIND_NONE);
	}
	*why = "not a capture file";
	if ((*zip = (uint8_t)unzip_kind(b, n)) != UNZIP_NONE) {
		*why = "compressed, not a capture file";
		n = unzip_peek(path, *zip, b, sizeof b);
	}
	if (n < sizeof b)
		return (KIND_NONE);
	*magic = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
	switch (*magic) {
	case 0xa1b2c3d4: case 0xd4c3b2a1:
		return (KIND_PCAP_US);
	case 0xa1b23c4d: case 0x4d3cb2a1:
		return (KIND_PCAP_NS);
	case 0x0a0d0d0a:
		return (KIND_PCAPNG);
	}
	return (KIND_NONE);
}

/* Append one input file. */
static void
capture_push(struct capture *c, const char *path, const char *arg,
    enum capture_kind kind, uint8_t zip, uint64_t bytes)
{
	struct capture_input	*in;

	c->in = xreallocarray(c->in, c->nin + 1, sizeof *c->in);
	in = &c->in[c->nin++];
	memset(in, 0, sizeof *in);
	in->path = xstrdup(path);
	in->arg = xstrdup(arg);
	in->prec = kind == KIND_PCAP_NS ? 9 : 6;
	in->pcapng = kind == KIND_PCAPNG;
	in->zip = zip;
	in->bytes = bytes;
	c->total += bytes;
}

/* Compare two names bytewise, for qsort. */
static int
capture_namecmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* The regular files of a directory, sorted bytewise; NULL on error. */
static char **
capture_list_dir(const char *dir, size_t *n, const char **why)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		**names = NULL, *p;

	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		*why = strerror(errno);
		return (NULL);
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		xasprintf(&p, "%s%s%s", dir,
		    dir[strlen(dir) - 1] == '/' ? "" : "/", de->d_name);
		if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		names = xreallocarray(names, *n + 1, sizeof *names);
		names[(*n)++] = p;
	}
	closedir(d);
	qsort(names, *n, sizeof *names, capture_namecmp);
	return (names);
}

/* Add the capture files of a directory. */
static void
capture_add_dir(struct capture *c, const char *dir)
{
	char		**names;
	const char	 *why;
	size_t		  n, i, added = 0;
	enum capture_kind kind;
	uint32_t	  magic;
	uint8_t		  zip;
	struct stat	  st;

	if ((names = capture_list_dir(dir, &n, &why)) == NULL && n == 0 &&
	    why != NULL) {
		capture_say(c, CAPTURE_ERROR, "%s: cannot open: %s",
		    esc_str(dir), why);
		return;
	}
	for (i = 0; i < n; i++) {
		kind = capture_magic(names[i], &why, &magic, &zip);
		if (kind == KIND_NONE)
			capture_say(c, CAPTURE_WARNING, "%s: skipped: %s",
			    esc_str(names[i]), why);
		else if (stat(names[i], &st) == 0) {
			capture_push(c, names[i], dir, kind, zip,
			    (uint64_t)st.st_size);
			added++;
		}
		free(names[i]);
	}
	free(names);
	if (added == 0)
		capture_say(c, CAPTURE_ERROR, "%s: no capture files in directory",
		    esc_str(dir));
}

/* Why a -r argument cannot be read as a capture file, or NULL. */
static const char *
capture_stream(const struct stat *st)
{
	if (S_ISSOCK(st->st_mode))
		return ("is a socket; read a capture stream as -r - on "
		    "standard input");
	if (S_ISCHR(st->st_mode))
		return ("is a character device, not a capture file");
	return (NULL);
}

/* Add a -r argument: a capture file, a directory of them, or a FIFO. */
void
capture_add(struct capture *c, const char *arg)
{
	struct stat	 st;
	const char	*why;
	enum capture_kind kind;
	uint32_t	 magic;
	uint8_t		 zip;

	if (stat(arg, &st) != 0) {
		capture_say(c, CAPTURE_ERROR, "%s: cannot open: %s",
		    esc_str(arg), strerror(errno));
		return;
	}
	if (S_ISFIFO(st.st_mode)) {
		capture_add_stream(c, arg);
		return;
	}
	if ((why = capture_stream(&st)) != NULL) {	/* it would block */
		capture_say(c, CAPTURE_ERROR, "%s: %s", esc_str(arg), why);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		capture_add_dir(c, arg);
		return;
	}
	kind = capture_magic(arg, &why, &magic, &zip);
	if (kind == KIND_NONE && magic != 0)
		capture_say(c, CAPTURE_ERROR, "%s: %s (magic 0x%08x)",
		    esc_str(arg), why, magic);
	else if (kind == KIND_NONE)
		capture_say(c, CAPTURE_ERROR, "%s: %s", esc_str(arg), why);
	else
		capture_push(c, arg, arg, kind, zip, (uint64_t)st.st_size);
}

/* Say why an input stopped early, as a truncated tail or a read error. */
static void
capture_read_error(struct capture *c, struct capture_input *in,
    const char *err, uint64_t off)
{
	if (strstr(err, "truncated") != NULL) {
		capture_say(c, in->packets == 0 ? CAPTURE_ERROR :
		    CAPTURE_WARNING, "%s: truncated after %llu packets at byte %llu",
		    esc_str(in->path), (unsigned long long)in->packets,
		    (unsigned long long)off);
		return;
	}
	capture_say(c, CAPTURE_ERROR, "%s: cannot read: %s",
	    esc_str(in->path), err);
}

/*
 * Decompress a compressed input into its cache on the first read; false
 * (said, naming the input) when it cannot be.
 */
static bool
capture_unzip(struct capture *c, struct capture_input *in)
{
	struct unzip_end	 end;
	char			*cause;
	int			 fd;

	if (in->zip == UNZIP_NONE || in->cached)
		return (true);
	fd = unzip_cache(in->path, in->zip, &end, &c->done,
	    atomic_load(&c->done), &cause);
	if (fd == -1) {
		capture_say(c, CAPTURE_ERROR, "%s: cannot read: %s",
		    esc_str(in->path), cause);
		free(cause);
		return (false);
	}
	in->cache = fd;
	in->cached = true;
	in->zip_cut = end.cut;
	in->zip_corrupt = end.corrupt;
	return (true);
}

/*
 * Open an input's stream (its decompressed copy when it is compressed)
 * with a big stdio buffer of its own (*iobuf, freed by the caller after
 * closing it): readers on other threads (an export, the Session pane) open
 * the same input at once, and a buffer shared between two streams mixes
 * their bytes.
 */
static FILE *
capture_fopen(struct capture_input *in, char **iobuf, char *errbuf)
{
	FILE	*f;

	*iobuf = NULL;
	if (in->zip != UNZIP_NONE && !in->cached) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "not decompressed");
		return (NULL);
	}
	f = in->cached ? unzip_fopen(in->cache) : fopen(in->path, "rb");
	if (f == NULL) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
		return (NULL);
	}
	*iobuf = xmalloc(CAPTURE_BUFSIZE);
	setvbuf(f, *iobuf, _IOFBF, CAPTURE_BUFSIZE);
	/* Only this thread reads it: stdio need not lock it per record. */
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	return (f);
}

/* Open an input with libpcap, nanosecond timestamps (see capture_fopen). */
static pcap_t *
capture_open(struct capture_input *in, char **iobuf, char *errbuf)
{
	FILE	*f;
	pcap_t	*p;

	if ((f = capture_fopen(in, iobuf, errbuf)) == NULL)
		return (NULL);
	p = pcap_fopen_offline_with_tstamp_precision(f,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL) {
		fclose(f);
		free(*iobuf);
		*iobuf = NULL;
	}
	return (p);
}

/*
 * A record's time in ns.  pcap stores unsigned 32-bit seconds (to 2106)
 * that libpcap hands over sign-extended from 2038 on: take them back.
 */
static uint64_t
capture_ts(const struct pcap_pkthdr *h)
{
	uint64_t	 sec = (uint64_t)h->ts.tv_sec;

	if (h->ts.tv_sec < 0)
		sec &= 0xffffffffULL;
	return (sec * 1000000000ULL + (uint64_t)h->ts.tv_usec);
}

/* Fill a record from libpcap's header. */
static void
capture_fill(struct capture_packet *cp, const struct pcap_pkthdr *h,
    const u_char *data, uint64_t ord)
{
	cp->ordinal = ord;
	cp->ts = capture_ts(h);
	cp->caplen = h->caplen;
	cp->wirelen = h->len;
	cp->data = data;
}

/*
 * Say that a compressed input's data stopped early, where in the file it
 * did (an error when no packet came before); false when it did not.
 */
static bool
capture_zip_end(struct capture *c, struct capture_input *in)
{
	if (in->zip_cut == 0)
		return (false);
	capture_say(c, in->packets == 0 ? CAPTURE_ERROR : CAPTURE_WARNING,
	    "%s: truncated after %llu packets at byte %llu (%s data %s)",
	    esc_str(in->path), (unsigned long long)in->packets,
	    (unsigned long long)in->zip_cut, unzip_name(in->zip),
	    in->zip_corrupt ? "corrupt" : "cut short");
	return (true);
}

/* After the first read of a pcapng input: say how it ended. */
static void
capture_ng_end(struct capture *c, struct capture_input *in,
    struct pcapng *r, enum pcapng_result rc)
{
	if (capture_zip_end(c, in))
		return;
	if (rc == PCAPNG_TRUNC)
		capture_read_error(c, in, "truncated", pcapng_good(r));
	else if (rc == PCAPNG_BAD)
		capture_read_error(c, in, pcapng_error(r), 0);
	else if (in->packets == 0)
		capture_say(c, CAPTURE_ERROR, "%s: no packets",
		    esc_str(in->path));
}

/* A pcapng record as a capture record. */
static void
capture_fill_ng(struct capture_packet *cp, const struct pcapng_rec *rec,
    uint64_t ord)
{
	cp->ordinal = ord;
	cp->ts = rec->ts;
	cp->caplen = rec->caplen;
	cp->wirelen = rec->wirelen;
	cp->dlt = rec->dlt;
	cp->data = rec->data;
}

/*
 * Read a pcapng input with our own reader (pcapng.c): each record has its
 * interface's link type, and says where its block starts.  The read keeps
 * the interfaces for reading it again.
 */
static bool
capture_read_ng(struct capture *c, size_t idx, capture_packet_fn fn,
    void *arg)
{
	struct capture_input	*in = &c->in[idx];
	struct capture_packet	 cp;
	struct pcapng_rec	 rec;
	struct pcapng		*r;
	enum pcapng_result	 rc;
	char			 errbuf[PCAP_ERRBUF_SIZE], *iobuf;
	FILE			*f;
	uint64_t		 ord;
	bool			 go = true;

	if ((f = capture_fopen(in, &iobuf, errbuf)) == NULL) {
		capture_say(c, CAPTURE_ERROR, "%s: cannot read: %s",
		    esc_str(in->path), errbuf);
		return (true);
	}
	r = pcapng_open(f, NULL);
	in->pos = posidx_new();
	cp.input = (uint16_t)idx;
	cp.prec = in->prec;
	ord = in->first = c->ordinals;
	while (go && (rc = pcapng_next(r, &rec)) == PCAPNG_REC) {
		posidx_add(in->pos, rec.off);
		capture_fill_ng(&cp, &rec, ord++);
		in->packets++;
		if (in->zip == UNZIP_NONE)
			atomic_store_explicit(&c->done, rec.off,
			    memory_order_relaxed);
		go = fn(&cp, arg);
	}
	c->ordinals = ord;
	in->dlt = pcapng_first_dlt(r) >= 0 ? pcapng_first_dlt(r) : 1;
	if (go)
		capture_ng_end(c, in, r, rc);
	in->ng = pcapng_table_take(r);
	pcapng_close(r);
	fclose(f);
	free(iobuf);
	return (go);
}

/*
 * Read the selected records of a pcapng input again: resume at each wanted
 * record's block, or read on when it is the next one.
 */
static bool
capture_read_ng_again(struct capture *c, size_t idx, capture_select_fn sel,
    void *sarg, capture_packet_fn fn, void *arg)
{
	struct capture_input	*in = &c->in[idx];
	struct capture_packet	 cp;
	struct pcapng_rec	 rec;
	struct pcapng		*r;
	char			 errbuf[PCAP_ERRBUF_SIZE], *iobuf;
	FILE			*f;
	uint64_t		 o, next, end = in->first + in->packets, off;
	unsigned int		 skip;
	bool			 go = true;

	if ((o = sel(in->first, sarg)) >= end || in->ng == NULL)
		return (true);
	if ((f = capture_fopen(in, &iobuf, errbuf)) == NULL)
		return (true);
	r = pcapng_open(f, in->ng);
	cp.input = (uint16_t)idx;
	cp.prec = in->prec;
	for (next = UINT64_MAX; go && o < end; o = sel(next, sarg)) {
		if (o != next && (!posidx_get(in->pos, o - in->first, &off,
		    &skip) || !pcapng_seek(r, off)))
			break;
		if (pcapng_next(r, &rec) != PCAPNG_REC)
			break;
		capture_fill_ng(&cp, &rec, o);
		next = o + 1;
		go = fn(&cp, arg);
	}
	pcapng_close(r);
	fclose(f);
	free(iobuf);
	return (go);
}

/*
 * Where the next record starts.  Asking stdio costs a system call (one a
 * record cost 0.7 s of system time on the standard capture), so the reader
 * counts: a record is its 16-byte header and caplen bytes, unless libpcap
 * cut a record longer than the snap length (its caplen is then the snap
 * length), after which it asks once.  Every CAPTURE_CHECK records it asks
 * all the same; a count found off marks the records since the last check
 * for walking and asks at every record from then on.
 */
#define CAPTURE_CHECK	4096

struct capture_count {
	uint64_t	 off;		/* where the next record starts */
	uint64_t	 checked;	/* the record last checked */
	bool		 ask;		/* ask stdio for the next one */
	bool		 exact;		/* ask for every one */
};

/* Where the next record starts (see above); end: at the end of the file. */
static uint64_t
capture_where(FILE *f, struct posidx *pos, struct capture_count *k, bool end)
{
	uint64_t	 real, n = posidx_count(pos);

	if (k->ask || k->exact) {
		k->ask = false;
		return (k->off = (uint64_t)ftello(f));
	}
	if (!end && n - k->checked < CAPTURE_CHECK)
		return (k->off);
	real = (uint64_t)ftello(f);
	if (real != k->off) {
		posidx_inexact(pos, k->checked);
		k->exact = true;
	}
	k->checked = n;
	return (k->off = real);
}

/*
 * Read one input to its end, calling fn for each record, and note where
 * each record starts so that it can be found again.  pcapng goes to our
 * own reader, pcap to libpcap.
 */
static bool
capture_read(struct capture *c, size_t idx, capture_packet_fn fn, void *arg)
{
	struct capture_input	*in = &c->in[idx];
	struct capture_packet	 cp;
	struct capture_count	 k;
	struct pcap_pkthdr	*h;
	const u_char		*data;
	char			 errbuf[PCAP_ERRBUF_SIZE], *iobuf;
	pcap_t			*p;
	uint64_t		 ord;
	uint32_t		 snap;
	int			 rc;
	bool			 go = true;

	if (!capture_unzip(c, in))
		return (true);
	if (in->pcapng)
		return (capture_read_ng(c, idx, fn, arg));
	if ((p = capture_open(in, &iobuf, errbuf)) == NULL) {
		capture_say(c, CAPTURE_ERROR, "%s: cannot read: %s",
		    esc_str(in->path), errbuf);
		return (true);
	}
	in->dlt = pcap_datalink(p);
	in->pos = posidx_new();
	memset(&k, 0, sizeof k);
	k.ask = true;
	snap = (uint32_t)pcap_snapshot(p);
	cp.input = (uint16_t)idx;
	cp.dlt = in->dlt;
	cp.prec = in->prec;
	ord = in->first = c->ordinals;
	while (go) {
		capture_where(pcap_file(p), in->pos, &k, false);
		if ((rc = pcap_next_ex(p, &h, &data)) != 1)
			break;
		posidx_add(in->pos, k.off);
		k.off += 16 + h->caplen;
		k.ask = h->caplen >= snap;	/* libpcap may have cut it */
		capture_fill(&cp, h, data, ord++);
		in->packets++;
		if (in->zip == UNZIP_NONE)
			atomic_store_explicit(&c->done, k.off,
			    memory_order_relaxed);
		go = fn(&cp, arg);
	}
	if (go && rc == PCAP_ERROR_BREAK)	/* check the last records too */
		capture_where(pcap_file(p), in->pos, &k, true);
	c->ordinals = ord;
	if (go && capture_zip_end(c, in))
		;
	else if (go && rc == PCAP_ERROR)
		capture_read_error(c, in, pcap_geterr(p), k.off);
	else if (go && in->packets == 0)
		capture_say(c, CAPTURE_ERROR, "%s: no packets",
		    esc_str(in->path));
	pcap_close(p);
	free(iobuf);
	return (go);
}

/*
 * Read the selected records of one input again: seek to each wanted
 * record by its offset, or read on when it is the next one, so that only
 * the records asked for are read.
 */
static bool
capture_read_again(struct capture *c, size_t idx, capture_select_fn sel,
    void *sarg, capture_packet_fn fn, void *arg)
{
	struct capture_input	*in = &c->in[idx];
	struct capture_packet	 cp;
	struct pcap_pkthdr	*h;
	const u_char		*data;
	char			 errbuf[PCAP_ERRBUF_SIZE], *iobuf;
	pcap_t			*p;
	uint64_t		 o, next, end = in->first + in->packets, off;
	unsigned int		 skip = 0;
	bool			 go = true;

	if (in->pcapng)
		return (capture_read_ng_again(c, idx, sel, sarg, fn, arg));
	if ((o = sel(in->first, sarg)) >= end)
		return (true);
	if ((p = capture_open(in, &iobuf, errbuf)) == NULL)
		return (true);
	cp.input = (uint16_t)idx;
	cp.dlt = pcap_datalink(p);
	cp.prec = in->prec;
	for (next = UINT64_MAX; go && o < end; o = sel(next, sarg)) {
		if (o != next && (!posidx_get(in->pos, o - in->first, &off,
		    &skip) || fseeko(pcap_file(p), (off_t)off, SEEK_SET) != 0))
			break;
		do {
			if (pcap_next_ex(p, &h, &data) != 1)
				goto out;
		} while (skip-- > 0);
		capture_fill(&cp, h, data, o);
		next = o + 1;
		skip = 0;
		go = fn(&cp, arg);
	}
out:
	pcap_close(p);
	free(iobuf);
	return (go);
}

/*
 * Reading is split over two threads: a reader runs libpcap and copies the
 * records into a small ring of blocks; the caller's thread takes the
 * blocks and calls the packet function.  File reading (a third of the
 * time of a bare libpcap loop is the kernel copying pages) then overlaps
 * with decoding and sessions.  Records keep their order.  The blocks are
 * small enough that a record is decoded while the cache still holds it:
 * with 4 MiB blocks instead of 1 MiB, the standard capture took 0.53 s
 * instead of 0.48 s with the engine alone, 0.67 s instead of 0.63 s with
 * the parsers.
 */
#define RING_BLOCKS	4
#define RING_BLOCK	(1u << 20)	/* bytes; a record is at most 256 KiB */
#define RING_LAST_TURNS	16

/* One record in a block: the packet's facts, then its bytes. */
struct ring_rec {
	uint64_t	 ordinal;
	uint64_t	 ts;
	uint32_t	 caplen, wirelen;
	int32_t		 dlt;
	uint16_t	 input;
	uint8_t		 prec;
};

struct ring {
	struct capture	*c;
	unsigned char	*block[RING_BLOCKS];
	size_t		 len[RING_BLOCKS];
	unsigned int	 head, tail;	/* blocks filled, blocks taken */
	bool		 done, stop;
	atomic_bool	 end;		/* the tick said stop: read no more */
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	/*
	 * Written by the reader with every record, so on a line of its own:
	 * beside what the engine's thread reads (the ring once lived on its
	 * stack, next to the record being decoded) each write takes that
	 * line away from the engine's CPU.
	 */
	alignas(64) size_t fill;	/* bytes in the block being filled */
	unsigned int	 last_turns;	/* turns taken after the tick's stop */
	bool		 splocked;	/* the reader holds c->splock */
};

/*
 * Hand the block being filled to the consumer; wait for a free one.  The
 * series' lock is let go while waiting (the record before is whole in its
 * series): a console that has paused the consumer may be rereading.
 */
static bool
ring_publish(struct ring *r)
{
	bool	 go, wait;

	pthread_mutex_lock(&r->lock);
	r->len[r->head % RING_BLOCKS] = r->fill;
	r->head++;
	pthread_cond_broadcast(&r->cond);
	wait = r->splocked && r->head - r->tail == RING_BLOCKS && !r->stop;
	if (wait)
		pthread_mutex_unlock(&r->c->splock);
	while (r->head - r->tail == RING_BLOCKS && !r->stop)
		pthread_cond_wait(&r->cond, &r->lock);
	go = !r->stop;
	pthread_mutex_unlock(&r->lock);
	if (wait)
		pthread_mutex_lock(&r->c->splock);
	r->fill = 0;
	return (go);
}

/* Reader side: copy one record into the ring. */
static bool
ring_put(const struct capture_packet *p, void *arg)
{
	struct ring	*r = arg;
	struct ring_rec	 h;
	size_t		 need = (sizeof h + p->caplen + 7) & ~(size_t)7;
	unsigned char	*b;

	if (r->fill + need > RING_BLOCK && !ring_publish(r))
		return (false);
	b = r->block[r->head % RING_BLOCKS] + r->fill;
	h.ordinal = p->ordinal;
	h.ts = p->ts;
	h.caplen = p->caplen;
	h.wirelen = p->wirelen;
	h.dlt = p->dlt;
	h.input = p->input;
	h.prec = p->prec;
	memcpy(b, &h, sizeof h);
	memcpy(b + sizeof h, p->data, p->caplen);
	r->fill += need;
	return (true);
}

/* Whether the reader should stop reading its sources. */
static bool
ring_stopped(struct ring *r)
{
	bool	 stop;

	if (atomic_load_explicit(&r->end, memory_order_relaxed))
		return (true);
	pthread_mutex_lock(&r->lock);
	stop = r->stop;
	pthread_mutex_unlock(&r->lock);
	return (stop);
}

/* Wait (a bounded time) until a live source that is idle has packets. */
static void
ring_poll(struct capture *c)
{
	struct pollfd	*fds;
	size_t		 i, n = 0;
	int		 fd;

	fds = xcalloc(c->nsrc, sizeof *fds);
	for (i = 0; i < c->nsrc; i++) {
		if (c->src[i]->ended || c->src[i]->ops->fd == NULL ||
		    (fd = c->src[i]->ops->fd(c->src[i])) == -1)
			continue;
		fds[n].fd = fd;
		fds[n++].events = POLLIN;
	}
	if (n > 0)
		poll(fds, n, CAPTURE_POLL_MS);
	free(fds);
}

/* Before the last turn: wait until the kernel has handed over every block
 * it holds for a live source (at most its hold_ms, and a little more). */
static void
ring_wait_held(struct capture *c)
{
	unsigned int	 ms = 0;
	size_t		 i;

	for (i = 0; i < c->nsrc; i++)
		if (!c->src[i]->ended && c->src[i]->ops->hold_ms > ms)
			ms = c->src[i]->ops->hold_ms;
	if (ms > 0)
		nanosleep(&(struct timespec){ .tv_nsec =
		    (long)(ms + ms / 2) * 1000000L }, NULL);
}

/* One batch of a source; a source with a series in the spool holds the
 * series' lock meanwhile, so that rereads see it whole. */
static enum capture_next
ring_next(struct capture *c, struct capture_source *s, struct ring *r)
{
	enum capture_next	 n;

	if (s->ops->series == NULL)
		return (s->ops->next(s, ring_put, r));
	pthread_mutex_lock(&c->splock);
	r->splocked = true;
	n = s->ops->next(s, ring_put, r);
	r->splocked = false;
	pthread_mutex_unlock(&c->splock);
	return (n);
}

/* Refresh the live figures (reader thread) at most every tick. */
static void
ring_figures(struct capture *c)
{
	struct capture_stats	 st;
	uint64_t		 now = clock_ns(CLOCK_MONOTONIC), f[3] = { 0 };
	size_t			 i;

	if (!c->live || now < c->fig_next)
		return;
	c->fig_next = now + CAPTURE_TICK_NS;
	for (i = 0; i < c->nsrc; i++) {
		if (c->src[i]->ops->stats == NULL ||
		    !c->src[i]->ops->stats(c->src[i], &st))
			continue;
		f[0] += st.received;
		f[1] += st.dropped;
		f[2] += st.ifdropped;
	}
	for (i = 0; i < 3; i++)
		atomic_store_explicit(&c->fig[i], f[i], memory_order_relaxed);
	pthread_mutex_lock(&c->splock);
	atomic_store_explicit(&c->fig[3], c->spool != NULL ?
	    spool_used(c->spool) : 0, memory_order_relaxed);
	pthread_mutex_unlock(&c->splock);
}

/*
 * One turn over the sources that have not ended; false when none is left
 * or reading stops.  When every live source is idle, the records taken so
 * far go to the consumer before the wait, so that packets do not wait for
 * a block to fill.  When the tick said stop, the turn takes what the
 * sources hold already and is the last.
 */
static bool
ring_turn(struct ring *r)
{
	struct capture		*c = r->c;
	struct capture_source	*s;
	size_t			 i, active = 0;
	bool			 more = false, last;

	last = atomic_load(&r->end);
	if (last && r->last_turns == 0)
		ring_wait_held(c);
	for (i = 0; i < c->nsrc; i++) {
		s = c->src[i];
		if (s->ended)
			continue;
		switch (ring_next(c, s, r)) {
		case CAPTURE_END:
			s->ended = true;
			continue;
		case CAPTURE_MORE:
			more = true;
			break;
		case CAPTURE_IDLE:
			break;
		}
		active++;
		if (ring_stopped(r) && !last)
			return (false);
	}
	ring_figures(c);
	if (last)	/* bounded: a busy interface always has more */
		return (more && ++r->last_turns < RING_LAST_TURNS);
	if (active == 0 || ring_stopped(r))
		return (false);
	if (!more) {
		if (r->fill > 0 && !ring_publish(r))
			return (false);
		ring_poll(c);
	}
	return (true);
}

/* The reader thread: every source until all end, then the last block. */
static void *
ring_reader(void *arg)
{
	struct ring	*r = arg;

	cpu_helper_start();

	while (ring_turn(r))
		;
	ring_publish(r);
	pthread_mutex_lock(&r->lock);
	r->done = true;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	return (NULL);
}

/* Consumer side: call fn for every record of a block. */
static bool
ring_drain(const unsigned char *b, size_t len, capture_packet_fn fn,
    void *arg)
{
	struct capture_packet	 cp;
	struct ring_rec		 h;
	size_t			 off = 0, next;

	while (off < len) {
		memcpy(&h, b + off, sizeof h);
		next = off + ((sizeof h + h.caplen + 7) & ~(size_t)7);
		/*
		 * The reader wrote the block on another core: ask for the
		 * next record's header and first bytes while this one is
		 * decoded, so its cache misses overlap with work.
		 */
		__builtin_prefetch(b + next);
		__builtin_prefetch(b + next + 64);
		cp.ordinal = h.ordinal;
		cp.ts = h.ts;
		cp.caplen = h.caplen;
		cp.wirelen = h.wirelen;
		cp.dlt = h.dlt;
		cp.input = h.input;
		cp.prec = h.prec;
		cp.data = b + off + sizeof h;
		if (!fn(&cp, arg))
			return (false);
		off = next;
	}
	return (true);
}

/*
 * Take the next filled block; false at the end.  With until (live
 * capture), *idle says the time came first and no block was taken.
 */
static bool
ring_take(struct ring *r, unsigned int *idx, const struct timespec *until,
    bool *idle)
{
	bool	 got;

	*idle = false;
	pthread_mutex_lock(&r->lock);
	while (r->tail == r->head && !r->done && !*idle &&
	    !atomic_load(&r->c->nudged)) {
		if (until == NULL)
			pthread_cond_wait(&r->cond, &r->lock);
		else if (pthread_cond_timedwait(&r->cond, &r->lock,
		    until) == ETIMEDOUT)
			*idle = true;
	}
	got = r->tail != r->head;
	*idle = (*idle || (until != NULL && atomic_load(&r->c->nudged))) &&
	    !got;
	*idx = r->tail % RING_BLOCKS;
	pthread_mutex_unlock(&r->lock);
	return (got || *idle);
}

/* Give a block back to the reader (or tell it to stop). */
static void
ring_release(struct ring *r, bool stop)
{
	pthread_mutex_lock(&r->lock);
	r->tail++;
	r->stop = r->stop || stop;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

/* The wall time in ns since the epoch, and as a timespec. */
static uint64_t
capture_now(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
	return ((uint64_t)ts->tv_sec * 1000000000ULL + (uint64_t)ts->tv_nsec);
}

/*
 * Live capture: call the tick function when its time has come and set
 * *until to the next one; when it says stop, the reader stops reading and
 * what it has read is still passed on.
 */
static void
capture_tick(struct capture *c, struct ring *r, struct timespec *until,
    uint64_t *next)
{
	uint64_t	 now = capture_now(until);
	bool		 nudged = atomic_exchange(&c->nudged, false);

	if (now >= *next || nudged) {
		if (now >= *next)
			*next = now + CAPTURE_TICK_NS;
		if (c->tick != NULL && !atomic_load(&r->end) &&
		    !c->tick(now, c->tick_arg))
			atomic_store(&r->end, true);
	}
	until->tv_sec = (time_t)(*next / 1000000000ULL);
	until->tv_nsec = (long)(*next % 1000000000ULL);
}

/* The consumer's loop over files: every block as it comes. */
static void
ring_consume(struct ring *r, capture_packet_fn fn, void *arg)
{
	unsigned int	 idx;
	bool		 go = true, idle;

	while (ring_take(r, &idx, NULL, &idle)) {
		if (go)
			go = ring_drain(r->block[idx], r->len[idx], fn, arg);
		ring_release(r, !go);
	}
}

/* The consumer's loop in live capture: blocks, and a tick between them. */
static void
ring_consume_live(struct ring *r, capture_packet_fn fn, void *arg)
{
	struct timespec	 until;
	uint64_t	 next = 0;
	unsigned int	 idx;
	bool		 go = true, idle;

	capture_tick(r->c, r, &until, &next);
	while (ring_take(r, &idx, &until, &idle)) {
		if (!idle) {
			if (go)
				go = ring_drain(r->block[idx], r->len[idx], fn,
				    arg);
			ring_release(r, !go);
		}
		if (go)
			capture_tick(r->c, r, &until, &next);
		else
			atomic_store(&r->c->nudged, false);
	}
}

/* Read every source, the reading on a thread of its own. */
void
capture_run(struct capture *c, capture_packet_fn fn, void *arg)
{
	struct ring	*r;
	pthread_t	 t;
	unsigned int	 i;

	r = xcalloc_lines(sizeof *r);
	r->c = c;
	for (i = 0; i < RING_BLOCKS; i++)
		r->block[i] = xmalloc(RING_BLOCK);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	atomic_init(&r->end, false);
	if (pthread_create(&t, NULL, ring_reader, r) != 0)
		fatal("cannot start the reading thread");
	pthread_mutex_lock(&c->nlock);
	c->ring = r;
	pthread_mutex_unlock(&c->nlock);
	if (c->live)
		ring_consume_live(r, fn, arg);
	else
		ring_consume(r, fn, arg);
	pthread_mutex_lock(&c->nlock);
	c->ring = NULL;
	pthread_mutex_unlock(&c->nlock);
	pthread_join(t, NULL);
	pthread_cond_destroy(&r->cond);
	pthread_mutex_destroy(&r->lock);
	for (i = 0; i < RING_BLOCKS; i++)
		free(r->block[i]);
	free(r);
}

/* Have the consumer call the tick function now (any thread). */
void
capture_nudge(struct capture *c)
{
	pthread_mutex_lock(&c->nlock);
	atomic_store(&c->nudged, true);
	if (c->ring != NULL) {
		pthread_mutex_lock(&c->ring->lock);
		pthread_cond_broadcast(&c->ring->cond);
		pthread_mutex_unlock(&c->ring->lock);
	}
	pthread_mutex_unlock(&c->nlock);
}

/* The live figures as the reader last saw them (any thread). */
void
capture_figures(struct capture *c, struct capture_figures *f)
{
	f->received = atomic_load_explicit(&c->fig[0], memory_order_relaxed);
	f->dropped = atomic_load_explicit(&c->fig[1], memory_order_relaxed);
	f->ifdropped = atomic_load_explicit(&c->fig[2], memory_order_relaxed);
	f->spool_used = atomic_load_explicit(&c->fig[3],
	    memory_order_relaxed);
	f->spool_cap = c->spool != NULL ? spool_cap_of(c->spool) : 0;
}

/* Read the selected records again, in capture order. */
void
capture_reread(struct capture *c, capture_select_fn sel,
    capture_packet_fn fn, void *arg)
{
	struct capture_source	*s;
	struct series		**se = NULL, *one;
	size_t			 i, n = 0;

	for (i = 0; i < c->nsrc; i++) {
		s = c->src[i];
		if (s->ops->reread != NULL)
			s->ops->reread(s, sel, arg, fn, arg);
		else if (s->ops->series != NULL &&
		    (one = s->ops->series(s)) != NULL) {
			se = xreallocarray(se, n + 1, sizeof *se);
			se[n++] = one;
		}
	}
	if (n > 0) {
		pthread_mutex_lock(&c->splock);
		series_reread(se, n, sel, arg, fn, arg);
		pthread_mutex_unlock(&c->splock);
	}
	free(se);
}

/*
 * Where record k of an input starts when its chunk is inexact: read on
 * from the chunk's start, asking stdio where each record starts.
 */
static bool
capture_walk(struct capture_input *in, uint64_t *off, unsigned int skip)
{
	struct pcap_pkthdr	*h;
	const u_char		*data;
	char			 errbuf[PCAP_ERRBUF_SIZE], *iobuf;
	pcap_t			*p;
	bool			 ok;

	if ((p = capture_open(in, &iobuf, errbuf)) == NULL)
		return (false);
	ok = fseeko(pcap_file(p), (off_t)*off, SEEK_SET) == 0;
	while (ok && skip-- > 0)
		ok = pcap_next_ex(p, &h, &data) == 1;
	if (ok)
		*off = (uint64_t)ftello(pcap_file(p));
	pcap_close(p);
	free(iobuf);
	return (ok);
}

/* The file input that holds ordinal o, or NULL. */
static struct capture_input *
capture_file_of(const struct capture *c, uint64_t o)
{
	size_t	 i;

	for (i = 0; i < c->nin; i++) {
		if (!c->in[i].live && o >= c->in[i].first &&
		    o - c->in[i].first < c->in[i].packets)
			return (&c->in[i]);
	}
	return (NULL);
}

/* Where a record is kept. */
bool
capture_locate(const struct capture *c, uint64_t o, struct capture_ref *ref)
{
	struct capture_input	*in;
	struct capture_source	*s;
	struct series		*se;
	unsigned int		 skip;
	size_t			 i;

	if ((in = capture_file_of(c, o)) != NULL) {
		memset(ref, 0, sizeof *ref);
		ref->path = in->path;
		ref->input = (size_t)(in - c->in);
		ref->frame = o - in->first + 1;
		return (posidx_get(in->pos, o - in->first, &ref->offset,
		    &skip) && (skip == 0 || capture_walk(in, &ref->offset,
		    skip)));
	}
	pthread_mutex_lock(&((struct capture *)c)->splock);
	for (i = 0; i < c->nsrc; i++) {
		s = c->src[i];
		if (s->ops->series != NULL && (se = s->ops->series(s)) != NULL &&
		    series_locate(se, o, ref))
			break;
	}
	pthread_mutex_unlock(&((struct capture *)c)->splock);
	return (i < c->nsrc);
}

/* Whether a record can still be read again (files are always there). */
bool
capture_kept(const struct capture *c, uint64_t o)
{
	struct capture_ref	 ref;

	return (capture_file_of(c, o) != NULL ||
	    (capture_locate(c, o, &ref) && !ref.gone));
}

/* The file list: read every file input in order, in one batch. */
static enum capture_next
capture_files_next(struct capture_source *s, capture_packet_fn fn, void *arg)
{
	struct capture	*c = s->c;
	size_t		 i;
	uint64_t	 base = 0;

	for (i = 0; i < c->nin; i++) {
		if (c->in[i].live)
			continue;
		if (!capture_read(c, i, fn, arg))
			break;
		base += c->in[i].bytes;
		atomic_store(&c->done, base);
	}
	return (CAPTURE_END);
}

/* The file list: read the selected records of its files again. */
static void
capture_files_reread(struct capture_source *s, capture_select_fn sel,
    void *sarg, capture_packet_fn fn, void *arg)
{
	struct capture	*c = s->c;
	size_t		 i;

	for (i = 0; i < c->nin; i++) {
		if (c->in[i].live || c->in[i].packets == 0)
			continue;
		if (!capture_read_again(c, i, sel, sarg, fn, arg))
			break;
	}
}

/* The file list has nothing to open: each file is opened as it is read. */
static bool
capture_files_open(struct capture_source *s)
{
	(void)s;
	return (true);
}

/* The source of the -r files (capture_add). */
static const struct capture_source_ops capture_files_ops = {
	.name = "files",
	.open = capture_files_open,
	.next = capture_files_next,
	.reread = capture_files_reread,
};

/* Add a source and open it. */
bool
capture_source_add(struct capture *c, const struct capture_source_ops *ops,
    void *data)
{
	struct capture_source	*s;

	s = xcalloc(1, sizeof *s);
	s->ops = ops;
	s->c = c;
	s->data = data;
	s->input = c->nin;
	if (!ops->open(s)) {
		if (ops->close != NULL)
			ops->close(s);
		free(s);
		return (false);
	}
	c->src = xreallocarray(c->src, c->nsrc + 1, sizeof *c->src);
	c->src[c->nsrc++] = s;
	c->live = c->live || ops->fd != NULL;
	c->wall = c->wall || ops->wall;
	return (true);
}

/* Append an input. */
size_t
capture_input_add(struct capture *c, const char *name, int dlt,
    uint8_t prec, bool live)
{
	struct capture_input	*in;

	c->in = xreallocarray(c->in, c->nin + 1, sizeof *c->in);
	in = &c->in[c->nin];
	memset(in, 0, sizeof *in);
	in->path = xstrdup(name);
	in->arg = xstrdup(name);
	in->dlt = dlt;
	in->prec = prec;
	in->live = live;
	in->first = c->ordinals;
	return (c->nin++);
}

/* An input, writable. */
struct capture_input *
capture_input_get(struct capture *c, size_t i)
{
	return (&c->in[i]);
}

/* The next ordinal (live sources: one record at a time). */
uint64_t
capture_ordinal(struct capture *c)
{
	return (c->ordinals++);
}

/* Report a problem a source found. */
void
capture_report(struct capture *c, enum capture_level lvl, const char *msg)
{
	capture_say(c, lvl, "%s", msg);
}

/* Whether any source is live. */
bool
capture_live(const struct capture *c)
{
	return (c->live);
}

/* Make the spool. */
bool
capture_spool(struct capture *c, const char *dir, uint64_t cap,
    char **cause)
{
	return ((c->spool = spool_new(dir, cap, cause)) != NULL);
}

/* Whether there is a spool. */
bool
capture_spooling(const struct capture *c)
{
	return (c->spool != NULL);
}

/* The spool's directory when it is kept at exit, else NULL. */
const char *
capture_spool_kept(const struct capture *c)
{
	return (c->spool != NULL ? spool_kept_dir(c->spool) : NULL);
}

/* Records the spool could not keep (a failed write stopped spooling). */
uint64_t
capture_unspooled(const struct capture *c)
{
	return (c->spool != NULL ? spool_lost_count(c->spool) : 0);
}

/* Give the spool directory to a user. */
bool
capture_spool_chown(struct capture *c, unsigned int uid, unsigned int gid,
    char **cause)
{
	return (c->spool == NULL || spool_chown(c->spool, (uid_t)uid,
	    (gid_t)gid, cause));
}

/* The spool. */
struct spool *
capture_spool_get(const struct capture *c)
{
	return (c->spool);
}

/* Ordinals given so far. */
uint64_t
capture_ordinals(const struct capture *c)
{
	return (c->ordinals);
}

/* Whether any source's packets have the wall clock's time. */
bool
capture_wall_clock(const struct capture *c)
{
	return (c->wall);
}

/*
 * Send problems to another message function, first those held back while
 * there was none.
 */
void
capture_set_msg(struct capture *c, capture_msg_fn fn, void *arg)
{
	size_t	 i;

	c->msg = fn;
	c->msg_arg = arg;
	for (i = 0; i < c->nheld; i++) {
		if (fn != NULL)
			fn(c->held[i].lvl, c->held[i].msg, arg);
		free(c->held[i].msg);
	}
	free(c->held);
	c->held = NULL;
	c->nheld = 0;
}

/* Set the tick function of live capture. */
void
capture_set_tick(struct capture *c, capture_tick_fn fn, void *arg)
{
	c->tick = fn;
	c->tick_arg = arg;
}

/* A live input's counters. */
bool
capture_stats(struct capture *c, size_t input, struct capture_stats *st)
{
	size_t	 i;

	memset(st, 0, sizeof *st);
	for (i = 0; i < c->nsrc; i++) {
		if (c->src[i]->input == input && c->src[i]->ops->stats != NULL)
			return (c->src[i]->ops->stats(c->src[i], st));
	}
	return (false);
}

/* How many inputs there are. */
size_t
capture_ninputs(const struct capture *c)
{
	return (c->nin);
}

/* One input. */
const struct capture_input *
capture_input(const struct capture *c, size_t i)
{
	return (i < c->nin ? &c->in[i] : NULL);
}

/* Errors reported so far. */
unsigned int
capture_errors(const struct capture *c)
{
	return (c->errors);
}

/* Bytes of all inputs. */
uint64_t
capture_total_bytes(const struct capture *c)
{
	return (c->total);
}

/* Bytes read so far. */
uint64_t
capture_done_bytes(const struct capture *c)
{
	return (atomic_load(&c->done));
}

/* Whether any input has nanosecond timestamps. */
bool
capture_any_ns(const struct capture *c)
{
	size_t	 i;

	for (i = 0; i < c->nin; i++) {
		if (c->in[i].prec == 9)
			return (true);
	}
	return (false);
}
