/*
 * pipeforkas.h — libpipeforkas: run a function as another user.
 *
 * pfa_run() forks; the child drops every credential it has (capability
 * bounding and ambient sets, supplementary groups, gid, uid, the other
 * capability sets, no_new_privs), proves the drop, runs the callback and
 * sends what the callback produced back to the parent as framed messages over
 * a pipe.  The parent reads them with a deadline and a size limit, reaps the
 * child exactly once, and reports exactly what happened.
 *
 * Contract for every function here:
 *  - returns 0 or a negative PFA_E* code, unless its comment says otherwise;
 *  - never exits, aborts, prints or logs in the host process;
 *  - NULL arguments are PFA_EINVAL, never a crash; *_free(NULL) is a no-op.
 * pfa_run needs root (or CAP_SETUID, CAP_SETGID and CAP_SETPCAP); without
 * them the child's drop fails and pfa_run reports PFA_EDROP.
 */
#ifndef PIPEFORKAS_H
#define PIPEFORKAS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PFA_VERSION "0.1.0"

/* Error codes.  The ones from PFA_ECALLBACK on describe how a run ended and
 * are also what pfa_result_code() returns. */
enum {
	PFA_OK = 0,
	PFA_EINVAL = -1,    /* bad argument: NULL, out of range, malformed name */
	PFA_ENOMEM = -2,    /* out of memory */
	PFA_ENOUSER = -3,   /* no such user */
	PFA_EROOT = -4,     /* target is uid 0 and PFA_ALLOW_ROOT was not given */
	PFA_ESYS = -5,      /* a system call failed in the parent; see errno */
	PFA_ECALLBACK = -6, /* the callback returned non-zero (its code is kept) */
	PFA_EEXIT = -7,     /* the child exited without a complete result */
	PFA_ESIGNAL = -8,   /* the child was killed by a signal we did not send */
	PFA_ETIMEOUT = -9,  /* the deadline passed; the child's group was killed */
	PFA_ETOOBIG = -10,  /* the result exceeded the maximum; the child was killed */
	PFA_EPROTO = -11,   /* truncated or garbled frames from the child */
	PFA_EDROP = -12,    /* the child could not drop or verify its credentials */
	PFA_EABORT = -13,   /* the sink asked to stop, or the splice fd failed or
			       stayed full; the child was killed */
	PFA_ECANCELED = -14, /* the cancel fd became readable or hung up; the child
				was killed */
};

/* A static string for any code (never NULL). */
const char *pfa_strerror(int err);

/* ---- Identity: who the child becomes, resolved before fork ------------- */

typedef struct pfa_identity pfa_identity;

#define PFA_ALLOW_ROOT 0x1u /* permit uid 0 as a target (refused otherwise) */
#define PFA_NO_GROUPS 0x2u  /* passwd entry only: no group list until set_groups */

/*
 * Resolve a user by name or uid: passwd entry, primary gid, the full
 * supplementary group list (as initgroups(3) would set it), home, shell.
 * Names must be 1..256 bytes with no control characters, no ':' and no
 * leading '-'; uid (uid_t)-1 is PFA_EINVAL.  With PFA_NO_GROUPS the group
 * list is not looked up (one NSS call less, for a check that needs only
 * the ids): pfa_run refuses such an identity (PFA_EINVAL), before forking, until
 * pfa_identity_set_groups gives it one.  On success *out is a new
 * identity the caller owns (pfa_identity_free); on failure *out is NULL.
 */
int pfa_identity_from_name(const char *name, unsigned flags, pfa_identity **out);
/* 1 when name is one pfa_identity_from_name takes as a name (1..256
 * bytes, no control character, no ':', no leading '-'), else 0 (NULL
 * too): to tell a malformed name from an entry it refuses. */
int pfa_name_valid(const char *name);
int pfa_identity_from_uid(uid_t uid, unsigned flags, pfa_identity **out);
void pfa_identity_free(pfa_identity *id);

