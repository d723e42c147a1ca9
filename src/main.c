/* main.c - huntcon's command line: batch modes and the console. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch/batch.h"
#include "capture/capture.h"
#include "engine/engine.h"
#include "engine/hunt.h"
#include "export/export.h"
#include "fleet/fleet.h"
#include "meta/meta.h"
#include "query/query.h"
#include "rules/rules.h"
#include "store/store.h"
#include "ui/ui.h"
#include "view/view.h"

#define HUNTCON_VERSION	"0.1"

enum {
	OPT_VALUES = 256, OPT_SESSIONS, OPT_FIELDS, OPT_FORMAT, OPT_HEADER,
	OPT_SORT, OPT_FORCE, OPT_KEYS, OPT_CHECK_RULES, OPT_FIX, OPT_STATS,
	OPT_SET, OPT_DURATION, OPT_THEME, OPT_VERSION, OPT_SPOOL,
	OPT_SPOOL_SIZE, OPT_HISTOGRAM, OPT_GROUPS, OPT_STORE, OPT_SHIP, OPT_INIT,
	OPT_CLUSTER, OPT_SENSOR, OPT_RUN, OPT_RETAIN, OPT_REFS, OPT_FETCH
};

/* --packets and what goes with it. */
enum {
	OPT_PACKETS = 512, OPT_HEX, OPT_TEXT, OPT_DECODED, OPT_WITH_FRAGMENTS
};

static const struct option long_options[] = {
	{ "values", required_argument, NULL, OPT_VALUES },
	{ "sessions", no_argument, NULL, OPT_SESSIONS },
	{ "histogram", required_argument, NULL, OPT_HISTOGRAM },
	{ "groups", no_argument, NULL, OPT_GROUPS },
	{ "fields", required_argument, NULL, OPT_FIELDS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "header", no_argument, NULL, OPT_HEADER },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "keys", no_argument, NULL, OPT_KEYS },
	{ "check-rules", no_argument, NULL, OPT_CHECK_RULES },
	{ "fix", no_argument, NULL, OPT_FIX },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "packets", no_argument, NULL, OPT_PACKETS },
	{ "hex", no_argument, NULL, OPT_HEX },
	{ "text", no_argument, NULL, OPT_TEXT },
	{ "decoded", no_argument, NULL, OPT_DECODED },
	{ "with-fragments", no_argument, NULL, OPT_WITH_FRAGMENTS },
	{ "set", required_argument, NULL, OPT_SET },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "spool", required_argument, NULL, OPT_SPOOL },
	{ "spool-size", required_argument, NULL, OPT_SPOOL_SIZE },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "ship", required_argument, NULL, OPT_SHIP },
	{ "init", no_argument, NULL, OPT_INIT },
	{ "cluster", required_argument, NULL, OPT_CLUSTER },
	{ "sensor", required_argument, NULL, OPT_SENSOR },
	{ "run", required_argument, NULL, OPT_RUN },
	{ "retain", required_argument, NULL, OPT_RETAIN },
	{ "refs", no_argument, NULL, OPT_REFS },
	{ "fetch", required_argument, NULL, OPT_FETCH },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

/* What the command line asked for. */
struct args {
	char		**inputs;
	size_t		  ninputs;
	char		**ifaces;	/* -i */
	size_t		  nifaces;
	struct capture_live_options live;
	uint64_t	  duration;	/* seconds; 0: until a signal */
	bool		  live_opts;	/* -f, -s, -p, -B or -Z */
	char		**rules;
	size_t		  nrules;
	const char	 *query;
	const char	 *theme;	/* --theme, for the console */
	const char	 *values;
	const char	 *fields;
	const char	 *write;
	const char	 *user;		/* -Z */
	const char	 *spool;	/* --spool DIR or none */
	uint64_t	  spool_size;	/* --spool-size; 0: the default */
	uint64_t	  bucket;	/* --histogram, ns; 0: not asked */
	enum batch_format format;
	enum vsort	  sort;
	bool		  sessions, header, force, keys, check_rules, fix, stats;
	bool		  groups;	/* --groups */
	bool		  packets, with_fragments;
	int		  pkt_flags;	/* --hex, --text, --decoded */
	struct engine_config cfg;
	struct fleet_args fl;		/* --store, --ship, --fetch ... */
};

/* How many batch outputs the options ask for (--stats aside). */
static int
main_outputs(const struct args *a)
{
	return ((a->values != NULL) + a->sessions + a->groups +
	    (a->write != NULL) + a->packets + (a->bucket != 0));
}

