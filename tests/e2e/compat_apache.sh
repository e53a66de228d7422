#!/bin/bash
# The real Apache 2.4 with mod_authnz_external calling the helper as
# "pipe" authenticator (--pwauth): a private instance on 127.0.0.1, curl -u
# gets 200 with the right password and 401 with a wrong one, for an expired
# account, an unknown user and root.  Then every pwauth exit code of
# pwauth.h straight from the helper, the session paired, and pwauth's old
# bug (a long login split into a login and a password) absent.
. "$PFA_SRCDIR/tests/e2e/lib.sh"
. "$PFA_SRCDIR/tests/e2e/compat_lib.sh"
M=/usr/lib/apache2/modules
if ! command -v apache2 >/dev/null || [ ! -f "$M/mod_authnz_external.so" ]; then
	echo "1..0 # SKIP apache2 or libapache2-mod-authnz-external is not installed"
	exit 77
fi
set_root_password
usermod -aG pipefork www-data

A=$P/apache
PORT=$(free_port)
mkdir -p "$A/htdocs/private"
echo "the private page" >"$A/htdocs/private/index.html"
chmod -R a+rX "$A"
cat >"$A/httpd.conf" <<EOF
ServerRoot $A
ServerName 127.0.0.1
Listen 127.0.0.1:$PORT
PidFile $A/httpd.pid
ErrorLog $A/error.log
User www-data
Group www-data
LoadModule mpm_prefork_module $M/mod_mpm_prefork.so
LoadModule authn_core_module $M/mod_authn_core.so
LoadModule authz_core_module $M/mod_authz_core.so
LoadModule authz_user_module $M/mod_authz_user.so
LoadModule auth_basic_module $M/mod_auth_basic.so
LoadModule authnz_external_module $M/mod_authnz_external.so
DocumentRoot $A/htdocs
DefineExternalAuth pipefork pipe "$H --pwauth"
<Directory $A/htdocs/private>
  AuthType Basic
  AuthName "pipefork-as lab"
  AuthBasicProvider external
  AuthExternal pipefork
  Require valid-user
</Directory>
EOF
get() { curl -s -o "$P/body" -w '%{http_code}' -u "$1:$2" "http://127.0.0.1:$PORT/private/index.html"; }

## Apache
: >"$PAMLOG"
apache2 -f "$A/httpd.conf" -k start
t_ok "$(wait_port "$PORT" && echo 0)" "apache starts on 127.0.0.1:$PORT"
t_is "$(get pfa_alice "$LAB_ALICE_PW")" 200 "curl -u with the right password: 200"
t_is "$(cat "$P/body")" "the private page" "and the page"
t_is "$(pam_count open_session):$(pam_count close_session)" "1:1" "the session was opened and closed"
t_is "$(get pfa_alice wrong-password)" 401 "a wrong password: 401"
t_is "$(get pfa_nosuchuser whatever)" 401 "an unknown user: 401"
t_is "$(get root "$ROOT_PW")" 401 "root, with its right password: 401"
chage -E 0 pfa_bob
t_is "$(get pfa_bob "$LAB_BOB_PW")" 401 "an expired account (chage -E 0): 401"
chage -E -1 pfa_bob
t_is "$(get pfa_bob "$LAB_BOB_PW")" 200 "the same account, no longer expired: 200"
t_ok "$(grep -q 'AuthExtern pipefork .*Failed (1) for user pfa_alice' "$A/error.log" && echo 0)" \
	"Apache logged pwauth's code 1 for the wrong password"
t_ok "$(grep -q 'Failed (3) for user root' "$A/error.log" && echo 0)" "and code 3 for root"
stop_pid "$A/httpd.pid"

