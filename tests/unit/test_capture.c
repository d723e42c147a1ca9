/*
 * test_capture.c - readers of the inputs own their state: an export that
 * runs while other threads re-read the same input (as the Session pane
 * does when a session is opened) writes the same bytes as an export run
 * alone (what batch -w writes), and every concurrent re-read sees every
 * record intact; the same for the capture gzip-compressed, whose readers
 * share one decompressed copy.  A re-read goes straight to the records it
 * wants, by where each starts in the file: records it does not want may
 * be gone.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "unit/tmpdir.h"
#include "unit/udpcap.h"

#include "capture/capture.h"
#include "engine/engine.h"
#include "export/export.h"
#include "store/store.h"
#include "util/util.h"

#define NPKT		6000	/* about 3.5 MB: several stdio buffers */
#define NFLOWS		300
#define NREADERS	2
#define ROUNDS		4

static char	 dir[] = "/tmp/huntcon-capture-XXXXXX";

/* The wire length of record i: 82 to 1481 bytes. */
static size_t
record_len(unsigned i)
{
	return (14 + 20 + 8 + 40 + (i * 7919u) % 1400);
}

/* Write record i: Ethernet, IPv4, UDP on flow i % NFLOWS, its payload
 * bytes all (i & 0xff) so that a record from elsewhere shows. */
static void
put_record(FILE *fp, unsigned i)
{
	udpcap_record(fp, i, NFLOWS, record_len(i), (int)(i & 0xff));
}

/* Write the test capture, its header saying snaplen. */
static void
write_capture_snap(const char *path, uint32_t snaplen)
{
	FILE		*fp = fopen(path, "wb");
	unsigned	 i;

	assert_non_null(fp);
	udpcap_header(fp, snaplen);
	for (i = 0; i < NPKT; i++)
		put_record(fp, i);
	assert_int_equal(fclose(fp), 0);
}

/* Write the test capture. */
static void
write_capture(const char *path)
{
	write_capture_snap(path, 65535);
}

static char	*slurp(const char *, size_t *);

/* Compress a file with gzip into path.gz. */
static void
gzip_file(const char *path, char *out, size_t len)
{
	size_t	 n;
	char	*s = NULL;
	gzFile	 z;

	snprintf(out, len, "%s.gz", path);
	assert_non_null(z = gzopen(out, "wb"));
	s = slurp(path, &n);
	assert_int_equal(gzwrite(z, s, (unsigned)n), (int)n);
	assert_int_equal(gzclose(z), Z_OK);
	free(s);
}

