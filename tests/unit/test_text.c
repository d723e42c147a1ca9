/*
 * test_text.c - SPEC §6 escaping: a table of input bytes and what
 * esc_text, esc_guard and esc_msg make of them, each boundary of the hidden
 * code points on both sides.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/util.h"

/* One row: input bytes (with their length, for NULs) and the escaped text. */
struct esc_case {
	const char	*in;
	size_t		 n;
	const char	*out;
};
#define ROW(in, out)	{ in, sizeof in - 1, out }

static const struct esc_case esc_cases[] = {
	ROW("", ""),
	ROW("plain ascii ~!", "plain ascii ~!"),
	ROW("back\\slash", "back\\\\slash"),
	ROW("t\tl\nr\r", "t\\tl\\nr\\r"),
	ROW("\x1b[2J\x07", "\\x1b[2J\\x07"),
	ROW("nul\0x", "nul\\x00x"),
	ROW("del\x7f", "del\\x7f"),
	/* C1 controls U+0080-U+009F; U+00A0 and é are printable. */
	ROW("\xc2\x80|\xc2\x85|\xc2\x9f", "\\xc2\\x80|\\xc2\\x85|\\xc2\\x9f"),
	ROW("\xc2\xa0|caf\xc3\xa9", "\xc2\xa0|caf\xc3\xa9"),
	/* Zero-width U+200B-U+200F; U+200A and U+2010 stay. */
	ROW("\xe2\x80\x8a|\xe2\x80\x8b|\xe2\x80\x8f|\xe2\x80\x90",
	    "\xe2\x80\x8a|\\xe2\\x80\\x8b|\\xe2\\x80\\x8f|\xe2\x80\x90"),
	/* Bidi embeddings and overrides U+202A-U+202E; U+2029, U+202F stay. */
	ROW("\xe2\x80\xa9|\xe2\x80\xaa|\xe2\x80\xae|\xe2\x80\xaf",
	    "\xe2\x80\xa9|\\xe2\\x80\\xaa|\\xe2\\x80\\xae|\xe2\x80\xaf"),
	ROW("inv\xe2\x80\xae" "fdp.pcap", "inv\\xe2\\x80\\xaefdp.pcap"),
	/* U+2060-U+2064 and isolates U+2066-U+2069; U+205F, U+2065, U+206A
	 * stay. */
	ROW("\xe2\x81\x9f|\xe2\x81\xa0|\xe2\x81\xa4|\xe2\x81\xa5",
	    "\xe2\x81\x9f|\\xe2\\x81\\xa0|\\xe2\\x81\\xa4|\xe2\x81\xa5"),
	ROW("\xe2\x81\xa6|\xe2\x81\xa9|\xe2\x81\xaa",
	    "\\xe2\\x81\\xa6|\\xe2\\x81\\xa9|\xe2\x81\xaa"),
	/* U+FEFF; U+FEFE and U+FFFD stay. */
	ROW("\xef\xbb\xbf|\xef\xbb\xbe|\xef\xbf\xbd",
	    "\\xef\\xbb\\xbf|\xef\xbb\xbe|\xef\xbf\xbd"),
	/* A four-byte character stays. */
	ROW("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"),
	/* Not UTF-8: stray bytes, overlong, surrogate, cut at the end. */
	ROW("\xff\xfe\x80", "\\xff\\xfe\\x80"),
	ROW("\xc0\xaf|\xe0\x80\xaf", "\\xc0\\xaf|\\xe0\\x80\\xaf"),
	ROW("\xed\xa0\x80", "\\xed\\xa0\\x80"),
	ROW("end\xe2\x80", "end\\xe2\\x80"),
	ROW("\xc3\x28", "\\xc3("),
};

/* Escape one row's input with fn into a new string. */
static char *
run(void (*fn)(struct buf *, const void *, size_t), const struct esc_case *c)
{
	struct buf	 b;

	buf_init(&b);
	fn(&b, c->in, c->n);
	return (buf_take(&b));
}

/* esc_text gives each row's output. */
static void
test_esc_text(void **state)
{
	size_t	 i;
	char	*s;

	(void)state;
	for (i = 0; i < nitems(esc_cases); i++) {
		s = run(esc_text, &esc_cases[i]);
		assert_string_equal(s, esc_cases[i].out);
		free(s);
	}
}

/*
 * esc_guard leaves escaped text as it is (every row's output is a fixed
 * point) and escapes raw input as esc_text does but for '\'.
 */
static void
test_esc_guard(void **state)
{
	struct esc_case	 c;
	size_t		 i;
	char		*s;

	(void)state;
	for (i = 0; i < nitems(esc_cases); i++) {
		c.in = esc_cases[i].out;
		c.n = strlen(c.in);
		s = run(esc_guard, &c);
		assert_string_equal(s, esc_cases[i].out);
		free(s);
	}
	c.in = "a\\x85\xc2\x85\n\\";
	c.n = strlen(c.in);
	s = run(esc_guard, &c);
	assert_string_equal(s, "a\\x85\\xc2\\x85\\n\\");
	free(s);
}

/* esc_msg cuts after ESC_MSG_MAX bytes of escaped text, never inside an
 * escape or a character, and leaves shorter text whole. */
static void
test_esc_msg(void **state)
{
	char		 in[400], want[400];
	const char	*s;
	size_t		 i;

	(void)state;
	memset(in, 'a', ESC_MSG_MAX);
	in[ESC_MSG_MAX] = '\0';
	s = esc_str(in);
	assert_string_equal(s, in);
	/* 199 plain bytes, then RLO: its first escape would pass 200. */
	in[ESC_MSG_MAX - 1] = '\0';
	strcat(in, "\xe2\x80\xae" "tail");
	memset(want, 'a', ESC_MSG_MAX - 1);
	strcpy(want + ESC_MSG_MAX - 1, "...");
	s = esc_str(in);
	assert_string_equal(s, want);
	/* 198 plain bytes and é (2 bytes) fit; the next byte does not. */
	in[ESC_MSG_MAX - 2] = '\0';
	strcat(in, "\xc3\xa9" "b");
	memcpy(want, in, ESC_MSG_MAX);
	strcpy(want + ESC_MSG_MAX, "...");
	s = esc_str(in);
	assert_string_equal(s, want);
	/* Escapes count as what they print: 50 ESC are 200 bytes. */
	for (i = 0; i < 51; i++)
		in[i] = '\x1b';
	in[51] = '\0';
	s = esc_str(in);
	assert_int_equal(strlen(s), 200 + 3);
	assert_memory_equal(s + 196, "\\x1b...", 8);
	/* ESC_SLOTS pieces of one message stay apart. */
	s = esc_str("one\r");
	for (i = 1; i < ESC_SLOTS; i++)
		assert_string_equal(esc_str("\xc2\x85"), "\\xc2\\x85");
	assert_string_equal(s, "one\\r");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_esc_text),
		cmocka_unit_test(test_esc_guard),
		cmocka_unit_test(test_esc_msg),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
