/*
 * tmpdir.h - run a cmocka group inside a temporary directory of its own,
 * removed afterwards.  Included by the unit tests that write files.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef HUNTCON_TEST_TMPDIR_H
#define HUNTCON_TEST_TMPDIR_H

#include <stdio.h>
#include <stdlib.h>

/* Remove the directory made for the tests; the run's status, or 1. */
static inline int
tmpdir_done(const char *dir, int rc)
{
	char	 cmd[300];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return (system(cmd) != 0 ? 1 : rc);
}

/* Make the directory from the template dir, run the group, remove it. */
#define run_in_tmpdir(dir, tests)					\
	(mkdtemp(dir) == NULL ? 1 :					\
	    tmpdir_done(dir, cmocka_run_group_tests(tests, NULL, NULL)))

#endif
