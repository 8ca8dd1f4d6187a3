/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rtnetlink messages into a netinfo: links, addresses, routes; and hostile ones. */
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nsdebug-private.h"
#include "test.h"

DEFINE_CLEANUP_FUNC(struct nsd_netinfo, nsd_netinfo_unref)
DEFINE_CLEANUP_FUNC(struct nsd_iter, nsd_iter_free)
DEFINE_CLEANUP_FUNC(struct nsd_target, nsd_target_unref)

/* A buffer of messages being built, 4-byte aligned. */
struct msgs {
	uint32_t words[1024];
	size_t len;
	struct nlmsghdr *cur;
};

static void *put(struct msgs *m, const void *data, size_t len)
{
	char *p = (char *)m->words + m->len;

	ASSERT(m->len + NLMSG_ALIGN(len) <= sizeof(m->words));
	memset(p, 0, NLMSG_ALIGN(len));
	if (data)
		memcpy(p, data, len);
	m->len += NLMSG_ALIGN(len);
	if (m->cur)
		m->cur->nlmsg_len = (uint32_t)((char *)m->words + m->len - (char *)m->cur);
	return p;
}

static void begin(struct msgs *m, uint16_t type, const void *hdr, size_t len)
{
	struct nlmsghdr h = {.nlmsg_type = type};

	m->cur = NULL;
	m->cur = put(m, &h, NLMSG_HDRLEN);
	m->cur->nlmsg_len = NLMSG_HDRLEN;
	put(m, hdr, len);
}

static void attr(struct msgs *m, uint16_t type, const void *data, size_t len)
{
	struct rtattr a = {.rta_len = (unsigned short)RTA_LENGTH(len), .rta_type = type};
	char *p = put(m, &a, sizeof(a));

	put(m, data, len);
	/* put() aligned the header only: the attribute's length is exact */
	((struct rtattr *)p)->rta_len = (unsigned short)RTA_LENGTH(len);
}

static void test_parse(void)
{
	_cleanup_(nsd_netinfo_unrefp) struct nsd_netinfo *ni = nsd_netinfo_new();
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	struct ifinfomsg ifi = {.ifi_index = 2, .ifi_flags = IFF_UP};
	struct ifaddrmsg ifa = {.ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = 2};
	struct rtmsg def = {.rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN, .rtm_type = RTN_UNICAST};
	struct rtmsg local = {.rtm_family = AF_INET, .rtm_table = RT_TABLE_LOCAL, .rtm_type = RTN_LOCAL};
	const unsigned char mac[6] = {2, 0x42, 10, 0, 0, 2}, addr[4] = {10, 0, 0, 2},
			    gw[4] = {10, 0, 0, 1};
	uint32_t mtu = 1500, oif = 2;
	struct msgs m = {0};
	struct nsd_netif *nif;
	struct nsd_netaddr *a;
	struct nsd_netroute *rt;
	struct nlmsghdr done = {.nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_DONE};

	ASSERT(ni && itr);
	begin(&m, RTM_NEWLINK, &ifi, sizeof(ifi));
	attr(&m, IFLA_IFNAME, "eth0\033", 6);
	attr(&m, IFLA_MTU, &mtu, sizeof(mtu));
	attr(&m, IFLA_ADDRESS, mac, sizeof(mac));
	begin(&m, RTM_NEWADDR, &ifa, sizeof(ifa));
	attr(&m, IFA_LOCAL, addr, sizeof(addr));
	begin(&m, RTM_NEWROUTE, &def, sizeof(def));
	attr(&m, RTA_GATEWAY, gw, sizeof(gw));
	attr(&m, RTA_OIF, &oif, sizeof(oif));
	/* the local table is not what "ip route" shows */
	begin(&m, RTM_NEWROUTE, &local, sizeof(local));
	attr(&m, RTA_DST, addr, sizeof(addr));
	ASSERT_EQ(nsd_parse_rtnl(ni, m.words, m.len), 0);
	m.cur = NULL;
	put(&m, &done, sizeof(done));
	ASSERT_EQ(nsd_parse_rtnl(ni, (char *)m.words + m.len - NLMSG_HDRLEN, NLMSG_HDRLEN), 1);

	ASSERT_EQ(nsd_netinfo_next_interface(ni, itr, &nif), 0);
	ASSERT_STREQ(nsd_netif_get_name(nif), "eth0?");
	ASSERT_EQ(nsd_netif_get_index(nif), 2);
	ASSERT(nsd_netif_is_up(nif));
	ASSERT_EQ(nsd_netif_get_mtu(nif), 1500);
	ASSERT_STREQ(nsd_netif_get_mac(nif), "02:42:0a:00:00:02");
	ASSERT(!nsd_netif_get_kind(nif));
	ASSERT_EQ(nsd_netinfo_next_interface(ni, itr, &nif), 1);

	ASSERT_EQ(nsd_netinfo_next_address(ni, itr, &a), 0);
	ASSERT_STREQ(nsd_netaddr_get_address(a), "10.0.0.2");
	ASSERT_EQ(nsd_netaddr_get_prefixlen(a), 24);
	ASSERT_STREQ(nsd_netaddr_get_interface(a), "eth0?");
	ASSERT_EQ(nsd_netinfo_next_address(ni, itr, &a), 1);

	ASSERT_EQ(nsd_netinfo_next_route(ni, itr, &rt), 0);
	ASSERT_STREQ(nsd_netroute_get_destination(rt), "default");
	ASSERT_STREQ(nsd_netroute_get_gateway(rt), "10.0.0.1");
	ASSERT_STREQ(nsd_netroute_get_interface(rt), "eth0?");
	ASSERT_EQ(nsd_netinfo_next_route(ni, itr, &rt), 1);
}

