/*
 * session.c - one session over the store (view/session.h): its meta and
 * fragments from the store's rows, its packets fetched from the sensor
 * that keeps them (fleet.sensor.NAME), one fetch a run of packets in one
 * file, as the export over the store fetches them.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "fleet/fleet-int.h"
#include "view/session.h"

#define FS_HDR		24		/* pcap file header */
#define FS_REC		16		/* pcap record header */
#define FS_MAXCAP	(256 * 1024)	/* largest record accepted */

/* A session of the store: its row, its sensor and packet references. */
struct fsess {
	void		*row;		/* fleet_read_row()'s */
	char		*sensor, *run;
	char		**path;		/* each packet's file (in paths) */
	uint64_t	*off;		/* where its record starts there */
	char		**paths;	/* the distinct files, in order */
	size_t		 npaths;
	uint8_t		 af;		/* the initiator's address, port */
	uint8_t		 addr[16];
	uint16_t	 port;
};

/* A run of packets being fetched and given. */
struct fsrun {
	const struct fleet_view	*fv;
	struct fsess		*fs;
	const char		*where;
	struct view_pktdec	 pd;
	view_packet_fn		 fn;
	void			*arg;
	char			*down;		/* the sensor did not answer */
	bool			 stop;
};

/* The condition for the session's row: its sensor, run and id. */
static void
fsess_where(struct buf *b, const struct view_ref *ref, const char *sensor,
    const char *run)
{
	buf_adds(b, "sensor = ");
	fleet_sql_string(b, sensor, strlen(sensor), false);
	buf_adds(b, " AND run = ");
	fleet_sql_string(b, run, strlen(run), false);
	buf_printf(b, " AND sessionid = %llu", (unsigned long long)ref->id);
}

/* A uint value of a key of the session's row (0: none). */
static uint64_t
fsess_uint(const struct meta_reader *r, int key)
{
	struct mval	 v[1];

	return (r->values(r, 0, key, v, 1) > 0 ? v[0].u : 0);
}

/* The initiator's address and port, from the meta, to find sides. */
static void
fsess_initiator(struct fsess *fs, const struct meta_reader *r)
{
	struct mval	 v[1];

	fs->af = 4;
	if (r->values(r, 0, K_IP_SRC, v, 1) > 0)
		memcpy(fs->addr, v[0].ip, 4);
	else if (r->values(r, 0, K_IPV6_SRC, v, 1) > 0) {
		fs->af = 6;
		memcpy(fs->addr, v[0].ip, 16);
	}
	fs->port = (uint16_t)fsess_uint(r, K_TCP_SRCPORT);
	if (fs->port == 0)
		fs->port = (uint16_t)fsess_uint(r, K_UDP_SRCPORT);
}

/* The packet references of the row: [hex(path),...] and [offset,...]. */
static void
fsess_refs(struct fsess *fs, struct view_session *vs, const char *pp,
    const char *po)
{
	const char	*sp, *so;
	size_t		 np, no;
	char		*path;

	while (fleet_elem(&pp, &sp, &np) && fleet_elem(&po, &so, &no)) {
		path = fleet_unhex_str(sp, np);
		if (fs->npaths > 0 && strcmp(fs->paths[fs->npaths - 1],
		    path) == 0)
			free(path);
		else {
			fs->paths = xreallocarray(fs->paths, fs->npaths + 1,
			    sizeof *fs->paths);
			fs->paths[fs->npaths++] = path;
		}
		fs->path = xreallocarray(fs->path, vs->npkts + 1,
		    sizeof *fs->path);
		fs->off = xreallocarray(fs->off, vs->npkts + 1,
		    sizeof *fs->off);
		fs->path[vs->npkts] = fs->paths[fs->npaths - 1];
		fs->off[vs->npkts++] = strtoull(so, NULL, 10);
	}
}

/* The fragments of a split conversation: rows of its first fragment's
 * sensor and run whose sessionid or session.first is first. */
static bool
fsess_fragments(const struct fleet_url *u, struct fsess *fs,
    struct view_session *vs, uint64_t self, uint64_t first, char **cause)
{
	struct buf		 b;
	const char		*table;
	char			*out = NULL, *p, *line, *col[4];
	struct view_fragment	*f;
	int			 i;
	bool			 ok;

