/*
 * pipein.c - the stream source (-r - or -r FIFO): a capture read from
 * standard input or a named pipe as it comes.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "capture/capture-int.h"
#include "util/util.h"

#define PIPEIN_BATCH	512	/* records a turn */
#define PIPEIN_BUFSIZE	(256 * 1024)

/* The stream. */
struct pipein {
	char		*name;		/* "-" or the FIFO's path */
	FILE		*f;
	pcap_t		*p;
	size_t		 input;
	int		 fd;
	uint64_t	 off;		/* bytes read: a truncated tail's place */
	char		*iobuf;
	struct series	*spool;		/* NULL: not spooled */
	bool		 spool_done;	/* started or not */
};

/* Report a problem with the stream (libpcap's words escaped). */
static void
pipein_say(struct capture_source *s, enum capture_level lvl, const char *what,
    const char *why)
{
	struct buf	 b;

	buf_init(&b);
	buf_adds(&b, esc_str(((struct pipein *)s->data)->name));
	buf_adds(&b, ": ");
	buf_adds(&b, what);
	esc_text(&b, why, strlen(why));
	capture_report(s->c, lvl, b.s);
	buf_free(&b);
}

/*
 * Bytes the stream's stdio buffer holds: when there are none, poll() on
 * the descriptor tells whether a record waits.  (glibc's FILE fields;
 * capture.c already relies on <stdio_ext.h>.)
 */
static size_t
pipein_buffered(const FILE *f)
{
	return ((size_t)(f->_IO_read_end - f->_IO_read_ptr));
}

/*
 * Open the stream as a capture: pcap or pcapng, the header read now (a
 * FIFO's open waits for its writer, as tcpdump's does).  A sender such as
 * `tcpdump -U -w -` writes whole records, so a record begun in the buffer
 * is finished without waiting long.
 */
static bool
pipein_open(struct capture_source *s)
{
	struct pipein	*pi = s->data;
	char		 errbuf[PCAP_ERRBUF_SIZE];

	if (strcmp(pi->name, "-") == 0)
		pi->f = stdin;
	else if ((pi->f = fopen(pi->name, "rb")) == NULL) {
		pipein_say(s, CAPTURE_ERROR, "cannot open: ", strerror(errno));
		return (false);
	}
	pi->iobuf = xmalloc(PIPEIN_BUFSIZE);
	setvbuf(pi->f, pi->iobuf, _IOFBF, PIPEIN_BUFSIZE);
	pi->p = pcap_fopen_offline_with_tstamp_precision(pi->f,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (pi->p == NULL) {
		pipein_say(s, CAPTURE_ERROR, "cannot read: ", errbuf);
		if (pi->f != stdin)
			fclose(pi->f);
		else
			pi->iobuf = NULL;	/* still stdin's buffer */
		return (false);
	}
	pi->fd = fileno(pi->f);
	pi->off = 24;
	pi->input = capture_input_add(s->c, pi->name, pcap_datalink(pi->p), 6,
	    true);
	return (true);
}

/* The end of the stream: a truncated tail, a read error, or no packet. */
static enum capture_next
pipein_end(struct capture_source *s, int rc)
{
	struct pipein		*pi = s->data;
	struct capture_input	*in = capture_input_get(s->c, pi->input);
	const char		*err = pcap_geterr(pi->p);
	char			*m;

	if (rc == PCAP_ERROR && strstr(err, "truncated") != NULL) {
		xasprintf(&m, "%s: truncated after %llu packets at byte %llu",
		    esc_str(pi->name), (unsigned long long)in->packets,
		    (unsigned long long)pi->off);
		capture_report(s->c, in->packets == 0 ? CAPTURE_ERROR :
		    CAPTURE_WARNING, m);
		free(m);
	} else if (rc == PCAP_ERROR)
		pipein_say(s, CAPTURE_ERROR, "cannot read: ", err);
	else if (in->packets == 0)
		pipein_say(s, CAPTURE_ERROR, "no packets", "");
	return (CAPTURE_END);
}

/* Read the records that are there now, up to a batch. */
static enum capture_next
pipein_next(struct capture_source *s, capture_packet_fn fn, void *arg)
{
	struct pipein		*pi = s->data;
	struct capture_input	*in = capture_input_get(s->c, pi->input);
	struct pollfd		 pfd = { .fd = pi->fd, .events = POLLIN };
	struct capture_packet	 cp;
	struct pcap_pkthdr	*h;
	const u_char		*data;
	int			 n, rc;

	if (!pi->spool_done && capture_spool_get(s->c) != NULL)
		pi->spool = series_new(s->c, capture_spool_get(s->c), pi->p,
		    pi->input, pi->name);
	pi->spool_done = true;
	for (n = 0; n < PIPEIN_BATCH; n++) {
		if (pipein_buffered(pi->f) == 0 && poll(&pfd, 1, 0) <= 0)
			return (n > 0 ? CAPTURE_MORE : CAPTURE_IDLE);
		if ((rc = pcap_next_ex(pi->p, &h, &data)) != 1)
			return (pipein_end(s, rc));
		pi->off += 16 + h->caplen;
		in->packets++;
		cp.ordinal = capture_ordinal(s->c);
		if (pi->spool != NULL)
			series_put(pi->spool, h, data, cp.ordinal);
		cp.ts = (uint64_t)h->ts.tv_sec * 1000000000ULL +
		    (uint64_t)h->ts.tv_usec;
		cp.caplen = h->caplen;
		cp.wirelen = h->len;
		cp.data = data;
		cp.input = (uint16_t)pi->input;
		cp.dlt = in->dlt;
		cp.prec = in->prec;
		if (!fn(&cp, arg))
			return (CAPTURE_END);
	}
	return (CAPTURE_MORE);
}

/* The descriptor to poll. */
static int
pipein_fd(struct capture_source *s)
{
	struct pipein	*pi = s->data;

	return (pi->fd);
}

/* Its records in the spool, or NULL. */
static struct series *
pipein_series(struct capture_source *s)
{
	struct pipein	*pi = s->data;

	return (pi->spool);
}

/* Close the stream. */
static void
pipein_close(struct capture_source *s)
{
	struct pipein	*pi = s->data;

	series_free(pi->spool);
	if (pi->p != NULL)
		pcap_close(pi->p);	/* and its FILE */
	free(pi->iobuf);
	free(pi->name);
	free(pi);
}

/* Its packets' time is the sender's: the wall clock does not drive it. */
static const struct capture_source_ops pipein_ops = {
	.name = "stream",
	.open = pipein_open,
	.next = pipein_next,
	.fd = pipein_fd,
	.series = pipein_series,
	.close = pipein_close,
};

/* Add a capture stream: standard input ("-") or a FIFO. */
bool
capture_add_stream(struct capture *c, const char *name)
{
	struct pipein	*pi = xcalloc(1, sizeof *pi);

	pi->name = xstrdup(name);
	return (capture_source_add(c, &pipein_ops, pi));
}
