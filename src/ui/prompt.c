/* prompt.c - the prompt line: GNU readline through its callback interface,
 * drawn inside the curses screen, with history, completion (of queries, of
 * file names or of lists of key names) and errors shown with a caret under
 * their column.  The query prompt (/), rule conditions, rule names, export
 * file names and the Events pane's columns all go through it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <curses.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "ui/ui-int.h"

#define PROMPT_HISTORY	1000
#define PROMPT_QUEUE	64
static struct ui	*prompt_ui;
static char		*prompt_label;
static enum prompt_kind	 prompt_kind;
static prompt_fn	 prompt_done_fn;
static void		*prompt_arg;
static unsigned int	 prompt_opened;		/* prompts opened */
static bool		 prompt_inline;		/* in the line handler */
static unsigned char	 prompt_queue[PROMPT_QUEUE];
static size_t		 prompt_qlen, prompt_qpos;
static char		*prompt_keep;		/* text kept after an error */
static char		*prompt_err;
static size_t		 prompt_errcol;
static char		*prompt_histfile;
static FILE		*prompt_null;
static char		**prompt_cands;		/* completion candidates */
static size_t		 prompt_ncands;
static char		*prompt_qpre;		/* quoted text before the word */

static const char *const prompt_ops[] = { "=", "!=", "<", "<=", ">", ">=",
    "begins", "ends", "contains", "regex", "length", "exists", "!exists",
    "ucount", NULL };

/* Readline reads its characters from the queue the keys fill. */
static int
prompt_getc(FILE *f)
{
	(void)f;
	if (prompt_qpos >= prompt_qlen)
		return (EOF);
	return (prompt_queue[prompt_qpos++]);
}

/* Whether the queue has a character. */
static int
prompt_avail(void)
{
	return (prompt_qpos < prompt_qlen);
}

/* Readline wants the line drawn: the next loop turn will. */
static void
prompt_redisplay(void)
{
	if (prompt_ui != NULL)
		prompt_ui->dirty |= DIRTY_SCREEN;
}

/* Curses owns the terminal: readline must not touch its modes. */
static void
prompt_prep(int meta)
{
	(void)meta;
}

/* Counterpart of prompt_prep. */
static void
prompt_deprep(void)
{
}

/* What / says on opening: a new path, or the path to edit. */
static const char *const prompt_hint[] = {
	"a new path: Enter applies it, Esc cancels",
	"editing the path: Enter applies it, C-u starts a new one, Esc cancels"
};

/* Close the prompt (and the hint / gave, unless a message replaced it). */
static void
prompt_close(struct ui *u)
{
	rl_callback_handler_remove();
	u->prompting = false;
	if (u->msg != NULL && (strcmp(u->msg, prompt_hint[0]) == 0 ||
	    strcmp(u->msg, prompt_hint[1]) == 0))
		ui_message(u, ROLE_NORMAL, NULL);
	free(prompt_err);
	prompt_err = NULL;
	u->dirty |= DIRTY_SCREEN;
}

/*
 * Show an error under the line, its caret at col (1-based; 0: none); kept
 * as ui_message keeps a message.
 */
void
prompt_error(struct ui *u, size_t col, const char *fmt, ...)
{
	va_list	 ap;

	char	*s;

	(void)u;
	free(prompt_err);
	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	prompt_err = ui_guard(s);
	prompt_errcol = col;
}

/* A whole line: hand it over; keep it when the handler found an error. */
static void
prompt_line(char *line)
{
	struct ui	*u = prompt_ui;
	enum prompt_kind kind = prompt_kind;
	unsigned int	 gen;
	bool		 done;

	if (line == NULL) {
		prompt_close(u);
		return;
	}
	free(prompt_err);
	prompt_err = NULL;
	gen = prompt_opened;
	prompt_inline = true;
	done = prompt_done_fn(u, line, prompt_arg);
	prompt_inline = false;
	if (done) {
		if (kind == PROMPT_QUERY && *line != '\0')
			add_history(line);
		if (u->prompting && gen == prompt_opened)
			prompt_close(u);
		free(line);
	} else
		prompt_keep = line;
}

