#!/bin/bash
# Hostile input (PITFALLS 14, 15, 19, 29-31, 33): user names that are not
# names, look like uids or format strings; passwords with NUL, CR,
# oversize, without a newline, endless; 20,000 and oversize arguments; an
# untrusted config file.  Each gets a clear status before PAM when it can,
# one escaped and bounded syslog line, and never a password in the log.
. "$PFA_SRCDIR/tests/hostile/hlib.sh"

# One attempt as pfa_caller with name $1 and a wrong password: the status,
# PAM reached or not, and the log line's target field: the name escaped,
# or $4 ("-" when the command line was refused: no field was parsed).
try_name() {
	local name=$1 want=$2 desc=$3 pam0 esc line
	hl_sync
	pam0=$(grep -c '^auth ' "$PAMLOG")
	hrun not-the-password --user "$name" auth
	expect "$want" "$desc: $want"
	line=$(hl_last_log)
	esc=${4-$(hl_log_escape "$name")}
	t_ok "$(case "$line" in *" target=$esc service="*) echo 0 ;; esac)" "$desc: logged as target=$esc"
	if [ "$want" = bad_request ]; then
		t_is "$(grep -c '^auth ' "$PAMLOG")" "$pam0" "$desc: refused before PAM"
	fi
	t_is "$(jqr .uid)" null "$desc: no uid in the answer"
}

# The command line refuses control bytes and overlong names, so their log
# line has no target (the escaping of log_format is for what gets past it).
case_begin "user names that are not names"
try_name $'pfa_alice\nroot' bad_request "a newline" -
try_name $'\e[31mred\e[0m\e]0;title\a' bad_request "ANSI and OSC escapes" -
try_name $'pfa_alice\x7f' bad_request "DEL" -
try_name "$(head -c 100 /dev/zero | tr '\0' '\001')" bad_request "100 control bytes" -
try_name "$(head -c 5000 /dev/zero | tr '\0' a)" bad_request "5,000 bytes" -
try_name "" bad_request "empty" -
try_name -1 bad_request "-1"
try_name pfa_alice:x bad_request "a colon"
try_name "$(head -c 200 /dev/zero | tr '\0' '=')" auth_failed "200 bytes of '=' (escaped, cut at 64)"
case_end

case_begin "user names that look like uids (sudo CVE-2019-14287)"
for name in '#-1' 4294967295 '#4294967295' 0 '#0' 00; do
	try_name "$name" auth_failed "'$name'"
done
t_is "$(grep -c '^open_session' "$PAMLOG")" 0 "no session was opened for any of them"
case_end

case_begin "format strings as user names (polkit CVE-2021-3560's cousin, CVE-2015-4625)"
try_name '%n%n%n%n%n%n%n%n' auth_failed "%n"
try_name '%s%s%s%s%s%s%s%s%x%p' auth_failed "%s%p"
case_end

case_begin "non-ASCII and spaced user names"
try_name $'\xff\xfe' auth_failed "invalid UTF-8"
try_name 'ålice' auth_failed "UTF-8"
try_name 'pfa_alice ' auth_failed "a trailing space"
try_name 'PFA_ALICE' auth_failed "upper case"
try_name 'target=root outcome=ok' auth_failed "a forged log field"
t_is "$(hl_new_log | grep -c ' outcome=ok')" 0 "no forged outcome=ok"
case_end

