/*
 * reply.h — step 8: turn the request's final state into the one JSON
 * answer (answer.h) and the one syslog line.
 */
#ifndef PFA_HELPER_REPLY_H
#define PFA_HELPER_REPLY_H

#include "request.h"

/* Log the attempt and write the answer: on stdout, or on stderr with --raw;
 * for a streaming operation whose head was already written, its end.  0 or
 * a negative errno (the caller closed the output): the exit code does not
 * change for that. */
int reply_send(struct request *rq);

/* Streaming operations (op->streams): before the run, write the document's
 * head and open "result" on stdout (nothing with --raw).  0 or -errno. */
int reply_stream_begin(struct request *rq);

/* The pfa_sink_fn of a streaming run (ctx is the request): text or base64
 * into the open document, or the bytes themselves on stdout with --raw.
 * Non-zero (the output failed, or the child used another channel or
 * switched channels) stops the run; rq->stream.failed says why. */
int reply_stream_sink(void *ctx, unsigned channel, const void *buf, size_t len);

#endif
