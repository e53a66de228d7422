#!/usr/bin/env python3
"""inherit.py ARMS PROG [ARG...] -- exec PROG with kernel state a caller
can leave in a setuid program (tests/hostile/start.sh), then report nothing
itself.  ARMS is a comma list of:
  alarm=S    ITIMER_REAL armed to fire in S seconds
  cpu=S      ITIMER_VIRTUAL and ITIMER_PROF armed to fire after S seconds
             of CPU time
  oom        oom_score_adj raised to 1000
  key=DESC   a new session keyring joined, holding a "user" key DESC whose
             payload is DESC too
Without the helper's reset the timers end it (SIGALRM's default action) at
the moment the caller chose, the OOM killer picks it first, and the
operation possesses the caller's keys.
"""
import ctypes
import os
import signal
import sys

SYS_ADD_KEY, SYS_KEYCTL = 248, 250  # x86_64
KEYCTL_JOIN_SESSION_KEYRING = 1
KEY_SPEC_SESSION_KEYRING = -3


def main():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    for arm in sys.argv[1].split(","):
        name, _, val = arm.partition("=")
        if name == "alarm":
            signal.setitimer(signal.ITIMER_REAL, float(val))
        elif name == "cpu":
            signal.setitimer(signal.ITIMER_VIRTUAL, float(val))
            signal.setitimer(signal.ITIMER_PROF, float(val))
        elif name == "oom":
            with open("/proc/self/oom_score_adj", "w") as f:
                f.write("1000\n")
        elif name == "key":
            if libc.syscall(SYS_KEYCTL, KEYCTL_JOIN_SESSION_KEYRING, None) < 0:
                sys.exit("inherit.py: keyctl join: %s" % os.strerror(ctypes.get_errno()))
            d = val.encode()
            if libc.syscall(SYS_ADD_KEY, b"user", d, d, len(d), KEY_SPEC_SESSION_KEYRING) < 0:
                sys.exit("inherit.py: add_key: %s" % os.strerror(ctypes.get_errno()))
        elif arm:
            sys.exit("inherit.py: unknown %r" % arm)
    os.execvp(sys.argv[2], sys.argv[2:])


main()
