/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Join the namespaces of a pinned process and run a command there
 * (DESIGN.md, "enter and attach semantics" and "Security model").
 *
 * Everything the target could influence is settled before the first
 * setns(): the process is made non-dumpable, the command is opened (on the
 * host, or inside the target's root with RESOLVE_IN_ROOT when the user asked
 * for its filesystem) and later run by fd, and the namespaces are taken from
 * the pidfd, so a PID recycled since the target was named fails to join
 * instead of joining a stranger.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "nsdebug-private.h"

#define ENVIRON_MAX ((size_t)1 << 20)
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct nsd_enter {
	unsigned refcount;
	struct nsd_target *target;
	int pidfd;  /* the target's, or -EBADF: another procfs, a kernel before 5.3 */
	int procfd; /* its /proc/PID, O_PATH; -EBADF for a namespace file */
	unsigned types;
	char **argv;
	char *workdir;
	bool target_env;
	bool fork;
	bool keep_caps;
	bool limit_caps;
	uint64_t caps;      /* with limit_caps: the capabilities the command may keep */
	char **extra_env;   /* NAME=VALUE added to the command's environment */
	enum nsd_enter_stage failed_stage;
	char failed[128]; /* what nsd_enter_run() could not do, for the message */
};

static void free_strv(char **v)
{
	if (v)
		for (char **p = v; *p; p++)
			free(*p);
	free(v);
}

/**
 * nsd_enter_new:
 * @target: a resolved target: a pinned process, or a namespace file (which
 *          offers only its own namespace); a reference is taken
 *
 * Joins nothing by default; nsd_enter_set_namespaces() says which.
 *
 * Returns: a new context, or NULL with errno set (ENOMEM).
 */
NSD_EXPORT struct nsd_enter *nsd_enter_new(struct nsd_target *target)
{
	struct nsd_enter *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->refcount = 1;
	e->target = nsd_target_ref(target);
	e->pidfd = nsd_target_get_pidfd(target);
	e->procfd = nsd_target_get_procfd(target);
	e->fork = true;
	return e;
}

/**
 * nsd_enter_unref:
 * @e: context or NULL
 *
 * Returns: NULL
 */
NSD_EXPORT struct nsd_enter *nsd_enter_unref(struct nsd_enter *e)
{
	if (!e || --e->refcount > 0)
		return NULL;
	nsd_target_unref(e->target);
	free_strv(e->argv);
	free_strv(e->extra_env);
	free(e->workdir);
	free(e);
	return NULL;
}

/**
 * nsd_enter_set_namespaces:
 * @e: context
 * @types: the namespaces to join, a bit (1 << NSD_NS_*) each
 *
 * Types the kernel lacks are skipped, and so is the user namespace when it is
 * the caller's own. Joining the mount namespace means the command comes from
 * the target's filesystem; joining the pid namespace without it gives the
 * command a private mount namespace with a procfs of the target's pid
 * namespace, so that host tools such as ps(1) show the target's processes.
 *
 * Returns: 0, or -EINVAL for an unknown bit.
 */
NSD_EXPORT int nsd_enter_set_namespaces(struct nsd_enter *e, unsigned types)
{
	if (types & ~((1u << NSD_NS_COUNT) - 1))
		return -EINVAL;
	e->types = types;
	return 0;
}

/**
 * nsd_enter_set_command:
 * @e: context
 * @argv: the command and its arguments, NULL-terminated; copied. A name
 *        without '/' is looked up in $PATH (on the host, or in the target's
 *        root with its default PATH when the mount namespace is joined).
 *
 * Returns: 0, -EINVAL for an empty command, or -ENOMEM.
 */
NSD_EXPORT int nsd_enter_set_command(struct nsd_enter *e, char *const argv[])
{
	size_t n = 0;
	char **v;

	while (argv && argv[n])
		n++;
	if (n == 0 || argv[0][0] == '\0')
		return -EINVAL;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		v[i] = strdup(argv[i]);
		if (!v[i]) {
			free_strv(v);
			return -ENOMEM;
		}
	}
	free_strv(e->argv);
	e->argv = v;
	return 0;
}