/* Read a whole file; *n its length. */
static char *
slurp(const char *path, size_t *n)
{
	FILE	*fp = fopen(path, "rb");
	char	*s;
	long	 len;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	assert_true(len > 0);
	rewind(fp);
	s = xmalloc((size_t)len);
	assert_int_equal(fread(s, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	*n = (size_t)len;
	return (s);
}

/* A concurrent reader: re-reads every record until told to stop. */
struct reader {
	struct capture	*c;
	atomic_bool	*stop;
	atomic_uint	*started;
	unsigned	 rounds;	/* re-reads done */
	unsigned	 bad;		/* re-reads that saw a wrong record */
	unsigned	 n;		/* records seen in this re-read */
	bool		 ok;
};

/* Every record. */
static uint64_t
all(uint64_t o, void *arg)
{
	(void)arg;
	return (o);
}

/* Check one re-read record: its ordinal, length and payload bytes. */
static bool
reader_packet(const struct capture_packet *p, void *arg)
{
	struct reader	*r = arg;
	size_t		 len = 14 + 20 + 8 + 40 + (p->ordinal * 7919u) % 1400;
	size_t		 i;

	if (p->ordinal != r->n++ || p->caplen != len)
		r->ok = false;
	for (i = 42; r->ok && i < p->caplen; i++) {
		if (p->data[i] != (p->ordinal & 0xff))
			r->ok = false;
	}
	return (true);
}

/* The reader thread. */
static void *
reader_run(void *arg)
{
	struct reader	*r = arg;

	while (!atomic_load(r->stop)) {
		r->n = 0;
		r->ok = true;
		capture_reread(r->c, all, reader_packet, r);
		if (!r->ok || r->n != NPKT)
			r->bad++;
		r->rounds++;
		atomic_fetch_add(r->started, 1);
	}
	return (NULL);
}

/* Feed a packet to the engine. */
static bool
feed(const struct capture_packet *p, void *arg)
{
	engine_packet(arg, p);
	return (true);
}

/* Keep the odd sessions: an export of part of the capture. */
static bool
odd(uint64_t id, void *arg)
{
	(void)arg;
	return ((id & 1) != 0);
}

/* Export the odd sessions to path; asserts that it worked. */
static void
export_to(struct capture *c, const struct store *st, const char *path)
{
	struct export_result	 res;
	char			*cause = NULL;

	if (!export_pcap(c, st, path, false, odd, NULL, NULL, NULL, &res,
	    NULL, &cause))
		fail_msg("export: %s", cause);
	assert_int_equal(res.sessions, NFLOWS / 2);
	assert_int_equal(res.files, 1);
}

/* Wait (at most 10 s) until every reader has finished one re-read. */
static void
wait_started(atomic_uint *started)
{
	struct timespec	 ts = { 0, 1000000 };
	int		 i;

	for (i = 0; i < 10000 && atomic_load(started) < NREADERS; i++)
		nanosleep(&ts, NULL);
	assert_true(atomic_load(started) >= NREADERS);
}

/* An export of in while other threads re-read it: the same as alone. */
static void
export_while_rereading(const char *in, const char *tag)
{
	const char		*names[2];
	char			 ref[300], out[300];
	struct capture		*c = capture_new(NULL, NULL);
	struct store		*st = store_new();
	struct engine_config	 cfg;
	struct session_ctx	 ctx = { NULL, NULL, 0, NULL, NULL };
	struct engine		*e;
	struct reader		 r[NREADERS];
	pthread_t		 t[NREADERS];
	atomic_bool		 stop;
	atomic_uint		 started;
	char			*a, *b;
	size_t			 na, nb;
	int			 round, i;

	snprintf(ref, sizeof ref, "%s/alone-%s.pcap", dir, tag);
	capture_add(c, in);
	names[0] = capture_input(c, 0)->path;
	names[1] = NULL;
	ctx.inputs = names;
	store_set_ctx(st, &ctx);
	engine_config_init(&cfg);
	e = engine_new(&cfg, st);
	capture_run(c, feed, e);
	engine_finish(e);
	assert_int_equal(store_count(st), NFLOWS);
	export_to(c, st, ref);
	a = slurp(ref, &na);
	for (round = 0; round < ROUNDS; round++) {
		atomic_init(&stop, false);
		atomic_init(&started, 0);
		for (i = 0; i < NREADERS; i++) {
			memset(&r[i], 0, sizeof r[i]);
			r[i].c = c;
			r[i].stop = &stop;
			r[i].started = &started;
			assert_int_equal(pthread_create(&t[i], NULL, reader_run,
			    &r[i]), 0);
		}
		wait_started(&started);
		snprintf(out, sizeof out, "%s/while-%s%d.pcap", dir, tag,
		    round);
		export_to(c, st, out);
		atomic_store(&stop, true);
		for (i = 0; i < NREADERS; i++)
			pthread_join(t[i], NULL);
		b = slurp(out, &nb);
		assert_int_equal(nb, na);
		assert_memory_equal(a, b, na);
		free(b);
		for (i = 0; i < NREADERS; i++)
			assert_int_equal(r[i].bad, 0);
	}
	free(a);
	engine_free(e);
	engine_config_free(&cfg);
	store_free(st);
	capture_free(c);
}

/* The length of record i as put_record() writes it, header included. */
static size_t
record_size(unsigned i)
{
	return (16 + record_len(i));
}

/* Where record i starts in the test capture. */
static uint64_t
record_offset(unsigned i)
{
	uint64_t	 off = 24;
	unsigned	 j;

	for (j = 0; j < i; j++)
		off += record_size(j);
	return (off);
}

/* capture_locate() names the file, the offset and the frame number. */
static void
assert_located(struct capture *c, const char *path, unsigned i)
{
	struct capture_ref	 ref;

	assert_true(capture_locate(c, i, &ref));
	assert_string_equal(ref.path, path);
	assert_int_equal(ref.offset, record_offset(i));
	assert_int_equal(ref.frame, i + 1);
	assert_false(ref.gone);
	assert_true(capture_kept(c, i));
}

/* The ordinals a re-read asks for, in order, and what it saw. */
struct wanted {
	const uint64_t	*ords;
	size_t		 n;
	uint32_t	 snap;		/* libpcap cuts records to this */
	size_t		 got;
	unsigned	 bad;
};

/* The first wanted ordinal at or after o. */
static uint64_t
wanted_next(uint64_t o, void *arg)
{
	struct wanted	*w = arg;
	size_t		 i;

	for (i = 0; i < w->n; i++) {
		if (w->ords[i] >= o)
			return (w->ords[i]);
	}
	return (UINT64_MAX);
}

/* Check that a record is the one asked for, by its bytes. */
static bool
wanted_packet(const struct capture_packet *p, void *arg)
{
	struct wanted	*w = arg;
	unsigned	 i = (unsigned)p->ordinal;

	if (w->got >= w->n || p->ordinal != w->ords[w->got] ||
	    p->caplen != (w->snap < record_size(i) - 16 ? w->snap :
	    record_size(i) - 16) || p->data[p->caplen - 1] != (i & 0xff))
		w->bad++;
	w->got++;
	return (true);
}

/* Count the records of the first pass. */
static bool
count(const struct capture_packet *p, void *arg)
{
	(void)p;
	(*(unsigned *)arg)++;
	return (true);
}

/*
 * Re-reading finds each record where it starts: with the first half of
 * the file overwritten after the first pass, the records of the second
 * half (across the index's chunks of 64, one at a time and in runs) are
 * still read, exactly; a record of the damaged half is not.
 */
static void
test_reread_seeks(void **state)
{
	static const uint64_t	 ords[] = { 3063, 3064, 3065, 3127, 3128,
	    4000, 4001, 4002, 5998, 5999 };
	struct capture		*c = capture_new(NULL, NULL);
	struct wanted		 w = { ords, sizeof ords / sizeof *ords, 65535,
	    0, 0 };
	char			 in[300], junk[4096];
	unsigned		 i, n = 0;
	size_t			 half = 0, done;
	FILE			*fp;

	(void)state;
	snprintf(in, sizeof in, "%s/seek.pcap", dir);
	write_capture(in);
	capture_add(c, in);
	capture_run(c, count, &n);
	assert_int_equal(n, NPKT);
	for (i = 0; i < NPKT / 2; i++)
		half += record_size(i);
	memset(junk, 0xff, sizeof junk);
	assert_non_null(fp = fopen(in, "r+b"));
	assert_int_equal(fseek(fp, 24, SEEK_SET), 0);
	for (done = 0; done < half; done += sizeof junk)
		assert_int_equal(fwrite(junk, 1, half - done < sizeof junk ?
		    half - done : sizeof junk, fp), half - done < sizeof junk ?
		    half - done : sizeof junk);
	assert_int_equal(fclose(fp), 0);
	capture_reread(c, wanted_next, wanted_packet, &w);
	assert_int_equal(w.got, w.n);
	assert_int_equal(w.bad, 0);
	assert_located(c, in, 3064);
	assert_located(c, in, 5999);
	assert_false(capture_locate(c, NPKT, &(struct capture_ref){ 0 }));
	assert_false(capture_kept(c, NPKT));
	capture_free(c);
}

/*
 * A header whose snap length is shorter than its records: libpcap cuts
 * them, so counting bytes from the records it hands over would be wrong;
 * the records are still found, at their offsets in the file.
 */
static void
test_reread_cut_records(void **state)
{
	static const uint64_t	 ords[] = { 0, 5, 63, 64, 70, 2000, 5999 };
	struct capture		*c = capture_new(NULL, NULL);
	struct wanted		 w = { ords, sizeof ords / sizeof *ords, 200,
	    0, 0 };
	char			 in[300];
	unsigned		 n = 0;

	(void)state;
	snprintf(in, sizeof in, "%s/cut.pcap", dir);
	write_capture_snap(in, 200);
	capture_add(c, in);
	capture_run(c, count, &n);
	assert_int_equal(n, NPKT);
	capture_reread(c, wanted_next, wanted_packet, &w);
	assert_int_equal(w.got, w.n);
	assert_int_equal(w.bad, 0);
	assert_located(c, in, 5);
	assert_located(c, in, 4000);
	capture_free(c);
}

/* The plain capture. */
static void
test_export_while_rereading(void **state)
{
	char	 in[300];

	(void)state;
	snprintf(in, sizeof in, "%s/in.pcap", dir);
	write_capture(in);
	export_while_rereading(in, "plain");
}

/* The capture gzip-compressed: the export is the plain one's. */
static void
test_export_while_rereading_gzip(void **state)
{
	char	 in[300], gz[310], ref[300], *a, *b;
	size_t	 na, nb;

	(void)state;
	snprintf(in, sizeof in, "%s/in.pcap", dir);
	write_capture(in);
	export_while_rereading(in, "ref");
	gzip_file(in, gz, sizeof gz);
	export_while_rereading(gz, "gzip");
	snprintf(ref, sizeof ref, "%s/alone-ref.pcap", dir);
	a = slurp(ref, &na);
	snprintf(ref, sizeof ref, "%s/alone-gzip.pcap", dir);
	b = slurp(ref, &nb);
	assert_int_equal(nb, na);
	assert_memory_equal(a, b, na);
	free(a);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_while_rereading),
		cmocka_unit_test(test_reread_seeks),
		cmocka_unit_test(test_reread_cut_records),
		cmocka_unit_test(test_export_while_rereading_gzip),
	};

	return (run_in_tmpdir(dir, tests));
}
