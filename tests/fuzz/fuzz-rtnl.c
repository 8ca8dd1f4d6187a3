/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rtnetlink dumps (links, addresses, routes) as the kernel sends them. */
#include "nsdebug-private.h"
#include "fuzz.h"

DEFINE_CLEANUP_FUNC(struct nsd_netinfo, nsd_netinfo_unref)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_(nsd_netinfo_unrefp) struct nsd_netinfo *ni = nsd_netinfo_new();
	/* recv() fills an aligned buffer; so does malloc(). */
	_cleanup_free_ void *buf = malloc(size ? size : 1);
	struct nsd_iter *itr = nsd_iter_new();
	struct nsd_netroute *rt;
	struct nsd_netaddr *a;

	if (!ni || !buf || !itr) {
		nsd_iter_free(itr);
		return 0;
	}
	memcpy(buf, data, size);
	(void)nsd_parse_rtnl(ni, buf, size);
	while (nsd_netinfo_next_address(ni, itr, &a) == 0)
		(void)nsd_netaddr_get_interface(a);
	while (nsd_netinfo_next_route(ni, itr, &rt) == 0)
		if (strlen(nsd_netroute_get_destination(rt)) == 0)
			abort();
	nsd_iter_free(itr);
	return 0;
}
