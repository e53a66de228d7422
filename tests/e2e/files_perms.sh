#!/bin/bash
# The kernel decides: every file operation runs as the user, so another
# user's 0600 file, a symlink to /etc/shadow and a directory without x (or
# without r) are refused with EACCES, and no byte of them reaches the
# answer.
. "$PFA_SRCDIR/tests/e2e/files_lib.sh"

BH=$(getent passwd pfa_bob | cut -d: -f6)
chmod 755 "$BH"
printf 'bob-only-secret\n' >"$BH/secret"
chown pfa_bob:pfa_bob "$BH/secret"
chmod 600 "$BH/secret"

# Another user's 0600 file in a directory anyone may search.
alice read "$BH/secret"
t_is "$(jqr .status)" op_failed "pfa_bob's 0600 file: read refused"
t_ok "$(jqr .error | grep -q '^EACCES' && echo 0)" "with EACCES: $(jqr .error)"
t_ok "$(printf '%s' "$OUT" | grep -q bob-only-secret || echo 0)" "and none of its bytes in the answer"
t_is "$(jqr .user) $(jqr .uid)" "pfa_alice $(id -u pfa_alice)" "the answer names the user who ran"
echo mine | alice_in write "$BH/secret"
t_ok "$(jqr .error | grep -q '^EACCES' && echo 0)" "write refused: $(jqr .error)"
alice remove "$BH/secret"
t_ok "$(jqr .error | grep -q '^EACCES' && echo 0)" "remove refused: $(jqr .error)"
alice rename "$BH/secret" stolen
t_ok "$(jqr .error | grep -q '^EACCES' && echo 0)" "rename refused: $(jqr .error)"
t_is "$(cat "$BH/secret")" bob-only-secret "pfa_bob's file is untouched"
alice stat "$BH/secret"
t_is "$(jqr .result.uid)" "$(id -u pfa_bob)" "stat only needs search permission (as for the user's own stat)"
chmod 700 "$BH"
alice list "$BH"
t_ok "$(jqr .error | grep -q '^EACCES' && echo 0)" "pfa_bob's 0700 home cannot be listed: $(jqr .error)"
alice stat "$BH/secret"
t_ok "$(jqr .error | grep -q '^EACCES' && echo 0)" "nor anything in it looked at: $(jqr .error)"

# A symlink to /etc/shadow in the user's own home.
ln -s /etc/shadow "$AH/shadow"
chown -h pfa_alice:pfa_alice "$AH/shadow"
alice read shadow
t_ok "$(jqr .error | grep -q '^EACCES' && echo 0)" "a symlink to /etc/shadow: read refused: $(jqr .error)"
t_ok "$(printf '%s' "$OUT" | grep -q 'root:' || echo 0)" "and none of /etc/shadow in the answer"
alice stat shadow
t_is "$(jqr .result.type)" symlink "stat shows the symlink, not its target"
alice list .
t_is "$(jqr '.result.entries[] | select(.name == "shadow") | .type')" symlink "list shows it as a symlink"
echo x | alice_in write shadow
t_ok "$(jqr .error | grep -q '^ELOOP' && echo 0)" "write neither follows nor replaces it: $(jqr .error)"
alice remove shadow
t_is "$(jqr .status)" ok "remove takes the link away"
t_ok "$([ -f /etc/shadow ] && echo 0)" "and leaves /etc/shadow"

# A directory without x (r only), and one without r (x only).
install -d -o pfa_alice -g pfa_alice -m 700 "$AH/nox"
echo inside >"$AH/nox/f" && chown pfa_alice "$AH/nox/f"
chmod 600 "$AH/nox"
alice read nox/f
t_ok "$(jqr .error | grep -q '^EACCES' && echo 0)" "a directory without x: read refused: $(jqr .error)"
alice list nox
t_ok "$(jqr .error | grep -q '^EACCES' && echo 0)" "list refused (its entries cannot be lstat'd): $(jqr .error)"
echo x | alice_in write nox/g
t_ok "$(jqr .error | grep -q '^EACCES' && echo 0)" "write refused: $(jqr .error)"
alice mkdir nox/d
t_ok "$(jqr .error | grep -q '^EACCES' && echo 0)" "mkdir refused: $(jqr .error)"
chmod 300 "$AH/nox"
alice list nox
t_ok "$(jqr .error | grep -q '^EACCES' && echo 0)" "a directory without r: list refused: $(jqr .error)"
alice read nox/f
t_is "$(jqj .result.data)" '"inside\n"' "but a file in it whose name is known can be read"
t_done
