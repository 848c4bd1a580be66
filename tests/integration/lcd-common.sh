# Shared by the lcd-*.test (sourced, not run): a cluster bed of hosts with
# tiny guests, and lc-migrated running in the bed's client namespace, where
# it reaches every host's libvirtd over the fabric as a management box would.
#
# Expectations come from the daemon's own journal (its log, lcctl why) and
# metrics, counted in rounds, never from wall-clock time: the machine has 2
# shared cores and other tests run at once.
#   lcd_setup PREFIX N [CORES]   bed PREFIX$$ with N hosts of CORES (1) cores
#                                each, config in $D
#   lcd_policy <<EOF ... EOF     extra lines for lc.conf's [policy]
#   lcd_daemon <<EOF ... EOF     extra lines for lc.conf's [daemon]
#   daemon_start / daemon_stop / daemon_kill
#   lcctl ARGS...                the control client on this daemon's socket
#   mark; wait_log REGEX [SECS]  until the log has a matching line (after the mark)
#   where NAME                   the hosts running guest NAME ("2", or "1 2")
#   metric NAME[{LABELS}]        the value of a metric line
#   metric_in NAME               the same, from a metrics text on stdin
set -euo pipefail

B=$SP_TOP/tests/beds/cluster
LCD=$SP_BUILD/lc-migrated/lc-migrated
LCCTL=$SP_BUILD/lc-migrated/lcctl
D=
daemon_pid=

lcd_cleanup() {
	[ -z "$daemon_pid" ] || kill -9 "$daemon_pid" 2>/dev/null || true
	$B down || true
	if [ -n "$D" ] && [ -z "${SP_KEEP:-}" ]; then rm -rf "$D"; fi
}

lcd_setup() {
	local prefix=$1 n=$2 cores=${3:-1}
	export SP_BED=$prefix$$ SP_BED_OWNER=$$
	D=$(mktemp -d /tmp/sparrow-lcd-XXXXXX)
	trap lcd_cleanup EXIT
	$B up "$n"
	lcd_hosts "$n" "$cores"
	lcd_mode enforce
}

# lcd_hosts N CORES: $D/hosts.conf for the bed's hosts 1..N, CORES each.
# (tools/demo uses it too, with lcd_mode and daemon_start.)
lcd_hosts() {
	local n=$1 cores=$2 i
	{
		echo "[hosts]"
		for i in $(seq 1 "$n"); do echo "h$i = $($B uri "$i")"; done
		# Few cores, so that two burning guests overload a host; node
		# stats are the machine's, not a host's (docs/TESTING.md).
		for i in $(seq 1 "$n"); do
			printf '\n[host h%s]\ncores = %s\nhost_load = no\nmigration_uri = tcp://%s\n' \
				"$i" "$cores" "$($B addr "$i")"
		done
	} >"$D/hosts.conf"
}

# lc.conf with the test's short rounds and small windows; keys given with
# lcd_policy replace these in [policy], lcd_daemon's are added to [daemon];
# $D/conf.extra is appended.
lcd_mode() {
	local key
	cat >"$D/lc.conf" <<-CONF
		[daemon]
		mode = $1
		interval = ${LCD_INTERVAL:-3}
		socket = $D/sock
		metrics = 127.0.0.1:9468
		state = $D/state
		lock = $D/lock
		log_level = debug
		keepalive_interval = 2
		keepalive_count = 2
	CONF
	if [ -e "$D/daemon.extra" ]; then cat "$D/daemon.extra" >>"$D/lc.conf"; fi
	printf '\n[policy]\n' >>"$D/lc.conf"
	{
		cat <<-POLICY
			high = 90%
			high_window = 3
			low = 75%
			low_window = 3
			goal = 80%
			target_max = 70%
			spread = 100%
			risk_z = 2
			vm_ewma = 1/20
			vm_ewma_fast = 1/3
			vm_cooldown = 10m
			vm_cooldown_max = 1h
			host_cooldown = 15s
		POLICY
	} | while read -r key rest; do
		grep -q "^$key " "$D/policy.extra" 2>/dev/null || echo "$key $rest"
	done >>"$D/lc.conf"
	if [ -e "$D/policy.extra" ]; then cat "$D/policy.extra" >>"$D/lc.conf"; fi
	if [ -e "$D/conf.extra" ]; then cat "$D/conf.extra" >>"$D/lc.conf"; fi
}

lcd_policy() { cat >>"$D/policy.extra"; }
lcd_daemon() { cat >>"$D/daemon.extra"; }

