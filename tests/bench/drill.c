/*
 * drill.c - the in-process drill benchmark of SPEC §8 / issue 3: a store of
 * 1,000,000 synthetic sessions (fixed seed), then the medians of 20 warm
 * runs of (a) a 3-term drill path followed by the top 25 values of 10 keys
 * and (b) alias.host contains '...' over more than 100,000 distinct names.
 *
 * Usage: bench-drill [SESSIONS]
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "query/query.h"
#include "session/session.h"
#include "store/store.h"

#define RUNS		20
#define WARMUP		3
#define TOP		25
#define NINTERNAL	2000		/* 10.x hosts */
#define NEXTERNAL	3000		/* public hosts */
#define NNAMES		120000		/* distinct alias.host names */

static const char *const drill_path =
    "ip.proto = 6 && service = 80 && direction = 'outbound'";
static const char *const drill_contains = "alias.host contains 'xyz'";
static const char *const drill_keys[] = {
	"ip.src", "ip.dst", "tcp.dstport", "service", "direction",
	"alias.host", "analysis.session", "ip.proto", "tcp.srcport",
	"eth.src"
};
static const char *const drill_analysis[] = {
	"ratio high transmitted", "ratio low transmitted", "single sided tcp",
	"session size greater than 1mb", "dns base32 label",
	"http no user-agent", "direct to ip http request", "dns low ttl"
};
static const char *const drill_tlds[] = {
	"com", "net", "org", "io", "de", "ru", "cn", "info"
};

static uint64_t	 rng = 0x9e3779b97f4a7c15ULL;

/* splitmix64: the benchmark's only source of randomness. */
static uint64_t
drill_rand(void)
{
	uint64_t	 z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/* A uniform double in [0, 1). */
static double
drill_unit(void)
{
	return ((double)(drill_rand() >> 11) / 9007199254740992.0);
}

/* A log-normal size: exp(N(7.5, 1.6)) bytes, at least 60. */
static uint64_t
drill_size(void)
{
	double	 u = drill_unit() + 1e-12, v = drill_unit();
	double	 z = sqrt(-2 * log(u)) * cos(2 * M_PI * v);
	double	 s = exp(7.5 + 1.6 * z);

	return (s < 60 ? 60 : (uint64_t)s);
}

/* Host i as an IPv4 address: internal 10.x.y.z or public. */
static void
drill_host(uint8_t *a, uint32_t i, bool internal)
{
	memset(a, 0, 16);
	a[0] = internal ? 10 : (uint8_t)(20 + i % 180);
	a[1] = (uint8_t)(i >> 8);
	a[2] = (uint8_t)i;
	a[3] = (uint8_t)(1 + i % 250);
}

/* The pool of distinct host names: random labels under a few TLDs. */
static char **
drill_names(void)
{
	char	**names = xcalloc(NNAMES, sizeof *names);
	char	 label[16];
	size_t	 i, j, len;

	for (i = 0; i < NNAMES; i++) {
		len = 6 + drill_rand() % 8;
		for (j = 0; j < len; j++)
			label[j] = (char)('a' + drill_rand() % 26);
		label[len] = '\0';
		xasprintf(&names[i], "%s%zu.%s", label, i,
		    drill_tlds[drill_rand() % nitems(drill_tlds)]);
	}
	return (names);
}

/* Add a text value of a key to a session. */
static void
drill_text(struct session *s, int key, const char *text)
{
	struct mval	 v;

	memset(&v, 0, sizeof v);
	v.type = MT_TEXT;
	v.text.p = text;
	v.text.n = (uint32_t)strlen(text);
	session_meta_add(s, key, &v, MF_PARSER);
}

/* Protocol, ports and service of a synthetic session. */
static void
drill_proto(struct session *s)
{
	uint64_t	 r = drill_rand() % 100;

	s->proto = r < 70 ? 6 : r < 95 ? 17 : 1;
	s->port[0] = (uint16_t)(1024 + drill_rand() % 64512);
	r = drill_rand() % 100;
	if (s->proto == 6) {
		s->service = r < 35 ? 80 : r < 80 ? 443 : 0;
		s->port[1] = s->service != 0 ? s->service :
		    (uint16_t)(drill_rand() % 4 == 0 ? 8080 : 1 + r * 97);
		s->tcp_flags = 0x1b;
	} else if (s->proto == 17) {
		s->service = r < 80 ? 53 : 0;
		s->port[1] = s->service != 0 ? 53 : (uint16_t)(123 + r);
	} else {
		s->port[0] = s->port[1] = 0;
		s->service = 0;
	}
}

/* One synthetic session with the given id. */
static struct session *
drill_session(uint64_t id, char **names, int k_host, int k_analysis)
{
	struct session	*s = xcalloc(1, sizeof *s);
	uint64_t	 r = drill_rand() % 100, h;
	uint32_t	 cli = (uint32_t)(drill_rand() % NINTERNAL);

	s->id = id;
	s->af = 4;
	s->medium = 1;
	s->prec = 6;
	s->seen = 3;
	s->initiator = 0;
	drill_proto(s);
	/* 70% outbound, 20% lateral, 10% inbound. */
	drill_host(s->addr[0], r < 90 ? cli : (uint32_t)(drill_rand() %
	    NEXTERNAL), r < 90);
	drill_host(s->addr[1], r < 70 ? (uint32_t)(drill_rand() % NEXTERNAL) :
	    (uint32_t)(drill_rand() % NINTERNAL), r >= 70 && r < 90);
	s->has_eth[0] = true;
	memcpy(s->eth[0] + 6, "\x02\x00", 2);
	memcpy(s->eth[0] + 8, s->addr[0], 4);
	s->eth_type = 0x0800;
	s->t_first = 1704067200ULL * 1000000000ULL + id * 1000000ULL;
	s->t_last = s->t_first + drill_rand() % 30000000000ULL;
	s->size = drill_size();
	s->packets = 1 + s->size / 600;
	s->payload[0] = s->size / 3;
	s->payload[1] = s->size - s->size / 3 - 40 * s->packets / 2;
	if (s->service != 0) {
		/* Skewed: low name indexes are popular. */
		h = (uint64_t)(pow(drill_unit(), 2) * NNAMES);
		drill_text(s, k_host, names[h]);
	}
	if (drill_rand() % 4 == 0)
		drill_text(s, k_analysis,
		    drill_analysis[drill_rand() % nitems(drill_analysis)]);
	if (s->size > 1000000)
		drill_text(s, k_analysis, "session size greater than 1mb");
	return (s);
}

/* Milliseconds of a monotonic clock. */
static double
drill_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
}