/**
 * nsd_enter_set_workdir:
 * @e: context
 * @dir: directory to run the command in, after joining (in the target's
 *       filesystem when its mount namespace is joined); NULL keeps the
 *       working directory the kernel leaves
 *
 * Returns: 0 or -ENOMEM.
 */
NSD_EXPORT int nsd_enter_set_workdir(struct nsd_enter *e, const char *dir)
{
	char *d = NULL;

	if (dir && !(d = strdup(dir)))
		return -ENOMEM;
	free(e->workdir);
	e->workdir = d;
	return 0;
}

/**
 * nsd_enter_set_target_env:
 * @e: context
 * @on: run the command with the target's environment instead of the caller's
 */
NSD_EXPORT void nsd_enter_set_target_env(struct nsd_enter *e, bool on)
{
	e->target_env = on;
}

/**
 * nsd_enter_set_fork:
 * @e: context
 * @on: fork before running the command where the kernel requires it (a
 *      joined pid namespace applies to children only); on by default. Off,
 *      the command itself stays in the caller's pid namespace. The time
 *      namespace needs no fork: setns(2) switches the caller's clocks at once.
 */
NSD_EXPORT void nsd_enter_set_fork(struct nsd_enter *e, bool on)
{
	e->fork = on;
}

/**
 * nsd_enter_set_keep_caps:
 * @e: context
 * @on: pass the caller's permitted capabilities to the command as ambient
 *      capabilities, so that they survive execve(2) when the command does
 *      not run as root (e.g. nsdebug given file capabilities)
 */
NSD_EXPORT void nsd_enter_set_keep_caps(struct nsd_enter *e, bool on)
{
	e->keep_caps = on;
}

/**
 * nsd_enter_limit_caps:
 * @e: context
 * @keep: the capabilities the command may have, bit N for capability N
 *
 * Drops every other capability from the command's bounding set, and from
 * its permitted, effective, inheritable and ambient sets, just before it
 * runs: a root command then cannot regain them, not even through a
 * set-user-ID program. Dropping from the bounding set needs CAP_SETPCAP;
 * without it nsd_enter_run() fails with -EPERM. By default the command
 * keeps what the caller has.
 */
NSD_EXPORT void nsd_enter_limit_caps(struct nsd_enter *e, uint64_t keep)
{
	e->limit_caps = true;
	e->caps = keep;
}

/**
 * nsd_enter_set_env:
 * @e: context
 * @name: an environment variable for the command
 * @value: its value; replaces one of the same name, set here before or in
 *   the environment the command would get
 *
 * Returns: 0, -EINVAL for a name with '=' or an empty one, or -ENOMEM.
 */
NSD_EXPORT int nsd_enter_set_env(struct nsd_enter *e, const char *name, const char *value)
{
	size_t n = 0, len = strlen(name);
	char *entry, **v;

	if (!*name || strchr(name, '='))
		return -EINVAL;
	if (asprintf(&entry, "%s=%s", name, value) < 0)
		return -ENOMEM;
	for (; e->extra_env && e->extra_env[n]; n++) {
		if (strncmp(e->extra_env[n], entry, len + 1) == 0) {
			free(e->extra_env[n]);
			e->extra_env[n] = entry;
			return 0;
		}
	}
	v = reallocarray(e->extra_env, n + 2, sizeof(*v));
	if (!v) {
		free(entry);
		return -ENOMEM;
	}
	v[n] = entry;
	v[n + 1] = NULL;
	e->extra_env = v;
	return 0;
}

/**
 * nsd_enter_get_failure:
 * @e: context
 *
 * Returns: after nsd_enter_run() failed, what it could not do, e.g. "join
 * the net namespace" (for "nsdebug: T: cannot join the net namespace: ...");
 * NULL otherwise.
 */
NSD_EXPORT const char *nsd_enter_get_failure(const struct nsd_enter *e)
{
	return e->failed[0] ? e->failed : NULL;
}

/**
 * nsd_enter_get_failed_stage:
 * @e: context
 *
 * Returns: after nsd_enter_run() failed, whether it failed preparing or
 * joining (NSD_ENTER_PREPARE) or finding or executing the command
 * (NSD_ENTER_COMMAND).
 */
