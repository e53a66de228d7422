#!/bin/bash
# The checkpassword front end without a server, as a qmail-style caller
# would run it and as Dovecot would: the classic mode runs PROG as the user
# (ids, groups, home, environment, fds, capabilities, PAM session opened and
# closed), the Dovecot mode execs the reply program as the caller (never
# root) with fd 4; every exit code of checkpassword.h; fd 3 read only after
# the caller is authorized, closed before anything runs.
. "$PFA_SRCDIR/tests/e2e/lib.sh"
. "$PFA_SRCDIR/tests/e2e/compat_lib.sh"
set_root_password

cat >"$P/prog.sh" <<'EOS'
#!/bin/sh
# PROG: what it runs as, where, with what.
echo "uid=$(id -u) gid=$(id -g)"
echo "groups=$(id -Gn)"
echo "pwd=$(pwd -P)"
echo "USER=$USER HOME=$HOME SHELL=$SHELL"
echo "args=$*"
echo "limits $(ulimit -Sn) $(ulimit -Hn)"
find /proc/$$/fd -mindepth 1 -maxdepth 1 -printf 'fd %f %l\n'
grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs)' /proc/$$/status | tr -s '\t' ' '
env | sort | sed 's/^/env /'
echo "stdin=$(cat)"
exit "${1:-0}"
EOS
chmod 755 "$P/prog.sh"
cpw_input "$P/alice" pfa_alice "$LAB_ALICE_PW" '<1234.5678@lab>'
: >"$P/leaked"

# run_cpw CALLER INPUT_FILE ARGS...: the helper in checkpassword mode with
# fd 3 on INPUT_FILE, stdin "from the client", a leaked fd 7; OUT, RC, MS.
run_cpw() {
	local u=$1 in=$2 t0
	shift 2
	t0=$(date +%s%N)
	OUT=$(echo "from the client" | as_caller "$u" "$H" --checkpassword "$@" 3<"$in" 7<"$P/leaked")
	RC=$?
	MS=$((($(date +%s%N) - t0) / 1000000))
}
has() { printf '%s\n' "$OUT" | grep -qxF -- "$1"; }

## Classic mode (qmail-popup, tcpserver)
OUT=$(echo x | as_caller pfa_caller prlimit --nofile=100:4096 "$H" --checkpassword "$P/prog.sh" 3<"$P/alice")
t_ok "$(has "limits 100 4096" && echo 0)" "classic: PROG has the caller's rlimits (nofile 100:4096), not the helper's"
: >"$PAMLOG"
run_cpw pfa_caller "$P/alice" "$P/prog.sh" 7 "two words"
t_is "$RC" 7 "classic: the exit code is PROG's"
t_ok "$(has "uid=$(id -u pfa_alice) gid=$(id -g pfa_alice)" && echo 0)" "classic: PROG runs as the user"
t_ok "$(has "groups=pfa_alice pfa_team" && echo 0)" "classic: with the user's groups"
t_ok "$(has "pwd=/home/pfa_alice" && echo 0)" "classic: in the user's home"
t_ok "$(has "USER=pfa_alice HOME=/home/pfa_alice SHELL=/bin/bash" && echo 0)" "classic: USER, HOME, SHELL"
t_ok "$(has "args=7 two words" && echo 0)" "classic: PROG's arguments"
t_ok "$(has "stdin=from the client" && echo 0)" "classic: the caller's stdin is PROG's"
t_is "$(printf '%s\n' "$OUT" | grep '^fd ' | grep -cE "$P/(alice|leaked)")" 0 \
	"classic: neither fd 3 nor the caller's other fds reach PROG"
t_is "$(printf '%s\n' "$OUT" | grep '^fd ' | grep -v "$P/prog.sh" | cut -d' ' -f2 | sort -n | tr '\n' ' ')" \
	"0 1 2 " "classic: PROG has fds 0, 1 and 2 only (sh's own aside)"
for c in CapInh CapPrm CapEff CapBnd CapAmb; do
	t_ok "$(has "$c: 0000000000000000" && echo 0)" "classic: $c empty"
done
t_ok "$(has "NoNewPrivs: 1" && echo 0)" "classic: no_new_privs"
t_is "$(printf '%s\n' "$OUT" | sed -n 's/^env \([A-Z_]*\)=.*/\1/p' | tr '\n' ' ')" \
	"HOME LOGNAME PATH PWD SHELL USER " "classic: only the safe environment (and sh's PWD)"
