/* config.c - the named settings of SPEC §9: defaults, --set, config file. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* A config file larger than this is refused (a mistake, not settings). */
#define CONFIG_MAX_BYTES	(1024 * 1024)

/*
 * The range of every numeric setting, in its unit, and the decimals it
 * takes: one check for --set and the config file alike.  Settings not
 * listed (net.home) have no range.
 */
static const struct config_range {
	const char	*name;
	uint64_t	 min, max;
	unsigned	 decimals;
} config_ranges[] = {
	{ "session.idle_timeout", 0, 1000000000, 9 },
	{ "session.tcp_linger", 0, 1000000000, 9 },
	{ "session.split_bytes", 1, UINT64_MAX, 0 },
	{ "session.split_time", 0, 1000000000, 9 },
	{ "session.max_open", 0, 1000000000, 0 },
	{ "ip.frag_timeout", 0, 1000000000, 9 },
	{ "ip.frag_max", 1, 1 << 24, 0 },
	{ "parse.enabled", 0, 1, 0 },
	{ "parse.thread", 0, 1, 0 },
	{ "cpu.pair", 0, 1, 0 },
	{ "dns.long_query", 0, UINT32_MAX, 0 },
	{ "dns.long_label", 0, UINT32_MAX, 0 },
	{ "dns.large_answer", 0, UINT32_MAX, 0 },
	{ "dns.encoded_label", 0, UINT32_MAX, 0 },
	{ "dns.entropy", 0, 8, 2 },
	{ "dns.txt_encoded", 0, UINT32_MAX, 0 },
	{ "dns.low_ttl", 0, UINT32_MAX, 0 },
	{ "dns.consonants", 0, UINT32_MAX, 0 },
	{ "dns.many_names", 0, UINT32_MAX, 0 },
	{ "icmp.size_variants", 0, UINT32_MAX, 0 },
	{ "icmp.unmatched_replies", 0, 100, 0 },
	{ "icmp.text_scan", 0, UINT32_MAX, 0 },
	{ "tls.offered_ciphers", 0, 1, 0 },
};

/*
 * Whether a value is a number outside its setting's range: digits with
 * at most the decimals the setting takes, a minus sign allowed so that
 * -1 reads as below the range.  Anything else is left to the setting's
 * own parser (which calls it not a valid value).
 */
static bool
config_out_of_range(const struct config_range *cr, const char *v)
{
	bool		 neg = *v == '-', big = false, frac = false;
	uint64_t	 whole = 0;
	size_t		 i = neg, nd = 0, nf = 0;
	unsigned	 d;

	for (; v[i] >= '0' && v[i] <= '9'; i++, nd++) {
		d = (unsigned)(v[i] - '0');
		if (whole > (UINT64_MAX - d) / 10)
			big = true;
		else
			whole = whole * 10 + d;
	}
	if (v[i] == '.' && nd > 0) {
		for (i++; v[i] >= '0' && v[i] <= '9'; i++, nf++)
			frac |= v[i] != '0';
		if (nf == 0 || nf > cr->decimals)
			return (false);
	}
	if (nd == 0 || v[i] != '\0')
		return (false);
	if (neg)
		return (whole != 0 || frac);
	return (big || whole < cr->min || whole > cr->max ||
	    (whole == cr->max && frac));
}

/* Check a value against its setting's range, if it has one. */
static bool
config_range_check(const char *name, const char *v, char **cause)
{
	const struct config_range	*cr;
	size_t				 i;

	for (i = 0; i < sizeof config_ranges / sizeof config_ranges[0]; i++) {
		cr = &config_ranges[i];
		if (strcmp(cr->name, name) != 0 || !config_out_of_range(cr, v))
			continue;
		xasprintf(cause, "'%s' is out of range for %s (%llu-%llu)",
		    esc_str(v), esc_str(name), (unsigned long long)cr->min,
		    (unsigned long long)cr->max);
		return (false);
	}
	return (true);
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
	if (!config_range_check(name, v, cause))
		return (false);
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
		if ((ok = parse_u64(v, strlen(v), &u)))
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

/* What keeps a config file from being read, or NULL. */
static const char *
config_unfit(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return ("is a directory");
	if (S_ISFIFO(st->st_mode))
		return ("is a FIFO");
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		return ("is a device");
	if (!S_ISREG(st->st_mode))
		return ("is not a regular file");
	if (st->st_size > CONFIG_MAX_BYTES)
		return ("is larger than 1 MiB");
	return (NULL);
}

/*
 * Open a config file for reading: a regular file of at most 1 MiB (opened
 * without blocking, so a FIFO cannot hang).  NULL with *cause, or with
 * errno ENOENT when there is none.
 */
static FILE *
config_open(const char *path, char **cause)
{
	struct stat	 st;
	const char	*why;
	FILE		*f;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		if (errno != ENOENT)
			xasprintf(cause, "%s: %s", esc_str(path), strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &st) != 0)
		why = strerror(errno);
	else if ((why = config_unfit(&st)) == NULL &&
	    (f = fdopen(fd, "r")) != NULL)
		return (f);
	else if (why == NULL)
		why = strerror(errno);
	xasprintf(cause, "%s: %s; not read as a config file",
	    esc_str(path), why);
	close(fd);
	errno = 0;
	return (NULL);
}

/* Apply one line of a config file; false with *cause naming FILE:LINE. */
static bool
config_line(struct engine_config *cfg, const char *path, size_t lineno,
    char *line, size_t len, char **cause)
{
	char	*s, *why = NULL;
	size_t	 nul = strlen(line);

	if (nul < len) {
		xasprintf(cause, "%s:%zu:%zu: NUL byte", esc_str(path), lineno,
		    nul + 1);
		return (false);
	}
	s = config_trim(line);
	if (*s == '\0' || *s == '#')
		return (true);
	if (engine_config_set(cfg, s, &why))
		return (true);
	xasprintf(cause, "%s:%zu: %s", esc_str(path), lineno, why);
	free(why);
	return (false);
}

/* Read a config file of NAME=VALUE lines; a missing file is fine. */
bool
engine_config_load(struct engine_config *cfg, const char *path, char **cause)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 cap = 0, lineno = 0, total = 0;
	ssize_t	 n;
	bool	 ok = true;

	*cause = NULL;
	if ((f = config_open(path, cause)) == NULL)
		return (*cause == NULL);
	while (ok && (n = getline(&line, &cap, f)) != -1) {
		lineno++;
		total += (size_t)n;
		if (total > CONFIG_MAX_BYTES) {	/* it grew while read */
			xasprintf(cause, "%s: is larger than 1 MiB; not read "
			    "as a config file", esc_str(path));
			ok = false;
		} else
			ok = config_line(cfg, path, lineno, line, (size_t)n,
			    cause);
	}
	free(line);
	fclose(f);
	return (ok);
}
