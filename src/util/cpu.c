/* cpu.c - which CPU the engine's helper threads run on. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "util/util.h"

static atomic_bool	cpu_share = true;

/* Whether helper threads share one CPU on a two-CPU machine (cpu.pair). */
void
cpu_share_helpers(bool on)
{
	atomic_store(&cpu_share, on);
}

/*
 * Called by a helper thread (the capture reader, the parsers' thread) as
 * it starts.  When the process may run on exactly two CPUs, the helpers go
 * to the higher-numbered one: together they need less than a CPU, while
 * the engine's thread, which decides how fast a capture is read, needs a
 * whole one, and with the helpers spread over both CPUs it kept losing
 * its turn to them (ingest of the standard capture with the parsers: 0.74
 * s, 0.70 s with the helpers together).  The engine's thread itself is
 * left free to run anywhere.  With one CPU, or three and more, nothing
 * changes.
 */
void
cpu_helper_start(void)
{
	cpu_set_t	set, one;
	int		i, cpu = -1;

	if (!atomic_load(&cpu_share) ||
	    sched_getaffinity(0, sizeof set, &set) != 0 ||
	    CPU_COUNT(&set) != 2)
		return;
	for (i = 0; i < CPU_SETSIZE; i++) {
		if (CPU_ISSET(i, &set))
			cpu = i;
	}
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	(void)pthread_setaffinity_np(pthread_self(), sizeof one, &one);
}
