# PFA_ADD_CFLAG(VAR, FLAG): append FLAG to VAR when the C compiler accepts it
# without a warning (probed with -Werror so an ignored flag is not taken).
AC_DEFUN([PFA_ADD_CFLAG], [
  AS_VAR_PUSHDEF([pfa_cv], [pfa_cv_cflag_$2])
  AC_CACHE_CHECK([whether $CC accepts $2], [pfa_cv], [
    pfa_save_CFLAGS=$CFLAGS
    CFLAGS="$CFLAGS -Werror $2"
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
      [AS_VAR_SET([pfa_cv], [yes])], [AS_VAR_SET([pfa_cv], [no])])
    CFLAGS=$pfa_save_CFLAGS])
  AS_VAR_IF([pfa_cv], [yes], [$1="$$1 $2"])
  AS_VAR_POPDEF([pfa_cv])
])

# PFA_ADD_LDFLAG(VAR, FLAG): append FLAG to VAR when linking with it works.
AC_DEFUN([PFA_ADD_LDFLAG], [
  AS_VAR_PUSHDEF([pfa_cv], [pfa_cv_ldflag_$2])
  AC_CACHE_CHECK([whether the linker accepts $2], [pfa_cv], [
    pfa_save_LDFLAGS=$LDFLAGS
    LDFLAGS="$LDFLAGS -Werror $2"
    AC_LINK_IFELSE([AC_LANG_PROGRAM([], [])],
      [AS_VAR_SET([pfa_cv], [yes])], [AS_VAR_SET([pfa_cv], [no])])
    LDFLAGS=$pfa_save_LDFLAGS])
  AS_VAR_IF([pfa_cv], [yes], [$1="$$1 $2"])
  AS_VAR_POPDEF([pfa_cv])
])