NSD_EXPORT enum nsd_enter_stage nsd_enter_get_failed_stage(const struct nsd_enter *e)
{
	return e->failed_stage;
}

/* Records what failed for nsd_enter_get_failure(); returns -|err|. */
__attribute__((format(printf, 4, 5))) static int fail(struct nsd_enter *e,
						       enum nsd_enter_stage stage, int err,
						       const char *fmt, ...)
{
	va_list ap;

	e->failed_stage = stage;
	va_start(ap, fmt);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): clang 14 misses the va_start() */
	vsnprintf(e->failed, sizeof(e->failed), fmt, ap);
	va_end(ap);
	return err < 0 ? err : -err;
}

/* An executable regular file, opened O_PATH: kept to be run by fd. */
static int open_executable(int dirfd, const char *path, unsigned long long resolve)
{
	_cleanup_close_ int fd = -EBADF;
	struct stat st;

	if (resolve)
		fd = nsd_openat2(dirfd, path, O_PATH | O_CLOEXEC, resolve);
	else
		fd = openat(dirfd, path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return fd < -1 ? fd : -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
		return -EACCES;
	return TAKE_FD(fd);
}

/*
 * Finds @cmd as execvp(3) would: a name with '/' as it is, otherwise in each
 * directory of @path. Relative to @dirfd; with @resolve (RESOLVE_IN_ROOT) no
 * path can leave @dirfd, whatever symlinks the target planted. Returns an
 * O_PATH fd; -ENOENT, or -EACCES when only unusable files were found.
 */
static int find_command(int dirfd, const char *cmd, const char *path, unsigned long long resolve)
{
	int r, denied = 0;

	if (strchr(cmd, '/'))
		return open_executable(dirfd, cmd, resolve);
	for (const char *p = path; *p;) {
		size_t len = strcspn(p, ":");
		_cleanup_free_ char *file = NULL;

		if (len > 0 && asprintf(&file, "%.*s/%s", (int)len, p, cmd) < 0)
			return -ENOMEM;
		if (file) {
			r = open_executable(dirfd, file, resolve);
			if (r >= 0)
				return r;
			if (r == -EACCES || r == -EISDIR)
				denied = -EACCES;
		}
		p += len + (p[len] == ':');
	}
	return denied ? denied : -ENOENT;
}

/* Splits the NUL-separated @buf into a NULL-terminated vector. */
static char **split_nul(const char *buf, size_t len)
{
	size_t n = 0, i = 0;
	char **v;

	for (size_t k = 0; k < len; k++)
		n += buf[k] == '\0';
	v = calloc(n + 2, sizeof(*v));
	if (!v)
		return NULL;
	for (const char *p = buf; p < buf + len; p += strlen(p) + 1) {
		if (*p == '\0')
			continue;
		v[i] = strndup(p, (size_t)(buf + len - p));
		if (!v[i++]) {
			free_strv(v);
			return NULL;
		}
	}
	return v;
}

/* The types that can really be joined: the kernel has them, the target has
 * them (a namespace file has one), and the user namespace is not the caller's
 * own (setns() refuses that with EINVAL). */
static unsigned joinable(const struct nsd_enter *e)
{
	int nstype = nsd_target_get_nstype(e->target);
	unsigned types = 0;

	for (int t = 0; t < NSD_NS_COUNT; t++) {
		ino_t theirs = 0, ours;

		if (!(e->types & (1u << t)))
			continue;
		if (e->procfd < 0 && t != nstype)
			continue;
		if (e->procfd >= 0 &&
		    nsd_read_ns_link_at(e->procfd, nsd_nstype_path(t), t, &theirs) == -ENOENT)
			continue;
		if (t == NSD_NS_USER && theirs &&
		    nsd_read_ns_link_at(AT_FDCWD, "/proc/self/ns/user", t, &ours) == 0 &&
		    ours == theirs)
			continue;
		types |= 1u << t;
	}
	return types;
}

/*
 * Without a pidfd (kernels before 5.8 cannot setns() one; a target of another
 * procfs or a namespace file has none): open every namespace first through
 * the target, which checks its process still is the one pinned, then join
 * them in two passes as nsenter(1) does. Without the user namespace
 * first: root joins the others while it still has its host capabilities and
 * drops into the user namespace last. A caller without privilege fails those
 * and gets them on the second pass, after the user namespace gave it rights.
 */
static int join_by_fds(struct nsd_enter *e, unsigned types)
{
	int fds[NSD_NS_COUNT], r = 0;

	for (int t = 0; t < NSD_NS_COUNT; t++) {
		fds[t] = -EBADF;
		if ((types & (1u << t)) && (fds[t] = nsd_target_open_ns(e->target, t)) < 0)
			r = r ?: fail(e, NSD_ENTER_PREPARE, fds[t],
				      fds[t] == -ESRCH ? "join the target (it exited)"
						       : "open the target's namespaces");
	}
	for (int pass = 0; pass < 2 && r == 0; pass++)
		for (int t = 0; t < NSD_NS_COUNT && r == 0; t++) {
			if (fds[t] < 0 || (pass == 0 && t == NSD_NS_USER))
				continue;
			if (setns(fds[t], nsd_nstype_to_clone_flag(t)) == 0)
				closep(&fds[t]), fds[t] = -EBADF;
			else if (pass == 1)
				r = fail(e, NSD_ENTER_PREPARE, errno, "join the %s namespace",
					 nsd_nstype_to_name(t));
		}
	for (int t = 0; t < NSD_NS_COUNT; t++)
		closep(&fds[t]);
	return r;
}

static int join(struct nsd_enter *e, unsigned types)
{
	int flags = 0;

	if (types == 0)
		return 0;
	for (int t = 0; t < NSD_NS_COUNT; t++)
		if (types & (1u << t))
			flags |= nsd_nstype_to_clone_flag(t);
	/* One call joins them all, in the order the kernel needs, or none. */
	if (e->pidfd < 0)
		return join_by_fds(e, types);
	if (setns(e->pidfd, flags) == 0)
		return 0;
	if (errno == ESRCH)
		return fail(e, NSD_ENTER_PREPARE, errno, "join the target (it exited)");
	if (errno != EINVAL)
		return fail(e, NSD_ENTER_PREPARE, errno, "join the target's namespaces");
	return join_by_fds(e, types);
}

/* After joining a user namespace: be root in it, as nsenter(1) is. */
static int become_root(void)
{
	/* setgroups() is refused where the namespace's setgroups file says "deny". */
	if (setgroups(0, NULL) < 0 && errno != EPERM)
		return -errno;
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return -errno;
	return 0;
}

/*
 * Mounts a fresh @fstype on @path in place of the host's, whose submounts go
 * with it (the host's cgroup hierarchies under /sys, binfmt_misc under
 * /proc): left there, hidden, they would still be listed in mountinfo, and
 * tools that stat every mount point (lsof, df) would complain of each.
 */
static int mount_fresh(const char *fstype, const char *path, unsigned long flags)
{
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL)
		return -errno;
	if (mount(fstype, path, fstype, flags, NULL) < 0)
		return -errno;
	return 0;
}

