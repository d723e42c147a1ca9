/*
 * defaults.h - the fuzz targets that call the parsers without an engine
 * make them a context with the settings' defaults once, before any input.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef HUNTCON_FUZZ_DEFAULTS_H
#define HUNTCON_FUZZ_DEFAULTS_H

#include "engine/engine.h"
#include "parse/parse.h"

int	LLVMFuzzerInitialize(int *, char ***);

/* The parsers' context of every input. */
static struct parse_ctx *fuzz_pc;

/* Make the parsers' context with the settings' defaults, once. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct engine_config	 cfg;

	(void)argc;
	(void)argv;
	engine_config_init(&cfg);
	fuzz_pc = parse_ctx_new(&cfg.parse);
	engine_config_free(&cfg);
	return (0);
}

#endif
