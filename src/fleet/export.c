/* export.c - -w over the store: packets fetched from their sensors. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/export.h"
#include "fleet/fleet-int.h"

/*
 * The store gives each selected session's sensor and packet references.
 * The packets are sorted by (sensor, file, offset) and each sensor is
 * asked once, through `huntcon --fetch - -w -` (references one a line on
 * its standard input), for its records as a pcap, spooled to a temporary
 * file; only when every sensor gave all it was asked for is the output
 * written, with the header and record layout libpcap gives a local -w.
 */

#define XP_HDR		24		/* pcap file header */
#define XP_REC		16		/* pcap record header */
#define XP_MAXCAP	(256 * 1024)	/* largest record accepted */
#define XP_SSH		"ssh -o BatchMode=yes"
#define XP_REMOTE	"huntcon --fetch - -w -"
#define XP_ARGS		32		/* words of fleet.ssh_command */

/* One packet asked for; the strings are the export's own (interned). */
struct xp_pkt {
	const char	*sensor;
	const char	*path;
	uint64_t	 off;
};

/* A sensor's run of the sorted packets, and the pcap it sent. */
struct xp_part {
	const char	*sensor;
	size_t		 first, n;
	FILE		*pcap;
	bool		 swap, ns;
	uint32_t	 linktype;
};

/* An export under way. */
struct xp {
	struct xp_pkt	*pkts;
	size_t		 n, cap;
	char		**strs;		/* every string allocated */
	size_t		 nstrs;
	const char	**sensors;	/* distinct sensors (in strs) */
	size_t		 nsensors;
	struct xp_part	*parts;
	size_t		 nparts;
};

/* Keep a string to free with the export; returns it. */
static char *
xp_keep(struct xp *x, char *s)
{
	x->strs = xreallocarray(x->strs, x->nstrs + 1, sizeof *x->strs);
	x->strs[x->nstrs++] = s;
	return (s);
}

/* The export's copy of a sensor's name (a few: a linear search). */
static const char *
xp_sensor(struct xp *x, const char *hex, size_t n)
{
	char	*s = fleet_unhex_str(hex, n);
	size_t	 i;

	for (i = 0; i < x->nsensors; i++) {
		if (strcmp(x->sensors[i], s) == 0) {
			free(s);
			return (x->sensors[i]);
		}
	}
	x->sensors = xreallocarray(x->sensors, x->nsensors + 1,
	    sizeof *x->sensors);
	return (x->sensors[x->nsensors++] = xp_keep(x, s));
}

/* Add one row's packets: hex(sensor), [hex(path),...], [offset,...]. */
static void
xp_row(struct xp *x, char *line)
{
	const char	*sensor, *pp, *po, *sp, *so, *last = NULL;
	char		*col[3], *path;
	size_t		 i, np, no;

	for (i = 0; i < 3; i++)
		col[i] = strsep(&line, "\t");
	if (col[2] == NULL)
		return;
	sensor = xp_sensor(x, col[0], strlen(col[0]));
	pp = col[1], po = col[2];
	while (fleet_elem(&pp, &sp, &np) && fleet_elem(&po, &so, &no)) {
		path = fleet_unhex_str(sp, np);
		if (last != NULL && strcmp(last, path) == 0)
			free(path);
		else
			last = xp_keep(x, path);
		if (x->n == x->cap) {
			x->cap = x->cap ? x->cap * 2 : 1024;
			x->pkts = xreallocarray(x->pkts, x->cap,
			    sizeof *x->pkts);
		}
		x->pkts[x->n].sensor = sensor;
		x->pkts[x->n].path = last;
		x->pkts[x->n++].off = strtoull(so, NULL, 10);
	}
}

/* Order of packets: sensor, file (bytewise names), offset. */
static int
xp_cmp(const void *va, const void *vb)
{
	const struct xp_pkt	*a = va, *b = vb;
	int			 c;

	if (a->sensor != b->sensor)
		return (strcmp(a->sensor, b->sensor));
	if (a->path != b->path && (c = strcmp(a->path, b->path)) != 0)
		return (c);
	return (a->off < b->off ? -1 : a->off > b->off);
}

