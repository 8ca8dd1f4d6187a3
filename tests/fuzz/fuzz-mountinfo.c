/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A mount namespace's mountinfo: a container's owner controls its mount
 * points and sources. Parsed, indexed, paired with itself as a host table
 * (host paths, exposure) and compared with itself, as nsdebug mounts does.
 */
#include "nsdebug-private.h"
#include "fuzz.h"

DEFINE_CLEANUP_FUNC(struct nsd_mounts, nsd_mounts_unref)
DEFINE_CLEANUP_FUNC(struct nsd_iter, nsd_iter_free)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *m = nsd_mounts_new();
	_cleanup_(nsd_mounts_unrefp) struct nsd_mounts *host = nsd_mounts_new();
	_cleanup_(nsd_iter_freep) struct nsd_iter *itr = nsd_iter_new();
	_cleanup_free_ struct nsd_mount **queue = NULL;
	struct nsd_mount *mnt;
	size_t n = 0, head = 0;

	if (!m || !host || !itr)
		abort();
	if (nsd_mounts_parse(m, (const char *)data, size) < 0)
		return 0;
	if (nsd_mounts_parse(host, (const char *)data, size) < 0)
		abort(); /* the same input parsed once must parse twice */
	(void)nsd_mounts_resolve_host(m, host);
	(void)nsd_mounts_compare(m, host);
	while (nsd_mounts_next_mount(m, itr, &mnt) == 0) {
		(void)nsd_mount_get_host_path(mnt);
		(void)nsd_mount_get_exposure(mnt);
	}

	/* Every mount is reached from the roots, each once, whatever the file
	 * says: parent loops are cut and missing parents make roots. */
	queue = calloc(nsd_mounts_get_nmounts(m) + 1, sizeof(*queue));
	if (!queue)
		abort();
	nsd_iter_reset(itr);
	while (nsd_mounts_next_root(m, itr, &mnt) == 0 && n <= nsd_mounts_get_nmounts(m))
		queue[n++] = mnt;
	for (; head < n; head++) {
		nsd_iter_reset(itr);
		while (nsd_mount_next_child(queue[head], itr, &mnt) == 0) {
			if (n == nsd_mounts_get_nmounts(m))
				abort(); /* reached more often than there are mounts */
			queue[n++] = mnt;
		}
	}
	if (n != nsd_mounts_get_nmounts(m))
		abort();
	return 0;
}
