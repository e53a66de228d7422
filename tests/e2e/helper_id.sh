#!/bin/bash
# The helper's `id`: the child is the user, with the user's groups, no
# capability, no_new_privs, in the user's home, with the PAM environment;
# the PAM session is opened and closed exactly once; the password is in no
# process's cmdline or environment.
. "$PFA_SRCDIR/tests/e2e/lib.sh"

echo "PFA_FROM_PAM_ENV DEFAULT=reached" >>/etc/security/pam_env.conf
: >"$PAMLOG"
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice id
uid=$(id -u pfa_alice) gid=$(id -g pfa_alice)
t_is "$(jqr .status)" ok "id: ok"
for k in uid euid suid; do t_is "$(jqr .result.$k)" "$uid" "id: $k"; done
for k in gid egid sgid; do t_is "$(jqr .result.$k)" "$gid" "id: $k"; done
t_is "$(jqr '.result.groups | sort | join(" ")')" "$(id -G pfa_alice | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')" "id: groups"
for k in cap_inheritable cap_permitted cap_effective cap_bounding cap_ambient; do
	t_is "$(jqr .result.$k)" 0000000000000000 "id: $k empty"
done
t_is "$(jqr .result.no_new_privs)" true "id: no_new_privs"
t_is "$(jqr .result.dumpable)" 0 "id: not dumpable"
t_is "$(jqr .result.cwd)" /home/pfa_alice "id: in the user's home"
t_is "$(jqr .result.env.HOME)" /home/pfa_alice "env: HOME"
t_is "$(jqr .result.env.USER)" pfa_alice "env: USER"
t_is "$(jqr .result.env.PFA_FROM_PAM_ENV)" reached "env: pam_env reaches the operation"
t_is "$(jqr '.result.env | has("LD_PRELOAD")')" false "env: nothing from the caller"
t_is "$(jqr '.pam.open_session.name')" PAM_SUCCESS "pam.open_session"
t_is "$(jqr '.pam.close_session.name')" PAM_SUCCESS "pam.close_session"
t_is "$(pam_count open_session)" 1 "one session opened"
t_is "$(pam_count close_session)" 1 "one session closed"

# A poisoned caller environment reaches nobody.
OUT=$(printf '%s\n' "$LAB_ALICE_PW" | as_caller pfa_caller env LD_PRELOAD=/nonexistent.so \
	GCONV_PATH=/tmp PFA_FROM_CALLER=1 PATH=/tmp:/bin "$H" --user pfa_alice id)
t_is "$(jqr .status)" ok "id with a poisoned environment"
t_is "$(jqr '.result.env | has("PFA_FROM_CALLER") or has("GCONV_PATH") or has("LD_PRELOAD")')" false \
	"no caller variable reaches the operation"
t_is "$(jqr '.result.env.PATH')" /usr/local/bin:/usr/bin:/bin "the operation's PATH is fixed"

# No password in /proc/PID/cmdline or environ of the helper or its child.
(printf '%s\n' "$LAB_ALICE_PW" | as_caller pfa_caller "$H" --user pfa_alice exec sleep 2 >/dev/null) &
sleep 1
found=0
for pid in $(pgrep -f "$H"; pgrep -x sleep); do
	if tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$LAB_ALICE_PW" ||
		tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qF "$LAB_ALICE_PW"; then
		found=1
	fi
done
wait
t_is "$found" 0 "the password is in no cmdline or environ"
t_done
