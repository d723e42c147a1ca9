/*
 * record.h - a closed session as a compact record of bytes (record.c), the
 * store's form of it.
 *
 * Contract: record_pack() writes a session at p, at most record_bound()
 * bytes, and returns its size; record_unpack() fills a session from a
 * record: a read-only view whose packet index, extra meta and larger sets
 * point into the record (never session_free it; session_meta_own() before
 * changing its meta).  record_prepare() pools what packing will (the
 * MACs), on the thread that writes the value pool.
 */
#ifndef HUNTCON_RECORD_H
#define HUNTCON_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "session/session.h"

size_t		 record_bound(const struct session *);
size_t		 record_pack(const struct session *, uint8_t *);
void		 record_unpack(const uint8_t *, uint64_t id, struct session *);
void		 record_prepare(struct session *);
/* A bit of a record's first byte that packing leaves to its owner. */
#define RECORD_FREE_BIT	0x80

#endif
