# src/helper/pam: fragment of the pam module (see src/helper/local.mk)
libpfahelper_la_SOURCES += \
	src/helper/pam.h src/helper/pam.c \
	src/helper/pam_conv.c \
	src/helper/pam_lock.h src/helper/pam_lock.c
