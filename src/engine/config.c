/* config.c - the named settings of SPEC §9: defaults, --set, config file. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <sys/stat.h>

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"

/* Where a setting lives: its struct, offset and size. */
#define ENGINE_AT(m)	SETTING_ENGINE, offsetof(struct engine_config, m), \
			sizeof ((struct engine_config *)0)->m
#define PARSE_AT(m)	SETTING_PARSE, offsetof(struct parse_settings, m), \
			sizeof ((struct parse_settings *)0)->m

/* The longest a seconds setting can be. */
#define SECONDS_MAX	1000000000

/*
 * The settings, in the order --keys and the man page list them: the
 * engine's, then the parsers' (dns, icmp, tls).  A threshold's range is
 * that of its 32-bit counter unless it says less.
 */
static const struct setting engine_setting_table[] = {
	{ "session.idle_timeout", SETTING_SECONDS, 0, SECONDS_MAX, "60",
	  "seconds",
	  "close a session when the capture clock passes its last packet "
	  "by this",
	  ENGINE_AT(sess.idle_ns) },
	{ "session.tcp_linger", SETTING_SECONDS, 0, SECONDS_MAX, "2",
	  "seconds",
	  "keep a TCP session open this long after FIN both ways or RST",
	  ENGINE_AT(sess.linger_ns) },
	{ "session.split_bytes", SETTING_BYTES, 1, UINT64_MAX, "33554432",
	  "bytes",
	  "start a new fragment before a session passes this size",
	  ENGINE_AT(sess.split_bytes) },
	{ "session.split_time", SETTING_SECONDS, 0, SECONDS_MAX, "60",
	  "seconds",
	  "start a new fragment when a packet comes this long after the start",
	  ENGINE_AT(sess.split_ns) },
	{ "session.max_open", SETTING_COUNT, 0, 1000000000, "500000",
	  "sessions, 0 for no cap",
	  "at most this many sessions open at once: at the cap the one idle "
	  "longest closes early (session.close 'max_open')",
	  ENGINE_AT(sess.max_open) },
	{ "store.retain", SETTING_DURATION, 0, SECONDS_MAX, "0",
	  "seconds, or with s, m, h or d; 0 keeps all",
	  "keep the sessions whose last packet is at most this old (the "
	  "packet clock for files, the wall clock live); drop the older",
	  ENGINE_AT(retain_ns) },
	{ "store.max_sessions", SETTING_COUNT, 0, UINT32_MAX, "0",
	  "sessions, 0 for no cap",
	  "keep at most this many closed sessions: the newest, dropping the "
	  "oldest",
	  ENGINE_AT(max_sessions) },
	{ "ip.frag_timeout", SETTING_SECONDS, 0, SECONDS_MAX, "30",
	  "seconds",
	  "give up on an IP datagram whose fragments take longer than this",
	  ENGINE_AT(dec.frag_timeout_ns) },
	{ "ip.frag_max", SETTING_BYTES, 1, 1 << 24, "65536",
	  "bytes",
	  "give up on a fragmented IP datagram larger than this",
	  ENGINE_AT(dec.frag_max) },
	{ "net.home", SETTING_NETWORKS, 0, 0, "",
	  "networks",
	  "extra internal networks for direction, comma-separated CIDRs",
	  ENGINE_AT(home) },
	{ "parse.enabled", SETTING_FLAG, 0, 1, "1",
	  "0 or 1",
	  "0 skips the protocol parsers: core meta only, faster reading",
	  ENGINE_AT(parsers) },
	{ "parse.thread", SETTING_FLAG, 0, 1, "1",
	  "0 or 1",
	  "1 writes the parsers' meta on a thread of its own when the machine "
	  "has two cores or more",
	  ENGINE_AT(parse_thread) },
	{ "cpu.pair", SETTING_FLAG, 0, 1, "1",
	  "0 or 1",
	  "1 keeps the reading thread and the parsers' thread on one CPU when "
	  "huntcon may use exactly two, leaving the other to the engine",
	  ENGINE_AT(cpu_pair) },
	{ "console.values", SETTING_COUNT, 0, 1000000, "0",
	  "values, 0 for as many as fit",
	  "values the console's Navigate pane lists under each open key "
	  "before its 'more' line; 0: as many as fit on the screen",
	  ENGINE_AT(console_values) },
	{ "console.osc52", SETTING_FLAG, 0, 1, "1",
	  "0 or 1",
	  "1 lets the console's y copy to the clipboard by writing OSC 52 "
	  "to the terminal (escaped text, base64); 0 turns copying off",
	  ENGINE_AT(console_osc52) },
	{ "console.store_timeout", SETTING_SECONDS, 1, 3600, "30",
	  "seconds",
	  "the console over a store gives up on an answer that takes longer "
	  "than this, and says so (Esc gives up at once)",
	  ENGINE_AT(console_store_ns) },
	{ "console.columns", SETTING_KEYS, 0, 0, "",
	  "meta keys, comma-separated",
	  "extra columns of the console's Events pane, after the fixed ones "
	  "(C in the pane chooses them and writes them here)",
	  ENGINE_AT(console_columns) },
	{ "dns.long_query", SETTING_COUNT, 0, UINT32_MAX, "64",
	  "characters",
	  "'dns long query': a query name longer than this",
	  PARSE_AT(dns_long_query) },
	{ "dns.long_label", SETTING_COUNT, 0, UINT32_MAX, "40",
	  "characters",
	  "'dns long label': a label longer than this",
	  PARSE_AT(dns_long_label) },
	{ "dns.large_answer", SETTING_BYTES, 0, UINT32_MAX, "1024",
	  "bytes",
	  "'dns large answer': a response message larger than this",
	  PARSE_AT(dns_large_answer) },
	{ "dns.encoded_label", SETTING_COUNT, 0, UINT32_MAX, "24",
	  "characters",
	  "labels at least this long are tested for base32, base64, entropy",
	  PARSE_AT(dns_encoded_label) },
	{ "dns.entropy", SETTING_HUNDREDTHS, 0, 8, "4.00",
	  "bits/char",
	  "'dns high entropy label': Shannon entropy at least this",
	  PARSE_AT(dns_entropy) },
	{ "dns.txt_encoded", SETTING_COUNT, 0, UINT32_MAX, "64",
	  "characters",
	  "TXT records at least this long are tested for base36, base64",
	  PARSE_AT(dns_txt_encoded) },
	{ "dns.low_ttl", SETTING_COUNT, 0, UINT32_MAX, "0",
	  "seconds",
	  "'dns low ttl': an answer TTL at most this",
	  PARSE_AT(dns_low_ttl) },
	{ "dns.consonants", SETTING_COUNT, 0, UINT32_MAX, "8",
	  "characters",
	  "'hostname consecutive consonants': a run at least this long",
	  PARSE_AT(dns_consonants) },
	{ "dns.many_names", SETTING_COUNT, 0, UINT32_MAX, "50",
	  "names",
	  "'dns many distinct names': distinct query names, at least",
	  PARSE_AT(dns_many_names) },
	{ "icmp.size_variants", SETTING_COUNT, 0, UINT32_MAX, "3",
	  "sizes",
	  "'icmp payload size varies': distinct echo payload sizes, at least",
	  PARSE_AT(icmp_size_variants) },
	{ "icmp.unmatched_replies", SETTING_COUNT, 0, 100, "10",
	  "percent",
	  "'icmp reply without request': share of replies with no request",
	  PARSE_AT(icmp_unmatched) },
	{ "icmp.text_scan", SETTING_BYTES, 0, UINT32_MAX, "2048",
	  "bytes",
	  "'icmp carries protocol text': payload bytes searched",
	  PARSE_AT(icmp_text_scan) },
	/* A count, not a flag: it has always taken "01" as 1. */
	{ "tls.offered_ciphers", SETTING_COUNT, 0, 1, "0",
	  "0 or 1",
	  "also write the cipher suites a client offers to crypto, not only "
	  "the selected one (costs memory: about a dozen values a session)",
	  PARSE_AT(tls_offered) },
	{ NULL, 0, 0, 0, NULL, NULL, NULL, 0, 0, 0 }
};

