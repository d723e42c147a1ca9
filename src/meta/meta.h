/*
 * meta.h - the meta model: typed values, the key registry, and the reader
 * interface through which queries, rules, counts and batch output see a
 * session's meta without knowing how it is stored.
 *
 * Contract:
 * - Key ids are small integers.  The core keys have fixed ids (enum
 *   meta_core); keys created at run time (an alert key not in the registry)
 *   get the next ids.  A key id is valid for the life of the process.
 * - Names are matched with ASCII case folded; aliases resolve to their key.
 * - A struct mval never owns memory: text points into storage owned by the
 *   store or session and lives as long as that does.
 */
#ifndef HUNTCON_META_H
#define HUNTCON_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

enum mtype {
	MT_UINT = 0,		/* 64-bit unsigned */
	MT_IPV4,		/* 4 bytes, network order, in ip[0..3] */
	MT_IPV6,		/* 16 bytes, network order */
	MT_MAC,			/* 6 bytes */
	MT_TEXT,		/* bytes as seen, not NUL-terminated */
	MT_TIME,		/* nanoseconds since the epoch, UTC */
};

/* One value of a key. */
struct mval {
	uint8_t		 type;		/* enum mtype */
	uint8_t		 prec;		/* MT_TIME: 6 (µs) or 9 (ns) digits */
	union {
		uint64_t	 u;	/* MT_UINT, MT_TIME */
		uint8_t		 ip[16];/* MT_IPV4 (first 4), MT_IPV6 */
		uint8_t		 mac[6];
		struct {
			const char	*p;
			uint32_t	 n;
		} text;
	};
};

/* Key flags. */
#define MK_MULTI	0x1	/* more than one value per session possible */
#define MK_HUNTING	0x2	/* a hunting key: values are indicator names */
#define MK_DYNAMIC	0x4	/* created at run time, not in the table */

/* A registry entry. */
struct meta_key {
	const char		*name;
	uint8_t			 type;		/* enum mtype */
	uint8_t			 flags;		/* MK_* */
	const char		*desc;		/* one line */
	const char *const	*values;	/* hunting keys: values parsers
						   write, NULL-terminated; or
						   NULL */
};

/* Fixed ids of the core keys, in registry order. */
enum meta_core {
	K_SESSIONID = 0,
	K_TIME,
	K_LIFETIME,
	K_SIZE,
	K_PAYLOAD,
	K_REQPAYLOAD,
	K_RESPAYLOAD,
	K_PAYLOAD_RATIO_REQ,
	K_PACKETS,
	K_STREAMS,
	K_MEDIUM,
	K_ETH_SRC,
	K_ETH_DST,
	K_ETH_TYPE,
	K_VLAN_ID,
	K_IP_SRC,
	K_IP_DST,
	K_IPV6_SRC,
	K_IPV6_DST,
	K_IP_PROTO,
	K_TCP_SRCPORT,
	K_TCP_DSTPORT,
	K_UDP_SRCPORT,
	K_UDP_DSTPORT,
	K_TCP_FLAGS,
	K_TCPFLAGS,
	K_ICMP_TYPE,
	K_ICMP_CODE,
	K_SERVICE,
	K_DIRECTION,
	K_SESSION_SPLIT,
	K_SESSION_FIRST,
	K_SESSION_CLOSE,
	K_DID,
	K_PACKETS_MISSING,
	K_NCORE			/* first id after the session-record keys */
};

/* Number of keys now registered (table plus dynamic). */
int	 meta_nkeys(void);
/* The entry for a key id; NULL when out of range. */
const struct meta_key *meta_key(int);
/* Find a key or alias by name (case folded); -1 when unknown. */
int	 meta_find(const char *, size_t);
/*
 * Find or create a key.  An existing key is returned as it is; a new one is
 * created with the given type and MK_DYNAMIC|MK_MULTI.
 */
int	 meta_intern(const char *, size_t, enum mtype);
/* Name of a type ("uint", "ipv4" ...). */
const char *meta_type_name(enum mtype);

/*
 * Append the printable form of a value: uint in decimal, IPv4 dotted,
 * IPv6 as RFC 5952, MAC lower-case with colons, time as
 * YYYY-MM-DDTHH:MM:SS.ffffff[fff]Z, text escaped as SPEC §6 says.
 */
void	 mval_format(struct buf *, const struct mval *);
/*
 * Compare two values of one type for sorting: numeric for uint, time and
 * addresses, bytewise with ASCII case folded for text.
 */
int	 mval_cmp(const struct mval *, const struct mval *);
/* Equality as queries and grouping see it (text folds ASCII case). */
bool	 mval_eq(const struct mval *, const struct mval *);
/* A hash consistent with mval_eq. */
uint64_t mval_hash(const struct mval *);

/*
 * The value pool (pool.c): bytes of meta values kept once per distinct byte
 * string for the life of the process, named by a 32-bit id.  One writer at
 * a time (the engine's thread, or the console's when rules are re-applied);
 * any thread may read an id that reached it through a release/acquire
 * publication (a stored session).  get returns the bytes, NUL-terminated.
 */
uint32_t	 meta_pool_put(const void *, uint32_t);
const char	*meta_pool_get(uint32_t, uint32_t *);

/*
 * How a client reads meta.  values() writes up to max values of key for the
 * item into out (first-seen order) and returns how many the item has in all
 * (which may exceed max).  item is whatever the reader's owner indexes by.
 */
struct meta_reader {
	size_t	(*values)(const struct meta_reader *, uint64_t item, int key,
		    struct mval *out, size_t max);
	void	*ctx;
};

#endif
