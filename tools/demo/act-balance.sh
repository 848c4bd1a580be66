# The load-balancing act (sourced by tools/demo/demo): lc-migrated runs in
# the client namespace, reaches every host's libvirtd over the fabric as a
# management box would, and moves VMs off host 1 once busy VMs start there.
# What is shown comes from the daemon: its metrics (host loads), its log
# (decisions, migrations) and lcctl why.

# lc-migrated is configured and started as its integration tests do it
# (tests/integration/lcd-common.sh: lcd_hosts, lcd_mode, daemon_start,
# lcctl, metric, where), with its state in $work/lc.
source "$top/tests/integration/lcd-common.sh"
lc=$work/lc

# Two busy VMs on host 1's front network: NAME ADDRESS BURN%. (On the back
# network they could not go to host 3, whose brback nobody made: lc-migrated
# refuses a target without the VM's bridge.) Each keeps a
# whole CPU busy; the hosts count 2 cores each, so host 1 goes to about
# 100 % while the others idle, as in lcd-balance.test. A guest's demand is
# its CPU time plus the time its vCPU waited for a CPU: near 1 however busy
# the machine is. Moving one VM away is enough.
batch=("batch1 198.18.1.31 100" "batch2 198.18.1.32 100")

lc_config() {
	mkdir -p "$lc"
	D=$lc
	lcd_hosts ${#hosts[@]} 2
	lcd_mode enforce
}

# sample: the hosts' loads as the core sees them, once; new migrations from
# the log (those not yet in $lc/moves: steps run in subshells, so the file
# is the count). Called about once a second while the act waits.
sample() {
	local m h load cores line vm from to
	m=$(metrics 2>/dev/null) || true
	[ -n "$m" ] || return 0
	for h in "${hosts[@]}"; do
		load=$(metric_in "lc_host_load{host=\"h$h\"}" <<<"$m")
		cores=$(metric_in "lc_host_cores{host=\"h$h\"}" <<<"$m")
		rec load "$(now_ms)" "$h" "$(awk -v l="$load" -v c="$cores" 'BEGIN { printf "%.1f", (c > 0) ? 100 * l / c : 0 }')"
	done
	rec rounds "$(now_ms)" "$(metric_in lc_rounds_total <<<"$m")"
	while read -r line; do
		[ -n "$line" ] || continue
		vm=$(sed -n "s/.*vm '\([^']*\)': migrated from '\([^']*\)' to '\([^']*\)'.*/\1/p" <<<"$line")
		from=$(sed -n "s/.*vm '\([^']*\)': migrated from '\([^']*\)' to '\([^']*\)'.*/\2/p" <<<"$line")
		to=$(sed -n "s/.*vm '\([^']*\)': migrated from '\([^']*\)' to '\([^']*\)'.*/\3/p" <<<"$line")
		echo "$(now_ms) $vm $from $to" >>"$lc/moves"
	done < <(grep 'event=migration.done' "$lc/log" | tail -n +$(($(wc -l <"$lc/moves") + 1)))
}

rounds_now() { rounds 2>/dev/null || echo 0; }

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
		"$B" guest-start 1 "$1" --wait ready --ip "$2/24" --tcp 7 --burn "$3" --bridge brfront &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
}

act_balance() {
	act "Load balancing: lc-migrated" \
		"lc-migrated samples every host's VMs through libvirt each round (3 s here, a minute in real life) and asks Sparrow's decision core what to move. Two busy VMs now start on host 1 (2 cores); watch it move one away, live, while it runs."
	lc_config
	: >"$lc/moves"
	# In this shell, not in a step: the daemon is a job of the demo's own
	# (stopped with the others at the end or on Ctrl-C).
	say "starting lc-migrated (enforce mode, 3 s rounds) on the client"
	daemon_start >"$work/log/lc-migrated-start.log" 2>&1 || {
		say "${red}lc-migrated did not start$plain; its log, $lc/log:"
		tail -n 20 "$lc/log" | sed 's/^/      /'
		exit 1
	}
	step "watching the calm cluster for 2 rounds" watch_rounds 2
	rec mark "$(now_ms)" "busy VMs start on host 1"
	step "two busy VMs start on host 1 (a whole CPU each)" start_batch_watched
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
		decision=$(grep -m1 "level=info event=lc.decision.*vm '$vm' on host '$from': moved to host '$to'" "$lc/log" |
			sed -n 's/.* msg="\(.*\)"$/\1/p' || true)
		if [ -n "$decision" ]; then core=yes; else core=no; fi
		rec move "$ms" "$vm" "${from#h}" "${to#h}" "$core" "$why" "$decision"
		say "moved $bold$vm$plain from host ${from#h} to host ${to#h} ($([ $core = yes ] && echo "the core's decision" || echo "NOT a decision of the core"))"
		[ -z "$decision" ] || printf '      %sthe core: %s%s\n' "$dim" "$decision" "$plain"
		printf '%s%s%s\n' "$dim" "$(sed 's/^/      lcctl why: /' <<<"$why" | head -n 6)" "$plain"
		rec where "$vm" "$(where "$vm")"
	done <"$lc/moves"
	daemon_stop >/dev/null 2>&1 || true
	act_probes after
}
