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

/* The backstop for a write that cannot be made non-blocking (a socket, a
 * terminal that could not be reopened, a file on a FUSE or network file
 * system): from deadline_ms (json_now_ms()'s clock) on, SIGALRM every
 * 100 ms, caught without SA_RESTART, so that a blocked write returns EINTR
 * (or a short count) and the writer, seeing its deadline passed, gives up.
 * sigs_alarm_off disarms it; arm it only around such writes (PAM modules
 * must never see it).  0 or -errno. */
int sigs_alarm_at(long deadline_ms);
void sigs_alarm_off(void);

#endif
