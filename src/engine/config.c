/* config.c - the named settings of SPEC §9: defaults, --set, config file. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "parse/parse.h"

/* The settings, in the order the man page lists them. */
static const struct engine_setting engine_setting_table[] = {
	{ "session.idle_timeout", "seconds", "60",
	  "close a session when the capture clock passes its last packet by this" },
	{ "session.tcp_linger", "seconds", "2",
	  "keep a TCP session open this long after FIN both ways or RST" },
	{ "session.split_bytes", "bytes", "33554432",
	  "start a new fragment before a session passes this size" },
	{ "session.split_time", "seconds", "60",
	  "start a new fragment when a packet comes this long after the start" },
	{ "session.max_open", "sessions, 0 for no cap", "500000",
	  "at most this many sessions open at once: at the cap the one idle "
	  "longest closes early (session.close 'max_open')" },
	{ "ip.frag_timeout", "seconds", "30",
	  "give up on an IP datagram whose fragments take longer than this" },
	{ "ip.frag_max", "bytes", "65536",
	  "give up on a fragmented IP datagram larger than this" },
	{ "net.home", "networks", "",
	  "extra internal networks for direction, comma-separated CIDRs" },
	{ "parse.enabled", "0 or 1", "1",
	  "0 skips the protocol parsers: core meta only, faster reading" },
	{ "parse.thread", "0 or 1", "1",
	  "1 writes the parsers' meta on a thread of its own when the machine "
	  "has two cores or more" },
	{ "cpu.pair", "0 or 1", "1",
	  "1 keeps the reading thread and the parsers' thread on one CPU when "
	  "huntcon may use exactly two, leaving the other to the engine" },
	{ NULL, NULL, NULL, NULL }
};

/* The settings table. */
const struct engine_setting *
engine_settings(void)
{
	return (engine_setting_table);
}

/* Parse a 0 or 1 setting. */
static bool
config_flag(const char *v, bool *on)
{
	if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
		return (false);
	*on = *v == '1';
	return (true);
}

/* Parse seconds with an optional fraction ("2", "0.5") into ns. */
static bool
config_seconds(const char *s, uint64_t *ns)
{
	const char	*dot = strchr(s, '.');
	uint64_t	 whole, frac = 0, scale = 1000000000ULL;
	size_t		 i;

	if (!parse_u64(s, dot != NULL ? (size_t)(dot - s) : strlen(s), &whole) ||
	    whole > 1000000000ULL)
		return (false);
	if (dot != NULL) {
		if (dot[1] == '\0' || strlen(dot + 1) > 9)
			return (false);
		for (i = 1; dot[i] != '\0'; i++) {
			if (dot[i] < '0' || dot[i] > '9')
				return (false);
			scale /= 10;
			frac += (uint64_t)(dot[i] - '0') * scale;
		}
	}
	*ns = whole * 1000000000ULL + frac;
	return (true);
}

/* Parse a comma-separated list of networks into the home list. */
static bool
config_nets(struct engine_config *cfg, const char *s, char **cause)
{
	const char	*p = s, *comma;
	size_t		 n;
	struct netrange	 r;

	free(cfg->home);
	cfg->home = NULL;
	cfg->nhome = 0;
	while (*p != '\0') {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		while (n > 0 && *p == ' ')
			p++, n--;
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (!netrange_parse(p, n, &r)) {
			xasprintf(cause, "'%s' is not a network (use CIDR "
			    "like 10.0.0.0/8)", esc_strn(p, n));
			return (false);
		}
		cfg->home = xreallocarray(cfg->home, cfg->nhome + 1,
		    sizeof *cfg->home);
		cfg->home[cfg->nhome++] = r;
		p = comma != NULL ? comma + 1 : p + n;
	}
	return (true);
}

/* Fill the defaults. */
void
engine_config_init(struct engine_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->sess.idle_ns = 60 * 1000000000ULL;
	cfg->sess.linger_ns = 2 * 1000000000ULL;
	cfg->sess.split_bytes = 32 * 1024 * 1024;
	cfg->sess.split_ns = 60 * 1000000000ULL;
	cfg->sess.max_open = ENGINE_MAX_OPEN;
	cfg->dec.frag_timeout_ns = 30 * 1000000000ULL;
	cfg->dec.frag_max = 65536;
	cfg->parsers = true;
	cfg->parse_thread = true;
	cfg->cpu_pair = true;
}