## Every exit code, straight from the helper
# pw CALLER LOGIN PASSWORD: the helper in pwauth mode; RC.
pw() {
	local t0
	t0=$(date +%s%N)
	printf '%s\n%s\n' "$2" "$3" | as_caller "$1" "$H" --pwauth >"$P/out" 2>&1
	RC=$?
	MS=$((($(date +%s%N) - t0) / 1000000))
}
# slow WHAT: the answer took the failure delay, as a wrong password's does
# (a lower bound: the floor is a sleep, never shorter).
slow() { t_ok "$([ "$MS" -ge 2900 ] && echo 0)" "pwauth: $1 takes the failure delay (${MS} ms)"; }
pw www-data pfa_alice "$LAB_ALICE_PW"
t_is "$RC" 0 "pwauth: 0 for the right password"
t_is "$(wc -c <"$P/out")" 0 "pwauth: nothing printed"
pw www-data pfa_alice wrong-password
t_is "$RC" 1 "pwauth: 1 for a wrong password"
pw www-data pfa_nosuchuser whatever
t_is "$RC" 1 "pwauth: 1 for an unknown user"
slow "an unknown user"
pw www-data root "$ROOT_PW"
t_is "$RC" 3 "pwauth: 3 for root"
slow "root (no system account is told apart by its timing)"
pw www-data pfa_low "$LAB_LOW_PW"
t_is "$RC" 3 "pwauth: 3 for a uid below min_uid"
slow "a uid below min_uid"
pw www-data "$(printf 'pfa\talice')" whatever
t_is "$RC" 1 "pwauth: 1 for a login with a control character (not a user name)"
slow "a login that cannot be a user name"
chage -E 0 pfa_bob
pw www-data pfa_bob "$LAB_BOB_PW"
t_is "$RC" 4 "pwauth: 4 for an expired account"
slow "an expired account with its right password"
chage -E -1 -d 0 pfa_bob
pw www-data pfa_bob "$LAB_BOB_PW"
t_is "$RC" 5 "pwauth: 5 for an expired password"
chage -d "$(date +%F)" pfa_bob
cp /etc/pam.d/pipefork-as "$P/pam.saved"
sed -i '1i account requisite pam_nologin.so' /etc/pam.d/pipefork-as
touch /etc/nologin
pw www-data pfa_bob "$LAB_BOB_PW"
t_is "$RC" 6 "pwauth: 6 when logins are off (/etc/nologin)"
pw www-data pfa_bob wrong-password
t_is "$RC" 1 "pwauth: but 1 for a wrong password then"
rm -f /etc/nologin
sed -i '1i account required pam_access.so accessfile='"$P"'/access.conf' /etc/pam.d/pipefork-as
printf -- '-:pfa_bob:ALL\n' >"$P/access.conf"
pw www-data pfa_bob "$LAB_BOB_PW"
t_is "$RC" 7 "pwauth: 7 when the account stage refuses (pam_access)"
slow "the account stage's refusal after the right password"
cp "$P/pam.saved" /etc/pam.d/pipefork-as
# A session module's refusal after the right password is padded too
# (pam_limits: maxlogins 0 refuses the session).
cp /etc/security/limits.conf "$P/limits.saved"
echo "pfa_bob hard maxlogins 0" >>/etc/security/limits.conf
pw www-data pfa_bob "$LAB_BOB_PW"
t_is "$RC" 52 "pwauth: 52 when the session is refused (pam_limits maxlogins)"
slow "a session refused after the right password"
cp "$P/limits.saved" /etc/security/limits.conf
# The padding of a refused target holds its slot only once the real uid is
# root: the caller cannot SIGSTOP a process that holds a slot (it could
# have kept a user's slot, and so its logins, for as long as it liked).
printf 'root\nwhatever\n' >"$P/root.in" && chmod 644 "$P/root.in"
# (not as_caller: a function run in the background is a subshell, and $!
# would be that shell's pid, not the helper's)
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${SAN_ENV[@]}" setpriv --reuid=www-data \
	--regid="$(id -g www-data)" --init-groups -- "$H" --pwauth <"$P/root.in" &
bp=$!
ruid=
for i in $(seq 40); do
	if [ "$(readlink /proc/$bp/exe 2>/dev/null)" = "$H" ]; then
		ruid=$(awk '/^Uid:/ { print $2 }' /proc/$bp/status 2>/dev/null)
		[ "$ruid" = 0 ] && break
	fi
	sleep 0.05
done
t_is "$ruid" 0 "pwauth: refusing root, its real uid is root while it waits"
err=$(as_caller www-data kill -STOP "$bp" 2>&1)
t_ok "$(case "$err" in *"not permitted"*) echo 0 ;; esac)" "pwauth: and the caller cannot stop it: $err"
kill -CONT "$bp" 2>/dev/null
wait "$bp"
t_is "$?" 3 "pwauth: root is still 3"
pw pfa_outsider pfa_alice "$LAB_ALICE_PW"
t_is "$RC" 50 "pwauth: 50 for a caller outside the caller group"
printf 'pfa_alice\n' | as_caller www-data "$H" --pwauth
t_is "$?" 51 "pwauth: 51 without a password line"
printf '%s\n' "$LAB_ALICE_PW" | as_caller www-data "$H" --pwauth extra
t_is "$?" 51 "pwauth: 51 for an extra argument"
echo "min_uid = banana" >"$CONF"
pw www-data pfa_alice "$LAB_ALICE_PW"
t_is "$RC" 52 "pwauth: 52 for a bad pipefork-as.conf"
echo "ops = id" >"$CONF"
pw www-data pfa_alice "$LAB_ALICE_PW"
t_is "$RC" 52 "pwauth: 52 when the policy does not allow auth"
rm -f "$CONF"
printf 'pfa_alice\n%s\n' "$LAB_ALICE_PW" | as_caller www-data "$PFA_BUILDDIR/pipefork-as" --pwauth
t_is "$?" 53 "pwauth: 53 when the helper is not setuid root"

# pwauth once read a 1024-byte login line as a login and a password.
long=$(printf 'pfa_alice%01015d' 0)
printf '%s%s\nx\n' "$long" "$LAB_ALICE_PW" | as_caller www-data "$H" --pwauth
t_is "$?" 51 "pwauth: a long login line is an error, never split"
: >"$PAMLOG"
for i in 1 2 3; do pw www-data pfa_alice "$LAB_ALICE_PW"; done
t_is "$(pam_count open_session):$(pam_count close_session)" "3:3" "pwauth: every session closed"
t_done
