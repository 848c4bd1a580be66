# The load-balancing act (sourced by tools/demo/demo): lc-migrated runs in
# the client namespace, reaches every host's libvirtd over the fabric as a
# management box would, and moves VMs off host 1 once busy VMs start there.
# What is shown comes from the daemon: its metrics (host loads), its log
# (decisions, migrations) and lcctl why.

lcd_build=${SP_DEMO_LC_BUILD:-$build}
LCD=$lcd_build/lc-migrated/lc-migrated
LCCTL=$lcd_build/lc-migrated/lcctl
lc=$work/lc
lcd_pid=

# Three busy VMs on host 1's back network: NAME ADDRESS BURN%. Each wants
# 40 % of a CPU; a host counts as one CPU here, so host 1 goes to about
# 120 % while the others idle. Moving one VM away is enough.
batch=("batch1 198.18.2.31 40" "batch2 198.18.2.32 40" "batch3 198.18.2.33 40")

lc_config() {
	local h
	mkdir -p "$lc"
	{
		echo "[hosts]"
		for h in "${hosts[@]}"; do echo "h$h = $($B uri "$h")"; done
		# The node's CPU statistics are the machine's, shared by all bed
		# hosts: a host's load is what its VMs want (host_load = no).
		for h in "${hosts[@]}"; do
			printf '\n[host h%s]\ncores = 1\nhost_load = no\nmigration_uri = tcp://%s\n' "$h" "$(fabric_addr "$h")"
		done
	} >"$lc/hosts.conf"
	# Short rounds and windows, so that it all happens in a minute; the
	# policy is lc-migrated's own, with a host over 90 % for 3 rounds
	# relieved down to 80 %.
	cat >"$lc/lc.conf" <<-CONF
		[daemon]
		mode = enforce
		interval = ${LC_INTERVAL:-3}
		socket = $lc/sock
		metrics = 127.0.0.1:9468
		state = $lc/state
		lock = $lc/lock
		log_level = info
		keepalive_interval = 2
		keepalive_count = 2

		[policy]
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
	CONF
	chmod 600 "$lc/hosts.conf" "$lc/lc.conf"
}

lcctl() { "$LCCTL" -s "$lc/sock" "$@"; }

metrics() {
	ip netns exec "$bed-cl" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9468 &&
		printf "GET /metrics HTTP/1.0\r\n\r\n" >&3 && cat <&3' 2>/dev/null | tr -d '\r'
}

metric_of() { # TEXT NAME
	awk -v m="$2" '$1 == m { v = $2 } END { if (v == "") v = 0; print v }' <<<"$1"
}

lcd_ready() { [ -S "$lc/sock" ] && lcctl status >/dev/null 2>&1; }

# sample: the hosts' loads as the core sees them, once; new migrations from
# the log (those not yet in $lc/moves: steps run in subshells, so the file
# is the count). Called about once a second while the act waits.
sample() {
	local m h load cores line vm from to
	m=$(metrics)
	[ -n "$m" ] || return 0
	for h in "${hosts[@]}"; do
		load=$(metric_of "$m" "lc_host_load{host=\"h$h\"}")
		cores=$(metric_of "$m" "lc_host_cores{host=\"h$h\"}")
		rec load "$(now_ms)" "$h" "$(awk -v l="$load" -v c="$cores" 'BEGIN { printf "%.1f", (c > 0) ? 100 * l / c : 0 }')"
	done
	rec rounds "$(now_ms)" "$(metric_of "$m" lc_rounds_total)"
	while read -r line; do
		[ -n "$line" ] || continue
		vm=$(sed -n "s/.*vm '\([^']*\)': migrated from '\([^']*\)' to '\([^']*\)'.*/\1/p" <<<"$line")
		from=$(sed -n "s/.*vm '\([^']*\)': migrated from '\([^']*\)' to '\([^']*\)'.*/\2/p" <<<"$line")
		to=$(sed -n "s/.*vm '\([^']*\)': migrated from '\([^']*\)' to '\([^']*\)'.*/\3/p" <<<"$line")
		echo "$(now_ms) $vm $from $to" >>"$lc/moves"
	done < <(grep 'event=migration.done' "$lc/log" | tail -n +$(($(wc -l <"$lc/moves") + 1)))
}

rounds_now() { metric_of "$(metrics)" lc_rounds_total; }

