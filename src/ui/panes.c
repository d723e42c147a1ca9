/* panes.c - the console's panes, one row each: a new pane is its own file
 * (draw, move, keys in keys.c's table under its context) and a row here. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "ui/ui-int.h"

const struct ui_pane_ops ui_panes[] = {
	[PANE_NAV] = { "Navigate", CTX_NAV, nav_draw, nav_move },
	[PANE_EVENTS] = { "Events", CTX_EVENTS, events_draw, events_move },
	[PANE_SESSION] = { "Session", CTX_SESSION, spane_draw, spane_move },
	[PANE_RULES] = { "Rules", CTX_RULES, rpane_draw, rpane_move },
	[PANE_HELP] = { "Help", CTX_ANY, keys_help_draw, keys_help_move },
};
