/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A net namespace as the responder wants it: interfaces, addresses and
 * routes (rtnetlink, read inside the namespace), and sockets with the
 * process that holds each (PROCFS/PID/net/{tcp,tcp6,udp,udp6,unix} of a
 * process in it, joined to the socket inodes of the fds of its processes).
 *
 * Interfaces: a netlink socket belongs to the net namespace it was made in,
 * so a forked child joins only the target's net namespace, makes one, hands
 * it over (SCM_RIGHTS) and exits; nsdebug itself never changes namespace,
 * and all the socket does is dump, which changes nothing in the target.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nsdebug-private.h"

struct nsd_netif {
	int index;
	char name[IFNAMSIZ];
	unsigned flags; /* IFF_* */
	unsigned mtu;
	char mac[3 * 32];
	char kind[32]; /* IFLA_INFO_KIND: veth, bridge...; "" for a physical or loopback one */
};

struct nsd_netaddr {
	struct nsd_netinfo *ni;
	int ifindex;
	int family;
	unsigned prefixlen;
	char address[INET6_ADDRSTRLEN];
};

struct nsd_netroute {
	struct nsd_netinfo *ni;
	int family;
	char destination[INET6_ADDRSTRLEN + 4];
	char gateway[INET6_ADDRSTRLEN];
	int ifindex; /* 0: none */
};

struct nsd_socket {
	enum nsd_netfile file;
	unsigned state, type;
	bool listening;
	uint64_t inode;
	char local[NSD_UNIX_PATH_MAX]; /* "" for none */
	char remote[INET6_ADDRSTRLEN + 8];
	struct nsd_proc *proc;
};

struct nsd_netinfo {
	unsigned refcount;
	struct nsd_netif *ifs;
	size_t nifs, ifs_alloc;
	struct nsd_netaddr *addrs;
	size_t naddrs, addrs_alloc;
	struct nsd_netroute *routes;
	size_t nroutes, routes_alloc;
	struct nsd_socket *socks;
	size_t nsocks, socks_alloc;
};

/* Bounds on what a namespace may make us hold: far beyond real ones. */
#define ITEMS_MAX ((size_t)1 << 20)
#define NETFILE_MAX ((size_t)256 << 20)
#define DUMP_MAX ((size_t)256 << 20)

/* Room for one more element of @size in *@a of *@n, growing by doubling. */
static void *grow(void *a, size_t *n, size_t *alloc, size_t size)
{
	void **p = a;

	if (*n == *alloc) {
		size_t na = *alloc ? *alloc * 2 : 16;
		void *q;

		if (*n >= ITEMS_MAX)
			return NULL;
		q = reallocarray(*p, na, size);
		if (!q)
			return NULL;
		*p = q;
		*alloc = na;
	}
	return (char *)*p + (*n)++ * size;
}

/**
 * nsd_netinfo_new:
 *
 * Returns: an empty description of a net namespace, with one reference, to
 * be filled by nsd_netinfo_read_interfaces() and
 * nsd_netinfo_read_sockets(); NULL with errno set.
 */
NSD_EXPORT struct nsd_netinfo *nsd_netinfo_new(void)
{
	struct nsd_netinfo *ni = calloc(1, sizeof(*ni));

	if (ni)
		ni->refcount = 1;
	return ni;
}

/**
 * nsd_netinfo_unref:
 * @ni: net namespace description or NULL
 *
 * Returns: NULL
 */
NSD_EXPORT struct nsd_netinfo *nsd_netinfo_unref(struct nsd_netinfo *ni)
{
	if (!ni || --ni->refcount > 0)
		return NULL;
	free(ni->ifs);
	free(ni->addrs);
	free(ni->routes);
	free(ni->socks);
	free(ni);
	return NULL;
}

/* The attributes of a netlink message after its fixed header, by type:
 * @tb[type] is the last attribute of that type, or NULL. */
static int parse_attrs(const char *data, size_t len, const struct rtattr **tb, size_t max)
{
	memset(tb, 0, max * sizeof(*tb));
	for (size_t pos = 0; len - pos >= sizeof(struct rtattr);) {
		const struct rtattr *a = (const void *)(data + pos);

		if (a->rta_len < sizeof(*a) || a->rta_len > len - pos)
			return -EBADMSG;
		if ((a->rta_type & NLA_TYPE_MASK) < max)
			tb[a->rta_type & NLA_TYPE_MASK] = a;
		pos += RTA_ALIGN(a->rta_len);
		if (pos > len)
			break;
	}
	return 0;
}

