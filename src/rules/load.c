/* load.c - read NetWitness rule lines (SPEC §4) into a ruleset. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/rules-int.h"

/* A token's value as cut from the line. */
struct load_val {
	char		*s;		/* reduced, NUL-terminated */
	size_t		 n;
	size_t		 off;		/* raw offset of the value */
};

/* Whether c separates tokens. */
static bool
load_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r');
}

/* Record a diagnostic at a file, line and column. */
void
rules_diag_add(struct ruleset *rs, size_t file, unsigned line, unsigned col,
    bool error, long rule, const char *fmt, ...)
{
	struct rules_diag	*d;
	va_list			 ap;

	rs->diags = xreallocarray(rs->diags, rs->ndiags + 1, sizeof *rs->diags);
	d = &rs->diags[rs->ndiags++];
	d->file = file < rs->nfiles ? rs->files[file].path : "";
	d->fileidx = file;
	d->line = line;
	d->col = col;
	d->error = error;
	d->rule = rule;
	va_start(ap, fmt);
	xvasprintf(&d->msg, fmt, ap);
	va_end(ap);
}

/* Raw 1-based column of a 1-based column of a rule's reduced condition. */
unsigned
rules_cond_col(const struct rule *r, size_t col)
{
	size_t	 i = r->condoff, k = 1;

	while (k < col && i < r->rawlen) {
		if (r->raw[i] == '\\' && i + 1 < r->rawlen) {
			if (r->raw[i + 1] == '"')
				i += 2, k++;
			else
				i += 2, k += 2;
		} else
			i++, k++;
	}
	if (k > col)		/* landed inside a kept backslash pair */
		i--;
	return ((unsigned)i + 1);
}

/*
 * Cut a double-quoted value starting after the quote at *i: \" becomes ",
 * any other backslash stays with the byte after it.  False when the quote
 * is not closed.
 */
static bool
load_quoted(const char *p, size_t n, size_t *i, struct load_val *v)
{
	struct buf	 b;
	size_t		 j = *i;

	buf_init(&b);
	v->off = j;
	while (j < n && p[j] != '"') {
		if (p[j] == '\\' && j + 1 < n) {
			if (p[j + 1] != '"')
				buf_addc(&b, '\\');
			buf_addc(&b, p[j + 1]);
			j += 2;
		} else
			buf_addc(&b, p[j++]);
	}
	if (j >= n) {
		buf_free(&b);
		return (false);
	}
	*i = j + 1;
	v->n = b.len;
	v->s = b.s != NULL ? buf_take(&b) : xstrdup("");
	return (true);
}

/* Cut a bare value: up to the next blank. */
static void
load_bare(const char *p, size_t n, size_t *i, struct load_val *v)
{
	size_t	 j = *i;

	while (j < n && !load_space(p[j]))
		j++;
	v->off = *i;
	v->n = j - *i;
	v->s = xmalloc(v->n + 1);	/* not xstrndup: the value may hold NUL */
	memcpy(v->s, p + *i, v->n);
	v->s[v->n] = '\0';
	*i = j;
}

/* Whether a token word is w (case folded). */
static bool
load_is(const char *p, size_t n, const char *w)
{
	return (fold_eq(p, n, w, strlen(w)));
}

/* Store a name=, rule=, alert=, group=, window= or threshold= value;
 * false when given twice. */
