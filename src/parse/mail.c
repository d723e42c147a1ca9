/* mail.c - SMTP and FTP by their first bytes (service only). */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>
#include <strings.h>

#include "parse/parse-int.h"

/* First bytes of either side: server greetings and client commands. */
static const char *const banner_tokens[] = {
	"220 ", "220-", "EHLO ", "HELO ", "USER "
};

/* Whether a direction starts with a greeting or a first command. */
static enum parse_sniff
banner_sniff(const uint8_t *p, size_t n)
{
	enum parse_sniff	r, best = PS_NO;
	size_t			i;

	for (i = 0; i < nitems(banner_tokens); i++) {
		r = parse_token(p, n, banner_tokens[i]);
		if (r > best)
			best = r;
	}
	return (best);
}

/* Whether the first line of p mentions word (case folded). */
static bool
banner_mentions(const uint8_t *p, size_t n, const char *word)
{
	size_t	i, w = strlen(word);

	for (i = 0; i + w <= n && p[i] != '\n'; i++) {
		if (strncasecmp((const char *)p + i, word, w) == 0)
			return (true);
	}
	return (false);
}

/* Which protocol a greeting or command names: SMTP, FTP or either. */
static enum parse_proto
banner_kind(const uint8_t *p, size_t n)
{
	if (parse_token(p, n, "EHLO ") == PS_YES ||
	    parse_token(p, n, "HELO ") == PS_YES)
		return (PP_SMTP);
	if (parse_token(p, n, "USER ") == PS_YES)
		return (PP_FTP);
	if (banner_mentions(p, n, "SMTP") || banner_mentions(p, n, "mail"))
		return (PP_SMTP);
	if (banner_mentions(p, n, "FTP"))
		return (PP_FTP);
	return (PP_BANNER);
}

/* A greeting or command says all there is: finish at once. */
static bool
mail_early(struct parse_state *ps)
{
	(void)ps;
	return (true);
}

const struct parse_ops banner_ops = {
	.max = PARSE_SNIFF_MAX,
	.sniff = banner_sniff, .starts = "2EHU", .which = banner_kind
};
const struct parse_ops smtp_ops = {
	.service = 25, .max = PARSE_SNIFF_MAX, .family = PP_BANNER,
	.early = mail_early
};
const struct parse_ops ftp_ops = {
	.service = 21, .max = PARSE_SNIFF_MAX, .family = PP_BANNER,
	.early = mail_early
};