/* Milliseconds of CPU time the process has used. */
static double
drill_cpu_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
}

/* qsort comparison of doubles. */
static int
drill_dcmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* Compile a query or die. */
static struct query *
drill_compile(const char *text)
{
	struct query_error	 err;
	struct query		*q;

	q = query_compile(text, strlen(text), 0, &err);
	if (q == NULL)
		fatal("query: column %zu: %s", err.col, err.msg);
	query_error_clear(&err);
	return (q);
}

/* One drill: select the path, count the top 25 of every key. */
static size_t
drill_once(const struct store *st, const int *keys, bool show)
{
	struct query	*q = drill_compile(drill_path);
	struct vcount	*v;
	struct buf	 b;
	uint32_t	*ids;
	size_t		 n, nv, i, j;

	n = store_select(st, q, &ids);
	buf_init(&b);
	for (i = 0; i < nitems(drill_keys); i++) {
		nv = store_count_top(st, keys[i], ids, n, VSORT_COUNT, TOP, &v);
		for (j = 0; show && j < nv && j < 3; j++) {
			buf_reset(&b);
			mval_format(&b, &v[j].v);
			printf("%s%s %s=%llu", j == 0 ? "    " : ", ",
			    drill_keys[i], b.s,
			    (unsigned long long)v[j].sessions);
		}
		if (show)
			printf("%s\n", nv > 3 ? ", ..." : "");
		free(v);
	}
	buf_free(&b);
	free(ids);
	query_free(q);
	return (n);
}

/* One contains query. */
static size_t
drill_contains_once(const struct store *st)
{
	struct query	*q = drill_compile(drill_contains);
	uint32_t	*ids;
	size_t		 n;

	n = store_select(st, q, &ids);
	free(ids);
	query_free(q);
	return (n);
}

