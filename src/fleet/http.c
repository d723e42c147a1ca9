/* http.c - one statement over ClickHouse's HTTP interface (libcurl). */
/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "fleet/fleet.h"
#include "view/view.h"

/* Bytes at the end of an answer searched for an exception. */
#define HTTP_TAIL	4096

static pthread_once_t	 http_once = PTHREAD_ONCE_INIT;

/* The view's request the statements of this thread serve (NULL: none):
 * its deadline and cancel stop a transfer under way. */
static _Thread_local struct view_req *http_req;

/* Initialise libcurl once per process. */
static void
http_global(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* libcurl's write callback: append to a buffer. */
static size_t
http_write(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return (size * n);
}

/*
 * The message of a server exception at the end of an answer (a line
 * "Code: N, e.displayText() = DB::Exception: MSG, e.what() ..." in the
 * last HTTP_TAIL bytes: its first line), escaped, or NULL.
 * 18.16 can answer 200 with the rows so far and the exception last.
 */
static char *
http_exception(const char *s, size_t len)
{
	const char	*tail = len > HTTP_TAIL ? s + len - HTTP_TAIL : s;
	const char	*code = NULL, *p, *q, *end;
	char		*msg;

	for (p = tail; code == NULL && (p = strstr(p, "Code: ")) != NULL; p++) {
		if (p == s || p[-1] == '\n')
			code = p;
	}
	if (code == NULL || strstr(code, "Exception") == NULL)
		return (NULL);
	if ((p = strstr(code, "Exception: ")) != NULL)
		p += 11;
	else
		p = code;
	if ((end = strstr(p, ", e.what()")) == NULL)
		end = s + len;
	if ((q = memchr(p, '\n', (size_t)(end - p))) != NULL)
		end = q;
	if ((q = strstr(p, ". Log:")) != NULL && q < end)
		end = q;
	while (end > p && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	xasprintf(&msg, "%s%s", esc_strn(p, (size_t)(end - p)),
	    strstr(code, "NetException") != NULL ? " (a shard did not "
	    "answer: no partial answer is given)" : "");
	return (msg);
}

/* The statement's address: the server and the query (names qualified). */
static char *
http_address(CURL *c, const struct fleet_url *u, const char *sql, bool inq)
{
	char	*enc = NULL, *addr;

	if (inq)
		enc = curl_easy_escape(c, sql, 0);
	xasprintf(&addr, "%s://%s:%u/?wait_end_of_query=1%s%s",
	    u->tls ? "https" : "http", u->host, u->port, inq ? "&query=" : "",
	    inq ? enc : "");
	curl_free(enc);
	return (addr);
}

/* Set up a transfer: address, credentials, body, answer buffer. */
static void
http_setup(CURL *c, const struct fleet_url *u, const char *addr,
    const char *body, size_t len, struct buf *ans)
{
	curl_easy_setopt(c, CURLOPT_URL, addr);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 900L);
	if (u->user != NULL) {
		curl_easy_setopt(c, CURLOPT_USERNAME, u->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD,
		    u->password != NULL ? u->password : "");
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	}
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, ans);
}

/* libcurl's progress callback: stop when the request is late or
 * cancelled (the client's poll reads its keys meanwhile). */
static int
http_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return (view_req_stop(arg) ? 1 : 0);
}

/* Serve a view's request with the statements this thread sends until
 * it is served NULL. */
void
fleet_http_serve(struct view_req *r)
{
	http_req = r;
}

/* Turn a finished transfer into a result: the answer or a message. */
static bool
http_result(CURL *c, const struct fleet_url *u, CURLcode rc,
    struct buf *ans, char **out, char **cause)
{
	long	 status = 0;
	char	*msg;

	if (rc == CURLE_ABORTED_BY_CALLBACK && http_req != NULL) {
		xasprintf(cause, "store %s:%u: %s", esc_str(u->host), u->port,
		    atomic_load(&http_req->cancel) ? "query cancelled" :
		    "no answer before the deadline (console.store_timeout)");
		return (false);
	}
	if (rc != CURLE_OK) {
		xasprintf(cause, "store %s:%u: %s", esc_str(u->host), u->port,
		    curl_easy_strerror(rc));
		return (false);
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	buf_addc(ans, '\0');
	ans->len--;
	if ((msg = http_exception(ans->s, ans->len)) != NULL || status != 200) {
		xasprintf(cause, "store %s:%u: %s", esc_str(u->host), u->port,
		    msg != NULL ? msg : esc_strn(ans->s, ans->len));
		free(msg);
		return (false);
	}
	if (out != NULL)
		*out = buf_take(ans);
	return (true);
}

/* Send one statement; the answer in *out. */
bool
fleet_http(const struct fleet_url *u, const char *sql, const char *body,
    size_t len, char **out, char **cause)
{
	CURL		*c;
	struct buf	 ans;
	char		*addr;
	bool		 ok;
	CURLcode	 rc;

	pthread_once(&http_once, http_global);
	if ((c = curl_easy_init()) == NULL)
		fatal("curl_easy_init failed");
	buf_init(&ans);
	addr = http_address(c, u, sql, body != NULL);
	if (body == NULL) {
		body = sql;
		len = strlen(sql);
	}
	http_setup(c, u, addr, body, len, &ans);
	if (http_req != NULL) {
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, http_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, http_req);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	}
	rc = curl_easy_perform(c);
	ok = http_result(c, u, rc, &ans, out, cause);
	buf_free(&ans);
	free(addr);
	curl_easy_cleanup(c);
	return (ok);
}
