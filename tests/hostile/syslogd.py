#!/usr/bin/env python3
"""syslogd.py SOCKET SYSLOG PAMLOG TAG -- a private /dev/log for one hostile test.

Binds an AF_UNIX datagram socket at SOCKET (mode 0666) and writes each
datagram it receives to one of two files, flushed at once:
  - a datagram holding "TAG: " (the PAM session logger of the tests) goes to
    PAMLOG as the text after it, one line;
  - any other datagram (the helper's syslog(3) line) goes to SYSLOG as one
    JSON string per line, byte for byte (latin-1), so that a newline or an
    escape sequence the helper failed to escape stays visible and countable.
Creates SOCKET.ready once bound.  Runs until killed.
"""
import json
import os
import socket
import sys


def main():
    sock_path, syslog_path, pamlog_path, tag = sys.argv[1:5]
    marker = (tag + ": ").encode()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if os.path.lexists(sock_path):
        os.unlink(sock_path)
    s.bind(sock_path)
    os.chmod(sock_path, 0o666)
    with open(sock_path + ".ready", "w"):
        pass
    with open(syslog_path, "a") as sl, open(pamlog_path, "a") as pl:
        while True:
            data = s.recv(1 << 20)
            i = data.find(marker)
            if i >= 0:
                text = data[i + len(marker):].decode("latin-1").rstrip("\n")
                pl.write(text + "\n")
                pl.flush()
            else:
                sl.write(json.dumps(data.decode("latin-1")) + "\n")
                sl.flush()


if __name__ == "__main__":
    main()
