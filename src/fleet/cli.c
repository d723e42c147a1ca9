/* cli.c - the fleet's options as main hands them over: the modes run. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fleet/fleet.h"
#include "view/view.h"

/* Start shipping to --ship's database as --sensor and --run say. */
bool
fleet_ship_begin(struct fleet_args *fa, FILE *live, char **cause)
{
	char	 host[256] = "sensor", run[64];

	*cause = NULL;
	if (!fleet_url_parse(&fa->ship_url, fa->ship, cause))
		return (false);
	if (fa->sensor == NULL && gethostname(host, sizeof host) == 0)
		host[sizeof host - 1] = '\0';
	if (fa->run == NULL)
		snprintf(run, sizeof run, "%llx-%lx",
		    (unsigned long long)time(NULL), (long)getpid());
	fa->shipper = fleet_ship_start(&fa->ship_url, fa->sensor != NULL ?
	    fa->sensor : host, fa->run != NULL ? fa->run : run, live, cause);
	if (fa->shipper == NULL)
		fleet_url_free(&fa->ship_url);
	return (fa->shipper != NULL);
}

/* Ship every session not shipped yet, and wait for the last batch. */
bool
fleet_ship_finish(struct fleet_args *fa, const struct store *st,
    const struct capture *c, char **cause)
{
	char		*why = NULL;
	uint64_t	 n, left;
	bool		 ok;

	*cause = NULL;
	if (fa->shipper == NULL && !fleet_ship_begin(fa, NULL, cause))
		return (false);
	ok = fleet_ship_end(fa->shipper, st, c, &n, &left, &why);
	fa->shipper = NULL;
	if (!ok)
		xasprintf(cause, "%s (%llu sessions not shipped)", why,
		    (unsigned long long)left);
	free(why);
	fleet_url_free(&fa->ship_url);
	return (ok);
}

/* --fetch: the records the references name, as a pcap on -w. */
bool
fleet_run_fetch(const struct fleet_args *fa, const char *path, bool force,
    char **cause)
{
	FILE	*f = stdout;
	char	*why = NULL;
	bool	 ok;

	*cause = NULL;
	if (strcmp(path, "-") != 0) {
		if (!force && access(path, F_OK) == 0) {
			xasprintf(cause, "%s: file exists (use --force to "
			    "overwrite)", esc_str(path));
			return (false);
		}
		if ((f = fopen(path, "wb")) == NULL) {
			xasprintf(cause, "%s: %s", esc_str(path),
			    strerror(errno));
			return (false);
		}
	}
	if (fa->nfetch == 1 && strcmp(fa->fetch[0], "-") == 0)
		ok = fleet_fetch_lines(f, stdin, cause);
	else
		ok = fleet_fetch(f, fa->fetch, fa->nfetch, cause);
	if (f == stdout)
		return (ok);
	if (!file_finish(f, path, FILE_SYNC | FILE_CLOSE, ok ? 0 : EIO,
	    &why) && ok) {
		*cause = why;
		why = NULL;
		ok = false;
	}
	free(why);
	if (!ok)
		unlink(path);
	return (ok);
}

/* -w over the store; *note says how many packets went to a file. */
static bool
cli_export(const struct fleet_url *u, const struct fleet_mode *m,
    char **note, char **cause)
{
	uint64_t	 n;

	if (strcmp(m->write, "-") != 0 && !m->force &&
	    access(m->write, F_OK) == 0) {
		xasprintf(cause, "%s: file exists (use --force to overwrite)",
		    esc_str(m->write));
		return (false);
	}
	if (!fleet_export(u, m->q, m->cfg, m->write, m->force, &n, cause))
		return (false);
	if (strcmp(m->write, "-") != 0)
		xasprintf(note, "%s: %llu packets", esc_str(m->write),
		    (unsigned long long)n);
	return (true);
}

/* The batch modes over --store: --init, --retain, --values ... */
bool
fleet_run_store(FILE *out, const struct fleet_args *fa,
    const struct fleet_mode *m, char **note, char **cause)
{
	struct fleet_url	 u;
	struct view		 v;
	bool			 ok;

	*note = *cause = NULL;
	if (!fleet_url_parse(&u, fa->store, cause))
		return (false);
	if (fa->init)
		ok = fleet_init(&u, fa->cluster, note, cause);
	else if (fa->retain >= 0)
		ok = fleet_retain(out, &u, (unsigned int)fa->retain, cause);
	else if (m->key == -1 && fa->refs)
		ok = fleet_refs(out, &u, m->q, cause);
	else if (m->key == -1 && m->write != NULL)
		ok = cli_export(&u, m, note, cause);
	else {
		view_fleet(&v, &u);	/* --values (first) or --sessions */
		if (m->key != -1)
			ok = view_values(out, &v, m->key, m->sort, m->q, cause);
		else if (m->bucket != 0)
			ok = view_histogram(out, &v, m->bucket, m->q, cause);
		else
			ok = view_sessions(out, &v, VIEW_BY_TIME, m->fields,
			    m->format, m->header, m->q, cause);
		view_free(&v);
	}
	fleet_url_free(&u);
	return (ok);
}