/* A sysfs of the net namespace the process is in now (/sys/class/net lists
 * its interfaces), read-only: a debugging session has no business changing it. */
static int mount_private_sysfs(void)
{
	return mount_fresh("sysfs", "/sys", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY);
}

/* A procfs of the pid namespace the process is in now, on /proc of a mount
 * namespace of its own: nothing is mounted where the target or the host see it. */
static int mount_private_proc(void)
{
	if (unshare(CLONE_NEWNS) < 0)
		return -errno;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	return mount_fresh("proc", "/proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
}

/* Keeps only the capabilities in @keep, in every set and the bounding set.
 * The kernel lowers the ambient set with the inheritable one, so ambient
 * capabilities within @keep (nsd_enter_set_keep_caps()) stay. */
static int limit_caps(uint64_t keep)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	for (unsigned cap = 0; cap < 64; cap++) {
		if (keep & ((uint64_t)1 << cap))
			continue;
		/* EINVAL: beyond the kernel's last capability. */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return -errno;
	}
	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	for (size_t i = 0; i < ELEMENTSOF(data); i++) {
		uint32_t k = (uint32_t)(keep >> (32 * i));

		data[i].effective &= k;
		data[i].permitted &= k;
		data[i].inheritable &= k;
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	return 0;
}

/* The caller's environment with @e's additions, replacing what they name. */
static char **merge_env(const struct nsd_enter *e, char **envp)
{
	size_t n = 0, m = 0, k = 0;
	char **v;

	while (envp[n])
		n++;
	while (e->extra_env && e->extra_env[m])
		m++;
	v = calloc(n + m + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		bool replaced = false;

		for (size_t j = 0; j < m && !replaced; j++) {
			size_t len = strcspn(e->extra_env[j], "=") + 1;

			replaced = strncmp(envp[i], e->extra_env[j], len) == 0;
		}
		if (!replaced)
			v[k++] = envp[i];
	}
	for (size_t j = 0; j < m; j++)
		v[k++] = e->extra_env[j];
	return v;
}

/*
 * A command that does not run as root loses every capability at execve(2)
 * except the ambient ones, and the kernel raises a capability in the ambient
 * set only when it is both permitted and inheritable: copy the permitted set
 * to the inheritable one first.
 */
static int raise_ambient_caps(void)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	for (size_t i = 0; i < ELEMENTSOF(data); i++)
		data[i].inheritable = data[i].permitted;
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -errno;
	for (unsigned cap = 0; cap < 32 * ELEMENTSOF(data); cap++)
		if ((data[cap / 32].permitted & (1u << (cap % 32))) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return -errno;
	return 0;
}

/*
 * The part that runs in the process that becomes the command. Returns only
 * on failure, a negative errno with what failed in @e.
 */
static int run_command(struct nsd_enter *e, unsigned types, int cmdfd, char **envp)
{
	_cleanup_free_ char **merged = NULL;
	int r;

	if ((types & (1u << NSD_NS_USER)) && (r = become_root()) < 0)
		return fail(e, NSD_ENTER_PREPARE, r, "become root in the user namespace");
	if ((types & (1u << NSD_NS_PID)) && !(types & (1u << NSD_NS_MNT)) && e->fork) {
		r = mount_private_proc();
		if (r < 0)
			return fail(e, NSD_ENTER_PREPARE, r, "mount a procfs of the target");
		if ((types & (1u << NSD_NS_NET)) && (r = mount_private_sysfs()) < 0)
			return fail(e, NSD_ENTER_PREPARE, r, "mount a sysfs of the target");
	}
	if (e->workdir && chdir(e->workdir) < 0)
		return fail(e, NSD_ENTER_PREPARE, errno, "change to the working directory");
	if (e->keep_caps && (r = raise_ambient_caps()) < 0)
		return fail(e, NSD_ENTER_PREPARE, r, "keep the capabilities");
	if (e->limit_caps && (r = limit_caps(e->caps)) < 0)
		return fail(e, NSD_ENTER_PREPARE, r, "drop capabilities");
	if (e->extra_env) {
		merged = merge_env(e, envp);
		if (!merged)
			return fail(e, NSD_ENTER_PREPARE, ENOMEM, "set the environment");
		envp = merged;
	}
	/* Only stdio goes to the command: everything else nsdebug has open is its own. */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		return fail(e, NSD_ENTER_PREPARE, errno, "close file descriptors");
	execveat(cmdfd, "", e->argv, envp, AT_EMPTY_PATH);
	/*
	 * A script: its interpreter reads it through /dev/fd/N, which the kernel
	 * cannot give while the fd is close-on-exec. Run it again through a copy
	 * without the flag; the script sees that one extra fd.
	 */
	if (errno == ENOENT) {
		int fd = fcntl(cmdfd, F_DUPFD, 3);

		if (fd >= 0)
			execveat(fd, "", e->argv, envp, AT_EMPTY_PATH);
		errno = ENOENT;
	}
	return fail(e, NSD_ENTER_COMMAND, errno, "execute '%.64s'", e->argv[0]);
}

/* Waits for @child, forwarding the signals a process sent to nsdebug itself
 * (si_code <= 0: kill, sigqueue, tgkill). Those from the terminal (SI_KERNEL)
 * reach the child directly, in the same process group; sending them again
 * would deliver them twice. */
static int wait_forwarding(pid_t child, const sigset_t *set)
{
	for (;;) {
		siginfo_t si;
		int status;
		pid_t p = waitpid(child, &status, WNOHANG);

		if (p == child)
			return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
		if (p < 0 && errno != EINTR)
			return -errno;
		if (sigwaitinfo(set, &si) < 0)
			continue;
		if (si.si_signo != SIGCHLD && si.si_code <= 0)
			kill(child, si.si_signo);
	}
}

/* What a child that failed before exec tells the caller. */
struct child_msg {
	int err;
	enum nsd_enter_stage stage;
	char what[sizeof(((struct nsd_enter *)NULL)->failed)];
};

/* Tells the caller through @wr what @e says failed, and ends the process. */
__attribute__((noreturn)) static void child_fail(struct nsd_enter *e, int wr, int r)
{
	struct child_msg msg = {.err = -r, .stage = e->failed_stage};

	memcpy(msg.what, e->failed, sizeof(msg.what));
	(void)!write(wr, &msg, sizeof(msg));
	_exit(e->failed_stage == NSD_ENTER_COMMAND ? (r == -ENOENT ? 127 : 126) : 125);
}

/*
 * The process between the caller and the command: it joins the namespaces
 * and forks the command into the pid namespace, then waits for it, passes on
 * the signals the caller forwards, and exits with its status. The caller
 * itself joins nothing: it never sits in the target's namespaces nor forks
 * into its pid namespace later (a sanitizer's at-exit helper would).
 */
__attribute__((noreturn)) static void run_joiner(struct nsd_enter *e, unsigned types, int cmdfd,
						  char **envp, int wr, const sigset_t *set,
						  const sigset_t *old)
{
	pid_t child;
	int r = join(e, types);

	if (r < 0)
		child_fail(e, wr, r);
	child = fork();
	if (child < 0)
		child_fail(e, wr, fail(e, NSD_ENTER_PREPARE, errno, "fork"));
	if (child == 0) {
		sigprocmask(SIG_SETMASK, old, NULL);
		child_fail(e, wr, run_command(e, types, cmdfd, envp));
	}
	/* The write end stays with the command only: EOF means it ran. */
	close(wr);
	r = wait_forwarding(child, set);
	_exit(r < 0 ? 125 : r);
}

/*
 * Runs the command in a pid namespace and waits for it, through a joiner
 * process (run_joiner()). A failure before exec comes back through a
 * close-on-exec pipe; EOF means the exec happened.
 */
static int fork_and_wait(struct nsd_enter *e, unsigned types, int cmdfd, char **envp,
			 int *ret_status)
{
	_cleanup_close_ int rd = -EBADF, wr = -EBADF;
	struct child_msg msg;
	struct termios tio;
	sigset_t set, old;
	bool restore_tty;
	int p[2], status;
	pid_t joiner;

	if (pipe2(p, O_CLOEXEC) < 0)
		return fail(e, NSD_ENTER_PREPARE, errno, "create a pipe");
	rd = p[0];
	wr = p[1];
	restore_tty = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp() &&
		      tcgetattr(STDIN_FILENO, &tio) == 0;

	/* Blocked before the fork so that none is lost; the command unblocks them. */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, &old);

	joiner = fork();
	if (joiner < 0) {
		int r = fail(e, NSD_ENTER_PREPARE, errno, "fork");
		sigprocmask(SIG_SETMASK, &old, NULL);
		return r;
	}
	if (joiner == 0) {
		closep(&rd);
		run_joiner(e, types, cmdfd, envp, wr, &set, &old);
	}
	closep(&wr);
	wr = -EBADF;
	if (read(rd, &msg, sizeof(msg)) == (ssize_t)sizeof(msg)) {
		waitpid(joiner, &status, 0);
		sigprocmask(SIG_SETMASK, &old, NULL);
		msg.what[sizeof(msg.what) - 1] = '\0';
		return fail(e, msg.stage, msg.err, "%s", msg.what);
	}
	status = wait_forwarding(joiner, &set);
	/* Only while still in the foreground (not sent to the background with
	 * the command), where it cannot stop nsdebug with SIGTTOU; and before
	 * the signals are unblocked, which may end nsdebug. */
	if (restore_tty && tcgetpgrp(STDIN_FILENO) == getpgrp())
		tcsetattr(STDIN_FILENO, TCSADRAIN, &tio);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (status < 0)
		return fail(e, NSD_ENTER_PREPARE, status, "wait for the command");
	*ret_status = status;
	return 0;
}

