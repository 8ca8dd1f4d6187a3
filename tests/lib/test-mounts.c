/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mount table: the index by ID and the tree, hostile files, host origins, comparison. */
#include <signal.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "nsdebug-private.h"
#include "test.h"

DEFINE_CLEANUP_FUNC(struct nsd_mounts, nsd_mounts_unref)
DEFINE_CLEANUP_FUNC(struct nsd_iter, nsd_iter_free)

static struct nsd_mounts *parse(const char *text)
{
	struct nsd_mounts *m = nsd_mounts_new();

	ASSERT(m);
	ASSERT_EQ(nsd_mounts_parse(m, text, strlen(text)), 0);
	return m;
}

/* The targets of the children of @mnt (roots for NULL), space-separated, into @buf. */
static const char *children(struct nsd_mounts *m, struct nsd_mount *mnt, char *buf, size_t size)
{
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct nsd_mount *c;
	size_t len = 0;

	buf[0] = '\0';
	while ((mnt ? nsd_mount_next_child(mnt, itr, &c) : nsd_mounts_next_root(m, itr, &c)) == 0)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "",
					nsd_mount_get_target(c));
	return buf;
}

/* Every mount is reached once from the roots, whatever the file says: the tree has no loop. */
static size_t count_tree(struct nsd_mounts *m)
{
	size_t n = nsd_mounts_get_nmounts(m), head = 0, tail = 0;
	struct nsd_mount **queue = calloc(n + 1, sizeof(*queue)), *mnt;
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();

	ASSERT(queue && itr);
	while (nsd_mounts_next_root(m, itr, &mnt) == 0) {
		ASSERT(tail < n);
		queue[tail++] = mnt;
	}
	while (head < tail) {
		struct nsd_mount *c;

		nsd_iter_reset(itr);
		while (nsd_mount_next_child(queue[head], itr, &c) == 0) {
			ASSERT(tail < n);
			ASSERT(nsd_mount_get_parent(c) == queue[head]);
			queue[tail++] = c;
		}
		head++;
	}
	free(queue);
	return tail;
}

