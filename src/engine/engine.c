/* engine.c - feeding packets through decode and sessions into the store. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <unistd.h>

#include "engine/engine.h"
#include "parse/parse.h"
#include "rules/rules.h"
#include "store/record.h"

#define ENGINE_EXPIRE_NS	1000000000ULL	/* fragment check interval */

/* The store's record format, for the parsers' thread to pack with. */
static const struct parse_packer engine_packer = {
	record_bound, record_pack, record_prepare
};

struct engine {
	struct decoder		*dec;
	struct session_table	*table;
	struct store		*store;
	struct engine_stats	 stats;
	uint64_t		 last_expire;
	const struct ruleset	*rules;
	struct corr_live	*live;		/* live correlation, or NULL */
	uint64_t		 stored_now;	/* the latest start stored */
	bool			 parsers;
	struct parse_ctx	*pc;		/* its parsers' context or NULL */
	struct parse_pipe	*pipe;		/* the parsers' thread, or NULL */
	struct meta_reader	 reader;	/* over one closing session */
};

/* Let the parsers see a packet that joined its session. */
static void
engine_parse(struct session *s, const struct decoded *d, int side,
    uint64_t ts, void *arg)
{
	struct engine	*e = arg;

	parse_packet(e->pc, s, d, side, ts);
}

/* Whether a ruleset has rules to run. */
static bool
engine_rules_run(const struct ruleset *rs)
{
	return (rs != NULL && rules_active(rs) > 0);
}

/*
 * Apply the rules to a session with its parser meta and store it (rec: its
 * record as packed before the rules, still good when they wrote nothing).
 */
static void
engine_store(struct session *s, const uint8_t *rec, void *arg)
{
	struct engine	*e = arg;
	uint64_t	 id = s->id, t = s->t_first;
	uint32_t	 before;

	/* With no rule to run, the meta (the parsers' thread wrote it last)
	   is not read here at all. */
	if (engine_rules_run(e->rules)) {
		before = session_meta_count(s);
		rules_apply(e->rules, s, &e->reader);
		if (session_meta_count(s) != before)
			rec = NULL;
	}
	if (rec != NULL)
		store_add_packed(e->store, s, rec);
	else
		store_add(e->store, s);
	/*
	 * Retention and correlation on the packet clock follow the sessions
	 * as they are stored (the latest start stored): the parsers' thread
	 * may hand them over after the table's clock has moved on (a small
	 * file is all read first), and a session must be judged before
	 * retention lets it go.  The end of input sweeps on the table's.
	 */
	if (t > e->stored_now)
		e->stored_now = t;
	rules_live_add(e->live, id, t);
	rules_live_packet(e->live, e->stored_now);
	store_retain(e->store, e->stored_now, false);
}

/* A block of records the parsers' thread packed: the store keeps it. */
static void
engine_block(uint8_t *b, void *arg)
{
	struct engine	*e = arg;

	store_adopt(e->store, b);
}

/* Finish a closed session's meta and hand it to the store. */
static void
engine_closed(struct session *s, void *arg)
{
	struct engine	*e = arg;

	if (s->closed_by == SCR_MAX_OPEN)
		e->stats.max_open++;
	if (e->pipe != NULL) {
		parse_pipe_close(e->pipe, s);	/* back in engine_store() */
		return;
	}
	if (e->parsers)
		parse_close(e->pc, s);
	engine_store(s, NULL, e);
}

/* Count a fragment that never became part of a datagram. */
static void
engine_lost_fragment(const struct pkt_ref *r, void *arg)
{
	struct engine	*e = arg;

	(void)r;
	e->stats.reason[DR_FRAG_INCOMPLETE]++;
	e->stats.held--;
}

/* Make an engine that fills a store. */
struct engine *
engine_new(const struct engine_config *cfg, struct store *st)
{
	struct engine	*e;

	e = xcalloc(1, sizeof *e);
	e->dec = decoder_new(&cfg->dec);
	cpu_share_helpers(cfg->cpu_pair);
	e->table = session_table_new(&cfg->sess, engine_closed, e);
	e->parsers = cfg->parsers;
	if (e->parsers) {
		e->pc = parse_ctx_new(&cfg->parse);
		session_table_on_packet(e->table, engine_parse,
		    parse_state_size(true), parse_state_size(false));
	}
	if (e->parsers && cfg->parse_thread &&
	    sysconf(_SC_NPROCESSORS_ONLN) > 1)
		e->pipe = parse_pipe_new(e->pc, &engine_packer,
		    store_keeps(st) && !engine_rules_run(cfg->rules),
		    store_keeps(st), engine_store, engine_block, e);
	e->store = st;
	store_retain_set(st, cfg->retain_ns, cfg->max_sessions);
	e->rules = cfg->rules;
	e->live = cfg->corr_live;
	session_reader_init(&e->reader, store_ctx(st));
	return (e);
}

/* Free an engine (not its store). */
void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	parse_pipe_free(e->pipe);
	decoder_free(e->dec);
	session_table_free(e->table);
	parse_ctx_free(e->pc);
	free(e);
}

