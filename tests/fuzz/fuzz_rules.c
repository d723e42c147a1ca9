/*
 * fuzz_rules.c - libFuzzer target for the rule loader: load the input as
 * one rule file, check that every diagnostic is well formed, run the order
 * check and --fix, apply the rules to a hand-made session, and free.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta/meta.h"
#include "rules/rules.h"
#include "session/session.h"
#include "util/util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Check that every diagnostic sits on a real line and column. */
static void
fuzz_check_diags(const struct ruleset *rs)
{
	const struct rules_diag	*d;
	size_t			 i, len;

	for (i = 0; i < rules_ndiags(rs); i++) {
		d = rules_diag(rs, i);
		if (d->msg == NULL || d->fileidx >= rules_nfiles(rs))
			abort();
		if (d->line == 0 || d->line > rules_file_nlines(rs, d->fileidx))
			abort();
		rules_file_line(rs, d->fileidx, d->line - 1, &len);
		if (d->col > len + 1)
			abort();
	}
}

/* Load, check, fix, apply and free one input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE		*null;
	struct session_ctx	 ctx = { NULL, NULL, 0, NULL, NULL };
	struct meta_reader	 r;
	struct session		 s;
	struct ruleset		*rs;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	rs = rules_load_buffer("fuzz.nwr", (const char *)data, size);
	fuzz_check_diags(rs);
	rules_check(rs, null);
	rules_fix(rs, null);
	memset(&s, 0, sizeof s);
	s.id = 1;
	s.af = 4;
	s.proto = 1;
	s.size = 2000000;
	s.payload[0] = 70000;
	s.seen = 3;
	s.prec = 6;
	s.packets = 100;
	session_reader_init(&r, &ctx);
	rules_apply(rs, &s, &r);
	rules_reapply(rs, &s, &r);
	session_meta_free(&s);
	rules_free(rs);
	return (0);
}
