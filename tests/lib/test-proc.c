/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The bounded readers and parsers of /proc files, on good and hostile input. */
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>

#include "nsdebug-private.h"
#include "test.h"

static void test_parse_stat(void)
{
	static const char good[] = "4242 (my comm) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 "
				   "0 3 0 987654 1234 56 18446744073709551615\n";
	static const char parens[] = "7 (a) (b c)) R 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 -20 -5 1 0 12 0\n";
	struct nsd_stat st;

	ASSERT_EQ(nsd_parse_stat(good, strlen(good), &st), 0);
	ASSERT_STREQ(st.comm, "my comm");
	ASSERT_EQ(st.state, 'S');
	ASSERT_EQ(st.ppid, 17);
	ASSERT_EQ(st.nthreads, 3);
	ASSERT_EQ(st.starttime, 987654);

	/* COMM ends at the last ')': a process may name itself "a) (b c)". */
	ASSERT_EQ(nsd_parse_stat(parens, strlen(parens), &st), 0);
	ASSERT_STREQ(st.comm, "a) (b c)");
	ASSERT_EQ(st.state, 'R');
	ASSERT_EQ(st.starttime, 12);
}

static void test_parse_stat_bad(void)
{
	static const char *const bad[] = {
		"",
		"1 (x S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 5",      /* no ')' */
		"1 x) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 5",      /* no '(' */
		"1 (x) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",         /* field 22 missing */
		"1 (x) SS 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 5",    /* state of two letters */
		"1 (x) S -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 5",    /* negative PPID */
		"1 (x) S 1x 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 5",    /* PPID not a number */
		"1 (x) S 99999999999 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 5", /* PPID beyond pid_t */
		"1 (x) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 99999999999999999999999",
		"1 (x) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 -5",
		"1 (x) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 x 0 5",     /* thread count not a number */
	};
	static const char nul[] = "1 (x\0y) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 5";
	static char huge[NSD_STAT_MAX + 10];
	struct nsd_stat st;

	for (size_t i = 0; i < ELEMENTSOF(bad); i++)
		ASSERT_EQ(nsd_parse_stat(bad[i], strlen(bad[i]), &st), -EINVAL);

	/* A NUL inside, and a file longer than any stat the kernel writes. */
	ASSERT_EQ(nsd_parse_stat(nul, sizeof(nul) - 1, &st), -EINVAL);
	memset(huge, '1', sizeof(huge));
	ASSERT_EQ(nsd_parse_stat(huge, sizeof(huge), &st), -EINVAL);
}

static void test_parse_ns_link(void)
{
	ino_t ino;

	ASSERT_EQ(nsd_parse_ns_link("net:[4026531840]", 16, NSD_NS_NET, &ino), 0);
	ASSERT_EQ(ino, 4026531840);
	ASSERT_EQ(nsd_parse_ns_link("cgroup:[1]", 10, NSD_NS_CGROUP, &ino), 0);
	ASSERT_EQ(ino, 1);

	ASSERT_EQ(nsd_parse_ns_link("net:[4026531840]", 16, NSD_NS_PID, &ino), -EINVAL);
	ASSERT_EQ(nsd_parse_ns_link("net:[]", 6, NSD_NS_NET, &ino), -EINVAL);
	ASSERT_EQ(nsd_parse_ns_link("net:[0]", 7, NSD_NS_NET, &ino), -EINVAL);
	ASSERT_EQ(nsd_parse_ns_link("net:[12a]", 9, NSD_NS_NET, &ino), -EINVAL);
	ASSERT_EQ(nsd_parse_ns_link("net:4026531840", 14, NSD_NS_NET, &ino), -EINVAL);
	ASSERT_EQ(nsd_parse_ns_link("net:[4026531840", 15, NSD_NS_NET, &ino), -EINVAL);
	ASSERT_EQ(nsd_parse_ns_link("netx[1]", 7, NSD_NS_NET, &ino), -EINVAL);
	ASSERT_EQ(nsd_parse_ns_link("net:[99999999999999999999999]", 29, NSD_NS_NET, &ino),
		  -ERANGE);
	ASSERT_EQ(nsd_parse_ns_link("ne", 2, NSD_NS_NET, &ino), -EINVAL);
	ASSERT_EQ(nsd_parse_ns_link("net:[1]", 7, NSD_NS_COUNT, &ino), -EINVAL);
}