/* Median of RUNS timed runs of fn (after WARMUP), wall; CPU in *cpu. */
static double
drill_median(size_t (*fn)(const struct store *, const int *),
    const struct store *st, const int *keys, size_t *result, double *cpu)
{
	double	 t[RUNS], c[RUNS], t0, c0;
	int	 i;

	for (i = 0; i < WARMUP; i++)
		*result = fn(st, keys);
	for (i = 0; i < RUNS; i++) {
		t0 = drill_ms();
		c0 = drill_cpu_ms();
		*result = fn(st, keys);
		t[i] = drill_ms() - t0;
		c[i] = drill_cpu_ms() - c0;
	}
	qsort(t, RUNS, sizeof t[0], drill_dcmp);
	qsort(c, RUNS, sizeof c[0], drill_dcmp);
	*cpu = (c[RUNS / 2 - 1] + c[RUNS / 2]) / 2;
	return ((t[RUNS / 2 - 1] + t[RUNS / 2]) / 2);
}

/* drill_once without printing. */
static size_t
drill_run(const struct store *st, const int *keys)
{
	return (drill_once(st, keys, false));
}

/* drill_contains_once with the drill signature. */
static size_t
drill_run_contains(const struct store *st, const int *keys)
{
	(void)keys;
	return (drill_contains_once(st));
}

/* Build the store, print the set-up, time both benchmarks. */
int
main(int argc, char **argv)
{
	struct session_ctx	 ctx = { NULL, NULL, 0, NULL, NULL };
	struct store		*st = store_new();
	char			**names = drill_names();
	int			 keys[nitems(drill_keys)], k_host, k_an;
	uint64_t		 nsess = argc > 1 ? strtoull(argv[1], NULL, 10) :
				    1000000, id;
	size_t			 i, n;
	double			 t0, drill, contains, dcpu, ccpu;
	struct vcount		*v;

	k_host = meta_find("alias.host", 10);
	k_an = meta_find("analysis.session", 16);
	for (i = 0; i < nitems(drill_keys); i++)
		keys[i] = meta_find(drill_keys[i], strlen(drill_keys[i]));
	store_set_ctx(st, &ctx);
	t0 = drill_ms();
	for (id = 1; id <= nsess; id++)
		store_add(st, drill_session(id, names, k_host, k_an));
	printf("store: %llu sessions built and indexed in %.0f ms\n",
	    (unsigned long long)nsess, drill_ms() - t0);
	printf("  ip.proto 6 70%% / 17 25%% / 1 5%%; service tcp 80 35%%, 443 "
	    "45%%, else 0; udp 53 80%%; direction outbound 70%%, lateral 20%%, "
	    "inbound 10%%;\n  hosts %d internal (10/8) + %d public; sizes "
	    "exp(N(7.5, 1.6)); alias.host on every session with a service, "
	    "from %d distinct names (skewed, u^2);\n  analysis.session: 25%% "
	    "one of %zu indicators, plus 'session size greater than 1mb'.\n",
	    NINTERNAL, NEXTERNAL, NNAMES, nitems(drill_analysis));
	n = store_count_ids(st, k_host, NULL, 0, VSORT_COUNT, &v);
	free(v);
	printf("  alias.host: %zu distinct values in the store\n", n);
	printf("drill path: %s\n  top %d of:", drill_path, TOP);
	for (i = 0; i < nitems(drill_keys); i++)
		printf(" %s", drill_keys[i]);
	printf("\n");
	n = drill_once(st, keys, true);
	drill = drill_median(drill_run, st, keys, &n, &dcpu);
	printf("  %zu sessions on the path; drill median of %d: %.2f ms, "
	    "cpu %.2f ms (bar 100, goal 20)\n", n, RUNS, drill, dcpu);
	contains = drill_median(drill_run_contains, st, keys, &n, &ccpu);
	printf("contains: %s\n  %zu sessions; median of %d: %.2f ms, cpu %.2f "
	    "ms (bar 200)\n", drill_contains, n, RUNS, contains, ccpu);
	store_free(st);
	for (i = 0; i < NNAMES; i++)
		free(names[i]);
	free(names);
	return (drill <= 100 && contains <= 200 ? 0 : 1);
}
