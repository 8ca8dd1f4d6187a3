/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The handful of cleanup helpers nsdebug uses everywhere (lib/, cmd/, tests/).
 * Kept deliberately small: free, close, TAKE_PTR/TAKE_FD and a way to declare
 * a cleanup function for a library type.
 */
#ifndef NSDEBUG_MACRO_H
#define NSDEBUG_MACRO_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))

static inline void freep(void *p)
{
	free(*(void **)p);
}

/* An empty fd is -EBADF so that it can never be confused with a valid one. */
static inline void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;

		close(*fd);
		errno = saved;
	}
}

#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)

/* Hand ownership over: return the value and leave the variable empty. */
#define TAKE_PTR(p)                                                                                \
	({                                                                                         \
		__typeof__(p) _p = (p);                                                            \
		(p) = NULL;                                                                        \
		_p;                                                                                \
	})
/* A function, not a statement expression: static analysers that do not know
 * the cleanup attribute then see no store that is never read. */
static inline int take_fd(int *fd)
{
	int r = *fd;

	*fd = -EBADF;
	return r;
}
#define TAKE_FD(fd) take_fd(&(fd))

/*
 * DEFINE_CLEANUP_FUNC(struct libmnt_table, mnt_unref_table) defines
 * mnt_unref_tablep() for use as _cleanup_(mnt_unref_tablep).
 */
#define DEFINE_CLEANUP_FUNC(type, func)                                                            \
	static inline void func##p(type **p)                                                       \
	{                                                                                          \
		if (*p)                                                                            \
			func(*p);                                                                  \
	}

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

#endif