/* The fd/ links and nsfs mount roots name any type; other fd targets are refused. */
static void test_parse_ns_link_any(void)
{
	enum nsd_nstype type;
	ino_t ino;

	ASSERT_EQ(nsd_parse_ns_link_any("net:[4026532600]", 16, &type, &ino), 0);
	ASSERT_EQ(type, NSD_NS_NET);
	ASSERT_EQ(ino, 4026532600);
	ASSERT_EQ(nsd_parse_ns_link_any("cgroup:[7]", 10, &type, &ino), 0);
	ASSERT_EQ(type, NSD_NS_CGROUP);
	ASSERT_EQ(nsd_parse_ns_link_any("socket:[12345]", 14, &type, &ino), -EINVAL);
	ASSERT_EQ(nsd_parse_ns_link_any("anon_inode:[eventfd]", 20, &type, &ino), -EINVAL);
	ASSERT_EQ(nsd_parse_ns_link_any("net:[12]x", 9, &type, &ino), -EINVAL);
	ASSERT_EQ(nsd_parse_ns_link_any("net", 3, &type, &ino), -EINVAL);
	ASSERT_EQ(nsd_parse_ns_link_any("averyveryverylongname:[1]", 25, &type, &ino), -EINVAL);
	/* Bounded by the length, not by a NUL. */
	ASSERT_EQ(nsd_parse_ns_link_any("pid:[5]garbage", 7, &type, &ino), 0);
	ASSERT_EQ(ino, 5);
}

static void test_parse_cmdline(void)
{
	char *s;

	ASSERT_EQ(nsd_parse_cmdline("sleep\0" "1000\0", 11, &s), 0);
	ASSERT_STREQ(s, "sleep 1000");
	free(s);
	ASSERT_EQ(nsd_parse_cmdline("a\0\0b\0\0\0", 7, &s), 0);
	ASSERT_STREQ(s, "a  b");
	free(s);
	/* A process may rewrite its argv without NULs (setproctitle). */
	ASSERT_EQ(nsd_parse_cmdline("nginx: worker", 13, &s), 0);
	ASSERT_STREQ(s, "nginx: worker");
	free(s);
	ASSERT_EQ(nsd_parse_cmdline("", 0, &s), -ENODATA);
	ASSERT_EQ(nsd_parse_cmdline("\0\0", 2, &s), -ENODATA);
}

static void test_parse_pid(void)
{
	pid_t pid;

	ASSERT_EQ(nsd_parse_pid("1", &pid), 0);
	ASSERT_EQ(pid, 1);
	ASSERT_EQ(nsd_parse_pid("4194304", &pid), 0);
	ASSERT_EQ(pid, 4194304);
	ASSERT_EQ(nsd_parse_pid("2147483647", &pid), 0);
	ASSERT_EQ(nsd_parse_pid("2147483648", &pid), -ERANGE);
	ASSERT_EQ(nsd_parse_pid("9223372036854775808", &pid), -ERANGE);
	ASSERT_EQ(nsd_parse_pid("0", &pid), -EINVAL);
	ASSERT_EQ(nsd_parse_pid("01", &pid), -EINVAL);
	ASSERT_EQ(nsd_parse_pid("-1", &pid), -EINVAL);
	ASSERT_EQ(nsd_parse_pid("+1", &pid), -EINVAL);
	ASSERT_EQ(nsd_parse_pid("1a", &pid), -EINVAL);
	ASSERT_EQ(nsd_parse_pid("", &pid), -EINVAL);
	ASSERT_EQ(nsd_parse_pid("self", &pid), -EINVAL);
	ASSERT_EQ(nsd_parse_pid(NULL, &pid), -EINVAL);
}

static int write_file(int dirfd, const char *name, const char *data, size_t len)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		return -1;
	return 0;
}

