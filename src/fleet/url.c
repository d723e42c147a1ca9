/* url.c - clickhouse://[USER[:PASSWORD]@]HOST[:PORT]/DB. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <stdlib.h>
#include <string.h>

#include "fleet/fleet.h"

/* Whether a database or user name is plain: letters, digits, _ . -. */
static bool
url_plain(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0)
		return (false);
	for (i = 0; i < n; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789_.-", s[i]) == NULL || s[i] == '\0')
			return (false);
	}
	return (true);
}

/* The scheme: its length, and whether it asks for HTTPS; 0 if none. */
static size_t
url_scheme(const char *s, bool *tls)
{
	if (strncmp(s, "clickhouse://", 13) == 0) {
		*tls = false;
		return (13);
	}
	if (strncmp(s, "clickhouses://", 14) == 0) {
		*tls = true;
		return (14);
	}
	return (0);
}

/* Parse USER[:PASSWORD] before the '@' (n bytes at s). */
static bool
url_userinfo(struct fleet_url *u, const char *s, size_t n, char **cause)
{
	const char	*colon = memchr(s, ':', n);
	size_t		 un = colon != NULL ? (size_t)(colon - s) : n;

	if (!url_plain(s, un)) {
		xasprintf(cause, "--store: the user name must be letters, "
		    "digits, '_', '.' or '-'");
		return (false);
	}
	u->user = xstrndup(s, un);
	if (colon != NULL)
		u->password = xstrndup(colon + 1, n - un - 1);
	return (true);
}

/* Parse HOST[:PORT] (n bytes at s). */
static bool
url_host(struct fleet_url *u, const char *s, size_t n, char **cause)
{
	const char	*colon = memchr(s, ':', n);
	size_t		 hn = colon != NULL ? (size_t)(colon - s) : n;
	char		*end, *port;
	unsigned long	 p;

	if (!url_plain(s, hn)) {
		xasprintf(cause, "--store: no host name in the URL");
		return (false);
	}
	u->host = xstrndup(s, hn);
	u->port = 8123;
	if (colon == NULL)
		return (true);
	port = xstrndup(colon + 1, n - hn - 1);
	p = strtoul(port, &end, 10);
	if (*port == '\0' || *end != '\0' || p == 0 || p > 65535) {
		xasprintf(cause, "--store: bad port '%s'", esc_str(port));
		free(port);
		return (false);
	}
	free(port);
	u->port = (unsigned int)p;
	return (true);
}

/* Parse a store URL. */
bool
fleet_url_parse(struct fleet_url *u, const char *s, char **cause)
{
	const char	*p, *slash, *at, *env;
	size_t		 n;

	memset(u, 0, sizeof *u);
	if ((n = url_scheme(s, &u->tls)) == 0) {
		xasprintf(cause, "--store: the URL must start with "
		    "clickhouse:// or clickhouses://");
		return (false);
	}
	p = s + n;
	if ((slash = strrchr(p, '/')) == NULL || !url_plain(slash + 1,
	    strlen(slash + 1))) {
		xasprintf(cause, "--store: the URL must end with /DATABASE "
		    "(letters, digits, '_', '.' or '-')");
		return (false);
	}
	at = memrchr(p, '@', (size_t)(slash - p));
	if (at != NULL && !url_userinfo(u, p, (size_t)(at - p), cause))
		goto fail;
	if (at != NULL)
		p = at + 1;
	if (!url_host(u, p, (size_t)(slash - p), cause))
		goto fail;
	u->db = xstrdup(slash + 1);
	if (u->password == NULL && (env = getenv("HUNTCON_STORE_PASSWORD")) !=
	    NULL && *env != '\0')
		u->password = xstrdup(env);
	return (true);
fail:
	fleet_url_free(u);
	return (false);
}

/* Free a URL, wiping its password first. */
void
fleet_url_free(struct fleet_url *u)
{
	if (u->password != NULL) {
		explicit_bzero(u->password, strlen(u->password));
		free(u->password);
	}
	free(u->user);
	free(u->host);
	free(u->db);
	memset(u, 0, sizeof *u);
}

/*
 * Hide the password of a URL argument in place, so that ps shows
 * "clickhouse://user:*****@host/db": each byte of the password becomes '*'.
 */
void
fleet_url_hide(char *arg)
{
	bool	 tls;
	size_t	 n = url_scheme(arg, &tls);
	char	*p, *colon, *at, *slash;

	if (n == 0)
		return;
	p = arg + n;
	if ((slash = strrchr(p, '/')) == NULL ||
	    (at = memrchr(p, '@', (size_t)(slash - p))) == NULL)
		return;
	if ((colon = memchr(p, ':', (size_t)(at - p))) != NULL)
		memset(colon + 1, '*', (size_t)(at - colon - 1));
}
