/*
 * dialog-export.c - export from the console (SPEC §5): the marked sessions, or
 * every session of the path, to a pcap (packets) or to TSV or JSON lines
 * (meta, as SPEC §6 --sessions writes them), chosen by the file name's
 * ending.  The file is named at a prompt with file name completion; an
 * existing file is overwritten only when the analyst says so; the other
 * fragments of split conversations can be taken along.  The writing runs
 * on a thread with a progress bar, so the console stays responsive; Esc
 * stops it.
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/batch.h"
#include "export/export.h"
#include "query/query.h"
#include "ui/ui-int.h"

/* What the file's name asks for. */
static int
xdialog_format(const char *path)
{
	const char	*dot = strrchr(path, '.');

	if (dot == NULL || strchr(dot, '/') != NULL)
		return (0);
	if (strcasecmp(dot, ".tsv") == 0)
		return (BATCH_TSV + 1);
	if (strcasecmp(dot, ".json") == 0 || strcasecmp(dot, ".jsonl") == 0 ||
	    strcasecmp(dot, ".ndjson") == 0)
		return (BATCH_JSON + 1);
	return (0);
}

/* Whether x acts on the session open in the Session view. */
static bool
xdialog_open_session(const struct ui *u)
{
	return (u->pane == PANE_SESSION && u->sv.n > 0);
}

/* The sessions to write: the open one in the Session view, else the
 * marked ones, else those of the path. */
static void
xdialog_pick(struct ui *u)
{
	struct xdialog	*x = &u->ex;
	uint64_t	 id;

	free(x->ids);
	x->ids = NULL;
	x->nids = 0;
	if (u->view.remote != NULL) {	/* the path's, counted by the store */
		x->nids = (size_t)u->view.nmatch;
		return;
	}
	if (xdialog_open_session(u)) {
		x->ids = xmalloc(sizeof *x->ids);
		x->ids[x->nids++] = (uint32_t)u->sv.id;
		return;
	}
	if (u->ev.nmarks > 0) {
		x->ids = xreallocarray(NULL, u->ev.nmarks + 1, sizeof *x->ids);
		for (id = 1; id < u->ev.markcap; id++) {
			if (events_marked(&u->ev, id) && x->nids < u->ev.nmarks)
				x->ids[x->nids++] = (uint32_t)id;
		}
		return;
	}
	x->ids = xreallocarray(NULL, u->view.nids + 1, sizeof *x->ids);
	if (u->view.nids > 0)
		memcpy(x->ids, u->view.ids, u->view.nids * sizeof *x->ids);
	x->nids = u->view.nids;
}

/* The fragments of the chosen sessions' split conversations that are not
 * chosen: counted, or (when add) added to the choice. */
static size_t
xdialog_fragments(struct ui *u, bool add)
{
	struct xdialog	*x = &u->ex;
	uint32_t	*all;
	size_t		 n, nall;

	if (!add)
		return (export_fragments(u->st, x->ids, x->nids, NULL, NULL));
	n = export_fragments(u->st, x->ids, x->nids, &all, &nall);
	if (all != NULL) {
		free(x->ids);
		x->ids = all;
		x->nids = nall;
	}
	return (n);
}

/* The chosen sessions' meta lines: from the store's pages over a store
 * (false with *why when it fails; errno when a write does). */
static bool
xdialog_lines(struct ui *u, FILE *fp, const struct batch_fields *f,
    char **why)
{
	struct xdialog	*x = &u->ex;

	*why = NULL;
	if (u->view.remote != NULL)
		return (view_sessions(fp, u->view.remote, VIEW_BY_TIME, f,
		    (enum batch_format)(x->format - 1),
		    x->format == BATCH_TSV + 1, x->q, why));
	return (batch_lines(fp, u->st, f, (enum batch_format)(x->format - 1),
	    x->format == BATCH_TSV + 1, x->ids, x->nids));
}

/*
 * Write the meta of the chosen sessions to a new file (or over one when
 * forced), every write checked and the file synced; on failure the file
 * is removed and x->cause names it.
 */