/* Print the usage summary. */
static void
usage(FILE *f)
{
	fputs(
"usage: huntcon -r FILE... [-R RULES]... [-q QUERY] [--theme NAME]  (console)\n"
"       huntcon -r FILE... [-R RULES]... --values KEY [-q QUERY]\n"
"                 [--sort count|value|size|packets]\n"
"       huntcon -r FILE... [-R RULES]... --sessions [-q QUERY]\n"
"                 [--fields K,K,...|all] [--format tsv|json] [--header]\n"
"       huntcon -r FILE... [-R RULES]... --histogram BUCKET [-q QUERY]\n"
"       huntcon -r FILE... [-R RULES]... --groups [-q QUERY]\n"
"                 [--format tsv|json] [--header]\n"
"       huntcon -r FILE... [-q QUERY] -w OUT.pcap [--force]\n"
"       huntcon -r FILE... --packets [-q QUERY] [--hex] [--text] [--decoded]\n"
"                 [--header]\n"
"       huntcon -r FILE... --stats\n"
"       huntcon -i IFACE... [-f BPF] [-Z USER] [--duration SECONDS]\n"
"                 (--sessions | --values KEY | --stats | -w OUT.pcap)\n"
"                 [-q QUERY]\n"
"       huntcon (-r FILE... | -i IFACE...) [-R RULES]... --ship URL\n"
"                 [--sensor NAME]\n"
"       huntcon --store URL [-q QUERY] [-R RULES]...  (the console)\n"
"       huntcon --store URL --init [--cluster NAME] | --retain DAYS\n"
"       huntcon --store URL (--values KEY | --sessions ... |\n"
"                 --histogram BUCKET | --refs | -w OUT.pcap|-)\n"
"                 [-q QUERY]\n"
"       huntcon --fetch PATH@OFFSET,... ... -w OUT.pcap|-\n"
"       huntcon --check-rules [--fix] [RULES...]\n"
"       huntcon --keys\n"
"options:\n"
"  -r FILE|DIR|-    read a capture (repeatable; a directory: its files;\n"
"                   -: a stream on standard input, as tcpdump -U -w - sends,\n"
"                   or a FIFO; the console's keys then come from /dev/tty)\n"
"  -i IFACE         capture live on an interface (repeatable; any: all)\n"
"  -f BPF           live: keep only the packets a libpcap filter names\n"
"  -s SNAPLEN       live: bytes kept of each packet (default 262144)\n"
"  -p               live: do not put the interface in promiscuous mode\n"
"  -B KIB           live: the kernel's capture buffer, in KiB\n"
"  --duration SECS  live, -r -: stop after SECS seconds (or SIGINT/SIGTERM)\n"
"  -Z USER          live: run as USER once the interfaces are open\n"
"  --spool DIR|none live: keep the packets in DIR (default with -w: a\n"
"                   temporary spool; the console on a stream: one under\n"
"                   $XDG_CACHE_HOME/huntcon/spool); --spool-size caps it\n"
"  -R FILE|DIR|bundled|none   application and correlation rules (repeatable)\n"
"  -q QUERY         keep the sessions that match a where-clause\n"
"  -w OUT.pcap      write the chosen sessions' packets (--force overwrites)\n"
"  --packets        one line per packet of the chosen sessions: sessionid,\n"
"                   frame, time, offset, direction, length (--hex: and the\n"
"                   bytes in hex; --text: and the payload as text;\n"
"                   --decoded: and what DNS, HTTP or a TLS hello says)\n"
"  --with-fragments with -w, --sessions, --packets: and the other fragments\n"
"                   of the chosen sessions' split conversations\n"
"  --theme NAME     console colours: dark, light or mono\n"
"  --set NAME=VALUE change a setting (see huntcon(1) and --keys)\n"
"  --histogram BUCKET  sessions starting in each bucket of time (500ms,\n"
"                   10s, 1m, 1h, 1d): COUNT<TAB>START lines\n"
"  --stats          packets read, assigned to sessions, and why not\n"
"  --keys           list the meta keys and settings\n"
"  --store URL      the fleet's store: clickhouse[s]://[USER[:PASSWORD]@]HOST\n"
"                   [:PORT]/DB (password also from HUNTCON_STORE_PASSWORD)\n"
"  --ship URL       insert every session into URL's DB (after reading;\n"
"                   live, each once no correlation window may change it)\n"
"                   (--sensor NAME, default the host name; --run ID)\n"
"  --init           create DB's tables (--cluster NAME: sessions_all too)\n"
"  --retain DAYS    drop the server's days of sessions before today - DAYS\n"
"  --refs           the store's sessions as SENSOR<TAB>PATH@OFFSET,...\n"
"  --fetch REF      on the sensor: write the records PATH@OFFSET,... names\n"
"                   (--fetch -: the references one a line on stdin)\n"
"  -h, --help       this text;  --version  the version\n", f);
}

/*
 * Print "huntcon: PREFIXMESSAGESUFFIX" on stderr.  The message's pieces of
 * input were escaped where they were put in; esc_guard keeps anything
 * missed from reaching the terminal raw.
 */
static void
main_msg(const char *prefix, const char *msg, const char *suffix)
{
	struct buf	 b;

	buf_init(&b);
	buf_adds(&b, "huntcon: ");
	buf_adds(&b, prefix);
	esc_guard(&b, msg, strlen(msg));
	buf_adds(&b, suffix);
	buf_addc(&b, '\n');
	fputs(b.s, stderr);
	buf_free(&b);
}

/* Print a capture problem on stderr. */
static void
main_capture_msg(enum capture_level lvl, const char *msg, void *arg)
{
	(void)arg;
	main_msg(lvl == CAPTURE_WARNING ? "warning: " : "", msg, "");
}

/* Exit with a usage error; input in the arguments is escaped (esc_str). */
static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	main_msg("", s, " (huntcon --help)");
	free(s);
	exit(2);
}

/* Apply one --set, or fail as a usage error. */
static void
main_set(struct engine_config *cfg, const char *arg)
{
	char	*cause = NULL;

	if (!engine_config_set(cfg, arg, &cause))
		usage_error("--set: %s", cause);
}

/* Read $XDG_CONFIG_HOME/huntcon/huntcon.conf (or ~/.config/...). */
static void
main_config_file(struct engine_config *cfg)
{
	char	*path = datadir_config("huntcon.conf"), *cause = NULL;

	if (!engine_config_load(cfg, path, &cause)) {
		main_msg("", cause, "");
		exit(1);
	}
	free(path);
}

/* Parse --sort. */
static enum vsort
main_sort(const char *s)
{
	if (strcmp(s, "count") == 0)
		return (VSORT_COUNT);
	if (strcmp(s, "value") == 0)
		return (VSORT_VALUE);
	if (strcmp(s, "size") == 0)
		return (VSORT_SIZE);
	if (strcmp(s, "packets") == 0)
		return (VSORT_PACKETS);
	usage_error("--sort takes count, value, size or packets, not '%s'",
	    esc_str(s));
}

/* Add a string to a growing list. */
static void
main_push(char ***list, size_t *n, char *s)
{
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = s;
}