static void test_read_at(int dirfd)
{
	char buf[8], *s;
	size_t len;

	ASSERT_EQ(write_file(dirfd, "seven", "1234567", 7), 0);
	ASSERT_EQ(write_file(dirfd, "eight", "12345678", 8), 0);
	ASSERT_EQ(write_file(dirfd, "empty", "", 0), 0);

	/* A file that fills the buffer but for the NUL fits; one byte more does not. */
	ASSERT_EQ(nsd_read_at(dirfd, "seven", buf, sizeof(buf), &len), 0);
	ASSERT_EQ(len, 7);
	ASSERT_STREQ(buf, "1234567");
	ASSERT_EQ(nsd_read_at(dirfd, "eight", buf, sizeof(buf), &len), -EFBIG);
	ASSERT_EQ(nsd_read_at(dirfd, "empty", buf, sizeof(buf), &len), 0);
	ASSERT_EQ(len, 0);
	ASSERT_EQ(nsd_read_at(dirfd, "missing", buf, sizeof(buf), &len), -ENOENT);
	ASSERT_EQ(nsd_read_at(dirfd, "seven", buf, 0, &len), -EINVAL);

	ASSERT_EQ(nsd_read_alloc_at(dirfd, "eight", 8, &s, &len), 0);
	ASSERT_EQ(len, 8);
	ASSERT_STREQ(s, "12345678");
	free(s);
	ASSERT_EQ(nsd_read_alloc_at(dirfd, "eight", 5, &s, &len), 1);
	ASSERT_EQ(len, 5);
	ASSERT_STREQ(s, "12345");
	free(s);
	ASSERT_EQ(nsd_read_alloc_at(dirfd, "empty", 5, &s, &len), 0);
	ASSERT_EQ(len, 0);
	ASSERT_STREQ(s, "");
	free(s);
	ASSERT_EQ(nsd_read_alloc_at(dirfd, "missing", 5, &s, &len), -ENOENT);
}

/* Growth past the first 4 KiB buffer, and a cut at a bound that is not a power of two. */
static void test_read_alloc_large(int dirfd)
{
	static char data[100000];
	char *s;
	size_t len;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)('a' + i % 26);
	ASSERT_EQ(write_file(dirfd, "large", data, sizeof(data)), 0);
	ASSERT_EQ(nsd_read_alloc_at(dirfd, "large", 1 << 20, &s, &len), 0);
	ASSERT_EQ(len, sizeof(data));
	ASSERT(memcmp(s, data, len) == 0);
	free(s);
	ASSERT_EQ(nsd_read_alloc_at(dirfd, "large", 10000, &s, &len), 1);
	ASSERT_EQ(len, 10000);
	ASSERT(memcmp(s, data, len) == 0);
	free(s);
}

static void test_nstype(void)
{
	static const char *const names[] = {"mnt", "net", "pid", "uts", "ipc", "user", "cgroup",
					    "time"};

	for (int t = 0; t < NSD_NS_COUNT; t++) {
		ASSERT_STREQ(nsd_nstype_to_name(t), names[t]);
		ASSERT_EQ(nsd_nstype_from_name(names[t]), t);
	}
	ASSERT_EQ(nsd_nstype_from_name("network"), -EINVAL);
	ASSERT_EQ(nsd_nstype_from_name(""), -EINVAL);
	ASSERT(nsd_nstype_to_name(NSD_NS_COUNT) == NULL);
	ASSERT_EQ(nsd_nstype_to_clone_flag(NSD_NS_NET), CLONE_NEWNET);
	ASSERT_EQ(nsd_nstype_to_clone_flag(NSD_NS_USER), CLONE_NEWUSER);
	ASSERT_EQ(nsd_nstype_to_clone_flag(NSD_NS_TIME), 0x80);
	ASSERT_EQ(nsd_nstype_to_clone_flag(NSD_NS_COUNT), -EINVAL);
	ASSERT_STREQ(nsd_nstype_path(NSD_NS_CGROUP), "ns/cgroup");
	ASSERT(nsd_nstype_path(NSD_NS_COUNT) == NULL);
	ASSERT_STREQ(nsd_nstype_children_path(NSD_NS_PID), "ns/pid_for_children");
	ASSERT_STREQ(nsd_nstype_children_path(NSD_NS_TIME), "ns/time_for_children");
	ASSERT(nsd_nstype_children_path(NSD_NS_NET) == NULL);
}

