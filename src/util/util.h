/*
 * util.h - allocation that never fails, growable buffers, text escaping,
 * ASCII case folding and small integer codecs shared by every layer.
 *
 * Allocation failure is fatal: xmalloc and friends print the size asked for
 * and exit(1) after running the registered fatal hook (the console uses it to
 * restore the terminal).  Expected failures are returned as messages by the
 * callers, never through these functions.
 */
#ifndef HUNTCON_UTIL_H
#define HUNTCON_UTIL_H

#include <sys/types.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <stdio.h>

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xcalloc_lines(size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 xvasprintf(char **, const char *, va_list);

/* Print "huntcon: MESSAGE" and exit(1), after the fatal hook. */
void	 fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/* Called once before a fatal exit (restores the terminal in the console). */
void	 fatal_set_hook(void (*)(void));
/* Make the directories above a file (mode for the new ones); errors are
 * left to whoever opens the file. */
void	 make_parents(const char *, unsigned int);
/*
 * Finish writing a stream: flush it, then with FILE_SYNC sync it to the
 * disk when it is a regular file, with FILE_CLOSE close it.  err is the
 * errno of a write that failed before (0 if none).  False with *cause
 * (caller frees) as "NAME: REASON" when any write failed, now or earlier.
 */
#define FILE_SYNC	0x1
#define FILE_CLOSE	0x2
bool	 file_finish(FILE *, const char *name, int flags, int err,
	    char **cause);
/* Sync the directory a file was just renamed into, so the rename lasts
 * (best effort: a directory that cannot be opened is left). */
void	 file_sync_dir(const char *path);
/*
 * Open a new temporary beside target to write its replacement: made with
 * mkstemp (O_EXCL, ".NAME.XXXXXX", a name no one can guess), given the
 * mode of the file it replaces (and its owner with keep_owner, when this
 * user may give it), or fresh for a new file.  *tmp (caller frees) names
 * it; NULL with errno set when it cannot be made or set up (then it is
 * removed and *tmp is NULL).
 */
FILE	*file_tmp_open(const char *target, mode_t fresh, bool keep_owner,
	    char **tmp);

/*
 * The directory of bundled data SUB ("rules", "themes"), which the caller
 * frees: $ENV when set and not empty; else PREFIX/share/huntcon/SUB when
 * the running binary is PREFIX/bin/huntcon and that directory exists (an
 * installed or staged tree, wherever it was moved); else FALLBACK, the
 * source tree's directory the build put in.
 */
char	*datadir_path(const char *env, const char *sub, const char *fallback);
/*
 * The user's file NAME ("huntcon.conf", "rules/user.nwr"), which the
 * caller frees: $XDG_CONFIG_HOME/huntcon/NAME, or ~/.config/huntcon/NAME.
 */
/* A clock's time in ns (CLOCK_MONOTONIC, CLOCK_REALTIME, a CPU clock). */
uint64_t clock_ns(clockid_t);
char	*datadir_config(const char *name);
/*
 * The user's cache NAME ("spool/RUN"), which the caller frees:
 * $XDG_CACHE_HOME/huntcon/NAME, or ~/.cache/huntcon/NAME.
 */
char	*datadir_cache(const char *name);
/* Make the missing directories above a path (mode 0700); false with *cause. */
bool	 datadir_mkparents(const char *, char **);

/*
 * A growable byte buffer.  The contents are always NUL-terminated (the NUL is
 * not counted in len), so b.s can be used as a C string when no NUL was added.
 */
struct buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_reserve(struct buf *, size_t);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addc(struct buf *, char);
void	 buf_adds(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Hand the contents to the caller (who frees them) and reset. */
char	*buf_take(struct buf *);
/* Append a duration (ns) in its largest whole unit: 2d, 6h, 30m, 90s. */
void	 buf_duration(struct buf *, uint64_t);

/*
 * Append bytes escaped as SPEC §6 says: '\' -> "\\", TAB -> "\t", LF -> "\n",
 * CR -> "\r"; any other control byte, 0x7f, byte that is not part of valid
 * UTF-8, and each byte of a C1 control, bidi control or invisible format
 * character (utf8_hidden) -> "\xNN" (lower-case hex).  Other valid
 * multi-byte UTF-8 passes through.
 */
void	 esc_text(struct buf *, const void *, size_t);
/*
 * Messages: a piece of input is put in escaped and cut, never escaped again.
 * esc_msg escapes as esc_text does and cuts after ESC_MSG_MAX bytes of
 * escaped text, marked "..."; esc_str and esc_strn return the same in one of
 * ESC_SLOTS buffers of the thread (valid until ESC_SLOTS more calls), for
 * the arguments of a format.  A finished message is printed through
 * esc_guard, which escapes as esc_text but leaves '\' alone, so text
 * already escaped passes unchanged and nothing raw reaches a terminal.
 */
#define ESC_MSG_MAX	200
#define ESC_SLOTS	8
void	 esc_msg(struct buf *, const void *, size_t);
const char *esc_str(const char *);
const char *esc_strn(const void *, size_t);
void	 esc_guard(struct buf *, const void *, size_t);
/* Length of a valid multi-byte UTF-8 sequence at p (n bytes there), or 0. */
size_t	 utf8_len(const unsigned char *, size_t);
/* Whether the valid UTF-8 character at p (length from utf8_len) is hidden. */
bool	 utf8_hidden(const unsigned char *, size_t);
/* Append a JSON string literal (quotes included) of already-escaped text. */
void	 esc_json(struct buf *, const char *, size_t);

/* ASCII case folding: bytes >= 0x80 compare as they are. */
static inline unsigned char
fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}
int	 fold_cmp(const void *, size_t, const void *, size_t);
bool	 fold_eq(const void *, size_t, const void *, size_t);
uint64_t fold_hash(const void *, size_t);

/*
 * Unsigned LEB128 varints.  Encode returns the bytes written (at most 10);
 * inline, since packing a closed session writes a dozen of them.
 */
static inline size_t
varint_put(uint8_t *p, uint64_t v)
{
	size_t	 n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return (n);
}
/* Decode from [p, end); returns bytes read, 0 when the varint runs off end. */
size_t	 varint_get(const uint8_t *, const uint8_t *, uint64_t *);
/*
 * Decode at *p and step past it, without a bound: only for bytes this
 * process wrote with varint_put (a stored session's record).
 */
static inline uint64_t
varint_read(const uint8_t **p)
{
	uint64_t	 v = 0;
	unsigned int	 shift = 0;
	uint8_t		 c;

	do {
		c = *(*p)++;
		v |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	return (v);
}

/* Parse a whole decimal uint64; false on junk, overflow or empty input. */
bool	 parse_u64(const char *, size_t, uint64_t *);

/* cpu.c: helper threads (reader, parsers) on one CPU of two (cpu.pair). */
void	 cpu_share_helpers(bool);
void	 cpu_helper_start(void);

#endif