static bool
load_set(struct ruleset *rs, struct rule *r, long idx, const char *w,
    size_t wn, size_t woff, struct load_val *v)
{
	char	**slot;
	size_t	*off = NULL;

	if (load_is(w, wn, "name"))
		slot = &r->name;
	else if (load_is(w, wn, "rule"))
		slot = &r->cond;
	else if (load_is(w, wn, "group"))
		slot = &r->cgroup, off = &r->cgroupoff;
	else if (load_is(w, wn, "window"))
		slot = &r->cwindow, off = &r->cwindowoff;
	else if (load_is(w, wn, "threshold"))
		slot = &r->cthresh, off = &r->cthreshoff;
	else
		slot = &r->alertname;
	if (*slot != NULL) {
		rules_diag_add(rs, r->file, r->line, (unsigned)woff + 1, true,
		    idx, "%s= given twice", esc_strn(w, wn));
		free(v->s);
		return (false);
	}
	*slot = v->s;
	if (off != NULL)
		*off = v->off;
	else if (slot == &r->name)
		r->namelen = v->n;
	else if (slot == &r->cond) {
		r->condlen = v->n;
		r->condoff = v->off;
	} else
		r->alertoff = v->off;
	return (true);
}

/* Handle one word=value token; false on an error. */
static bool
load_keyval(struct ruleset *rs, struct rule *r, long idx, const char *w,
    size_t wn, size_t woff, size_t end, struct load_val *v)
{
	unsigned	 col = (unsigned)woff + 1;

	if (load_is(w, wn, "name") || load_is(w, wn, "rule") ||
	    load_is(w, wn, "alert") || load_is(w, wn, "group") ||
	    load_is(w, wn, "window") || load_is(w, wn, "threshold"))
		return (load_set(rs, r, idx, w, wn, woff, v));
	if (load_is(w, wn, "order")) {
		if (!parse_u64(v->s, v->n, &r->order)) {
			rules_diag_add(rs, r->file, r->line, (unsigned)v->off + 1,
			    true, idx, "order= wants a number, not '%s'",
			    esc_str(v->s));
			free(v->s);
			return (false);
		}
		r->orderoff = woff;
		r->orderlen = end - woff;
	} else if (load_is(w, wn, "type")) {
		if (load_is(v->s, v->n, "correlation"))
			r->flags |= RULE_CORR;
		else if (!load_is(v->s, v->n, "application"))
			rules_diag_add(rs, r->file, r->line, col, false, idx,
			    "type=%s is not supported; treated as application",
			    esc_str(v->s));
	} else if (load_is(w, wn, "truncate")) {
		r->flags |= RULE_TRUNCATE;
		rules_diag_add(rs, r->file, r->line, col, false, idx,
		    "truncate= does not apply to huntcon (kept, ignored)");
	} else
		rules_diag_add(rs, r->file, r->line, col, false, idx,
		    "unknown word '%s' (kept, ignored)",
		    esc_strn(r->raw + woff, end - woff));
	free(v->s);
	return (true);
}

/* Handle one bare word: a flag or an unknown word. */
static void
load_flag(struct ruleset *rs, struct rule *r, long idx, const char *w,
    size_t wn, size_t woff)
{
	if (load_is(w, wn, "stop"))
		r->flags |= RULE_STOP;
	else if (load_is(w, wn, "transient"))
		r->flags |= RULE_TRANSIENT;
	else if (load_is(w, wn, "disable") || load_is(w, wn, "disabled"))
		r->flags |= RULE_DISABLE;
	else
		rules_diag_add(rs, r->file, r->line, (unsigned)woff + 1, false,
		    idx, "unknown word '%s' (kept, ignored)", esc_strn(w, wn));
}

/* Cut the tokens of a rule line from offset i; false on an error. */
static bool
load_tokens(struct ruleset *rs, struct rule *r, long idx, size_t i)
{
	const char	*p = r->raw, *w;
	size_t		 n = r->rawlen, woff, wn;
	struct load_val	 v;

	for (;;) {
		while (i < n && load_space(p[i]))
			i++;
		if (i >= n)
			return (true);
		woff = i;
		while (i < n && !load_space(p[i]) && p[i] != '=')
			i++;
		w = p + woff;
		wn = i - woff;
		if (i >= n || p[i] != '=') {
			load_flag(rs, r, idx, w, wn, woff);
			continue;
		}
		i++;
		if (i < n && p[i] == '"') {
			i++;
			if (!load_quoted(p, n, &i, &v)) {
				rules_diag_add(rs, r->file, r->line,
				    (unsigned)i, true, idx,
				    "unterminated quote in %s=", esc_strn(w, wn));
				return (false);
			}
		} else
			load_bare(p, n, &i, &v);
		if (!load_keyval(rs, r, idx, w, wn, woff, i, &v))
			return (false);
	}
}

