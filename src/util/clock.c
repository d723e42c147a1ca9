/* clock.c - a clock's time as one number. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <time.h>

#include "util/util.h"

/* A clock's time in ns (CLOCK_MONOTONIC, CLOCK_REALTIME, a CPU clock). */
uint64_t
clock_ns(clockid_t id)
{
	struct timespec	 ts;

	clock_gettime(id, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}
