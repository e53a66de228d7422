#!/bin/bash
# examples/webmail: the Python backend runs as the unprivileged web user
# pfa_caller (group pipefork) on 127.0.0.1 and is driven over HTTP: a wrong
# password is refused, a right one gives a session; it lists pfa_alice's
# Maildir, serves a message byte-exact, marks one read (new/ -> cur/ with
# :2,S, as pfa_alice); forged IDs, a missing form token and a logged-out
# session are refused; every PAM session it opened is closed.
. "$PFA_SRCDIR/tests/e2e/files_lib.sh"

md=$AH/Maildir
mkdir -p "$md/new" "$md/cur" "$md/tmp"
m1=1700000001.M1P1.lab
m2=$'1700000002.M2\xffP2.lab'
printf 'Subject: caf\303\251\n\nHello <b>&amp;</b> \342\202\254\n' >"$md/new/$m1"
printf 'Subject: two\n\nbinary \377\000\n' >"$md/new/$m2"
printf 'Subject: old\n\nalready seen\n' >"$md/cur/1600000000.M0P0.lab:2,S"
chown -R pfa_alice:pfa_alice "$md"
chmod -R go-rwx "$md"

app=$P/webmail.py
install -m 644 "$PFA_SRCDIR/examples/webmail/webmail.py" "$app"
port_file=$TMPDIR/webmail.port
rm -f "$port_file"
: >"$PAMLOG"
as_caller pfa_caller python3 "$app" --helper "$H" --port 0 --port-file "$port_file" 2>"$P/webmail.log" &
srv=$!
for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
t_ok "$([ -s "$port_file" ] && echo 0)" "the backend listens (as pfa_caller)"
py=$(pgrep -u pfa_caller -f "$app" | head -1)
t_ok "$([ -n "$py" ] && [ "$(stat -c %U "/proc/$py")" = pfa_caller ] && echo 0)" "it runs as the web user"
U=http://127.0.0.1:$(cat "$port_file")
jar=$P/cookies
C() { curl -s -b "$jar" -c "$jar" "$@"; }

t_is "$(C -o /dev/null -w '%{http_code}' "$U/mail")" 303 "no session: sent to the login form"
t_is "$(C -o /dev/null -w '%{http_code}' --data-urlencode user=pfa_alice --data-urlencode password=wrong "$U/login")" \
	403 "a wrong password is refused"
t_ok "$(grep -q sid "$jar" || echo 0)" "and gets no session"
t_is "$(C -o /dev/null -w '%{http_code} %{redirect_url}' --data-urlencode user=pfa_alice \
	--data-urlencode "password=$LAB_ALICE_PW" "$U/login")" "303 $U/mail" "the right password logs in"
t_ok "$(grep -q sid "$jar" && echo 0)" "and gets a session cookie"

J=$(C "$U/mail?format=json")
t_is "$(printf '%s' "$J" | jq -r .user)" pfa_alice "list: the user"
t_is "$(printf '%s' "$J" | jq -c '[.messages[] | [.folder, .flags, .size]]')" \
	"[[\"new\",\"\",$(stat -c %s "$md/new/$m1")],[\"new\",\"\",$(stat -c %s "$md/new/$m2")],[\"cur\",\"S\",$(stat -c %s "$md/cur/1600000000.M0P0.lab:2,S")]]" \
	"list: new/ and cur/, sizes and flags"
id1=$(printf '%s' "$J" | jq -r '.messages[0].id')
id2=$(printf '%s' "$J" | jq -r '.messages[1].id')
csrf=$(printf '%s' "$J" | jq -r .csrf)
t_is "$(C "$U/raw?id=$id1" | sha256sum)" "$(sha256sum <"$md/new/$m1")" "a message, byte-exact"
t_is "$(C "$U/raw?id=$id2" | sha256sum)" "$(sha256sum <"$md/new/$m2")" "one with a name that is not UTF-8 and a binary body"
page=$(C "$U/msg?id=$id1")
t_ok "$(printf '%s' "$page" | grep -qF 'Hello &lt;b&gt;&amp;amp;&lt;/b&gt;' && echo 0)" "the message page escapes the message"
t_ok "$(C "$U/mail" | grep -qF 'Mark read' && echo 0)" "the HTML list offers 'Mark read'"

t_is "$(C -o /dev/null -w '%{http_code}' --data-urlencode "id=$id1" "$U/seen")" 403 "a form without its token is refused"
t_ok "$([ -e "$md/new/$m1" ] && echo 0)" "and moves nothing"
t_is "$(C -o /dev/null -w '%{http_code}' --data-urlencode "id=$id1" --data-urlencode "csrf=$csrf" "$U/seen")" \
	303 "mark read"
t_ok "$([ ! -e "$md/new/$m1" ] && [ -f "$md/cur/$m1:2,S" ] && echo 0)" "the file moved to cur/$m1:2,S"
t_is "$(stat -c %U "$md/cur/$m1:2,S")" pfa_alice "moved by pfa_alice: still hers"
J=$(C "$U/mail?format=json")
t_is "$(printf '%s' "$J" | jq -r '.messages[] | select(.folder == "cur" and (.name | startswith("1700000001"))) | .flags')" \
	S "the list shows it seen"

evil=new:$(printf '../../../../etc/shadow' | base64 -w0 | tr '+/' '-_')
t_is "$(C -o /dev/null -w '%{http_code}' "$U/raw?id=$evil")" 400 "a forged ID with '/' is refused by the backend"
evil=cur:$(printf '..' | base64 -w0 | tr '+/' '-_')
t_is "$(C -o /dev/null -w '%{http_code}' "$U/raw?id=$evil")" 400 "so is '..'"
t_is "$(C -o /dev/null -w '%{http_code}' "$U/raw?id=new:bm9uZQ==")" 404 "a message that is not there: 404"

t_is "$(C -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$csrf" "$U/logout")" 303 "log out"
t_is "$(C -o /dev/null -w '%{http_code}' "$U/mail")" 303 "the session is gone"
t_ok "$(cat "/proc/$py/cmdline" "/proc/$py/environ" | grep -qaF "$LAB_ALICE_PW" || echo 0)" \
	"the password is not in the backend's argv or environment"
kill "$py"
wait "$srv" 2>/dev/null
t_ok "$(grep -qF "$LAB_ALICE_PW" "$P/webmail.log" || echo 0)" "nor in its log"
t_ok "$([ "$(pam_count open_session)" -ge 7 ] && echo 0)" "one PAM session per helper call ($(pam_count open_session))"
t_is "$(pam_count close_session)" "$(pam_count open_session)" "and every one closed"
t_done
