#!/bin/bash
# The helper's `write`: atomic replace (a reader never sees a part), the old
# file kept whole and no temporary left when a write fails (timeout, input
# over max_output), modes kept or 0600, what write refuses to replace, and
# --append.
. "$PFA_SRCDIR/tests/e2e/files_lib.sh"

d=$AH/w
install -d -o pfa_alice -g pfa_alice -m 700 "$d"

# A new file: 0600, the user's, the bytes of the input.
printf 'one\ntwo\n' | alice_in write w/new
t_is "$(jqr .status)" ok "write: a new file"
t_is "$(jqr .result.size)" 8 "write: result.size"
t_is "$(stat -c '%a %U' "$d/new")" "600 pfa_alice" "write: a new file is 0600 and the user's"
t_is "$(cat "$d/new")" "$(printf 'one\ntwo\n')" "write: the content"

# A reader in a loop during a slow 20 MiB replace sees the old file or
# the new one, never a part; the mode 0640 is kept.
echo "max_output = 64M" >"$CONF"
head -c 20M /dev/urandom >"$P/A"
head -c 20M /dev/urandom >"$P/B"
install -o pfa_alice -g pfa_alice -m 640 "$P/A" "$d/f"
hA=$(sha "$P/A") hB=$(sha "$P/B")
rm -f "$P/done" "$P/samples"
(
	{
		printf '%s\n' "$LAB_ALICE_PW"
		for i in $(seq 0 19); do
			dd if="$P/B" bs=1M skip="$i" count=1 status=none
			sleep 0.1
		done
	} | as_caller pfa_caller "$H" --user pfa_alice write w/f >"$P/w.json"
	touch "$P/done"
) &
while [ ! -e "$P/done" ]; do
	sha "$d/f" >>"$P/samples"
done
wait
OUT=$(cat "$P/w.json")
t_is "$(jqr .status)" ok "atomic: the slow write succeeded"
t_is "$(jqr .result.size)" $((20 * 1024 * 1024)) "atomic: 20 MiB written"
t_is "$(sha "$d/f")" "$hB" "atomic: the file is the new content"
n=$(wc -l <"$P/samples")
nA=$(grep -c "^$hA\$" "$P/samples")
nB=$(grep -c "^$hB\$" "$P/samples")
t_is "$((nA + nB))" "$n" "atomic: each of $n reads saw the old or the new file ($nA old, $nB new)"
t_ok "$([ "$nA" -ge 1 ] && echo 0)" "atomic: the reader ran while the write went on ($nA reads of the old file)"
t_is "$(stat -c '%a %U' "$d/f")" "640 pfa_alice" "atomic: the mode of the old file is kept"
t_is "$(names "$d")" "$(printf 'f\nnew')" "atomic: no temporary left"

# A write killed by the timeout half-way: the old file whole, nothing left.
{
	printf '%s\n' "$LAB_ALICE_PW"
	head -c 1M "$P/A"
	sleep 4
} | as_caller pfa_caller "$H" --user pfa_alice --timeout 1 write w/f >"$P/t.json"
OUT=$(cat "$P/t.json")
t_is "$(jqr .status)" timeout "killed: the timeout ended the write"
t_is "$(sha "$d/f")" "$hB" "killed: the old file is whole"
t_is "$(names "$d")" "$(printf 'f\nnew')" "killed: no temporary left"

# Input over max_output is refused: never a truncated file.
echo "max_output = 1M" >"$CONF"
head -c $((1024 * 1024 + 1)) "$P/A" | alice_in write w/f
t_is "$(jqr .status)" op_failed "bound: 1 MiB + 1 over max_output = 1M fails"
t_ok "$(jqr .error | grep -q '^EFBIG' && echo 0)" "bound: EFBIG: $(jqr .error)"
t_is "$(sha "$d/f")" "$hB" "bound: the old file is whole"
t_is "$(names "$d")" "$(printf 'f\nnew')" "bound: no temporary left"
head -c $((1024 * 1024 + 1)) "$P/A" | alice_in --append write w/new
t_is "$(jqr .status)" op_failed "bound: --append over max_output fails"
t_is "$(cat "$d/new")" "$(printf 'one\ntwo\n')" "bound: and appends nothing"
head -c $((1024 * 1024)) "$P/A" >"$P/A1"
alice_in write w/f <"$P/A1"
t_is "$(jqr .status)" ok "bound: exactly max_output is fine"
t_is "$(sha "$d/f")" "$(sha "$P/A1")" "bound: and written whole"
rm -f "$CONF"

# What write will not replace.
ln -s new "$d/link"
chown -h pfa_alice:pfa_alice "$d/link"
echo x | alice_in write w/link
t_ok "$(jqr .error | grep -q '^ELOOP' && echo 0)" "a symlink is not replaced nor followed: $(jqr .error)"
t_is "$(readlink "$d/link")" new "the symlink is left as it was"
echo x | alice_in write w
t_ok "$(jqr .error | grep -q '^EISDIR' && echo 0)" "a directory: $(jqr .error)"
echo x | alice_in write w/
t_ok "$(jqr .error | grep -q '^EISDIR' && echo 0)" "a path ending in /: $(jqr .error)"
install -o pfa_alice -g pfa_alice -m 444 /dev/null "$d/ro"
echo x | alice_in write w/ro
t_ok "$(jqr .error | grep -q '^EACCES' && echo 0)" "a file the user may not write: $(jqr .error)"
t_is "$(stat -c %s "$d/ro")" 0 "and it is left as it was"
echo x | alice_in write w/nodir/x
t_ok "$(jqr .error | grep -q '^ENOENT' && echo 0)" "a missing directory: $(jqr .error)"

# The group of the old file is kept when the user is in it.
install -o pfa_alice -g pfa_team -m 660 /dev/null "$d/team"
echo shared | alice_in write w/team
t_is "$(stat -c '%a %G' "$d/team")" "660 pfa_team" "the group and mode of the old file are kept"

# --append: after the end, created 0600 when missing.
printf 'three\n' | alice_in --append write w/new
t_is "$(jqr .result.size)" 6 "append: result.size is what was appended"
t_is "$(cat "$d/new")" "$(printf 'one\ntwo\nthree\n')" "append: after the old content"
printf 'x' | alice_in --append write w/fresh
t_is "$(stat -c '%a %s' "$d/fresh")" "600 1" "append: a missing file is created 0600"
echo x | alice_in --append write w/link
t_ok "$(jqr .error | grep -q '^ELOOP' && echo 0)" "append: a symlink is not followed: $(jqr .error)"
t_is "$(pgrep -u pfa_alice | wc -l)" 0 "no process of the user is left"
t_done
