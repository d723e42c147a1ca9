/*
 * edit.c - an editable copy of a ruleset's files (SPEC §5, rule editor).
 *
 * The editor changes lines of text, never a compiled rule: every change
 * rewrites one line (or adds or drops one) and the caller loads the text
 * again with rules_edit_load(), so what the editor shows is exactly what a
 * later run reading the written files will load.  A changed line keeps
 * every token it had, in place; only the token changed is rewritten.
 * Lines not changed are written back byte for byte.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/rules-int.h"

struct edit_file {
	char		*path;
	char		**line;		/* terminators included */
	size_t		 n;
	bool		 modified;
	bool		 readonly;	/* could not be read: never written */
	bool		 fixed;		/* the bundled set, or a file the user
					   cannot write: never written; its
					   rules move in the order file */
};

struct rules_edit {
	struct edit_file *files;
	size_t		 nfiles;
};

/* Whether c separates tokens (as the loader sees it). */
static bool
edit_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r');
}

/* Add an empty file to the copy. */
static struct edit_file *
edit_file_add(struct rules_edit *e, const char *path)
{
	struct edit_file	*f;

	e->files = xreallocarray(e->files, e->nfiles + 1, sizeof *e->files);
	f = &e->files[e->nfiles++];
	memset(f, 0, sizeof *f);
	f->path = xstrdup(path);
	return (f);
}

/* Whether path is in dir (both resolved). */
static bool
edit_under(const char *path, const char *dir)
{
	char	*rp = realpath(path, NULL), *rd = realpath(dir, NULL);
	size_t	 n = rd != NULL ? strlen(rd) : 0;
	bool	 in;

	in = rp != NULL && rd != NULL && (strcmp(rp, rd) == 0 ||
	    (strncmp(rp, rd, n) == 0 && rp[n] == '/'));
	free(rp);
	free(rd);
	return (in);
}

/* Whether a file is never written: one of the bundled rules, or a file
 * the user cannot write (the user's own files excepted). */
static bool
edit_fixed(const char *path)
{
	char	*user = rules_user_file(), *bundled = rules_bundled_dir();
	bool	 fixed = false;

	if (strcmp(path, user) != 0 && !rules_is_order_file(path))
		fixed = edit_under(path, bundled) || access(path, W_OK) != 0;
	free(user);
	free(bundled);
	return (fixed);
}

/* Copy a ruleset's files, line by line. */
struct rules_edit *
rules_edit_new(const struct ruleset *rs)
{
	struct rules_edit	*e = xcalloc(1, sizeof *e);
	const struct rules_file	*rf;
	struct edit_file	*f;
	size_t			 i, j;

	for (i = 0; i < rs->nfiles; i++) {
		rf = &rs->files[i];
		f = edit_file_add(e, rf->path);
		f->line = xreallocarray(NULL, rf->nlines + 1, sizeof *f->line);
		for (j = 0; j < rf->nlines; j++)
			f->line[j] = xstrdup(rf->lines[j].raw);
		f->n = rf->nlines;
		f->fixed = edit_fixed(rf->path);
		for (j = 0; j < rs->ndiags; j++) {
			if (rs->diags[j].fileidx == i && rs->diags[j].line == 0)
				f->readonly = true;
		}
	}
	return (e);
}

/* Free the copy. */
void
rules_edit_free(struct rules_edit *e)
{
	size_t	 i, j;

	if (e == NULL)
		return;
	for (i = 0; i < e->nfiles; i++) {
		for (j = 0; j < e->files[i].n; j++)
			free(e->files[i].line[j]);
		free(e->files[i].line);
		free(e->files[i].path);
	}
	free(e->files);
	free(e);
}

/* Load the edited text: the same files in the same order. */
struct ruleset *
rules_edit_load(const struct rules_edit *e)
{
	struct ruleset	*rs = xcalloc(1, sizeof *rs);
	struct buf	 b;
	size_t		 i, j;

	buf_init(&b);
	for (i = 0; i < e->nfiles; i++) {
		buf_reset(&b);
		for (j = 0; j < e->files[i].n; j++)
			buf_adds(&b, e->files[i].line[j]);
		rules_load_data(rs, e->files[i].path, b.s != NULL ? b.s : "",
		    b.len);
	}
	buf_free(&b);
	rules_load_finish(rs);
	return (rs);
}