/* Parse a number option of live capture: 1 to max. */
static uint64_t
main_number(const char *opt, const char *s, uint64_t max)
{
	uint64_t	 v;

	if (!parse_u64(s, strlen(s), &v) || v == 0 || v > max)
		usage_error("%s takes a number from 1 to %llu, not '%s'", opt,
		    (unsigned long long)max, s);
	return (v);
}

/* Parse --spool-size: bytes, or with K, M, G (KiB, MiB, GiB). */
static uint64_t
main_size(const char *s)
{
	size_t		 n = strlen(s);
	uint64_t	 v, mult = 1;

	if (n > 0 && strchr("kKmMgG", s[n - 1]) != NULL) {
		mult = strchr("kK", s[n - 1]) != NULL ? 1024 :
		    strchr("mM", s[n - 1]) != NULL ? 1024 * 1024 :
		    1024 * 1024 * 1024;
		n--;
	}
	if (!parse_u64(s, n, &v) || v == 0 || v > UINT64_MAX / mult ||
	    v * mult < 65536)
		usage_error("--spool-size takes a size of 64K or more (bytes, "
		    "or with K, M or G), not '%s'", s);
	return (v * mult);
}

/* Parse one live capture option: -f, -s, -p, -B, --duration, --spool. */
static void
main_live_option(struct args *a, int ch)
{
	a->live_opts = a->live_opts || (ch != OPT_DURATION &&
	    ch != OPT_SPOOL && ch != OPT_SPOOL_SIZE);
	switch (ch) {
	case 'f': a->live.filter = optarg; break;
	case 's':
		a->live.snaplen = strcmp(optarg, "0") == 0 ? 0 :
		    (int)main_number("-s", optarg, 262144);
		break;
	case 'p': a->live.no_promisc = true; break;
	case 'B':
		a->live.buffer_kib = (unsigned int)main_number("-B", optarg,
		    1048576);
		break;
	case OPT_DURATION:
		a->duration = main_number("--duration", optarg, 31536000);
		break;
	case OPT_SPOOL: a->spool = optarg; break;
	case OPT_SPOOL_SIZE: a->spool_size = main_size(optarg); break;
	}
}

/* Parse a --histogram bucket: a whole number and ms, s, m, h or d. */
static uint64_t
main_bucket(const char *s)
{
	static const struct {
		const char	*unit;
		uint64_t	 ns;
	} units[] = {
		{ "ms", 1000000ULL }, { "s", 1000000000ULL },
		{ "m", 60000000000ULL }, { "h", 3600000000000ULL },
		{ "d", 86400000000000ULL }
	};
	const char	*end = s;
	uint64_t	 v = 0;
	size_t		 i;

	while (*end >= '0' && *end <= '9' && v < 1000000000)
		v = v * 10 + (uint64_t)(*end++ - '0');
	for (i = 0; end != s && v > 0 && v < 1000000000 &&
	    i < nitems(units); i++) {
		if (strcmp(end, units[i].unit) == 0 &&
		    v <= UINT64_MAX / 2 / units[i].ns)
			return (v * units[i].ns);
	}
	usage_error("--histogram takes a bucket such as 500ms, 10s, 1m, 1h "
	    "or 1d, not '%s'", esc_str(s));
	return (0);
}

/* Parse one option. */
static void
main_option(struct args *a, int ch, char **sets, size_t *nsets)
{
	switch (ch) {
	case 'r': main_push(&a->inputs, &a->ninputs, optarg); break;
	case 'R': main_push(&a->rules, &a->nrules, optarg); break;
	case 'q': a->query = optarg; break;
	case 'w': a->write = optarg; break;
	case OPT_VALUES: a->values = optarg; break;
	case OPT_SESSIONS: a->sessions = true; break;
	case OPT_HISTOGRAM: a->bucket = main_bucket(optarg); break;
	case OPT_GROUPS: a->groups = true; break;
	case OPT_FIELDS: a->fields = optarg; break;
	case OPT_FORMAT:
		if (strcmp(optarg, "tsv") == 0)
			a->format = BATCH_TSV;
		else if (strcmp(optarg, "json") == 0)
			a->format = BATCH_JSON;
		else
			usage_error("--format takes tsv or json, not '%s'",
			    esc_str(optarg));
		break;
	case OPT_HEADER: a->header = true; break;
	case OPT_SORT: a->sort = main_sort(optarg); break;
	case OPT_FORCE: a->force = true; break;
	case OPT_KEYS: a->keys = true; break;
	case OPT_CHECK_RULES: a->check_rules = true; break;
	case OPT_FIX: a->fix = true; break;
	case OPT_STATS: a->stats = true; break;
	case OPT_SET: sets[(*nsets)++] = optarg; break;
	case OPT_THEME: a->theme = optarg; break;
	case OPT_PACKETS: a->packets = true; break;
	case OPT_HEX: a->pkt_flags |= BATCH_PKT_HEX; break;
	case OPT_TEXT: a->pkt_flags |= BATCH_PKT_TEXT; break;
	case OPT_DECODED: a->pkt_flags |= BATCH_PKT_DECODED; break;
	case OPT_WITH_FRAGMENTS: a->with_fragments = true; break;
	case OPT_STORE: case OPT_SHIP:
		*(ch == OPT_STORE ? &a->fl.store : &a->fl.ship) =
		    xstrdup(optarg);
		fleet_url_hide(optarg);	/* ps shows no password */
		break;
	case OPT_INIT: a->fl.init = true; break;
	case OPT_CLUSTER: a->fl.cluster = optarg; break;
	case OPT_SENSOR: a->fl.sensor = optarg; break;
	case OPT_RUN: a->fl.run = optarg; break;
	case OPT_REFS: a->fl.refs = true; break;
	case OPT_FETCH: main_push(&a->fl.fetch, &a->fl.nfetch, optarg); break;
	case OPT_RETAIN:
		a->fl.retain = (int64_t)main_number("--retain", optarg,
		    100000);
		break;
	case 'i': main_push(&a->ifaces, &a->nifaces, optarg); break;
	case 'f': case 's': case 'p': case 'B': case OPT_DURATION:
	case OPT_SPOOL: case OPT_SPOOL_SIZE:
		main_live_option(a, ch);
		break;
	case 'Z': a->user = optarg; a->live_opts = true; break;
	case 'h': usage(stdout); exit(0);
	case OPT_VERSION: printf("huntcon %s\n", HUNTCON_VERSION); exit(0);
	default: usage(stderr); exit(2);
	}
}

