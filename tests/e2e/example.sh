#!/bin/bash
# The example builds against the installed library through pkg-config alone
# and prints the result from the unprivileged child.  Root, in the lab.
set -u
. "$PFA_SRCDIR/tests/e2e/tap.sh"
dest=$LAB_DIR/priv/dest
make -C "$PFA_BUILDDIR" install DESTDIR="$dest" >"$LAB_DIR/priv/install.log" 2>&1
t_ok $? "make install DESTDIR=..."
libdir=$(sed -n "s/^libdir=//p" "$PFA_BUILDDIR/src/lib/pipeforkas.pc")
prefix=$(sed -n "s/^prefix=//p" "$PFA_BUILDDIR/src/lib/pipeforkas.pc")
libdir=${libdir//\$\{exec_prefix\}/$prefix}
libdir=${libdir//\$\{prefix\}/$prefix}
export PKG_CONFIG_PATH=$dest$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest
flags=$(pkg-config --cflags --libs pipeforkas)
t_ok $? "pkg-config knows pipeforkas: $flags"
cc -Wall -Wextra -Werror -o "$LAB_DIR/priv/eggman" "$PFA_SRCDIR/examples/eggman.c" $flags
t_ok $? "eggman builds with pkg-config --cflags --libs pipeforkas alone"
# A sanitizer build's library pulls in ASan behind eggman's back: let it.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
out=$(LD_LIBRARY_PATH=$dest$libdir "$LAB_DIR/priv/eggman" pfa_alice 2>&1)
t_is "$out" "eggman (from uid $(id -u pfa_alice))" "eggman runs as pfa_alice"
out=$(LD_LIBRARY_PATH=$dest$libdir "$LAB_DIR/priv/eggman" root 2>&1)
t_ok $([ $? != 0 ] && echo 0 || echo 1) "eggman refuses root as a target: $out"
t_done
