# pam.d: the PAM service file, installed to $(pamdir) (configure
# --with-pamdir; ${sysconfdir}/pam.d by default).  Automake prefixes
# $(DESTDIR), so a staged install or distcheck writes nothing outside it.
dist_pam_DATA = pam.d/pipefork-as
