#!/usr/bin/env python3
"""lagdrive.py DIR HELPER ARG... -- for tests/hostile/pages.sh, run as the
caller.  Starts HELPER ARG... with DIR/pw on stdin and a pipe as stdout
that it does not read until DIR/go exists (at most 60 s), so that the
helper's pipes fill up; writes the helper's pid to DIR/pid; then reads the
pipe to EOF and writes what arrived to DIR/answer and "rc=N" to DIR/rc."""
import os
import subprocess
import sys
import time

d, helper = sys.argv[1], sys.argv[2:]
with open(os.path.join(d, "pw"), "rb") as pw:
    p = subprocess.Popen(helper, stdin=pw, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
with open(os.path.join(d, "pid"), "w") as f:
    f.write("%d\n" % p.pid)
t0 = time.time()
while not os.path.exists(os.path.join(d, "go")) and time.time() - t0 < 60:
    time.sleep(0.1)
out = p.stdout.read()
rc = p.wait()
with open(os.path.join(d, "answer"), "wb") as f:
    f.write(out)
with open(os.path.join(d, "rc"), "w") as f:
    f.write("rc=%d\n" % rc)