watch_rounds() { # N: sample until N more rounds have run
	local until=$(($(rounds_now) + $1)) end=$((SECONDS + 120))
	while [ "$(rounds_now)" -lt "$until" ] && [ $SECONDS -lt $end ]; do sample; sleep 1; done
	sample
}

# watch_moves: until the daemon has moved VMs and then stays quiet for some
# rounds (the quick demo stops two rounds after the first move).
watch_moves() {
	local quiet=0 last=0 n r end=$((SECONDS + 240)) settle=${1:-5}
	r=$(rounds_now)
	while [ $SECONDS -lt $end ]; do
		sample
		n=$(wc -l <"$lc/moves" 2>/dev/null || echo 0)
		if [ "$(rounds_now)" != "$r" ]; then
			r=$(rounds_now)
			if [ "$n" -gt 0 ] && [ "$n" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; fi
			last=$n
			[ "$n" -gt 0 ] && [ $quiet -ge "$settle" ] && return 0
		fi
		sleep 1
	done
	[ "$(wc -l <"$lc/moves" 2>/dev/null || echo 0)" -gt 0 ] || { echo "no VM moved within 240 s" >&2; tail -n 20 "$lc/log" >&2; return 1; }
}

# start_batch, sampling the loads meanwhile (the guests boot for seconds).
start_batch_watched() {
	local pid rc=0
	start_batch &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do sample; sleep 1; done
	wait "$pid" || rc=$?
	return $rc
}

start_batch() {
	local b pids=() p
	for b in "${batch[@]}"; do
		# shellcheck disable=SC2086
		set -- $b
		"$B" guest-start 1 "$1" --wait ready --ip "$2/24" --tcp 7 --burn "$3" --bridge brback &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
}

act_balance() {
	act "Load balancing: lc-migrated" \
		"lc-migrated samples every host's VMs through libvirt each round (3 s here, a minute in real life) and asks Sparrow's decision core what to move. Three busy VMs now start on host 1; watch it move VMs away, live, while they run."
	if [ ! -x "$LCD" ] || [ ! -x "$LCCTL" ]; then
		say "lc-migrated is not built in this tree: act skipped"
		rec skipped balance "lc-migrated is not built"
		return 0
	fi
	lc_config
	: >"$lc/moves"
	ip netns exec "$bed-cl" "$LCD" -c "$lc" --foreground >>"$lc/log" 2>&1 &
	lcd_pid=$!
	step "starting lc-migrated (enforce mode) on the client" wait_for 30 "lc-migrated's socket" lcd_ready
	step "watching the calm cluster for 2 rounds" watch_rounds 2
	rec mark "$(now_ms)" "busy VMs start on host 1"
	step "three busy VMs start on host 1 (40 % of a CPU each)" start_batch_watched
	local b
	for b in "${batch[@]}"; do
		# shellcheck disable=SC2086
		set -- $b
		rec vm "$1" 1 "$2" "burns $3 %" "-"
	done
	step "waiting for lc-migrated to relieve host 1" watch_moves "$([ -n "$quick" ] && echo 2 || echo 5)"
	local ms vm from to why core decision
	while read -r ms vm from to; do
		why=$(lcctl why "$vm" 2>&1 || true)
		# The core's decision, as lc-migrated logged it when it was taken.
		decision=$(grep -m1 "event=lc.decision.*vm '$vm' on host '$from': moved to host '$to'" "$lc/log" |
			sed -n 's/.* msg="\(.*\)"$/\1/p' || true)
		if [ -n "$decision" ]; then core=yes; else core=no; fi
		rec move "$ms" "$vm" "${from#h}" "${to#h}" "$core" "$why" "$decision"
		say "moved $bold$vm$plain from host ${from#h} to host ${to#h} ($( [ $core = yes ] && echo "the core's decision" || echo "NOT a decision of the core"))"
		[ -z "$decision" ] || printf '      %sthe core: %s%s\n' "$dim" "$decision" "$plain"
		printf '%s%s%s\n' "$dim" "$(sed 's/^/      lcctl why: /' <<<"$why" | head -n 6)" "$plain"
		rec where "$vm" "$(for h in "${hosts[@]}"; do [ "$("$B" virsh "$h" domstate "$vm" 2>/dev/null)" = running ] && echo "$h"; done | paste -sd' ')"
	done <"$lc/moves"
	kill -TERM "$lcd_pid" 2>/dev/null || true
	wait "$lcd_pid" 2>/dev/null || true
	lcd_pid=
	act_probes after
}
