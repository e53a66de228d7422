/* error.c — static texts for error codes and drop steps. */
#include "config.h"

#include "pipeforkas.h"

const char *
pfa_strerror(int err)
{
	switch (err) {
	case PFA_OK: return "success";
	case PFA_EINVAL: return "invalid argument";
	case PFA_ENOMEM: return "out of memory";
	case PFA_ENOUSER: return "no such user";
	case PFA_EROOT: return "target is root and root was not allowed";
	case PFA_ESYS: return "system call failed";
	case PFA_ECALLBACK: return "the callback reported an error";
	case PFA_EEXIT: return "the child exited without a complete result";
	case PFA_ESIGNAL: return "the child was killed by a signal";
	case PFA_ETIMEOUT: return "the deadline passed";
	case PFA_ETOOBIG: return "the result exceeded the maximum size";
	case PFA_EPROTO: return "protocol error in the child's result";
	case PFA_EDROP: return "the child could not drop its credentials";
	case PFA_EABORT: return "the sink stopped the run";
	case PFA_ECANCELED: return "the run was cancelled";
	default: return "unknown error";
	}
}

static const char *const step_names[PFA_STEP_COUNT] = {
	[PFA_STEP_NONE] = "none",
	[PFA_STEP_SIGNALS] = "signals",
	[PFA_STEP_SETSID] = "setsid",
	[PFA_STEP_FDS] = "fds",
	[PFA_STEP_BOUNDING] = "bounding",
	[PFA_STEP_AMBIENT] = "ambient",
	[PFA_STEP_KEEPCAPS] = "keepcaps",
	[PFA_STEP_SETGROUPS] = "setgroups",
	[PFA_STEP_SETRESGID] = "setresgid",
	[PFA_STEP_SETRESUID] = "setresuid",
	[PFA_STEP_CAPS] = "caps",
	[PFA_STEP_AMBIENT_RAISE] = "ambient_raise",
	[PFA_STEP_NO_NEW_PRIVS] = "no_new_privs",
	[PFA_STEP_DUMPABLE] = "dumpable",
	[PFA_STEP_VERIFY_UID] = "verify_uid",
	[PFA_STEP_VERIFY_GID] = "verify_gid",
	[PFA_STEP_VERIFY_GROUPS] = "verify_groups",
	[PFA_STEP_VERIFY_REGAIN] = "verify_regain",
	[PFA_STEP_VERIFY_CAPS] = "verify_caps",
	[PFA_STEP_VERIFY_NNP] = "verify_no_new_privs",
	[PFA_STEP_CWD] = "cwd",
	[PFA_STEP_KEYRING] = "keyring",
};

const char *
pfa_drop_step_name(int step)
{
	if (step < 0 || step >= PFA_STEP_COUNT)
		return "unknown";
	return step_names[step];
}
