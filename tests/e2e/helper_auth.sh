#!/bin/bash
# The helper's authentication paths, as an unprivileged caller in the lab
# with the real pam_unix and yescrypt hashes: success, wrong password and
# unknown user (same status, shape and timing), expired password, expired
# account, locked password, callers outside the group (refused before stdin
# is read and before pam_start), root and low-uid targets, root-only options.
. "$PFA_SRCDIR/tests/e2e/lib.sh"

run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice auth
t_is "$(jqr .status)" ok "auth with the right password"
t_is "$RC" 0 "exit code 0"
t_ok "$(shape_ok && echo 0)" "the answer has every key"
t_is "$(jqr .uid)" "$(id -u pfa_alice)" "uid from the parent's record"
t_is "$(jqr '.pam.authenticate.name')" PAM_SUCCESS "pam.authenticate recorded"
t_is "$(jqr '.pam.acct_mgmt.code')" 0 "pam.acct_mgmt recorded"
t_is "$(jqr .error)" null "no error"

run_helper pfa_caller wrong-password --user pfa_alice auth
wrong_out=$OUT wrong_rc=$RC wrong_ms=$MS
t_is "$(jqr .status)" auth_failed "wrong password: auth_failed"
t_is "$(jqr .uid)" null "wrong password: no uid"
run_helper pfa_caller whatever --user pfa_nosuchuser auth
t_is "$(jqr .status)" auth_failed "unknown user: auth_failed"
t_is "$RC" "$wrong_rc" "unknown user and wrong password: same exit code"
shape() { printf '%s' "$1" | jq -c '[paths(scalars) | map(tostring) | join(".")] | sort' ; }
t_is "$(shape "$OUT" | sed 's/pfa_nosuchuser/U/g')" "$(shape "$wrong_out" | sed 's/pfa_alice/U/g')" \
	"unknown user and wrong password: same shape"
t_is "$(printf '%s' "$OUT" | jq -c 'del(.user)')" "$(printf '%s' "$wrong_out" | jq -c 'del(.user)')" \
	"unknown user and wrong password: same document but for the name"
