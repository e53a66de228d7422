# scripts/deps.sh — sourced by scripts/check and scripts/demo: install, with
# apt-get, the Debian 12 packages the build and the tests need, only those
# missing.  Needs root when something is missing.
PFA_BUILD_DEPS="autoconf automake libtool pkg-config make gcc libc6-dev
 libpam0g-dev libcap-dev libcriterion-dev"
# scripts/demo needs only these beside the build: no test servers.
PFA_DEMO_DEPS="libpam-modules libpam-runtime jq util-linux mount passwd login procps"
PFA_TEST_DEPS="libpam-modules libpam-runtime libpam-wrapper libnss-wrapper
 libuid-wrapper pamtester jq util-linux passwd login procps python3 clang
 libclang-rt-14-dev valgrind curl dovecot-imapd apache2 libapache2-mod-authnz-external
 bindfs"

pfa_install_deps() {
	local missing="" p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "missing packages:$missing (run as root to install them)" >&2
		return 1
	fi
	echo "== installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
}
