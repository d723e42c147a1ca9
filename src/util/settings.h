/*
 * settings.h - the row type of the settings table (SPEC §9) and the
 * parsers' thresholds, below both the engine that owns the table and the
 * parsers that read the thresholds.
 *
 * Contract:
 * - One row per setting says everything about it: name, type, range,
 *   default, unit, help and where its value lives (an offset into struct
 *   engine_config or into struct parse_settings).  --set, the config file,
 *   --keys and the man page's list all come from the one table
 *   (engine_settings() in src/engine/config.c).
 * - Every setting but a list (of networks, of meta keys) has a range, in
 *   its unit, judged alike for all: a number outside it is "out of
 *   range", anything else its type does not read is "not a valid value".
 *   A list of keys is judged name by name against the meta registry.
 */
#ifndef HUNTCON_SETTINGS_H
#define HUNTCON_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

/* How a setting's value is written and kept. */
enum setting_type {
	SETTING_SECONDS,	/* seconds, up to 9 decimals; kept as ns */
	SETTING_COUNT,		/* a whole number */
	SETTING_BYTES,		/* a whole number of bytes */
	SETTING_FLAG,		/* exactly 0 or 1; kept as a bool */
	SETTING_HUNDREDTHS,	/* up to 2 decimals; kept times 100 */
	SETTING_NETWORKS,	/* comma-separated CIDRs; no range */
	SETTING_DURATION,	/* seconds, or with s, m, h or d; kept as ns */
	SETTING_KEYS		/* comma-separated meta key names; no range;
				   kept as the names joined by "," (char *) */
};

/* Which struct a setting's value lives in. */
enum setting_scope {
	SETTING_ENGINE,		/* struct engine_config */
	SETTING_PARSE		/* struct parse_settings */
};

/* A row of the settings table. */
struct setting {
	const char		*name;
	enum setting_type	 type;
	uint64_t		 min, max;	/* in its unit */
	const char		*def;		/* as written; "" for none */
	const char		*unit;
	const char		*help;
	enum setting_scope	 scope;
	size_t			 offset;	/* in its struct */
	size_t			 size;
};

/* The parsers' thresholds (dns.*, icmp.*, tls.*). */
struct parse_settings {
	uint32_t	 dns_long_query;	/* name longer */
	uint32_t	 dns_long_label;	/* label longer */
	uint32_t	 dns_large_answer;	/* response larger */
	uint32_t	 dns_encoded_label;	/* labels tested */
	uint32_t	 dns_entropy;		/* x 100, at least */
	uint32_t	 dns_txt_encoded;	/* TXT tested */
	uint32_t	 dns_low_ttl;		/* TTL at most */
	uint32_t	 dns_consonants;	/* run, at least */
	uint32_t	 dns_many_names;	/* names, at least */
	uint32_t	 icmp_size_variants;	/* sizes, at least */
	uint32_t	 icmp_unmatched;	/* percent unmatched */
	uint32_t	 icmp_text_scan;	/* bytes searched */
	uint32_t	 tls_offered;		/* offered suites */
};

#endif
