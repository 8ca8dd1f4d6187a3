/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading a file while a parser consumes it: same bytes, bounds, errors, a parser that stops. */
#include <fcntl.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nsdebug-private.h"
#include "test.h"

/* What the parser saw: its bytes, up to @limit, then it returns @result. */
struct seen {
	char *text;
	size_t len, limit;
	int result, calls;
};

static int consume(FILE *f, void *userdata)
{
	struct seen *s = userdata;
	int c;

	s->calls++;
	while (s->len < s->limit && (c = getc(f)) != EOF)
		s->text[s->len++] = (char)c;
	return s->result;
}

/* @n bytes of lines that differ, so that a lost or repeated piece shows. */
static char *make_text(size_t n)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz\n";
	char *t = malloc(n);

	ASSERT(t);
	for (size_t i = 0; i < n; i++)
		t[i] = letters[i % 64 == 63 ? 26 : (i / 64 + i) % 26];
	return t;
}

static int make_file(const char *text, size_t len)
{
	char path[] = "/tmp/test-feed.XXXXXX";
	int fd = mkstemp(path);

	ASSERT(fd >= 0);
	unlink(path);
	ASSERT(write(fd, text, len) == (ssize_t)len);
	ASSERT(lseek(fd, 0, SEEK_SET) == 0);
	return fd;
}

/* Reads @len bytes of @text from a file with @max, the parser taking @limit
 * bytes; checks the buffer and what the parser saw. Returns what the read returned. */
static int feed_file(const char *text, size_t len, size_t max, size_t limit, int result)
{
	struct seen s = {.text = malloc(len + 1), .limit = limit, .result = result};
	int fd = make_file(text, len), r, parsed = 12345;
	size_t got = 0;
	char *buf;

	ASSERT(s.text);
	r = nsd_read_parse_fd(fd, max, consume, &s, &buf, &got, &parsed);
	ASSERT(r >= 0);
	ASSERT(got <= len && got <= max);
	ASSERT(memcmp(buf, text, got) == 0);
	ASSERT_EQ(buf[got], '\0');
	ASSERT_EQ(parsed, len ? result : 0);
	ASSERT_EQ(s.calls, len ? 1 : 0);
	/* The parser saw a prefix of the buffer, all of it unless it stopped. */
	ASSERT(s.len <= got);
	ASSERT(memcmp(s.text, text, s.len) == 0);
	/* A parser that took all it was given saw the whole file, or as much
	 * as the bound let in. */
	if (limit >= len) {
		ASSERT_EQ(r, len > max);
		ASSERT_EQ(got, r ? max : len);
		ASSERT_EQ(s.len, got);
	}
	free(buf);
	free(s.text);
	close(fd);
	return r;
}

static void test_sizes(void)
{
	const size_t sizes[] = {0, 1, 4095, 32767, 32768, 32769, 100000, (size_t)3 << 20};
	char *text = make_text(sizes[ELEMENTSOF(sizes) - 1]);

	/* Below, at and above the size that starts a thread. */
	for (size_t i = 0; i < ELEMENTSOF(sizes); i++)
		ASSERT_EQ(feed_file(text, sizes[i], (size_t)64 << 20, SIZE_MAX, 0), 0);
	free(text);
}

static void test_bound(void)
{
	char *text = make_text(200000);

	/* Cut at the bound, in one piece or fed; a file that ends there is whole. */
	ASSERT_EQ(feed_file(text, 200000, 100000, SIZE_MAX, 0), 1);
	ASSERT_EQ(feed_file(text, 200000, 1000, SIZE_MAX, 0), 1);
	ASSERT_EQ(feed_file(text, 100000, 100000, SIZE_MAX, 0), 0);
	/* No bound at all. */
	ASSERT_EQ(feed_file(text, 100000, SIZE_MAX, SIZE_MAX, 0), 0);
	free(text);
}

/* A parser that fails early on a large file: the thread, blocked on a full
 * pipe, must see the end closed and stop, not hang; and the broken pipe must
 * not kill the caller (SIGPIPE goes to the thread, which blocks it). */
static void test_parser_stops(void)
{
	char *text = make_text((size_t)4 << 20);

	ASSERT_EQ(feed_file(text, (size_t)4 << 20, (size_t)64 << 20, 10, -EBADMSG), 0);
	ASSERT_EQ(feed_file(text, (size_t)4 << 20, (size_t)64 << 20, 0, -EINVAL), 0);
	free(text);
}

/* A source that gives short reads, slowly: a writer process in small pieces. */
static void test_short_reads(void)
{
	const size_t n = 300000, piece = 1000;
	char *text = make_text(n), *buf;
	struct seen s = {.text = malloc(n), .limit = SIZE_MAX};
	int fds[2], parsed, status;
	size_t got;
	pid_t pid;

	ASSERT(s.text);
	ASSERT(pipe(fds) == 0);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		for (size_t off = 0; off < n; off += piece) {
			if (write(fds[1], text + off, piece) != (ssize_t)piece)
				_exit(1);
			if (off % 50000 == 0)
				usleep(2000);
		}
		_exit(0);
	}
	close(fds[1]);
	ASSERT_EQ(nsd_read_parse_fd(fds[0], (size_t)64 << 20, consume, &s, &buf, &got, &parsed), 0);
	ASSERT_EQ(got, n);
	ASSERT_EQ(s.len, n);
	ASSERT(memcmp(buf, text, n) == 0 && memcmp(s.text, text, n) == 0);
	ASSERT(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fds[0]);
	free(buf);
	free(s.text);
	free(text);
}

static void *idle(void *arg)
{
	return arg;
}

/* No thread can be started (its stack cannot be mapped): the file is read
 * whole, then parsed from memory, to the same result. */
static void test_no_thread(void)
{
	char *text = make_text(1000000);
	pthread_attr_t attr, big;
	pthread_t t;

	ASSERT(pthread_getattr_default_np(&attr) == 0);
	ASSERT(pthread_attr_init(&big) == 0);
	ASSERT(pthread_attr_setstacksize(&big, (size_t)1 << 46) == 0);
	ASSERT(pthread_setattr_default_np(&big) == 0);
	ASSERT(pthread_create(&t, NULL, idle, NULL) != 0);
	ASSERT_EQ(feed_file(text, 1000000, (size_t)64 << 20, SIZE_MAX, 0), 0);
	ASSERT_EQ(feed_file(text, 1000000, 100000, SIZE_MAX, 0), 1);
	ASSERT(pthread_setattr_default_np(&attr) == 0);
	pthread_attr_destroy(&big);
	pthread_attr_destroy(&attr);
	free(text);
}

static void test_read_error(void)
{
	struct seen s = {.text = NULL, .limit = 0};
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC), parsed;
	char *buf = (char *)&s;
	size_t got;

	ASSERT(fd >= 0);
	ASSERT_EQ(nsd_read_parse_fd(fd, 100, consume, &s, &buf, &got, &parsed), -EBADF);
	ASSERT(buf == NULL);
	ASSERT_EQ(s.calls, 0);
	close(fd);
}

int main(void)
{
	test_sizes();
	test_bound();
	test_parser_stops();
	test_short_reads();
	test_no_thread();
	test_read_error();
	return 0;
}