static size_t attr_len(const struct rtattr *a)
{
	return a->rta_len - RTA_LENGTH(0);
}

/* A string attribute, cut to @size - 1 bytes, control characters as '?'. */
static void attr_string(const struct rtattr *a, char *buf, size_t size)
{
	size_t n;

	buf[0] = '\0';
	if (!a)
		return;
	n = strnlen(RTA_DATA(a), attr_len(a));
	if (n >= size)
		n = size - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = ((const unsigned char *)RTA_DATA(a))[i];

		buf[i] = (char)(c < ' ' || c == 0x7f ? '?' : c);
	}
	buf[n] = '\0';
}

static bool attr_u32(const struct rtattr *a, uint32_t *ret)
{
	if (!a || attr_len(a) != sizeof(*ret))
		return false;
	memcpy(ret, RTA_DATA(a), sizeof(*ret));
	return true;
}

/* An address attribute of @family as text; false when its length is not the family's. */
static bool attr_address(const struct rtattr *a, int family, char *buf, size_t size)
{
	size_t want = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;

	return a && want && attr_len(a) == want && inet_ntop(family, RTA_DATA(a), buf, size);
}

static int parse_link(struct nsd_netinfo *ni, const char *data, size_t len)
{
	const struct rtattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1];
	struct ifinfomsg ifi;
	struct nsd_netif *nif;
	uint32_t mtu;

	if (len < NLMSG_ALIGN(sizeof(ifi)))
		return -EBADMSG;
	memcpy(&ifi, data, sizeof(ifi));
	if (parse_attrs(data + NLMSG_ALIGN(sizeof(ifi)), len - NLMSG_ALIGN(sizeof(ifi)), tb,
			ELEMENTSOF(tb)) < 0)
		return -EBADMSG;
	if (!tb[IFLA_IFNAME])
		return 0;
	nif = grow(&ni->ifs, &ni->nifs, &ni->ifs_alloc, sizeof(*ni->ifs));
	if (!nif)
		return -ENOMEM;
	*nif = (struct nsd_netif){.index = ifi.ifi_index, .flags = ifi.ifi_flags};
	attr_string(tb[IFLA_IFNAME], nif->name, sizeof(nif->name));
	if (attr_u32(tb[IFLA_MTU], &mtu))
		nif->mtu = mtu;
	if (tb[IFLA_ADDRESS] && attr_len(tb[IFLA_ADDRESS]) > 0 && attr_len(tb[IFLA_ADDRESS]) <= 32) {
		const unsigned char *mac = RTA_DATA(tb[IFLA_ADDRESS]);

		for (size_t i = 0; i < attr_len(tb[IFLA_ADDRESS]); i++)
			snprintf(nif->mac + (i ? 3 * i - 1 : 0), 4, "%s%02x", i ? ":" : "", mac[i]);
	}
	if (tb[IFLA_LINKINFO] &&
	    parse_attrs(RTA_DATA(tb[IFLA_LINKINFO]), attr_len(tb[IFLA_LINKINFO]), info,
			ELEMENTSOF(info)) == 0)
		attr_string(info[IFLA_INFO_KIND], nif->kind, sizeof(nif->kind));
	return 0;
}

static int parse_addr(struct nsd_netinfo *ni, const char *data, size_t len)
{
	const struct rtattr *tb[IFA_MAX + 1];
	struct ifaddrmsg ifa;
	struct nsd_netaddr a;

	if (len < NLMSG_ALIGN(sizeof(ifa)))
		return -EBADMSG;
	memcpy(&ifa, data, sizeof(ifa));
	if (parse_attrs(data + NLMSG_ALIGN(sizeof(ifa)), len - NLMSG_ALIGN(sizeof(ifa)), tb,
			ELEMENTSOF(tb)) < 0)
		return -EBADMSG;
	a = (struct nsd_netaddr){.ni = ni, .ifindex = (int)ifa.ifa_index, .family = ifa.ifa_family,
				 .prefixlen = ifa.ifa_prefixlen};
	/* IFA_ADDRESS is the peer's on a point-to-point IPv4 link; IFA_LOCAL ours. */
	if (!attr_address(tb[IFA_LOCAL], a.family, a.address, sizeof(a.address)) &&
	    !attr_address(tb[IFA_ADDRESS], a.family, a.address, sizeof(a.address)))
		return 0;
	if (!grow(&ni->addrs, &ni->naddrs, &ni->addrs_alloc, sizeof(a)))
		return -ENOMEM;
	ni->addrs[ni->naddrs - 1] = a;
	return 0;
}

