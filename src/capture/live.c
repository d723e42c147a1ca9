/* live.c - the live-interface packet source (-i), through libpcap. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture/capture-int.h"
#include "util/util.h"

#define LIVE_SNAPLEN	262144
#define LIVE_BATCH	512	/* records a turn, so other sources go on */
/*
 * The kernel hands packets over in blocks (TPACKET_V3), a block once full
 * or once it is this old.  Immediate mode (a wake-up a packet) dropped
 * packets from 6,250 packets/s on a 2 MiB buffer, where blocks took
 * 258,000 a second, tcpreplay's top, without a drop (tests/bench/live.sh).
 */
#define LIVE_BLOCK_MS	100

/* One interface. */
struct live {
	char				*name;
	struct capture_live_options	 opt;
	pcap_t				*p;
	size_t				 input;
	bool				 nano;	/* timestamps in ns */
	struct capture_stats		 st;
	struct series			*spool;	/* NULL: not spooled */
	bool				 spool_done;	/* started or not */
	/* During next(): where records go. */
	capture_packet_fn		 fn;
	void				*arg;
	struct capture_source		*src;
	bool				 stop;
};

/* Report a problem with the interface, its name escaped. */
static void
live_say(struct capture_source *s, enum capture_level lvl, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
static void
live_say(struct capture_source *s, enum capture_level lvl, const char *fmt,
    ...)
{
	struct live	*l = s->data;
	struct buf	 b;
	va_list		 ap;
	char		*m;

	va_start(ap, fmt);
	xvasprintf(&m, fmt, ap);
	va_end(ap);
	buf_init(&b);
	esc_text(&b, l->name, strlen(l->name));
	buf_adds(&b, ": ");
	esc_text(&b, m, strlen(m));
	capture_report(s->c, lvl, b.s);
	buf_free(&b);
	free(m);
}

/* The devices libpcap can capture on, as "a, b, c" (caller frees). */
static char *
live_devices(void)
{
	pcap_if_t	*all, *d;
	char		 errbuf[PCAP_ERRBUF_SIZE];
	struct buf	 b;

	buf_init(&b);
	if (pcap_findalldevs(&all, errbuf) != 0)
		buf_adds(&b, "(cannot list them)");
	else {
		for (d = all; d != NULL; d = d->next) {
			if (b.len > 0)
				buf_adds(&b, ", ");
			esc_text(&b, d->name, strlen(d->name));
		}
		pcap_freealldevs(all);
	}
	if (b.len == 0)
		buf_adds(&b, "none");
	return (buf_take(&b));
}

/* Say why pcap_activate() failed, with the fix. */
static void
live_activate_error(struct capture_source *s, int rc)
{
	struct live	*l = s->data;
	char		*devs;

	switch (rc) {
	case PCAP_ERROR_PERM_DENIED:
		live_say(s, CAPTURE_ERROR, "no permission to capture: run as "
		    "root, or give the program the capabilities with `setcap "
		    "cap_net_raw,cap_net_admin+eip huntcon`");
		break;
	case PCAP_ERROR_NO_SUCH_DEVICE:
		devs = live_devices();
		live_say(s, CAPTURE_ERROR, "no such device; devices: %s", devs);
		free(devs);
		break;
	case PCAP_ERROR_IFACE_NOT_UP:
		live_say(s, CAPTURE_ERROR, "interface is down: bring it up "
		    "with `ip link set %s up`", l->name);
		break;
	default:
		live_say(s, CAPTURE_ERROR, "cannot capture: %s",
		    pcap_geterr(l->p));
		break;
	}
}

/* Set the handle's options before it is activated. */
static void
live_configure(struct live *l)
{
	pcap_set_snaplen(l->p, l->opt.snaplen > 0 ? l->opt.snaplen :
	    LIVE_SNAPLEN);
	pcap_set_promisc(l->p, !l->opt.no_promisc);
	if (l->opt.buffer_kib > 0)
		pcap_set_buffer_size(l->p, (int)l->opt.buffer_kib * 1024);
	pcap_set_timeout(l->p, LIVE_BLOCK_MS);
	l->nano = pcap_set_tstamp_precision(l->p,
	    PCAP_TSTAMP_PRECISION_NANO) == 0;
}

/* Compile and set -f; false (reported) when libpcap rejects it. */
static bool
live_filter(struct capture_source *s)
{
	struct live		*l = s->data;
	struct bpf_program	 prog;
	bool			 ok;

	if (l->opt.filter == NULL)
		return (true);
	if (pcap_compile(l->p, &prog, l->opt.filter, 1,
	    PCAP_NETMASK_UNKNOWN) != 0) {
		live_say(s, CAPTURE_ERROR, "bad filter '%s': %s", l->opt.filter,
		    pcap_geterr(l->p));
		return (false);
	}
	ok = pcap_setfilter(l->p, &prog) == 0;
	if (!ok)
		live_say(s, CAPTURE_ERROR, "cannot set the filter: %s",
		    pcap_geterr(l->p));
	pcap_freecode(&prog);
	return (ok);
}

/* Open the interface: create, configure, activate, filter, non-blocking. */
static bool
live_open(struct capture_source *s)
{
	struct live	*l = s->data;
	char		 errbuf[PCAP_ERRBUF_SIZE];
	int		 rc;

	if ((l->p = pcap_create(l->name, errbuf)) == NULL) {
		live_say(s, CAPTURE_ERROR, "cannot capture: %s", errbuf);
		return (false);
	}
	live_configure(l);
	if ((rc = pcap_activate(l->p)) < 0) {
		live_activate_error(s, rc);
		return (false);
	}
	if (rc > 0)
		live_say(s, CAPTURE_WARNING, "%s", pcap_geterr(l->p));
	if (!live_filter(s))
		return (false);
	if (pcap_setnonblock(l->p, 1, errbuf) != 0) {
		live_say(s, CAPTURE_ERROR, "cannot capture: %s", errbuf);
		return (false);
	}
	l->input = capture_input_add(s->c, l->name, pcap_datalink(l->p), 6,
	    true);
	return (true);
}

/*
 * Start the interface's series in the spool, if there is one: on the
 * reader's thread at its first turn (after -Z: the files are the user's).
 */
static void
live_spool_open(struct capture_source *s)
{
	struct live	*l = s->data;
	struct spool	*sp = capture_spool_get(s->c);

	l->spool_done = true;
	if (sp != NULL)
		l->spool = series_new(s->c, sp, l->p, l->input, l->name);
}

/* libpcap's callback: one record to the packet function. */
static void
live_record(u_char *arg, const struct pcap_pkthdr *h, const u_char *data)
{
	struct live		*l = (struct live *)arg;
	struct capture_input	*in;
	struct capture_packet	 cp;

	if (l->stop)
		return;
	in = capture_input_get(l->src->c, l->input);
	in->packets++;
	cp.ordinal = capture_ordinal(l->src->c);
	if (l->spool != NULL)
		series_put(l->spool, h, data, cp.ordinal);
	cp.ts = (uint64_t)h->ts.tv_sec * 1000000000ULL +
	    (uint64_t)h->ts.tv_usec * (l->nano ? 1 : 1000);
	cp.caplen = h->caplen;
	cp.wirelen = h->len;
	cp.data = data;
	cp.input = (uint16_t)l->input;
	cp.dlt = in->dlt;
	cp.prec = in->prec;
	if (!l->fn(&cp, l->arg)) {
		l->stop = true;
		pcap_breakloop(l->p);
	}
}

/* Keep the counters so far (they stay when the interface goes away). */
static void
live_update_stats(struct live *l)
{
	struct pcap_stat	 ps;

	if (l->p == NULL || pcap_stats(l->p, &ps) != 0)
		return;
	l->st.received = ps.ps_recv;
	l->st.dropped = ps.ps_drop;
	l->st.ifdropped = ps.ps_ifdrop;
}

/* Read what the kernel has now, up to a batch. */
static enum capture_next
live_next(struct capture_source *s, capture_packet_fn fn, void *arg)
{
	struct live	*l = s->data;
	int		 n;

	l->fn = fn;
	l->arg = arg;
	l->src = s;
	if (!l->spool_done)
		live_spool_open(s);
	n = pcap_dispatch(l->p, LIVE_BATCH, live_record, (u_char *)l);
	if (n == PCAP_ERROR) {
		live_update_stats(l);
		live_say(s, CAPTURE_WARNING, "capture ended: %s",
		    pcap_geterr(l->p));
		return (CAPTURE_END);
	}
	if (l->stop)
		return (CAPTURE_END);
	return (n > 0 ? CAPTURE_MORE : CAPTURE_IDLE);
}

/* The descriptor to poll while idle. */
static int
live_fd(struct capture_source *s)
{
	struct live	*l = s->data;

	return (pcap_get_selectable_fd(l->p));
}

/* The counters from pcap_stats(). */
static bool
live_stats(struct capture_source *s, struct capture_stats *st)
{
	struct live	*l = s->data;

	live_update_stats(l);
	*st = l->st;
	return (true);
}

/* Its records in the spool, or NULL. */
static struct series *
live_series(struct capture_source *s)
{
	struct live	*l = s->data;

	return (l->spool);
}

/* Close the interface and its spool file (the spool removes it). */
static void
live_close(struct capture_source *s)
{
	struct live	*l = s->data;

	series_free(l->spool);
	if (l->p != NULL)
		pcap_close(l->p);
	free(l->name);
	free(l);
}

static const struct capture_source_ops capture_live_ops = {
	.name = "live",
	.wall = true,
	.hold_ms = LIVE_BLOCK_MS,
	.open = live_open,
	.next = live_next,
	.fd = live_fd,
	.stats = live_stats,
	.series = live_series,
	.close = live_close,
};

/* Open an interface for live capture. */
bool
capture_add_live(struct capture *c, const char *name,
    const struct capture_live_options *opt)
{
	struct live	*l;

	l = xcalloc(1, sizeof *l);
	l->name = xstrdup(name);
	l->opt = *opt;
	return (capture_source_add(c, &capture_live_ops, l));
}