# guests_start HOST:NAME[:BURN]...: gN answers on 198.18.0.10N port 7; all
# boot at once, and each is waited for.
guests_start() {
	local spec h name burn pids=() p
	for spec in "$@"; do
		IFS=: read -r h name burn <<<"$spec"
		$B guest-start "$h" "$name" --burn "${burn:-0}" --ip "198.18.0.10${name#g}/24" --tcp 7 &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
}

daemon_start() {
	# ip netns exec execs: $! is lc-migrated itself.
	ip netns exec "$SP_BED-cl" "$LCD" -c "$D" --foreground >>"$D/log" 2>&1 &
	daemon_pid=$!
	for _ in $(seq 1 100); do
		[ -S "$D/sock" ] && lcctl status >/dev/null 2>&1 && return 0
		kill -0 "$daemon_pid" 2>/dev/null || break
		sleep 0.1
	done
	cat "$D/log" >&2
	echo "lc-migrated did not start" >&2
	return 1
}

daemon_stop() {
	kill -TERM "$daemon_pid"
	wait "$daemon_pid" || true
	daemon_pid=
}

daemon_kill() {
	kill -9 "$daemon_pid"
	wait "$daemon_pid" 2>/dev/null || true
	daemon_pid=
}

lcctl() { "$LCCTL" -s "$D/sock" "$@"; }

# mark: wait_log looks only at lines logged after it (and after the
# previous wait_log's match).
mark_line=0
mark() { mark_line=$(wc -l <"$D/log"); }

wait_log() {
	local re=$1 secs=${2:-240} end n
	end=$((SECONDS + secs))
	until n=$(tail -n +$((mark_line + 1)) "$D/log" | grep -nE -m1 -- "$re" | cut -d: -f1) &&
		[ -n "$n" ]; do
		if [ $SECONDS -ge $end ]; then
			echo "FAIL: no log line matching '$re' within $secs s; the log's tail:" >&2
			tail -n 40 "$D/log" >&2
			return 1
		fi
		if [ -n "$daemon_pid" ] && ! kill -0 "$daemon_pid" 2>/dev/null; then
			echo "FAIL: lc-migrated died; the log's tail:" >&2
			tail -n 40 "$D/log" >&2
			return 1
		fi
		sleep 0.5
	done
	mark_line=$((mark_line + n))
}

# The rounds the daemon has run (from its metrics).
rounds() { metric lc_rounds_total; }

# wait_rounds N: until N more rounds have run.
wait_rounds() {
	local until=$(($(rounds) + $1)) end=$((SECONDS + 300))
	while [ "$(rounds)" -lt "$until" ]; do
		[ $SECONDS -lt $end ] || { echo "FAIL: rounds stopped" >&2; return 1; }
		sleep 0.5
	done
}

metrics() {
	ip netns exec "$SP_BED-cl" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9468 &&
		printf "GET /metrics HTTP/1.0\r\n\r\n" >&3 && cat <&3' | tr -d '\r'
}

# metric 'lc_migrations_total{result="done"}' -> 1 (integers as integers)
metric() { metrics | metric_in "$1"; }

# metric_in NAME: the same, read from a metrics text on stdin (one fetch
# for several values).
metric_in() {
	awk -v m="$1" '$1 == m { v = $2 } END { if (v == "") v = 0; printf "%s\n", v }' | sed 's/\.0*$//'
}

where() {
	local name=$1 h out=
	for h in $(seq 1 "$(cat "/run/sparrow-beds/$SP_BED/hosts")"); do
		if [ "$($B virsh "$h" domstate "$name" 2>/dev/null)" = running ]; then
			out="$out $h"
		fi
	done
	echo "${out# }"
}

# The guests' QEMU processes in the whole bed, as "HOST:NAME" lines.
qemus() {
	local h p
	for h in $(seq 1 "$(cat "/run/sparrow-beds/$SP_BED/hosts")"); do
		for p in $(ip netns pids "$SP_BED-h$h"); do
			{ tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null || true; echo; } |
				sed -n "s/.*guest=\([a-z0-9-]*\),.*/$h:\1/p"
		done
	done | sort
}

# one_qemu NAME HOST: within 30 s, NAME's only QEMU in the bed is HOST's (a
# source's QEMU ends a moment after libvirt reports the migration done).
one_qemu() {
	local end=$((SECONDS + 30))
	while [ "$(qemus | grep ":$1\$" | tr '\n' ' ')" != "$2:$1 " ]; do
		if [ $SECONDS -ge $end ]; then
			echo "QEMUs of $1: $(qemus | grep ":$1\$" | tr '\n' ' ')" >&2
			return 1
		fi
		sleep 0.2
	done
}

check() { # WHAT CONDITION...
	local what=$1
	shift
	if "$@"; then echo "ok   $what"; else
		echo "FAIL $what"
		tail -n 30 "$D/log"
		exit 1
	fi
}