/* Routes of the main table that carry traffic, as "ip route" shows them. */
static int parse_route(struct nsd_netinfo *ni, const char *data, size_t len)
{
	const struct rtattr *tb[RTA_MAX + 1];
	struct rtmsg rtm;
	struct nsd_netroute rt;
	uint32_t table, oif;
	char dst[INET6_ADDRSTRLEN];

	if (len < NLMSG_ALIGN(sizeof(rtm)))
		return -EBADMSG;
	memcpy(&rtm, data, sizeof(rtm));
	if (parse_attrs(data + NLMSG_ALIGN(sizeof(rtm)), len - NLMSG_ALIGN(sizeof(rtm)), tb,
			ELEMENTSOF(tb)) < 0)
		return -EBADMSG;
	if (!attr_u32(tb[RTA_TABLE], &table))
		table = rtm.rtm_table;
	if (table != RT_TABLE_MAIN || rtm.rtm_type != RTN_UNICAST ||
	    (rtm.rtm_family != AF_INET && rtm.rtm_family != AF_INET6))
		return 0;
	rt = (struct nsd_netroute){.ni = ni, .family = rtm.rtm_family};
	if (rtm.rtm_dst_len == 0)
		strcpy(rt.destination, "default");
	else if (attr_address(tb[RTA_DST], rt.family, dst, sizeof(dst)))
		snprintf(rt.destination, sizeof(rt.destination), "%s/%u", dst, rtm.rtm_dst_len);
	else
		return 0;
	attr_address(tb[RTA_GATEWAY], rt.family, rt.gateway, sizeof(rt.gateway));
	if (attr_u32(tb[RTA_OIF], &oif))
		rt.ifindex = (int)oif;
	if (!grow(&ni->routes, &ni->nroutes, &ni->routes_alloc, sizeof(rt)))
		return -ENOMEM;
	ni->routes[ni->nroutes - 1] = rt;
	return 0;
}

/**
 * Adds what the rtnetlink messages in @buf (4-byte aligned) describe to
 * @ni: links, addresses and routes. Returns 1 at the end of a dump
 * (NLMSG_DONE), 0 when more is to come, the -errno of an NLMSG_ERROR,
 * -EBADMSG for a message that overruns the buffer, or -ENOMEM.
 */
int nsd_parse_rtnl(struct nsd_netinfo *ni, const void *buf, size_t len)
{
	for (size_t pos = 0; len - pos >= sizeof(struct nlmsghdr);) {
		const struct nlmsghdr *h = (const void *)((const char *)buf + pos);
		const char *data = (const char *)h + NLMSG_HDRLEN;
		size_t dlen;
		int r = 0;

		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len - pos)
			return -EBADMSG;
		dlen = h->nlmsg_len - NLMSG_HDRLEN;
		switch (h->nlmsg_type) {
		case NLMSG_DONE:
			return 1;
		case NLMSG_ERROR: {
			struct nlmsgerr e;

			if (dlen < sizeof(e))
				return -EBADMSG;
			memcpy(&e, data, sizeof(e));
			return e.error < 0 && e.error > -4096 ? e.error : -EBADMSG;
		}
		case RTM_NEWLINK:
			r = parse_link(ni, data, dlen);
			break;
		case RTM_NEWADDR:
			r = parse_addr(ni, data, dlen);
			break;
		case RTM_NEWROUTE:
			r = parse_route(ni, data, dlen);
			break;
		}
		if (r < 0)
			return r;
		pos += NLMSG_ALIGN(h->nlmsg_len);
		if (pos > len)
			break;
	}
	return 0;
}

/* Child: joins @nsfd's net namespace, makes a netlink socket there and
 * sends it (or the errno of failing) over @sock. */
static __attribute__((noreturn)) void netlink_child(int nsfd, int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {0};
	int error = 0, fd = -1;
	struct iovec iov = {.iov_base = &error, .iov_len = sizeof(error)};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};

	if (setns(nsfd, CLONE_NEWNET) < 0 ||
	    (fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) < 0)
		error = errno;
	if (fd >= 0) {
		struct cmsghdr *c;

		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(fd));
	}
	_exit(sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? 1 : 0);
}

