/* theme.c - colours and attributes per semantic role, read from
 * themes/NAME.theme. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui-int.h"

#ifndef HUNTCON_THEMES_DIR
#define HUNTCON_THEMES_DIR "themes"
#endif

static const char *const theme_roles[ROLE_MAX] = {
#define X(id, name) name,
	UI_ROLES
#undef X
};

/* Attributes used when no theme file says otherwise (also mono). */
static const int theme_mono[ROLE_MAX] = {
	[ROLE_TITLE] = A_BOLD, [ROLE_STATUS] = A_REVERSE,
	[ROLE_BREADCRUMB] = A_BOLD, [ROLE_HEADER] = A_UNDERLINE,
	[ROLE_KEY] = A_BOLD, [ROLE_SELECTED] = A_REVERSE,
	[ROLE_ERROR] = A_BOLD, [ROLE_WARNING] = A_BOLD,
	[ROLE_MARK] = A_BOLD, [ROLE_PROMPT] = A_BOLD, [ROLE_DIM] = A_DIM,
	[ROLE_PROGRESS] = A_REVERSE,
};

static int	theme_attrs[ROLE_MAX];

/* The attributes of a role. */
int
theme_attr(enum ui_role r)
{
	return (theme_attrs[r]);
}

/* A colour name or number; -1 is the terminal default. */
static bool
theme_colour(const char *s, short *c)
{
	static const char *const names[] = { "black", "red", "green",
	    "yellow", "blue", "magenta", "cyan", "white" };
	char	*end;
	long	 n;
	size_t	 i;

	if (strcmp(s, "default") == 0 || strcmp(s, "-") == 0) {
		*c = -1;
		return (true);
	}
	for (i = 0; i < nitems(names); i++) {
		if (strcmp(s, names[i]) == 0) {
			*c = (short)i;
			return (true);
		}
	}
	n = strtol(s, &end, 10);
	if (*end != '\0' || n < 0 || n > 255)
		return (false);
	*c = (short)(n < COLORS ? n : n % 8);
	return (true);
}

/* An attribute name. */
static bool
theme_attrname(const char *s, int *a)
{
	static const struct { const char *n; int a; } t[] = {
		{ "bold", A_BOLD }, { "reverse", A_REVERSE },
		{ "underline", A_UNDERLINE }, { "dim", A_DIM },
		{ "standout", A_STANDOUT }, { "normal", 0 },
	};
	size_t	 i;

	for (i = 0; i < nitems(t); i++) {
		if (strcmp(s, t[i].n) == 0) {
			*a |= t[i].a;
			return (true);
		}
	}
	return (false);
}

/* Apply one "ROLE FG BG [ATTR...]" line; false with *cause. */
static bool
theme_line(char *line, bool colour, char **cause)
{
	char	*w[8], *save = NULL;
	size_t	 n = 0, i;
	short	 fg, bg;
	int	 r, a = 0;

	for (w[n] = strtok_r(line, " \t\r\n", &save); w[n] != NULL && n < 7;
	    w[n] = strtok_r(NULL, " \t\r\n", &save))
		n++;
	if (n == 0 || w[0][0] == '#')
		return (true);
	for (r = 0; r < ROLE_MAX && strcmp(theme_roles[r], w[0]) != 0; r++)
		;
	if (r == ROLE_MAX || n < 3) {
		xasprintf(cause, r == ROLE_MAX ? "unknown role '%s'" :
		    "'%s' wants a foreground and a background", esc_str(w[0]));
		return (false);
	}
	if (!theme_colour(w[1], &fg) || !theme_colour(w[2], &bg)) {
		xasprintf(cause, "%s: bad colour", esc_str(w[0]));
		return (false);
	}
	for (i = 3; i < n; i++) {
		if (!theme_attrname(w[i], &a)) {
			xasprintf(cause, "unknown attribute '%s'",
			    esc_str(w[i]));
			return (false);
		}
	}
	if (colour && (fg != -1 || bg != -1)) {
		init_pair((short)(r + 1), fg, bg);
		a |= COLOR_PAIR(r + 1);
	}
	theme_attrs[r] = a;
	return (true);
}

/*
 * Load a theme: NAME.theme in $HUNTCON_THEMES, else in the installed
 * themes, else in HUNTCON_THEMES_DIR.
 * Without colours, or when the default theme is not installed, the
 * built-in attributes (mono) are used.
 */
bool
theme_load(const char *name, bool colour, char **cause)
{
	char		*dir, *path, *err = NULL, line[512];
	FILE		*f;
	unsigned	 ln = 0;

	memcpy(theme_attrs, theme_mono, sizeof theme_attrs);
	if (strchr(name, '/') != NULL) {
		xasprintf(cause, "--theme %s: not a theme name",
		    esc_str(name));
		return (false);
	}
	if (!colour && strcmp(name, "mono") != 0)
		name = "mono";
	dir = datadir_path("HUNTCON_THEMES", "themes", HUNTCON_THEMES_DIR);
	xasprintf(&path, "%s/%s.theme", dir, name);
	free(dir);
	if ((f = fopen(path, "r")) == NULL) {
		free(path);
		if (strcmp(name, "dark") == 0 || strcmp(name, "mono") == 0)
			return (true);
		xasprintf(cause, "--theme %s: no such theme",
		    esc_str(name));
		return (false);
	}
	while (fgets(line, sizeof line, f) != NULL) {
		ln++;
		if (!theme_line(line, colour, &err)) {
			xasprintf(cause, "%s:%u: %s", esc_str(path), ln, err);
			free(err);
			fclose(f);
			free(path);
			return (false);
		}
	}
	fclose(f);
	free(path);
	return (true);
}
