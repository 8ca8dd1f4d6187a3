/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading a large procfs file while it is parsed. The kernel writes a seq
 * file such as mountinfo a page per read(2), about twice as slowly as
 * libmount parses it (5,000 mounts: 9 ms to read, 5 ms to parse). A thread
 * reads the file into memory and copies each piece into a pipe as it comes,
 * while the caller's thread parses the pipe: the parse then costs only its
 * last piece. The whole text is kept for what needs it after the parse
 * (line numbers of errors, a NUL check).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "nsdebug-private.h"

/* Below this, the file is read first and parsed from memory: a thread and a
 * pipe would cost more than they save. */
#define FEED_MIN ((size_t)32 << 10)

struct feeder {
	struct nsd_reader r;
	int pipe; /* write end, in the thread */
};

static bool done(const struct feeder *fe)
{
	return fe->r.eof || fe->r.error;
}

/* The thread: copies what is read so far into the pipe, then each new
 * piece. It stops early when the parser closed its end (EPIPE: SIGPIPE is
 * blocked here, and a thread's pending signals go with it). */
static void *feed(void *userdata)
{
	struct feeder *fe = userdata;
	size_t sent = 0;

	for (;;) {
		while (sent < fe->r.len) {
			ssize_t n = write(fe->pipe, fe->r.buf + sent, fe->r.len - sent);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				goto out;
			sent += (size_t)n;
		}
		if (done(fe))
			break;
		nsd_reader_more(&fe->r);
	}
out:
	close(fe->pipe);
	return NULL;
}

/* Parses the whole buffer from memory. */
static int parse_buffer(struct feeder *fe, int (*parse)(FILE *f, void *userdata), void *userdata)
{
	FILE *f = fmemopen(fe->r.buf, fe->r.len, "r");
	int r;

	if (!f)
		return -errno;
	r = parse(f, userdata);
	fclose(f);
	return r;
}

/* Parses from a pipe that a thread fills. Returns false when no thread can
 * be started: nothing was consumed then. */
static bool parse_fed(struct feeder *fe, int (*parse)(FILE *f, void *userdata), void *userdata,
		      int *ret_parsed)
{
	pthread_t thread;
	sigset_t all, old;
	int fds[2], r;
	FILE *f;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return false;
	fe->pipe = fds[1];
	/* The thread takes no signals: those are the caller's to handle. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&thread, NULL, feed, fe);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r != 0) {
		close(fds[0]);
		close(fds[1]);
		return false;
	}
	f = fdopen(fds[0], "r");
	if (f) {
		*ret_parsed = parse(f, userdata);
		/* Unblocks the thread if the parser stopped before the end. */
		fclose(f);
	} else {
		*ret_parsed = -errno;
		close(fds[0]);
	}
	pthread_join(thread, NULL);
	return true;
}

/**
 * Reads @fd whole, at most @max bytes, into a new NUL-terminated buffer
 * (free with free()), and runs @parse on a stream of the same bytes, unless
 * the file is empty. A file of FEED_MIN bytes or more is parsed as it is
 * read, by a thread. When @parse stops before the end, the reading may stop
 * there too: the buffer holds at least what @parse saw.
 *
 * Returns 0 when the whole file was read, 1 when it was cut at @max, or the
 * -errno of reading (then *@ret is NULL). @parse's result (0 for an empty
 * file) is in *@ret_parsed.
 */
int nsd_read_parse_fd(int fd, size_t max, int (*parse)(FILE *f, void *userdata), void *userdata,
		      char **ret, size_t *ret_len, int *ret_parsed)
{
	struct feeder fe = {.r = {.fd = fd, .max = max}, .pipe = -EBADF};
	int parsed = 0;

	*ret = NULL;
	while (!done(&fe) && fe.r.len < FEED_MIN)
		nsd_reader_more(&fe.r);
	if (done(&fe) || !parse_fed(&fe, parse, userdata, &parsed)) {
		while (!done(&fe))
			nsd_reader_more(&fe.r);
		if (!fe.r.error && fe.r.len > 0)
			parsed = parse_buffer(&fe, parse, userdata);
	}
	if (fe.r.error) {
		free(fe.r.buf);
		return fe.r.error;
	}
	/* nsd_reader_more() always leaves room for the NUL. */
	fe.r.buf[fe.r.len] = '\0';
	*ret = fe.r.buf;
	*ret_len = fe.r.len;
	*ret_parsed = parsed;
	return fe.r.cut ? 1 : 0;
}