/* A NETLINK_ROUTE socket of the net namespace @nsfd, or -errno. */
static int netlink_socket_in(int nsfd)
{
	_cleanup_close_ int parent = -EBADF, child = -EBADF;
	char cbuf[CMSG_SPACE(sizeof(int))] = {0};
	int sp[2], error = 0, fd = -EBADF, status;
	struct iovec iov = {.iov_base = &error, .iov_len = sizeof(error)};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *c;
	ssize_t n;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return -errno;
	parent = sp[0];
	child = sp[1];
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		netlink_child(nsfd, child);
	close(TAKE_FD(child));
	do
		n = recvmsg(parent, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		error = errno;
	else if (n != sizeof(error))
		error = EPROTO;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	c = CMSG_FIRSTHDR(&msg);
	if (n > 0 && c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	if (error) {
		closep(&fd);
		return -error;
	}
	return fd >= 0 ? fd : -EPROTO;
}

/* True when @nsfd is the caller's own net namespace, where no child needs
 * to join it: setns() wants CAP_SYS_ADMIN even for one's own namespace. */
static bool is_own_netns(int nsfd)
{
	struct stat ns, own;

	return fstat(nsfd, &ns) == 0 && stat("/proc/self/ns/net", &own) == 0 &&
	       ns.st_ino == own.st_ino && ns.st_dev == own.st_dev;
}

#define RECV_SIZE 65536

/* Receives the replies of a dump into @ni. */
static int receive_dump(struct nsd_netinfo *ni, int fd, void *buf)
{
	size_t total = 0;

	for (;;) {
		ssize_t n = recv(fd, buf, RECV_SIZE, 0);
		int r;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (n == 0)
			return -EPROTO;
		total += (size_t)n;
		if (total > DUMP_MAX)
			return -EFBIG;
		r = nsd_parse_rtnl(ni, buf, (size_t)n);
		if (r != 0)
			return r < 0 ? r : 0;
	}
}

/* Dumps @type (RTM_GETLINK, _GETADDR, _GETROUTE) of every family into @ni. */
static int dump(struct nsd_netinfo *ni, int fd, uint16_t type, uint32_t seq)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg m; /* the largest of the three requests' headers; all zero */
	} req = {
		.h = {.nlmsg_len = sizeof(req), .nlmsg_type = type,
		      .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = seq},
	};
	void *buf;
	int r;

	if (send(fd, &req, sizeof(req), 0) < 0)
		return -errno;
	/* Freed by hand: cppcheck misses the cleanup attribute on these paths. */
	buf = malloc(RECV_SIZE);
	if (!buf)
		return -ENOMEM;
	r = receive_dump(ni, fd, buf);
	free(buf);
	return r;
}

/**
 * nsd_netinfo_read_interfaces:
 * @ni: net namespace description
 * @t: resolved target: its net namespace is read
 *
 * Reads the interfaces, their addresses and the routes of the main table
 * with rtnetlink, from a socket that a short-lived child made inside the
 * target's net namespace (see the top of lib/net.c). Needs the privilege to
 * join it (CAP_SYS_ADMIN over it), unless it is the caller's own.
 *
 * Returns: 0, or -errno (of joining: -EPERM; of the dump: -ETIMEDOUT).
 */
NSD_EXPORT int nsd_netinfo_read_interfaces(struct nsd_netinfo *ni, const struct nsd_target *t)
{
	static const uint16_t types[] = {RTM_GETLINK, RTM_GETADDR, RTM_GETROUTE};
	_cleanup_close_ int nsfd = nsd_target_open_ns(t, NSD_NS_NET), fd = -EBADF;
	struct timeval tv = {.tv_sec = 5};

	if (nsfd < 0)
		return nsfd;
	if (is_own_netns(nsfd)) {
		fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
		if (fd < 0)
			return -errno;
	} else {
		fd = netlink_socket_in(nsfd);
		if (fd < 0)
			return fd;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	for (size_t i = 0; i < ELEMENTSOF(types); i++) {
		int r = dump(ni, fd, types[i], (uint32_t)i + 1);

		if (r < 0)
			return r;
	}
	return 0;
}

static void format_inet(const unsigned char *addr, uint16_t port, int family, char *buf,
			size_t size)
{
	char text[INET6_ADDRSTRLEN];

	inet_ntop(family, addr, text, sizeof(text));
	snprintf(buf, size, family == AF_INET6 ? "[%s]:%u" : "%s:%u", text, port);
}

static bool is_zero(const unsigned char *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i])
			return false;
	return true;
}

