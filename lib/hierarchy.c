/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The hierarchy (ioctl_ns(2)) and net namespace ids (rtnetlink), once per
 * namespace, only when the caller asks: each costs an open of the namespace
 * and a few syscalls, about as much as the walk spends on a process. The
 * walk reads the hierarchy of the namespaces it finds in ns/ links through
 * the fd of /proc/PID it holds; the rest is read after it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/nsfs.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "nsdebug-private.h"

/* The inode of the namespace @request (NS_GET_PARENT, NS_GET_USERNS) gives
 * for @fd; 0 when there is none or it is outside the caller's scope (EPERM). */
static ino_t related_inode(int fd, unsigned long request)
{
	_cleanup_close_ int rfd = ioctl(fd, request);
	struct stat st;

	if (rfd < 0 || fstat(rfd, &st) < 0)
		return 0;
	return st.st_ino;
}

void nsd_read_hierarchy(int fd, enum nsd_nstype type, struct nsd_hier *ret)
{
	struct nsd_hier h = {.read = true};

	/* For a user namespace NS_GET_PARENT and NS_GET_USERNS are the same. */
	h.owner_ino = related_inode(fd, NS_GET_USERNS);
	if (type == NSD_NS_USER) {
		h.parent_ino = h.owner_ino;
		h.has_owner_uid = ioctl(fd, NS_GET_OWNER_UID, &h.owner_uid) == 0;
	} else if (type == NSD_NS_PID) {
		h.parent_ino = related_inode(fd, NS_GET_PARENT);
	}
	*ret = h;
}

void nsd_ns_set_hierarchy(struct nsd_ns *ns, const struct nsd_hier *h)
{
	ns->hierarchy_read = true;
	ns->owner_ino = h->owner_ino;
	ns->parent_ino = h->parent_ino;
	ns->has_owner_uid = h->has_owner_uid;
	ns->owner_uid = h->owner_uid;
}

/*
 * The namespace @inode of @type that @request on @ns gives. One the graph
 * does not have was reached only this way: a ghost, opened later through
 * @ns. Returns NULL for none (0), one of another type (a corrupt inode), or
 * on ENOMEM with errno set.
 */
static struct nsd_ns *resolve(struct nsd_graph *g, struct nsd_ns *ns, ino_t inode,
			      enum nsd_nstype type, unsigned long request)
{
	struct nsd_ns *r;

	errno = 0;
	if (!inode)
		return NULL;
	r = nsd_graph_find_ns(g, inode);
	if (r)
		return r->type == type ? r : NULL;
	r = nsd_graph_add_ns(g, type, inode);
	if (!r)
		return NULL;
	if (!nsd_ns_add_holder(r, NSD_HOLDER_GHOST, NULL)) {
		errno = ENOMEM;
		return NULL;
	}
	r->via = ns;
	r->via_request = request;
	return r;
}

int nsd_graph_scan_hierarchy(struct nsd_graph *g)
{
	/* Ghosts are appended as they are found and read in turn, up to the
	 * root: g->nnss grows during the loop. */
	for (size_t i = 0; i < g->nnss; i++) {
		struct nsd_ns *ns = g->nss[i];

		/* Those the walk did not read: held otherwise, and ghosts. */
		if (!ns->hierarchy_read) {
			_cleanup_close_ int fd = nsd_ns_open(ns);
			struct nsd_hier h = {0};

			if (fd >= 0)
				nsd_read_hierarchy(fd, ns->type, &h);
			nsd_ns_set_hierarchy(ns, &h);
		}
		ns->owner = resolve(g, ns, ns->owner_ino, NSD_NS_USER, NS_GET_USERNS);
		if (!ns->owner && errno == ENOMEM)
			return -ENOMEM;
		if (ns->type == NSD_NS_USER)
			ns->parent = ns->owner;
		else if (ns->type == NSD_NS_PID)
			ns->parent = resolve(g, ns, ns->parent_ino, NSD_NS_PID, NS_GET_PARENT);
		if (!ns->parent && errno == ENOMEM)
			return -ENOMEM;
	}
	return 0;
}

/* Asks the caller's net namespace, through @sock, for the id of @nsfd. */
static int query_netnsid(int sock, int nsfd, int *ret)
{
	struct {
		struct nlmsghdr nh;
		struct rtgenmsg g;
		/* cppcheck-suppress unusedStructMember ; the kernel wants the attributes aligned */
		char pad[NLMSG_ALIGN(sizeof(struct rtgenmsg)) - sizeof(struct rtgenmsg)];
		struct rtattr fd_attr;
		__u32 fd;
	} req = {
		.nh.nlmsg_len = sizeof(req),
		.nh.nlmsg_type = RTM_GETNSID,
		.nh.nlmsg_flags = NLM_F_REQUEST,
		.g.rtgen_family = AF_UNSPEC,
		.fd_attr.rta_len = RTA_LENGTH(sizeof(__u32)),
		.fd_attr.rta_type = NETNSA_FD,
		.fd = (__u32)nsfd,
	};
	union {
		struct nlmsghdr nh;
		/* cppcheck-suppress unusedStructMember ; room for the reply to be received into */
		char buf[1024];
	} resp;
	struct rtattr *rta;
	ssize_t n;
	int len;

	if (send(sock, &req, sizeof(req), 0) < 0)
		return -errno;
	do
		n = recv(sock, &resp, sizeof(resp), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (!NLMSG_OK(&resp.nh, (size_t)n))
		return -EBADMSG;
	if (resp.nh.nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(&resp.nh);

		return e->error < 0 ? e->error : -EBADMSG;
	}
	if (resp.nh.nlmsg_type != RTM_NEWNSID)
		return -EBADMSG;
	len = (int)resp.nh.nlmsg_len - (int)NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct rtgenmsg)));
	for (rta = (struct rtattr *)((char *)NLMSG_DATA(&resp.nh) +
				     NLMSG_ALIGN(sizeof(struct rtgenmsg)));
	     RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == NETNSA_NSID && RTA_PAYLOAD(rta) >= sizeof(__s32)) {
			memcpy(ret, RTA_DATA(rta), sizeof(*ret));
			return 0;
		}
	}
	return -EBADMSG;
}

int nsd_graph_scan_netnsids(struct nsd_graph *g)
{
	_cleanup_close_ int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (sock < 0)
		return -errno;
	for (size_t i = 0; i < g->nnss; i++) {
		struct nsd_ns *ns = g->nss[i];
		_cleanup_close_ int fd = -EBADF;

		if (ns->type != NSD_NS_NET)
			continue;
		fd = nsd_ns_open(ns);
		/* NETNSA_NSID_NOT_ASSIGNED is -1, as ns->netnsid keeps it. */
		if (fd >= 0 && query_netnsid(sock, fd, &ns->netnsid) == 0)
			ns->has_netnsid = true;
	}
	return 0;
}
