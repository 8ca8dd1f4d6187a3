/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>

#include "nsdebug-private.h"

/**
 * nsd_iter_new:
 *
 * Returns: a new iterator for any nsd_*_next_*() function, free with
 * nsd_iter_free(); NULL with errno set on failure.
 */
NSD_EXPORT struct nsd_iter *nsd_iter_new(void)
{
	return calloc(1, sizeof(struct nsd_iter));
}

/**
 * nsd_iter_free:
 * @itr: iterator or NULL
 */
NSD_EXPORT void nsd_iter_free(struct nsd_iter *itr)
{
	free(itr);
}

/**
 * nsd_iter_reset:
 * @itr: iterator
 *
 * Makes the next call of a nsd_*_next_*() function start from the beginning.
 */
NSD_EXPORT void nsd_iter_reset(struct nsd_iter *itr)
{
	*itr = (struct nsd_iter){0};
}

bool nsd_iter_start(struct nsd_iter *itr, const void *owner)
{
	if (itr->owner == owner)
		return false;
	*itr = (struct nsd_iter){.owner = owner};
	return true;
}