static int add_socket(const struct nsd_sock_entry *e, void *userdata)
{
	struct nsd_netinfo *ni = userdata;
	struct nsd_socket *s = grow(&ni->socks, &ni->nsocks, &ni->socks_alloc, sizeof(*s));
	bool v6 = e->file == NSD_NETFILE_TCP6 || e->file == NSD_NETFILE_UDP6;

	if (!s)
		return -ENOMEM;
	*s = (struct nsd_socket){.file = e->file, .state = e->state, .type = e->type,
				 .listening = e->listening, .inode = e->inode};
	if (e->file == NSD_NETFILE_UNIX) {
		for (size_t i = 0; e->path[i]; i++)
			s->local[i] = (char)((unsigned char)e->path[i] < ' ' ? '?' : e->path[i]);
		return 0;
	}
	format_inet(e->local, e->local_port, v6 ? AF_INET6 : AF_INET, s->local, sizeof(s->local));
	if (e->remote_port || !is_zero(e->remote, v6 ? 16 : 4))
		format_inet(e->remote, e->remote_port, v6 ? AF_INET6 : AF_INET, s->remote,
			    sizeof(s->remote));
	return 0;
}

/* The socket inode of an fd link "socket:[12345]", or 0. */
static uint64_t socket_inode(const char *link, size_t len)
{
	uint64_t v = 0;

	if (len < 10 || memcmp(link, "socket:[", 8) != 0 || link[len - 1] != ']')
		return 0;
	for (size_t i = 8; i < len - 1; i++) {
		if (link[i] < '0' || link[i] > '9' || v > UINT64_MAX / 10 - 9)
			return 0;
		v = v * 10 + (uint64_t)(link[i] - '0');
	}
	return v;
}

/* Makes @p the holder of the sockets among its fds, where it has the
 * lowest PID of their holders. Its fds are read, then it must still be
 * the process the walk saw. */
static int claim_sockets(struct nsd_hash *by_inode, struct nsd_proc *p, struct nsd_socket ***found,
			 size_t *alloc)
{
	_cleanup_close_ int pdir = nsd_proc_open_dir(p);
	size_t n = 0;
	struct dirent *de;
	DIR *d;
	int fd;

	if (pdir < 0)
		return 0;
	fd = openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d))) {
		char link[64];
		ssize_t len = readlinkat(dirfd(d), de->d_name, link, sizeof(link));
		struct nsd_socket *s;

		if (len <= 0 || (size_t)len >= sizeof(link))
			continue;
		s = nsd_hash_get(by_inode, socket_inode(link, (size_t)len));
		if (!s)
			continue;
		if (n == *alloc) {
			struct nsd_socket **a = reallocarray(*found, *alloc ? *alloc * 2 : 64,
							     sizeof(**found));

			if (!a) {
				closedir(d);
				return -ENOMEM;
			}
			*found = a;
			*alloc = *alloc ? *alloc * 2 : 64;
		}
		(*found)[n++] = s;
	}
	closedir(d);
	if (!nsd_proc_is_same(p, pdir))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(*found)[i]->proc || (*found)[i]->proc->pid > p->pid)
			(*found)[i]->proc = p;
	return 0;
}

/* Finds the holders of the sockets among the processes of @netns (only
 * @proc when its net namespace is not known): one pass over their fds. */
static int find_holders(struct nsd_netinfo *ni, struct nsd_proc *proc)
{
	struct nsd_graph *g = proc->graph;
	struct nsd_ns *netns = proc->ns[NSD_NS_NET];
	struct nsd_hash by_inode = {0};
	struct nsd_socket **found = NULL;
	size_t alloc = 0;
	int r = 0;

	for (size_t i = 0; r == 0 && i < ni->nsocks; i++)
		if (ni->socks[i].inode && !nsd_hash_get(&by_inode, ni->socks[i].inode))
			r = nsd_hash_put(&by_inode, ni->socks[i].inode, &ni->socks[i]);
	if (r == 0 && !netns)
		r = claim_sockets(&by_inode, proc, &found, &alloc);
	for (size_t i = 0; r == 0 && netns && i < g->nprocs; i++)
		if (g->procs[i]->ns[NSD_NS_NET] == netns)
			r = claim_sockets(&by_inode, g->procs[i], &found, &alloc);
	free(found);
	nsd_hash_done(&by_inode);
	return r;
}