/* Sort the packets, drop repeats, and cut them into sensors' parts. */
static void
xp_sort(struct xp *x)
{
	size_t	 i, n = 0;

	if (x->n > 1)
		qsort(x->pkts, x->n, sizeof *x->pkts, xp_cmp);
	for (i = 0; i < x->n; i++) {
		if (n == 0 || xp_cmp(&x->pkts[n - 1], &x->pkts[i]) != 0)
			x->pkts[n++] = x->pkts[i];
	}
	x->n = n;
	for (i = 0; i < x->n; i++) {
		if (x->nparts == 0 ||
		    x->parts[x->nparts - 1].sensor != x->pkts[i].sensor) {
			x->parts = xreallocarray(x->parts, x->nparts + 1,
			    sizeof *x->parts);
			memset(&x->parts[x->nparts], 0, sizeof *x->parts);
			x->parts[x->nparts].sensor = x->pkts[i].sensor;
			x->parts[x->nparts++].first = i;
		}
		x->parts[x->nparts - 1].n++;
	}
}

/* A part's references, a line "PATH@OFF,OFF...\n" a file, into b. */
static void
xp_lines(const struct xp *x, const struct xp_part *pt, struct buf *b)
{
	const struct xp_pkt	*p;
	size_t			 i;

	for (i = 0; i < pt->n; i++) {
		p = &x->pkts[pt->first + i];
		if (i == 0 || p->path != p[-1].path)
			buf_printf(b, "%s%s@", i == 0 ? "" : "\n", p->path);
		else
			buf_addc(b, ',');
		buf_printf(b, "%llu", (unsigned long long)p->off);
	}
	buf_addc(b, '\n');
}

/* Fetch the lines' references here, into out. */
static bool
xp_local(FILE *out, const char *lines, size_t len, char **why)
{
	char	**refs = NULL, *copy = xstrndup(lines, len), *s = copy;
	char	 *line;
	size_t	  n = 0;
	bool	  ok;

	while ((line = strsep(&s, "\n")) != NULL) {
		if (*line == '\0')
			continue;
		refs = xreallocarray(refs, n + 1, sizeof *refs);
		refs[n++] = line;
	}
	ok = fleet_fetch(out, refs, n, why);
	if (fflush(out) != 0 && ok) {
		xasprintf(why, "temporary file: %s", strerror(errno));
		ok = false;
	}
	free(refs);
	free(copy);
	return (ok);
}

/* Where a sensor's packets are: its fleet.sensor.NAME, or NULL. */
const char *
fleet_sensor_where(const struct engine_config *cfg, const char *sensor)
{
	size_t	 i;

	for (i = 0; i < cfg->nsensors; i++) {
		if (strcmp(cfg->sensors[i].name, sensor) == 0)
			return (cfg->sensors[i].where);
	}
	return (NULL);
}

/* The last line a command said on its standard error, escaped. */
static char *
xp_said(FILE *err)
{
	char	 line[512], last[512] = "";
	size_t	 n;

	rewind(err);
	while (fgets(line, sizeof line, err) != NULL) {
		n = strcspn(line, "\n");
		line[n] = '\0';
		if (n > 0)
			memcpy(last, line, n + 1);
	}
	return (xstrdup(esc_str(last)));
}

/* Write all of a buffer to a pipe; false when the reader went away. */
static bool
xp_send(int fd, const char *s, size_t len)
{
	struct sigaction	 ign, old;
	ssize_t			 w;
	bool			 ok = true;

	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	while (len > 0) {
		if ((w = write(fd, s, len)) == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			ok = false;
			break;
		}
		s += w;
		len -= (size_t)w;
	}
	sigaction(SIGPIPE, &old, NULL);
	return (ok);
}

