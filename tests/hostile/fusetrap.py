#!/usr/bin/env python3
"""fusetrap.py -- for tests/hostile/pages.sh, run as the target.

  fusetrap.py serve MOUNTPOINT SIZE MODEFILE READYFILE
      Mounts, through fusermount (the user's own mount, no allow_other), a
      file system of one file "f" of SIZE bytes of 'a', spoken in the raw
      FUSE protocol, and serves it as MODEFILE says:
        serve    READs are answered
        trap     READs are held unanswered: the pages they cover stay locked
        release  the held READs are answered, then as serve
        eio2     the file is opened for direct I/O (no page cache) and the
                 second READ at offset 0 on, that is a second pass over the
                 file, fails with EIO
      A WRITE always fails with EIO, which leaves the pages written not
      uptodate: whoever reads such a page must lock it and read it again.
      Writes its pid to READYFILE once mounted; ends when unmounted.

  fusetrap.py arm FILE SIZE
      Makes every page of FILE stale (writes the server fails), then locks
      every page (reads of 128 KiB, each in a thread of its own, which the
      server holds in trap mode).  Sleeps until killed.
"""
import errno
import os
import select
import socket
import struct
import subprocess
import sys
import threading
import time

FUSE_LOOKUP, FUSE_FORGET, FUSE_GETATTR, FUSE_SETATTR = 1, 2, 3, 4
FUSE_OPEN, FUSE_READ, FUSE_WRITE, FUSE_STATFS, FUSE_RELEASE = 14, 15, 16, 17, 18
FUSE_FLUSH, FUSE_INIT, FUSE_OPENDIR, FUSE_RELEASEDIR = 25, 26, 27, 29
FUSE_INTERRUPT, FUSE_BATCH_FORGET = 36, 42
FOPEN_DIRECT_IO, FOPEN_KEEP_CACHE = 1, 2


def mount(mnt):
    """The user's own mount: fusermount passes the /dev/fuse fd back."""
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    env = dict(os.environ, _FUSE_COMMFD=str(b.fileno()))
    subprocess.run(["fusermount", "-o", "rw,nosuid,nodev,fsname=pfatrap", mnt],
                   env=env, pass_fds=[b.fileno()], check=True)
    _, anc, _, _ = a.recvmsg(1, socket.CMSG_LEN(4))
    return struct.unpack("i", anc[0][2][:4])[0]


def serve(mnt, size, modefile, ready):
    uid, gid = os.getuid(), os.getgid()
    fd = mount(mnt)
    with open(ready, "w") as f:
        f.write("%d\n" % os.getpid())

    def attr(ino):  # struct fuse_attr
        if ino == 1:
            return struct.pack("<6Q10I", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0o40755, 2, uid, gid, 0, 4096, 0)
        return struct.pack("<6Q10I", 2, size, (size + 511) // 512, 0, 0, 0, 0, 0, 0,
                           0o100644, 1, uid, gid, 0, 4096, 0)

    def reply(unique, err=0, data=b""):
        os.write(fd, struct.pack("<IiQ", 16 + len(data), -err, unique) + data)

    def mode():
        try:
            with open(modefile) as f:
                return f.read().strip()
        except OSError:
            return "serve"

    held = []
    starts = 0  # READs at offset 0 so far (eio2)
    while True:
        m = mode()
        if m == "release":
            for unique, off, n in held:
                reply(unique, 0, b"a" * max(0, min(n, size - off)))
            held = []
        if not select.select([fd], [], [], 0.2)[0]:
            continue  # look at MODEFILE again
        try:
            buf = os.read(fd, 1 << 21)
        except OSError as e:
            if e.errno in (errno.EINTR, errno.ENOENT, errno.EAGAIN):
                continue
            return  # ENODEV: unmounted
        _, op, unique, node = struct.unpack_from("<IIQQ", buf)
        body = buf[40:]
        if op == FUSE_INIT:  # struct fuse_init_out, protocol 7.31, no flags
            _, _, readahead = struct.unpack_from("<III", body)
            reply(unique, 0, struct.pack("<4I2H2I2H2I", 7, 31, readahead, 0, 16, 12,
                                         131072, 1, 32, 0, 0, 0) + bytes(24))
        elif op == FUSE_LOOKUP:
            if node == 1 and body.split(b"\0")[0] == b"f":
                reply(unique, 0, struct.pack("<4Q2I", 2, 0, 3600, 3600, 0, 0) + attr(2))
            else:
                reply(unique, errno.ENOENT)
        elif op in (FUSE_GETATTR, FUSE_SETATTR):
            reply(unique, 0, struct.pack("<Q2I", 3600, 0, 0) + attr(node))
        elif op in (FUSE_OPEN, FUSE_OPENDIR):
            flags = FOPEN_DIRECT_IO if m == "eio2" and op == FUSE_OPEN else FOPEN_KEEP_CACHE
            reply(unique, 0, struct.pack("<Q2I", 1, flags, 0))
        elif op == FUSE_READ:
            _, off, n = struct.unpack_from("<QQI", body)
            starts += off == 0
            if m == "eio2" and starts >= 2:
                reply(unique, errno.EIO)
            elif m == "trap":
                held.append((unique, off, n))
            else:
                reply(unique, 0, b"a" * max(0, min(n, size - off)))
        elif op == FUSE_WRITE:
            reply(unique, errno.EIO)
        elif op in (FUSE_FLUSH, FUSE_RELEASE, FUSE_RELEASEDIR):
            reply(unique)
        elif op == FUSE_STATFS:
            reply(unique, 0, bytes(80))
        elif op in (FUSE_FORGET, FUSE_BATCH_FORGET, FUSE_INTERRUPT):
            continue  # no reply
        else:
            reply(unique, errno.ENOSYS)


def arm(path, size):
    chunk = 131072  # the max_write and max_pages (32) of INIT: one request each
    w = os.open(path, os.O_WRONLY)
    for off in range(0, size, chunk):
        try:
            os.pwrite(w, b"b" * chunk, off)
        except OSError:
            pass
    r = os.open(path, os.O_RDONLY)
    os.posix_fadvise(r, 0, 0, os.POSIX_FADV_RANDOM)  # no readahead: one READ per chunk

    def lock(off):
        try:
            os.pread(r, chunk, off)
        except OSError:
            pass
    for off in range(0, size, chunk):
        threading.Thread(target=lock, args=(off,), daemon=True).start()
    print("armed", flush=True)
    time.sleep(3600)


if sys.argv[1] == "serve":
    serve(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])
else:
    arm(sys.argv[2], int(sys.argv[3]))
