/* series.c - a source's series of files in the spool, and reading it back. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "capture/capture-int.h"
#include "util/util.h"

/* One file of the series. */
struct series_file {
	size_t		 id;		/* the spool's */
	size_t		 first;		/* its first record's index in ords */
};

/*
 * The records of one input as captured, in files of the spool, and each
 * record's ordinal (8 bytes a packet), so that they can be found again.
 */
struct series {
	struct capture		*c;
	struct spool		*spool;
	pcap_t			*p;		/* link type, snaplen, precision */
	char			*name;		/* for messages, escaped */
	size_t			 input;
	pcap_dumper_t		*dump;		/* NULL: spooling stopped */
	uint64_t		*ords;
	size_t			 nords, cap;
	struct series_file	*files;
	size_t			 nfiles;
	uint64_t		 fbytes;	/* in the file being written */
};

/* Say that spooling stopped, and why. */
static void
series_stopped(struct series *se, const char *why)
{
	char	*m;

	xasprintf(&m, "%s: spooling stopped: %s", se->name, why);
	capture_report(se->c, CAPTURE_WARNING, m);
	free(m);
}

/* Start the next file of the series; false when it cannot be. */
static bool
series_next(struct series *se)
{
	struct series_file	*f;

	if (se->dump != NULL) {
		pcap_dump_close(se->dump);
		spool_file_done(se->spool, se->files[se->nfiles - 1].id);
	}
	se->files = xreallocarray(se->files, se->nfiles + 1,
	    sizeof *se->files);
	f = &se->files[se->nfiles++];
	f->id = spool_file_new(se->spool, se->input, (unsigned int)se->nfiles);
	f->first = se->nords;
	se->fbytes = 24;
	if ((se->dump = pcap_dump_open(se->p, spool_path(se->spool,
	    f->id))) == NULL) {
		series_stopped(se, pcap_geterr(se->p));
		spool_file_done(se->spool, f->id);
		return (false);
	}
	spool_grow(se->spool, f->id, 24);
	return (true);
}

/*
 * Start an input's series (on the reader's thread at its first turn: after
 * -Z, so the files are the user's).  p gives the link type.
 */
struct series *
series_new(struct capture *c, struct spool *sp, pcap_t *p, size_t input,
    const char *name)
{
	struct series	*se = xcalloc(1, sizeof *se);
	struct buf	 b;

	buf_init(&b);
	esc_text(&b, name, strlen(name));
	se->name = buf_take(&b);
	se->c = c;
	se->spool = sp;
	se->p = p;
	se->input = input;
	series_next(se);
	return (se);
}

/*
 * Write a record, starting the next file when this one is full; a failed
 * write stops spooling, not capture.
 */
void
series_put(struct series *se, const struct pcap_pkthdr *h,
    const u_char *data, uint64_t ordinal)
{
	uint64_t	 n = 16 + h->caplen;

	if (se->dump == NULL || (se->fbytes + n > spool_rotate(se->spool) &&
	    se->fbytes > 24 && !series_next(se))) {
		spool_lost(se->spool);
		return;
	}
	pcap_dump((u_char *)se->dump, h, data);
	if (ferror(pcap_dump_file(se->dump))) {
		series_stopped(se, strerror(errno));
		pcap_dump_close(se->dump);
		spool_file_done(se->spool, se->files[se->nfiles - 1].id);
		se->dump = NULL;
		spool_lost(se->spool);
		return;
	}
	se->fbytes += n;
	spool_grow(se->spool, se->files[se->nfiles - 1].id, n);
	if (se->nords == se->cap) {
		se->cap = se->cap == 0 ? 4096 : se->cap * 2;
		se->ords = xreallocarray(se->ords, se->cap, sizeof *se->ords);
	}
	se->ords[se->nords++] = ordinal;
}

/* Read the selected records of one file again; false to stop. */
static bool
series_reread_file(struct series *se, size_t i, capture_select_fn sel,
    void *sarg, capture_packet_fn fn, void *arg)
{
	struct capture_packet	 cp;
	struct pcap_pkthdr	*h;
	const u_char		*data;
	char			 errbuf[PCAP_ERRBUF_SIZE];
	pcap_t			*p;
	size_t			 k, end;
	bool			 go = true;

	end = i + 1 < se->nfiles ? se->files[i + 1].first : se->nords;
	if (spool_gone(se->spool, se->files[i].id) || (p =
	    pcap_open_offline_with_tstamp_precision(spool_path(se->spool,
	    se->files[i].id), PCAP_TSTAMP_PRECISION_NANO, errbuf)) == NULL)
		return (true);		/* its packets are missing */
	memset(&cp, 0, sizeof cp);
	cp.input = (uint16_t)se->input;
	cp.dlt = capture_input_get(se->c, se->input)->dlt;
	cp.prec = capture_input_get(se->c, se->input)->prec;
	for (k = se->files[i].first; go && k < end &&
	    pcap_next_ex(p, &h, &data) == 1; k++) {
		if (!sel(se->ords[k], sarg))
			continue;
		cp.ordinal = se->ords[k];
		cp.ts = (uint64_t)h->ts.tv_sec * 1000000000ULL +
		    (uint64_t)h->ts.tv_usec;
		cp.caplen = h->caplen;
		cp.wirelen = h->len;
		cp.data = data;
		go = fn(&cp, arg);
	}
	pcap_close(p);
	return (go);
}

/* Read the selected records again, in capture order. */
void
series_reread(struct series *se, capture_select_fn sel, void *sarg,
    capture_packet_fn fn, void *arg)
{
	size_t	 i;

	if (se->dump != NULL && pcap_dump_flush(se->dump) != 0)
		return;
	for (i = 0; i < se->nfiles; i++) {
		if (!series_reread_file(se, i, sel, sarg, fn, arg))
			break;
	}
}

/* Close the file being written (the spool removes its files). */
void
series_free(struct series *se)
{
	if (se == NULL)
		return;
	if (se->dump != NULL)
		pcap_dump_close(se->dump);
	free(se->files);
	free(se->ords);
	free(se->name);
	free(se);
}
