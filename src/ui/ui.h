/*
 * ui.h - the interactive console (SPEC §5): one client of the engine
 * library.  Nothing outside src/ui includes curses or readline.
 *
 * Contract: ui_run() takes over the terminal, reads the inputs on the
 * hunt's worker thread, and returns the exit status once the user quits.
 * The hunt (made over the inputs, not read yet) becomes the console's,
 * which frees it; the other options stay the caller's.  When standard
 * input is not a terminal (a stream is read from it), keys come from
 * /dev/tty.
 * With a store (--store URL) the hunt has no inputs: the path's
 * questions go to the store's view, which stays the caller's.
 */
#ifndef HUNTCON_UI_H
#define HUNTCON_UI_H

#include <stddef.h>

#include "engine/hunt.h"

struct view;

struct ui_options {
	struct hunt		 *hunt;		/* the inputs, not read yet */
	const char		 *query;	/* -q: the initial drill path */
	const char		 *theme;	/* --theme NAME, or NULL */
	const struct engine_config *cfg;	/* settings, net.home */
	/* Over a store instead (the hunt then has no inputs): its view and
	 * its name for the status line. */
	struct view		 *store;
	const char		 *store_name;
};

/* Run the console; returns the exit status. */
int	ui_run(const struct ui_options *);

#endif