/* Accessors; strings are owned by the identity. */
uid_t pfa_identity_uid(const pfa_identity *id);
gid_t pfa_identity_gid(const pfa_identity *id);
const char *pfa_identity_name(const pfa_identity *id);
const char *pfa_identity_home(const pfa_identity *id);
const char *pfa_identity_shell(const pfa_identity *id);
/* Number of supplementary groups; *list (may be NULL) points into id. */
size_t pfa_identity_groups(const pfa_identity *id, const gid_t **list);

/* Replace the supplementary groups (copied; sorted and deduplicated), e.g.
 * with the list PAM's setcred left in the parent.  At most 65536. */
int pfa_identity_set_groups(pfa_identity *id, const gid_t *groups, size_t n);

/*
 * Capabilities the child keeps: bit c of mask is capability c.  They go in the
 * child's permitted, effective, inheritable and ambient sets and the bounding set is
 * reduced to exactly them, so a program the child execs keeps them and
 * nothing more.  Default 0: every set empty.  PFA_EINVAL for a bit the
 * running kernel does not know.
 */
int pfa_identity_set_caps(pfa_identity *id, uint64_t mask);
uint64_t pfa_identity_caps(const pfa_identity *id);

/* ---- Options --------------------------------------------------------- */

typedef struct pfa_opts pfa_opts;

#define PFA_TIMEOUT_DEFAULT_MS 30000
#define PFA_MAX_RESULT_DEFAULT (16u * 1024 * 1024)
#define PFA_CHANNELS 16 /* data channels 0..15 */

/* New options with defaults, or NULL when out of memory.  Caller frees. */
pfa_opts *pfa_opts_new(void);
void pfa_opts_free(pfa_opts *opts);

/* Deadline for the whole run, 1 .. 86400000 ms, or 0 for none. */
int pfa_opts_set_timeout_ms(pfa_opts *opts, long ms);

/* Largest total of data bytes (all channels) and field values accepted,
 * >= 0.  Past it the child is killed and the run ends with PFA_ETOOBIG. */
int pfa_opts_set_max_result(pfa_opts *opts, size_t bytes);

/* File descriptors the child gets as its stdin, stdout and stderr; -1 means
 * /dev/null (the default).  The host keeps ownership; they must stay open
 * until pfa_run returns.  Every other descriptor is closed in the child. */
int pfa_opts_set_stdio(pfa_opts *opts, int in_fd, int out_fd, int err_fd);

/*
 * Stream data to fn as it arrives instead of keeping it in the result.  fn
 * runs in the parent; a non-zero return kills the child and ends the run with
 * PFA_EABORT.  The buffer is only valid during the call.
 */
typedef int (*pfa_sink_fn)(void *ctx, unsigned channel, const void *buf, size_t len);
int pfa_opts_set_sink(pfa_opts *opts, pfa_sink_fn fn, void *ctx);

/* A descriptor the parent polls during the run (for instance the read end of
 * a self-pipe a signal handler writes to): when it becomes readable or hangs
 * up, the child's group is killed and the run ends with PFA_ECANCELED.  -1
 * (the default) for none.  The host keeps ownership. */
int pfa_opts_set_cancel_fd(pfa_opts *opts, int fd);

/* keep 1: the child keeps the host's session keyring (a host that made it
 * for the child: the helper's PAM session).  0 (the default): the child
 * joins a new, empty one before its ids change, so that the target never
 * possesses the host's keys nor adds to its keyring.  0 or PFA_EINVAL. */
int pfa_opts_set_keep_keyring(pfa_opts *opts, int keep);

/* Data on `channel` goes straight to fd — with splice(2), not through the
 * parent's memory, where the kernel can (a pipe), else written — and is
 * neither kept nor given to the sink; it counts against max_result.  fd
 * must be a regular file or non-blocking (pfa_run refuses any other with
 * PFA_EINVAL: one blocking write could outlast the deadline).  When it
 * stays full, the run ends at the deadline with PFA_EABORT, as it does when
 * a write fails, or at a cancel.  SIGPIPE is blocked in the calling thread
 * while the run goes on, and one the run's write raised is discarded (one
 * another process sent is sent again): a reader that went away is
 * PFA_EABORT, never the host's death.  fd -1 (the default):
 * none.  The host keeps ownership. */