/* Whether some file has changes not written yet. */
bool
rules_edit_dirty(const struct rules_edit *e)
{
	size_t	 i;

	for (i = 0; i < e->nfiles; i++) {
		if (e->files[i].modified)
			return (true);
	}
	return (false);
}

/* The index of a file in the copy, or -1. */
static long
edit_find(const struct rules_edit *e, const char *path)
{
	size_t	 i;

	for (i = 0; i < e->nfiles; i++) {
		if (strcmp(e->files[i].path, path) == 0)
			return ((long)i);
	}
	return (-1);
}

/* A rule's line in the copy (the rule as loaded last); NULL if gone. */
static char **
edit_line(struct rules_edit *e, const struct ruleset *rs, size_t ri,
    struct edit_file **fp)
{
	const struct rule	*r = &rs->rules[ri];
	struct edit_file	*f;

	if (r->file >= e->nfiles || r->line == 0)
		return (NULL);
	f = &e->files[r->file];
	if (r->line > f->n)
		return (NULL);
	*fp = f;
	return (&f->line[r->line - 1]);
}

/* The length of a line without its terminator. */
static size_t
edit_body(const char *s)
{
	size_t	 n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return (n);
}

/*
 * Find a token of a line: word=value (when want_value) or a bare word,
 * its word folded equal to w.  Sets the span [*start, *end).  Quoted values
 * are skipped as the loader cuts them.
 */
static bool
edit_token(const char *p, size_t n, const char *w, bool want_value,
    size_t *start, size_t *end)
{
	size_t	 i = 0, woff, wn;
	bool	 value;

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	for (;;) {
		while (i < n && edit_space(p[i]))
			i++;
		if (i >= n)
			return (false);
		woff = i;
		while (i < n && !edit_space(p[i]) && p[i] != '=')
			i++;
		wn = i - woff;
		value = i < n && p[i] == '=';
		if (value) {
			i++;
			if (i < n && p[i] == '"') {
				for (i++; i < n && p[i] != '"'; i++) {
					if (p[i] == '\\' && i + 1 < n)
						i++;
				}
				if (i < n)
					i++;
			} else {
				while (i < n && !edit_space(p[i]))
					i++;
			}
		}
		if (value == want_value && fold_eq(p + woff, wn, w, strlen(w))) {
			*start = woff;
			*end = i;
			return (true);
		}
	}
}

/*
 * Write line p (n bytes, no terminator) to out with a token set: word=value,
 * or a bare word when value is NULL; in place when the line has it, else
 * after the last token.  Every other byte stays as it was.
 */
void
rules_token_set(struct buf *out, const char *p, size_t n, const char *w,
    const char *value)
{
	size_t	 start, end;

	if (edit_token(p, n, w, value != NULL, &start, &end)) {
		buf_add(out, p, start);
		n -= end;
		p += end;
	} else {
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		buf_add(out, p, n);
		buf_addc(out, ' ');
		n = 0;
	}
	buf_adds(out, w);
	if (value != NULL)
		buf_printf(out, "=%s", value);
	buf_add(out, p, n);
}

/* Replace a line's text, keeping its terminator. */
static void
edit_replace(struct edit_file *f, char **line, struct buf *b)
{
	buf_adds(b, *line + edit_body(*line));
	free(*line);
	*line = buf_take(b);
	f->modified = true;
}

/* Set a token of a line (see rules_token_set). */
static void
edit_set(struct edit_file *f, char **line, const char *w, const char *value)
{
	struct buf	 b;

	buf_init(&b);
	rules_token_set(&b, *line, edit_body(*line), w, value);
	edit_replace(f, line, &b);
}

