#!/usr/bin/env python3
"""webmail.py -- a small webmail-style backend on top of pipefork-as.

It runs as an unprivileged web user (a member of the group "pipefork") and
never touches a user's files itself: it logs the user in with the helper
(`auth`), and every later request lists, reads or moves messages in the
user's ~/Maildir with a helper call that runs as that user, so the kernel
enforces the user's permissions.

    python3 webmail.py --helper /usr/local/bin/pipefork-as [--port 8025]

Pages (on 127.0.0.1 only):
    GET  /                   the login form
    POST /login              user, password -> session cookie, then /mail
    GET  /mail               the messages in new/ and cur/ (?format=json too)
    GET  /msg?id=ID          one message, as text in a page
    GET  /raw?id=ID          one message, its exact bytes
    POST /seen               id, csrf: mark read (new/X -> cur/X:2,S)
    POST /logout             csrf

The password goes to the helper on its stdin, never in argv or the
environment.  The helper authenticates each call, so the password stays in
this process's memory for the session (15 minutes idle at most), as an IMAP
webmail keeps the IMAP password; it is never logged or sent back.  A
message ID is the folder and the base64url of the file's name, so any name
(spaces, ':', bytes that are not UTF-8) works, and a name is checked before
it is used: no '/', not '.' or '..'.  Python 3 standard library only.
"""
import argparse
import base64
import binascii
import html
import http.server
import json
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse

SESSION_IDLE = 15 * 60
FOLDERS = ("new", "cur")
MAX_FORM = 4096


class HelperError(Exception):
    """The helper answered, but not "ok": status and error from its JSON."""

    def __init__(self, status, error):
        super().__init__(f"{status}: {error}")
        self.status = status
        self.error = error


class Helper:
    """Runs pipefork-as as the logged-in user."""

    def __init__(self, path, timeout=30):
        self.path = path
        self.timeout = timeout

    def call(self, user, password, op, *args, data=b""):
        """The answer's "result" for op; HelperError when it is not ok."""
        argv = [self.path, "--user", user, op, *args]
        stdin = password.encode() + b"\n" + data
        try:
            p = subprocess.run(argv, input=stdin, capture_output=True,
                               timeout=self.timeout, env={}, check=False)
            answer = json.loads(p.stdout)
        except (OSError, ValueError, subprocess.TimeoutExpired) as e:
            raise HelperError("internal_error", str(e)) from None
        if answer.get("status") != "ok":
            raise HelperError(answer.get("status"), answer.get("error"))
        return answer["result"]


def name_bytes(entry):
    """The bytes of a name from a list entry (text, or base64 when flagged)."""
    if entry.get("name_encoding") == "base64":
        return base64.b64decode(entry["name"])
    return entry["name"].encode()


def make_id(folder, name):
    return folder + ":" + base64.urlsafe_b64encode(name).decode()


def parse_id(msg_id):
    """(folder, name bytes) of a message ID, or None when it is not valid."""
    folder, _, b64 = (msg_id or "").partition(":")
    try:
        name = base64.urlsafe_b64decode(b64.encode())
    except (binascii.Error, ValueError):
        return None
    if folder not in FOLDERS or not name or b"/" in name or b"\0" in name:
        return None
    if name in (b".", b".."):
        return None
    return folder, name


def seen_name(folder, name):
    """The name of a message once seen: the Maildir info ":2,<flags>" with S."""
    base, sep, flags = name.partition(b":2,")
    if folder == "new" or not sep:
        flags = b""
    return base + b":2," + bytes(sorted(set(flags) | {ord("S")}))


def show_name(name):
    return html.escape(name.decode("utf-8", "replace"))


class Sessions:
    """Session ID -> user, password, CSRF token; in memory only."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = {}

    def new(self, user, password):
        sid = secrets.token_urlsafe(32)
        with self.lock:
            self.items[sid] = {"user": user, "password": password,
                               "csrf": secrets.token_urlsafe(32),
                               "seen": time.monotonic()}
        return sid

    def get(self, sid):
        now = time.monotonic()
        with self.lock:
            s = self.items.get(sid or "")
            if s is None or now - s["seen"] > SESSION_IDLE:
                self.items.pop(sid or "", None)
                return None
            s["seen"] = now
            return s

    def drop(self, sid):
        with self.lock:
            self.items.pop(sid or "", None)


PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>webmail</title></head><body>{body}</body></html>"""