static void test_tree(void)
{
	static const char text[] =
		"20 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
		"21 20 0:5 / /proc rw - proc proc rw\n"
		"22 20 0:6 / /dev rw - devtmpfs udev rw,size=10k\n"
		"23 22 0:7 / /dev/pts rw master:3 - devpts devpts rw\n"
		"24 21 0:8 / /proc/sys/fs/binfmt_misc rw unbindable - autofs systemd-1 rw\n"
		"25 22 0:9 / /dev/shm ro - tmpfs tmpfs rw\n"
		"26 77 0:10 / /lost rw - tmpfs tmpfs rw\n"
		"27 27 0:11 / /self rw - tmpfs tmpfs rw\n"
		"28 20 8:1 /srv/my\\040dir /my\\040dir rw - ext4 /dev/sda1 rw\n";
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *m = parse(text);
	struct nsd_mount *root, *dev, *mnt;
	char buf[256];

	ASSERT_EQ(nsd_mounts_get_nmounts(m), 9);
	root = nsd_mounts_find_id(m, 20);
	dev = nsd_mounts_find_id(m, 22);
	ASSERT(root && dev);
	ASSERT(nsd_mounts_find_id(m, 1) == NULL);
	ASSERT(nsd_mounts_find_id(m, -1) == NULL);
	ASSERT(nsd_mount_get_parent(root) == NULL);
	ASSERT_EQ(nsd_mount_get_parent_id(root), 1);
	ASSERT(nsd_mount_get_parent(dev) == root);
	ASSERT(nsd_mount_get_parent(nsd_mounts_find_id(m, 23)) == dev);

	/* Roots: the root mount, a mount whose parent is absent, a mount that is its own parent. */
	ASSERT_STREQ(children(m, NULL, buf, sizeof(buf)), "/ /lost /self");
	ASSERT_STREQ(children(m, root, buf, sizeof(buf)), "/proc /dev /my dir");
	ASSERT_STREQ(children(m, dev, buf, sizeof(buf)), "/dev/pts /dev/shm");
	ASSERT_STREQ(children(m, nsd_mounts_find_id(m, 25), buf, sizeof(buf)), "");
	ASSERT_EQ(count_tree(m), 9);

	mnt = nsd_mounts_find_id(m, 28);
	ASSERT_STREQ(nsd_mount_get_target(mnt), "/my dir");
	ASSERT_STREQ(nsd_mount_get_fsroot(mnt), "/srv/my dir");
	ASSERT_EQ(nsd_mount_get_devno(mnt), makedev(8, 1));
	ASSERT_STREQ(nsd_mount_get_source(dev), "udev");
	ASSERT_STREQ(nsd_mount_get_fstype(dev), "devtmpfs");
	ASSERT_STREQ(nsd_mount_get_options(dev), "rw,size=10k");
	ASSERT_STREQ(nsd_mount_get_fs_options(dev), "rw,size=10k");
	ASSERT_STREQ(nsd_mount_get_vfs_options(dev), "rw");

	ASSERT_EQ(nsd_mount_get_propagation(root), NSD_PROPAGATION_SHARED);
	ASSERT_EQ(nsd_mount_get_propagation(nsd_mounts_find_id(m, 23)), NSD_PROPAGATION_SLAVE);
	ASSERT_EQ(nsd_mount_get_propagation(nsd_mounts_find_id(m, 24)),
		  NSD_PROPAGATION_UNBINDABLE);
	ASSERT_EQ(nsd_mount_get_propagation(dev), 0);

	ASSERT(nsd_mount_is_writable(root));
	ASSERT(!nsd_mount_is_writable(nsd_mounts_find_id(m, 25)));
	ASSERT(nsd_mount_match_fstype(dev, "devtmpfs,proc"));
	ASSERT(!nsd_mount_match_fstype(dev, "nodevtmpfs,proc"));
	ASSERT(nsd_mount_match_fstype(dev, "notmpfs"));
}

/* A forged file: parents in a loop, a mount that is its own parent, a
 * repeated ID. The tree gets roots and no cycle; the first of an ID stays. */
static void test_loops_and_duplicates(void)
{
	static const char text[] = "1 2 0:1 / /a rw - tmpfs tmpfs rw\n"
				   "2 3 0:2 / /b rw - tmpfs tmpfs rw\n"
				   "3 1 0:3 / /c rw - tmpfs tmpfs rw\n"
				   "4 1 0:4 / /d rw - tmpfs tmpfs rw\n"
				   "4 4 0:5 / /d2 rw - tmpfs tmpfs rw\n"
				   "5 5 0:6 / /e rw - tmpfs tmpfs rw\n";
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *m = parse(text);
	char buf[256];

	ASSERT_EQ(nsd_mounts_get_nmounts(m), 6);
	ASSERT_STREQ(nsd_mount_get_target(nsd_mounts_find_id(m, 4)), "/d");
	ASSERT_EQ(count_tree(m), 6);
	/* The loop 1 -> 2 -> 3 -> 1 is cut where the walk closed it, at /a;
	 * the second ID 4 hangs under the first. */
	ASSERT_STREQ(children(m, NULL, buf, sizeof(buf)), "/a /e");
	ASSERT_STREQ(children(m, nsd_mounts_find_id(m, 1), buf, sizeof(buf)), "/c /d");
	ASSERT_STREQ(children(m, nsd_mounts_find_id(m, 4), buf, sizeof(buf)), "/d2");
}

/* Reads @len bytes of @text as a file, as nsd_mounts_read_file() does with
 * a saved copy: parsed while read, with a thread when it is large. */
static int read_as_file(struct nsd_mounts *m, const char *text, size_t len)
{
	char path[] = "/tmp/test-mounts.XXXXXX";
	_cleanup_close_ int fd = mkstemp(path);
	int r;

	ASSERT(fd >= 0);
	ASSERT(write(fd, text, len) == (ssize_t)len);
	r = nsd_mounts_read_file(m, path);
	unlink(path);
	return r;
}