/* Quote a text for a rule line: "..." with " as \". */
static char *
edit_quote(const char *s)
{
	struct buf	 b;

	buf_init(&b);
	buf_addc(&b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_addc(&b, '\\');
		buf_addc(&b, *s);
	}
	buf_addc(&b, '"');
	return (buf_take(&b));
}

/* Whether an order file line is a kind line ("order=" or "disable") for
 * the rule named name (name= quoted or bare). */
static bool
edit_override_is(const char *line, const char *kind, const char *name)
{
	char		*q = edit_quote(name);
	const char	*p;
	size_t		 n;
	bool		 is = false;

	if (strncmp(line, kind, strlen(kind)) == 0 &&
	    (p = strpbrk(line, " \t")) != NULL) {
		p += strspn(p, " \t");
		n = edit_body(p);
		while (n > 0 && edit_space(p[n - 1]))
			n--;
		is = n > 5 && strncmp(p, "name=", 5) == 0 &&
		    ((n - 5 == strlen(q) && memcmp(p + 5, q, n - 5) == 0) ||
		    (n - 5 == strlen(name) && memcmp(p + 5, name, n - 5) == 0));
	}
	free(q);
	return (is);
}

/* Set a rule's line in the user's order file: "order=N name=NAME" (num
 * given) or "disable name=NAME"; the file is added when not there. */
static void
edit_override(struct rules_edit *e, const char *name, const char *kind,
    const char *num)
{
	char		*path = rules_order_file(), *q = edit_quote(name), *text;
	long		 fi = edit_find(e, path);
	struct edit_file *f;
	size_t		 i;
	unsigned	 lineno;

	xasprintf(&text, "%s%s name=%s", kind, num != NULL ? num : "", q);
	free(q);
	for (i = fi != -1 ? e->files[fi].n : 0; i > 0; i--) {
		f = &e->files[fi];
		if (!edit_override_is(f->line[i - 1], kind, name))
			continue;
		if (strncmp(f->line[i - 1], text, strlen(text)) != 0 ||
		    edit_body(f->line[i - 1]) != strlen(text)) {
			free(f->line[i - 1]);
			xasprintf(&f->line[i - 1], "%s\n", text);
			f->modified = true;
		}
		break;
	}
	if (i == 0)
		rules_edit_append(e, path, text, &lineno);
	free(text);
	free(path);
}

/* Drop the order file's kind lines for a rule; false when there was
 * none. */
static bool
edit_override_drop(struct rules_edit *e, const char *name, const char *kind)
{
	char		*path = rules_order_file();
	long		 fi = edit_find(e, path);
	struct edit_file *f;
	size_t		 i;
	bool		 found = false;

	free(path);
	if (fi == -1)
		return (false);
	f = &e->files[fi];
	for (i = f->n; i > 0; i--) {
		if (!edit_override_is(f->line[i - 1], kind, name))
			continue;
		free(f->line[i - 1]);
		memmove(&f->line[i - 1], &f->line[i], (f->n - i) *
		    sizeof *f->line);
		f->n--;
		f->modified = found = true;
	}
	return (found);
}

/* Give a rule a new condition. */
bool
rules_edit_set_cond(struct rules_edit *e, const struct ruleset *rs,
    size_t ri, const char *cond)
{
	struct edit_file	*f;
	char			**line, *q;

	if ((line = edit_line(e, rs, ri, &f)) == NULL || f->readonly ||
	    f->fixed)
		return (false);
	q = edit_quote(cond);
	edit_set(f, line, "rule", q);
	free(q);
	return (true);
}

/*
 * Give a rule the editor cannot write (a bundled rule) a new condition: a
 * copy of its line, with the condition and the order it runs at, goes to
 * the user's file, and the order file disables the original (its lines
 * never touch the user's file's rules).  Returns the copy's file index and
 * *lineno its line; -1 when the rule's line is gone.
 */
