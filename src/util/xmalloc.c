/* xmalloc.c - allocation that never fails and the fatal exit. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static void (*fatal_hook)(void);

/* Register the function run once before a fatal exit. */
void
fatal_set_hook(void (*fn)(void))
{
	fatal_hook = fn;
}

/* Print "huntcon: MESSAGE" and exit(1) after the fatal hook. */
void
fatal(const char *fmt, ...)
{
	va_list	ap;

	if (fatal_hook != NULL) {
		void (*fn)(void) = fatal_hook;

		fatal_hook = NULL;
		fn();
	}
	va_start(ap, fmt);
	fputs("huntcon: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* Allocate size bytes or die naming the size. */
void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	if ((p = malloc(size)) == NULL)
		fatal("out of memory allocating %zu bytes", size);
	return (p);
}

/* Allocate zeroed memory for n objects of size bytes or die. */
void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		n = size = 1;
	if ((p = calloc(n, size)) == NULL)
		fatal("out of memory allocating %zu*%zu bytes", n, size);
	return (p);
}

/*
 * Allocate zeroed memory starting on a cache line, for an object shared
 * between threads whose fields are laid out by line, or die.
 */
void *
xcalloc_lines(size_t size)
{
	void	*p;

	size = (size + 63) & ~(size_t)63;
	if (size == 0)
		size = 64;
	if ((p = aligned_alloc(64, size)) == NULL)
		fatal("out of memory allocating %zu bytes", size);
	memset(p, 0, size);
	return (p);
}

/* Resize an allocation or die. */
void *
xrealloc(void *p, size_t size)
{
	return (xreallocarray(p, 1, size));
}

/* Resize to n objects of size bytes, checking the product, or die. */
void *
xreallocarray(void *p, size_t n, size_t size)
{
	void	*np;

	if (size != 0 && n > SIZE_MAX / size)
		fatal("allocation size overflow (%zu*%zu)", n, size);
	if (n * size == 0)
		n = size = 1;
	if ((np = realloc(p, n * size)) == NULL)
		fatal("out of memory allocating %zu*%zu bytes", n, size);
	return (np);
}

/* Duplicate a string or die. */
char *
xstrdup(const char *s)
{
	return (xstrndup(s, strlen(s)));
}

/* Duplicate at most n bytes of a string, NUL-terminated, or die. */
char *
xstrndup(const char *s, size_t n)
{
	char	*p;
	size_t	 len = strnlen(s, n);

	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return (p);
}

/* Format into a new string or die. */
int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int	 n;

	if ((n = vasprintf(ret, fmt, ap)) < 0)
		fatal("out of memory formatting a message");
	return (n);
}

/* Format into a new string or die. */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return (n);
}