/* The settings table. */
const struct setting *
engine_settings(void)
{
	return (engine_setting_table);
}

/* A config file larger than this is refused (a mistake, not settings). */
#define CONFIG_MAX_BYTES	(1024 * 1024)

/* The decimals a setting's type takes. */
static unsigned
config_decimals(const struct setting *se)
{
	switch (se->type) {
	case SETTING_SECONDS:
		return (9);
	case SETTING_HUNDREDTHS:
		return (2);
	default:
		return (0);
	}
}

/*
 * Whether a value is a number outside its setting's range: digits with
 * at most the decimals the setting takes, a minus sign allowed so that
 * -1 reads as below the range.  Anything else is left to the setting's
 * type (which calls it not a valid value).
 */
static bool
config_out_of_range(const struct setting *se, const char *v)
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
		if (nf == 0 || nf > config_decimals(se))
			return (false);
	}
	if (nd == 0 || v[i] != '\0')
		return (false);
	if (neg)
		return (whole != 0 || frac);
	return (big || whole < se->min || whole > se->max ||
	    (whole == se->max && frac));
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

/*
 * Parse a duration: whole seconds, or a number with s, m, h or d, into ns;
 * false when it is not one.  *big says whether it is past max seconds.
 */
static bool
config_duration(const char *v, uint64_t max, uint64_t *ns, bool *big)
{
	static const char	 unit[] = "smhd";
	static const uint64_t	 mul[] = { 1, 60, 3600, 86400 };
	size_t			 n = strlen(v), i = 0;
	const char		*u;
	uint64_t		 whole;

	*big = false;
	if (n > 1 && (u = strchr(unit, v[n - 1])) != NULL)
		i = (size_t)(u - unit), n--;
	if (n == 0 || strspn(v, "0123456789") != n)
		return (false);
	if (!parse_u64(v, n, &whole) || whole > max / mul[i]) {
		*big = true;
		return (true);
	}
	*ns = whole * mul[i] * 1000000000ULL;
	return (true);
}

