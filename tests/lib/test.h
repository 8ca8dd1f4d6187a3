/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The small ASSERT vocabulary of the unit tests. A failed assertion aborts;
 * a test that cannot run here exits EXIT_TEST_SKIP (77), as meson expects. */
#ifndef NSDEBUG_TEST_H
#define NSDEBUG_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_TEST_SKIP 77

#define ASSERT(expr)                                                                               \
	do {                                                                                       \
		if (!(expr)) {                                                                     \
			fprintf(stderr, "%s:%d: %s: assertion failed: %s\n", __FILE__, __LINE__,   \
				__func__, #expr);                                                  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define ASSERT_EQ(a, b)                                                                            \
	do {                                                                                       \
		long long _a = (long long)(a), _b = (long long)(b);                                \
		if (_a != _b) {                                                                    \
			fprintf(stderr, "%s:%d: %s: %s == %s: %lld != %lld\n", __FILE__, __LINE__, \
				__func__, #a, #b, _a, _b);                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define ASSERT_STREQ(a, b)                                                                         \
	do {                                                                                       \
		const char *_a = (a), *_b = (b);                                                   \
		if (!_a || !_b || strcmp(_a, _b) != 0) {                                           \
			fprintf(stderr, "%s:%d: %s: %s == %s: \"%s\" != \"%s\"\n", __FILE__,       \
				__LINE__, __func__, #a, #b, _a ? _a : "(null)", _b ? _b : "(null)");  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif
