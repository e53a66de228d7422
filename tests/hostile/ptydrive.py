#!/usr/bin/env python3
"""ptydrive.py [ACTION...] -- CMD [ARG...] -- run CMD on a new pseudo-terminal.

CMD is the leader of a new session whose controlling terminal is the pty
(as at a login), so what the terminal sends (^C, ^\\, ^Z, a hangup) comes
from the kernel, not from a process that needs permission to signal it.
Actions, in order:
  expect:TEXT    wait (at most 20 s) until CMD's output holds TEXT
  send:TEXT      type TEXT (Python escapes: \\n, \\x03 for ^C, \\x1c for ^\\)
  sleep:SECONDS  wait
  hangup         close the master side: the kernel sends SIGHUP
Then wait (at most 60 s) for CMD to end.  Prints CMD's output without \\r
and exits with CMD's exit code, 128 + the signal that ended it, or 124 when
it did not end (it is then killed).
"""
import os
import pty
import select
import signal
import sys
import time


def read_some(fd, out, timeout):
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return True
    try:
        data = os.read(fd, 65536)
    except OSError:
        return False
    out.extend(data)
    return bool(data)


def drive(fd, actions, out):
    for act in actions:
        kind, _, arg = act.partition(":")
        if kind == "expect":
            end = time.monotonic() + 20
            while arg.encode() not in out and time.monotonic() < end:
                if not read_some(fd, out, 0.1):
                    break
        elif kind == "send":
            os.write(fd, arg.encode().decode("unicode_escape").encode("latin-1"))
        elif kind == "sleep":
            end = time.monotonic() + float(arg)
            while time.monotonic() < end:
                read_some(fd, out, 0.05)
        elif kind == "hangup":
            os.close(fd)
            return None
    return fd


def finish(pid, fd, out):
    end = time.monotonic() + 60
    while time.monotonic() < end:
        if fd is not None and not read_some(fd, out, 0.1):
            fd = None
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            if fd is not None:
                while read_some(fd, out, 0.1):
                    pass
            return os.waitstatus_to_exitcode(status)
        if fd is None:
            time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


def main():
    args = sys.argv[1:]
    cut = args.index("--")
    actions, cmd = args[:cut], args[cut + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    out = bytearray()
    code = finish(pid, drive(fd, actions, out), out)
    sys.stdout.write(out.decode("utf-8", "replace").replace("\r", ""))
    sys.exit(124 if code is None else 128 - code if code < 0 else code)


if __name__ == "__main__":
    main()