/* Free the settings' memory. */
void
engine_config_free(struct engine_config *cfg)
{
	free(cfg->home);
	cfg->home = NULL;
	cfg->nhome = 0;
}

/* Apply one value to a setting by name. */
static bool
config_apply(struct engine_config *cfg, const char *name, const char *v,
    char **cause)
{
	uint64_t	 u;
	bool		 ok = false;

	if (strcmp(name, "net.home") == 0)
		return (config_nets(cfg, v, cause));
	if (strcmp(name, "session.idle_timeout") == 0)
		ok = config_seconds(v, &cfg->sess.idle_ns);
	else if (strcmp(name, "session.tcp_linger") == 0)
		ok = config_seconds(v, &cfg->sess.linger_ns);
	else if (strcmp(name, "session.split_time") == 0)
		ok = config_seconds(v, &cfg->sess.split_ns);
	else if (strcmp(name, "ip.frag_timeout") == 0)
		ok = config_seconds(v, &cfg->dec.frag_timeout_ns);
	else if (strcmp(name, "session.split_bytes") == 0) {
		if ((ok = parse_u64(v, strlen(v), &u) && u > 0))
			cfg->sess.split_bytes = u;
	} else if (strcmp(name, "session.max_open") == 0) {
		if ((ok = parse_u64(v, strlen(v), &u) && u <= 1000000000))
			cfg->sess.max_open = u;
	} else if (strcmp(name, "parse.enabled") == 0)
		ok = config_flag(v, &cfg->parsers);
	else if (strcmp(name, "parse.thread") == 0)
		ok = config_flag(v, &cfg->parse_thread);
	else if (strcmp(name, "cpu.pair") == 0)
		ok = config_flag(v, &cfg->cpu_pair);
	else if (strcmp(name, "ip.frag_max") == 0) {
		if ((ok = parse_u64(v, strlen(v), &u) && u > 0 && u <= 1 << 24))
			cfg->dec.frag_max = (uint32_t)u;
	} else {
		switch (parse_setting_set(name, v, cause)) {
		case 1:
			return (true);
		case -1:
			return (false);
		}
		xasprintf(cause, "unknown setting '%s' (see huntcon(1))",
		    esc_str(name));
		return (false);
	}
	if (!ok)
		xasprintf(cause, "'%s' is not a valid value for %s",
		    esc_str(v), esc_str(name));
	return (ok);
}

/* Strip blanks and a trailing CR from both ends of a line in place. */
static char *
config_trim(char *s)
{
	size_t	 n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return (s);
}

/* Apply NAME=VALUE. */
bool
engine_config_set(struct engine_config *cfg, const char *arg, char **cause)
{
	const char	*eq = strchr(arg, '=');
	char		*name, *value;
	bool		 ok;

	if (eq == NULL || eq == arg) {
		xasprintf(cause, "'%s' is not NAME=VALUE", esc_str(arg));
		return (false);
	}
	name = xstrndup(arg, (size_t)(eq - arg));
	value = xstrdup(eq + 1);
	ok = config_apply(cfg, config_trim(name), config_trim(value), cause);
	free(value);
	free(name);
	return (ok);
}

/* Read a config file of NAME=VALUE lines; a missing file is fine. */
bool
engine_config_load(struct engine_config *cfg, const char *path, char **cause)
{
	FILE	*f;
	char	*line = NULL, *s, *why = NULL;
	size_t	 cap = 0, lineno = 0;
	bool	 ok = true;

	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return (true);
		xasprintf(cause, "%s: %s", esc_str(path), strerror(errno));
		return (false);
	}
	while (ok && getline(&line, &cap, f) != -1) {
		lineno++;
		s = config_trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (!engine_config_set(cfg, s, &why)) {
			xasprintf(cause, "%s:%zu: %s", esc_str(path), lineno,
			    why);
			free(why);
			ok = false;
		}
	}
	free(line);
	fclose(f);
	return (ok);
}
