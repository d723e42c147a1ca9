/*
 * ui.h - the interactive console (SPEC §5): one client of the engine
 * library.  Nothing outside src/ui includes curses or readline.
 *
 * Contract: ui_run() takes over the terminal, reads the inputs on a worker
 * thread, and returns the exit status once the user quits.  It does not
 * keep the options past its return; the strings and the config belong to
 * the caller.
 */
#ifndef HUNTCON_UI_H
#define HUNTCON_UI_H

#include <stddef.h>

#include "engine/engine.h"

struct ui_options {
	char			**inputs;	/* -r arguments */
	size_t			  ninputs;
	const char		 *query;	/* -q: the initial drill path */
	int			  argc;		/* the command line, for */
	char			**argv;		/* --theme NAME */
	const struct engine_config *cfg;	/* settings, net.home */
};

/* Run the console; returns the exit status. */
int	ui_run(const struct ui_options *);

#endif
