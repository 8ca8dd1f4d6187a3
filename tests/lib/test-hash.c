/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "nsdebug-private.h"
#include "test.h"

static void test_empty(void)
{
	struct nsd_hash h = {0};

	ASSERT(nsd_hash_get(&h, 1) == NULL);
	ASSERT_EQ(nsd_hash_put(&h, 1, NULL), -EINVAL);
	nsd_hash_done(&h);
}

static void test_put_get_replace(void)
{
	struct nsd_hash h = {0};
	int a, b;

	ASSERT_EQ(nsd_hash_put(&h, 0, &a), 0);
	ASSERT_EQ(nsd_hash_put(&h, 4026531840ULL, &b), 0);
	ASSERT(nsd_hash_get(&h, 0) == &a);
	ASSERT(nsd_hash_get(&h, 4026531840ULL) == &b);
	ASSERT(nsd_hash_get(&h, 4026531841ULL) == NULL);
	ASSERT_EQ(nsd_hash_put(&h, 0, &b), 0);
	ASSERT(nsd_hash_get(&h, 0) == &b);
	ASSERT_EQ(h.count, 2);
	nsd_hash_done(&h);
	ASSERT_EQ(h.size, 0);
}

/* Growth keeps every key; dense runs (PIDs) and wide keys (inodes) both spread. */
static void test_many(void)
{
	static char vals[100000];
	struct nsd_hash h = {0};

	for (uint64_t i = 0; i < 100000; i++) {
		ASSERT_EQ(nsd_hash_put(&h, i + 1, &vals[i]), 0);
		ASSERT_EQ(nsd_hash_put(&h, (i + 1) << 32, &vals[i]), 0);
	}
	ASSERT_EQ(h.count, 200000);
	ASSERT(h.count * 10 <= h.size * 7);
	for (uint64_t i = 0; i < 100000; i++) {
		ASSERT(nsd_hash_get(&h, i + 1) == &vals[i]);
		ASSERT(nsd_hash_get(&h, (i + 1) << 32) == &vals[i]);
	}
	ASSERT(nsd_hash_get(&h, 100001) == NULL);
	nsd_hash_done(&h);
}

int main(void)
{
	test_empty();
	test_put_get_replace();
	test_many();
	return 0;
}