static void test_parse_status(void)
{
	static const char good[] = "Name:\tsleep\nUmask:\t0022\nState:\tS (sleeping)\n"
				   "Uid:\t1000\t1001\t1002\t1003\nGid:\t5\t6\t7\t8\n"
				   "NSpid:\t4242\t17\t1\nCapInh:\t0000000000000000\n"
				   "CapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n"
				   "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n"
				   "NoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t1\n";
	static const char *const bad[] = {
		"Uid:\t1\t2\t3\n",                 /* three UIDs */
		"Uid:\t1\t2\t3\t-4\n",             /* negative */
		"NSpid:\t0\n",                       /* PID 0 */
		"NSpid:\n",                           /* none */
		"CapEff:\t00000000000000000\n",       /* 17 digits */
		"CapEff:\tzz\n",
		"Seccomp:\t3\n",
		"no colon here\n",
	};
	struct nsd_status st;

	ASSERT_EQ(nsd_parse_status(good, strlen(good), &st), 0);
	ASSERT_EQ(st.uid[1], 1001);
	ASSERT_EQ(st.gid[3], 8);
	ASSERT_EQ(st.nnspid, 3);
	ASSERT_EQ(st.nspid[0], 4242);
	ASSERT_EQ(st.nspid[2], 1);
	ASSERT(st.cap[NSD_CAPS_EFFECTIVE] == 0x1ffffffffffULL);
	ASSERT_EQ(st.cap[NSD_CAPS_AMBIENT], 0);
	ASSERT_EQ(st.no_new_privs, 1);
	ASSERT_EQ(st.seccomp, 2);
	ASSERT_EQ(st.have, NSD_STATUS_HAVE_UID | NSD_STATUS_HAVE_GID | NSD_STATUS_HAVE_NSPID |
				   NSD_STATUS_HAVE_CAPS);
	/* An old kernel's status without the newer lines: they stay unknown. */
	ASSERT_EQ(nsd_parse_status("Name:\tx\n", 8, &st), 0);
	ASSERT_EQ(st.have, 0);
	ASSERT_EQ(st.seccomp, -1);
	for (size_t i = 0; i < ELEMENTSOF(bad); i++)
		ASSERT_EQ(nsd_parse_status(bad[i], strlen(bad[i]), &st), -EINVAL);
}

static void test_parse_id_map(void)
{
	static const char map[] = "         0     100000      65536\n     65536       1000          1\n";
	uint32_t id;

	ASSERT_EQ(nsd_parse_id_map(map, strlen(map), 100000, &id), 0);
	ASSERT_EQ(id, 0);
	ASSERT_EQ(nsd_parse_id_map(map, strlen(map), 101000, &id), 0);
	ASSERT_EQ(id, 1000);
	ASSERT_EQ(nsd_parse_id_map(map, strlen(map), 1000, &id), 0);
	ASSERT_EQ(id, 65536);
	ASSERT_EQ(nsd_parse_id_map(map, strlen(map), 0, &id), -ERANGE);
	ASSERT_EQ(nsd_parse_id_map(map, strlen(map), 165536, &id), -ERANGE);
	/* The host's own map, and one whose sums would overflow 32 bits. */
	ASSERT_EQ(nsd_parse_id_map("0 0 4294967295\n", 15, 4294967294U, &id), 0);
	ASSERT_EQ(id, 4294967294U);
	ASSERT_EQ(nsd_parse_id_map("4294967295 1 10\n", 16, 5, &id), -ERANGE);
	ASSERT_EQ(nsd_parse_id_map("0 100000\n", 9, 100000, &id), -EINVAL);
	ASSERT_EQ(nsd_parse_id_map("", 0, 0, &id), -ERANGE);
}