/**
 * nsd_netinfo_read_sockets:
 * @ni: net namespace description
 * @proc: a process in the net namespace to read
 *
 * Reads the TCP, UDP (IPv4 and IPv6) and unix sockets of the net namespace
 * of @proc from its net/ files in the graph's procfs, and finds the process
 * that holds each: of the processes in that net namespace, the one with the
 * lowest PID that has it among its fds. Linear in sockets and fds.
 *
 * Returns: 0, or -errno of reading (-ESRCH when @proc exited).
 */
NSD_EXPORT int nsd_netinfo_read_sockets(struct nsd_netinfo *ni, struct nsd_proc *proc)
{
	static const char *const files[NSD_NETFILE_COUNT] = {
		[NSD_NETFILE_TCP] = "net/tcp",   [NSD_NETFILE_TCP6] = "net/tcp6",
		[NSD_NETFILE_UDP] = "net/udp",   [NSD_NETFILE_UDP6] = "net/udp6",
		[NSD_NETFILE_UNIX] = "net/unix",
	};
	_cleanup_close_ int dirfd = nsd_proc_open_dir(proc);

	if (dirfd < 0)
		return dirfd;
	for (int f = 0; f < NSD_NETFILE_COUNT; f++) {
		_cleanup_free_ char *buf = NULL;
		size_t len;
		int r = nsd_read_alloc_at(dirfd, files[f], NETFILE_MAX, &buf, &len);

		/* A kernel without IPv6 has no tcp6 and udp6. */
		if (r == -ENOENT)
			continue;
		if (r < 0)
			return r;
		if (r > 0)
			return -EFBIG;
		r = nsd_parse_net_sockets(buf, len, f, add_socket, ni);
		if (r < 0)
			return r;
	}
	if (!nsd_proc_is_same(proc, dirfd))
		return -ESRCH;
	return find_holders(ni, proc);
}

/* Walks the array @a of @n elements of @size. */
static int next_item(struct nsd_iter *itr, void *a, size_t n, size_t size, void **ret)
{
	nsd_iter_start(itr, a);
	if (itr->idx >= n)
		return 1;
	*ret = (char *)a + itr->idx++ * size;
	return 0;
}

/**
 * nsd_netinfo_next_interface:
 * @ni: net namespace description
 * @itr: iterator
 * @nif: returns the interface
 *
 * Returns: 0, or 1 at the end; in the kernel's order (by index).
 */
NSD_EXPORT int nsd_netinfo_next_interface(struct nsd_netinfo *ni, struct nsd_iter *itr,
					  struct nsd_netif **nif)
{
	return next_item(itr, ni->ifs, ni->nifs, sizeof(*ni->ifs), (void **)nif);
}

/**
 * nsd_netinfo_next_address:
 * @ni: net namespace description
 * @itr: iterator
 * @addr: returns the address
 *
 * Returns: 0, or 1 at the end.
 */
NSD_EXPORT int nsd_netinfo_next_address(struct nsd_netinfo *ni, struct nsd_iter *itr,
					struct nsd_netaddr **addr)
{
	return next_item(itr, ni->addrs, ni->naddrs, sizeof(*ni->addrs), (void **)addr);
}

/**
 * nsd_netinfo_next_route:
 * @ni: net namespace description
 * @itr: iterator
 * @route: returns the route: one of the main table that carries traffic
 *         (unicast), as "ip route" and "ip -6 route" show them
 *
 * Returns: 0, or 1 at the end.
 */
NSD_EXPORT int nsd_netinfo_next_route(struct nsd_netinfo *ni, struct nsd_iter *itr,
				      struct nsd_netroute **route)
{
	return next_item(itr, ni->routes, ni->nroutes, sizeof(*ni->routes), (void **)route);
}

/**
 * nsd_netinfo_next_socket:
 * @ni: net namespace description
 * @itr: iterator
 * @sock: returns the socket
 *
 * Returns: 0, or 1 at the end; TCP, TCP6, UDP, UDP6, then unix sockets.
 */
