/*
 * reply.c — see reply.h.
 *
 * MUST: "user" and "uid" come from the parent's own record; the uid is
 * shown only once the user authenticated (an unknown user and a wrong
 * password give the same shape); the members of "result" other than
 * streamed data are rendered only for a successful operation; the log line
 * never holds the password; streamed data goes out through a fixed buffer,
 * so the parent's memory stays flat whatever its size.
 * MUST: a caller that stops reading cannot hold the parent (and the
 * session) past a deadline: output to a pipe or a terminal goes through a
 * private non-blocking description of it, any other output is written
 * under the sigs_alarm_at backstop, and every write is bounded in time.
 * MUST: the final answer is written once the process is the caller again
 * (caller_become_caller), after the attempt was logged.
 */

#define REPLY_GRACE_MS 5000 /* for the final answer, after the operation */
#ifndef FUSE_SUPER_MAGIC
#define FUSE_SUPER_MAGIC 0x65735546 /* linux/magic.h */
#endif
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "answer.h"
#include "reply.h"
#include "sigs.h"

enum status
request_fail(struct request *rq, enum status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rq->error, sizeof(rq->error), fmt, ap);
	va_end(ap);
	rq->status = st;
	return st;
}

/* Stages and messages copied out of the PAM context into arrays of at
 * most HPAM_*_MAX entries each. */
struct pam_view {
	struct answer_stage stages[HPAM_STAGES_MAX];
	struct answer_msg msgs[HPAM_MESSAGES_MAX];
};

/* The code a stage is shown with.  A failed authentication reads
 * PAM_AUTH_ERR to any caller but root: where pam_unix's result is final
 * (no pam_deny after it) an unknown user would read PAM_USER_UNKNOWN and a
 * wrong password PAM_AUTH_ERR; root, testing its stacks, sees the
 * stack's own code (and could list the users anyway). */
static int
shown_code(const struct request *rq, const struct hpam_stage *s)
{
	if (rq->caller.uid != 0 && rq->status == ST_AUTH_FAILED && s->code != PAM_SUCCESS &&
	    strcmp(s->name, "authenticate") == 0)
		return PAM_AUTH_ERR;
	return s->code;
}

static void
fill_answer(const struct request *rq, struct answer *a, struct pam_view *v)
{
	size_t i;

	for (i = 0; i < rq->pam.nstages && i < HPAM_STAGES_MAX; i++) {
		v->stages[i].stage = rq->pam.stages[i].name;
		v->stages[i].code = shown_code(rq, &rq->pam.stages[i]);
		v->stages[i].code_name = hpam_code_name(v->stages[i].code);
	}
	for (i = 0; i < rq->pam.nmessages && i < HPAM_MESSAGES_MAX; i++) {
		v->msgs[i].style = rq->pam.messages[i].style;
		v->msgs[i].text = rq->pam.messages[i].text;
	}
	memset(a, 0, sizeof(*a));
	a->status = rq->status;
	a->user = rq->authenticated && rq->id != NULL ? pfa_identity_name(rq->id) : rq->cli.user;
	a->uid = rq->authenticated && rq->id != NULL ? (long long)pfa_identity_uid(rq->id) : -1;
	a->op = rq->op != NULL ? rq->op->name : NULL;
	a->stages = v->stages;
	a->nstages = rq->pam.nstages < HPAM_STAGES_MAX ? rq->pam.nstages : HPAM_STAGES_MAX;
	a->messages = v->msgs;
	a->nmessages = rq->pam.nmessages < HPAM_MESSAGES_MAX ? rq->pam.nmessages : HPAM_MESSAGES_MAX;
	a->error = rq->status == ST_OK ? NULL : rq->error[0] ? rq->error : status_name(rq->status);
}

/*
 * fd as a private, non-blocking description when it is a pipe or a
 * terminal (the caller's own description is left as it is), so that a
 * write to a caller who stopped reading (or typed ^S) fails at a deadline
 * instead of blocking.  A pipe that cannot be reopened (no reader left:
 * ENXIO) is -EPIPE, never the blocking fd.  Anything else (a socket; a
 * regular file, which reopened would lose its offset; a pty master, which
 * reopened would be a new pty) is returned as it is with *blocking set:
 * its writes run under sigs_alarm_at.  A reopened fd must be the same file.
 * A file on FUSE is refused (-EOPNOTSUPP): its server, which the caller may
 * run, can keep a write waiting past any signal but SIGKILL.
 */
static int
output_fd(int fd, int *blocking)
{
	struct stat st, nst;
	struct statfs fs;
	char path[32];
	int nfd, pipe, ptn;

	*blocking = 1;
	if (fstat(fd, &st) != 0)
		return -errno;
	pipe = S_ISFIFO(st.st_mode);
	if (S_ISREG(st.st_mode) && (fstatfs(fd, &fs) != 0 || fs.f_type == FUSE_SUPER_MAGIC))
		return -EOPNOTSUPP;
	if (!pipe && !(S_ISCHR(st.st_mode) && isatty(fd) && ioctl(fd, TIOCGPTN, &ptn) != 0))
		return fd;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	nfd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (nfd < 0) /* ENXIO: a pipe with no reader; else (EACCES for a pipe
			another user made, once we are the caller): as it is */
		return pipe && errno == ENXIO ? -EPIPE : fd;
	if (fstat(nfd, &nst) == 0 && nst.st_dev == st.st_dev && nst.st_ino == st.st_ino &&
	    nst.st_rdev == st.st_rdev) {
		*blocking = 0;
		return nfd;
	}
	close(nfd);
	return pipe ? -EPIPE : fd;
}