int pfa_opts_set_splice(pfa_opts *opts, unsigned channel, int fd);

/* ---- The child side: what the callback uses -------------------------- */

typedef struct pfa_out pfa_out;

/*
 * The callback runs in the child, after the drop, as the target user.  Its
 * return value 0 means success; anything else ends the run with
 * PFA_ECALLBACK and is reported by pfa_result_callback_code().  The child
 * then _exit()s: atexit handlers and stdio buffers inherited from the host
 * are never run or flushed by the library.
 */
typedef int (*pfa_fn)(pfa_out *out, void *arg);

/* Append bytes to data channel 0, or to channel 0..PFA_CHANNELS-1.  Large
 * writes are split into frames; the parent's limit applies to the total. */
int pfa_out_write(pfa_out *out, const void *buf, size_t len);
int pfa_out_write_channel(pfa_out *out, unsigned channel, const void *buf, size_t len);

/* Typed fields: key is 1..63 bytes of [a-z0-9_.-], unique within a result;
 * a string value is at most PFA_FIELD_MAX bytes (any bytes, not just text).
 * At most PFA_FIELDS_MAX fields. */
#define PFA_FIELD_MAX 60000
#define PFA_FIELDS_MAX 256
int pfa_out_int(pfa_out *out, const char *key, int64_t value);
int pfa_out_str(pfa_out *out, const char *key, const void *value, size_t len);

/* A message (at most 1024 bytes, longer is PFA_EINVAL) sent with the end of
 * the result; pfa_result_message() returns it. */
int pfa_out_message(pfa_out *out, const char *msg);

/* Send what is buffered now.  Fields and data wait in the child and go in
 * as few writes as possible: when the buffer fills, on a change of
 * channel, here, and when the callback returns; a child killed before then
 * loses what it had buffered (its result says how it ended). */
int pfa_out_flush(pfa_out *out);

/*
 * Move up to max bytes from fd (a file or a pipe) to data channel `channel`:
 * read(2) straight into the child's frame buffer, no copy through the
 * callback's memory.  Despite the name it never uses splice(2): a file's
 * pages in the result pipe would let whoever serves the file (a FUSE
 * server of the user's) hold the parent's read in an unkillable wait.
 * From a regular file the bytes wait to fill a frame, as pfa_out_write's
 * do; from anything else (a pipe, a socket) what a read returned is sent
 * at once, so a slow producer's bytes are not held back.
 * *moved gets how many bytes went (0 at end of file).  0 or a negative
 * code.
 */
int pfa_out_splice(pfa_out *out, unsigned channel, int fd, size_t max, size_t *moved);

/* ---- Running ----------------------------------------------------------- */

typedef struct pfa_result pfa_result;

/*
 * Run fn(out, arg) in a child that has become id.  opts may be NULL for the
 * defaults.  Returns 0 when the callback returned 0 and its whole result
 * arrived, else a negative code: PFA_EINVAL/PFA_ENOMEM/PFA_ESYS before or
 * instead of forking, or how the run ended (PFA_ECALLBACK .. PFA_ECANCELED).
 * Whenever a child was forked, *res is a new result the caller owns
 * (pfa_result_free), whatever the return value; otherwise *res is NULL.
 * Safe to call from several threads at once.  The host must not reap
 * children it did not create (waitpid(-1, ...)) while a run is going on,
 * and SIGCHLD must not be ignored (SIG_IGN or SA_NOCLDWAIT: the kernel
 * would reap the child itself; pfa_run refuses with PFA_EINVAL).  The
 * callback starts in "/" with no fd of the host's but the chosen stdio.
 * pfa_run never waits past the deadline plus 3 s (see pfa_result_reaped).
 */
int pfa_run(const pfa_identity *id, const pfa_opts *opts, pfa_fn fn, void *arg,
	    pfa_result **res);