NSD_EXPORT int nsd_netinfo_next_socket(struct nsd_netinfo *ni, struct nsd_iter *itr,
				       struct nsd_socket **sock)
{
	return next_item(itr, ni->socks, ni->nsocks, sizeof(*ni->socks), (void **)sock);
}

/* The name of interface @index, or NULL. Linear: a namespace has a handful. */
static const char *ifname(const struct nsd_netinfo *ni, int index)
{
	for (size_t i = 0; i < ni->nifs; i++)
		if (ni->ifs[i].index == index)
			return ni->ifs[i].name;
	return NULL;
}

/**
 * nsd_netif_get_index:
 * @nif: interface
 *
 * Returns: its index.
 */
NSD_EXPORT int nsd_netif_get_index(const struct nsd_netif *nif)
{
	return nif->index;
}

/**
 * nsd_netif_get_name:
 * @nif: interface
 *
 * Returns: its name, control characters shown as '?'.
 */
NSD_EXPORT const char *nsd_netif_get_name(const struct nsd_netif *nif)
{
	return nif->name;
}

/**
 * nsd_netif_is_up:
 * @nif: interface
 *
 * Returns: true when it is administratively up (IFF_UP).
 */
NSD_EXPORT bool nsd_netif_is_up(const struct nsd_netif *nif)
{
	return nif->flags & IFF_UP;
}

/**
 * nsd_netif_get_mtu:
 * @nif: interface
 *
 * Returns: its MTU, 0 when the kernel did not say.
 */
NSD_EXPORT unsigned nsd_netif_get_mtu(const struct nsd_netif *nif)
{
	return nif->mtu;
}

/**
 * nsd_netif_get_mac:
 * @nif: interface
 *
 * Returns: its link-layer address ("02:42:0a:00:00:02"), or NULL.
 */
NSD_EXPORT const char *nsd_netif_get_mac(const struct nsd_netif *nif)
{
	return nif->mac[0] ? nif->mac : NULL;
}

/**
 * nsd_netif_get_kind:
 * @nif: interface
 *
 * Returns: the kind of a virtual interface ("veth", "bridge", "macvlan"),
 * or NULL for a physical or loopback one.
 */
NSD_EXPORT const char *nsd_netif_get_kind(const struct nsd_netif *nif)
{
	return nif->kind[0] ? nif->kind : NULL;
}

/**
 * nsd_netaddr_get_interface:
 * @addr: address
 *
 * Returns: the name of its interface, or NULL when it is not known.
 */
NSD_EXPORT const char *nsd_netaddr_get_interface(const struct nsd_netaddr *addr)
{
	return ifname(addr->ni, addr->ifindex);
}

/**
 * nsd_netaddr_get_family:
 * @addr: address
 *
 * Returns: AF_INET or AF_INET6.
 */
NSD_EXPORT int nsd_netaddr_get_family(const struct nsd_netaddr *addr)
{
	return addr->family;
}

/**
 * nsd_netaddr_get_address:
 * @addr: address
 *
 * Returns: the address as text, without the prefix length.
 */
NSD_EXPORT const char *nsd_netaddr_get_address(const struct nsd_netaddr *addr)
{
	return addr->address;
}

/**
 * nsd_netaddr_get_prefixlen:
 * @addr: address
 *
 * Returns: its prefix length.
 */
NSD_EXPORT unsigned nsd_netaddr_get_prefixlen(const struct nsd_netaddr *addr)
{
	return addr->prefixlen;
}

/**
 * nsd_netroute_get_family:
 * @route: route
 *
 * Returns: AF_INET or AF_INET6.
 */
NSD_EXPORT int nsd_netroute_get_family(const struct nsd_netroute *route)
{
	return route->family;
}

/**
 * nsd_netroute_get_destination:
 * @route: route
 *
 * Returns: "default", or the destination network as "ADDRESS/PREFIXLEN".
 */
NSD_EXPORT const char *nsd_netroute_get_destination(const struct nsd_netroute *route)
{
	return route->destination;
}

/**
 * nsd_netroute_get_gateway:
 * @route: route
 *
 * Returns: its gateway, or NULL for a directly connected network.
 */
NSD_EXPORT const char *nsd_netroute_get_gateway(const struct nsd_netroute *route)
{
	return route->gateway[0] ? route->gateway : NULL;
}