t_is "$(printf '%s\n' "$OUT" | grep -c -- "$LAB_ALICE_PW")" 0 "classic: the password is nowhere in PROG's view"
t_is "$(pam_count open_session)" 1 "classic: the PAM session was opened"
t_is "$(pam_count close_session)" 1 "classic: and closed after PROG"

run_cpw pfa_caller "$P/alice" "$P/prog.sh" 0
t_is "$RC" 0 "classic: PROG's exit 0"
OUT=$(as_caller root "$H" --checkpassword "$P/prog.sh" 3<"$P/alice" </dev/null)
t_is "$?:$(printf '%s\n' "$OUT" | sed -n 's/^uid=\([0-9]*\).*/\1/p')" "0:$(id -u pfa_alice)" \
	"classic: a root caller (tcpserver as root) works the same"
run_cpw pfa_caller "$P/alice" no-such-prog-pfa
t_is "$RC" 111 "classic: a PROG that cannot run is 111"

cpw_input "$P/wrong" pfa_alice wrong-password
run_cpw pfa_caller "$P/wrong" "$P/prog.sh"
t_is "$RC:$OUT" "1:" "classic: wrong password is 1, PROG not run"
t_ok "$([ "$MS" -ge 2900 ] && echo 0)" "classic: with the failure delay (${MS} ms)"
cpw_input "$P/unknown" pfa_nosuchuser whatever
run_cpw pfa_caller "$P/unknown" "$P/prog.sh"
t_is "$RC:$OUT" "1:" "classic: unknown user is 1"
cpw_input "$P/root" root "$ROOT_PW"
run_cpw pfa_caller "$P/root" "$P/prog.sh"
t_is "$RC:$OUT" "1:" "classic: root with its right password is 1"
t_ok "$([ "$MS" -ge 2900 ] && echo 0)" "classic: root takes the failure delay too (${MS} ms)"
cpw_input "$P/low" pfa_low "$LAB_LOW_PW"
run_cpw pfa_caller "$P/low" "$P/prog.sh"
t_is "$RC:$OUT" "1:" "classic: a uid below min_uid is 1"
t_ok "$([ "$MS" -ge 2900 ] && echo 0)" "classic: a uid below min_uid takes the failure delay (${MS} ms)"
chage -E 0 pfa_bob
cpw_input "$P/bob" pfa_bob "$LAB_BOB_PW"
run_cpw pfa_caller "$P/bob" "$P/prog.sh"
t_is "$RC:$OUT" "1:" "classic: an expired account with its right password is 1"
t_ok "$([ "$MS" -ge 2900 ] && echo 0)" \
	"classic: and takes the failure delay: the password being right does not show (${MS} ms)"
chage -E -1 pfa_bob
cpw_input "$P/badname" 'a:b' whatever
run_cpw pfa_caller "$P/badname" "$P/prog.sh"
t_is "$RC" 1 "classic: a login that cannot be a user name is 1"
mkdir -m 700 "$P/nohome"
usermod -d "$P/nohome" pfa_bob
cpw_input "$P/bob" pfa_bob "$LAB_BOB_PW"
run_cpw pfa_caller "$P/bob" "$P/prog.sh"
t_is "$RC:$OUT" "111:" "classic: a home the user cannot enter is 111, PROG not run"
usermod -d /home/pfa_bob pfa_bob

## Malformed, usage, caller, configuration
printf 'pfa_alice\0pw' >"$P/short"
run_cpw pfa_caller "$P/short" "$P/prog.sh"
t_is "$RC" 2 "malformed: missing terminators"
head -c 600 /dev/zero | tr '\0' 'x' >"$P/big"
run_cpw pfa_caller "$P/big" "$P/prog.sh"
t_is "$RC" 2 "malformed: more than 512 bytes"
OUT=$(as_caller pfa_caller "$H" --checkpassword "$P/prog.sh" </dev/null 3<&-)
t_is "$?" 2 "malformed: fd 3 not open"
run_cpw pfa_caller "$P/alice"
t_is "$RC" 2 "usage: no PROG"
: >"$PAMLOG"
run_cpw pfa_outsider "$P/alice" "$P/prog.sh"
t_is "$RC" 111 "a caller outside the caller group is 111"
t_is "$(wc -l <"$PAMLOG")" 0 "and PAM never started"
# fd 3 shares its offset with the test's fd 5: what the helper read shows.
exec 5<"$P/alice"
as_caller pfa_outsider "$H" --checkpassword "$P/prog.sh" 3<&5 </dev/null >/dev/null
t_is "$?:$(sed -n 's/^pos:[[:space:]]*//p' /proc/$$/fdinfo/5)" "111:0" \
	"an outsider is refused before a byte of fd 3 is read"