/* Parse the command line; settings: defaults, config file, then --set. */
static void
main_args(struct args *a, int argc, char **argv)
{
	char	**sets = xcalloc((size_t)argc, sizeof *sets);
	size_t	  nsets = 0, i;
	int	  ch;

	memset(a, 0, sizeof *a);
	a->fl.retain = -1;
	while ((ch = getopt_long(argc, argv, "r:R:q:w:i:f:s:pB:Z:h",
	    long_options, NULL)) != -1)
		main_option(a, ch, sets, &nsets);
	for (; optind < argc; optind++) {
		if (!a->check_rules)
			usage_error("unexpected argument '%s'",
			    esc_str(argv[optind]));
		main_push(&a->rules, &a->nrules, argv[optind]);
	}
	engine_config_init(&a->cfg);
	main_config_file(&a->cfg);
	for (i = 0; i < nsets; i++)
		main_set(&a->cfg, sets[i]);
	free(sets);
	rules_retain(a->cfg.retain_ns);
}

/*
 * Load the rule sets of -R (or the default sets) and print what the order
 * check says on stderr; returns the number of errors.
 */
static unsigned int
main_rules(struct args *a, struct ruleset **rsp)
{
	struct ruleset	*rs;
	int		 errors;

	rs = rules_load((const char *const *)a->rules, a->nrules);
	errors = rules_check(rs, stderr);
	*rsp = rs;
	a->cfg.rules = rs;
	return (errors > 0 ? (unsigned int)errors : 0);
}

/* Why a write to standard output failed (an errno), 0 while none has. */
static int	 main_out_err;

/* Note how a batch writer did on f: errno says why when !ok. */
static void
main_out(FILE *f, bool ok)
{
	if (!ok && f == stdout && main_out_err == 0)
		main_out_err = errno != 0 ? errno : EIO;
}

/*
 * Finish standard output at the end of a batch mode: a write that failed
 * (a full disk, an I/O error) is an error naming it, and the exit status
 * becomes 1.
 */
static int
main_finish_stdout(int rc)
{
	char	*cause = NULL;

	if (!file_finish(stdout, "standard output", 0, main_out_err, &cause)) {
		fprintf(stderr, "huntcon: %s\n", cause);
		free(cause);
		return (1);
	}
	return (rc);
}

/*
 * --check-rules [--fix]: the check (or the fixed list) on stdout, made in
 * memory first so that one checked write puts it out.
 */
static int
main_check_rules(struct args *a)
{
	struct ruleset	*rs;
	int		 errors;
	char		*text = NULL;
	size_t		 len = 0;
	FILE		*m;

	if ((m = open_memstream(&text, &len)) == NULL)
		fatal("open_memstream: %s", strerror(errno));
	rs = rules_load((const char *const *)a->rules, a->nrules);
	if (a->fix) {
		errors = rules_check(rs, stderr);
		errors += rules_fix(rs, m);
	} else
		errors = rules_check(rs, m);
	rules_free(rs);
	if (fclose(m) != 0)
		fatal("open_memstream: %s", strerror(errno));
	errno = 0;
	main_out(stdout, fwrite(text, 1, len, stdout) == len);
	free(text);
	return (main_finish_stdout(errors > 0 ? 1 : 0));
}

/* The signal that ends a live capture, 0 while none came. */
static volatile sig_atomic_t	 main_signal;

/* SIGINT, SIGTERM: end the live capture (a second one ends the program). */
static void
main_on_signal(int sig)
{
	main_signal = sig;
}

/* A batch live capture: when it ends, and what it ships. */
struct main_live {
	uint64_t	 end;		/* monotonic ns; 0: at a signal only */
	bool		 wall;		/* the packets have wall time */
	/* --ship while capturing: the sessions final by now. */
	struct fleet_ship *ship;	/* NULL: none */
	const struct store *st;
	const struct capture *c;
	uint64_t	 horizon;	/* ns after its start a session is
					   final */
	uint64_t	 next_ship;	/* wall ns of the next look */
};

/* Ship the sessions final by now, once a second. */
static void
main_tick_ship(struct main_live *l, uint64_t now)
{
	if (l->ship == NULL || now < l->next_ship)
		return;
	l->next_ship = now + 1000000000ULL;
	if (now > l->horizon)
		fleet_ship_ready(l->ship, l->st, l->c, now - l->horizon,
		    false);
}

/*
 * The live tick, after the engine's (the hunt moves its clock, not for a
 * stream, whose packets have the sender's time): ship; false at the end.
 */
static bool
main_tick(uint64_t now, void *arg)
{
	struct main_live	*l = arg;

	if (l->wall)
		main_tick_ship(l, now);
	if (main_signal != 0)
		return (false);
	return (l->end == 0 || clock_ns(CLOCK_MONOTONIC) < l->end);
}

/* Print a -Z problem, the user's name escaped, and exit 1. */
static void __attribute__((noreturn))
main_drop_error(const char *user, const char *why)
{
	struct buf	 b;

	buf_init(&b);
	esc_text(&b, user, strlen(user));
	fprintf(stderr, "huntcon: -Z %s: %s\n", b.s, why);
	buf_free(&b);
	exit(1);
}

/*
 * -Z: become USER once the interfaces are open, as tcpdump does: its
 * groups, then its group, then its user, checked afterwards (root must not
 * come back); HOME becomes USER's, for paths written later.
 */
