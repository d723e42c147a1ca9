/*
 * view-int.h - what the view's files share: the in-memory store's answers
 * about one session (session.c), which mem.c's ops table calls.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef HUNTCON_VIEW_INT_H
#define HUNTCON_VIEW_INT_H

#include "view/session.h"

/* One session in memory; its packets only when c is not NULL. */
bool	 memsession_open(const struct store *, struct capture *,
	    const struct view_ref *, struct view_session *, char **);
/* Packets [from, from + n) of a session in memory, read again from c. */
bool	 memsession_packets(const struct store *, struct capture *,
	    struct view_session *, size_t from, size_t n, int flags,
	    view_packet_fn, void *);

#endif
