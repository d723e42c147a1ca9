/* datadir.c - where the bundled rules and themes are: installed beside the
 * binary, or in the source tree it was built in; and the user's files. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"

/* The prefix the running binary was installed under (PREFIX for
 * PREFIX/bin/huntcon) into buf, or false when it is not in a bin
 * directory. */
static bool
datadir_prefix(char *buf, size_t size)
{
	ssize_t	 n;
	char	*s;

	n = readlink("/proc/self/exe", buf, size - 1);
	if (n <= 0 || (size_t)n >= size - 1)
		return (false);
	buf[n] = '\0';
	if ((s = strrchr(buf, '/')) == NULL)
		return (false);
	*s = '\0';
	if ((s = strrchr(buf, '/')) == NULL || strcmp(s + 1, "bin") != 0)
		return (false);
	*s = '\0';
	return (true);
}

/* The directory of bundled data sub; see util.h. */
char *
datadir_path(const char *env, const char *sub, const char *fallback)
{
	const char	*e = env != NULL ? getenv(env) : NULL;
	char		 prefix[PATH_MAX], *path;
	struct stat	 st;

	if (e != NULL && *e != '\0')
		return (xstrdup(e));
	if (datadir_prefix(prefix, sizeof prefix)) {
		xasprintf(&path, "%s/share/huntcon/%s", prefix, sub);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return (path);
		free(path);
	}
	return (xstrdup(fallback));
}

/* $VAR/huntcon/NAME, or ~/DOT/huntcon/NAME (the XDG base directories). */
static char *
datadir_xdg(const char *var, const char *dot, const char *name)
{
	const char	*x = getenv(var), *h = getenv("HOME");
	char		*path;

	if (x != NULL && *x != '\0')
		xasprintf(&path, "%s/huntcon/%s", x, name);
	else
		xasprintf(&path, "%s/%s/huntcon/%s", h != NULL ? h : "", dot,
		    name);
	return (path);
}

/* The user's configuration file name; see util.h. */
char *
datadir_config(const char *name)
{
	return (datadir_xdg("XDG_CONFIG_HOME", ".config", name));
}

/* The user's cache file or directory name; see util.h. */
char *
datadir_cache(const char *name)
{
	return (datadir_xdg("XDG_CACHE_HOME", ".cache", name));
}

/* Make the directories above path that are missing; see util.h. */
bool
datadir_mkparents(const char *path, char **cause)
{
	char	*p = xstrdup(path), *slash;

	for (slash = strchr(p + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			xasprintf(cause, "%s: cannot make it: %s", esc_str(p),
			    strerror(errno));
			free(p);
			return (false);
		}
		*slash = '/';
	}
	free(p);
	return (true);
}