static void
main_drop(const char *user)
{
	struct passwd	*pw;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL)
		main_drop_error(user, errno != 0 ? strerror(errno) :
		    "no such user");
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 ||
	    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
		main_drop_error(user, strerror(errno));
	if (getuid() != pw->pw_uid || geteuid() != pw->pw_uid ||
	    getgid() != pw->pw_gid || getegid() != pw->pw_gid ||
	    (pw->pw_uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)))
		main_drop_error(user, "privileges still held after dropping "
		    "them; not going on");
	if (setenv("HOME", pw->pw_dir, 1) != 0)
		main_drop_error(user, strerror(errno));
}

/* Whether a -r argument is a capture stream: -, or a FIFO. */
static bool
main_is_stream(const char *arg)
{
	struct stat	 st;

	return (strcmp(arg, "-") == 0 || (stat(arg, &st) == 0 &&
	    S_ISFIFO(st.st_mode)));
}

/* How many -r arguments are streams. */
static size_t
main_streams(const struct args *a)
{
	size_t	 i, n = 0;

	for (i = 0; i < a->ninputs; i++)
		n += main_is_stream(a->inputs[i]);
	return (n);
}

/* How many times -r - (standard input) was given. */
static size_t
main_stdin(const struct args *a)
{
	size_t	 i, n = 0;

	for (i = 0; i < a->ninputs; i++)
		n += strcmp(a->inputs[i], "-") == 0;
	return (n);
}

/*
 * The console's spool of a stream, kept at exit so that what it found can
 * be exported later: $XDG_CACHE_HOME/huntcon/spool/DATE-PID.
 */
static char *
main_spool_default(void)
{
	char		 name[64], *dir, *cause = NULL;
	time_t		 now = time(NULL);
	struct tm	 tm;

	strftime(name, sizeof name, "spool/%Y%m%dT%H%M%S", gmtime_r(&now,
	    &tm));
	snprintf(name + strlen(name), sizeof name - strlen(name), "-%ld",
	    (long)getpid());
	dir = datadir_cache(name);
	if (!datadir_mkparents(dir, &cause)) {
		fprintf(stderr, "huntcon: spool: %s\n", cause);
		exit(1);
	}
	return (dir);
}

/*
 * The spool of a live capture or a stream: --spool DIR (kept); else for
 * the console one under the user's cache directory (kept), for -w a
 * temporary one; none with --spool none or when nothing reads it.  Made
 * before -Z and given to the user.
 */
static void
main_spool(struct args *a, struct capture *c, bool console)
{
	char		*cause = NULL, *dflt = NULL;
	struct passwd	*pw;
	bool		 none = a->spool != NULL && strcmp(a->spool, "none") == 0;

	if (none || (a->spool == NULL && a->write == NULL && !console))
		return;
	if (a->spool == NULL && console)
		dflt = main_spool_default();
	if (!capture_spool(c, a->spool != NULL ? a->spool : dflt,
	    a->spool_size, &cause) || (a->user != NULL && (pw =
	    getpwnam(a->user)) != NULL && !capture_spool_chown(c, pw->pw_uid,
	    pw->pw_gid, &cause))) {
		fprintf(stderr, "huntcon: %s\n", cause);
		exit(1);
	}
	free(dflt);
}

/*
 * Open the interfaces of -i (exit 1 when one cannot be captured, its
 * message said) and drop root with -Z.
 */
static void
main_open_live(struct args *a, struct capture *c, bool console)
{
	size_t	 i;

	if (a->user != NULL && getpwnam(a->user) == NULL)
		main_drop_error(a->user, "no such user");
	for (i = 0; i < a->nifaces; i++)
		capture_add_live(c, a->ifaces[i], &a->live);
	if (capture_errors(c) > 0) {
		capture_set_msg(c, main_capture_msg, NULL);	/* held */
		exit(1);
	}
	main_spool(a, c, console);
	if (a->user != NULL)
		main_drop(a->user);
}

/* Live capture and streams end at --duration, SIGINT or SIGTERM. */
static void
main_live_end(struct args *a, struct hunt *h, struct main_live *l)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	l->end = a->duration > 0 ? clock_ns(CLOCK_MONOTONIC) + a->duration *
	    1000000000ULL : 0;
	l->wall = capture_wall_clock(hunt_capture(h));
	hunt_set_tick(h, main_tick, l);
}

/*
 * Add the inputs: -r files and streams, -i interfaces (root dropped with
 * -Z), and the spool of what is live.
 */
static void
main_open(struct args *a, struct capture *c, bool console)
{
	size_t	 i;

	for (i = 0; i < a->ninputs; i++) {
		if (strcmp(a->inputs[i], "-") == 0)
			capture_add_stream(c, a->inputs[i]);
		else
			capture_add(c, a->inputs[i]);
	}
	if (a->nifaces > 0)
		main_open_live(a, c, console);
	else if (main_streams(a) > 0)
		main_spool(a, c, console);
}

/* Start shipping while capturing, or exit 1 saying why not. */
static void
main_ship_start(struct args *a)
{
	char	*cause = NULL;

	if (!fleet_ship_begin(&a->fl, stderr, &cause)) {
		main_msg("", cause, "");
		exit(1);
	}
}

/* Read the inputs into a new hunt's store (batch: no other reader). */
static struct hunt *
main_read(struct args *a, struct capture *c)
{
	struct hunt		*h;
	struct store		*st;
	struct main_live	 l;
	int			 flags = HUNT_SOLO;

	memset(&l, 0, sizeof l);
	main_open(a, c, false);
	if (main_outputs(a) == 0 && a->fl.ship == NULL)
		flags |= HUNT_DISCARD;	/* --stats alone keeps no session */
	h = hunt_new(c, &a->cfg, flags);
	st = hunt_store(h);
	if (capture_live(c))
		main_live_end(a, h, &l);
	/* On the wall clock, correlation rules judge sliding windows as
	   sessions are stored, and --ship ships what they are done with; a
	   file kept in a window is judged so on the packet clock, so that its
	   sessions are judged before they leave. */
	if (capture_wall_clock(c) || a->cfg.retain_ns != 0 ||
	    a->cfg.max_sessions != 0) {
		a->cfg.corr_live = rules_live_new(a->cfg.rules, st, 0);
		if (!capture_wall_clock(c))
			rules_live_on_packets(a->cfg.corr_live);
		if (a->groups)
			rules_live_report(a->cfg.corr_live);
	}
	if (capture_wall_clock(c)) {
		if (a->fl.ship != NULL)
			main_ship_start(a);
		l.ship = a->fl.shipper;
		l.st = st;
		l.c = c;
		l.horizon = rules_live_horizon(a->cfg.corr_live);
	}
	hunt_run(h);
	return (h);
}