long
rules_edit_copy_cond(struct rules_edit *e, const struct ruleset *rs,
    size_t ri, const char *cond, unsigned *lineno)
{
	struct edit_file	*f;
	struct buf		 b1, b2;
	char			**line, *q, *user, num[24];
	size_t			 fi;

	if ((line = edit_line(e, rs, ri, &f)) == NULL || f->readonly)
		return (-1);
	q = edit_quote(cond);
	buf_init(&b1);
	rules_token_set(&b1, *line, edit_body(*line), "rule", q);
	free(q);
	snprintf(num, sizeof num, "%llu",
	    (unsigned long long)rs->rules[ri].order);
	buf_init(&b2);
	rules_token_set(&b2, b1.s, b1.len, "order", num);
	user = rules_user_file();
	fi = rules_edit_append(e, user, b2.s, lineno);
	free(user);
	buf_free(&b1);
	buf_free(&b2);
	edit_override(e, rs->rules[ri].name, "disable", NULL);
	return ((long)fi);
}

/* Set a rule's order= (added when the line has none). */
bool
rules_edit_set_order(struct rules_edit *e, const struct ruleset *rs,
    size_t ri, uint64_t order)
{
	struct edit_file	*f;
	char			**line, num[24];
	size_t			 start, end;

	if ((line = edit_line(e, rs, ri, &f)) == NULL || f->readonly)
		return (false);
	snprintf(num, sizeof num, "%llu", (unsigned long long)order);
	if (f->fixed) {
		if (rs->rules[ri].order != order)
			edit_override(e, rs->rules[ri].name, "order=", num);
		return (true);
	}
	if (edit_token(*line, edit_body(*line), "order", true, &start, &end) &&
	    end - start == 6 + strlen(num) &&
	    memcmp(*line + start + 6, num, strlen(num)) == 0)
		return (true);		/* unchanged: keep the line as it is */
	edit_set(f, line, "order", num);
	return (true);
}

/* Enable or disable a rule (the disable flag). */
bool
rules_edit_enable(struct rules_edit *e, const struct ruleset *rs, size_t ri,
    bool on)
{
	struct edit_file	*f;
	struct buf		 b;
	char			**line;
	size_t			 start, end, n;

	if ((line = edit_line(e, rs, ri, &f)) == NULL || f->readonly)
		return (false);
	if (f->fixed && !on) {
		if (!(rs->rules[ri].flags & RULE_DISABLE))
			edit_override(e, rs->rules[ri].name, "disable", NULL);
		return (true);
	}
	if (f->fixed)
		return (edit_override_drop(e, rs->rules[ri].name, "disable"));
	if (!on) {
		if (!(rs->rules[ri].flags & RULE_DISABLE))
			edit_set(f, line, "disable", NULL);
		return (true);
	}
	n = edit_body(*line);
	while (edit_token(*line, n, "disable", false, &start, &end) ||
	    edit_token(*line, n, "disabled", false, &start, &end)) {
		while (start > 0 && ((*line)[start - 1] == ' ' ||
		    (*line)[start - 1] == '\t'))
			start--;
		buf_init(&b);
		buf_add(&b, *line, start);
		buf_add(&b, *line + end, n - end);
		edit_replace(f, line, &b);
		n = edit_body(*line);
	}
	return (true);
}

/* Delete a rule's line (the comments above it stay). */
bool
rules_edit_delete(struct rules_edit *e, const struct ruleset *rs, size_t ri)
{
	struct edit_file	*f;
	char			**line;
	size_t			 i;

	if ((line = edit_line(e, rs, ri, &f)) == NULL || f->readonly ||
	    f->fixed)
		return (false);
	i = (size_t)(line - f->line);
	free(*line);
	memmove(&f->line[i], &f->line[i + 1], (f->n - i - 1) *
	    sizeof *f->line);
	f->n--;
	f->modified = true;
	return (true);
}

/*
 * Append a line to a file, added to the copy (empty, written on the next
 * write) when it is not there.  The line gets the file's line ending.
 * Returns the file's index; *line the new line's 1-based number.
 */
