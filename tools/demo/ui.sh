# The demo's voice (sourced by tools/demo/demo): what is happening, how long
# each step took, a spinner on waits when the output is a terminal and plain
# lines when it is not (CI, a pipe), and the record of every result, one
# tab-separated line each in $work/events.tsv, that demo-report turns into
# the HTML report and summary.json.

t_start=$(date +%s%3N)
now_ms() { echo $(($(date +%s%3N) - t_start)); }
if [ -t 1 ]; then
	tty=1
	bold=$'\e[1m' dim=$'\e[2m' red=$'\e[31m' green=$'\e[32m' plain=$'\e[0m'
else
	tty=
	bold= dim= red= green= plain=
fi
case ${LC_ALL:-${LC_CTYPE:-${LANG:-}}} in
*UTF-8* | *utf8*) spin_frames=(⠋ ⠙ ⠹ ⠸ ⠼ ⠴ ⠦ ⠧ ⠇ ⠏) tick=✓ cross=✗ ;;
*) spin_frames=('|' '/' '-' '\') tick=ok cross=NO ;;
esac

# rec KIND FIELD...: one line of the record. Fields come from programs and
# the kernel, so tabs and line ends in them become spaces (a field is one
# line), and nothing else is changed.
rec() {
	local out=$1 f
	shift
	for f in "$@"; do
		f=${f//$'\t'/ }
		f=${f//$'\n'/ }
		out+=$'\t'${f//$'\r'/ }
	done
	printf '%s\n' "$out" >>"$work/events.tsv"
}

act_no=0
act() { # TITLE EXPLANATION
	act_no=$((act_no + 1))
	act_title=$1
	printf '\n%s%d. %s%s\n' "$bold" "$act_no" "$1" "$plain"
	[ -z "${2:-}" ] || printf '%s   %s%s\n' "$dim" "$2" "$plain" | fold -s -w 100
	rec act "$act_no" "$1" "${2:-}"
}

say() { printf '   %s\n' "$*"; }

fmt_s() { printf '%d.%d s' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# step TITLE CMD...: run CMD (a function or program) with its output in a
# log of its own; show a spinner with the time so far on a terminal, a line
# when it starts on anything else; then its time, or its failure with the
# log's tail (and the demo stops: cleanup runs from the EXIT trap).
step_no=0
step() {
	local title=$1 t0 pid rc=0 i=0 ms log
	shift
	step_no=$((step_no + 1))
	log=$title
	log=${log// /-}
	log=$work/log/$(printf '%02d' "$step_no")-${log//[^a-z0-9-]/}.log
	t0=$(now_ms)
	[ -n "$tty" ] || printf '   %s ...\n' "$title"
	("$@") >"$log" 2>&1 &
	pid=$!
	step_pid=$pid
	if [ -n "$tty" ]; then
		while kill -0 "$pid" 2>/dev/null; do
			printf '\r   %s %s %s(%s)%s\e[K' "${spin_frames[i % ${#spin_frames[@]}]}" "$title" \
				"$dim" "$(fmt_s $(($(now_ms) - t0)))" "$plain"
			i=$((i + 1))
			sleep 0.1
		done
	fi
	wait "$pid" || rc=$?
	step_pid=
	ms=$(($(now_ms) - t0))
	[ -z "$tty" ] || printf '\r\e[K'
	if [ $rc -eq 0 ]; then
		printf '   %s%s%s %s %s(%s)%s\n' "$green" "$tick" "$plain" "$title" "$dim" "$(fmt_s "$ms")" "$plain"
		rec step "$act_no" "$title" "$ms" ok
		return 0
	fi
	printf '   %s%s %s failed%s (%s); its log, %s:\n' "$red" "$cross" "$title" "$plain" "$(fmt_s "$ms")" "$log"
	tail -n 25 "$log" | sed 's/^/      /'
	rec step "$act_no" "$title" "$ms" failed "$(tail -n 3 "$log" | tr '\n' ' ')"
	exit 1
}

# wait_for SECONDS WHAT CMD...: until CMD succeeds (quietly), at most SECONDS.
wait_for() {
	local secs=$1 what=$2 end
	shift 2
	end=$((SECONDS + secs))
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $end ] || { echo "gave up waiting for $what after $secs s" >&2; return 1; }
		sleep 0.5
	done
}
