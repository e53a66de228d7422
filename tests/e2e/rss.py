#!/usr/bin/env python3
"""rss.py REPORT CMD [ARG...] -- run CMD with this process's stdin, stdout
and stderr, and write to REPORT two numbers (KiB) about the pipefork-as
process that CMD becomes (env and setpriv exec it, so the pid stays):

  op_peak    its peak resident set from the moment its operation's child
             became the user (PAM is done then) to its exit;
  life_peak  its peak over its whole life, PAM included (pam_unix's
             yescrypt alone takes about 16 MiB while it hashes).

/proc/PID/status is read every 20 ms.  When the helper first has a child
that is not root, writing 5 to /proc/PID/clear_refs resets its VmHWM, which from then on
only grows: the last reading before it exits holds op_peak.  Needs root
(the helper is setuid).  Exits with CMD's status."""
import os
import sys
import time


def helper_status(pid):
    """VmHWM in KiB, or 0 while pid is not (yet) pipefork-as."""
    try:
        with open(f"/proc/{pid}/comm") as f:
            if f.read().strip() != "pipefork-as":
                return 0
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def has_user_child(pid):
    """Has pid a child none of whose uids is root: the operation's child,
    after PAM (pam_exec's children stay root; so does the effective uid of
    the short-lived process that starts read's relay, before PAM)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = f.read().split()
        for kid in kids:
            with open(f"/proc/{kid}/status") as f:
                for line in f:
                    if line.startswith("Uid:") and "0" not in line.split()[1:]:
                        return True
    except OSError:
        pass
    return False


def main():
    report, argv = sys.argv[1], sys.argv[2:]
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    life = op = 0
    reset = False
    while True:
        wpid, status = os.waitpid(pid, os.WNOHANG)
        if wpid == pid:
            break
        hwm = helper_status(pid)
        life = max(life, hwm)
        if not reset and hwm and has_user_child(pid):
            try:
                with open(f"/proc/{pid}/clear_refs", "w") as f:
                    f.write("5")
                reset = True
            except OSError:
                pass
        elif reset:
            op = max(op, hwm)
        time.sleep(0.02)
    with open(report, "w") as f:
        f.write(f"{op} {life}\n")
    sys.exit(os.waitstatus_to_exitcode(status))


main()