/* Compile -q; prints warnings and errors as SPEC §3 says. */
static struct query *
main_query(const char *text)
{
	struct query_error	 err;
	struct query		*q;
	size_t			 i;
	char			 pre[64];

	q = query_compile(text, strlen(text), 0, &err);
	for (i = 0; i < err.nwarnings; i++) {
		snprintf(pre, sizeof pre, "query: column %zu: warning: ",
		    (size_t)err.warnings[i].col);
		main_msg(pre, err.warnings[i].msg, "");
	}
	if (q == NULL) {
		snprintf(pre, sizeof pre, "query: column %zu: ",
		    (size_t)err.col);
		main_msg(pre, err.msg, "");
	}
	query_error_clear(&err);
	return (q);
}

/* Say which patterns of -q gave up on values at the match limit. */
static void
main_query_gaveup(const struct query *q)
{
	char	**msgs;
	size_t	  i, n;

	if (q == NULL || query_gaveup(q) == 0)
		return;
	n = query_gaveup_messages(q, &msgs);
	for (i = 0; i < n; i++) {
		main_msg("query: warning: ", msgs[i], "");
		free(msgs[i]);
	}
	free(msgs);
}

/* Print an export message on stderr. */
static void
main_say(const char *msg, void *arg)
{
	(void)arg;
	main_msg("", msg, "");
}

/* Write the chosen sessions' packets; returns false on failure. */
static bool
main_export(struct args *a, struct capture *c, struct store *st,
    batch_keep_fn keep, void *arg)
{
	struct export_result	 res;
	char			*cause = NULL;

	if (!export_pcap(c, st, a->write, a->force, keep, arg, main_say, NULL,
	    &res, NULL, &cause)) {
		main_msg("", cause, "");
		free(cause);
		return (false);
	}
	return (true);
}

/*
 * --sessions with fragments, --packets and -w: over the sessions the query
 * chose, and with --with-fragments the rest of their split conversations.
 * False when an export failed.
 */
static bool
main_chosen(struct args *a, struct capture *c, struct store *st,
    const struct batch_fields *f, const struct query *q)
{
	struct batch_sel	 sel;
	bool			 ok = true;

	batch_sel_init(&sel, st, q);
	if (a->with_fragments)
		batch_sel_fragments(&sel, st);
	if (a->sessions)
		main_out(stdout, batch_lines(stdout, st, f, a->format,
		    a->header, sel.ids, sel.n));
	else if (a->packets)
		main_out(stdout, batch_packets(stdout, c, st, sel.ids, sel.n,
		    a->pkt_flags, a->header));
	else
		ok = main_export(a, c, st, q != NULL || a->with_fragments ?
		    batch_sel_keep : NULL, &sel);
	batch_sel_free(&sel);
	return (ok);
}

/*
 * Freeing every session one by one at the end of a batch run takes longer
 * (a tenth of the run on a million sessions) than the exit, which returns
 * the memory at once.  The sanitizer builds free everything, so that a
 * leak still shows; other builds leave the store to the exit, held here
 * so that it is still reachable.
 */
#if defined(__SANITIZE_ADDRESS__)
#define MAIN_FREE_STORE	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MAIN_FREE_STORE	1
#endif
#endif
#ifndef MAIN_FREE_STORE
#define MAIN_FREE_STORE	0
#endif
static struct store	*main_store_left;

/*
 * Live capture's --stats lines, after the others: what each interface's
 * kernel buffer and driver dropped.
 */
static bool
main_live_stats(FILE *f, struct capture *c)
{
	struct capture_stats	 cs;
	uint64_t		 dropped = 0, ifdropped = 0;
	size_t			 i;

	for (i = 0; i < capture_ninputs(c); i++) {
		if (capture_stats(c, i, &cs)) {
			dropped += cs.dropped;
			ifdropped += cs.ifdropped;
		}
	}
	errno = 0;
	return (fprintf(f, "dropped\t%llu\nifdropped\t%llu\n",
	    (unsigned long long)dropped, (unsigned long long)ifdropped) > 0);
}

/* --histogram: the counts, or the reason there are none (false). */
static bool
main_histogram(const struct store *st, uint64_t bucket,
    const struct query *q)
{
	char	*cause = NULL;

	if (batch_histogram(stdout, st, bucket, q, &cause))
		return (true);
	if (cause == NULL) {
		main_out(stdout, false);	/* a write failed */
		return (true);
	}
	main_msg("--histogram: ", cause, "");
	free(cause);
	return (false);
}

/* Ship every session not shipped yet, and wait for the last batch. */
static bool
main_ship(struct args *a, const struct store *st, const struct capture *c)
{
	char	*cause = NULL;
	bool	 ok;

	if (!(ok = fleet_ship_finish(&a->fl, st, c, &cause)))
		main_msg("", cause, "");
	free(cause);
	return (ok);
}

/* --fetch: the records the references name, as a pcap on -w. */
static int
main_fetch(struct args *a)
{
	char	*cause = NULL;
	bool	 ok;

	if (a->write == NULL || a->ninputs > 0 || a->nifaces > 0 ||
	    a->values != NULL || a->sessions || a->stats)
		usage_error("--fetch goes with -w OUT.pcap (or -w -) alone");
	if (!(ok = fleet_run_fetch(&a->fl, a->write, a->force, &cause)))
		main_msg("", cause, "");
	free(cause);
	if (strcmp(a->write, "-") == 0)
		return (main_finish_stdout(ok ? 0 : 1));
	return (ok ? 0 : 1);
}

