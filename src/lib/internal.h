/*
 * internal.h — the library's private types, shared by its .c files and by
 * the unit tests (which link the uninstalled convenience library).  Nothing
 * here is exported from libpipeforkas.so: only pfa_* symbols are.
 */
#ifndef PFA_INTERNAL_H
#define PFA_INTERNAL_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "frame.h"
#include "pipeforkas.h"

#define PFA_NAME_MAX 256
#define PFA_GROUPS_MAX 65536
#define PFA_MSG_MAX FRAME_MSG_MAX

struct pfa_identity {
	char *name;
	char *home;
	char *shell;
	uid_t uid;
	gid_t gid;
	gid_t *groups; /* sorted, no duplicates */
	size_t ngroups;
	int groups_known; /* 0: PFA_NO_GROUPS and no set_groups yet */
	uint64_t caps; /* bit c = capability c kept */
};

struct pfa_opts {
	long timeout_ms; /* 0 = none */
	size_t max_result;
	int stdio[3];    /* -1 = /dev/null */
	pfa_sink_fn sink;
	void *sink_ctx;
	int cancel_fd;   /* -1 = none */
	int keep_keyring; /* 1: the child keeps the host's session keyring */
	int splice_fd;   /* -1 = none: data of splice_channel goes there */
	unsigned splice_channel;
};

struct pfa_field {
	char *key;
	int type;
	int64_t ival;
	char *str;
	size_t len;
};

struct pfa_chan {
	uint8_t *buf;
	size_t len, cap;
};

struct pfa_result {
	int code;
	int wstatus;   /* raw waitid-derived status, see exit_status/signal */
	int exit_status;
	int signal;
	int cb_code;
	char *message;
	int drop_step, drop_err;
	uint64_t total;
	struct pfa_chan chan[PFA_CHANNELS];
	struct pfa_field *fields;
	size_t nfields;
	int got_end;
	int got_dropfail;
	int unreaped;  /* killed, but not dead within the grace period */
};

/* The child's writer.  Allocated by the parent before fork so that the
 * child never allocates; buf holds one frame. */
/* Fields wait in the child until the next write: a result of a few fields
 * and an END goes in one writev, not one write (and one wakeup of the
 * parent) per field. */
#define OUT_PENDING 4096u
struct pfa_out {
	int fd;
	int error;        /* sticky: once a write failed, everything fails */
	unsigned channel; /* channel of the data in buf */
	size_t used;      /* data bytes in buf after the 6-byte prefix */
	char msg[PFA_MSG_MAX];
	size_t msglen;
	unsigned nfields;
	size_t fused;     /* bytes of whole frames waiting in fbuf */
	uint8_t fbuf[OUT_PENDING]; /* sent before anything else is written */
	uint8_t buf[FRAME_HDR + FRAME_MAX];
};

/* out.c: used by the child around the callback. */
void out_init(struct pfa_out *out, int fd);
/* Send END with the callback's code; returns 0 or a negative code. */
int out_finish(struct pfa_out *out, int code);
/* Send a DROPFAIL frame (async-signal-safe). */
void out_dropfail(int fd, int step, int err);
/* write(2) all of buf, retrying on EINTR; 0 or -1 with errno. */
int out_write_all(int fd, const void *buf, size_t len);

/* result.c: storage of a result (heap). */
struct pfa_result *result_new(void);
int result_add_data(struct pfa_result *r, unsigned channel, const uint8_t *buf, size_t len);
/* A field; PFA_EPROTO for a duplicate key or one too many. */
int result_add_int(struct pfa_result *r, const char *key, size_t keylen, int64_t v);
int result_add_str(struct pfa_result *r, const char *key, size_t keylen, const uint8_t *v,
		   size_t len);

/* collect.c: the parent's side of the decoder.  While the child lives the
 * collector stages what arrives in memory the child does not share (the
 * arena), so that the parent's writes cause no copy-on-write faults; the
 * result on the heap is written when the stage overflows or at the end. */
#define COLLECT_STAGE (64u * 1024)
struct collector {
	const struct pfa_opts *opts;
	struct pfa_result *res;
	uint64_t total;
	uint64_t field_bytes; /* string and int field values so far */
	long deadline;   /* monotonic ms for writes to opts->splice_fd; 0 none */
	int limit_hit;   /* PFA_ETOOBIG, PFA_EABORT or PFA_ECANCELED: why the data handler stopped */
	int got_end, got_dropfail;
	int32_t cb_code;
	int drop_step, drop_err;
	size_t msglen;
	char msg[FRAME_MSG_MAX];
	size_t nfields;  /* staged or spilled */
	int spilled;     /* the stage overflowed: events now go straight to res */
	size_t used;
	uint8_t stage[COLLECT_STAGE];
};
extern const struct frame_handler collector_handler;
/* n bytes of channel arrived by another way (splice): count them against
 * the limit.  0 or PFA_ETOOBIG (also left in limit_hit). */
int collector_account(struct collector *c, size_t n);
/* Write all of buf to fd, waiting (poll) on a full non-blocking fd until
 * deadline (monotonic ms, 0: none) or until cancel_fd (-1: none) is
 * readable.  0 or -1 (errno set: ETIMEDOUT, ECANCELED, the write's). */
int write_until(int fd, const void *buf, size_t n, long deadline, int cancel_fd);
long now_ms(void);
void collector_init(struct collector *c, const struct pfa_opts *opts, struct pfa_result *res);
/* Move everything staged into c->res.  0 or PFA_ENOMEM. */
int collector_finish(struct collector *c);

/* opts.c */
void opts_defaults(struct pfa_opts *o);

/* runas.c: internal flags for tests. RUN_NO_DROP skips the identity change
 * (the child keeps the host's credentials); only tests use it. */
#define RUN_NO_DROP 0x1u
int run_internal(const struct pfa_identity *id, const struct pfa_opts *opts, pfa_fn fn,
		 void *arg, struct pfa_result **res, unsigned iflags);

#endif
