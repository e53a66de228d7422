/*
 * child.h — what runs between fork and _exit in the child.
 */
#ifndef PFA_CHILD_H
#define PFA_CHILD_H

#include "drop.h"
#include "internal.h"

struct child_spec {
	int wfd;                      /* write end of the result pipe */
	const int *stdio;             /* three fds, -1 = /dev/null */
	const struct drop_plan *plan; /* NULL: keep the host's credentials (tests) */
	int new_keyring;              /* join a new session keyring (with a plan) */
	struct pfa_out *out;          /* allocated by the parent */
	pfa_fn fn;
	void *arg;
};

/* Child only, entered with every signal blocked.  Never returns. */
__attribute__((noreturn)) void child_main(const struct child_spec *s);

/* Exit status of a child whose set-up or drop failed (after DROPFAIL). */
#define CHILD_SETUP_FAILED 126

#endif