/* Parse a number with at most two decimals as hundredths ("3.75"). */
static bool
config_hundredths(const char *v, uint64_t *out)
{
	const char	*dot = strchr(v, '.');
	uint64_t	 whole, frac = 0;
	size_t		 nf;

	if (!parse_u64(v, dot != NULL ? (size_t)(dot - v) : strlen(v), &whole))
		return (false);
	if (dot != NULL) {
		nf = strlen(dot + 1);
		if (nf == 0 || nf > 2 || !parse_u64(dot + 1, nf, &frac))
			return (false);
		if (nf == 1)
			frac *= 10;
	}
	if (whole > (UINT32_MAX - frac) / 100)
		return (false);
	*out = whole * 100 + frac;
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

/* The key a column may be, of name p (n bytes), or false with *cause. */
static bool
config_key(const char *p, size_t n, int *key, char **cause)
{
	const struct meta_key	*k;

	*key = meta_find(p, n);
	k = meta_key(*key);
	if (k == NULL) {
		xasprintf(cause, "'%s' is not a meta key (see --keys)",
		    esc_strn(p, n));
		return (false);
	}
	if (k->flags & MK_DYNAMIC) {
		xasprintf(cause, "'%s' is a key rules make, not one of --keys",
		    esc_strn(p, n));
		return (false);
	}
	return (true);
}

/* Read a list of key names; see engine.h. */
bool
engine_config_keys(const char *list, int *keys, size_t *n, size_t *at,
    char **cause)
{
	const char	*p = list, *end;
	size_t		 len, i;
	int		 k;

	for (*n = 0; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		p += strspn(p, " \t");
		end = p + strcspn(p, ",");
		for (len = (size_t)(end - p); len > 0 && (p[len - 1] == ' ' ||
		    p[len - 1] == '\t'); len--)
			;
		if (len == 0)
			continue;
		*at = (size_t)(p - list);
		if (!config_key(p, len, &k, cause))
			return (false);
		for (i = 0; i < *n && keys[i] != k; i++)
			;
		if (i < *n)
			continue;
		if (*n == ENGINE_KEYS_MAX) {
			xasprintf(cause, "more than %d keys", ENGINE_KEYS_MAX);
			return (false);
		}
		keys[(*n)++] = k;
	}
	return (true);
}

/* Set a list of keys: their names as the registry spells them. */
static bool
config_keylist(struct engine_config *cfg, const struct setting *se,
    const char *v, char **cause)
{
	int		 keys[ENGINE_KEYS_MAX];
	size_t		 n, at, i;
	char		*why, **place;
	struct buf	 b;

	if (!engine_config_keys(v, keys, &n, &at, &why)) {
		xasprintf(cause, "%s: %s", esc_str(se->name), why);
		free(why);
		return (false);
	}
	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		buf_adds(&b, meta_key(keys[i])->name);
	}
	place = (char **)(void *)((uint8_t *)cfg + se->offset);
	free(*place);
	*place = buf_take(&b);
	return (true);
}

/* Read a value the way its setting's type writes it, into u. */
static bool
config_value(const struct setting *se, const char *v, uint64_t *u)
{
	bool	 big;

	switch (se->type) {
	case SETTING_SECONDS:
		return (config_seconds(v, u));
	case SETTING_FLAG:
		if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
			return (false);
		*u = *v == '1';
		return (true);
	case SETTING_HUNDREDTHS:
		return (config_hundredths(v, u));
	case SETTING_DURATION:
		return (config_duration(v, se->max, u, &big) && !big);
	default:
		return (parse_u64(v, strlen(v), u) && *u >= se->min &&
		    *u <= se->max);
	}
}

