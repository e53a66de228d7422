/*
 * sigs.h — the caller's signals while a request is in flight.
 * SIGTERM, SIGINT, SIGHUP and SIGQUIT are caught: the request ends cleanly
 * (the run is cancelled through a self-pipe, the PAM session closed, the
 * answer written).  SIGTSTP, SIGTTIN and SIGTTOU are ignored: a terminal
 * must not stop a process that holds a session.  (SIGKILL and SIGSTOP cannot
 * be caught; once the real uid is root the caller cannot send them.)
 */
#ifndef PFA_HELPER_SIGS_H
#define PFA_HELPER_SIGS_H

/* Create the self-pipe and install the handlers.  0 or -errno. */
int sigs_install(void);
/* The read end of the self-pipe (for pfa_opts_set_cancel_fd), or -1. */
int sigs_cancel_fd(void);
/* The first signal caught, or 0. */
int sigs_caught(void);

#endif
