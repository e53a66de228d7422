#!/bin/bash
# The real Dovecot 2.3 (dovecot-imapd) with passdb and userdb checkpassword
# pointing at the setuid helper: a private instance on 127.0.0.1, an IMAP
# client logging in and reading INBOX from the user's Maildir; userdb
# lookups through doveadm; a wrong password, an unknown user and root fail;
# an auth process without the caller group fails as a temporary failure.
# Dovecot's per-IP auth penalty grows with each failure, so successes come
# first and the server is restarted between the failing groups.
. "$PFA_SRCDIR/tests/e2e/lib.sh"
. "$PFA_SRCDIR/tests/e2e/compat_lib.sh"
if ! command -v dovecot >/dev/null; then
	echo "1..0 # SKIP dovecot is not installed (dovecot-imapd)"
	exit 77
fi
set_root_password

D=$P/dovecot
PORT=$(free_port)
mkdir -p "$D"
# A sanitizer build's helper reserves terabytes of address space for ASan's
# shadow: lift the auth service's address-space limit (256 MiB by default)
# there, and only there.
AUTH_VSZ=
[ -n "${ASAN_OPTIONS:-}" ] && AUTH_VSZ="vsz_limit = 0"
# dovecot_conf EXTRA_GROUPS: the private configuration (docs/integration-dovecot.md).
dovecot_conf() {
	cat >"$D/dovecot.conf" <<EOF
protocols = imap
listen = 127.0.0.1
base_dir = $D/run
state_dir = $D/state
log_path = $D/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
default_internal_user = dovecot
default_login_user = dovenull
auth_verbose = yes
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service auth {
  extra_groups = $1
  $AUTH_VSZ
}
passdb {
  driver = checkpassword
  args = $H --checkpassword
}
userdb {
  driver = checkpassword
  args = $H --checkpassword
}
EOF
}
dv_start() {
	dovecot -c "$D/dovecot.conf" && wait_port "$PORT"
}
dv_stop() {
	stop_pid "$D/run/master.pid"
}
# imap U PW: log in, open INBOX read-only; prints "OK <messages> <subject>"
# or "NO <error>".
cat >"$P/imap.py" <<'EOF'
import imaplib, sys
m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
try:
    m.login(sys.argv[2], sys.argv[3])
except imaplib.IMAP4.error as e:
    print("NO", e)
    sys.exit(1)
typ, d = m.select("INBOX", readonly=True)
n = int(d[0])
subject = ""
if n:
    typ, d = m.fetch("1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    subject = d[0][1].decode().strip()
print("OK", n, subject)
m.logout()
EOF
imap() { python3 "$P/imap.py" "$PORT" "$1" "$2" 2>&1; }

h=/home/pfa_alice
mkdir -p "$h/Maildir/cur" "$h/Maildir/new" "$h/Maildir/tmp"
printf 'From: lab@localhost\nTo: pfa_alice@localhost\nSubject: hello from the lab\n\nbody\n' \
	>"$h/Maildir/new/1.lab.localhost"
chown -R pfa_alice: "$h/Maildir"

## Successes first
dovecot_conf pipefork
: >"$PAMLOG"
t_ok "$(dv_start && echo 0)" "dovecot starts on 127.0.0.1:$PORT"
t_is "$(imap pfa_alice "$LAB_ALICE_PW")" "OK 1 Subject: hello from the lab" \
	"IMAP login with the right password reads INBOX from the user's Maildir"
t_is "$(imap pfa_bob "$LAB_BOB_PW")" "OK 0 " "a second user logs in to an empty INBOX"
out=$(doveadm -c "$D/dovecot.conf" user -f uid pfa_alice 2>&1)
t_is "$out" "$(id -u pfa_alice)" "userdb lookup (doveadm user) gives the user's uid"
out=$(doveadm -c "$D/dovecot.conf" user -f home pfa_alice 2>&1)
t_is "$out" /home/pfa_alice "userdb lookup gives the user's home"
doveadm -c "$D/dovecot.conf" user pfa_nosuchuser >/dev/null 2>&1
t_is "$?" 67 "userdb lookup of an unknown user: doesn't exist (67)"
t_is "$(grep -c '^auth ' "$PAMLOG")" 2 "PAM authenticated both logins"
t_is "$(pam_count open_session)" 0 "and opened no session (Dovecot becomes the user itself)"
t_is "$(grep -c 'exited with status' "$D/dovecot.log")" 0 "Dovecot logged no checkpassword error"
dv_stop

## One failure per start
dv_start
t_ok "$(imap pfa_alice wrong-password | grep -q '^NO .*AUTHENTICATIONFAILED' && echo 0)" \
	"a wrong password fails"
dv_stop
dv_start
t_ok "$(imap pfa_nosuchuser whatever | grep -q '^NO .*AUTHENTICATIONFAILED' && echo 0)" \
	"an unknown user fails"
dv_stop
dv_start
t_ok "$(imap root "$ROOT_PW" | grep -q '^NO .*AUTHENTICATIONFAILED' && echo 0)" \
	"root fails, with its right password"
doveadm -c "$D/dovecot.conf" user root >/dev/null 2>&1
t_is "$?" 67 "and a userdb lookup of root says it does not exist"
dv_stop

## The auth process must carry the caller group
dovecot_conf ""
dv_start
t_ok "$(imap pfa_alice "$LAB_ALICE_PW" | grep -q '^NO .*UNAVAILABLE' && echo 0)" \
	"without extra_groups = pipefork: a temporary failure, not a login"
t_ok "$(grep -q 'exited with status 111' "$D/dovecot.log" && echo 0)" "Dovecot logged exit 111"
dv_stop
t_done
