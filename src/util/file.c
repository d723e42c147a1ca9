/* file.c - small file-system helpers. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"

/* Make the directories above a file. */
void
make_parents(const char *path, unsigned int mode)
{
	char	*p = xstrdup(path), *s;

	for (s = strchr(p + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, (mode_t)mode) != 0 && errno != EEXIST)
			break;
		*s = '/';
	}
	free(p);
}

/* Finish writing a stream; see util.h. */
bool
file_finish(FILE *f, const char *name, int flags, int err, char **cause)
{
	struct stat	 sb;

	errno = 0;
	if (fflush(f) != 0 && err == 0)
		err = errno != 0 ? errno : EIO;
	if (err == 0 && ferror(f))
		err = EIO;	/* an earlier write failed; its reason is gone */
	if (err == 0 && (flags & FILE_SYNC) && fstat(fileno(f), &sb) == 0 &&
	    S_ISREG(sb.st_mode) && fsync(fileno(f)) != 0)
		err = errno;
	if ((flags & FILE_CLOSE) && fclose(f) != 0 && err == 0)
		err = errno;
	if (err == 0)
		return (true);
	xasprintf(cause, "%s: %s", esc_str(name), strerror(err));
	return (false);
}

/* Sync the directory a file was just renamed into, so the rename lasts. */
void
file_sync_dir(const char *path)
{
	const char	*slash = strrchr(path, '/');
	char		*dir;
	int		 fd;

	if (slash == NULL)
		dir = xstrdup(".");
	else
		dir = xstrndup(path, slash == path ? 1 :
		    (size_t)(slash - path));
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Give a new temporary the mode (and with keep_owner the owner) of the
 * file it replaces, or fresh when there is none.  An owner this user may
 * not give (EPERM: not root, another owner) is left to the user. */
static bool
file_tmp_mode(int fd, const char *target, mode_t fresh, bool keep_owner)
{
	struct stat	 sb;

	if (stat(target, &sb) != 0)
		return (fchmod(fd, fresh) == 0);
	if (keep_owner && (sb.st_uid != geteuid() || sb.st_gid != getegid()) &&
	    fchown(fd, sb.st_uid, sb.st_gid) != 0 && errno != EPERM)
		return (false);
	return (fchmod(fd, sb.st_mode & 07777) == 0);
}

/* A new temporary beside target for its replacement; see util.h. */
FILE *
file_tmp_open(const char *target, mode_t fresh, bool keep_owner, char **tmp)
{
	const char	*slash = strrchr(target, '/');
	FILE		*f;
	int		 fd, err;

	xasprintf(tmp, "%.*s.%s.XXXXXX", slash != NULL ? (int)(slash -
	    target + 1) : 0, target, slash != NULL ? slash + 1 : target);
	if ((fd = mkstemp(*tmp)) == -1) {
		err = errno;
		free(*tmp);
		*tmp = NULL;
		errno = err;
		return (NULL);
	}
	if (file_tmp_mode(fd, target, fresh, keep_owner) &&
	    (f = fdopen(fd, "wb")) != NULL)
		return (f);
	err = errno;
	close(fd);
	unlink(*tmp);
	free(*tmp);
	*tmp = NULL;
	errno = err;
	return (NULL);
}