/*
 * The key of --values (-1 without it) and the fields of --sessions; a
 * usage error when either names what is not there.
 */
static int
main_fields(const struct args *a, struct batch_fields *f)
{
	char	*cause = NULL;
	int	 key = -1;

	if (a->values != NULL && (key = meta_find(a->values,
	    strlen(a->values))) == -1)
		usage_error("--values: unknown meta key '%s' (huntcon --keys "
		    "lists them)", esc_str(a->values));
	if (a->fields != NULL && !batch_fields_parse(f, a->fields, &cause))
		usage_error("%s", cause);
	else if (a->fields == NULL)
		batch_fields_default(f);
	return (key);
}

/*
 * --values or --sessions asked of a store through its view; false (said)
 * when the store cannot answer or the output cannot be written.
 */
static bool
main_view(const struct args *a, struct view *v, enum view_order order,
    int key, const struct batch_fields *f, const struct query *q)
{
	char	*cause = NULL;
	bool	 ok;

	if (a->values != NULL)
		ok = view_values(stdout, v, key, a->sort, q, &cause);
	else
		ok = view_sessions(stdout, v, order, f, a->format, a->header,
		    q, &cause);
	if (!ok && cause != NULL)
		main_msg("", cause, "");
	else
		main_out(stdout, ok);
	free(cause);
	return (ok);
}

/* Check --store's options against each other. */
static void
main_store_check(const struct args *a)
{
	if (a->ninputs > 0 || a->nifaces > 0 || a->fl.ship != NULL ||
	    a->stats)
		usage_error("--store reads the store: -r, -i, --stats and "
		    "--ship go without it");
	if (a->fl.init + (a->values != NULL) + a->sessions +
	    (a->fl.retain >= 0) + a->fl.refs + (a->write != NULL) +
	    (a->bucket != 0) > 1)
		usage_error("--store goes with one of --init, --retain, "
		    "--values, --sessions, --histogram, --refs or -w, or none "
		    "(the console)");
}

/* The console over --store: the path's questions asked of the store. */
static int
main_store_console(struct args *a)
{
	struct fleet_url	 u;
	struct view		 v;
	struct ruleset		*rs = NULL;
	char			*cause = NULL, *name;
	int			 rc;

	if (!isatty(STDOUT_FILENO))
		usage_error("the console needs a terminal; for batch output "
		    "use --values or --sessions");
	if (!fleet_url_parse(&u, a->fl.store, &cause)) {
		main_msg("", cause, "");
		free(cause);
		return (1);
	}
	xasprintf(&name, "%s://%s:%u/%s", u.tls ? "clickhouses" :
	    "clickhouse", u.host, u.port, u.db);
	main_rules(a, &rs);
	view_fleet(&v, &u);
	view_fleet_packets(&v, &a->cfg);
	rc = ui_run(&(struct ui_options){ hunt_new(capture_new(NULL, NULL),
	    &a->cfg, 0), a->query, a->theme, &a->cfg, &v, name });
	view_free(&v);
	rules_free(rs);
	free(name);
	fleet_url_free(&u);
	return (rc);
}

/* The batch modes over --store: --init, --retain, --values ... */
static int
main_store(struct args *a)
{
	struct fleet_mode	 m;
	struct batch_fields	 f;
	struct query		*q = NULL;
	char			*cause = NULL, *note = NULL;
	bool			 ok;

	main_store_check(a);
	if (!a->fl.init && a->values == NULL && !a->sessions &&
	    a->fl.retain < 0 && !a->fl.refs && a->write == NULL &&
	    a->bucket == 0)
		return (main_store_console(a));
	memset(&m, 0, sizeof m);
	m.key = main_fields(a, &f);
	if (a->query != NULL && (q = main_query(a->query)) == NULL)
		exit(1);
	m.sort = a->sort;
	m.fields = &f;
	m.format = a->format;
	m.header = a->header;
	m.q = q;
	m.write = a->write;
	m.bucket = a->bucket;
	m.force = a->force;
	m.cfg = &a->cfg;
	ok = fleet_run_store(stdout, &a->fl, &m, &note, &cause);
	if (!ok && cause != NULL)
		main_msg("", cause, "");
	else
		main_out(stdout, ok);
	if (note != NULL)
		main_msg("", note, "");
	free(note);
	free(cause);
	batch_fields_free(&f);
	query_free(q);
	return (main_finish_stdout(ok ? 0 : 1));
}