as_caller pfa_caller "$H" --checkpassword "$P/prog.sh" 3<&5 </dev/null >/dev/null
t_is "$?:$(sed -n 's/^pos:[[:space:]]*//p' /proc/$$/fdinfo/5)" "0:$(stat -c %s "$P/alice")" \
	"an authorized caller's fd 3 is read to its end"
exec 5<&-
echo "ops = id" >"$CONF"
run_cpw pfa_caller "$P/alice" "$P/prog.sh"
t_is "$RC" 111 "classic needs the exec operation: refused by policy is 111"
echo "default_timeout = 1" >"$CONF"
mkfifo "$P/fifo"
(printf 'pfa_alice\0%s\0\0' "$LAB_ALICE_PW"; exec sleep 20) >"$P/fifo" &
feeder=$!
t0=$(date +%s%N)
as_caller pfa_caller "$H" --checkpassword "$P/prog.sh" 3<"$P/fifo" </dev/null >/dev/null
rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
kill "$feeder"
t_is "$rc" 2 "fd 3 that never ends: 2"
t_ok "$([ "$ms" -lt 5000 ] && echo 0)" "after the policy's default_timeout (${ms} ms)"
echo "caller_group = pfa_team" >"$CONF"
chmod 666 "$CONF"
run_cpw pfa_caller "$P/alice" "$P/prog.sh"
t_is "$RC" 111 "an untrusted pipefork-as.conf is 111"
rm -f "$CONF"

## Dovecot mode, without Dovecot (compat_dovecot.sh has the real server)
cat >"$P/reply.sh" <<'EOS'
#!/bin/sh
# Stands in for Dovecot's checkpassword-reply.
echo "uid=$(id -u) gid=$(id -g) groups=$(id -G)"
find /proc/$$/fd -mindepth 1 -maxdepth 1 -printf 'fd %f %l\n'
grep -E '^(CapEff|CapBnd|NoNewPrivs)' /proc/$$/status | tr -s '\t' ' '
echo "limits $(ulimit -Sn) $(ulimit -Hn)"
env | sort | sed 's/^/env /'
printf 'userdb_uid=%s\t' "$userdb_uid" >&4
[ "$AUTHORIZED" = 2 ] && exit 2
exit 0
EOS
chmod 755 "$P/reply.sh"
# run_dc CALLER INPUT ENV...: Dovecot mode; the reply's fd 4 into $P/fd4.
run_dc() {
	local u=$1 in=$2 t0
	shift 2
	: >"$P/fd4"
	t0=$(date +%s%N)
	OUT=$(as_caller "$u" env "$@" "$H" --checkpassword "$P/reply.sh" 3<"$in" 4>"$P/fd4" 7<"$P/leaked" </dev/null)
	RC=$?
	MS=$((($(date +%s%N) - t0) / 1000000))
}
caller_ids="uid=$(id -u pfa_caller) gid=$(id -g pfa_caller) groups=$(id -G pfa_caller)"

: >"$PAMLOG"
run_dc pfa_caller "$P/alice" ORIG_UID=1 TCPREMOTEIP=127.0.0.1
t_is "$RC" 0 "dovecot: the reply's exit status"
t_ok "$(has "$caller_ids" && echo 0)" "dovecot: the reply runs as the caller, with its own groups"
t_is "$(printf 'userdb_uid=%s\t' "$(id -u pfa_alice)")" "$(cat "$P/fd4")" "dovecot: fd 4 reaches the reply"
t_is "$(printf '%s\n' "$OUT" | grep '^fd ' | grep -v "$P/reply.sh" | cut -d' ' -f2 | sort -n | tr '\n' ' ')" \
	"0 1 2 4 " "dovecot: the reply has fds 0, 1, 2 and 4 only (sh's own aside)"
t_is "$(printf '%s\n' "$OUT" | sed -n 's/^env //p' | grep -v '^PWD=' | tr '\n' ' ')" \
	"EXTRA=userdb_uid userdb_gid HOME=/home/pfa_alice ORIG_UID=$(id -u pfa_caller) PATH=/usr/sbin:/usr/bin:/sbin:/bin USER=pfa_alice userdb_gid=$(id -g pfa_alice) userdb_uid=$(id -u pfa_alice) " \
	"dovecot: exactly the reply's environment, ORIG_UID from the kernel"
