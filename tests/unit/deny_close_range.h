/* deny_close_range(err): make close_range(2) fail with err in this process
 * and its children (as on an old kernel, ENOSYS, or under a container's
 * seccomp policy, EPERM), and check that it does.  0 or -1.  For the unit
 * tests of every fallback that closes fds without it. */
#ifndef PFA_UNIT_DENY_CLOSE_RANGE_H
#define PFA_UNIT_DENY_CLOSE_RANGE_H

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline int
deny_close_range(int err)
{
#ifdef SYS_close_range
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_close_range, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)err & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(f) / sizeof(f[0]), f};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
		return -1;
	errno = 0;
	if (syscall(SYS_close_range, 100000u, 100001u, 0u) != -1 || errno != err)
		return -1;
	return 0;
#else
	(void)err;
	return -1;
#endif
}

#endif
