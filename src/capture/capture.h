/*
 * capture.h - the inputs named with -r, read through libpcap as one stream.
 *
 * Contract:
 * - capture_add() expands an argument (a file, or a directory's regular
 *   files in bytewise name order) into inputs; capture_run() reads them in
 *   that order and calls the packet function for every record, with a
 *   global 0-based ordinal that export later uses to find it again.
 * - Problems are reported through the message function, one line each,
 *   already naming the file: errors (the input yielded no packet, or
 *   libpcap rejected it) and warnings (a truncated tail, a skipped file in
 *   a directory).  capture_errors() counts the errors.
 * - Packet data passed to the function is valid only during the call.
 * - Only this module and export include <pcap.h>.
 */
#ifndef HUNTCON_CAPTURE_H
#define HUNTCON_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

/* One capture file. */
struct capture_input {
	char		*path;		/* as given, or directory/name */
	char		*arg;		/* the -r argument it came from */
	int		 dlt;		/* libpcap link type */
	uint8_t		 prec;		/* 6 or 9 timestamp digits */
	bool		 pcapng;
	uint64_t	 first;		/* ordinal of its first packet */
	uint64_t	 packets;	/* records read */
	uint64_t	 bytes;		/* file size */
};

/* One record. */
struct capture_packet {
	uint64_t	 ordinal;
	uint64_t	 ts;		/* ns since the epoch */
	uint32_t	 caplen;
	uint32_t	 wirelen;
	const uint8_t	*data;
	uint16_t	 input;		/* index into the inputs */
	int		 dlt;
	uint8_t		 prec;
};

enum capture_level { CAPTURE_WARNING, CAPTURE_ERROR };

typedef void (*capture_msg_fn)(enum capture_level, const char *, void *);
/* Returns false to stop reading. */
typedef bool (*capture_packet_fn)(const struct capture_packet *, void *);

struct capture;

struct capture	*capture_new(capture_msg_fn, void *);
void		 capture_free(struct capture *);
/* Add a -r argument; problems found now are reported at once. */
void		 capture_add(struct capture *, const char *);
/* Read every input in order. */
void		 capture_run(struct capture *, capture_packet_fn, void *);
/* The inputs, in reading order. */
size_t		 capture_ninputs(const struct capture *);
const struct capture_input *capture_input(const struct capture *, size_t);
/* Errors reported so far (an input that yielded nothing counts once). */
unsigned int	 capture_errors(const struct capture *);
/* Bytes of all inputs, and bytes read so far (progress). */
uint64_t	 capture_total_bytes(const struct capture *);
uint64_t	 capture_done_bytes(const struct capture *);
/* Whether any input has nanosecond timestamps. */
bool		 capture_any_ns(const struct capture *);

/*
 * Read the records with the given ordinals again, in capture order: sel(o)
 * says whether ordinal o is wanted.  Used by export.
 */
typedef bool (*capture_select_fn)(uint64_t, void *);
void		 capture_reread(struct capture *, capture_select_fn,
		    capture_packet_fn, void *);

#endif