/* Run a batch mode over the inputs; returns the exit status. */
static int
main_batch(struct args *a)
{
	struct capture		*c = capture_new(main_capture_msg, NULL);
	struct hunt		*h;
	struct store		*st;
	struct engine		*e;
	struct batch_fields	 f;
	struct query		*q = NULL;
	struct ruleset		*rs = NULL;
	struct corr_report	*rep = NULL;
	unsigned int		 errors, rule_errors;
	int			 key, rc;

	rule_errors = main_rules(a, &rs);
	key = main_fields(a, &f);
	if (a->write != NULL && !a->force && access(a->write, F_OK) == 0) {
		fprintf(stderr, "huntcon: %s: file exists (use --force to "
		    "overwrite)\n", esc_str(a->write));
		exit(1);
	}
	if (a->query != NULL) {
		if ((q = main_query(a->query)) == NULL)
			exit(1);
	}
	h = main_read(a, c);
	st = hunt_store(h);
	e = hunt_engine(h);
	errors = capture_errors(c);
	if (a->cfg.corr_live != NULL) {
		rules_live_finish(a->cfg.corr_live, capture_wall_clock(c) ?
		    clock_ns(CLOCK_REALTIME) : engine_now(e),
		    stderr, a->groups ? &rep : NULL);
		rules_live_free(a->cfg.corr_live);
		a->cfg.corr_live = NULL;
	} else
		rules_correlate_report(rs, st, stderr, a->groups ? &rep : NULL);
	rc = errors > 0 || rule_errors > 0 ? 1 : 0;
	if (a->fl.ship != NULL && !main_ship(a, st, c))
		rc = 1;
	if (a->values != NULL || (a->sessions && !a->with_fragments)) {
		struct view	 v;

		view_mem(&v, st);
		if (!main_view(a, &v, VIEW_BY_ID, key, &f, q))
			rc = 1;
		view_free(&v);
	} else if (a->groups)
		main_out(stdout, batch_groups(stdout, st, rs, rep, a->format,
		    a->header, q));
	else if (a->bucket != 0) {
		if (!main_histogram(st, a->bucket, q))
			rc = 1;
	} else if (a->sessions || a->packets || a->write != NULL)
		rc = main_chosen(a, c, st, &f, q) ? rc : 1;
	main_query_gaveup(q);
	if (a->stats) {
		FILE	*sf = main_outputs(a) > 0 && a->write == NULL ? stderr :
			    stdout;

		main_out(sf, batch_stats(sf, e, st));
		if (capture_wall_clock(c))
			main_out(sf, main_live_stats(sf, c));
		if (capture_spooling(c))
			main_out(sf, fprintf(sf, "unspooled\t%llu\n",
			    (unsigned long long)capture_unspooled(c)) > 0);
	}
	batch_fields_free(&f);
	rules_report_free(rep);
	query_free(q);
	if (MAIN_FREE_STORE || getenv("HUNTCON_FREE_ALL") != NULL) {
		hunt_free(h, true);
		rules_free(rs);
	} else {
		main_store_left = st;	/* its values point into rs */
		hunt_free(h, false);
	}
	return (main_finish_stdout(rc));
}

/* Check the live capture and stream options against the rest. */
static void
main_check_live(const struct args *a)
{
	size_t	 streams = main_streams(a);

	if (main_stdin(a) > 1)
		usage_error("-r - (standard input) goes once");
	if (main_stdin(a) > 0 && isatty(STDIN_FILENO))
		usage_error("-r -: standard input is a terminal; send it a "
		    "capture, as in tcpdump -U -w - | huntcon -r -");
	if (a->ninputs > 0 && a->nifaces > 0)
		usage_error("-r and -i go one at a time");
	if (a->live_opts && a->nifaces == 0)
		usage_error("-f, -s, -p, -B and -Z go with -i");
	if (a->spool != NULL && strcmp(a->spool, "none") == 0 &&
	    a->write != NULL)
		usage_error("--spool none keeps no packet: -w cannot write "
		    "them");
	if (a->duration > 0 && a->nifaces == 0 && streams == 0)
		usage_error("--duration goes with -i or -r -");
	if ((a->spool != NULL || a->spool_size != 0) && a->nifaces == 0 &&
	    streams == 0)
		usage_error("--spool and --spool-size go with -i or -r -");
}

/* Check the mode options against each other. */
static void
main_check_modes(const struct args *a)
{
	if (main_outputs(a) > 1)
		usage_error("--values, --sessions, --groups, --packets, "
		    "--histogram and -w go one at a time");
	if (a->pkt_flags != 0 && !a->packets)
		usage_error("--hex, --text and --decoded go with --packets");
	if (a->with_fragments && !a->sessions && !a->packets && a->write == NULL)
		usage_error("--with-fragments goes with -w, --sessions or "
		    "--packets");
	if (a->packets && (a->nifaces > 0 || main_streams(a) > 0))
		usage_error("--packets reads capture files (-r FILE); write a "
		    "live capture with -w first");
	if (a->fix && !a->check_rules)
		usage_error("--fix goes with --check-rules");
	if (!a->keys && a->ninputs == 0 && a->nifaces == 0)
		usage_error("no input: name a capture with -r FILE or an "
		    "interface with -i IFACE");
	main_check_live(a);
}

int
main(int argc, char **argv)
{
	struct args	 a;
	int		 rc;

	main_args(&a, argc, argv);
	if (a.keys) {
		main_out(stdout, batch_keys(stdout));
		free(a.inputs);
		free(a.rules);
		engine_config_free(&a.cfg);
		return (main_finish_stdout(0));
	}
	if (a.check_rules) {
		rc = main_check_rules(&a);
		free(a.inputs);
		free(a.rules);
		engine_config_free(&a.cfg);
		return (rc);
	}
	if (a.fl.nfetch > 0) {
		rc = main_fetch(&a);
		free(a.fl.fetch);
		engine_config_free(&a.cfg);
		return (rc);
	}
	if (a.fl.store != NULL) {
		rc = main_store(&a);
		free(a.fl.store);
		engine_config_free(&a.cfg);
		return (rc);
	}
	main_check_modes(&a);
	if (main_outputs(&a) == 0 && !a.stats && a.fl.ship == NULL) {
		if (!isatty(STDOUT_FILENO))
			usage_error("the console needs a terminal; for batch "
			    "output use --values, --sessions or --stats");
		struct ruleset	*rs = NULL;
		struct capture	*c;

		main_rules(&a, &rs);
		c = capture_new(NULL, NULL);	/* the console tells */
		main_open(&a, c, true);
		if (main_streams(&a) > 0 && capture_ninputs(c) == 0) {
			capture_set_msg(c, main_capture_msg, NULL);
			exit(1);	/* the stream could not be read */
		}
		rc = ui_run(&(struct ui_options){ hunt_new(c, &a.cfg, 0),
		    a.query, a.theme, &a.cfg, NULL, NULL });
		rules_free(rs);
	} else
		rc = main_batch(&a);
	engine_config_free(&a.cfg);
	free(a.inputs);
	free(a.ifaces);
	free(a.rules);
	free(a.fl.ship);
	return (rc);
}