/* Feed one captured packet. */
void
engine_packet(struct engine *e, const struct capture_packet *p)
{
	struct pkt_ref		 r;
	struct decoded		 d;
	enum decode_reason	 why = DR_NONE;

	e->stats.read++;
	session_table_clock(e->table, p->ts);
	if (session_table_now(e->table) >= e->last_expire + ENGINE_EXPIRE_NS) {
		e->last_expire = session_table_now(e->table);
		decoder_expire(e->dec, e->last_expire, engine_lost_fragment, e);
	}
	r.ordinal = p->ordinal;
	r.ts = p->ts;
	r.wirelen = p->wirelen;
	r.input = p->input;
	switch (decode_packet(e->dec, p->dlt, p->data, p->caplen, &r, &d,
	    &why)) {
	case DECODE_OK:
		e->stats.assigned += d.nfrags != 0 ? d.nfrags : 1;
		if (d.nfrags != 0)
			e->stats.held -= d.nfrags - 1;
		session_table_packet(e->table, &d, &r, p->prec);
		break;
	case DECODE_HELD:
		e->stats.held++;
		break;
	case DECODE_UNASSIGNED:
		/* A datagram that failed counts once per fragment. */
		e->stats.reason[why < DR_COUNT ? why : DR_NOT_IP] +=
		    d.nfrags != 0 ? d.nfrags : 1;
		if (d.nfrags != 0)
			e->stats.held -= d.nfrags - 1;
		break;
	}
	/* Sessions the parsers' thread finished, every few packets: looking
	   takes the cache line the parsers' thread writes. */
	if (e->pipe != NULL && (e->stats.read & 31) == 0)
		parse_pipe_poll(e->pipe);
}

/*
 * Live capture, while the wire is quiet: move the clock to the wall time
 * (idle and linger timeouts close sessions without further packets) and
 * wake the parsers' thread, so that a closed session reaches the store
 * within a tick or two.
 */
void
engine_tick(struct engine *e, uint64_t now)
{
	session_table_clock(e->table, now);
	if (session_table_now(e->table) >= e->last_expire + ENGINE_EXPIRE_NS) {
		e->last_expire = session_table_now(e->table);
		decoder_expire(e->dec, e->last_expire, engine_lost_fragment, e);
	}
	if (e->pipe != NULL)
		parse_pipe_flush(e->pipe);
	rules_live_tick(e->live, now);
	store_retain(e->store, session_table_now(e->table), false);
}

/*
 * Let another thread read the store and the meta registry and write the
 * value pool until the next engine call: every session handed to the
 * parsers' thread is stored and that thread sleeps.
 */
void
engine_quiesce(struct engine *e)
{
	if (e->pipe != NULL)
		parse_pipe_drain(e->pipe);
}

/* Apply these rules to sessions closing from now on (engine quiet). */
void
engine_set_rules(struct engine *e, const struct ruleset *rs)
{
	e->rules = rs;
}

/* The capture clock now (ns): the packets' time, or the wall's live. */
uint64_t
engine_now(const struct engine *e)
{
	return (session_table_now(e->table));
}

/* Sessions open now (engine quiet). */
uint64_t
engine_open(const struct engine *e)
{
	return (session_table_open(e->table));
}

/* Call fn on at most max open sessions (engine quiet). */
void
engine_open_walk(const struct engine *e, void (*fn)(struct session *,
    void *), void *arg, size_t max)
{
	session_table_walk(e->table, fn, arg, max);
}

/* End of input: report held fragments and close every session. */
void
engine_finish(struct engine *e)
{
	decoder_flush(e->dec, engine_lost_fragment, e);
	session_table_flush(e->table);
	if (e->pipe != NULL)
		parse_pipe_drain(e->pipe);
	store_retain(e->store, session_table_now(e->table), true);
}

/* The packet accounting. */
const struct engine_stats *
engine_stats(const struct engine *e)
{
	return (&e->stats);
}

/* A count as the status line shows it: exact below 10,000, then 12.3 k. */
static void
engine_count(struct buf *b, uint64_t n)
{
	if (n < 10000)
		buf_printf(b, "%llu", (unsigned long long)n);
	else if (n < 1000000)
		buf_printf(b, "%.1f k", (double)n / 1e3);
	else
		buf_printf(b, "%.1f M", (double)n / 1e6);
}

/* What the store keeps: "last 6h, 1.2 M sessions" or "all, ...". */
bool
engine_kept(const struct engine *e, struct buf *b)
{
	uint64_t	 age, max;

	store_window(e->store, &age, &max);
	if (!store_keeps(e->store)) {
		buf_adds(b, "none");
		return (false);
	}
	if (age == 0 && max == 0)
		buf_adds(b, "all");
	if (age != 0) {
		buf_adds(b, "last ");
		buf_duration(b, age);
	}
	if (max != 0) {
		buf_adds(b, age != 0 ? ", at most " : "at most ");
		engine_count(b, max);
	}
	buf_adds(b, ", ");
	engine_count(b, store_kept(e->store));
	buf_adds(b, store_kept(e->store) == 1 ? " session" : " sessions");
	return (age != 0 || max != 0);
}
