#!/bin/bash
# The ids and groups the operation runs with are read after PAM's account
# stage, as root, not when the request began: a caller can stop the helper
# before PAM for as long as it likes, and NSS (sssd) may refresh groups
# during authentication.  Here a pam_exec account module (root, after the
# helper's first lookup) stands for the admin acting meanwhile: a group it
# takes away is not in the operation; a uid it changes is refused.
. "$PFA_SRCDIR/tests/e2e/lib.sh"

team=$(getent group pfa_team | cut -d: -f3)
case " $(id -G pfa_alice) " in
*" $team "*) t_ok 0 "alice starts in pfa_team" ;;
*) t_ok 1 "alice starts in pfa_team" ;;
esac

# What the "admin" does during a request for that user, once.
cat >"$P/admin.sh" <<EOS
#!/bin/sh
[ -e "$P/admin-done" ] && exit 0
case "\$PAM_USER" in
pfa_alice) gpasswd -d pfa_alice pfa_team >/dev/null 2>&1 || exit 1 ;;
pfa_bob) usermod -u 2345 pfa_bob >/dev/null 2>&1 || exit 1 ;;
esac
: >"$P/admin-done"
EOS
chmod 755 "$P/admin.sh"
sed -i "0,/^@include common-account/s||account required pam_exec.so quiet $P/admin.sh\n&|" \
	/etc/pam.d/pipefork-as
grep -q "admin.sh" /etc/pam.d/pipefork-as
t_ok $? "the account module is in place"

run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice id
t_is "$(jqr .status)" ok "alice's id runs"
t_is "$(jqr --argjson g "$team" '.result.groups | index($g)')" null \
	"a group taken away during the request is not the operation's"
t_is "$(jqr '.result.groups | sort | join(" ")')" \
	"$(id -G pfa_alice | tr ' ' '\n' | sort -n | tr '\n' ' ' | sed 's/ $//')" \
	"the operation has alice's groups as they are now"
t_is "$(pam_count close_session)" 1 "alice's session closed"

rm -f "$P/admin-done"
: >"$PAMLOG"
old_uid=$(id -u pfa_bob)
run_helper pfa_caller "$LAB_BOB_PW" --user pfa_bob id
t_is "$(id -u pfa_bob)" 2345 "bob's uid was changed during the request"
t_is "$(jqr .status)" denied "a uid changed during the request is refused"
t_is "$RC" 5 "denied's exit code"
t_is "$(jqr .error)" "the user's uid or gid changed during the request" "the reason is said"
t_is "$(jqr .uid)" "$old_uid" "the answer names the uid that was authorized"
t_is "$(jqr '.result | length')" 0 "nothing ran"
t_is "$(jqr '.pam | has("open_session")')" false "no session was opened"
t_is "$(jqr '.pam.end.name')" PAM_SUCCESS "PAM was ended"
t_done