/**
 * nsd_netroute_get_interface:
 * @route: route
 *
 * Returns: the name of its output interface, or NULL.
 */
NSD_EXPORT const char *nsd_netroute_get_interface(const struct nsd_netroute *route)
{
	return route->ifindex ? ifname(route->ni, route->ifindex) : NULL;
}

/**
 * nsd_socket_get_protocol:
 * @sock: socket
 *
 * Returns: "tcp", "tcp6", "udp", "udp6" or "unix": the net/ file it is in.
 */
NSD_EXPORT const char *nsd_socket_get_protocol(const struct nsd_socket *sock)
{
	static const char *const names[NSD_NETFILE_COUNT] = {"tcp", "tcp6", "udp", "udp6", "unix"};

	return names[sock->file];
}

/**
 * nsd_socket_get_state:
 * @sock: socket
 *
 * Returns: its state as ss(8) names it: "LISTEN", "ESTAB", "UNCONN",
 * "TIME-WAIT", "SYN-SENT"...
 */
NSD_EXPORT const char *nsd_socket_get_state(const struct nsd_socket *sock)
{
	static const char *const tcp[] = {
		[TCP_ESTABLISHED] = "ESTAB",    [TCP_SYN_SENT] = "SYN-SENT",
		[TCP_SYN_RECV] = "SYN-RECV",    [TCP_FIN_WAIT1] = "FIN-WAIT-1",
		[TCP_FIN_WAIT2] = "FIN-WAIT-2", [TCP_TIME_WAIT] = "TIME-WAIT",
		[TCP_CLOSE] = "UNCONN",         [TCP_CLOSE_WAIT] = "CLOSE-WAIT",
		[TCP_LAST_ACK] = "LAST-ACK",    [TCP_LISTEN] = "LISTEN",
		[TCP_CLOSING] = "CLOSING",      [12] = "NEW-SYN-RECV",
	};
	/* socket_state of unix sockets: SS_UNCONNECTED 1 ... SS_DISCONNECTING 4 */
	static const char *const unix_states[] = {"UNKNOWN", "UNCONN", "SYN-SENT", "ESTAB",
						  "CLOSING"};

	if (sock->listening && sock->type == SOCK_STREAM)
		return "LISTEN";
	if (sock->file == NSD_NETFILE_UNIX)
		return sock->state < ELEMENTSOF(unix_states) ? unix_states[sock->state] : "UNKNOWN";
	return sock->state < ELEMENTSOF(tcp) && tcp[sock->state] ? tcp[sock->state] : "UNKNOWN";
}

/**
 * nsd_socket_is_listening:
 * @sock: socket
 *
 * Returns: true for a socket that waits for others: a listening TCP or unix
 * socket, or a UDP socket without a peer.
 */
NSD_EXPORT bool nsd_socket_is_listening(const struct nsd_socket *sock)
{
	return sock->listening;
}

/**
 * nsd_socket_get_local:
 * @sock: socket
 *
 * Returns: its local address: "127.0.0.1:8080", "[::]:22", a unix socket's
 * path ("@name" when abstract, control characters as '?'); NULL for an
 * unnamed unix socket.
 */
NSD_EXPORT const char *nsd_socket_get_local(const struct nsd_socket *sock)
{
	return sock->local[0] ? sock->local : NULL;
}

/**
 * nsd_socket_get_remote:
 * @sock: socket
 *
 * Returns: its peer's address, or NULL for none (and for unix sockets).
 */
NSD_EXPORT const char *nsd_socket_get_remote(const struct nsd_socket *sock)
{
	return sock->remote[0] ? sock->remote : NULL;
}

/**
 * nsd_socket_get_inode:
 * @sock: socket
 *
 * Returns: its inode number, as "socket:[INODE]" fd links name it.
 */
NSD_EXPORT uint64_t nsd_socket_get_inode(const struct nsd_socket *sock)
{
	return sock->inode;
}

/**
 * nsd_socket_get_proc:
 * @sock: socket
 *
 * Returns: the process of the net namespace with the lowest PID that holds
 * it in an fd, or NULL (held by no process of it: by the kernel, by a
 * process elsewhere, or by one whose fds could not be read).
 */
NSD_EXPORT struct nsd_proc *nsd_socket_get_proc(const struct nsd_socket *sock)
{
	return sock->proc;
}