/* answer_write to fd (as output_fd found it) within REPLY_GRACE_MS. */
static int
write_answer(int fd, const struct answer *a)
{
	long deadline = json_now_ms() + REPLY_GRACE_MS;
	int blocking, e, wfd;

	if ((wfd = output_fd(fd, &blocking)) < 0)
		return wfd;
	if (blocking && (e = sigs_alarm_at(deadline)) < 0)
		goto out;
	e = answer_write(wfd, a, deadline);
	sigs_alarm_off();
out:
	/* a private description of a pipe is a writer more: left open, the
	 * relay reading that pipe would never see its end */
	if (wfd != fd)
		(void)close(wfd);
	return e;
}

/* The members of "result" after any streamed data. */
static void
render_members(struct json *j, const struct request *rq)
{
	if (rq->status == ST_OK && rq->res != NULL && rq->op != NULL && rq->op->render != NULL)
		rq->op->render(j, rq->res);
}

static void
render_result(struct json *j, void *ctx)
{
	json_begin_object(j);
	render_members(j, ctx);
	json_end_object(j);
}

int
reply_stream_begin(struct request *rq)
{
	struct pam_view v;
	struct answer a;
	struct reply_stream *s = &rq->stream;
	int e;

	s->active = 1;
	s->deadline = json_now_ms() + rq->timeout * 1000;
	if ((e = output_fd(STDOUT_FILENO, &s->blocking)) < 0)
		return e;
	s->data_fd = e;
	/* disarmed when the run ends (run.c), before the PAM session is closed */
	if (s->blocking && (e = sigs_alarm_at(s->deadline)) < 0)
		return e;
	if (rq->cli.raw)
		return 0;
	fill_answer(rq, &a, &v);
	json_init(&s->j, s->data_fd);
	s->j.deadline = s->deadline;
	if (answer_begin(&s->j, &a) < 0)
		return s->j.error;
	json_begin_object(&s->j);
	s->begun = 1;
	return s->j.error;
}

int
reply_stream_sink(void *ctx, unsigned channel, const void *buf, size_t len)
{
	struct request *rq = ctx;
	struct reply_stream *s = &rq->stream;

	if ((channel != OP_CH_TEXT && channel != OP_CH_BINARY) ||
	    (s->data_open && channel != s->channel))
		return s->failed = -EPROTO;
	if (rq->cli.raw)
		return s->failed = json_write_all(s->data_fd, buf, len, s->deadline);
	if (!s->data_open) {
		json_key(&s->j, "data");
		if (channel == OP_CH_TEXT)
			json_string_begin(&s->j);
		else
			json_base64_begin(&s->j);
		s->data_open = 1;
		s->channel = channel;
	}
	if (channel == OP_CH_TEXT)
		json_string_chunk(&s->j, buf, len);
	else
		json_base64_chunk(&s->j, buf, len);
	return s->failed = s->j.error;
}

/* Finish a document whose head and data were streamed. */
static int
finish_stream(struct request *rq, const struct answer *a)
{
	struct json *j = &rq->stream.j;
	const struct reply_stream *s = &rq->stream;
	int e;

	j->deadline = json_now_ms() + REPLY_GRACE_MS;
	if (s->blocking && sigs_alarm_at(j->deadline) < 0)
		return -EIO;
	if (s->data_open && s->channel == OP_CH_TEXT)
		json_string_end(j);
	else if (s->data_open)
		json_base64_end(j);
	if (s->data_open && s->channel == OP_CH_BINARY) {
		json_key(j, "encoding");
		json_cstring(j, "base64");
	}
	if (!s->data_open && rq->status == ST_OK) {
		json_key(j, "data");
		json_cstring(j, "");
	}
	render_members(j, rq);
	json_end_object(j);
	e = answer_end(j, a);
	sigs_alarm_off();
	return e;
}

int
reply_send(struct request *rq)
{
	struct pam_view v;
	struct answer a;

	log_attempt(rq->caller.name[0] ? rq->caller.name : NULL, rq->cli.user, rq->service,
		    rq->cli.op, status_name(rq->status), rq->status == ST_OK);
	/* The answer is written as the caller (caller.h says why); should the
	 * switch fail, not at all: root never writes to an fd the caller
	 * chose (the attempt is logged already; the exit code becomes
	 * internal_error's). */
	if (caller_become_caller(&rq->caller) != 0) {
		rq->status = ST_INTERNAL_ERROR; /* the exit code says: no answer */
		return -EPERM;
	}
	fill_answer(rq, &a, &v);
	if (rq->stream.begun)
		return finish_stream(rq, &a);
	a.result = render_result;
	a.result_ctx = (void *)rq;
	return write_answer(rq->cli.raw ? STDERR_FILENO : STDOUT_FILENO, &a);
}
