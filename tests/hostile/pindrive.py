#!/usr/bin/env python3
"""pindrive.py MAPFILE SERVERPID DIR HELPER ARG... -- for tests/hostile/outputs.sh,
run as the caller.  Pins the pipe that will be the helper's stdout in the
kernel: a thread of this process writes to it from a mapping of MAPFILE, a
file on the caller's own FUSE mount whose server (SERVERPID) this process
has stopped, so the write waits in the page fault holding the pipe's lock,
where no signal reaches.  Starts HELPER ARG... with DIR/pw on stdin and the
pinned pipe as stdout, writes its pid to DIR/pid, waits for DIR/release (at
most 60 s), lets the server go on, reads the pipe to EOF and writes what
the helper wrote (after the thread's own 64 KiB) to DIR/answer and
"rc=N" to DIR/rc."""
import mmap, os, signal, subprocess, sys, threading, time

mapfile, server, d, helper = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
PIN = 65536
r, w = os.pipe()
with open(mapfile, "rb") as f:
    m = mmap.mmap(f.fileno(), PIN, prot=mmap.PROT_READ)  # not a page touched yet
os.kill(server, signal.SIGSTOP)
threading.Thread(target=lambda: os.write(w, memoryview(m)[:PIN]), daemon=True).start()
time.sleep(0.5)  # the thread is in the fault, the pipe's lock held
with open(os.path.join(d, "pw"), "rb") as pw:
    p = subprocess.Popen(helper, stdin=pw, stdout=w, stderr=subprocess.DEVNULL)
with open(os.path.join(d, "pid"), "w") as f:
    f.write("%d\n" % p.pid)
t0 = time.time()
while not os.path.exists(os.path.join(d, "release")) and time.time() - t0 < 60:
    time.sleep(0.1)
os.kill(server, signal.SIGCONT)
got = []
reader = threading.Thread(target=lambda: got.append(b"".join(iter(lambda: os.read(r, 1 << 16), b""))))
reader.start()
rc = p.wait()
os.close(w)
reader.join(30)
with open(os.path.join(d, "answer"), "wb") as f:
    f.write(got[0][PIN:] if got else b"")
with open(os.path.join(d, "rc"), "w") as f:
    f.write("rc=%d\n" % rc)
