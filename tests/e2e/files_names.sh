#!/bin/bash
# Odd names round-trip through write, stat, list, rename, read and remove:
# a space, a newline, Maildir flags (':' and ','), quotes and backslashes, a
# leading '-', and bytes that are not UTF-8.  A caller passes a name as
# argv bytes; list gives a name that is not UTF-8 back in base64 with
# "name_encoding":"base64", which decodes to the same bytes.
. "$PFA_SRCDIR/tests/e2e/files_lib.sh"

install -d -o pfa_alice -g pfa_alice -m 700 "$AH/odd"
odd=("with space" $'new\nline' "m1:2,S" 'quote"back\slash' "-dash" $'bin\xff\xfe' $'caf\xc3\xa9')

# hexname: the bytes of $1 in hex (a name with a newline stays one line).
hexname() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }

i=0
for n in "${odd[@]}"; do
	i=$((i + 1))
	label=$(printf %q "$n")
	printf 'body %d\n' "$i" | alice_in write "odd/$n"
	t_is "$(jqr .status)" ok "write odd/<$label>"
	t_is "$(cat "$AH/odd/$n" 2>&1)" "body $i" "the file has exactly that name on disk <$label>"
	alice stat "odd/$n"
	t_is "$(jqr .result.type) $(jqr .result.size)" "file $((6 + ${#i}))" "stat <$label>"
done

# list: every name, each decoded to its bytes, in byte order.
alice list odd
t_is "$(jqr '.result.entries | length')" "${#odd[@]}" "list: ${#odd[@]} entries"
got=$(jqr '.result.entries[] | if .name_encoding == "base64" then .name else (.name | @base64) end' |
	while read -r b; do printf '%s' "$b" | base64 -d | od -An -tx1 | tr -d ' \n'; echo; done)
want=$(for n in "${odd[@]}"; do hexname "$n"; echo; done | LC_ALL=C sort)
t_is "$got" "$want" "list: every name comes back byte-exact, sorted by bytes"
t_is "$(jqr '[.result.entries[] | select(.name_encoding == "base64")] | length')" 1 \
	"list: only the name that is not UTF-8 is base64"
t_is "$(jqr '.result.entries[] | select(.name_encoding == "base64") | .name' | base64 -d | od -An -tx1 | tr -d ' \n')" \
	"$(hexname $'bin\xff\xfe')" "list: its base64 decodes to its bytes"
t_is "$(jqr '.result.entries[] | select(.name | startswith("new")) | .name')" "$(printf 'new\nline')" \
	"list: the newline comes back as a newline"

# The name read back from list goes back in argv: rename, read, remove.
b64=$(jqr '.result.entries[] | select(.name_encoding == "base64") | .name')
raw=$(printf '%s' "$b64" | base64 -d)
alice rename "odd/$raw" "odd/$raw:2,S"
t_is "$(jqr .status)" ok "rename the non-UTF-8 name as list gave it, adding :2,S"
alice read "odd/$raw:2,S"
t_is "$(jqj .result.data)" '"body 6\n"' "read it under its new name"
for n in "${odd[@]}"; do
	[ "$n" = "$raw" ] && n="$raw:2,S"
	label=$(printf %q "$n")
	alice read "odd/$n"
	t_is "$(jqr .status)" ok "read <$label>"
	alice remove "odd/$n"
	t_is "$(jqr .status)" ok "remove <$label>"
done
t_is "$(names "$AH/odd")" "" "every odd name is gone"
t_done