/* Split fleet.ssh_command at blanks, then the host and the command. */
static size_t
xp_argv(char *cmd, const char *host, char **argv)
{
	size_t	 n = 0;
	char	*w;

	while (n < XP_ARGS - 3 && (w = strsep(&cmd, " \t")) != NULL) {
		if (*w != '\0')
			argv[n++] = w;
	}
	argv[n++] = (char *)host;
	argv[n++] = (char *)XP_REMOTE;
	argv[n] = NULL;
	return (n);
}

/* Run the command in the child: refs on 0, the pcap to 1, messages to 2. */
static void
xp_child(char **argv, int in, int out, int err)
{
	if (dup2(in, 0) == -1 || dup2(out, 1) == -1 || dup2(err, 2) == -1)
		_exit(127);
	execvp(argv[0], argv);
	dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Why a command that ended with status failed, or NULL if it did not. */
static char *
xp_status(const char *argv0, const char *host, int status, FILE *err)
{
	char	*why = NULL, *said;

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return (NULL);
	said = xp_said(err);
	xasprintf(&why, "%s %s ... %s %d%s%s", esc_str(argv0), esc_str(host),
	    WIFEXITED(status) ? "exited with" : "killed by signal",
	    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
	    *said != '\0' ? ": " : "", said);
	free(said);
	return (why);
}

/*
 * Run fleet.ssh_command HOST "huntcon --fetch - -w -", the references on
 * its standard input, its pcap into out; false with *why.
 */
static bool
xp_ssh(const char *command, const char *host, const char *refs,
    size_t len, int out, char **why)
{
	char	*cmd = xstrdup(command != NULL ? command : XP_SSH);
	char	*argv[XP_ARGS];
	FILE	*err = tmpfile();
	int	 p[2] = { -1, -1 }, status;
	pid_t	 pid = -1, r;

	xp_argv(cmd, host, argv);
	if (err == NULL || pipe2(p, O_CLOEXEC) == -1 ||
	    (pid = fork()) == -1)
		xasprintf(why, "cannot run %s: %s", esc_str(argv[0]),
		    strerror(errno));
	else if (pid == 0)
		xp_child(argv, p[0], out, fileno(err));
	if (p[0] != -1)
		close(p[0]);
	if (pid > 0)
		xp_send(p[1], refs, len);
	if (p[1] != -1)
		close(p[1]);
	while (pid > 0 && (r = waitpid(pid, &status, 0)) == -1 &&
	    errno == EINTR)
		continue;
	if (pid > 0 && r == -1)
		xasprintf(why, "waitpid: %s", strerror(errno));
	else if (pid > 0)
		*why = xp_status(argv[0], host, status, err);
	if (err != NULL)
		fclose(err);
	free(cmd);
	return (*why == NULL);
}

/*
 * Fetch references (lines "PATH@OFF,...") from a sensor whose packets are
 * at where (local: or ssh:HOST), as one pcap into out; false with *why.
 */
bool
fleet_sensor_fetch(const struct engine_config *cfg, const char *where,
    const char *refs, size_t len, FILE *out, char **why)
{
	*why = NULL;
	if (strcmp(where, "local:") == 0)
		return (xp_local(out, refs, len, why));
	return (xp_ssh(cfg->ssh_command, where + 4 + strspn(where + 4, "/"),
	    refs, len, fileno(out), why));
}

/* A part's pcap header: classic pcap, its order, precision, link type. */
static bool
xp_header(struct xp_part *pt, unsigned char *hdr)
{
	uint32_t	 magic;

	memcpy(&magic, hdr, 4);
	pt->swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	pt->ns = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
	if (!pt->swap && !pt->ns && magic != 0xa1b2c3d4)
		return (false);
	memcpy(&pt->linktype, hdr + 20, 4);
	if (pt->swap)
		pt->linktype = __builtin_bswap32(pt->linktype);
	return (true);
}

/* A 32-bit field of a record header in the part's byte order. */
static uint32_t
xp_u32(const struct xp_part *pt, const unsigned char *p)
{
	uint32_t	 v;

	memcpy(&v, p, 4);
	return (pt->swap ? __builtin_bswap32(v) : v);
}

/* Check the pcap a sensor sent holds every record asked for, no more. */
static bool
xp_check(struct xp_part *pt, char **why)
{
	unsigned char	 h[XP_HDR];
	uint64_t	 n = 0;
	uint32_t	 caplen;

	rewind(pt->pcap);
	if (fread(h, 1, XP_HDR, pt->pcap) != XP_HDR || !xp_header(pt, h)) {
		xasprintf(why, "it sent no pcap");
		return (false);
	}
	while (fread(h, 1, XP_REC, pt->pcap) == XP_REC) {
		if ((caplen = xp_u32(pt, h + 8)) > XP_MAXCAP ||
		    fseeko(pt->pcap, caplen, SEEK_CUR) != 0)
			break;
		n++;
	}
	if (n == pt->n && fgetc(pt->pcap) == EOF && !ferror(pt->pcap))
		return (true);
	xasprintf(why, "its pcap holds %llu records where %llu were asked for",
	    (unsigned long long)n, (unsigned long long)pt->n);
	return (false);
}

/* Whether a file name of a part holds a newline (no line can carry it). */
static bool
xp_newline(const struct xp *x, const struct xp_part *pt)
{
	size_t	 i;

	for (i = 0; i < pt->n; i++) {
		if (strchr(x->pkts[pt->first + i].path, '\n') != NULL)
			return (true);
	}
	return (false);
}

/* Have a sensor's part fetched (here or over ssh) into a temporary file. */
static bool
xp_fetch(struct xp *x, struct xp_part *pt, const struct engine_config *cfg,
    char **cause)
{
	const char	*where = fleet_sensor_where(cfg, pt->sensor);
	char		*why = NULL;
	struct buf	 b;
	bool		 ok;

	if (where == NULL) {
		xasprintf(cause, "export: sensor %s: no fleet.sensor.%s "
		    "setting says where its packets are (local: or ssh:HOST)",
		    esc_str(pt->sensor), esc_str(pt->sensor));
		return (false);
	}
	if ((pt->pcap = tmpfile()) == NULL)
		fatal("temporary file: %s", strerror(errno));
	buf_init(&b);
	xp_lines(x, pt, &b);
	if (xp_newline(x, pt)) {
		why = xstrdup("a file name holds a newline");
		ok = false;
	} else
		ok = fleet_sensor_fetch(cfg, where, b.s, b.len, pt->pcap, &why);
	ok = ok && xp_check(pt, &why);
	if (!ok)
		xasprintf(cause, "export: sensor %s (%s): %s",
		    esc_str(pt->sensor), esc_str(where), why);
	free(why);
	buf_free(&b);
	return (ok);
}

/* The output's precision and link type: one link type for all. */
static bool
xp_format(const struct xp *x, bool *ns, uint32_t *lt, char **cause)
{
	size_t	 i;

	*ns = false;
	*lt = x->nparts > 0 ? x->parts[0].linktype : 1;
	for (i = 0; i < x->nparts; i++) {
		*ns |= x->parts[i].ns;
		if (x->parts[i].linktype != *lt) {
			xasprintf(cause, "export: sensors %s and %s capture "
			    "other link types (%u, %u): export them apart",
			    esc_str(x->parts[0].sensor),
			    esc_str(x->parts[i].sensor), *lt,
			    x->parts[i].linktype);
			return (false);
		}
	}
	return (true);
}

/* Copy a part's records to f in this host's order and the precision. */
static bool
xp_copy(struct xp_part *pt, struct export_dump *d, unsigned char *buf)
{
	uint32_t	 v[4];
	size_t		 i, k;

	if (fseeko(pt->pcap, XP_HDR, SEEK_SET) != 0)
		return (false);
	for (i = 0; i < pt->n; i++) {
		if (fread(buf, 1, XP_REC, pt->pcap) != XP_REC)
			return (false);
		for (k = 0; k < 4; k++)
			v[k] = xp_u32(pt, buf + 4 * k);
		if (fread(buf, 1, v[2], pt->pcap) != v[2] ||
		    !export_dump_put(d, (uint64_t)v[0] * 1000000000ULL +
		    (uint64_t)v[1] * (pt->ns ? 1 : 1000), v[2], v[3], buf))
			return (false);
	}
	return (true);
}

/* Write the pcap through libpcap, as a local -w does: its header, then
 * every part's records. */
static bool
xp_write(struct xp *x, FILE *f, bool ns, uint32_t lt)
{
	struct export_dump	*d;
	unsigned char		*buf;
	char			*why = NULL;
	size_t			 i;
	bool			 ok;

	if ((d = export_dump_new(f, capture_linktype_dlt(lt), ns,
	    &why)) == NULL) {
		free(why);
		errno = EIO;
		return (false);
	}
	buf = xmalloc(XP_MAXCAP);
	for (i = 0, ok = true; ok && i < x->nparts; i++)
		ok = xp_copy(&x->parts[i], d, buf);
	free(buf);
	export_dump_free(d);
	return (ok);
}

/* Write the output file (or standard output); none is left on failure. */
static bool
xp_output(struct xp *x, const char *path, bool force, bool ns,
    uint32_t lt, char **cause)
{
	struct stat	 sb;
	FILE		*f;
	int		 fd, err = 0;
	bool		 ok, regular;

	if (strcmp(path, "-") == 0) {
		errno = 0;
		if (!(ok = xp_write(x, stdout, ns, lt)))
			xasprintf(cause, "standard output: %s",
			    strerror(errno != 0 ? errno : EIO));
		return (ok);
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
	    (force ? O_TRUNC : O_EXCL), 0644)) == -1 ||
	    (f = fdopen(fd, "wb")) == NULL) {
		xasprintf(cause, "%s: %s%s", esc_str(path), strerror(errno),
		    errno == EEXIST ? " (use --force to overwrite)" : "");
		if (fd != -1)
			close(fd);
		return (false);
	}
	regular = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
	errno = 0;
	if (!xp_write(x, f, ns, lt))
		err = errno != 0 ? errno : EIO;
	ok = file_finish(f, path, FILE_SYNC | FILE_CLOSE, err, cause);
	if (!ok && regular)
		unlink(path);
	return (ok);
}

