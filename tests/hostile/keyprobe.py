#!/usr/bin/env python3
"""keyprobe.py DESC -- run as the operation (tests/hostile/start.sh): print
"oom_score_adj N", then "key found" when a "user" key DESC is reachable
from this process's keyrings (KEYCTL_SEARCH of the session keyring), else
"key not found: ERRNO-NAME", then "session keyring owner UID"."""
import ctypes
import errno
import sys

SYS_KEYCTL = 250  # x86_64
KEYCTL_DESCRIBE = 6
KEYCTL_SEARCH = 10
KEY_SPEC_SESSION_KEYRING = -3

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
with open("/proc/self/oom_score_adj") as f:
    print("oom_score_adj", f.read().strip())
r = libc.syscall(SYS_KEYCTL, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, b"user",
                 sys.argv[1].encode(), 0)
if r >= 0:
    print("key found")
else:
    print("key not found:", errno.errorcode.get(ctypes.get_errno(), "?"))
buf = ctypes.create_string_buffer(256)
n = libc.syscall(SYS_KEYCTL, KEYCTL_DESCRIBE, KEY_SPEC_SESSION_KEYRING, buf, 256)
print("session keyring owner", buf.value.decode().split(";")[1] if n > 0 else "?")