/* Store u in a setting's place, as wide as it is. */
static void
config_store(void *p, size_t size, uint64_t u)
{
	uint32_t	 u32 = (uint32_t)u;
	bool		 on = u != 0;

	if (size == sizeof u)
		memcpy(p, &u, sizeof u);
	else if (size == sizeof u32)
		memcpy(p, &u32, sizeof u32);
	else
		memcpy(p, &on, sizeof on);
}

/* Apply one value to a setting: its range, then its type. */
static bool
config_apply(struct engine_config *cfg, const struct setting *se,
    const char *v, char **cause)
{
	uint8_t		*base;
	uint64_t	 u;
	bool		 big;

	if (se->type == SETTING_NETWORKS)
		return (config_nets(cfg, v, cause));
	if (se->type == SETTING_KEYS)
		return (config_keylist(cfg, se, v, cause));
	if (config_out_of_range(se, v) || (se->type == SETTING_DURATION &&
	    config_duration(v, se->max, &u, &big) && big)) {
		xasprintf(cause, "'%s' is out of range for %s (%llu-%llu)",
		    esc_str(v), esc_str(se->name), (unsigned long long)se->min,
		    (unsigned long long)se->max);
		return (false);
	}
	if (!config_value(se, v, &u)) {
		xasprintf(cause, "'%s' is not a valid value for %s",
		    esc_str(v), esc_str(se->name));
		return (false);
	}
	if (se->scope == SETTING_PARSE)
		base = (uint8_t *)&cfg->parse;
	else
		base = (uint8_t *)cfg;
	config_store(base + se->offset, se->size, u);
	return (true);
}

/* Fill every setting with its default from the table. */
void
engine_config_init(struct engine_config *cfg)
{
	const struct setting	*se;
	char			*cause;

	memset(cfg, 0, sizeof *cfg);
	for (se = engine_setting_table; se->name != NULL; se++) {
		if (!config_apply(cfg, se, se->def, &cause))
			fatal("default of %s: %s", se->name, cause);
	}
}

/* Free the settings' memory. */
void
engine_config_free(struct engine_config *cfg)
{
	size_t	 i;

	free(cfg->home);
	cfg->home = NULL;
	cfg->nhome = 0;
	for (i = 0; i < cfg->nsensors; i++) {
		free(cfg->sensors[i].name);
		free(cfg->sensors[i].where);
	}
	free(cfg->sensors);
	cfg->sensors = NULL;
	cfg->nsensors = 0;
	free(cfg->ssh_command);
	cfg->ssh_command = NULL;
	free(cfg->console_columns);
	cfg->console_columns = NULL;
}

