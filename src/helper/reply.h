/*
 * reply.h — step 8: turn the request's final state into the one JSON
 * answer (answer.h) and the one syslog line.
 */
#ifndef PFA_HELPER_REPLY_H
#define PFA_HELPER_REPLY_H

#include "request.h"

/* Log the attempt and write the answer on fd.  0 or a negative errno
 * (the caller closed stdout): the exit code does not change for that. */
int reply_send(const struct request *rq, int fd);

#endif
