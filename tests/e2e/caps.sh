#!/bin/bash
# Capabilities granted in /etc/security/capability.conf (pam_cap's format),
# within pipefork-as.conf's caps_allowed: a granted user's child has exactly
# those in its inheritable, permitted, effective, ambient and bounding sets,
# so an exec'd program can bind port 81; an ungranted user has none.
. "$PFA_SRCDIR/tests/e2e/lib.sh"

bind81='import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", 81)); print("bound")
except OSError as e:
    print("errno", e.errno)'
NBS=0000000000000400 # CAP_NET_BIND_SERVICE (10)

mkdir -p /etc/security
printf '# test grants\ncap_net_bind_service pfa_alice\nnone *\n' >/etc/security/capability.conf
chmod 644 /etc/security/capability.conf

# The default ceiling is none: capability.conf alone grants nothing.
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice id
t_is "$(jqr .result.cap_ambient)" 0000000000000000 "default caps_allowed = none: no grant"

echo "caps_allowed = cap_net_bind_service" >"$CONF"
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice id
for k in cap_inheritable cap_permitted cap_effective cap_ambient cap_bounding; do
	t_is "$(jqr .result.$k)" "$NBS" "granted: $k is exactly cap_net_bind_service"
done
t_is "$(jqr .result.no_new_privs)" true "granted: still no_new_privs"
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice exec python3 -c "$bind81"
t_is "$(jqr .result.stdout)" "bound" "granted: the exec'd program binds port 81"
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice exec grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb)' /proc/self/status
t_is "$(jqr .result.stdout | awk 'NF {print $2}' | sort -u)" "$NBS" "after exec: every set is exactly the grant"

run_helper pfa_caller "$LAB_BOB_PW" --user pfa_bob id
for k in cap_inheritable cap_permitted cap_effective cap_ambient cap_bounding; do
	t_is "$(jqr .result.$k)" 0000000000000000 "not granted: $k empty"
done
run_helper pfa_caller "$LAB_BOB_PW" --user pfa_bob exec python3 -c "$bind81"
t_is "$(jqr .result.stdout)" "errno 13" "not granted: binding port 81 fails with EACCES"

# A group grant, and the ceiling cutting a grant down.
printf 'cap_net_bind_service,cap_net_raw @pfa_team\n' >/etc/security/capability.conf
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice id
t_is "$(jqr .result.cap_ambient)" "$NBS" "a @group grant, cut to caps_allowed"
echo "caps_allowed = cap_net_bind_service, cap_net_raw" >"$CONF"
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice id
t_is "$(jqr .result.cap_ambient)" 0000000000002400 "both, once both are allowed"

# An untrusted capability.conf is a configuration error, not a silent skip.
chmod 666 /etc/security/capability.conf
run_helper pfa_caller "$LAB_ALICE_PW" --user pfa_alice id
t_is "$(jqr .status)" config_error "a world-writable capability.conf: config_error"
rm -f "$CONF" /etc/security/capability.conf
t_done