/* The query prompt's handler: the line replaces the drill path. */
static bool
prompt_path(struct ui *u, const char *line, void *arg)
{
	struct query_error	 err;
	struct query		*q;

	(void)arg;
	q = query_compile(line, strlen(line), QUERY_EMPTY_OK, &err);
	if (q == NULL) {
		prompt_error(u, err.col, "%s", err.msg);
		query_error_clear(&err);
		return (false);
	}
	query_free(q);
	prompt_close(u);
	if (!ui_path_set(u, line)) {
		query_error_clear(&err);
		return (true);
	}
	u->nav.cur = u->nav.top = 0;
	if (err.nwarnings > 0)
		ui_message(u, ROLE_WARNING, "column %zu: warning: %s",
		    err.warnings[0].col, err.warnings[0].msg);
	query_error_clear(&err);
	return (true);
}

/* Add a completion candidate. */
static void
prompt_cand(const char *s)
{
	prompt_cands = xreallocarray(prompt_cands, prompt_ncands + 1,
	    sizeof *prompt_cands);
	prompt_cands[prompt_ncands++] = xstrdup(s);
}

/* Drop the candidates. */
static void
prompt_cands_free(void)
{
	while (prompt_ncands > 0)
		free(prompt_cands[--prompt_ncands]);
	free(prompt_cands);
	prompt_cands = NULL;
}

/* Readline's generator over the candidates. */
static char *
prompt_gen(const char *text, int state)
{
	static size_t	 i;
	size_t		 n = strlen(text);

	if (state == 0)
		i = 0;
	while (i < prompt_ncands) {
		if (strncasecmp(prompt_cands[i++], text, n) == 0)
			return (strdup(prompt_cands[i - 1]));
	}
	return (NULL);
}

/* The word before position end (space separated): start and length. */
static size_t
prompt_prev(const char *s, size_t end, size_t *len)
{
	size_t	 e = end, b;

	while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '('))
		e--;
	for (b = e; b > 0 && s[b - 1] != ' ' && s[b - 1] != '('; b--)
		;
	*len = e - b;
	return (b);
}

/*
 * Candidates: the values of key (over the current path), quoted; with pre
 * (the quoted text typed before the word completed) only the values that
 * begin with it, less pre.
 */
static void
prompt_values(struct ui *u, int key, const char *pre)
{
	struct vcount	*v;
	struct buf	 b;
	size_t		 n, i, np = pre != NULL ? strlen(pre) : 0;

	n = view_sel_count_all(&u->view, key, VSORT_COUNT, &v);
	buf_init(&b);
	for (i = 0; i < n && prompt_ncands < 500; i++) {
		buf_reset(&b);
		nav_quote_value(&b, &v[i].v, key);
		if (strncmp(b.s, pre != NULL ? pre : "", np) == 0)
			prompt_cand(b.s + np);
	}
	buf_free(&b);
	free(v);
}

/* Where the quote still open at end begins, or -1 when none is. */
static ssize_t
prompt_open_quote(const char *s, size_t end)
{
	ssize_t	 q = -1;
	size_t	 i;

	for (i = 0; i < end; i++) {
		if (q >= 0 && s[i] == '\\' && i + 1 < end)
			i++;
		else if (q < 0 && (s[i] == '\'' || s[i] == '"'))
			q = (ssize_t)i;
		else if (q >= 0 && s[i] == s[q])
			q = -1;
	}
	return (q);
}

/* Step back from p over the values before it in a list (VALUE, VALUE,
 * here): where the first of them begins. */
static size_t
prompt_list_start(const char *s, size_t p)
{
	char	 c;

	for (;;) {
		while (p > 0 && s[p - 1] == ' ')
			p--;
		if (p == 0 || s[p - 1] != ',')
			return (p);
		p--;
		while (p > 0 && s[p - 1] == ' ')
			p--;
		if (p > 0 && (s[p - 1] == '\'' || s[p - 1] == '"')) {
			c = s[--p];
			while (p > 0 && (s[p - 1] != c ||
			    (p > 1 && s[p - 2] == '\\')))
				p--;
			if (p > 0)
				p--;
		} else {
			while (p > 0 && s[p - 1] != ' ' && s[p - 1] != ',')
				p--;
		}
	}
}