LOGIN = """<h1>Log in</h1>{msg}<form method="post" action="/login">
<p><label>User <input name="user" autocomplete="username"></label></p>
<p><label>Password <input name="password" type="password"
autocomplete="current-password"></label></p>
<p><button>Log in</button></p></form>"""


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "webmail-example"

    # ---- plumbing ------------------------------------------------------
    def send(self, code, body, ctype="text/html; charset=utf-8", headers=()):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", "default-src 'none'")
        self.send_header("Cache-Control", "no-store")
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def page(self, code, body, headers=()):
        self.send(code, PAGE.format(body=body), headers=headers)

    def redirect(self, where, headers=()):
        self.send(303, b"", "text/plain", [("Location", where), *headers])

    def session(self):
        for part in self.headers.get("Cookie", "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == "sid":
                return v, self.server.sessions.get(v)
        return None, None

    def form(self):
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        if n < 0 or n > MAX_FORM:
            return None
        raw = self.rfile.read(n).decode("utf-8", "replace")
        return {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}

    def query(self):
        q = urllib.parse.urlsplit(self.path).query
        return {k: v[0] for k, v in urllib.parse.parse_qs(q).items()}

    def call(self, s, op, *args):
        return self.server.helper.call(s["user"], s["password"], op, *args)

    def failed(self, sid, e):
        """A helper call failed: a changed password ends the session."""
        if e.status in ("auth_failed", "account_expired", "password_expired",
                        "account_locked"):
            self.server.sessions.drop(sid)
            return self.redirect("/")
        code = 404 if "ENOENT" in (e.error or "") else 403
        return self.page(code, "<p>Failed: %s</p>" % html.escape(str(e)))

    # ---- pages ---------------------------------------------------------
    def do_GET(self):
        route = urllib.parse.urlsplit(self.path).path
        sid, s = self.session()
        if route == "/":
            return self.redirect("/mail") if s else self.page(200, LOGIN.format(msg=""))
        if s is None:
            return self.redirect("/")
        try:
            if route == "/mail":
                return self.mail(s)
            if route in ("/msg", "/raw"):
                return self.message(s, route == "/raw")
        except HelperError as e:
            return self.failed(sid, e)
        return self.page(404, "<p>Not found</p>")

    def do_POST(self):
        route = urllib.parse.urlsplit(self.path).path
        f = self.form()
        if f is None:
            return self.page(413, "<p>Too large</p>")
        if route == "/login":
            return self.login(f)
        sid, s = self.session()
        if s is None:
            return self.redirect("/")
        if not secrets.compare_digest(f.get("csrf", ""), s["csrf"]):
            return self.page(403, "<p>Bad form token</p>")
        if route == "/logout":
            self.server.sessions.drop(sid)
            return self.redirect("/", [("Set-Cookie", "sid=; Max-Age=0; Path=/")])
        if route == "/seen":
            try:
                return self.seen(s, f.get("id"))
            except HelperError as e:
                return self.failed(sid, e)
        return self.page(404, "<p>Not found</p>")

    def login(self, f):
        user, password = f.get("user", ""), f.get("password", "")
        if not user or not password or "\n" in password or "\0" in password:
            return self.page(400, LOGIN.format(msg="<p>User and password, please.</p>"))
        try:
            self.server.helper.call(user, password, "auth")
        except HelperError as e:
            msg = "<p>Login failed (%s).</p>" % html.escape(str(e.status))
            return self.page(403, LOGIN.format(msg=msg))
        sid = self.server.sessions.new(user, password)
        cookie = "sid=%s; HttpOnly; SameSite=Strict; Path=/" % sid
        return self.redirect("/mail", [("Set-Cookie", cookie)])

    def messages(self, s):
        out = []
        for folder in FOLDERS:
            for e in self.call(s, "list", "Maildir/" + folder)["entries"]:
                if e["type"] != "file":
                    continue
                name = name_bytes(e)
                flags = name.partition(b":2,")[2].decode("ascii", "replace")
                out.append({"id": make_id(folder, name), "folder": folder,
                            "name": name.decode("utf-8", "replace"),
                            "size": e["size"], "mtime": e["mtime"],
                            "flags": flags})
        return out

    def mail(self, s):
        msgs = self.messages(s)
        if self.query().get("format") == "json":
            body = json.dumps({"user": s["user"], "csrf": s["csrf"], "messages": msgs})
            return self.send(200, body, "application/json")
        rows = []
        for m in msgs:
            q = urllib.parse.quote(m["id"])
            seen = "" if "S" in m["flags"] else (
                '<form method="post" action="/seen"><input type="hidden" name="id" '
                'value="%s"><input type="hidden" name="csrf" value="%s">'
                '<button>Mark read</button></form>' % (html.escape(m["id"]), s["csrf"]))
            rows.append('<tr><td>%s</td><td><a href="/msg?id=%s">%s</a></td>'
                        '<td>%d</td><td>%s</td><td>%s</td></tr>' % (
                            m["folder"], q, html.escape(m["name"]), m["size"],
                            html.escape(m["flags"]), seen))
        body = ("<h1>Mail of %s</h1><table><tr><th>Folder</th><th>Message</th>"
                "<th>Size</th><th>Flags</th><th></th></tr>%s</table>"
                '<form method="post" action="/logout"><input type="hidden" '
                'name="csrf" value="%s"><button>Log out</button></form>') % (
                    html.escape(s["user"]), "".join(rows), s["csrf"])
        return self.page(200, body)

    def message(self, s, raw):
        parsed = parse_id(self.query().get("id"))
        if parsed is None:
            return self.page(400, "<p>Bad message id</p>")
        folder, name = parsed
        r = self.call(s, "read", b"Maildir/" + folder.encode() + b"/" + name)
        data = r["data"].encode() if r.get("encoding") != "base64" else base64.b64decode(r["data"])
        if raw:
            return self.send(200, data, "application/octet-stream")
        return self.page(200, "<h1>%s</h1><pre>%s</pre>" % (
            show_name(name), html.escape(data.decode("utf-8", "replace"))))

    def seen(self, s, msg_id):
        parsed = parse_id(msg_id)
        if parsed is None:
            return self.page(400, "<p>Bad message id</p>")
        folder, name = parsed
        to = seen_name(folder, name)
        if folder != "cur" or to != name:
            self.call(s, "rename", b"Maildir/" + folder.encode() + b"/" + name,
                      b"Maildir/cur/" + to)
        return self.redirect("/mail")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--helper", default="/usr/local/bin/pipefork-as")
    ap.add_argument("--port", type=int, default=8025, help="0: any free port")
    ap.add_argument("--port-file", help="write the port here once listening")
    a = ap.parse_args()
    srv = Server(("127.0.0.1", a.port), Handler)
    srv.helper = Helper(a.helper)
    srv.sessions = Sessions()
    port = srv.server_address[1]
    if a.port_file:
        with open(a.port_file, "w") as f:
            f.write("%d\n" % port)
    print("webmail on http://127.0.0.1:%d/" % port, file=sys.stderr, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
