/* ssh.c - SSH identification banners: client, server and version. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "parse/parse-int.h"

#define SSH_BANNER_MAX	255	/* RFC 4253: the line is at most 255 bytes */

static int	sk_client, sk_server, sk_version;

static const struct parse_key ssh_keys[] = {
	{ "client", &sk_client },
	{ "server", &sk_server },
	{ "version", &sk_version },
	{ NULL, NULL }
};

/* Whether a direction starts with an SSH banner. */
static enum parse_sniff
ssh_sniff(const uint8_t *p, size_t n)
{
	return (parse_token(p, n, "SSH-"));
}

/* Write the banner of one direction and its protocol version. */
static void
ssh_banner(struct session *s, const struct parse_stream *st, bool client)
{
	const uint8_t	*p = st->buf, *nl, *dash;
	size_t		 n = st->contig;

	if (parse_token(p, n, "SSH-") != PS_YES)
		return;
	if (n > SSH_BANNER_MAX)
		n = SSH_BANNER_MAX;
	if ((nl = memchr(p, '\n', n)) != NULL)
		n = (size_t)(nl - p);
	if (n > 0 && p[n - 1] == '\r')
		n--;
	parse_add_text(s, client ? sk_client : sk_server, p, n);
	if ((dash = memchr(p + 4, '-', n - 4)) != NULL && dash > p + 4)
		parse_add_text(s, sk_version, p + 4, (size_t)(dash - p - 4));
}

/* Write the SSH meta of a closing session. */
static void
ssh_close(struct parse_ctx *pc, struct session *s, struct parse_state *ps)
{
	int	i, client = s->initiator >= 0 ? s->initiator : 0;

	(void)pc;	/* every protocol's close() takes its context */
	for (i = 0; i < 2; i++)
		ssh_banner(s, &ps->st[i], i == client);
}

const struct parse_ops ssh_ops = {
	.service = 22, .max = SSH_BANNER_MAX,	/* all ssh_banner() reads */
	.sniff = ssh_sniff, .starts = "S",
	.close = ssh_close, .keys = ssh_keys
};
