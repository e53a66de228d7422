#!/bin/bash
# A webmail's Maildir session end to end, every step a helper call as the
# user: mkdir Maildir and its new, cur and tmp; deliver into new/ (straight,
# and through tmp/ + rename); list; mark one read by renaming it into cur/
# with the flags ":2,S"; read it back byte-exact; remove; and what the
# kernel refuses on the way (EEXIST, ENOTEMPTY, EISDIR, ENOENT).  Every PAM
# session opened is closed.
. "$PFA_SRCDIR/tests/e2e/files_lib.sh"

: >"$PAMLOG"
for d in Maildir Maildir/new Maildir/cur Maildir/tmp; do
	alice mkdir "$d"
	t_is "$(jqr .status) $(jqj .result)" "ok {}" "mkdir $d"
done
t_is "$(stat -c '%a %U' "$AH/Maildir/cur")" "700 pfa_alice" "mkdir: 0700, the user's"
alice mkdir Maildir/a/b
t_ok "$(jqr .error | grep -q '^ENOENT' && echo 0)" "mkdir makes one level only: $(jqr .error)"
alice mkdir Maildir
t_ok "$(jqr .error | grep -q '^EEXIST' && echo 0)" "mkdir of an existing directory: $(jqr .error)"
alice stat Maildir
t_is "$(jqj '[.result.type, .result.mode, .result.uid]')" "[\"dir\",\"0700\",$(id -u pfa_alice)]" "stat Maildir"

m1=1700000001.M1P1.lab
m2=1700000002.M2P2.lab
printf 'From: bob@example.org\nSubject: caf\303\251\n\nHello \342\202\254\n' >"$P/m1"
printf 'From: carol@example.org\nSubject: two\n\nbinary \377\000 body\n' >"$P/m2"
alice_in write "Maildir/new/$m1" <"$P/m1"
t_is "$(jqr .status) $(jqr .result.size)" "ok $(stat -c %s "$P/m1")" "deliver m1 into new/"
alice_in write "Maildir/tmp/$m2" <"$P/m2"
t_is "$(jqr .status)" ok "deliver m2 into tmp/"
alice rename "Maildir/tmp/$m2" "Maildir/new/$m2"
t_is "$(jqr .status)" ok "and move it into new/"

alice list Maildir/new
t_is "$(jqj '[.result.entries[].name]')" "[\"$m1\",\"$m2\"]" "list new/: both, sorted"
t_is "$(jqj '[.result.entries[] | [.type, .mode, .size]]')" \
	"[[\"file\",\"0600\",$(stat -c %s "$P/m1")],[\"file\",\"0600\",$(stat -c %s "$P/m2")]]" \
	"list new/: type, mode, size"
t_is "$(jqr '.result.entries[0].mtime')" "$(stat -c %Y "$AH/Maildir/new/$m1")" "list new/: mtime"
alice list Maildir/tmp
t_is "$(jqj .result.entries)" "[]" "list tmp/: empty"

alice rename "Maildir/new/$m1" "Maildir/cur/$m1:2,S"
t_is "$(jqr .status)" ok "mark m1 read: rename into cur/ with :2,S"
alice list Maildir/cur
t_is "$(jqj '[.result.entries[].name]')" "[\"$m1:2,S\"]" "list cur/: the flags are in the name"
alice read "Maildir/cur/$m1:2,S"
t_is "$(jqr -j .result.data | sha256sum)" "$(sha256sum <"$P/m1")" "read m1 back in JSON: byte-exact"
t_is "$(jqr .result.size)" "$(stat -c %s "$P/m1")" "read: size"
alice read "Maildir/new/$m2"
t_is "$(jqr .result.encoding)" base64 "read m2 (not text): base64"
t_is "$(jqr .result.data | base64 -d | sha256sum)" "$(sha256sum <"$P/m2")" "read m2 back: byte-exact"
alice stat "Maildir/cur/$m1:2,S"
t_is "$(jqj '[.result.type, .result.size, .result.nlink]')" "[\"file\",$(stat -c %s "$P/m1"),1]" "stat cur/m1:2,S"

alice rename "Maildir/new/$m2" Maildir/cur
t_ok "$(jqr .error | grep -qE '^(EISDIR|EEXIST|ENOTEMPTY)' && echo 0)" "rename a file over a directory fails: $(jqr .error)"
alice rename Maildir/tmp Maildir/cur
t_ok "$(jqr .error | grep -qE '^(ENOTEMPTY|EEXIST)' && echo 0)" "rename over a directory that is not empty fails: $(jqr .error)"
alice remove Maildir/cur
t_ok "$(jqr .error | grep -q '^ENOTEMPTY' && echo 0)" "remove is never recursive: $(jqr .error)"
alice remove "Maildir/cur/$m1:2,S"
t_is "$(jqr .status)" ok "remove cur/m1:2,S"
t_ok "$([ ! -e "$AH/Maildir/cur/$m1:2,S" ] && echo 0)" "it is gone"
alice remove "Maildir/cur/$m1:2,S"
t_ok "$(jqr .error | grep -q '^ENOENT' && echo 0)" "remove it again: $(jqr .error)"
alice remove Maildir/tmp
t_is "$(jqr .status)" ok "remove an empty directory"
t_is "$(names "$AH/Maildir")" "$(printf 'cur\nnew')" "what is left: cur and new"
alice rename Maildir/cur Maildir/tmp
t_is "$(jqr .status)" ok "rename a directory"
t_is "$(names "$AH/Maildir")" "$(printf 'new\ntmp')" "and it moved"
t_is "$(pam_count open_session)" 24 "24 PAM sessions opened (one a call)"
t_is "$(pam_count close_session)" 24 "and each closed"
t_done