static void test_parse_passwd_name(void)
{
	static const char pw[] = "root:x:0:0:root:/root:/bin/sh\n"
				 "# a comment\n"
				 ":x:5:5::/:/bin/sh\n"
				 "app:x:1000:1000::/:/bin/sh\n"
				 "evil\033[31m:x:666:0::/:/bin/sh\n"
				 "dup:x:1000:1000::/:/bin/sh";
	char *name;

	ASSERT_EQ(nsd_parse_passwd_name(pw, strlen(pw), 0, &name), 0);
	ASSERT_STREQ(name, "root");
	free(name);
	ASSERT_EQ(nsd_parse_passwd_name(pw, strlen(pw), 1000, &name), 0);
	ASSERT_STREQ(name, "app");
	free(name);
	ASSERT_EQ(nsd_parse_passwd_name(pw, strlen(pw), 5, &name), -ENOENT);   /* empty name */
	ASSERT_EQ(nsd_parse_passwd_name(pw, strlen(pw), 666, &name), -ENOENT); /* escape code */
	ASSERT_EQ(nsd_parse_passwd_name(pw, strlen(pw), 7, &name), -ENOENT);
	ASSERT_EQ(nsd_parse_passwd_name("x:y", 3, 0, &name), -ENOENT);
}

static void test_parse_id_ranges(void)
{
	static const char map[] = "         0     100000      65536\n     65536       1000          1\n";
	struct nsd_id_range r[2];

	ASSERT_EQ(nsd_parse_id_ranges(map, strlen(map), r, 2), 2);
	ASSERT_EQ(r[0].inside, 0);
	ASSERT_EQ(r[0].outside, 100000);
	ASSERT_EQ(r[0].count, 65536);
	ASSERT_EQ(r[1].inside, 65536);
	ASSERT_EQ(r[1].outside, 1000);
	ASSERT_EQ(r[1].count, 1);
	ASSERT_EQ(nsd_parse_id_ranges(map, strlen(map), r, 1), -E2BIG);
	/* A user namespace whose map is not written yet has none. */
	ASSERT_EQ(nsd_parse_id_ranges("", 0, r, 2), 0);
	ASSERT_EQ(nsd_parse_id_ranges("0 1\n", 4, r, 2), -EINVAL);
	ASSERT_EQ(nsd_parse_id_ranges("0 1 2 3\n", 8, r, 2), -EINVAL);
}

static void test_parse_lsm_label(void)
{
	char *label;

	ASSERT_EQ(nsd_parse_lsm_label("docker-default (enforce)\n", 25, &label), 0);
	ASSERT_STREQ(label, "docker-default (enforce)");
	free(label);
	/* SELinux ends its context with a NUL. */
	ASSERT_EQ(nsd_parse_lsm_label("system_u:system_r:container_t:s0:c1,c2\0", 39, &label), 0);
	ASSERT_STREQ(label, "system_u:system_r:container_t:s0:c1,c2");
	free(label);
	ASSERT_EQ(nsd_parse_lsm_label("\n", 1, &label), -ENODATA);
	ASSERT_EQ(nsd_parse_lsm_label("a\033[31m\n", 8, &label), -EINVAL);
	ASSERT_EQ(nsd_parse_lsm_label("a\nb\n", 4, &label), -EINVAL);
}

struct seen {
	struct nsd_sock_entry e[8];
	size_t n;
};

static int record(const struct nsd_sock_entry *e, void *userdata)
{
	struct seen *s = userdata;

	ASSERT(s->n < ELEMENTSOF(s->e));
	s->e[s->n++] = *e;
	return 0;
}

static int stop_at_first(const struct nsd_sock_entry *e, void *userdata)
{
	return 42;
}