/* Check that name, rule and alert were all given. */
static bool
load_required(struct ruleset *rs, struct rule *r, long idx)
{
	const char	*miss = NULL;

	if (r->name == NULL)
		miss = "name";
	else if (r->cond == NULL)
		miss = "rule";
	else if (r->alertname == NULL)
		miss = "alert";
	if (miss == NULL) {
		if (r->namelen != 0)
			return (true);
		miss = "a non-empty name";
	}
	rules_diag_add(rs, r->file, r->line, 0, true, idx, "rule has no %s%s",
	    miss, strchr(miss, ' ') == NULL ? "=" : "");
	return (false);
}

/*
 * Check that a correlation rule has group=, window= and threshold=, and
 * that an application rule has none of them.
 */
static bool
load_required_corr(struct ruleset *rs, struct rule *r, long idx)
{
	const char	*miss = NULL, *extra = NULL;
	size_t		 off = 0;

	if (r->flags & RULE_CORR) {
		if (r->cgroup == NULL)
			miss = "group";
		else if (r->cwindow == NULL)
			miss = "window";
		else if (r->cthresh == NULL)
			miss = "threshold";
	} else if (r->cgroup != NULL)
		extra = "group", off = r->cgroupoff;
	else if (r->cwindow != NULL)
		extra = "window", off = r->cwindowoff;
	else if (r->cthresh != NULL)
		extra = "threshold", off = r->cthreshoff;
	if ((r->flags & RULE_CORR) && (r->flags & (RULE_STOP |
	    RULE_TRANSIENT)))
		rules_diag_add(rs, r->file, r->line, 0, false, idx,
		    "%s does not apply to correlation rules (kept, ignored)",
		    r->flags & RULE_STOP ? "stop" : "transient");
	if (miss != NULL)
		rules_diag_add(rs, r->file, r->line, 0, true, idx,
		    "correlation rule has no %s=", miss);
	else if (extra != NULL) {
		while (off > 0 && r->raw[off - 1] != '=')
			off--;
		rules_diag_add(rs, r->file, r->line, (unsigned)(off -
		    strlen(extra)), true, idx, "%s= goes with "
		    "type=correlation", extra);
	}
	return (miss == NULL && extra == NULL);
}

/* Parse one rule line starting at offset start. */
static void
load_rule(struct ruleset *rs, size_t file, unsigned line, struct rules_line *l,
    size_t start)
{
	struct rule	*r;
	long		 idx = (long)rs->nrules;
	size_t		 n = l->len;
	const char	*nul;

	while (n > 0 && (l->raw[n - 1] == '\n' || l->raw[n - 1] == '\r'))
		n--;
	rs->rules = xreallocarray(rs->rules, rs->nrules + 1, sizeof *rs->rules);
	r = &rs->rules[rs->nrules++];
	memset(r, 0, sizeof *r);
	r->file = file;
	r->line = line;
	r->raw = l->raw;
	r->rawlen = n;
	r->alert = -1;
	l->rule = idx;
	if ((nul = memchr(r->raw, '\0', n)) != NULL) {
		rules_diag_add(rs, file, line, (unsigned)(nul - r->raw) + 1,
		    true, idx, "NUL byte");
		r->flags |= RULE_ERROR;
	} else if (!load_tokens(rs, r, idx, start) ||
	    !load_required(rs, r, idx) || !load_required_corr(rs, r, idx))
		r->flags |= RULE_ERROR;
	if (r->name == NULL)
		r->name = xstrdup("");
	r->value.type = MT_TEXT;
	r->value.text.p = r->name;
	r->value.text.n = (uint32_t)r->namelen;
}