/* The key of a value beginning at p (KEY OP [VALUE, ...] here), or -1. */
static int
prompt_value_key(const char *s, size_t p)
{
	size_t	 plen, klen, kp, i;

	p = prompt_prev(s, prompt_list_start(s, p), &plen);
	for (i = 0; prompt_ops[i] != NULL; i++) {
		if (plen == strlen(prompt_ops[i]) &&
		    strncmp(s + p, prompt_ops[i], plen) == 0)
			break;
	}
	if (plen == 0 || prompt_ops[i] == NULL)
		return (-1);
	kp = prompt_prev(s, p, &klen);
	return (meta_find(s + kp, klen));
}

/* Complete inside a quoted value that holds a blank before the word:
 * the key's values that begin with the quoted text. */
static char **
prompt_complete_quoted(const char *text, size_t q, size_t start)
{
	int	 k = prompt_value_key(rl_line_buffer, q);

	if (k == -1)
		return (NULL);
	prompt_qpre = xstrndup(rl_line_buffer + q, start - q);
	prompt_values(prompt_ui, k, prompt_qpre);
	return (rl_completion_matches(text, prompt_gen));
}

/* Complete a name of a list of keys: a key of the registry's table. */
static char **
prompt_complete_keys(const char *text)
{
	const struct meta_key	*k;
	int			 i;

	for (i = 0; (k = meta_key(i)) != NULL; i++) {
		if (!(k->flags & MK_DYNAMIC))
			prompt_cand(k->name);
	}
	return (rl_completion_matches(text, prompt_gen));
}

/* Complete keys, operators after a key, or values after an operator;
 * file names at a file prompt; key names at a key list prompt; nothing at
 * a text prompt. */
static char **
prompt_complete(const char *text, int start, int end)
{
	size_t	 plen, p = prompt_prev(rl_line_buffer, (size_t)start, &plen);
	size_t	 klen, kp, i;
	ssize_t	 q;
	int	 k;

	(void)end;
	rl_attempted_completion_over = 1;
	prompt_cands_free();
	free(prompt_qpre);
	prompt_qpre = NULL;
	if (prompt_kind == PROMPT_TEXT)
		return (NULL);
	if (prompt_kind == PROMPT_FILE) {
		rl_filename_completion_desired = 1;
		return (rl_completion_matches(text,
		    rl_filename_completion_function));
	}
	if (prompt_kind == PROMPT_KEYS)
		return (prompt_complete_keys(text));
	q = prompt_open_quote(rl_line_buffer, (size_t)start);
	if (q >= 0)
		return (prompt_complete_quoted(text, (size_t)q, (size_t)start));
	for (i = 0; prompt_ops[i] != NULL; i++) {
		if (plen == strlen(prompt_ops[i]) && strncmp(rl_line_buffer +
		    p, prompt_ops[i], plen) == 0)
			break;
	}
	if (plen > 0 && prompt_ops[i] != NULL) {
		kp = prompt_prev(rl_line_buffer, p, &klen);
		if ((k = meta_find(rl_line_buffer + kp, klen)) != -1)
			prompt_values(prompt_ui, k, NULL);
	} else if (plen > 0 && meta_find(rl_line_buffer + p, plen) != -1) {
		for (i = 0; prompt_ops[i] != NULL; i++)
			prompt_cand(prompt_ops[i]);
	} else {
		for (k = 0; k < meta_nkeys(); k++)
			prompt_cand(meta_key(k)->name);
		prompt_cand("&&");
		prompt_cand("||");
	}
	return (rl_completion_matches(text, prompt_gen));
}

/* Several matches: list them on the message line. */
static void
prompt_matches(char **m, int n, int max)
{
	struct buf	 b;
	int		 i;

	(void)max;
	buf_init(&b);
	for (i = 1; i <= n; i++) {
		if (prompt_qpre != NULL)
			esc_text(&b, prompt_qpre, strlen(prompt_qpre));
		esc_text(&b, m[i], strlen(m[i]));
		buf_addc(&b, ' ');
	}
	ui_message(prompt_ui, ROLE_DIM, "%s", b.s);
	buf_free(&b);
}