static void test_parse_net_sockets(void)
{
	static const char tcp[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
		"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 51234 1 0000000000000000 100 0 0 10 0\n"
		"   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 51240 1 0000000000000000 20 4 30 10 -1\n"
		"   2: garbage\n";
	static const char tcp6[] =
		"  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
		"   0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0\n";
	static const char udp[] =
		"   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
		"  100: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 999 2 0000000000000000 0\n";
	static const char unix_[] =
		"Num       RefCount Protocol Flags    Type St Inode Path\n"
		"0000000000000000: 00000002 00000000 00010000 0001 01 3001 /run/app.sock\n"
		"0000000000000000: 00000003 00000000 00000000 0001 03 3002\n"
		"0000000000000000: 00000002 00000000 00000000 0002 01 3003 @abstract name\n"
		"0000000000000000: 00000002 00000000 00000000 0001 03 3004 /a\n"
		"evil continuation of a path with a newline\n";
	struct seen s = {0};
	const unsigned char lo[4] = {127, 0, 0, 1}, lo6[16] = {[15] = 1};

	ASSERT_EQ(nsd_parse_net_sockets(tcp, strlen(tcp), NSD_NETFILE_TCP, record, &s), 0);
	ASSERT_EQ(s.n, 2);
	ASSERT(memcmp(s.e[0].local, lo, 4) == 0);
	ASSERT_EQ(s.e[0].local_port, 8080);
	ASSERT(s.e[0].listening);
	ASSERT_EQ(s.e[0].inode, 51234);
	ASSERT(!s.e[1].listening);
	ASSERT_EQ(s.e[1].remote_port, 0xd431);
	ASSERT_EQ(s.e[1].uid, 1000);
	ASSERT_EQ(s.e[1].state, 1);

	s.n = 0;
	ASSERT_EQ(nsd_parse_net_sockets(tcp6, strlen(tcp6), NSD_NETFILE_TCP6, record, &s), 0);
	ASSERT_EQ(s.n, 1);
	ASSERT(memcmp(s.e[0].local, lo6, 16) == 0);
	ASSERT_EQ(s.e[0].local_port, 22);

	s.n = 0;
	ASSERT_EQ(nsd_parse_net_sockets(udp, strlen(udp), NSD_NETFILE_UDP, record, &s), 0);
	ASSERT_EQ(s.n, 1);
	ASSERT(s.e[0].listening);
	ASSERT_EQ(s.e[0].local_port, 68);

	s.n = 0;
	ASSERT_EQ(nsd_parse_net_sockets(unix_, strlen(unix_), NSD_NETFILE_UNIX, record, &s), 0);
	ASSERT_EQ(s.n, 4);
	ASSERT(s.e[0].listening);
	ASSERT_STREQ(s.e[0].path, "/run/app.sock");
	ASSERT_EQ(s.e[0].inode, 3001);
	ASSERT_STREQ(s.e[1].path, "");
	ASSERT_EQ(s.e[1].state, 3);
	ASSERT_STREQ(s.e[2].path, "@abstract name");
	ASSERT_EQ(s.e[2].type, 2);

	/* An IPv4 line in the tcp6 file has the wrong shape; the callback stops the walk. */
	s.n = 0;
	ASSERT_EQ(nsd_parse_net_sockets(tcp, strlen(tcp), NSD_NETFILE_TCP6, record, &s), 0);
	ASSERT_EQ(s.n, 0);
	ASSERT_EQ(nsd_parse_net_sockets(tcp, strlen(tcp), NSD_NETFILE_TCP, stop_at_first, NULL), 42);
	ASSERT_EQ(nsd_parse_net_sockets(tcp, strlen(tcp), NSD_NETFILE_COUNT, record, &s), -EINVAL);
}

int main(void)
{
	char dir[] = "/tmp/test-proc.XXXXXX";
	_cleanup_close_ int dirfd = -EBADF;

	ASSERT(mkdtemp(dir));
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT(dirfd >= 0);

	test_parse_stat();
	test_parse_stat_bad();
	test_parse_ns_link();
	test_parse_ns_link_any();
	test_parse_cmdline();
	test_parse_pid();
	test_read_at(dirfd);
	test_read_alloc_large(dirfd);
	test_nstype();
	test_parse_status();
	test_parse_id_map();
	test_parse_passwd_name();
	test_parse_id_ranges();
	test_parse_lsm_label();
	test_parse_net_sockets();

	for (const char *f = "seven\0eight\0empty\0large\0"; *f; f += strlen(f) + 1)
		unlinkat(dirfd, f, 0);
	rmdir(dir);
	return 0;
}