d=$((MS - wrong_ms))
t_ok "$([ "${d#-}" -lt 600 ] && echo 0)" "same timing (${wrong_ms} ms vs ${MS} ms)"
t_ok "$([ "$MS" -ge 2900 ] && echo 0)" "the failure delay holds (${MS} ms)"

# Parallel callers cannot get around the delay: 4 wrong guesses at once
# against one user take about 4 floors, not 1.
t0=$(date +%s%N)
for i in 1 2 3 4; do
	(printf 'guess%s\n' "$i" | as_caller pfa_caller "$H" --user pfa_bob auth >/dev/null) &
done
wait
ms=$((($(date +%s%N) - t0) / 1000000))
t_ok "$([ "$ms" -ge 11000 ] && echo 0)" "4 parallel wrong guesses are serialised (${ms} ms)"

chage -d 0 pfa_bob
run_helper pfa_caller "$LAB_BOB_PW" --user pfa_bob auth
t_is "$(jqr .status)" password_expired "chage -d 0: password_expired"
t_is "$RC" 3 "password_expired exit code"
chage -d "$(date +%F)" -E 0 pfa_bob
run_helper pfa_caller "$LAB_BOB_PW" --user pfa_bob auth
t_is "$(jqr .status)" account_expired "chage -E 0: account_expired"
t_is "$RC" 2 "account_expired exit code"
t_ok "$([ "$MS" -ge 2900 ] && echo 0)" "a refusal after the right password takes the failure delay (${MS} ms)"
chage -E -1 pfa_bob
passwd -q -l pfa_bob
run_helper pfa_caller "$LAB_BOB_PW" --user pfa_bob auth
t_is "$(jqr .status)" auth_failed "passwd -l: the right password fails like a wrong one"
passwd -q -u pfa_bob

# A caller outside the group: denied before a byte of stdin is read and
# before pam_start (no PAM event logged).
: >"$PAMLOG"
printf '%s\nTHE-REST\n' "$LAB_ALICE_PW" >"$P/in"
chmod 644 "$P/in"
exec 3<"$P/in"
OUT=$(as_caller pfa_outsider "$H" --user pfa_alice auth <&3)
RC=$?
rest=$(cat <&3)
exec 3<&-
t_is "$(jqr .status)" denied "a caller outside the group is denied"
t_is "$RC" 5 "denied exit code"
t_is "$rest" "$(cat "$P/in")" "not a byte of stdin was read"
t_is "$(wc -l <"$PAMLOG")" 0 "pam_start never ran for the outsider"

run_helper pfa_caller whatever --user root auth
t_is "$(jqr .status)" denied "root as a target: denied"
t_is "$(wc -l <"$PAMLOG")" 0 "root target refused before PAM"
run_helper pfa_caller "$LAB_LOW_PW" --user pfa_low auth
t_is "$(jqr .status)" denied "uid below UID_MIN: denied"
run_helper pfa_caller x --user '#-1' auth
t_is "$(jqr .status)" auth_failed "'#-1' is just an unknown name"
# An entry whose uid is (uid_t)-1 (sudo CVE-2019-14287's id): refused at
# once, as a target below UID_MIN is, not called an invalid name.
echo 'pfa_neg:x:4294967295:4294967295::/nonexistent:/bin/sh' >>/etc/passwd
run_helper pfa_caller x --user pfa_neg auth
t_is "$(jqr .status)/$(jqr .error)" "denied/this user is not allowed as a target" \
	"a uid of -1 in passwd: denied"
sed -i '/^pfa_neg:/d' /etc/passwd
run_helper pfa_caller x --user 'a:b' auth
t_is "$(jqr .status)/$(jqr .error)" "bad_request/invalid user name" "a ':' in the name: invalid"
run_helper pfa_caller "$LAB_ALICE_PW" --service other --user pfa_alice auth
t_is "$(jqr .status)" denied "--service is root-only"
run_helper pfa_caller "" --no-auth --user pfa_alice auth
t_is "$(jqr .status)" denied "--no-auth is root-only"
OUT=$(printf '' | "$H" --no-auth --user pfa_alice id)
t_is "$(jqr .status)" ok "root may use --no-auth"
t_is "$(jqr .result.uid)" "$(id -u pfa_alice)" "--no-auth runs as the user"

run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice frobnicate
t_is "$(jqr .status)" bad_request "unknown operation"
t_is "$RC" 6 "bad_request exit code"
run_helper pfa_caller "" --user pfa_alice auth
t_is "$(jqr .status)" auth_failed "empty password refused (PAM_DISALLOW_NULL_AUTHTOK)"
OUT=$(head -c 600 /dev/zero | tr '\0' a | as_caller pfa_caller "$H" --user pfa_alice auth)
t_is "$(jqr .status)" bad_request "a password over 512 bytes is an error, not truncated"
OUT=$(printf '%s' "$LAB_ALICE_PW" | as_caller pfa_caller "$H" --user pfa_alice auth)
t_is "$(jqr .status)" ok "a password without a final newline"
OUT=$(printf '%s\0junk' "$LAB_ALICE_PW" | as_caller pfa_caller "$H" --user pfa_alice auth)
t_is "$(jqr .status)" ok "a password ended by NUL"

# A stack where pam_unix's answer is final (no pam_deny after it): it says
# PAM_USER_UNKNOWN for an unknown user. The caller still reads the same
# document for both; root, testing the stack, reads the module's own code.
cp /etc/pam.d/pipefork-as "$P/pam.saved"
printf 'auth required pam_unix.so\naccount required pam_unix.so\nsession required pam_unix.so\n' \
	>/etc/pam.d/pipefork-as
run_helper pfa_caller wrong-password --user pfa_alice auth
wrong_out=$OUT
t_is "$(jqr .pam.authenticate.name)" PAM_AUTH_ERR "pam_unix final, wrong password: PAM_AUTH_ERR"
run_helper pfa_caller whatever --user pfa_nosuchuser auth
t_is "$(jqr .status)" auth_failed "pam_unix final, unknown user: auth_failed"
t_is "$(printf '%s' "$OUT" | jq -c 'del(.user)')" "$(printf '%s' "$wrong_out" | jq -c 'del(.user)')" \
	"pam_unix final: unknown user and wrong password, same document but for the name"
OUT=$(printf 'whatever\n' | "$H" --service pipefork-as --user pfa_nosuchuser auth)
t_is "$(jqr .status)/$(jqr .pam.authenticate.name)" auth_failed/PAM_USER_UNKNOWN \
	"root reads the stack's own code"
cp "$P/pam.saved" /etc/pam.d/pipefork-as
t_done
