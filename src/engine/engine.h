/*
 * engine.h - capture -> decode -> sessions -> store, and the settings that
 * steer it (SPEC §9).
 *
 * Contract:
 * - One engine runs on one thread, the only writer of its store.  Packets
 *   come in with engine_packet() in capture order (from capture_run() for
 *   files and interfaces alike), engine_tick() with the wall time at least
 *   every CAPTURE_TICK_NS in live capture; engine_finish() closes what is
 *   still open.  Readers watch the store.
 * - The engine does not own the store or the settings.
 */
#ifndef HUNTCON_ENGINE_H
#define HUNTCON_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"
#include "decode/decode.h"
#include "session/session.h"
#include "store/store.h"
#include "util/settings.h"

struct ruleset;
struct corr_live;

/* A fleet.sensor.NAME setting: where sensor NAME's packets are read. */
struct sensor_place {
	char		*name;
	char		*where;		/* "local:" or "ssh:HOST" */
};

/* Every setting of SPEC §9, and the rules to apply. */
struct engine_config {
	struct session_config	 sess;
	struct decode_config	 dec;
	struct parse_settings	 parse;		/* dns.*, icmp.*, tls.* */
	struct netrange		*home;		/* net.home */
	size_t			 nhome;
	const struct ruleset	*rules;		/* NULL: none; not owned */
	struct corr_live	*corr_live;	/* live correlation (stored
						   sessions join it, ticks
						   slide it), or NULL; not
						   owned */
	bool			 parsers;	/* parse.enabled */
	bool			 parse_thread;	/* parse.thread */
	bool			 cpu_pair;	/* cpu.pair */
	uint64_t		 console_values; /* console.values */
	uint64_t		 retain_ns;	/* store.retain */
	uint64_t		 max_sessions;	/* store.max_sessions */
	struct sensor_place	*sensors;	/* fleet.sensor.NAME */
	size_t			 nsensors;
	char			*ssh_command;	/* fleet.ssh_command, NULL:
						   the default */
	bool			 console_osc52;	/* console.osc52 */
	uint64_t		 console_store_ns; /* console.store_timeout */
	char			*console_columns; /* console.columns: key
						   names joined by ","; ""
						   for none */
};

/*
 * Packet accounting for --stats: read = assigned + sum of reasons; and
 * the sessions closed early at session.max_open.
 */
struct engine_stats {
	uint64_t	 read;
	uint64_t	 assigned;
	uint64_t	 reason[DR_COUNT];
	uint64_t	 held;		/* fragments held right now */
	uint64_t	 max_open;	/* sessions closed at the cap */
};

/* Fill every setting with its default from the settings table. */
void		 engine_config_init(struct engine_config *);
void		 engine_config_free(struct engine_config *);
/* Apply NAME=VALUE; false with *cause set (caller frees) when it is bad. */
bool		 engine_config_set(struct engine_config *, const char *,
		    char **cause);
/*
 * Read a config file of NAME=VALUE lines.  A missing file is fine; a bad
 * line is reported as "FILE:LINE: cause" in *cause.
 */
bool		 engine_config_load(struct engine_config *, const char *,
		    char **cause);
/* The most keys a list of keys (console.columns) holds. */
#define ENGINE_KEYS_MAX	8
/*
 * Read a list of meta key names (comma-separated, blanks around each, an
 * empty name skipped) into keys (at most ENGINE_KEYS_MAX; a repeat is
 * dropped) and *n.  Only keys of the registry's table are taken (not one
 * that rules make at run time, which a config file read before the rules
 * could not know).  False with *cause (caller frees) naming the first
 * name that is not one, and *at its offset in list.
 */
bool		 engine_config_keys(const char *list, int *keys, size_t *n,
		    size_t *at, char **cause);
/*
 * Write NAME=VALUE into the config file path: the first line that sets
 * NAME is replaced and any later one dropped (or the line is appended),
 * every other line kept byte for byte.  The file is written whole to a
 * temporary beside it, synced and renamed over it, so a failed write
 * leaves it as it was.  False with *cause (caller frees) naming the file.
 */
bool		 engine_config_save(const char *path, const char *name,
		    const char *value, char **cause);
/*
 * The settings table, NULL-terminated by name, in the order --keys and
 * the man page list it.
 */
const struct setting *engine_settings(void);

struct engine;

struct engine	*engine_new(const struct engine_config *, struct store *);
void		 engine_free(struct engine *);
void		 engine_packet(struct engine *, const struct capture_packet *);
/* Live capture: the wall time (ns) when no packet comes (see engine.c). */
void		 engine_tick(struct engine *, uint64_t);
void		 engine_finish(struct engine *);
/*
 * Quiet (on the engine's thread, between packets): until its next call
 * the engine writes nothing, so another thread may read the index, the
 * open sessions and the registry and write the value pool.
 */
void		 engine_quiesce(struct engine *);
/* While quiet: the rules for sessions closing from now on. */
void		 engine_set_rules(struct engine *, const struct ruleset *);
/* While quiet: how many sessions are open, and a walk over some. */
uint64_t	 engine_now(const struct engine *);
uint64_t	 engine_open(const struct engine *);
void		 engine_open_walk(const struct engine *,
		    void (*)(struct session *, void *), void *, size_t max);
const struct engine_stats *engine_stats(const struct engine *);
/*
 * What the store keeps, for the status line and --stats: "last 6h,
 * 1.2 M sessions", "at most 500, 320 sessions", "last 6h, at most 500,
 * 320 sessions" or "all, 1234 sessions" (appended to b).  True when
 * retention is on.
 */
bool		 engine_kept(const struct engine *, struct buf *);

#endif
