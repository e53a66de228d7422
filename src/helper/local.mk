# src/helper: see Makefile.am
