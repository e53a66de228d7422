#!/bin/bash
# The helper's `list`: every file type by lstat, the fields (size, mode as
# four octal digits, mtime in seconds), byte order, errors, and its bounds:
# 262144 entries pass and one more fails, as does a listing over
# max_output; never a partial list.
. "$PFA_SRCDIR/tests/e2e/files_lib.sh"

d=$AH/types
install -d -o pfa_alice -g pfa_alice -m 750 "$d"
printf '12345' >"$d/file"
touch -d @1234567890 "$d/file"
mkdir -m 700 "$d/dir"
ln -s /nonexistent "$d/symlink"
mkfifo -m 600 "$d/fifo"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$d/socket"
mknod -m 600 "$d/char" c 1 3
mknod -m 600 "$d/block" b 7 0
chown -h pfa_alice:pfa_alice "$d"/*
chmod 4751 "$d/file" # after chown, which clears set-id bits

alice list types
t_is "$(jqr .status)" ok "list types"
t_is "$(jqj '[.result.entries[] | [.name, .type]]')" \
	'[["block","block"],["char","char"],["dir","dir"],["fifo","fifo"],["file","file"],["socket","socket"],["symlink","symlink"]]' \
	"every type, by lstat (the dangling symlink too), sorted"
t_is "$(jqj '.result.entries[] | select(.name == "file")')" \
	'{"name":"file","type":"file","size":5,"mode":"4751","mtime":1234567890}' "the fields of a file"
t_is "$(jqr '.result.entries[] | select(.name == "symlink") | .size')" 12 "a symlink's size is its own (lstat)"
t_is "$(jqr '.result.entries[] | select(.name == "dir") | .mode')" 0700 "a directory's mode"

alice stat types/fifo
t_is "$(jqj '[.result.type, .result.mode, .result.nlink]')" '["fifo","0600",1]' "stat of a fifo does not open it"
alice stat types
t_is "$(jqj '[.result.type, .result.mode, .result.uid, .result.gid]')" \
	"[\"dir\",\"0750\",$(id -u pfa_alice),$(id -g pfa_alice)]" "stat of a directory"

alice list types/file
t_ok "$(jqr .error | grep -q '^ENOTDIR' && echo 0)" "list of a file: $(jqr .error)"
alice list nothing-here
t_ok "$(jqr .error | grep -q '^ENOENT' && echo 0)" "list of nothing: $(jqr .error)"
install -d -o pfa_alice -g pfa_alice -m 700 "$AH/empty"
alice list empty
t_is "$(jqj .result)" '{"entries":[]}' "an empty directory: no entries, no . or .."

# Byte order: upper case before lower, shorter before longer.
install -d -o pfa_alice -g pfa_alice -m 700 "$AH/order"
for n in b a B ab A aa _ 0; do install -o pfa_alice -m 600 /dev/null "$AH/order/$n"; done
alice list order
t_is "$(jqj '[.result.entries[].name]')" '["0","A","B","_","a","aa","ab","b"]' "sorted by bytes"

# Bounds.
big=$AH/big
install -d -o pfa_alice -g pfa_alice -m 700 "$big"
python3 -c '
import os, sys
for i in range(int(sys.argv[2])):
    os.close(os.open("%s/%06d" % (sys.argv[1], i), os.O_CREAT | os.O_WRONLY, 0o600))' "$big" 262144
echo "max_output = 64M" >"$CONF"
alice list big
t_is "$(jqr .status) $(jqr '.result.entries | length')" "ok 262144" "262144 entries: listed"
t_is "$(jqr '.result.entries[-1].name')" 262143 "to the last"
: >"$big/262144"
alice list big
t_is "$(jqr .status)" op_failed "262145 entries: refused"
t_ok "$(jqr .error | grep -q '^EFBIG' && echo 0)" "with EFBIG: $(jqr .error)"
t_is "$(jqj .result)" '{}' "and no partial list"
rm -rf "$big"
echo "max_output = 1K" >"$CONF"
alice list order
t_is "$(jqr '.result.entries | length')" 8 "8 entries fit in max_output = 1K"
for i in $(seq 1 40); do install -o pfa_alice -m 600 /dev/null "$AH/order/name-$i"; done
alice list order
t_is "$(jqr .status)" op_failed "48 entries do not"
t_ok "$(jqr .error | grep -q '^EFBIG' && echo 0)" "with EFBIG: $(jqr .error)"
rm -f "$CONF"
t_done