/* Set readline up for callback use, and read the history. */
void
prompt_init(void)
{
	const char	*xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	rl_readline_name = "huntcon";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_getc_function = prompt_getc;
	rl_input_available_hook = prompt_avail;
	rl_redisplay_function = prompt_redisplay;
	rl_prep_term_function = prompt_prep;
	rl_deprep_term_function = prompt_deprep;
	rl_attempted_completion_function = prompt_complete;
	rl_completion_display_matches_hook = prompt_matches;
	rl_completer_word_break_characters = (char *)" \t()";
	prompt_null = fopen("/dev/null", "w");
	rl_outstream = prompt_null;
	using_history();
	if (xdg != NULL && *xdg != '\0')
		xasprintf(&prompt_histfile, "%s/huntcon/history", xdg);
	else if (home != NULL)
		xasprintf(&prompt_histfile, "%s/.local/state/huntcon/history",
		    home);
	if (prompt_histfile != NULL)
		read_history(prompt_histfile);
}

/* Save the history and let readline go. */
void
prompt_done(void)
{
	if (prompt_ui != NULL && prompt_ui->prompting)
		rl_callback_handler_remove();
	if (prompt_histfile != NULL && history_length > 0) {
		make_parents(prompt_histfile, 0700);
		if (write_history(prompt_histfile) == 0)
			history_truncate_file(prompt_histfile, PROMPT_HISTORY);
	}
	clear_history();
	free(prompt_histfile);
	prompt_cands_free();
	free(prompt_qpre);
	prompt_qpre = NULL;
	free(prompt_err);
	free(prompt_label);
	if (prompt_null != NULL)
		fclose(prompt_null);
}

/*
 * Open the prompt: label, the text to edit, and the handler that gets the
 * line on Enter (it returns true when done, false after prompt_error() to
 * keep the line).  A handler may open another prompt.
 */
void
prompt_ask(struct ui *u, enum prompt_kind kind, const char *label,
    const char *text, prompt_fn fn, void *arg)
{
	if (u->prompting)
		rl_callback_handler_remove();
	prompt_ui = u;
	u->prompting = true;
	free(prompt_label);
	prompt_label = xstrdup(label);
	prompt_kind = kind;
	prompt_done_fn = fn;
	prompt_arg = arg;
	rl_completer_word_break_characters = kind == PROMPT_FILE ?
	    (char *)" \t" : kind == PROMPT_KEYS ? (char *)" \t," :
	    (char *)" \t()";
	prompt_opened++;
	rl_callback_handler_install("", prompt_line);
	if (prompt_inline) {
		/* Readline clears the line after the handler returns. */
		free(prompt_keep);
		prompt_keep = xstrdup(text != NULL ? text : "");
	} else {
		rl_replace_line(text != NULL ? text : "", 0);
		rl_point = rl_end;
	}
	ui_message(u, ROLE_NORMAL, NULL);
	u->dirty |= DIRTY_SCREEN;
}

/* Open the query prompt, with the current path as the text to edit. */
void
prompt_open(struct ui *u)
{
	char	*text = ui_path_text(&u->path);

	prompt_ask(u, PROMPT_QUERY, "/ ", text, prompt_path, NULL);
	/* Say which it is: the path to edit, or a new one (C-u away). */
	ui_message(u, ROLE_DIM, "%s", prompt_hint[u->path.n > 0]);
	free(text);
}

/* Queue the bytes that stand for a key. */
static void
prompt_queue_key(int ch)
{
	int	 c = -1;

	switch (ch) {
	case KEY_LEFT: c = 0x02; break;
	case KEY_RIGHT: c = 0x06; break;
	case KEY_UP: c = 0x10; break;
	case KEY_DOWN: c = 0x0e; break;
	case KEY_HOME: c = 0x01; break;
	case KEY_END: c = 0x05; break;
	case KEY_BACKSPACE: c = 0x7f; break;
	case KEY_ENTER: c = '\n'; break;
	case '\r': c = '\n'; break;
	case KEY_DC: c = rl_point < rl_end ? 0x04 : -1; break;
	default: c = ch >= 0 && ch < 256 ? ch : -1; break;
	}
	if (c != -1 && prompt_qlen < PROMPT_QUEUE)
		prompt_queue[prompt_qlen++] = (unsigned char)c;
}