static bool
xdialog_meta(struct ui *u)
{
	struct xdialog		*x = &u->ex;
	struct batch_fields	 f;
	struct stat		 sb;
	FILE			*fp;
	char			*why;
	int			 fd;
	int			 err = 0;
	bool			 regular;

	fd = open(x->path, O_WRONLY | O_CREAT | O_TRUNC |
	    (x->force ? 0 : O_EXCL), 0644);
	if (fd == -1 || (fp = fdopen(fd, "w")) == NULL) {
		xasprintf(&x->cause, "%s: %s", esc_str(x->path), strerror(errno));
		if (fd != -1)
			close(fd);
		return (false);
	}
	regular = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
	batch_fields_default(&f);
	atomic_store(&x->prog->total, x->nids);
	if (!xdialog_lines(u, fp, &f, &why) && why == NULL)
		err = errno;
	atomic_store(&x->prog->done, x->nids);
	batch_fields_free(&f);
	if (why != NULL) {
		fclose(fp);
		x->cause = why;
	}
	if (why != NULL || !file_finish(fp, x->path, FILE_SYNC | FILE_CLOSE,
	    err, &x->cause)) {
		if (regular)
			unlink(x->path);	/* a part of it is no evidence */
		return (false);
	}
	return (true);
}

/* Whether Esc asked an export over a store to stop. */
static bool
xdialog_stopped(void *arg)
{
	return (atomic_load(&((struct export_progress *)arg)->cancel));
}

/* Over a store: the packets of the path's sessions, from their sensors. */
static void
xdialog_remote(struct ui *u)
{
	struct xdialog	*x = &u->ex;
	struct view	*v = u->view.remote;
	struct view_req	 r;
	uint64_t	 packets = 0;

	view_req_init(&r, x->q);
	r.poll = xdialog_stopped;
	r.arg = x->prog;
	atomic_store(&x->prog->total, x->nids);
	if (v->ops->export == NULL)
		x->cause = xstrdup("this store cannot export packets");
	else
		x->ok = v->ops->export(v->impl, &r, x->path, x->force,
		    &packets, &x->cause);
	atomic_store(&x->prog->done, x->nids);
	if (x->ok)
		xasprintf(&x->result, "exported %zu session%s, %llu packets "
		    "to %s (from their sensors)", x->nids, x->nids == 1 ? "" :
		    "s", (unsigned long long)packets, esc_str(x->path));
}

/* The writing thread. */
static void *
xdialog_thread(void *arg)
{
	struct ui		*u = arg;
	struct xdialog		*x = &u->ex;
	struct batch_sel	 sel = { x->ids, x->nids };
	struct export_result	 res;

	if (x->format == 0 && u->view.remote != NULL)
		xdialog_remote(u);
	else if (x->format == 0) {
		x->ok = export_pcap(u->cap, u->st, x->path, x->force,
		    batch_sel_keep, &sel, NULL, NULL, &res, x->prog,
		    &x->cause);
		if (x->ok)
			xasprintf(&x->result, "exported %llu session%s, %llu "
			    "packets to %s%s", (unsigned long long)res.sessions,
			    res.sessions == 1 ? "" : "s",
			    (unsigned long long)res.packets, esc_str(x->path),
			    res.files > 1 ? " (and one file per other link "
			    "type beside it)" : "");
	} else if ((x->ok = xdialog_meta(u)))
		xasprintf(&x->result, "exported the meta of %zu session%s to "
		    "%s", x->nids, x->nids == 1 ? "" : "s", esc_str(x->path));
	atomic_store(&x->done, true);
	return (NULL);
}

/* Start writing. */
static void
xdialog_go(struct ui *u)
{
	struct xdialog	*x = &u->ex;

	if (x->prog == NULL)
		x->prog = xcalloc(1, sizeof *x->prog);
	atomic_store(&x->prog->done, 0);
	atomic_store(&x->prog->total, 0);
	atomic_store(&x->prog->cancel, false);
	atomic_store(&x->done, false);
	x->ok = false;
	free(x->cause);
	free(x->result);
	x->cause = x->result = NULL;
	if (pthread_create(&x->thread, NULL, xdialog_thread, u) != 0) {
		ui_message(u, ROLE_ERROR, "cannot start the export");
		return;
	}
	x->running = true;
	u->dirty |= DIRTY_SCREEN;
}