size_t
rules_edit_append(struct rules_edit *e, const char *path, const char *text,
    unsigned *lineno)
{
	struct edit_file	*f;
	const char		*eol = "\n";
	long			 fi = edit_find(e, path);
	size_t			 n;
	char			*last;

	if (fi == -1) {
		f = edit_file_add(e, path);
		fi = (long)e->nfiles - 1;
	} else
		f = &e->files[fi];
	if (f->n > 0) {
		n = strlen(f->line[0]);
		if (n >= 2 && f->line[0][n - 2] == '\r')
			eol = "\r\n";
		last = f->line[f->n - 1];
		n = strlen(last);
		if (n == 0 || last[n - 1] != '\n') {
			f->line[f->n - 1] = xrealloc(last, n + 3);
			strcpy(f->line[f->n - 1] + n, eol);
		}
	}
	f->line = xreallocarray(f->line, f->n + 1, sizeof *f->line);
	xasprintf(&f->line[f->n++], "%s%s", text, eol);
	f->modified = true;
	f->readonly = false;
	f->fixed = false;	/* asked for: written, or the write fails */
	*lineno = (unsigned)f->n;
	return ((size_t)fi);
}

/*
 * One file being written: the file its text replaces (a symlink's target)
 * and the temporary beside it that takes its place.
 */
struct edit_tmp {
	struct edit_file	*f;
	char			*target;
	char			*tmp;		/* NULL until created */
};

/*
 * Where a file's text goes: the file, or the file a symlink names (the
 * link stays a link); a file not there yet is created as named.
 */
static char *
edit_target(const char *path)
{
	struct stat	 sb;
	char		*real, link[4096], *dir, *slash;
	ssize_t		 n;

	if (lstat(path, &sb) != 0 || !S_ISLNK(sb.st_mode))
		return (xstrdup(path));
	if ((real = realpath(path, NULL)) != NULL)
		return (real);
	/* A link to a file not there yet: the name it holds. */
	if ((n = readlink(path, link, sizeof link - 1)) <= 0)
		return (xstrdup(path));
	link[n] = '\0';
	if (link[0] == '/' || (slash = strrchr(path, '/')) == NULL)
		return (xstrdup(link));
	xasprintf(&dir, "%.*s/%s", (int)(slash - path), path, link);
	return (dir);
}

/*
 * Write a file's lines to a new temporary in its target's directory,
 * created with O_EXCL under a name no one can guess (mkstemp), with the
 * target's mode and owner, and synced.  False with *cause naming the file.
 */
static bool
edit_tmp_write(struct edit_tmp *t, char **cause)
{
	FILE		*fp;
	size_t		 i;
	mode_t		 mask;
	int		 err = 0;

	make_parents(t->target, 0755);
	mask = umask(022);		/* a new file: 0666 less the umask */
	umask(mask);
	if ((fp = file_tmp_open(t->target, 0666 & ~mask, true,
	    &t->tmp)) == NULL) {
		xasprintf(cause, "%s: %s", esc_str(t->f->path), strerror(errno));
		return (false);
	}
	for (i = 0; i < t->f->n && err == 0; i++) {
		errno = 0;
		if (fputs(t->f->line[i], fp) == EOF)
			err = errno != 0 ? errno : EIO;
	}
	return (file_finish(fp, t->f->path, FILE_SYNC | FILE_CLOSE, err,
	    cause));
}

/*
 * Rename every temporary over its file (the last step: every temporary is
 * written and synced by then).  False with *cause when a rename fails; the
 * files renamed before it are written.
 */
static bool
edit_rename_all(struct edit_tmp *t, size_t n, char **cause)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (rename(t[i].tmp, t[i].target) != 0) {
			xasprintf(cause, "%s: %s", esc_str(t[i].f->path),
			    strerror(errno));
			return (false);
		}
		free(t[i].tmp);
		t[i].tmp = NULL;
		t[i].f->modified = false;
		file_sync_dir(t[i].target);
	}
	return (true);
}

/*
 * Write every changed file (only path's when path is not NULL), all or
 * none: every temporary is written first, then all are renamed; when one
 * cannot be written, every temporary is removed and every file is left as
 * it was.  False with *cause (caller frees) naming the file.
 */