/* A key while the prompt is open. */
void
prompt_key(struct ui *u, int ch)
{
	if (ch == KEY_RESIZE) {
		u->dirty |= DIRTY_SCREEN;
		return;
	}
	if (ch == 0x1b || ch == 0x07) {
		prompt_close(u);
		return;
	}
	prompt_qlen = prompt_qpos = 0;
	prompt_queue_key(ch);
	while (u->prompting && prompt_avail())
		rl_callback_read_char();
	if (prompt_keep != NULL) {
		rl_replace_line(prompt_keep, 0);
		rl_point = rl_end;
			free(prompt_keep);
		prompt_keep = NULL;
	}
	u->dirty |= DIRTY_SCREEN;
}

/* The columns the line scrolls by so that the cursor shows (*x0: the
 * label's width, *cur: the cursor's column before scrolling). */
static size_t
prompt_skip(int *x0, int *cur)
{
	struct buf	 b;
	size_t		 skip = 0;

	*x0 = draw_width(prompt_label, strlen(prompt_label));
	buf_init(&b);
	esc_text(&b, rl_line_buffer, (size_t)rl_point);
	*cur = *x0 + draw_width(b.s, b.len);
	buf_reset(&b);
	esc_text(&b, rl_line_buffer, (size_t)rl_end);
	while (*cur - (int)skip >= COLS - 1 && skip < b.len)
		skip++;
	buf_free(&b);
	return (skip);
}

/* The error's text (caller frees) and the column it starts at: after the
 * caret under its column, else indented. */
static char *
prompt_err_text(int *x, int *caret)
{
	struct buf	 b;
	size_t		 skip;
	int		 x0, cur;
	char		*s;

	*caret = -1;
	*x = 2;
	if (prompt_errcol == 0)
		return (xstrdup(prompt_err));
	skip = prompt_skip(&x0, &cur);
	buf_init(&b);
	esc_text(&b, rl_line_buffer, prompt_errcol - 1);
	*caret = x0 + draw_width(b.s, b.len) - (int)skip;
	if (*caret < 0)
		*caret = 0;
	*x = *caret + 2;
	buf_free(&b);
	xasprintf(&s, "column %zu: %s", prompt_errcol, prompt_err);
	return (s);
}

/* The lines the error under the prompt wraps to, at most max (0: none). */
int
prompt_lines(int max)
{
	char	*s;
	int	 x, caret, n;

	if (prompt_err == NULL)
		return (0);
	s = prompt_err_text(&x, &caret);
	n = draw_wrap_lines(x, 2, max, s);
	free(s);
	return (n);
}

/* Draw the prompt line at y, and the error with its caret in the h lines
 * below it. */
void
prompt_draw(struct ui *u, int y, int h)
{
	struct buf	 b;
	int		 x0, cur, x, caret, i;
	size_t		 skip = prompt_skip(&x0, &cur);
	char		*s;

	(void)u;
	buf_init(&b);
	esc_text(&b, rl_line_buffer, (size_t)rl_end);
	move(y, 0);
	clrtoeol();
	draw_text(y, 0, x0, ROLE_PROMPT, prompt_label);
	draw_text(y, x0, COLS - x0, ROLE_NORMAL, b.s + skip);
	buf_free(&b);
	if (prompt_err != NULL) {
		for (i = 1; i <= h; i++) {
			move(y + i, 0);
			clrtoeol();
		}
		s = prompt_err_text(&x, &caret);
		if (caret >= 0)
			draw_text(y + 1, caret, 1, ROLE_ERROR, "^");
		draw_text_wrap(y + 1, x, 2, h, ROLE_ERROR, s);
		free(s);
	}
	curs_set(1);
	move(y, cur - (int)skip);
}