NUL_PW="$P/nul.pw"
HL_SECRETS+=("crlf-password" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")

case_begin "passwords with NUL, CR, of 512 and 513 bytes, of 10 MB, endless"
printf '\0%s\n' "$LAB_ALICE_PW" >"$NUL_PW"
hrun_in "$NUL_PW" --user pfa_alice auth
expect auth_failed "NUL first: an empty password, refused (PAM_DISALLOW_NULL_AUTHTOK)"
printf '%s\r\n' "$LAB_ALICE_PW" >"$P/crlf.pw"
hrun_in "$P/crlf.pw" --user pfa_alice auth
expect auth_failed "CR LF: the CR is part of the password, never stripped"
head -c 512 /dev/zero | tr '\0' A >"$P/512.pw"
hrun_in "$P/512.pw" --user pfa_alice auth
expect auth_failed "512 bytes: the maximum, tried (wrong)"
head -c 513 /dev/zero | tr '\0' A >"$P/513.pw"
hrun_in "$P/513.pw" --user pfa_alice auth
expect bad_request "513 bytes: too long, never truncated"
head -c 10000000 /dev/zero | tr '\0' A >"$P/big.pw"
hrun_in "$P/big.pw" --user pfa_alice auth
expect bad_request "10 MB without a newline: too long"
t_ok "$([ "$MS" -lt 3000 ] && echo 0)" "without reading it all (${MS} ms)"
hrun_in /dev/zero --user pfa_alice exec cat
expect auth_failed "/dev/zero: an empty password; the endless rest is never read"
case_end

case_begin "a password without a newline; stdin that cannot be read"
printf '%s' "$LAB_ALICE_PW" >"$P/nonl.pw"
hrun_in "$P/nonl.pw" --user pfa_alice exec cat
expect ok "no newline: the password is what came before EOF"
t_is "$(jqr .result.stdout)" "" "and the command's stdin is at EOF"
hrun_in "$P" --user pfa_alice auth
expect internal_error "stdin is a directory: refused"
t_ok "$(jqr .error | grep -q 'reading the password: Is a directory' && echo 0)" "and says why: $(jqr .error)"
case_end

case_begin "20,000 arguments, oversize arguments (sudo's Baron Samedit)"
hl_sync
pam0=$(grep -c '^auth ' "$PAMLOG")
mapfile -t many < <(seq 20000)
hrun "$LAB_ALICE_PW" --user pfa_alice exec echo "${many[@]}"
expect bad_request "20,000 arguments"
t_ok "$(case "$(hl_last_log)" in *"caller=pfa_caller target=- "*) echo 0 ;; esac)" \
	"a refused command line is logged with its caller"
mapfile -t many < <(seq 4095)
hrun "$LAB_ALICE_PW" --user pfa_alice exec echo "${many[@]}"
expect ok "4,096 arguments (the limit) run"
t_is "$(jqr .result.stdout | wc -w)" 4095 "and all reach the command"
mapfile -t many < <(seq 4096)
hrun "$LAB_ALICE_PW" --user pfa_alice exec echo "${many[@]}"
expect bad_request "4,097 arguments"
big=$(head -c 131071 /dev/zero | tr '\0' x)
hrun "$LAB_ALICE_PW" --user pfa_alice exec sh -c 'echo ${#1}' - "$big"
expect ok "one argument of 131,071 bytes (the most execve(2) takes) runs"
t_is "$(jqr .result.stdout)" 131071 "and arrives whole"
big=$(head -c 140000 /dev/zero | tr '\0' x)
hrun "$LAB_ALICE_PW" --user pfa_alice exec echo "${big:0:120000}" "${big:0:120000}" "${big:0:120000}" \
	"${big:0:120000}" "${big:0:120000}" "${big:0:120000}" "${big:0:120000}" "${big:0:120000}" \
	"${big:0:120000}"
expect bad_request "nine of 120,000 bytes (over 1 MiB in all)"
hrun "$LAB_ALICE_PW" --user pfa_alice exec printf '%s|' $'a\nb' '\e[31m' '%n' '--user=root'
expect ok "arguments with newlines, escapes, %n, options: passed verbatim"
t_is "$(jqr .result.stdout)" $'a\nb|\\e[31m|%n|--user=root|' "the command got them as they were"
t_is "$(grep -c '^auth ' "$PAMLOG")" "$((pam0 + 3))" "only the three valid requests reached PAM"
case_end

case_begin "options out of bounds"
for opts in "--user pfa_alice --user pfa_bob" "--timeout 0" "--timeout -1" "--timeout 1e3" \
	"--timeout 0x10" "--timeout 99999999999999999999" "--timeout 86401" "--usr pfa_bob" \
	"--service ../../etc/shadow" "--no-auth=yes" "--timeout=" "--user"; do
	# shellcheck disable=SC2086
	hrun "$LAB_ALICE_PW" --user pfa_alice $opts auth
	expect bad_request "$opts: $(jqr .error)"
done
hrun "$LAB_ALICE_PW" --user pfa_alice --timeout 301 exec true
expect bad_request "--timeout above the policy's max_timeout"
case_end

# An untrusted config file: config_error before stdin is read or PAM runs.
conf_refused() {
	local desc=$1 rest
	hl_sync
	printf '%s\nTHE-REST\n' "$LAB_ALICE_PW" >"$P/in"
	exec 3<"$P/in"
	OUT=$(as_caller pfa_caller "$H" --user pfa_alice auth <&3)
	RC=$? HL_RUNS=$((HL_RUNS + 1))
	rest=$(cat <&3)
	exec 3<&-
	expect config_error "$desc: config_error"
	t_is "$rest" "$(cat "$P/in")" "$desc: not a byte of stdin read"
}

case_begin "the config file writable by others, not root's, a symlink, a FIFO, too big"
pam0=$(grep -c '^auth ' "$PAMLOG")
echo "max_timeout = 5" >"$P/good.conf"
install -m 666 "$P/good.conf" "$CONF"
conf_refused "world-writable"
chmod 620 "$CONF"
conf_refused "group-writable"
chmod 644 "$CONF" && chown pfa_caller "$CONF"
conf_refused "owned by the caller"
rm -f "$CONF" && install -m 644 "$P/good.conf" "$P/elsewhere.conf" && ln -s "$P/elsewhere.conf" "$CONF"
conf_refused "a symlink to a good file"
rm -f "$CONF" && mkfifo -m 644 "$CONF"
conf_refused "a FIFO (no hang)"
rm -f "$CONF" && mkdir -m 755 "$CONF"
conf_refused "a directory"
rmdir "$CONF" && head -c 70000 /dev/zero | tr '\0' '#' >"$CONF" && chmod 644 "$CONF"
conf_refused "over 64 KiB"
printf 'ops = all\nops = exec\n' >"$CONF" && chmod 644 "$CONF"
conf_refused "a duplicate key"
rm -f "$CONF"
t_is "$(grep -c '^auth ' "$PAMLOG")" "$pam0" "PAM never started"
case_end

case_begin "a caller whose passwd line outgrows the first name buffers (20,000-byte gecos)"
usermod -c "$(head -c 20000 /dev/zero | tr '\0' g)" pfa_caller
hrun "$LAB_ALICE_PW" --user pfa_alice auth
expect ok "the long passwd line changes nothing"
t_ok "$(case "$(hl_last_log)" in *"caller=pfa_caller target=pfa_alice "*) echo 0 ;; esac)" \
	"the log line names the caller, not its uid"
usermod -c "" pfa_caller
case_end

case_begin "Dovecot's reply program that cannot run is not logged ok"
# The one log line goes before execve; a reply path that does not exist
# (Dovecot misconfigured) must be logged as the failure it is.
printf 'pfa_alice\0%s\0\0' "$LAB_ALICE_PW" >"$P/cpw.in" && chmod 644 "$P/cpw.in"
hl_bounded 40 pfa_caller env ORIG_UID=1 "$H" --checkpassword --dovecot /nonexistent/reply \
	3<"$P/cpw.in" 4>/dev/null </dev/null
rc=$?
HL_RUNS=$((HL_RUNS + 1))
t_is "$rc" 111 "a reply program that cannot run: 111 (try again)"
line=$(hl_last_log)
t_ok "$(case "$line" in *" outcome=internal_error") echo 0 ;; esac)" "logged as internal_error: $line"
case_end

case_summary
