# tests/e2e/compat_lib.sh — sourced by the compat front ends' e2e tests
# after lib.sh (inside the lab).
#   cpw_input FILE LOGIN PASSWORD [TIMESTAMP]   checkpassword's fd-3 bytes
#   free_port                  a TCP port free on 127.0.0.1 now
#   wait_port PORT             until something listens there (10 s at most)
#   stop_pid FILE              kill the pid in FILE and wait until it is gone
#   set_root_password          root gets a known password ($ROOT_PW), in the
#                              lab's private /etc: refusing root must not
#                              depend on not knowing it

ROOT_PW='root-Secret-0'

cpw_input() {
	printf '%s\0%s\0%s\0' "$2" "$3" "${4:-}" >"$1"
	chmod 644 "$1"
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() {
	local i
	for i in $(seq 100); do
		python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

stop_pid() {
	local pid i
	pid=$(cat "$1" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
}

set_root_password() {
	printf 'root:%s\n' "$ROOT_PW" | chpasswd
}
