#!/bin/bash
# A caller that stops reading its end of stdout cannot hold the root
# parent, the user's child and the PAM session past the deadline.
. "$PFA_SRCDIR/tests/e2e/lib.sh"

echo "max_output = 1G" >"$CONF"
head -c 67108864 /dev/zero | tr '\0' 'a' >/home/pfa_alice/big.txt
chown pfa_alice /home/pfa_alice/big.txt

for mode in --raw ""; do
	: >"$PAMLOG"
	start=$(date +%s%N)
	# shellcheck disable=SC2086
	(printf '%s\n' "$LAB_ALICE_PW" | as_caller pfa_caller "$H" --timeout 2 $mode --user pfa_alice read big.txt 2>/dev/null | sleep 60) &
	sleep 0.5
	hpid=
	for _ in $(seq 100); do
		hpid=$(pgrep -x pipefork-as | head -1)
		[ -n "$hpid" ] && break
		sleep 0.05
	done
	while [ -n "$hpid" ] && kill -0 "$hpid" 2>/dev/null; do
		[ $((($(date +%s%N) - start) / 1000000)) -gt 20000 ] && break
		sleep 0.1
	done
	ms=$((($(date +%s%N) - start) / 1000000))
	t_ok "$([ "$ms" -lt 15000 ] && echo 0)" "read ${mode:-(JSON)} into a reader that never reads: the helper ends (${ms} ms)"
	t_is "$(pam_count open_session)" "$(pam_count close_session)" "read ${mode:-(JSON)}: the session was closed"
	t_is "$(pgrep -u pfa_alice | wc -l)" 0 "read ${mode:-(JSON)}: nothing of the user is left"
	pkill -x sleep 2>/dev/null
	wait
done
rm -f "$CONF"
t_done