/* Parsed from memory and read from a file, @text fails alike. */
static void expect_bad(const char *text, size_t len, int error, size_t line)
{
	for (int from_file = 0; from_file <= 1; from_file++) {
		_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *m = nsd_mounts_new();

		ASSERT_EQ(from_file ? read_as_file(m, text, len) : nsd_mounts_parse(m, text, len),
			  error);
		ASSERT_EQ(nsd_mounts_get_error_line(m), line);
		ASSERT_EQ(nsd_mounts_get_nmounts(m), 0);
	}
}

static void test_bad_input(void)
{
	static const char good[] = "1 0 8:1 / / rw - ext4 /dev/sda rw\n";
	static const char nul[] = "1 0 8:1 / / rw - ext4 /dev/sda rw\n\n2 1 0:5\0 / /x rw\n";
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *m = parse(good);

	expect_bad("", 0, -ENODATA, 0);
	expect_bad("\n\n", 2, -ENODATA, 0);
	expect_bad("hello world\n", 12, -EBADMSG, 1);
	/* Two words and more make a valid fstab line: libmount reads fstab then. */
	expect_bad("a b c d\n", 8, -EBADMSG, 1);
	/* Cut in the middle of the last line, without a newline. */
	expect_bad("1 0 8:1 / / rw - ext4 /dev/sda rw\n2 1 0:5 / /x rw,noatime", 57, -EBADMSG,
		   2);
	expect_bad("1 0 8:1 / / rw - ext4 /dev/sda rw\n# c\n\n2 1 0:5 / /x rw tmpfs\n", 61,
		   -EBADMSG, 4);
	expect_bad(nul, sizeof(nul) - 1, -EBADMSG, 3);
	expect_bad("-5 0 8:1 / / rw - ext4 /dev/sda rw\n", 35, -EBADMSG, 1);
	expect_bad("1 0 8:1 / / rw - ext4 /dev/sda rw\n\n2 -1 8:1 / /x rw - ext4 /dev/sda rw\n",
		   70, -EBADMSG, 3);

	/* A table is read once. */
	ASSERT_EQ(nsd_mounts_parse(m, good, strlen(good)), -EALREADY);
	ASSERT_EQ(nsd_mounts_read_file(m, "/nonexistent"), -EALREADY);
	ASSERT_EQ(nsd_mounts_get_nmounts(m), 1);
}

