/*
 * xcpu.c - how long one cache line takes to go from one CPU to another and
 * back, for make bench.  A run with the parsers' thread moves data between
 * the CPUs and the engine alone hardly does, so on a virtual machine whose
 * host sometimes puts its CPUs far apart the parsers' figure follows this
 * one; make bench prints it beside that figure so runs can be compared.
 *
 * Two threads, pinned to the first two CPUs this process may use, hand a
 * flag back and forth ROUNDS times; prints the mean round trip in ns, or
 * "-" with one CPU.
 *
 * Usage: xcpu
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#define ROUNDS	100000

static _Atomic int	flag __attribute__((aligned(64)));
static int		cpus[2];

/* Pin the calling thread to one CPU. */
static void
pin(int cpu)
{
	cpu_set_t	set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	(void)pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

/* The other side: answer each 1 with a 0. */
static void *
echo(void *arg)
{
	int	i;

	(void)arg;
	pin(cpus[1]);
	for (i = 0; i < ROUNDS; i++) {
		while (atomic_load_explicit(&flag, memory_order_acquire) != 1)
			;
		atomic_store_explicit(&flag, 0, memory_order_release);
	}
	return (NULL);
}

int
main(void)
{
	cpu_set_t	 set;
	struct timespec	 a, b;
	pthread_t	 t;
	int		 i, n = 0;

	if (sched_getaffinity(0, sizeof set, &set) == 0) {
		for (i = 0; i < CPU_SETSIZE && n < 2; i++) {
			if (CPU_ISSET(i, &set))
				cpus[n++] = i;
		}
	}
	if (n < 2) {
		puts("-");
		return (0);
	}
	pin(cpus[0]);
	if (pthread_create(&t, NULL, echo, NULL) != 0) {
		puts("-");
		return (0);
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < ROUNDS; i++) {
		atomic_store_explicit(&flag, 1, memory_order_release);
		while (atomic_load_explicit(&flag, memory_order_acquire) != 0)
			;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	pthread_join(t, NULL);
	printf("%.0f\n", ((double)(b.tv_sec - a.tv_sec) * 1e9 +
	    (double)(b.tv_nsec - a.tv_nsec)) / ROUNDS);
	return (0);
}
