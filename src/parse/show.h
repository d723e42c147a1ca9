/*
 * show.h - what one packet's payload says, as lines for people (the
 * Session view's decoded view, --packets --decoded): a DNS message's
 * header, questions and records; an HTTP request's or response's first
 * line and headers; a TLS ClientHello's or ServerHello's versions, SNI,
 * ALPN, cipher suites and JA3 or JA3S.  A packet is decoded alone: a head
 * or hello that goes on in the next segment says so.
 */
#ifndef HUNTCON_PARSE_SHOW_H
#define HUNTCON_PARSE_SHOW_H

#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"
#include "util/util.h"

/*
 * Append the lines a decoded packet's payload gives to out, each escaped
 * (esc_text) and ended by LF, the items under a line indented two spaces;
 * the number of lines, 0 when nothing in it is known.
 */
size_t	 parse_show(struct buf *out, const struct decoded *);

/* Lines being written (show.c, showtls.c). */
struct show {
	struct buf	*out;
	size_t		 lines;
};
void	 show_end(struct show *);
void	 show_line(struct show *, const char *);
uint32_t show_num(const uint8_t *, size_t);
/* A TLS hello at the start of a TCP payload; false when there is none. */
bool	 show_tls(struct show *, const struct decoded *);

#endif