/* The answer to "write ...?". */
static void
xdialog_go_answer(struct ui *u, int key)
{
	if (key == 'y')
		xdialog_go(u);
	else
		ui_message(u, ROLE_NORMAL, "not exported");
}

/* Say what the export will write, and ask before writing it. */
static void
xdialog_confirm(struct ui *u)
{
	struct xdialog	*x = &u->ex;
	uint64_t	 packets;
	struct buf	 b;

	buf_init(&b);
	esc_text(&b, x->path, strlen(x->path));
	if (x->format == 0 && u->view.remote != NULL)
		ui_ask(u, "yn", xdialog_go_answer, "write the path's %zu "
		    "session%s to %s (pcap, packets from their sensors)? (y/n)",
		    x->nids, x->nids == 1 ? "" : "s", b.s);
	else if (x->format == 0) {
		packets = export_packets(u->st, x->ids, x->nids);
		ui_ask(u, "yn", xdialog_go_answer, "write %zu session%s, %llu "
		    "packet%s to %s (pcap)? (y/n)", x->nids, x->nids == 1 ?
		    "" : "s", (unsigned long long)packets, packets == 1 ? "" :
		    "s", b.s);
	} else
		ui_ask(u, "yn", xdialog_go_answer, "write the meta of %zu "
		    "session%s to %s (%s)? (y/n)", x->nids, x->nids == 1 ? "" :
		    "s", b.s, x->format == BATCH_TSV + 1 ? "TSV" :
		    "JSON lines");
	buf_free(&b);
}

/* The answer to "take the other fragments?". */
static void
xdialog_frag_answer(struct ui *u, int key)
{
	if (key == 0)
		return;
	if (key == 'y')
		xdialog_fragments(u, true);
	xdialog_confirm(u);
}

/* Offer the other fragments of split conversations, then confirm. */
static void
xdialog_fragments_ask(struct ui *u)
{
	size_t	 n = u->view.remote != NULL ? 0 : xdialog_fragments(u, false);

	if (n == 0)
		xdialog_confirm(u);
	else
		ui_ask(u, "yn", xdialog_frag_answer, "take the other %zu "
		    "fragment%s of split conversations too? (y/n)", n,
		    n == 1 ? "" : "s");
}

/* The answer to "overwrite?". */
static void
xdialog_over_answer(struct ui *u, int key)
{
	if (key != 'y') {
		ui_message(u, ROLE_NORMAL, "not exported");
		return;
	}
	u->ex.force = true;
	xdialog_fragments_ask(u);
}

/* The file prompt's handler. */
static bool
xdialog_line(struct ui *u, const char *line, void *arg)
{
	struct xdialog	*x = &u->ex;
	struct stat	 st;
	struct buf	 b;
	char		*p = xstrdup(line + strspn(line, " \t"));
	size_t		 n = strlen(p);

	(void)arg;
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		p[--n] = '\0';
	if (n == 0) {
		prompt_error(u, 0, "name the file to write");
		free(p);
		return (false);
	}
	if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
		prompt_error(u, 0, "%s is a directory", esc_str(p));
		free(p);
		return (false);
	}
	free(x->path);
	x->path = p;
	x->format = xdialog_format(p);
	x->force = false;
	if (stat(p, &st) == 0) {
		buf_init(&b);
		esc_text(&b, p, n);
		ui_ask(u, "yn", xdialog_over_answer, "%s exists: overwrite? "
		    "(y/n)", b.s);
		buf_free(&b);
	} else
		xdialog_fragments_ask(u);
	return (true);
}

/*
 * Over a store, the path's query is the export's own (the analyst may
 * drill on while it runs); false, said, when the store failed.
 */
