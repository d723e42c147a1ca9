/* spool.c - the spool: live packets kept in pcap files, size-capped. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/capture-int.h"
#include "util/util.h"

#define SPOOL_DEFAULT	(1024ULL * 1024 * 1024)	/* or half the free space */
#define SPOOL_FILES	8	/* a series rotates at an eighth of the cap */
#define SPOOL_MIN_FILE	(16 * 1024)

/* One file of the spool, in the order they were made. */
struct spool_file {
	char		*path;
	uint64_t	 bytes;
	bool		 open;		/* being written: not deleted */
	bool		 gone;		/* deleted to keep under the cap */
};

struct spool {
	char			*dir;
	bool			 keep;		/* --spool DIR: kept at exit */
	int			 lock;		/* the lock file's descriptor */
	uint64_t		 cap, used;
	uint64_t		 lost;		/* records not spooled */
	struct spool_file	*f;
	size_t			 nf, oldest;	/* the oldest not gone */
};

/* The cap: the one asked for, else 1 GiB or half the free space. */
static uint64_t
spool_cap(const char *dir, uint64_t asked)
{
	struct statvfs	 sv;
	uint64_t	 half;

	if (asked != 0)
		return (asked);
	if (statvfs(dir, &sv) != 0)
		return (SPOOL_DEFAULT);
	half = (uint64_t)sv.f_bavail * sv.f_frsize / 2;
	return (half < SPOOL_DEFAULT ? half : SPOOL_DEFAULT);
}

/*
 * Check that a spool directory can be written and lock it (the directory
 * itself, so that it holds nothing but captures) for this run: two runs
 * never share one.  False with *cause.
 */
static bool
spool_lock(struct spool *sp, char **cause)
{
	if (access(sp->dir, W_OK | X_OK) != 0) {
		xasprintf(cause, "spool %s: not writable: %s", esc_str(sp->dir),
		    strerror(errno));
		return (false);
	}
	sp->lock = open(sp->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sp->lock == -1) {
		xasprintf(cause, "spool %s: %s", esc_str(sp->dir),
		    strerror(errno));
		return (false);
	}
	if (flock(sp->lock, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			xasprintf(cause, "spool %s: in use by another run",
			    esc_str(sp->dir));
		else
			xasprintf(cause, "spool %s: cannot lock it: %s",
			    esc_str(sp->dir), strerror(errno));
		return (false);
	}
	return (true);
}

/* Make the spool: dir (made when missing, kept) or a temporary one. */
struct spool *
spool_new(const char *dir, uint64_t cap, char **cause)
{
	struct spool	*sp = xcalloc(1, sizeof *sp);
	const char	*tmp = getenv("TMPDIR");

	sp->lock = -1;
	if (dir != NULL) {
		sp->dir = xstrdup(dir);
		sp->keep = true;
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			xasprintf(cause, "spool %s: cannot make it: %s",
			    esc_str(dir),
			    strerror(errno));
			spool_free(sp);
			return (NULL);
		}
	} else {
		xasprintf(&sp->dir, "%s/huntcon-spool.XXXXXX", tmp != NULL &&
		    *tmp != '\0' ? tmp : "/tmp");
		if (mkdtemp(sp->dir) == NULL) {
			xasprintf(cause, "cannot make a spool directory %s: %s",
			    esc_str(sp->dir), strerror(errno));
			spool_free(sp);
			return (NULL);
		}
	}
	if (!spool_lock(sp, cause)) {
		spool_free(sp);
		return (NULL);
	}
	sp->cap = spool_cap(sp->dir, cap);
	return (sp);
}

/* Give the spool directory to a user (-Z), before root is dropped. */
bool
spool_chown(struct spool *sp, uid_t uid, gid_t gid, char **cause)
{
	if (chown(sp->dir, uid, gid) != 0) {
		xasprintf(cause, "spool %s: %s", esc_str(sp->dir),
		    strerror(errno));
		return (false);
	}
	return (true);
}

/* Remove a temporary spool's files and directory; release the lock. */
void
spool_free(struct spool *sp)
{
	size_t	 i;

	if (sp == NULL)
		return;
	for (i = 0; i < sp->nf; i++) {
		if (!sp->keep && !sp->f[i].gone)
			unlink(sp->f[i].path);
		free(sp->f[i].path);
	}
	free(sp->f);
	if (sp->lock != -1)
		close(sp->lock);
	if (!sp->keep)
		rmdir(sp->dir);
	free(sp->dir);
	free(sp);
}

/* Where a new file of a series goes; returns its id. */
size_t
spool_file_new(struct spool *sp, size_t series, unsigned int n)
{
	struct spool_file	*f;

	sp->f = xreallocarray(sp->f, sp->nf + 1, sizeof *sp->f);
	f = &sp->f[sp->nf];
	memset(f, 0, sizeof *f);
	xasprintf(&f->path, "%s/%zu-%06u.pcap", sp->dir, series, n);
	f->open = true;
	return (sp->nf++);
}

/* The directory of a spool kept at exit, or NULL. */
const char *
spool_kept_dir(const struct spool *sp)
{
	return (sp->keep ? sp->dir : NULL);
}

/* A file's path. */
const char *
spool_path(const struct spool *sp, size_t id)
{
	return (sp->f[id].path);
}

/* A file is complete: it may be deleted from now on. */
void
spool_file_done(struct spool *sp, size_t id)
{
	sp->f[id].open = false;
}

/*
 * Bytes written to a file: while the spool is over its cap, delete the
 * oldest complete files first.
 */
void
spool_grow(struct spool *sp, size_t id, uint64_t bytes)
{
	struct spool_file	*f;
	size_t			 i;

	sp->f[id].bytes += bytes;
	sp->used += bytes;
	for (i = sp->oldest; i < sp->nf && sp->used > sp->cap; i++) {
		f = &sp->f[i];
		if (f->open || f->gone)
			continue;
		unlink(f->path);
		f->gone = true;
		sp->used -= f->bytes;
	}
	while (sp->oldest < sp->nf && sp->f[sp->oldest].gone)
		sp->oldest++;
}

/* Bytes in the spool now. */
uint64_t
spool_used(const struct spool *sp)
{
	return (sp->used);
}

/* The most bytes the spool keeps. */
uint64_t
spool_cap_of(const struct spool *sp)
{
	return (sp->cap);
}

/* Whether a file was deleted to keep under the cap. */
bool
spool_gone(const struct spool *sp, size_t id)
{
	return (sp->f[id].gone);
}

/* The size at which a series starts its next file. */
uint64_t
spool_rotate(const struct spool *sp)
{
	uint64_t	 r = sp->cap / SPOOL_FILES;

	return (r < SPOOL_MIN_FILE ? SPOOL_MIN_FILE : r);
}

/* Count a record that could not be spooled (a failed write). */
void
spool_lost(struct spool *sp)
{
	sp->lost++;
}

/* Records not spooled. */
uint64_t
spool_lost_count(const struct spool *sp)
{
	return (sp->lost);
}

/* The spool's directory. */
const char *
spool_dir(const struct spool *sp)
{
	return (sp->dir);
}