/**
 * nsd_enter_run:
 * @e: context with a command
 * @ret_status: the command's exit status, or 128+N when it died of signal N
 *
 * Joins the namespaces and runs the command. When no fork is needed (no pid
 * namespace, or nsd_enter_set_fork() off) the caller joins them and the
 * command replaces it: this returns only on failure. Otherwise a child joins
 * them and forks the command; the caller, in its own namespaces still,
 * waits for it, passes SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to it on to
 * the command, restores the terminal's settings, and returns 0.
 *
 * The caller is left non-dumpable.
 *
 * Returns: 0, or a negative errno with nsd_enter_get_failure() and
 * nsd_enter_get_failed_stage() set.
 */
NSD_EXPORT int nsd_enter_run(struct nsd_enter *e, int *ret_status)
{
	_cleanup_close_ int cmdfd = -EBADF;
	_cleanup_free_ char *envbuf = NULL;
	char **envp = environ, **target_env = NULL;
	unsigned types = joinable(e);
	bool in_root = types & (1u << NSD_NS_MNT);
	int r;

	e->failed[0] = '\0';
	if (!e->argv)
		return fail(e, NSD_ENTER_PREPARE, EINVAL, "run an empty command");
	/* Nothing in the target may ptrace us or read our /proc once we join it. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return fail(e, NSD_ENTER_PREPARE, errno, "make nsdebug non-dumpable");

	if ((e->target_env || in_root) && e->procfd < 0)
		return fail(e, NSD_ENTER_PREPARE, EINVAL, "%s of a namespace file",
			    in_root ? "find a command in the filesystem" : "read the environment");
	if (e->target_env) {
		size_t len;

		r = nsd_read_alloc_at(e->procfd, "environ", ENVIRON_MAX, &envbuf, &len);
		if (r < 0)
			return fail(e, NSD_ENTER_PREPARE, r, "read the target's environment");
		target_env = split_nul(envbuf, len);
		if (!target_env)
			return fail(e, NSD_ENTER_PREPARE, ENOMEM, "read the target's environment");
		envp = target_env;
	}

	if (in_root) {
		_cleanup_close_ int rootfd = openat(e->procfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);

		/* Not the command's failure: nsdebug may not look into the target. */
		if (rootfd < 0) {
			r = fail(e, NSD_ENTER_PREPARE, errno, "open the target's root");
			goto out;
		}
		r = find_command(rootfd, e->argv[0], DEFAULT_PATH, RESOLVE_IN_ROOT);
	} else {
		const char *path = getenv("PATH");

		r = find_command(AT_FDCWD, e->argv[0], path ? path : DEFAULT_PATH, 0);
	}
	if (r == -ENOENT) {
		r = fail(e, NSD_ENTER_COMMAND, r, "find '%.64s' %s", e->argv[0],
			 in_root ? "in the target" : "on the host");
		goto out;
	}
	if (r < 0) {
		r = fail(e, NSD_ENTER_COMMAND, r, "execute '%.64s'", e->argv[0]);
		goto out;
	}
	cmdfd = r;

	if (e->fork && (types & (1u << NSD_NS_PID))) {
		r = fork_and_wait(e, types, cmdfd, envp, ret_status);
	} else {
		r = join(e, types);
		if (r == 0)
			r = run_command(e, types, cmdfd, envp);
	}
out:
	free_strv(target_env);
	return r;
}
