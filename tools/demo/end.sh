# The end of the demo (sourced by tools/demo/demo): what was left behind,
# checked after cleanup, and the report.

# check_leftovers: after "cluster down", nothing of the bed may remain:
# namespaces, processes (holders, daemons, QEMU, lc-migrated), mounts,
# links, the bed's state folder, VM runner folders and link sockets that
# this run made. Each finding is recorded; the summary says "clean" only
# when there is none.
check_leftovers() {
	local found=() p f owner
	while read -r p; do found+=("namespace $p"); done < <(ip netns list | awk '{print $1}' | grep -E "^$bed-" || true)
	while read -r p; do
		[ "$p" = $$ ] || found+=("process $p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-80)")
	done < <(pgrep -f -- "sparrow-bed-holder-$bed-|/run/sparrow-beds/$bed/|$work/" || true)
	grep -qE "/run/sparrow-beds/$bed/|$work/" /proc/self/mountinfo && found+=("mount $(grep -E "/run/sparrow-beds/$bed/|$work/" /proc/self/mountinfo | head -n 1)")
	ip -o link | grep -q "$bed" && found+=("link $(ip -o link | grep "$bed" | head -n 1)")
	[ ! -e "/run/sparrow-beds/$bed" ] || found+=("folder /run/sparrow-beds/$bed")
	for f in /tmp/sparrow-vmrun-* /tmp/sparrow-slvm-* /run/sparrow-vmlinks/*; do
		[ -e "$f" ] || continue
		grep -qxF "$f" "$work/tmp-before" 2>/dev/null && continue
		# Another engineer's VM runner may run now: only what no live
		# process owns is ours (every process of this run has ended).
		# vmrun's folders have an owner file, its link sockets one
		# beside them (NAME.owner); slvm-host's folders none.
		owner=
		for o in "$f/owner" "$f.owner" "$f"; do
			[ -f "$o" ] && [[ $o == */owner || $o == *.owner ]] && { owner=$(awk '{print $1}' "$o" 2>/dev/null || true); break; }
		done
		if [ -n "$owner" ] && [ -e "/proc/$owner" ]; then continue; fi
		[ -z "$owner" ] && pgrep -f -- "$f" >/dev/null && continue
		found+=("file $f")
	done
	if [ ${#found[@]} -eq 0 ]; then
		rec clean yes "namespaces, processes, mounts, links, state folders"
		say "${green}nothing left behind$plain: namespaces, processes, mounts, links and state folders checked"
	else
		for f in "${found[@]}"; do rec leftover "$f"; say "${red}left behind: $f$plain"; done
		rec clean no "${#found[@]} leftovers"
	fi
}

note_tmp_before() {
	ls -d /tmp/sparrow-vmrun-* /tmp/sparrow-slvm-* /run/sparrow-vmlinks/* 2>/dev/null >"$work/tmp-before" || true
}

write_report() { # EXIT_STATUS
	rec meta finished "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	rec meta total_ms "$(now_ms)"
	rec meta exit "$1"
	if "$REPORT" "$work/events.tsv" "$out/report.html" "$out/summary.json" >"$work/log/report.log" 2>&1; then
		printf '\n%sReport:%s %s\n' "$bold" "$plain" "$out/report.html"
		printf '%sSummary:%s %s\n' "$bold" "$plain" "$out/summary.json"
	else
		printf '\n%sthe report could not be written:%s\n' "$red" "$plain"
		cat "$work/log/report.log"
	fi
	printf '%sTook %s.%s\n' "$dim" "$(fmt_s "$(now_ms)")" "$plain"
}

act_end() {
	printf '\n%sDone.%s Every answer above came from libvirtd, QEMU guests and the kernel, through Sparrow'"'"'s programs.\n' "$bold" "$plain"
}