	if (first == 0)
		return (true);
	if (!fleet_read_table(u, &table, cause))
		return (false);
	buf_init(&b);
	buf_adds(&b, "SELECT sessionid, ");
	fleet_fixed_column(&b, K_SESSION_SPLIT);
	buf_printf(&b, ", size, packets FROM %s.%s WHERE (", u->db, table);
	fsess_where(&b, &(struct view_ref){ first, NULL, NULL }, fs->sensor,
	    fs->run);
	buf_adds(&b, ") OR (sensor = ");
	fleet_sql_string(&b, fs->sensor, strlen(fs->sensor), false);
	buf_adds(&b, " AND run = ");
	fleet_sql_string(&b, fs->run, strlen(fs->run), false);
	buf_adds(&b, " AND ");
	fleet_fixed_column(&b, K_SESSION_FIRST);
	buf_printf(&b, " = %llu) ORDER BY sessionid FORMAT TabSeparated",
	    (unsigned long long)first);
	ok = fleet_http(u, b.s, NULL, 0, &out, cause);
	buf_free(&b);
	for (p = out; ok && (line = strsep(&p, "\n")) != NULL; ) {
		for (i = 0; i < 4; i++)
			col[i] = strsep(&line, "\t");
		if (col[3] == NULL)
			continue;
		vs->frag = xreallocarray(vs->frag, vs->nfrag + 1,
		    sizeof *vs->frag);
		f = &vs->frag[vs->nfrag++];
		f->id = strtoull(col[0], NULL, 10);
		f->split = (unsigned int)strtoul(col[1], NULL, 10);
		f->size = strtoull(col[2], NULL, 10);
		f->packets = strtoull(col[3], NULL, 10);
		f->self = f->id == self;
	}
	free(out);
	return (ok);
}

/* The row's columns after its meta: time, ppath and poff. */
static bool
fsess_tail(struct fsess *fs, struct view_session *vs, char *tail)
{
	char	*col[3];
	int	 i;

	for (i = 0; i < 3; i++)
		col[i] = strsep(&tail, "\t");
	if (col[2] == NULL)
		return (false);
	vs->t_first = strtoull(col[0], NULL, 10);
	fsess_refs(fs, vs, col[1], col[2]);
	return (true);
}

/* Free a session's own. */
void
fleet_view_session_free(void *impl, struct view_session *vs)
{
	struct fsess	*fs = vs->own;
	size_t		 i;

	(void)impl;
	if (fs->row != NULL)
		fleet_read_free(fs->row);
	for (i = 0; i < fs->npaths; i++)
		free(fs->paths[i]);
	free(fs->paths);
	free(fs->path);
	free(fs->off);
	free(fs->sensor);
	free(fs->run);
	free(fs);
}

/* One session of the store: its row, fragments and references. */
bool
fleet_view_session(void *impl, const struct view_ref *ref,
    struct view_session *vs, char **cause)
{
	const struct fleet_view	*fv = impl;
	struct fsess		*fs = xcalloc(1, sizeof *fs);
	struct buf		 b;
	char			*tail = NULL;
	bool			 ok;

	vs->own = fs;
	fs->sensor = xstrdup(ref->sensor != NULL ? ref->sensor : "");
	fs->run = xstrdup(ref->run != NULL ? ref->run : "");
	buf_init(&b);
	fsess_where(&b, ref, fs->sensor, fs->run);
	ok = fleet_read_row(fv->u, "time, arrayMap(x -> hex(x), ppath), poff",
	    b.s, &vs->r, &fs->row, &tail, cause);
	buf_free(&b);
	if (ok && (vs->r == NULL || !fsess_tail(fs, vs, tail))) {
		xasprintf(cause, "sensor %s run %s: no session %llu in the "
		    "store", esc_str(fs->sensor), esc_str(fs->run),
		    (unsigned long long)ref->id);
		ok = false;
	}
	free(tail);
	ok = ok && fsess_fragments(fv->u, fs, vs, ref->id,
	    fsess_uint(vs->r, K_SESSION_FIRST), cause);
	if (!ok) {
		free(vs->frag);
		fleet_view_session_free(impl, vs);
		memset(vs, 0, sizeof *vs);
		return (false);
	}
	vs->id = 0;
	fsess_initiator(fs, vs->r);
	vs->packets = fv->cfg != NULL;
	return (true);
}

/* Give packets [k, end) as not read again, and why. */
static void
fsrun_unread(struct fsrun *r, size_t k, size_t end, enum view_pkt_state st,
    const char *why)
{
	struct view_packet	 vp;

	for (; k < end && !r->stop; k++) {
		memset(&vp, 0, sizeof vp);
		vp.k = k;
		vp.state = st;
		vp.why = why;
		vp.side = -1;
		r->stop = !r->fn(&vp, r->arg);
	}
}

/* A 32-bit field of a pcap header in its byte order. */
static uint32_t
fsrun_u32(const unsigned char *p, bool swap)
{
	uint32_t	 v;

	memcpy(&v, p, 4);
	return (swap ? __builtin_bswap32(v) : v);
}

/* Packet k's frame: its file's name and where its record starts. */
static void
fsrun_frame(struct buf *b, const struct fsess *fs, size_t k)
{
	const char	*slash = strrchr(fs->path[k], '/');
	const char	*name = slash != NULL ? slash + 1 : fs->path[k];

	buf_reset(b);
	esc_text(b, name, strlen(name));
	buf_printf(b, "@%llu", (unsigned long long)fs->off[k]);
}