static bool
xdialog_remote_path(struct ui *u)
{
	struct query_error	 err;
	struct buf		 b;

	if (u->view.failed != NULL) {
		ui_message(u, ROLE_WARNING, "nothing to export: the store "
		    "failed");
		return (false);
	}
	query_free(u->ex.q);
	u->ex.q = NULL;
	if (u->view.q == NULL)
		return (true);
	buf_init(&b);
	query_format(&b, u->view.q);
	u->ex.q = query_compile(b.s, b.len, QUERY_EMPTY_OK, &err);
	if (u->ex.q == NULL)
		ui_message(u, ROLE_ERROR, "export: the path does not compile "
		    "again: %s", err.msg);
	query_error_clear(&err);
	buf_free(&b);
	return (u->ex.q != NULL);
}

/* Export the marked sessions, or the path's: ask for the file. */
void
xdialog_start(struct ui *u)
{
	char		 label[96];
	uint64_t	 hidden;

	if (u->ex.running) {
		ui_message(u, ROLE_WARNING, "an export is running (Esc stops "
		    "it)");
		return;
	}
	if (!hunt_loaded(u->h) || u->rv.applying) {
		ui_message(u, ROLE_WARNING, "wait until %s", u->rv.applying ?
		    "the rules are applied" : hunt_capturing(u->h) ?
		    "the capture stops (C-c)" : "the capture is read");
		return;
	}
	if (u->view.remote != NULL && !xdialog_remote_path(u))
		return;
	xdialog_pick(u);
	if (u->ex.nids == 0) {
		ui_message(u, ROLE_WARNING, "no sessions to export");
		return;
	}
	hidden = u->ev.nmarks > 0 ? events_marks_hidden(u) : 0;
	snprintf(label, sizeof label, "export %zu marked session%s to: ",
	    u->ex.nids, u->ex.nids == 1 ? "" : "s");
	if (hidden > 0)
		snprintf(label, sizeof label, "export %zu marked session%s (%llu "
		    "outside the path) to: ", u->ex.nids, u->ex.nids == 1 ?
		    "" : "s", (unsigned long long)hidden);
	if (xdialog_open_session(u))
		snprintf(label, sizeof label, "export session %llu to: ",
		    (unsigned long long)u->sv.id);
	else if (u->ev.nmarks == 0)
		snprintf(label, sizeof label, "export the path's %zu "
		    "session%s to: ", u->ex.nids, u->ex.nids == 1 ? "" : "s");
	prompt_ask(u, PROMPT_FILE, label, "", xdialog_line, NULL);
	ui_message(u, ROLE_DIM, ".pcap: packets; .tsv or .json: meta; Tab "
	    "completes");
}

/* Once the thread is done: join it and say how it went.  True when the
 * screen changed (progress moves while it runs). */
bool
xdialog_poll(struct ui *u)
{
	struct xdialog	*x = &u->ex;

	if (!x->running)
		return (false);
	if (!atomic_load(&x->done))
		return (true);
	pthread_join(x->thread, NULL);
	x->running = false;
	if (x->ok)
		ui_message(u, ROLE_NORMAL, "%s", x->result);
	else
		ui_message(u, ROLE_ERROR, "%s", x->cause != NULL ? x->cause :
		    "export failed");
	return (true);
}

/* How far the export is, in percent; -1 when none runs. */
int
xdialog_progress(const struct ui *u)
{
	uint64_t	 done, total;

	if (!u->ex.running)
		return (-1);
	done = atomic_load(&u->ex.prog->done);
	total = atomic_load(&u->ex.prog->total);
	return (total > 0 ? (int)(done * 100 / total) : 0);
}

/* Stop a running export (Esc). */
void
xdialog_cancel(struct ui *u)
{
	if (u->ex.running)
		atomic_store(&u->ex.prog->cancel, true);
}

/* Stop and free. */
void
xdialog_free(struct ui *u)
{
	struct xdialog	*x = &u->ex;

	if (x->running) {
		atomic_store(&x->prog->cancel, true);
		pthread_join(x->thread, NULL);
		x->running = false;
	}
	free(x->prog);
	free(x->path);
	free(x->ids);
	query_free(x->q);
	free(x->cause);
	free(x->result);
}