/* Find a setting by name. */
static const struct setting *
config_find(const char *name)
{
	const struct setting	*se;

	for (se = engine_setting_table; se->name != NULL; se++) {
		if (strcmp(se->name, name) == 0)
			return (se);
	}
	return (NULL);
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

/* Set fleet.sensor.NAME (a later one for the same NAME wins). */
static bool
config_sensor(struct engine_config *cfg, const char *name, const char *v,
    char **cause)
{
	struct sensor_place	*sp;
	size_t			 i;

	if (*name == '\0' || (strcmp(v, "local:") != 0 &&
	    (strncmp(v, "ssh:", 4) != 0 || v[4 + strspn(v + 4, "/")] == '\0'))) {
		xasprintf(cause, "fleet.sensor.%s: '%s' is not local: or "
		    "ssh:HOST", esc_str(name), esc_str(v));
		return (false);
	}
	for (i = 0; i < cfg->nsensors; i++) {
		if (strcmp(cfg->sensors[i].name, name) == 0)
			break;
	}
	if (i == cfg->nsensors) {
		cfg->sensors = xreallocarray(cfg->sensors, i + 1,
		    sizeof *cfg->sensors);
		cfg->sensors[cfg->nsensors++].name = xstrdup(name);
	} else
		free(cfg->sensors[i].where);
	sp = &cfg->sensors[i];
	sp->where = xstrdup(v);
	return (true);
}

/* The fleet's settings, which are text: false when n is none of them. */
static bool
config_fleet(struct engine_config *cfg, const char *n, const char *v,
    bool *ok, char **cause)
{
	if (strncmp(n, "fleet.sensor.", 13) == 0)
		*ok = config_sensor(cfg, n + 13, v, cause);
	else if (strcmp(n, "fleet.ssh_command") == 0) {
		if (!(*ok = strspn(v, " \t") != strlen(v)))
			xasprintf(cause, "fleet.ssh_command is empty");
		else {
			free(cfg->ssh_command);
			cfg->ssh_command = xstrdup(v);
		}
	} else
		return (false);
	return (true);
}

/* Apply NAME=VALUE. */
bool
engine_config_set(struct engine_config *cfg, const char *arg, char **cause)
{
	const char		*eq = strchr(arg, '=');
	const struct setting	*se;
	char			*name, *value, *n, *v;
	bool			 ok;

	if (eq == NULL || eq == arg) {
		xasprintf(cause, "'%s' is not NAME=VALUE", esc_str(arg));
		return (false);
	}
	name = xstrndup(arg, (size_t)(eq - arg));
	value = xstrdup(eq + 1);
	n = config_trim(name);
	v = config_trim(value);
	if (config_fleet(cfg, n, v, &ok, cause))
		(void)0;	/* a text setting of the fleet's */
	else if ((se = config_find(n)) == NULL) {
		xasprintf(cause, "unknown setting '%s' (see huntcon(1))",
		    esc_str(n));
		ok = false;
	} else
		ok = config_apply(cfg, se, v, cause);
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

/* Whether a config line sets name (blanks allowed around it). */
static bool
config_sets(const char *line, size_t len, const char *name)
{
	size_t	 i = 0, n = strlen(name);

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (len - i < n || strncmp(line + i, name, n) != 0)
		return (false);
	for (i += n; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	return (i < len && line[i] == '=');
}

/*
 * The lines of the config file path (none when it is missing) into out,
 * NAME=VALUE in place of the first that sets NAME, the later ones left
 * out; *set says whether one did.  False with *cause.
 */
static bool
config_edit(const char *path, const char *name, const char *value,
    struct buf *out, bool *set, char **cause)
{
	FILE	*f;
	char	*line = NULL;
	size_t	 cap = 0;
	ssize_t	 n;
	bool	 ok;

	*set = false;
	*cause = NULL;
	if ((f = config_open(path, cause)) == NULL)
		return (*cause == NULL);
	while ((n = getline(&line, &cap, f)) != -1) {
		if (!config_sets(line, (size_t)n, name))
			buf_add(out, line, (size_t)n);
		else if (!*set) {
			buf_printf(out, "%s=%s\n", name, value);
			*set = true;
		}
	}
	if (!(ok = !ferror(f)))
		xasprintf(cause, "%s: %s", esc_str(path), strerror(errno));
	free(line);
	fclose(f);
	return (ok);
}

/*
 * Write b to a new temporary beside target (made with mkstemp, given the
 * mode of the file it replaces), synced, then rename it over target.
 * False with *cause naming path; the temporary is then removed.
 */
static bool
config_replace(const char *path, const char *target, const struct buf *b,
    char **cause)
{
	char		*tmp;
	FILE		*f;
	int		 err = 0;
	bool		 ok;

	if ((f = file_tmp_open(target, 0600, false, &tmp)) == NULL) {
		xasprintf(cause, "%s: %s", esc_str(path), strerror(errno));
		return (false);
	}
	errno = 0;
	if (b->len > 0 && fwrite(b->s, 1, b->len, f) != b->len)
		err = errno != 0 ? errno : EIO;
	ok = file_finish(f, path, FILE_SYNC | FILE_CLOSE, err, cause);
	if (ok && rename(tmp, target) != 0) {
		xasprintf(cause, "%s: %s", esc_str(path), strerror(errno));
		ok = false;
	}
	if (ok)
		file_sync_dir(target);
	else
		unlink(tmp);
	free(tmp);
	return (ok);
}

/* Write NAME=VALUE into a config file; see engine.h. */
bool
engine_config_save(const char *path, const char *name, const char *value,
    char **cause)
{
	struct buf	 b;
	char		*target;
	bool		 set, ok;

	if (strchr(value, '\n') != NULL || strchr(value, '\r') != NULL) {
		xasprintf(cause, "%s: a value is one line", esc_str(name));
		return (false);
	}
	buf_init(&b);
	if (!config_edit(path, name, value, &b, &set, cause)) {
		buf_free(&b);
		return (false);
	}
	if (!set) {
		if (b.len > 0 && b.s[b.len - 1] != '\n')
			buf_addc(&b, '\n');
		buf_printf(&b, "%s=%s\n", name, value);
	}
	/* A link is followed: the file it names is replaced. */
	if ((target = realpath(path, NULL)) == NULL)
		target = xstrdup(path);
	ok = datadir_mkparents(target, cause) &&
	    config_replace(path, target, &b, cause);
	free(target);
	buf_free(&b);
	return (ok);
}
