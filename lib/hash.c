/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Integer-keyed hash: namespaces by inode, processes by PID. Open addressing
 * with linear probing keeps it to two flat arrays; the table doubles at 70%
 * load so that lookups stay O(1) on average. Nothing is ever removed: a walk
 * only adds.
 */
#include <errno.h>
#include <stdlib.h>

#include "nsdebug-private.h"

static size_t slot_of(uint64_t key, size_t size)
{
	/* Fibonacci hashing: inodes and PIDs are dense runs, multiplying spreads them. */
	return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & (size - 1);
}

static void insert(uint64_t *keys, void **vals, size_t size, uint64_t key, void *val)
{
	size_t i = slot_of(key, size);

	while (vals[i] && keys[i] != key)
		i = (i + 1) & (size - 1);
	keys[i] = key;
	vals[i] = val;
}

static int grow(struct nsd_hash *h)
{
	size_t size = h->size ? h->size * 2 : 64;
	uint64_t *keys = calloc(size, sizeof(*keys));
	void **vals = calloc(size, sizeof(*vals));

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -ENOMEM;
	}
	for (size_t i = 0; i < h->size; i++)
		if (h->vals[i])
			insert(keys, vals, size, h->keys[i], h->vals[i]);
	free(h->keys);
	free(h->vals);
	h->keys = keys;
	h->vals = vals;
	h->size = size;
	return 0;
}

/* Adds or replaces the value of @key. Returns 0 or -ENOMEM. */
int nsd_hash_put(struct nsd_hash *h, uint64_t key, void *val)
{
	if (!val)
		return -EINVAL;
	if ((h->count + 1) * 10 > h->size * 7) {
		int r = grow(h);

		if (r < 0)
			return r;
	}
	if (!nsd_hash_get(h, key))
		h->count++;
	insert(h->keys, h->vals, h->size, key, val);
	return 0;
}

void *nsd_hash_get(const struct nsd_hash *h, uint64_t key)
{
	if (h->size == 0)
		return NULL;
	for (size_t i = slot_of(key, h->size); h->vals[i]; i = (i + 1) & (h->size - 1))
		if (h->keys[i] == key)
			return h->vals[i];
	return NULL;
}

void nsd_hash_done(struct nsd_hash *h)
{
	free(h->keys);
	free(h->vals);
	*h = (struct nsd_hash){0};
}