static void test_parse_bad(void)
{
	_cleanup_(nsd_netinfo_unrefp) struct nsd_netinfo *ni = nsd_netinfo_new();
	struct ifinfomsg ifi = {.ifi_index = 1};
	struct msgs m = {0};
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
	} err = {.h = {.nlmsg_len = sizeof(err), .nlmsg_type = NLMSG_ERROR}, .e = {.error = -EPERM}};

	ASSERT(ni);
	/* A message longer than the buffer, an attribute longer than its message. */
	begin(&m, RTM_NEWLINK, &ifi, sizeof(ifi));
	m.cur->nlmsg_len += 4;
	ASSERT_EQ(nsd_parse_rtnl(ni, m.words, m.len), -EBADMSG);
	m.len = 0;
	begin(&m, RTM_NEWLINK, &ifi, sizeof(ifi));
	attr(&m, IFLA_IFNAME, "lo", 3);
	((struct rtattr *)((char *)m.words + NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(ifi))))->rta_len = 200;
	ASSERT_EQ(nsd_parse_rtnl(ni, m.words, m.len), -EBADMSG);
	ASSERT_EQ(nsd_parse_rtnl(ni, &err, sizeof(err)), -EPERM);
	err.e.error = 5;
	ASSERT_EQ(nsd_parse_rtnl(ni, &err, sizeof(err)), -EBADMSG);
	/* Too short for a header: nothing, and more to come. */
	ASSERT_EQ(nsd_parse_rtnl(ni, m.words, 3), 0);
}

/* The interfaces of one's own net namespace, as a user who may not join
 * any (setns() wants CAP_SYS_ADMIN even for one's own): at least lo. */
static int read_own_interfaces(void)
{
	_cleanup_(nsd_netinfo_unrefp) struct nsd_netinfo *ni = nsd_netinfo_new();
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	_cleanup_(nsd_target_unrefp) struct nsd_target *t = NULL;
	struct nsd_netif *nif;
	char pid[16];
	bool lo = false;

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	t = nsd_target_new(pid);
	if (!ni || !itr || !t || nsd_target_resolve(t, NULL) < 0 ||
	    nsd_netinfo_read_interfaces(ni, t) < 0)
		return 1;
	while (nsd_netinfo_next_interface(ni, itr, &nif) == 0)
		lo |= strcmp(nsd_netif_get_name(nif), "lo") == 0;
	return lo ? 0 : 1;
}

static void test_own_netns(void)
{
	int status;
	pid_t child;

	if (geteuid() != 0) {
		ASSERT_EQ(read_own_interfaces(), 0);
		return;
	}
	child = fork();
	ASSERT(child >= 0);
	if (child == 0) {
		if (setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
			_exit(2);
		_exit(read_own_interfaces());
	}
	ASSERT(waitpid(child, &status, 0) == child);
	ASSERT(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
}

int main(void)
{
	test_parse();
	test_parse_bad();
	test_own_netns();
	return 0;
}