/* Free an export's memory and temporary files. */
static void
xp_free(struct xp *x)
{
	size_t	 i;

	for (i = 0; i < x->nparts; i++) {
		if (x->parts[i].pcap != NULL)
			fclose(x->parts[i].pcap);
	}
	for (i = 0; i < x->nstrs; i++)
		free(x->strs[i]);
	free(x->strs);
	free(x->sensors);
	free(x->parts);
	free(x->pkts);
}

/* -w over the store; see fleet.h. */
bool
fleet_export(const struct fleet_url *u, const struct query *q,
    const struct engine_config *cfg, const char *path, bool force,
    uint64_t *packets, char **cause)
{
	struct xp	 x;
	char		*rows, *p, *line;
	uint32_t	 lt;
	size_t		 i;
	bool		 ok, ns;

	memset(&x, 0, sizeof x);
	*packets = 0;
	if (!fleet_refs_rows(u, q, &rows, cause))
		return (false);
	for (p = rows; (line = strsep(&p, "\n")) != NULL; ) {
		if (*line != '\0')
			xp_row(&x, line);
	}
	free(rows);
	xp_sort(&x);
	ok = true;
	for (i = 0; ok && i < x.nparts; i++)
		ok = xp_fetch(&x, &x.parts[i], cfg, cause);
	ok = ok && xp_format(&x, &ns, &lt, cause) &&
	    xp_output(&x, path, force, ns, lt, cause);
	if (ok)
		*packets = x.n;
	xp_free(&x);
	return (ok);
}
