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