/* ---- Results ----------------------------------------------------------- */

/* How the run ended: the value pfa_run returned. */
int pfa_result_code(const pfa_result *res);

/* Data received on a channel (when no sink was set); *len gets its size.
 * The buffer is owned by res and NUL-terminated for convenience. */
const void *pfa_result_data(const pfa_result *res, unsigned channel, size_t *len);

/* Total data bytes received on all channels (with or without a sink). */
uint64_t pfa_result_total(const pfa_result *res);

/* The callback's non-zero return value for PFA_ECALLBACK, else 0. */
int pfa_result_callback_code(const pfa_result *res);

/* The callback's message, or NULL.  Owned by res. */
const char *pfa_result_message(const pfa_result *res);

/* The child's exit code (0..255), or -1 when it did not exit normally. */
int pfa_result_exit_status(const pfa_result *res);

/* The signal that ended the child, or 0.  With PFA_ETIMEOUT, PFA_ETOOBIG,
 * PFA_EPROTO, PFA_EABORT and PFA_ECANCELED it is normally the SIGKILL the
 * parent sent; a
 * child that had already exited by then keeps its exit status instead. */
int pfa_result_signal(const pfa_result *res);

/* 1 when the child was reaped (always, but for this case: killed, it did
 * not die within 3 s — stuck in an uninterruptible sleep, for instance on a
 * FUSE mount its user controls; the run then ended with PFA_ETIMEOUT or
 * the reason it was killed, rather than hang, and the child is left for the
 * host or init to reap when it finally dies). */
int pfa_result_reaped(const pfa_result *res);

/* Drop steps, for PFA_EDROP. */
enum pfa_drop_step {
	PFA_STEP_NONE = 0,
	PFA_STEP_SIGNALS,
	PFA_STEP_SETSID,
	PFA_STEP_FDS,
	PFA_STEP_BOUNDING,
	PFA_STEP_AMBIENT,
	PFA_STEP_KEEPCAPS,
	PFA_STEP_SETGROUPS,
	PFA_STEP_SETRESGID,
	PFA_STEP_SETRESUID,
	PFA_STEP_CAPS,
	PFA_STEP_AMBIENT_RAISE,
	PFA_STEP_NO_NEW_PRIVS,
	PFA_STEP_DUMPABLE,
	PFA_STEP_VERIFY_UID,
	PFA_STEP_VERIFY_GID,
	PFA_STEP_VERIFY_GROUPS,
	PFA_STEP_VERIFY_REGAIN,
	PFA_STEP_VERIFY_CAPS,
	PFA_STEP_VERIFY_NNP,
	PFA_STEP_CWD,     /* chdir("/") */
	PFA_STEP_KEYRING, /* joining a new session keyring, or its proof */
	PFA_STEP_COUNT
};
/* Static name of a step ("setresuid", ...), never NULL. */
const char *pfa_drop_step_name(int step);

/* For PFA_EDROP: which step failed and its errno (0 when a verification
 * found a wrong value rather than a failing call). */
int pfa_result_drop_failure(const pfa_result *res, int *step, int *err);

/* Typed fields the callback sent. */
enum pfa_field_type { PFA_FIELD_INT = 1, PFA_FIELD_STR = 2 };
size_t pfa_result_field_count(const pfa_result *res);
/* The i-th field in arrival order; every out-pointer may be NULL.  For a
 * string, *str is NUL-terminated and *len excludes the NUL. */
int pfa_result_field(const pfa_result *res, size_t i, const char **key, int *type,
		     int64_t *ival, const char **str, size_t *len);
/* Look a field up by key: PFA_EINVAL when absent or of the other type. */
int pfa_result_get_int(const pfa_result *res, const char *key, int64_t *value);
int pfa_result_get_str(const pfa_result *res, const char *key, const char **str,
		       size_t *len);

void pfa_result_free(pfa_result *res);

#ifdef __cplusplus
}
#endif
#endif /* PIPEFORKAS_H */
