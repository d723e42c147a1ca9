/* export.c - writing chosen sessions' packets to pcap files. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "export/export.h"
#include "util/util.h"

#define EXPORT_SNAPLEN	262144

/* A pcap written through libpcap (export_dump_new). */
struct export_dump {
	pcap_t		*dead;
	pcap_dumper_t	*dump;
	bool		 ns;
};

/* One output file, for one link type. */
struct export_out {
	int		 dlt;
	char		*path;
	FILE		*f;
	struct export_dump *d;
	uint64_t	 packets;
	bool		 regular;	/* a file of ours to remove on failure */
};

/* Begin a pcap on f: libpcap writes its header. */
struct export_dump *
export_dump_new(FILE *f, int dlt, bool ns, char **cause)
{
	struct export_dump	*d = xcalloc(1, sizeof *d);

	d->ns = ns;
	d->dead = pcap_open_dead_with_tstamp_precision(dlt, EXPORT_SNAPLEN,
	    ns ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
	if (d->dead == NULL ||
	    (d->dump = pcap_dump_fopen(d->dead, f)) == NULL) {
		xasprintf(cause, "%s", d->dead != NULL ? pcap_geterr(d->dead) :
		    "cannot begin a pcap");
		export_dump_free(d);
		return (NULL);
	}
	return (d);
}

/* Write one record (time in ns); false when the stream failed. */
bool
export_dump_put(struct export_dump *d, uint64_t ts, uint32_t caplen,
    uint32_t wirelen, const uint8_t *data)
{
	struct pcap_pkthdr	 h;

	h.ts.tv_sec = (time_t)(ts / 1000000000ULL);
	h.ts.tv_usec = (suseconds_t)(ts % 1000000000ULL);
	if (!d->ns)
		h.ts.tv_usec /= 1000;
	h.caplen = caplen;
	h.len = wirelen;
	pcap_dump((u_char *)d->dump, &h, data);
	return (!ferror(pcap_dump_file(d->dump)));
}

/* Done with a pcap; its stream stays open (a dumper is that stream). */
void
export_dump_free(struct export_dump *d)
{
	if (d == NULL)
		return;
	if (d->dead != NULL)
		pcap_close(d->dead);
	free(d);
}

struct export_state {
	uint64_t		*want;		/* bitmap of ordinals */
	uint64_t		 nbits;
	uint64_t		 wanted;	/* ordinals marked */
	struct export_out	*out;
	size_t			 nout;
	const char		*path;
	bool			 force, ns, failed;
	char			*cause;
	struct export_progress	*prog;
};

/* The first wanted ordinal at or after o (the next bit set). */
static uint64_t
export_select(uint64_t o, void *arg)
{
	struct export_state	*x = arg;
	uint64_t		 w;
	size_t			 i;

	if (o >= x->nbits)
		return (UINT64_MAX);
	i = (size_t)(o / 64);
	w = x->want[i] & (~0ULL << (o % 64));
	while (w == 0) {
		if (++i > x->nbits / 64)
			return (UINT64_MAX);
		w = x->want[i];
	}
	o = (uint64_t)i * 64 + (uint64_t)__builtin_ctzll(w);
	return (o < x->nbits ? o : UINT64_MAX);
}

/*
 * The file name for a link type: path for the first; for each later one
 * path with ".NAME" put before its extension (out.pcap: out.NAME.pcap,
 * out.cap: out.NAME.cap), or ".NAME.pcap" added when the file name has
 * none (a dot that starts the file name is no extension).
 */
static char *
export_name(const struct export_state *x, int dlt)
{
	const char	*name = pcap_datalink_val_to_name(dlt), *dot, *base;
	char		*lower, *p, *s;

	if (x->nout == 0)
		return (xstrdup(x->path));
	if (name != NULL)
		lower = xstrdup(name);
	else
		xasprintf(&lower, "dlt%d", dlt);
	for (p = lower; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	base = strrchr(x->path, '/');
	base = base != NULL ? base + 1 : x->path;
	dot = strrchr(base, '.');
	if (dot != NULL && dot != base)
		xasprintf(&s, "%.*s.%s%s", (int)(dot - x->path), x->path, lower,
		    dot);
	else
		xasprintf(&s, "%s.%s.pcap", x->path, lower);
	free(lower);
	return (s);
}

/* Open an output file, refusing an existing one unless forced. */
static struct export_out *
export_open(struct export_state *x, int dlt)
{
	struct export_out	*o;
	struct stat		 sb;
	FILE			*f;
	int			 fd, flags = O_WRONLY | O_CREAT | O_TRUNC;
	char			*path = export_name(x, dlt), *why = NULL;

	if (!x->force)
		flags |= O_EXCL;
	if ((fd = open(path, flags, 0644)) == -1 ||
	    (f = fdopen(fd, "wb")) == NULL) {
		xasprintf(&x->cause, "%s: %s%s", esc_str(path), strerror(errno),
		    errno == EEXIST ? " (use --force to overwrite)" : "");
		if (fd != -1)
			close(fd);
		free(path);
		return (NULL);
	}
	x->out = xreallocarray(x->out, x->nout + 1, sizeof *x->out);
	o = &x->out[x->nout++];
	o->dlt = dlt;
	o->path = path;
	o->packets = 0;
	o->regular = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
	o->f = f;
	if ((o->d = export_dump_new(f, dlt, x->ns, &why)) == NULL) {
		xasprintf(&x->cause, "%s: %s", esc_str(path), why);
		free(why);
		fclose(f);
		o->f = NULL;
		return (NULL);
	}
	return (o);
}

/* The output for a link type, opened on first use. */
static struct export_out *
export_out_for(struct export_state *x, int dlt)
{
	size_t	 i;

	for (i = 0; i < x->nout; i++) {
		if (x->out[i].dlt == dlt)
			return (x->out[i].d != NULL ? &x->out[i] : NULL);
	}
	return (export_open(x, dlt));
}

/* Write one re-read packet. */
static bool
export_packet(const struct capture_packet *p, void *arg)
{
	struct export_state	*x = arg;
	struct export_out	*o;

	if ((o = export_out_for(x, p->dlt)) == NULL) {
		x->failed = true;
		return (false);
	}
	if (!export_dump_put(o->d, p->ts, p->caplen, p->wirelen, p->data)) {
		xasprintf(&x->cause, "%s: %s", esc_str(o->path), strerror(errno));
		x->failed = true;
		return (false);
	}
	o->packets++;
	if (x->prog != NULL) {
		atomic_fetch_add_explicit(&x->prog->done, 1,
		    memory_order_relaxed);
		if (atomic_load_explicit(&x->prog->cancel,
		    memory_order_relaxed)) {
			if (x->cause == NULL)
				x->cause = xstrdup("export cancelled");
			return (false);
		}
	}
	return (true);
}

/* Mark the ordinals of the chosen sessions; returns how many sessions. */
static uint64_t
export_mark(struct export_state *x, const struct store *st,
    bool (*keep)(uint64_t, void *), void *arg)
{
	struct session		 buf;
	const struct session	*s;
	uint64_t		 id, end = store_end(st), ord = 0, n = 0, i;
	uint32_t		 pos;

	for (id = 1; id < end; id++) {
		if ((s = store_get(st, id, &buf)) == NULL ||
		    (keep != NULL && !keep(id, arg)))
			continue;
		n++;
		for (pos = 0; pktidx_next(&s->pkts, &pos, &ord);) {
			if (ord < x->nbits)
				x->want[ord / 64] |= 1ULL << (ord % 64);
		}
	}
	for (i = 0; i < x->nbits / 64 + 1; i++)
		x->wanted += (uint64_t)__builtin_popcountll(x->want[i]);
	if (x->prog != NULL)
		atomic_store(&x->prog->total, x->wanted);
	return (n);
}

/* How many of a session's packets cannot be read again. */
uint64_t
export_missing(const struct session *s, void *capture)
{
	uint64_t	 ord = 0, n = 0;
	uint32_t	 pos;

	for (pos = 0; pktidx_next(&s->pkts, &pos, &ord);) {
		if (!capture_kept(capture, ord))
			n++;
	}
	return (n);
}

/* Tell the store where its sessions' meta comes from; see export.h. */
const char **
export_store_ctx(struct store *st, struct capture *c,
    const struct netrange *home, size_t nhome)
{
	struct session_ctx	 ctx;
	const char		**names;
	size_t			 i, n = capture_ninputs(c);

	names = xcalloc(n + 1, sizeof *names);
	for (i = 0; i < n; i++)
		names[i] = capture_input(c, i)->path;
	ctx.inputs = names;
	ctx.home = home;
	ctx.nhome = nhome;
	ctx.missing = capture_live(c) ? export_missing : NULL;
	ctx.missing_arg = c;
	store_set_ctx(st, &ctx);
	return (names);
}

/*
 * Whether every marked packet was read again; else say how many were, and
 * how many of the others the spool no longer has.
 */
static bool
export_all_read(struct export_state *x, const struct capture *c)
{
	uint64_t	 got = 0, gone = 0, o;
	size_t		 i;

	for (i = 0; i < x->nout; i++)
		got += x->out[i].packets;
	if (got == x->wanted)
		return (true);
	for (o = export_select(0, x); o != UINT64_MAX; o = export_select(o + 1,
	    x)) {
		if (!capture_kept(c, o))
			gone++;
	}
	if (gone == 0)
		xasprintf(&x->cause, "%s: only %llu of %llu packets could be "
		    "read again from the inputs", esc_str(x->path),
		    (unsigned long long)got, (unsigned long long)x->wanted);
	else
		xasprintf(&x->cause, "%s: only %llu of %llu packets could be "
		    "read again: %llu are no longer in the spool", esc_str(x->path),
		    (unsigned long long)got, (unsigned long long)x->wanted,
		    (unsigned long long)gone);
	return (false);
}

/*
 * Close the outputs.  When every write reached the disk, report each file
 * and its packets; else (or after an earlier failure) remove every file of
 * the export: a part of a pcap is no evidence.
 */
static bool
export_close(struct export_state *x, void (*say)(const char *, void *),
    void *sarg, struct export_result *res)
{
	struct export_out	*o;
	char			*msg, *cause;
	size_t			 i;

	for (i = 0; i < x->nout; i++) {
		o = &x->out[i];
		if (o->d == NULL)
			continue;
		cause = NULL;
		if (!file_finish(o->f, o->path, FILE_SYNC, 0, &cause) &&
		    x->cause == NULL)
			x->cause = cause;
		else
			free(cause);
		fclose(o->f);
	}
	for (i = 0; i < x->nout; i++) {
		o = &x->out[i];
		if (x->cause != NULL && o->regular)
			unlink(o->path);
		else if (x->cause == NULL) {
			xasprintf(&msg, "%s: %llu packets", esc_str(o->path),
			    (unsigned long long)o->packets);
			if (say != NULL)
				say(msg, sarg);
			free(msg);
			res->files++;
			res->packets += o->packets;
		}
		export_dump_free(o->d);
		free(o->path);
	}
	free(x->out);
	return (x->cause == NULL);
}

/* Export the chosen sessions' packets. */
bool
export_pcap(struct capture *c, const struct store *st, const char *path,
    bool force, bool (*keep)(uint64_t, void *), void *arg,
    void (*say)(const char *, void *), void *sarg,
    struct export_result *res, struct export_progress *prog, char **cause)
{
	struct export_state	 x;
	size_t			 n = capture_ninputs(c);

	memset(&x, 0, sizeof x);
	memset(res, 0, sizeof *res);
	x.nbits = capture_ordinals(c);	/* live inputs' ordinals interleave */
	x.want = xcalloc(x.nbits / 64 + 1, sizeof *x.want);
	x.path = path;
	x.force = force;
	x.ns = capture_any_ns(c);
	x.prog = prog;
	res->sessions = export_mark(&x, st, keep, arg);
	capture_reread(c, export_select, export_packet, &x);
	if (x.nout == 0 && !x.failed && n > 0)
		export_open(&x, capture_input(c, 0)->dlt);
	if (x.cause == NULL)
		export_all_read(&x, c);
	if (!export_close(&x, say, sarg, res) || x.cause != NULL) {
		*cause = x.cause != NULL ? x.cause : xstrdup("export failed");
		free(x.want);
		return (false);
	}
	free(x.want);
	return (true);
}