bool
rules_edit_write(struct rules_edit *e, const char *path, char **cause)
{
	struct edit_tmp	*t;
	size_t		 i, n = 0;
	bool		 ok = true;

	t = xcalloc(e->nfiles + 1, sizeof *t);
	for (i = 0; i < e->nfiles; i++) {
		if (!e->files[i].modified || e->files[i].readonly ||
		    e->files[i].fixed)
			continue;
		if (path != NULL && strcmp(path, e->files[i].path) != 0)
			continue;
		t[n].f = &e->files[i];
		t[n].target = edit_target(e->files[i].path);
		if (!(ok = edit_tmp_write(&t[n++], cause)))
			break;
	}
	if (ok)
		ok = edit_rename_all(t, n, cause);
	for (i = 0; i < n; i++) {
		if (t[i].tmp != NULL)
			unlink(t[i].tmp);
		free(t[i].tmp);
		free(t[i].target);
	}
	free(t);
	return (ok);
}

/* Files in the copy, and whether each has changes not written. */
size_t
rules_edit_nfiles(const struct rules_edit *e)
{
	return (e->nfiles);
}

const char *
rules_edit_path(const struct rules_edit *e, size_t i)
{
	return (e->files[i].path);
}

bool
rules_edit_modified(const struct rules_edit *e, size_t i)
{
	return (e->files[i].modified);
}

/*
 * Renumber order= 10, 20, ... in the given sequence of rules (indices
 * into rs): evaluation then follows the sequence whatever the files.
 */
void
rules_edit_renumber(struct rules_edit *e, const struct ruleset *rs,
    const size_t *seq, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		rules_edit_set_order(e, rs, seq[i], 10 * (uint64_t)(i + 1));
}

/* A new rule line in the format NetWitness exports. */
char *
rules_format_line(const char *name, const char *cond, const char *alert,
    uint64_t order)
{
	char	*qn = NULL, *qc = edit_quote(cond), *s;
	size_t	 i;
	bool	 bare = *name != '\0';

	for (i = 0; name[i] != '\0'; i++) {
		if (edit_space(name[i]) || name[i] == '"' || name[i] == '=' ||
		    name[i] == '\\' || name[i] == '#')
			bare = false;
	}
	if (!bare)
		qn = edit_quote(name);
	if (order != 0)
		xasprintf(&s, "name=%s rule=%s alert=%s order=%llu "
		    "type=application", bare ? name : qn, qc, alert,
		    (unsigned long long)order);
	else
		xasprintf(&s, "name=%s rule=%s alert=%s type=application",
		    bare ? name : qn, qc, alert);
	free(qn);
	free(qc);
	return (s);
}

/* Rule index at evaluation position k. */
size_t
rules_sorted(const struct ruleset *rs, size_t k)
{
	return (rs->sorted[k]);
}

/* A rule's file index (in load order). */
size_t
rules_fileidx(const struct ruleset *rs, size_t ri)
{
	return (rs->rules[ri].file);
}

/* The rule named name (case folded), or -1. */
long
rules_find(const struct ruleset *rs, const char *name)
{
	size_t	 i;

	for (i = 0; i < rs->nrules; i++) {
		if (rs->rules[i].name != NULL && fold_eq(rs->rules[i].name,
		    strlen(rs->rules[i].name), name, strlen(name)))
			return ((long)i);
	}
	return (-1);
}

/*
 * The rules ri depends on: the writers of the values it reads (edges of
 * the order check).  Fills out (up to max); returns how many there are.
 */
size_t
rules_writers_of(const struct ruleset *rs, size_t ri, size_t *out,
    size_t max)
{
	size_t	 e, n = 0;

	for (e = 0; e < rs->ndeps; e++) {
		if (rs->deps[2 * e + 1] != ri)
			continue;
		if (n < max)
			out[n] = rs->deps[2 * e];
		n++;
	}
	return (n);
}
