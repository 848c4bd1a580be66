# The shared-LVM act (sourced by tools/demo/demo). Its hosts are the
# shared-LVM bed's (tests/beds/slvm-host): two VMs of the VM runner on
# Debian's stock kernel, sharing one disk image as two hosts share a SAN
# LUN, with lvmlockd, sanlock and libvirt's sanlock lock manager. This
# machine's kernel has no device-mapper (no LVs at all), and the demo says
# so. The VMs boot for a minute or more under TCG, so the bed starts at the
# beginning of the demo, beside the cluster acts (slvm_start), and this act
# shows its results as they come (tools/demo/slvm-inside writes them).

SLVM=$build/slvm-helper/slvm-helper
SLVM_BED=$top/tests/beds/slvm-host
slvm_pid=
slvm_refusal=()

slvm_built() { [ -x "$SLVM" ] && [ -x "$SLVM_BED" ] && [ -x "$build/hooks/sparrow-hook" ]; }

# slvm_start: the bed, in the background (a job of the demo: stopped with
# the others on Ctrl-C; vmrun takes its VMs down on SIGTERM). The bed name
# is on the inside command's line, so that slvm_live can find host 1's run
# folder among other engineers' VM runners.
slvm_start() {
	slvm_built || return 0
	"$SLVM_BED" bed --timeout 600 -- "$demo_dir/slvm-inside" "demo-$bed" \
		>"$work/slvm.out" 2>"$work/log/slvm-bed.log" </dev/null &
	slvm_pid=$!
}

# slvm_live: host 1's live output (the VM runner's run folder holds the
# command's stdout while it runs); after the bed ended, its whole output.
slvm_live() {
	local f
	if ! kill -0 "$slvm_pid" 2>/dev/null; then
		cat "$work/slvm.out"
		return
	fi
	for f in /tmp/sparrow-vmrun-*/boot.sh; do
		if grep -qF -- "slvm-inside demo-$bed " "$f" 2>/dev/null; then
			cat "${f%boot.sh}out" 2>/dev/null || true
			return
		fi
	done
}

has_dm() { grep -qw device-mapper /proc/devices; }

act_slvm() {
	local why
	if has_dm; then
		why="Its two hosts are VMs of the VM runner (tests/beds/slvm-host) sharing one disk image."
	else
		why="This machine's kernel has no device-mapper (so no LVs at all): the act runs in the VM runner, two VMs on Debian's stock kernel that share one disk image as two hosts share a SAN LUN (tests/beds/slvm-host)."
	fi
	act "Shared LVM: slvm-helper" \
		"Two hosts see one disk. An LV made and resized on host 1 is seen with its new size on host 2, and a VM that runs on host 1 cannot start on host 2: its lease on the shared disk stops it. $why"
	if ! slvm_built; then
		say "slvm-helper is not built in this tree: act skipped"
		rec skipped slvm "slvm-helper is not built"
		return 0
	fi
	rec meta slvm_where "$(has_dm || echo "This machine's kernel has no device-mapper (so no LVs at all): ")The two hosts of this act are VMs of the VM runner (Debian's stock kernel under QEMU), sharing one disk image as two hosts share a SAN LUN, with lvmlockd and sanlock (tests/beds/slvm-host). They boot for a minute or more, so they started with the demo and ran beside acts 1 to 6."
	local shown=0 n t0 rc=0 line kind title ms result detail i=0
	t0=$(now_ms)
	while :; do
		mapfile -t lines < <(slvm_live | grep $'^@slvm\t' || true)
		n=${#lines[@]}
		while [ "$shown" -lt "$n" ]; do
			line=${lines[$shown]}
			shown=$((shown + 1))
			IFS=$'\t' read -r _ kind title ms result detail <<<"$line"
			[ -z "$tty" ] || printf '\r\e[K'
			slvm_show "$kind" "$title" "$ms" "$result" "$detail"
			t0=$(now_ms)
		done
		kill -0 "$slvm_pid" 2>/dev/null || break
		if [ -n "$tty" ]; then
			printf '\r   %s %s %s(%s)%s\e[K' "${spin_frames[i % ${#spin_frames[@]}]}" \
				"$([ "$shown" = 0 ] && echo "the two hosts boot (VMs under TCG, started with the demo)" || echo "next step")" \
				"$dim" "$(fmt_s $(($(now_ms) - t0)))" "$plain"
			i=$((i + 1))
			sleep 0.2
		else
			sleep 1
		fi
	done
	wait "$slvm_pid" || rc=$?
	slvm_pid=
	[ -z "$tty" ] || printf '\r\e[K'
	if [ $rc -ne 0 ]; then
		rec step "$act_no" "the shared-LVM bed" 0 failed "exit $rc: $(tail -n 3 "$work/log/slvm-bed.log" | tr '\n' ' ')"
		printf '   %s%s the shared-LVM bed failed%s (exit %s); its log, %s:\n' "$red" "$cross" "$plain" "$rc" "$work/log/slvm-bed.log"
		tail -n 25 "$work/log/slvm-bed.log" | sed 's/^/      /'
		exit 1
	fi
}

# slvm_show KIND FIELDS...: one result of slvm-inside, shown and recorded.
slvm_show() {
	case $1 in
	step)
		rec slvm "$2" "$3" "$4" "$5"
		rec step "$act_no" "$2" "$3" "$4"
		if [ "$4" = ok ]; then
			printf '   %s%s%s %s %s(%s)%s\n' "$green" "$tick" "$plain" "$2" "$dim" "$(fmt_s "$3")" "$plain"
			[ -z "$5" ] || printf '      %s%s%s\n' "$dim" "$5" "$plain"
		else
			printf '   %s%s %s failed%s (%s): %s\n' "$red" "$cross" "$2" "$plain" "$(fmt_s "$3")" "$5"
		fi
		if [ ${#slvm_refusal[@]} -gt 0 ]; then
			say "what the admin sees on host 2:"
			printf "      $bold%s$plain\n" "${slvm_refusal[@]}"
			slvm_refusal=()
		fi
		;;
	size)
		rec slvm_size "$2" "$3" "$4"
		;;
	refusal)
		# Shown after the step it belongs to (which ends after it).
		rec slvm_refusal "$2"
		slvm_refusal+=("$2")
		;;
	esac
}