/* Give packets [k, end) from the pcap the sensor sent for them. */
static void
fsrun_give(struct fsrun *r, FILE *f, size_t k, size_t end)
{
	unsigned char		 h[FS_HDR], *data = xmalloc(FS_MAXCAP);
	struct view_packet	 vp;
	struct buf		 frame;
	uint32_t		 magic, caplen;
	bool			 swap, ns;
	int			 dlt;

	buf_init(&frame);
	rewind(f);
	if (fread(h, 1, FS_HDR, f) != FS_HDR)
		goto out;
	magic = fsrun_u32(h, false);
	swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	ns = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
	dlt = capture_linktype_dlt(fsrun_u32(h + 20, swap));
	for (; k < end && !r->stop; k++) {
		if (fread(h, 1, FS_REC, f) != FS_REC || (caplen =
		    fsrun_u32(h + 8, swap)) > FS_MAXCAP ||
		    fread(data, 1, caplen, f) != caplen)
			break;
		memset(&vp, 0, sizeof vp);
		vp.k = k;
		vp.state = VIEW_PKT_READ;
		fsrun_frame(&frame, r->fs, k);
		vp.frame = frame.s;
		vp.ts = (uint64_t)fsrun_u32(h, swap) * 1000000000ULL +
		    (uint64_t)fsrun_u32(h + 4, swap) * (ns ? 1 : 1000);
		vp.prec = ns ? 9 : 6;
		vp.caplen = caplen;
		vp.wirelen = fsrun_u32(h + 12, swap);
		vp.data = data;
		view_pktdec(&r->pd, dlt, k, 0, &vp);
		r->stop = !r->fn(&vp, r->arg);
	}
out:
	fsrun_unread(r, k, end, VIEW_PKT_CHANGED, "its sensor sent no record "
	    "of it");
	buf_free(&frame);
	free(data);
}

/* Fetch packets [k, end), all in one file, from the sensor and give
 * them; a sensor that does not answer is down for the rest. */
static void
fsrun_fetch(struct fsrun *r, size_t k, size_t end)
{
	struct buf	 b;
	FILE		*f;
	char		*why = NULL, *s;
	size_t		 i;

	buf_init(&b);
	buf_printf(&b, "%s@", r->fs->path[k]);
	for (i = k; i < end; i++)
		buf_printf(&b, "%s%llu", i == k ? "" : ",",
		    (unsigned long long)r->fs->off[i]);
	buf_addc(&b, '\n');
	if ((f = tmpfile()) == NULL)
		fatal("temporary file: %s", strerror(errno));
	if (strchr(r->fs->path[k], '\n') != NULL)
		fsrun_unread(r, k, end, VIEW_PKT_UNREACHABLE, "its file name "
		    "holds a newline");
	else if (fleet_sensor_fetch(r->fv->cfg, r->where, b.s, b.len, f, &why))
		fsrun_give(r, f, k, end);
	else if (strstr(why, "--fetch:") != NULL) {
		xasprintf(&s, "no longer on sensor %s (%s)",
		    esc_str(r->fs->sensor), why);
		fsrun_unread(r, k, end, VIEW_PKT_GONE, s);
		free(s);
	} else
		xasprintf(&r->down, "sensor %s (%s) could not be reached: %s",
		    esc_str(r->fs->sensor), esc_str(r->where), why);
	free(why);
	fclose(f);
	buf_free(&b);
}

/* Packets [from, from + n) of a session of the store, fetched from its
 * sensor, a fetch for each run of them in one file. */
bool
fleet_view_packets(void *impl, struct view_session *vs, size_t from,
    size_t n, int flags, view_packet_fn fn, void *arg, char **cause)
{
	struct fsrun	 r;
	size_t		 k, end;

	(void)cause;
	memset(&r, 0, sizeof r);
	r.fv = impl;
	r.fs = vs->own;
	r.fn = fn;
	r.arg = arg;
	if (r.fv->cfg == NULL)
		r.down = xstrdup("no settings say where sensors keep packets");
	else if ((r.where = fleet_sensor_where(r.fv->cfg, r.fs->sensor)) ==
	    NULL)
		xasprintf(&r.down, "sensor %s: no fleet.sensor.%s setting "
		    "says where its packets are (local: or ssh:HOST)",
		    esc_str(r.fs->sensor), esc_str(r.fs->sensor));
	view_pktdec_init(&r.pd, flags, r.fs->af, r.fs->addr, r.fs->port);
	for (k = from; k < from + n && !r.stop; k = end) {
		for (end = k + 1; end < from + n &&
		    r.fs->path[end] == r.fs->path[k]; end++)
			continue;
		if (r.down == NULL)
			fsrun_fetch(&r, k, end);
		if (r.down != NULL)
			fsrun_unread(&r, k, end, VIEW_PKT_UNREACHABLE, r.down);
	}
	view_pktdec_free(&r.pd);
	free(r.down);
	return (true);
}