/* Classify one line: blank, comment, or a rule (a NUL byte: an error). */
static void
load_line(struct ruleset *rs, size_t file, unsigned line, struct rules_line *l)
{
	const char	*nul;
	size_t		 i = 0;

	if (line == 1 && l->len >= 3 && memcmp(l->raw, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < l->len && (load_space(l->raw[i]) || l->raw[i] == '\n'))
		i++;
	if (i == l->len)
		return;
	if (l->raw[i] == '#') {
		l->comment = true;
		if ((nul = memchr(l->raw, '\0', l->len)) != NULL)
			rules_diag_add(rs, file, line, (unsigned)(nul - l->raw) +
			    1, true, -1, "NUL byte");
		return;
	}
	load_rule(rs, file, line, l, i);
}

/* Add a file's contents to the ruleset, line by line. */
static void
load_data(struct ruleset *rs, const char *path, const char *data, size_t len)
{
	struct rules_file	*f;
	struct rules_line	*l;
	size_t			 i = 0, j, fi = rs->nfiles;

	rs->files = xreallocarray(rs->files, fi + 1, sizeof *rs->files);
	f = &rs->files[rs->nfiles++];
	f->path = xstrdup(path);
	f->lines = NULL;
	f->nlines = 0;
	f->order = rules_is_order_file(path);
	while (i < len) {
		for (j = i; j < len && data[j] != '\n'; j++)
			;
		if (j < len)
			j++;
		f->lines = xreallocarray(f->lines, f->nlines + 1,
		    sizeof *f->lines);
		l = &f->lines[f->nlines++];
		l->raw = xmalloc(j - i + 1);
		memcpy(l->raw, data + i, j - i);
		l->raw[j - i] = '\0';
		l->len = j - i;
		l->rule = -1;
		l->comment = false;
		i = j;
	}
	for (i = 0; i < rs->files[fi].nlines; i++) {
		if (rs->files[fi].order)
			rules_order_line(rs, fi, (unsigned)i + 1,
			    &rs->files[fi].lines[i]);
		else
			load_line(rs, fi, (unsigned)i + 1,
			    &rs->files[fi].lines[i]);
	}
}

/* What keeps a rule source from being read as a file, or NULL. */
static const char *
load_unfit(const struct stat *st)
{
	if (S_ISFIFO(st->st_mode))
		return ("is a FIFO");
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		return ("is a device");
	if (S_ISSOCK(st->st_mode))
		return ("is a socket");
	return (NULL);
}

/*
 * Read a whole file into memory (opened without blocking, so a FIFO or a
 * device is refused rather than waited on); NULL with *why on failure.
 */
static char *
load_read(const char *path, size_t *len, const char **why)
{
	FILE	*fp;
	struct buf b;
	struct stat st;
	char	 tmp[8192];
	size_t	 n;
	int	 fd, e;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) != 0 || (*why = load_unfit(&st)) != NULL ||
	    (fp = fdopen(fd, "rb")) == NULL) {
		if (fd != -1)
			close(fd);
		if (*why == NULL)
			*why = strerror(errno);
		return (NULL);
	}
	buf_init(&b);
	while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
		buf_add(&b, tmp, n);
	e = ferror(fp) ? EIO : 0;
	fclose(fp);
	if (e != 0) {
		buf_free(&b);
		*why = strerror(e);
		return (NULL);
	}
	*len = b.len;
	return (b.s != NULL ? buf_take(&b) : xstrdup(""));
}

/* Record that a source cannot be read. */
static void
load_fail(struct ruleset *rs, const char *path, const char *why)
{
	size_t	 fi = rs->nfiles;

	rs->files = xreallocarray(rs->files, fi + 1, sizeof *rs->files);
	rs->files[fi].path = xstrdup(path);
	rs->files[fi].lines = NULL;
	rs->files[fi].nlines = 0;
	rs->nfiles++;
	rules_diag_add(rs, fi, 0, 0, true, -1, "cannot read: %s", why);
}

