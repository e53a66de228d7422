#!/bin/bash
# What a request runs with is read when it runs, not when it began: until
# its password line is in, a caller can keep the helper waiting (or stopped)
# for as long as it likes, and NSS (sssd) may refresh groups during
# authentication.  The policy file is read again once the real uid is root
# (a change is denied); the target is resolved again after PAM's account
# stage (the same name, uid and gid, or denied; its groups as they are
# then).  The admin acts either while the helper waits for the password,
# or from a pam_exec account module (root, after pam_unix's account check).
. "$PFA_SRCDIR/tests/e2e/lib.sh"
trap '' PIPE # a helper gone early must fail assertions, not kill the test

team=$(getent group pfa_team | cut -d: -f3)
groups_now() { id -G "$1" | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//'; }
has_team() { case " $(id -G pfa_alice) " in *" $team "*) echo yes ;; *) echo no ;; esac; }

# held_start ARGS...: the helper as pfa_caller, its stdin a FIFO that stays
# empty until held_finish PW; returns once the helper waits for the
# password (poll(2) on stdin and its signal pipe), the policy read and the
# target resolved.  held_finish sets OUT and RC.
held_start() {
	rm -f "$P/fifo" && mkfifo -m 666 "$P/fifo"
	as_caller pfa_caller "$H" "$@" <"$P/fifo" >"$P/held.out" 2>/dev/null &
	HELD=$!
	exec 7>"$P/fifo"
	local i hp
	for i in $(seq 300); do
		hp=$(pgrep -x -P "$HELD" pipefork-as)
		# poll(2) (7 on x86-64) or ppoll(2) (271; 73 on arm64) on two fds
		[ -n "$hp" ] && awk '($1 == 7 || $1 == 271 || $1 == 73) && $3 == "0x2" { ok = 1 }
			END { exit !ok }' "/proc/$hp/syscall" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
held_finish() {
	printf '%s\n' "$1" >&7
	exec 7>&-
	wait "$HELD"
	RC=$?
	OUT=$(cat "$P/held.out")
}

# 1. While the helper waits for the password.
t_is "$(has_team)" yes "alice starts in pfa_team"
held_start --user pfa_alice id
t_ok $? "the helper waits for the password"
gpasswd -d pfa_alice pfa_team >/dev/null
held_finish "$LAB_ALICE_PW"
t_is "$(jqr .status)" ok "alice's id runs"
t_is "$(jqr --argjson g "$team" '.result.groups | index($g)')" null \
	"a group taken away while the helper waited is not the operation's"
t_is "$(jqr '.result.groups | sort | join(" ")')" "$(groups_now pfa_alice)" \
	"the operation has alice's groups as they are now"
gpasswd -a pfa_alice pfa_team >/dev/null

printf 'max_output = 2M\n' >"$CONF"
held_start --user pfa_alice id
t_ok $? "the helper waits for the password"
printf 'max_output = 2M\nops = auth\n' >"$CONF"
held_finish "$LAB_ALICE_PW"
t_is "$(jqr .status)" config_error "a policy changed while the helper waited: config_error"
t_is "$RC" 7 "config_error's exit code"
t_is "$(jqr .error)" "$CONF or UID_MIN changed during the request" "the reason is said"
t_is "$(jqr '.pam | length')" 0 "PAM never started"
printf 'max_output = 2M\n' >"$CONF"
held_start --user pfa_alice id
t_ok $? "the helper waits for the password"
printf '# a comment\n\nmax_output = 2M\n' >"$CONF"
held_finish "$LAB_ALICE_PW"
t_is "$(jqr .status)" ok "an edit that decides nothing differently: ok"
rm -f "$CONF"

held_start --user pfa_new id
t_ok $? "the helper waits for the password (an unknown user)"
useradd -m -s /bin/bash pfa_new && echo 'pfa_new:new-Secret-4' | chpasswd
held_finish new-Secret-4
t_is "$(jqr .status)" denied "a user created while the helper waited: denied"
t_is "$(jqr .error)" "the user changed during the request" "the reason is said"
t_is "$(jqr .pam.user_refresh.name)" PAM_PERM_DENIED "the user_refresh stage"
t_is "$(jqr .uid)" null "no uid: the request began without one"
userdel -r pfa_new 2>/dev/null

pg=$(getent group pipefork | cut -d: -f3)
held_start --user pfa_alice id
t_ok $? "the helper waits for the password"
groupmod -g 4321 pipefork
held_finish "$LAB_ALICE_PW"
t_is "$(jqr .status)" denied "the caller group renumbered while the helper waited: denied"
t_is "$(jqr .error)" "the caller is not in group pipefork" "the reason is said"
groupmod -g "$pg" pipefork

# 2. From PAM's account stack, after pam_unix: what the admin does once.
cat >"$P/admin.sh" <<EOS
#!/bin/sh
[ -s "$P/admin-do" ] || exit 0
sh "$P/admin-do" >/dev/null 2>&1
: >"$P/admin-do"
EOS
chmod 755 "$P/admin.sh"
admin() { echo "$1" >"$P/admin-do"; }
sed -i "0,/^@include common-account/s||&\naccount required pam_exec.so quiet $P/admin.sh|" \
	/etc/pam.d/pipefork-as
grep -q "admin.sh" /etc/pam.d/pipefork-as
t_ok $? "the account module is in place"

admin "gpasswd -d pfa_alice pfa_team"
: >"$PAMLOG"
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice id
t_is "$(has_team)" no "the module took pfa_team away"
t_is "$(jqr .status)" ok "alice's id runs"
t_is "$(jqr --argjson g "$team" '.result.groups | index($g)')" null \
	"a group taken away during authentication is not the operation's"
t_is "$(pam_count close_session)" 1 "alice's session closed"

# refused: the same name with another uid, another gid, or no user at all
refused() { # description
	t_is "$(jqr .status)" denied "$1: denied"
	t_is "$RC" 5 "$1: denied's exit code"
	t_is "$(jqr .error)" "the user changed during the request" "$1: the reason is said"
	t_is "$(jqr .pam.user_refresh.name)" PAM_PERM_DENIED "$1: the user_refresh stage"
	t_is "$(jqr .pam.end.name)" PAM_SUCCESS "$1: PAM was ended"
	t_is "$(jqr '.pam | has("open_session")')" false "$1: no session was opened"
}
old_uid=$(id -u pfa_bob)
admin "usermod -u 2345 pfa_bob"
run_helper pfa_caller "$LAB_BOB_PW" --user pfa_bob id
t_is "$(id -u pfa_bob)" 2345 "bob's uid was changed during the request"
refused "another uid"
t_is "$(jqr .uid)" "$old_uid" "the answer names the uid that was authorized"
admin "usermod -g pfa_team pfa_bob"
run_helper pfa_caller "$LAB_BOB_PW" --user pfa_bob id
t_is "$(id -gn pfa_bob)" pfa_team "bob's gid was changed during the request"
refused "another gid"
admin "userdel pfa_bob"
run_helper pfa_caller "$LAB_BOB_PW" --user pfa_bob id
t_is "$(id -u pfa_bob 2>/dev/null)" "" "bob was deleted during the request"
refused "a user deleted"

# An entry the library cannot use (more groups than setgroups takes): the
# first lookup reads no groups, so the lookup after PAM is where it shows.
awk 'BEGIN { for (i = 1; i <= 65537; i++) printf "pfa_many%d:x:%d:pfa_alice\n", i, 200000 + i }' \
	>>/etc/group
: >"$PAMLOG"
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice id
t_is "$(jqr .status)" internal_error "more than 65536 groups: internal_error"
t_is "$(jqr .error)" "the user's entry cannot be used (a uid or gid of -1, or more than 65536 groups)" \
	"more than 65536 groups: the reason is said"
t_is "$(jqr .pam.user_refresh.name)" PAM_SYSTEM_ERR "more than 65536 groups: the user_refresh stage"
t_is "$(pam_count open_session)" 0 "more than 65536 groups: no session was opened"
t_done
