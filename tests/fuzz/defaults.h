/*
 * defaults.h - the fuzz targets that call the parsers without an engine
 * give them the settings' defaults once, before any input.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef HUNTCON_FUZZ_DEFAULTS_H
#define HUNTCON_FUZZ_DEFAULTS_H

#include "engine/engine.h"
#include "parse/parse.h"

int	LLVMFuzzerInitialize(int *, char ***);

/* Give the parsers the settings' defaults, once before any input. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct engine_config	 cfg;

	(void)argc;
	(void)argv;
	engine_config_init(&cfg);
	parse_configure(&cfg.parse);
	engine_config_free(&cfg);
	return (0);
}

#endif
