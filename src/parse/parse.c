/* parse.c - dispatch of packets to the protocol parsers. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "parse/parse.h"

static const struct engine_setting parse_setting_table[] = {
	{ NULL, NULL, NULL, NULL }
};

/* Look at one packet of a session. */
void
parse_packet(struct session *s, const struct decoded *d, int side,
    uint64_t ts)
{
	(void)s; (void)d; (void)side; (void)ts;
}

/* Write the parsers' meta when a session closes. */
void
parse_close(struct session *s)
{
	parse_free(s);
}

/* Free the parsers' state of a session. */
void
parse_free(struct session *s)
{
	s->parse = NULL;
}

/* Apply a parser setting by name. */
int
parse_setting_set(const char *name, const char *value, char **cause)
{
	(void)name; (void)value; (void)cause;
	return (0);
}

/* The parser settings. */
const struct engine_setting *
parse_settings(void)
{
	return (parse_setting_table);
}