/* Load one file. */
static void
load_file(struct ruleset *rs, const char *path)
{
	const char	*why = NULL;
	char		*data;
	size_t		 len;

	if ((data = load_read(path, &len, &why)) == NULL) {
		load_fail(rs, path, why);
		return;
	}
	load_data(rs, path, data, len);
	free(data);
}

/* Compare two names bytewise for qsort. */
static int
load_namecmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Load a directory's *.nwr files in bytewise name order. */
static void
load_dir(struct ruleset *rs, const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL, *path;
	size_t		 n = 0, i, len, dl = strlen(dir);

	if ((d = opendir(dir)) == NULL) {
		load_fail(rs, dir, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 4 || strcmp(de->d_name + len - 4, ".nwr") != 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, load_namecmp);
	for (i = 0; i < n; i++) {
		xasprintf(&path, "%s%s%s", dir,
		    dl > 0 && dir[dl - 1] == '/' ? "" : "/", names[i]);
		load_file(rs, path);
		free(path);
		free(names[i]);
	}
	free(names);
}

/* Load one source: a file, a directory, "bundled" or "none". */
static void
load_source(struct ruleset *rs, const char *src)
{
	struct stat	 st;
	char		*bundled = NULL;

	if (strcmp(src, "none") == 0)
		return;
	if (strcmp(src, "bundled") == 0)
		src = bundled = rules_bundled_dir();
	if (stat(src, &st) == 0 && S_ISDIR(st.st_mode))
		load_dir(rs, src);
	else
		load_file(rs, src);
	free(bundled);
}

/* $HUNTCON_RULES, else the installed rules, else HUNTCON_RULES_DIR. */
char *
rules_bundled_dir(void)
{
	return (datadir_path("HUNTCON_RULES", "rules", HUNTCON_RULES_DIR));
}

/* The user's rule file path. */
char *
rules_user_file(void)
{
	return (datadir_config("rules/user.nwr"));
}

/* Whether a name can be a meta key (alert=): letters, digits, ".", "_",
 * "-". */
bool
rules_keyname_ok(const char *p)
{
	if (*p == '\0')
		return (false);
	for (; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-'))
			return (false);
	}
	return (true);
}

/* Intern a rule's alert key; an error when it is not text. */
static void
load_alert(struct ruleset *rs, struct rule *r, long idx)
{
	const struct meta_key	*k;

	if (!rules_keyname_ok(r->alertname)) {
		rules_diag_add(rs, r->file, r->line, (unsigned)r->alertoff + 1,
		    true, idx, "alert= wants a key name, not '%s'",
		    esc_str(r->alertname));
		r->flags |= RULE_ERROR;
		return;
	}
	r->alert = meta_intern(r->alertname, strlen(r->alertname), MT_TEXT);
	k = meta_key(r->alert);
	if (k != NULL && k->type == MT_TEXT)
		return;
	rules_diag_add(rs, r->file, r->line, (unsigned)r->alertoff + 1, true,
	    idx, "alert=%s is a %s key; rules write text",
	    esc_str(r->alertname),
	    k != NULL ? meta_type_name(k->type) : "?");
	r->flags |= RULE_ERROR;
}

/* Compile a rule's condition, mapping columns back to the raw line. */
static void
load_compile(struct ruleset *rs, struct rule *r, long idx)
{
	struct query_error	 err;
	size_t			 i;

	r->q = query_compile(r->cond, r->condlen, 0, &err);
	for (i = 0; i < err.nwarnings; i++)
		rules_diag_add(rs, r->file, r->line,
		    rules_cond_col(r, err.warnings[i].col), false, idx, "%s",
		    err.warnings[i].msg);
	if (r->q == NULL) {
		rules_diag_add(rs, r->file, r->line, rules_cond_col(r, err.col),
		    true, idx, "%s", err.msg);
		r->flags |= RULE_ERROR;
	}
	query_error_clear(&err);
}

/* Hash of a name, folded, with the key when the index groups by key. */
static uint64_t
load_index_hash(const struct rules_index *ix, int key, const char *p,
    size_t n)
{
	uint64_t	 h = fold_hash(p, n);

	if (ix->bykey)
		h ^= ((uint64_t)(unsigned)key + 1) * 0x9e3779b97f4a7c15ULL;
	return (h);
}

/* The slot of a key and name: its group's, or the empty one to take. */
static size_t
load_index_slot(const struct rules_index *ix, const struct ruleset *rs,
    int key, const char *p, size_t n)
{
	const struct rule	*h;
	size_t			 i = load_index_hash(ix, key, p, n) & ix->mask;

	for (; ix->slot[i] != 0; i = (i + 1) & ix->mask) {
		h = &rs->rules[ix->slot[i] - 1];
		if ((!ix->bykey || h->alert == key) &&
		    fold_eq(h->name, h->namelen, p, n))
			break;
	}
	return (i);
}

/* Group n rules, taken in the order given. */
void
rules_index_build(struct rules_index *ix, const struct ruleset *rs,
    const size_t *order, size_t n, bool bykey)
{
	const struct rule	*r;
	size_t			*tail, size = 16, i, j, ri;

	while (size < 2 * n)
		size *= 2;
	ix->slot = xcalloc(size, sizeof *ix->slot);
	ix->mask = size - 1;
	ix->next = xreallocarray(NULL, rs->nrules + 1, sizeof *ix->next);
	ix->bykey = bykey;
	tail = xreallocarray(NULL, rs->nrules + 1, sizeof *tail);
	for (i = 0; i < n; i++) {
		ri = order[i];
		r = &rs->rules[ri];
		ix->next[ri] = SIZE_MAX;
		j = load_index_slot(ix, rs, r->alert, r->name, r->namelen);
		if (ix->slot[j] == 0)
			ix->slot[j] = ri + 1;
		else
			ix->next[tail[ix->slot[j] - 1]] = ri;
		tail[ix->slot[j] - 1] = ri;
	}
	free(tail);
}

/* The first rule of the group of a key and name, or -1. */
long
rules_index_find(const struct rules_index *ix, const struct ruleset *rs,
    int key, const char *p, size_t n)
{
	size_t	 j = load_index_slot(ix, rs, key, p, n);

	return ((long)ix->slot[j] - 1);
}

/* Free an index's tables. */
void
rules_index_free(struct rules_index *ix)
{
	free(ix->slot);
	free(ix->next);
}

/* The ruleset being sorted, for load_ordercmp. */
static const struct ruleset *load_sorting;

/* Compare two rules by evaluation order. */
static int
load_ordercmp(const void *a, const void *b)
{
	const struct rule	*x = &load_sorting->rules[*(const size_t *)a];
	const struct rule	*y = &load_sorting->rules[*(const size_t *)b];

	if ((x->flags & RULE_CORR) != (y->flags & RULE_CORR))
		return (x->flags & RULE_CORR ? 1 : -1);
	if (x->order != y->order)
		return (x->order < y->order ? -1 : 1);
	if (x->file != y->file)
		return (x->file < y->file ? -1 : 1);
	return (x->line < y->line ? -1 : x->line > y->line);
}

/* Whether a rule takes part in evaluation and the check. */
bool
rules_live(const struct rule *r)
{
	return (!(r->flags & (RULE_ERROR | RULE_DISABLE)));
}

/* Intern alerts, compile conditions, sort, and run the order check. */
static void
load_finish(struct ruleset *rs)
{
	size_t	 i;

	rules_order_apply(rs);
	for (i = 0; i < rs->nrules; i++) {
		if (!(rs->rules[i].flags & RULE_ERROR))
			load_alert(rs, &rs->rules[i], (long)i);
	}
	for (i = 0; i < rs->nrules; i++) {
		if (!(rs->rules[i].flags & RULE_ERROR))
			load_compile(rs, &rs->rules[i], (long)i);
		if ((rs->rules[i].flags & (RULE_ERROR | RULE_CORR)) ==
		    RULE_CORR && !corr_compile(rs, &rs->rules[i], (long)i))
			rs->rules[i].flags |= RULE_ERROR;
	}
	rs->sorted = xreallocarray(NULL, rs->nrules + 1, sizeof *rs->sorted);
	rs->run = xreallocarray(NULL, rs->nrules + 1, sizeof *rs->run);
	rs->corr = xreallocarray(NULL, rs->nrules + 1, sizeof *rs->corr);
	for (i = 0; i < rs->nrules; i++)
		rs->sorted[i] = i;
	load_sorting = rs;
	qsort(rs->sorted, rs->nrules, sizeof *rs->sorted, load_ordercmp);
	load_sorting = NULL;
	for (i = 0; i < rs->nrules; i++) {
		if (!rules_live(&rs->rules[rs->sorted[i]]))
			continue;
		if (rs->rules[rs->sorted[i]].flags & RULE_CORR) {
			rs->corr[rs->ncorr++] = rs->sorted[i];
			continue;
		}
		rs->run[rs->nrun++] = rs->sorted[i];
		if (rs->rules[rs->sorted[i]].flags & RULE_TRANSIENT)
			rs->transient = true;
	}
	apply_prepare(rs);
	check_analyse(rs);
}

/* Load rule sources in order (none given: bundled, then the user's). */
struct ruleset *
rules_load(const char *const *sources, size_t n)
{
	struct ruleset	*rs = xcalloc(1, sizeof *rs);
	struct stat	 st;
	char		*user;
	size_t		 i;

	if (n == 0) {
		load_source(rs, "bundled");
		user = rules_user_file();
		if (stat(user, &st) == 0)
			load_file(rs, user);
		free(user);
		user = rules_order_file();
		if (stat(user, &st) == 0)
			load_file(rs, user);
		free(user);
	}
	for (i = 0; i < n; i++)
		load_source(rs, sources[i]);
	load_finish(rs);
	return (rs);
}

/* Load one in-memory file. */
struct ruleset *
rules_load_buffer(const char *name, const char *data, size_t len)
{
	struct ruleset	*rs = xcalloc(1, sizeof *rs);

	load_data(rs, name, data, len);
	load_finish(rs);
	return (rs);
}

/* Free a ruleset. */
void
rules_free(struct ruleset *rs)
{
	size_t	 i, j;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->nrules; i++) {
		free(rs->rules[i].name);
		free(rs->rules[i].cond);
		free(rs->rules[i].alertname);
		free(rs->rules[i].cgroup);
		free(rs->rules[i].cwindow);
		free(rs->rules[i].cthresh);
		corr_spec_free(rs->rules[i].corr);
		query_free(rs->rules[i].q);
	}
	for (i = 0; i < rs->nfiles; i++) {
		for (j = 0; j < rs->files[i].nlines; j++)
			free(rs->files[i].lines[j].raw);
		free(rs->files[i].lines);
		free(rs->files[i].path);
	}
	for (i = 0; i < rs->ndiags; i++)
		free(rs->diags[i].msg);
	free(rs->diags);
	for (i = 0; i < rs->novr; i++)
		free(rs->ovr[i].name);
	free(rs->ovr);
	free(rs->rules);
	free(rs->files);
	free(rs->sorted);
	free(rs->run);
	free(rs->corr);
	free(rs->runq);
	free(rs->namecls);
	free(rs->xkeys);
	free(rs->deps);
	free(rs);
}

/* Add one in-memory file to a ruleset being built (the rule editor). */
void
rules_load_data(struct ruleset *rs, const char *path, const char *data,
    size_t len)
{
	load_data(rs, path, data, len);
}

/* Compile, sort and check a ruleset built with rules_load_data(). */
void
rules_load_finish(struct ruleset *rs)
{
	load_finish(rs);
}