static void test_read(void)
{
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *self = nsd_mounts_new();
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *gone = nsd_mounts_new();
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *file = nsd_mounts_new();
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *procfs = nsd_mounts_new();
	_cleanup_close_ int pidfd = -EBADF;
	pid_t child;
	int status;

	ASSERT_EQ(nsd_mounts_read_file(file, "/nonexistent"), -ENOENT);
	ASSERT_EQ(nsd_mounts_read_pid(procfs, "/nonexistent", 1, -EBADF), -ENOENT);
	ASSERT_EQ(nsd_mounts_read_pid(procfs, NULL, 0, -EBADF), -EINVAL);

	/* Through a pidfd of a process that is alive: this one. */
	pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (pidfd < 0) {
		printf("skip: pidfd_open: %s\n", strerror(errno));
		exit(EXIT_TEST_SKIP);
	}
	ASSERT_EQ(nsd_mounts_read_pid(self, NULL, getpid(), pidfd), 0);
	ASSERT(nsd_mounts_get_nmounts(self) > 0);
	closep(&pidfd);

	/* A pidfd of a process that has exited: its PID may be anyone's now. */
	child = fork();
	ASSERT(child >= 0);
	if (child == 0)
		_exit(0);
	pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	ASSERT(pidfd >= 0);
	ASSERT(waitpid(child, NULL, 0) == child);
	ASSERT_EQ(nsd_mounts_read_pid(gone, NULL, getpid(), pidfd), -ESRCH);
	closep(&pidfd);

	/* Another user's process, whose mountinfo all may read though they
	 * may not signal it: root's, read by a child that became nobody. */
	if (geteuid() != 0)
		return;
	pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	ASSERT(pidfd >= 0);
	child = fork();
	ASSERT(child >= 0);
	if (child == 0) {
		_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *other = nsd_mounts_new();

		if (!other || setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
			_exit(2);
		_exit(nsd_mounts_read_pid(other, NULL, getppid(), pidfd) == 0 ? 0 : 1);
	}
	ASSERT(waitpid(child, &status, 0) == child);
	ASSERT(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
}

static const char host_text[] =
	"1 0 254:0 / / rw - ext4 /dev/vda rw\n"
	"2 1 0:21 / /proc rw - proc proc rw\n"
	"3 1 0:5 / /dev rw - devtmpfs udev rw\n"
	"4 1 0:25 / /run rw - tmpfs tmpfs rw\n"
	"5 4 254:0 /run/netns /run/netns rw - ext4 /dev/vda rw\n"
	"6 1 254:0 /srv/data /data rw - ext4 /dev/vda rw\n"
	"7 4 0:4 net:[4026532300] /run/docker/netns/x rw - nsfs nsfs rw\n"
	"8 1 254:16 / /srv2 rw - ext4 /dev/vdb rw\n";

static const char *host_path(struct nsd_mounts *m, int id)
{
	return nsd_mount_get_host_path(nsd_mounts_find_id(m, id));
}

static const char *exposure(struct nsd_mounts *m, int id)
{
	return nsd_mount_get_exposure(nsd_mounts_find_id(m, id));
}

static void test_host(void)
{
	static const char text[] =
		"100 90 0:60 / / rw - overlay overlay rw,lowerdir=/l1:/l2,upperdir=/u,workdir=/w\n"
		"101 100 254:0 /var/lib/docker/containers/c/hosts /etc/hosts rw - ext4 /dev/vda rw\n"
		"102 100 254:0 /run/netns/x /n rw - ext4 /dev/vda rw\n"
		"103 100 254:0 /srv/data/sub /sub rw - ext4 /dev/vda rw\n"
		"104 100 254:0 /srv/database /db rw - ext4 /dev/vda rw\n"
		"105 100 0:4 net:[4026532300] /ns rw - nsfs nsfs rw\n"
		"106 100 0:99 / /tmp rw - tmpfs tmpfs rw\n"
		"107 100 0:25 /docker.sock /var/run/docker.sock rw - tmpfs tmpfs rw\n"
		"108 100 254:0 /etc /hostetc ro - ext4 /dev/vda rw\n"
		"109 100 0:21 /sys /psys ro - proc proc rw\n"
		"110 100 0:21 /sys /psys-rw rw - proc proc rw\n"
		"111 100 0:5 /sda /dev/sda rw - devtmpfs udev rw\n"
		"112 100 254:16 / /disk rw - ext4 /dev/vdb rw\n"
		"113 100 254:0 / /hostroot ro - ext4 /dev/vda rw\n"
		"114 100 0:61 / /o rw - overlay overlay rw,lowerdir=/tmp/a:/etc\n"
		"115 100 254:0 /var/lib/docker/volumes/v/_data /v rw - ext4 /dev/vda rw\n"
		"116 100 254:0 /var /var-host rw - ext4 /dev/vda rw\n"
		"117 100 254:0 /home/u/podman.sock /p.sock rw - ext4 /dev/vda rw\n"
		"118 100 254:0 /home/u/my-podman.sock /q.sock rw - ext4 /dev/vda rw\n";
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *m = parse(text);
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *host = parse(host_text);

	ASSERT(host_path(m, 100) == NULL);
	ASSERT_EQ(nsd_mounts_resolve_host(m, host), 0);

	ASSERT_STREQ(host_path(m, 100), "upperdir=/u,lowerdir=/l1:/l2");
	ASSERT_STREQ(host_path(m, 101), "/var/lib/docker/containers/c/hosts");
	/* The longest FSROOT prefix wins; either way it is the same place here. */
	ASSERT_STREQ(host_path(m, 102), "/run/netns/x");
	/* Through the host's bind of /srv/data at /data, not /srv/data/sub via / ... */
	ASSERT_STREQ(host_path(m, 103), "/data/sub");
	/* ... and /srv/data is no prefix of /srv/database. */
	ASSERT_STREQ(host_path(m, 104), "/srv/database");
	ASSERT_STREQ(host_path(m, 105), "/run/docker/netns/x");
	ASSERT(host_path(m, 106) == NULL);
	ASSERT_STREQ(host_path(m, 107), "/run/docker.sock");
	ASSERT_STREQ(host_path(m, 112), "/srv2");
	ASSERT_STREQ(host_path(m, 113), "/");

	ASSERT(exposure(m, 100) == NULL);
	ASSERT(exposure(m, 101) == NULL);
	ASSERT(exposure(m, 103) == NULL);
	ASSERT(exposure(m, 106) == NULL);
	ASSERT(exposure(m, 115) == NULL);
	ASSERT_STREQ(exposure(m, 107), "Docker API socket: root on the host");
	ASSERT_STREQ(exposure(m, 108), "host configuration (/etc)");
	/* /proc of the host read-only is not flagged, writable it is. */
	ASSERT(exposure(m, 109) == NULL);
	ASSERT_STREQ(exposure(m, 110), "the host's /proc, writable");
	ASSERT_STREQ(exposure(m, 111), "a host device node (a disk: raw access to it)");
	ASSERT_STREQ(exposure(m, 112), "a whole filesystem of a host block device");
	ASSERT_STREQ(exposure(m, 113), "the host's root filesystem");
	/* An overlay with a host directory that matters as a lower layer. */
	ASSERT_STREQ(exposure(m, 114), "host configuration (/etc)");
	ASSERT_STREQ(exposure(m, 116), "Docker state: all containers and images");
	/* A socket of an engine where it is not by default (rootless, -H). */
	ASSERT_STREQ(exposure(m, 117), "Podman API socket: root on the host");
	ASSERT(exposure(m, 118) == NULL);

	/* The host's own mounts, seen in its own table, are not flagged. */
	ASSERT_EQ(nsd_mounts_resolve_host(host, host), 0);
	ASSERT_STREQ(host_path(host, 1), "/");
	ASSERT_STREQ(host_path(host, 6), "/data");
	ASSERT(exposure(host, 1) == NULL);
	ASSERT(exposure(host, 3) == NULL);
}

static void test_compare(void)
{
	static const char a_text[] = "1 0 8:1 / / rw - ext4 /dev/sda rw\n"
				     "2 1 0:5 / /x rw - tmpfs tmpfs rw\n"
				     "3 2 0:6 / /x rw - tmpfs tmpfs rw\n"
				     "4 1 8:1 /a /b rw - ext4 /dev/sda rw\n"
				     "5 1 0:7 / /only-a rw - tmpfs tmpfs rw\n";
	static const char b_text[] = "10 0 8:1 / / ro - ext4 /dev/sda rw\n"
				     "11 10 0:9 / /x rw - tmpfs tmpfs rw\n"
				     "12 10 8:1 /a/c /b rw - ext4 /dev/sda rw\n"
				     "13 10 0:9 / /only-b rw - tmpfs none rw\n";
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *a = parse(a_text);
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *b = parse(b_text);

	ASSERT_EQ(nsd_mounts_compare(a, b), 0);
	/* Same target, source and FSROOT pair, whatever the options and IDs. */
	ASSERT(nsd_mount_get_counterpart(nsd_mounts_find_id(a, 1)) == nsd_mounts_find_id(b, 10));
	ASSERT(nsd_mount_get_counterpart(nsd_mounts_find_id(b, 10)) == nsd_mounts_find_id(a, 1));
	/* /x twice here, once there: one pairs, one is left. */
	ASSERT(nsd_mount_get_counterpart(nsd_mounts_find_id(a, 2)) == nsd_mounts_find_id(b, 11));
	ASSERT(nsd_mount_get_counterpart(nsd_mounts_find_id(a, 3)) == NULL);
	/* Another FSROOT is another mount. */
	ASSERT(nsd_mount_get_counterpart(nsd_mounts_find_id(a, 4)) == NULL);
	ASSERT(nsd_mount_get_counterpart(nsd_mounts_find_id(b, 12)) == NULL);
	ASSERT(nsd_mount_get_counterpart(nsd_mounts_find_id(a, 5)) == NULL);
	ASSERT(nsd_mount_get_counterpart(nsd_mounts_find_id(b, 13)) == NULL);

	/* Again the other way round: the pairs of the first call are gone. */
	ASSERT_EQ(nsd_mounts_compare(b, b), 0);
	for (int id = 10; id <= 13; id++)
		ASSERT(nsd_mount_get_counterpart(nsd_mounts_find_id(b, id)) ==
		       nsd_mounts_find_id(b, id));
}

/* Puts @c at the start of line @line (from 1) of @text. */
static void bad_line(char *text, size_t line, char c)
{
	while (--line > 0) {
		text = strchr(text, '\n');
		ASSERT(text);
		text++;
	}
	*text = c;
}

/* 20,000 mounts, nested 20,000 deep and flat: nothing recurses, every ID is found. */
static void test_large(void)
{
	const size_t n = 20000;
	char *chain = malloc(n * 64), *flat = malloc(n * 64);
	size_t clen = 0, flen = 0;
	struct nsd_mounts *m;

	ASSERT(chain && flat);
	for (size_t i = 1; i <= n; i++) {
		clen += (size_t)sprintf(chain + clen, "%zu %zu 0:%zu / /m rw - tmpfs t rw\n", i,
					i - 1, i);
		flen += (size_t)sprintf(flat + flen, "%zu 1 0:%zu / /m%zu rw - tmpfs t rw\n", i, i,
					i);
	}
	m = nsd_mounts_new();
	ASSERT_EQ(nsd_mounts_parse(m, chain, clen), 0);
	ASSERT_EQ(count_tree(m), n);
	ASSERT(nsd_mount_get_parent(nsd_mounts_find_id(m, (int)n)) ==
	       nsd_mounts_find_id(m, (int)n - 1));
	nsd_mounts_unref(m);

	m = nsd_mounts_new();
	ASSERT_EQ(nsd_mounts_parse(m, flat, flen), 0);
	ASSERT_EQ(count_tree(m), n);
	for (int id = 2; id <= (int)n; id++)
		ASSERT(nsd_mount_get_parent(nsd_mounts_find_id(m, id)) == nsd_mounts_find_id(m, 1));
	nsd_mounts_unref(m);

	/* The same read from a file, parsed as it is read. */
	m = nsd_mounts_new();
	ASSERT_EQ(read_as_file(m, flat, flen), 0);
	ASSERT_EQ(nsd_mounts_get_nmounts(m), n);
	ASSERT_EQ(count_tree(m), n);
	ASSERT_STREQ(nsd_mount_get_target(nsd_mounts_find_id(m, (int)n)), "/m20000");
	nsd_mounts_unref(m);

	/* Errors far into a large file, and near its start: the reading stops
	 * with the parse then. The first of a bad line and a NUL counts. */
	bad_line(flat, 15000, 'x');
	expect_bad(flat, flen, -EBADMSG, 15000);
	bad_line(flat, 12000, '\0');
	expect_bad(flat, flen, -EBADMSG, 12000);
	bad_line(flat, 3, 'x');
	expect_bad(flat, flen, -EBADMSG, 3);
	free(chain);
	free(flat);
}

int main(void)
{
	test_tree();
	test_loops_and_duplicates();
	test_bad_input();
	test_host();
	test_compare();
	test_large();
	test_read();
	return 0;
}
