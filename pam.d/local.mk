# pam.d: see Makefile.am