t_ok "$(has "CapEff: 0000000000000000" && has "CapBnd: 0000000000000000" && has "NoNewPrivs: 1" && echo 0)" \
	"dovecot: no capability left, no_new_privs"
t_is "$(pam_count open_session)" 0 "dovecot: no PAM session"
t_is "$(grep -c '^auth ' "$PAMLOG")" 1 "dovecot: but PAM authenticated"
OUT=$(as_caller pfa_caller "$H" --checkpassword --dovecot "$P/reply.sh" 3<"$P/alice" 4>/dev/null </dev/null)
t_is "$?" 0 "dovecot: --dovecot selects the mode without Dovecot's variables"
t_ok "$(has "$caller_ids" && has "env ORIG_UID=$(id -u pfa_caller)" && echo 0)" \
	"dovecot: --dovecot: the reply as the caller, ORIG_UID set"
# The helper raised its own limits; the reply, run as the caller, gets the
# caller's back exactly.
OUT=$(as_caller pfa_caller prlimit --nofile=100:4096 "$H" --checkpassword --dovecot \
	"$P/reply.sh" 3<"$P/alice" 4>/dev/null </dev/null)
t_is "$(printf '%s\n' "$OUT" | grep '^limits ')" "limits 100 4096" \
	"dovecot: the reply has the caller's own rlimits (nofile 100:4096, not the helper's 1024)"

cpw_input "$P/lookup" pfa_alice ''
run_dc pfa_caller "$P/lookup" AUTHORIZED=1
t_is "$RC" 2 "lookup: a known user, the reply exits 2"
t_ok "$(has "env AUTHORIZED=2" && echo 0)" "lookup: AUTHORIZED=2 for the reply"
cpw_input "$P/lookup-unknown" pfa_nosuchuser ''
run_dc pfa_caller "$P/lookup-unknown" AUTHORIZED=1
t_is "$RC:$OUT" "3:" "lookup: an unknown user is 3"
cpw_input "$P/lookup-root" root ''
run_dc pfa_caller "$P/lookup-root" AUTHORIZED=1
t_is "$RC:$OUT" "3:" "lookup: root is 3"
# a lookup checks no password, and answers an unknown user at once: root
# must not stand out by a failure delay either (generous bound: ~0.1 s)
t_ok "$([ "$MS" -lt 2500 ] && echo 0)" "lookup: root without the failure delay (${MS} ms)"
run_dc pfa_caller "$P/alice" AUTHORIZED=1
t_is "$RC" 111 "lookup: with a password is 111 (never 2)"
run_dc pfa_caller "$P/lookup" AUTHORIZED=yes
t_is "$RC" 111 "AUTHORIZED other than 1 is refused (111, never 2)"
run_dc pfa_caller "$P/lookup" AUTHORIZED=1 CREDENTIALS_LOOKUP=1
t_is "$RC" 111 "credentials lookups are refused"

run_dc pfa_caller "$P/wrong" ORIG_UID=1
t_is "$RC:$OUT" "1:" "dovecot: wrong password is 1, the reply not run"
run_dc pfa_caller "$P/root" ORIG_UID=1
t_is "$RC:$OUT" "1:" "dovecot: root is 1"
OUT=$(env ORIG_UID=0 "$H" --checkpassword "$P/reply.sh" 3<"$P/alice" 4>/dev/null </dev/null)
t_is "$?:$OUT" "111:" "dovecot: a root caller is refused, never served as root"
OUT=$(env -i PATH="$PATH" setpriv --reuid=pfa_caller --regid=0 --groups="$(getent group pipefork | cut -d: -f3)" \
	-- env ORIG_UID=1 "$H" --checkpassword "$P/reply.sh" 3<"$P/alice" 4>/dev/null </dev/null)
t_is "$?:$OUT" "111:" "dovecot: a caller with gid 0 is refused too"
OUT=$(as_caller pfa_caller env ORIG_UID=1 "$H" --checkpassword "$P/reply.sh" 3<"$P/alice" </dev/null 4>&-)
t_is "$?:$OUT" "111:" "dovecot: fd 4 not open is 111"
OUT=$(as_caller pfa_caller env ORIG_UID=1 "$H" --checkpassword "$P/reply.sh" extra 3<"$P/alice" 4>/dev/null)
t_is "$?" 2 "dovecot: more than the reply program is a usage error"
t_done
