# The end of the demo (sourced by tools/demo/demo): what was left behind,
# checked after cleanup, and the report.

# check_leftovers: after "cluster down", nothing the run started may remain
# (tools/demo/leftovers says what it looks at). Each finding is recorded;
# the summary says "clean" only when there is none.
check_leftovers() {
	local found=() f
	mapfile -t found < <("$demo_dir/leftovers" "$bed" "$work" "$work/tmp-before")
	if [ ${#found[@]} -eq 0 ]; then
		rec clean yes "namespaces, processes, mounts, links, state folders, VM runner files"
		say "${green}nothing left behind$plain: namespaces, processes (VM runner QEMU too), mounts, links and files checked"
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
