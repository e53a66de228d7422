#!/usr/bin/env python3
"""outdrive.py MODE PWFILE HELPER ARG... — run as the caller: start the
helper with stdin from PWFILE and its stdout set up by MODE, so that the
root helper's writes would block; print "rc=N ms=N" (rc -N: killed by
signal N) and, for the modes that can, the bytes the helper wrote.

  socket   stdout is a full AF_UNIX stream socket nobody reads
  tty      stdout is a pty slave whose output is stopped (^S, TCOOFF)
  fifo     stdout is a FIFO's write end whose reader is gone; a reader
           comes back once the helper runs and never reads
  late     stdout is a pipe enlarged to 1 MiB, read only after the helper
           has ended: the driver then creates $LATE_DONE and waits for
           $LATE_GO (root changes the file in between)
"""
import fcntl
import os
import socket
import subprocess
import sys
import termios
import time

F_SETPIPE_SZ = 1031


def spawn(args, pwfile, out_fd):
    with open(pwfile, "rb") as pw:
        return subprocess.Popen(args, stdin=pw, stdout=out_fd,
                                stderr=subprocess.DEVNULL, close_fds=True)


def wait(p, t0):
    rc = p.wait(timeout=120)
    print("rc=%d ms=%d" % (rc, (time.monotonic() - t0) * 1000), flush=True)


def main():
    mode, pwfile, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    t0 = time.monotonic()
    keep = []
    if mode == "socket":
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        a.setblocking(False)
        try:
            while True:
                a.send(b"x" * 65536)
        except BlockingIOError:
            pass
        a.setblocking(True)
        keep = [b]
        p = spawn(args, pwfile, a.fileno())
        a.close()
        wait(p, t0)
    elif mode == "tty":
        m, s = os.openpty()
        termios.tcflow(s, termios.TCOOFF)
        p = spawn(args, pwfile, s)
        os.close(s)
        keep = [m]
        wait(p, t0)
    elif mode == "fifo":
        path = os.environ["FIFO"]
        rw = os.open(path, os.O_RDWR)
        w = os.open("/proc/self/fd/%d" % rw, os.O_WRONLY)
        os.close(rw)  # w is now a write end without a reader
        p = spawn(args, pwfile, w)
        os.close(w)
        time.sleep(1.0)
        keep = [os.open(path, os.O_RDONLY | os.O_NONBLOCK)]  # never read
        wait(p, t0)
    elif mode == "late":
        r, w = os.pipe()
        fcntl.fcntl(w, F_SETPIPE_SZ, 1 << 20)
        p = spawn(args, pwfile, w)
        os.close(w)
        wait(p, t0)
        open(os.environ["LATE_DONE"], "w").close()
        for _ in range(600):
            if os.path.exists(os.environ["LATE_GO"]):
                break
            time.sleep(0.05)
        data = b""
        while True:
            chunk = os.read(r, 1 << 16)
            if not chunk:
                break
            data += chunk
        sys.stdout.write("bytes=%d old=%d new=%d\n" % (
            len(data), data.count(b"O"), data.count(b"N")))
    else:
        sys.exit("outdrive: unknown mode " + mode)
    del keep


main()
