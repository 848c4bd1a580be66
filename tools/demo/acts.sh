# The demo's acts (sourced by tools/demo/demo, after ui.sh). Each act says
# what it shows, runs the real programs in steps, and records what they
# answered.

hosts=(1 2 3)
fabric_addr() { echo "198.18.0.$((10 + $1))"; }
uris() { local h; for h in "${hosts[@]}"; do printf -- '--connect\n%s\n' "$($B uri "$h")"; done; }

# The demo's VMs: NAME HOST ADDRESS TCP_PORTS (the ports the guest answers
# on: its services, some of which its policies keep closed).
vms=(
	"web1 1 198.18.1.11 80,443,22,8080"
	"web2 2 198.18.1.12 80,443,22,8080"
	"db1 3 198.18.1.21 5432,3306,22"
)
office=198.18.1.2

# ---------------------------------------------------------------- cluster
act_cluster() {
	act "A cluster of three KVM hosts" \
		"Each host is a network namespace with its own libvirtd and QEMU, joined to the others by a switch; a fourth namespace, the client, stands for an office on the VMs' network."
	# The beds keep Debian's kernels and their images in a cache: a first
	# run fetches and builds them, and must say why it takes minutes.
	if ! ls -d "${SP_BEDS_CACHE:-/var/cache/sparrow-beds}"/guest-kernel-* >/dev/null 2>&1; then
		say "${dim}first run on this machine: Debian's kernels are fetched and the guest and VM-runner images built, once (a few minutes)$plain"
	fi
	step "starting 3 libvirt hosts" "$B" up 3
	local h
	for h in "${hosts[@]}"; do rec host "$h" "$($B uri "$h")"; done
	# libvirt relinks its chains one command at a time when a VM's filter
	# is instantiated; a host whose VMs all have filters drops what no
	# chain accepted (nwfilter-gen(8) recommends it).
	step "hosts drop forwarded traffic no VM filter accepts" host_forward_drop
}

host_forward_drop() {
	local h
	for h in "${hosts[@]}"; do
		"$B" exec "$h" iptables -P FORWARD DROP
		"$B" exec "$h" ip6tables -P FORWARD DROP
	done
}

# ---------------------------------------------------------------- networks
# write_networks NAME PEER...: NAME's networks.conf, the sample with its
# peers filled in (root's, mode 0600: netplug trusts no other file).
write_networks() {
	local name=$1 peers
	shift
	peers=$(IFS=,; echo "$*" | sed 's/,/, /g')
	mkdir -p "$work/$name"
	sed "s/@PEERS@/$peers/" "$demo_dir/config/networks.conf.in" >"$work/$name/networks.conf"
	chmod 600 "$work/$name/networks.conf"
}

record_netplug_status() { # HOST PHASE
	local line
	while read -r line; do
		# shellcheck disable=SC2086
		set -- $line
		rec net "$1" "$2" "$3" "$4" "$5" "${6:-}"
	done < <("$B" exec "$1" "$NP" -c "$work/h$1" status 2>/dev/null |
		awk -v h="$1" -v p="$2" '{print h, p, $1, $2, $3, $4}' || true)
}

client_network() {
	"$B" client "$NP" -c "$work/client" up front
	"$B" client ip addr add "$office/24" dev brfront
}

act_networks() {
	local h others
	act "Networks: netplug" \
		"Two VXLAN segments, front (VXLAN 100, bridge brfront) and back (VXLAN 200, bridge brback), from one sample networks.conf. netplug builds them over netlink on hosts 1 and 2; host 3 is left bare on purpose: the hook will build its networks when its first VM starts."
	for h in "${hosts[@]}"; do
		others=()
		for o in "${hosts[@]}"; do [ "$o" = "$h" ] || others+=("$(fabric_addr "$o")"); done
		write_networks "h$h" "${others[@]}" 198.18.0.2
	done
	write_networks client "$(fabric_addr 1)" "$(fabric_addr 2)" "$(fabric_addr 3)"
	step "netplug up on host 1" "$B" exec 1 "$NP" -c "$work/h1" up
	step "netplug up on host 2" "$B" exec 2 "$NP" -c "$work/h2" up
	step "the client joins the front network (netplug, 198.18.1.2)" client_network
	for h in "${hosts[@]}"; do record_netplug_status "$h" before; done
	say "netplug status, host 3: $("$B" exec 3 "$NP" -c "$work/h3" status 2>/dev/null |
		awk '{print $2 " " $1}' | paste -sd, | sed 's/,/, /g')"
}

# ---------------------------------------------------------------- firewall
act_firewall() {
	act "Firewall policies: nwfilter-gen" \
		"Three short policy files (web, admin-ssh, db) and firewall.conf, which binds them to the VMs, become libvirt nwfilters defined on every host, so a VM keeps its firewall wherever it runs."
	mkdir -p "$work/etc/policies.d"
	cp "$demo_dir/config/firewall.conf" "$work/etc/"
	cp "$demo_dir"/config/policies.d/*.policy "$work/etc/policies.d/"
	chmod 600 "$work/etc/firewall.conf" "$work"/etc/policies.d/*
	step "nwfilter-gen check" "$NG" check -c "$work/etc"
	# shellcheck disable=SC2046
	step "nwfilter-gen apply on the 3 hosts" "$B" client "$NG" apply -c "$work/etc" $(uris)
	local line
	while read -r line; do rec filters "$line"; done < <(grep 'filters defined' "$work/log/"*apply*.log)
	say "$(grep -c 'filters defined' "$work/log/"*apply*.log) hosts: $(grep -m1 -o '[0-9]* of [0-9]* filters defined' "$work/log/"*apply*.log)"
}

# ---------------------------------------------------------------- VMs
install_hooks() {
	local h dir=/run/sparrow-beds/$bed
	for h in "${hosts[@]}"; do
		mkdir -p "$dir/h$h/etc/hooks/qemu.d"
		# The hosts share the machine's /etc: each hook gets its own
		# config folder (with that host's networks.conf).
		printf '#!/bin/sh\nexec %s -c %s -- "$@"\n' "$HOOK" "$work/h$h" \
			>"$dir/h$h/etc/hooks/qemu.d/sparrow"
		chmod 755 "$dir/h$h/etc/hooks/qemu.d/sparrow"
	done
	# libvirtd finds hooks when it starts; the guests keep running.
	for h in "${hosts[@]}"; do "$B" restart "$h" & done
	wait
}

start_vm() { # NAME HOST ADDR TCP [extra guest options]
	local name=$1 h=$2 addr=$3 tcp=$4
	shift 4
	"$B" guest-start "$h" "$name" --wait ready --ip "$addr/24" --tcp "$tcp" "$@"
}

start_vms() {
	local v pids=() p
	for v in "${vms[@]}"; do
		# shellcheck disable=SC2086
		set -- $v
		start_vm "$1" "$2" "$3" "$4" --bridge brfront --filterref-bare "sparrow-vm-$1" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p"; done
}

front_routes() {
	local h
	for h in "${hosts[@]}"; do "$B" exec "$h" ip route replace 198.18.1.0/24 dev brfront; done
}

act_vms() {
	act "VMs start through sparrow-hook" \
		"libvirtd runs the hook before every start and every incoming migration: it makes sure the VM's bridge exists (netplug's ensure) and activates its shared disks. Each VM gets its nwfilter at once."
	step "installing sparrow-hook as each host's qemu hook" install_hooks
	step "starting web1 on host 1, web2 on host 2, db1 on host 3" start_vms
	# A reject rule answers with an ICMP error that the host itself sends:
	# without a route to the sender it has nowhere to send it, and the
	# reject acts as a drop. The hosts have no address on the VMs'
	# networks, so each gets a route to the front network.
	step "hosts route to the front network (so that a reject can answer)" front_routes
	local v
	for v in "${vms[@]}"; do
		# shellcheck disable=SC2086
		set -- $v
		rec vm "$1" "$2" "$3" "tcp $4" "$(sed -n "/^\[vm $1\]/,/^\[/s/^policies = //p" "$work/etc/firewall.conf")"
	done
	record_netplug_status 3 after
	say "host 3 before db1 started: $(awk -F'\t' '$1 == "net" && $2 == 3 && $3 == "before" {print $5 " " $4}' "$work/events.tsv" | paste -sd, | sed 's/,/, /g')"
	say "host 3 after:              $(awk -F'\t' '$1 == "net" && $2 == 3 && $3 == "after" {print $5 " " $4}' "$work/events.tsv" | paste -sd, | sed 's/,/, /g')"
}

# ---------------------------------------------------------------- probes
vm_addr() { local v; for v in "${vms[@]}"; do [ "${v%% *}" = "$1" ] && { echo "$v" | awk '{print $3}'; return; }; done; }
vm_ports() { local v; for v in "${vms[@]}"; do [ "${v%% *}" = "$1" ] && { echo "$v" | awk '{print $4}'; return; }; done; }

# The probes: FROM (office, or a VM) TO_VM PROTO PORT. Chosen to show
# each kind of rule: open to all, open to a set only, refused (reject),
# dropped (the default, and a VM's own outbound drop).
probes=(
	"office web1 tcp 80"
	"office web1 tcp 8080"
	"office web1 tcp 22"
	"office web2 tcp 443"
	"office db1 tcp 5432"
	"office db1 tcp 3306"
	"office db1 tcp 22"
	"web1 db1 tcp 5432"
	"web2 db1 tcp 22"
	"db1 web1 tcp 80"
)
# A VM's agent port the client may reach, to ask it to probe for us.
agent_port() { case $1 in web*) echo 80 ;; *) echo 22 ;; esac; }

# expect FROM TO PROTO PORT: "RESULT|OUT_VERDICT|IN_VERDICT" from
# nwfilter-gen verdict on the policy files (a VM's outbound rules, then
# the target's inbound ones) and whether the target listens on the port.
expect() {
	local from=$1 to=$2 proto=$3 port=$4 src outv=- inv result
	src=$office
	if [ "$from" != office ]; then
		src=$(vm_addr "$from")
		outv=$("$NG" verdict -c "$work/etc" "$from" out "$proto" "$port" "$(vm_addr "$to")")
	fi
	inv=$("$NG" verdict -c "$work/etc" "$to" in "$proto" "$port" "$src")
	case $outv in
	drop*) result=filtered ;;
	reject*) result=closed ;;
	*)
		case $inv in
		drop*) result=filtered ;;
		reject*) result=closed ;;
		*) if [[ ,$(vm_ports "$to"), == *,$port,* ]]; then result=open; else result=closed; fi ;;
		esac
		;;
	esac
	echo "$result|$outv|$inv"
}

observe() { # FROM TO PROTO PORT
	local from=$1 to=$2 proto=$3 port=$4 answer
	if [ "$from" = office ]; then
		answer=$("$B" probe "$proto" "$(vm_addr "$to")" "$port" 2000)
	else
		answer=$("$B" guest-probe "$(vm_addr "$from")" "$(agent_port "$from")" "$proto" "$(vm_addr "$to")" "$port")
	fi
	echo "${answer%% *}"
}

# A guest's agent answers one connection at a time, and a probe it makes
# for us keeps it busy for up to 1.5 s: a probe touching a guest while that
# guest probes for someone else would time out. So probes run in waves: a
# guest that makes or receives a guest-to-guest probe is in no other probe
# of that wave (the office's probes may share their targets: the prober is
# a process of its own, and the agent answers each at once).
run_probes() { # PHASE
	local left=("${!probes[@]}") gbusy obusy i from to rest
	while [ ${#left[@]} -gt 0 ]; do
		gbusy=" " obusy=" " rest=()
		for i in "${left[@]}"; do
			# shellcheck disable=SC2086
			set -- ${probes[$i]}
			from=$1 to=$2
			if [ "$from" = office ]; then
				[[ $gbusy == *" $to "* ]] && { rest+=("$i"); continue; }
				obusy+="$to "
			else
				[[ "$gbusy$obusy" == *" $to "* || "$gbusy$obusy" == *" $from "* ]] &&
					{ rest+=("$i"); continue; }
				gbusy+="$from $to "
			fi
			# shellcheck disable=SC2086
			(observe ${probes[$i]} >"$work/probe.$i.seen" 2>"$work/probe.$i.err" ||
				echo error >"$work/probe.$i.seen") &
		done
		wait
		left=(${rest[@]+"${rest[@]}"})
	done
}

act_probes() { # PHASE (before, after)
	local phase=$1 i p e seen bad=0 mark
	if [ "$phase" = before ]; then
		act "Does the firewall do what the policies say?" \
			"The client (the office) and the VMs themselves try ports. Beside each result: what nwfilter-gen verdict reads in the policy files, with the rule that decides."
	fi
	step "probing ${#probes[@]} ports ($phase the moves)" run_probes "$phase"
	for i in "${!probes[@]}"; do
		p=${probes[$i]}
		# shellcheck disable=SC2086
		e=$(expect $p)
		seen=$(cat "$work/probe.$i.seen")
		rm -f "$work/probe.$i.seen" "$work/probe.$i.err"
		mark=$tick
		[ "${e%%|*}" = "$seen" ] || { mark=$cross; bad=$((bad + 1)); }
		# shellcheck disable=SC2086
		set -- $p
		rec probe "$phase" "$1" "$2" "$3" "$4" "$(cut -d'|' -f2 <<<"$e")" "$(cut -d'|' -f3 <<<"$e")" "${e%%|*}" "$seen"
		[ "$phase" = before ] || continue
		printf '   %s %-7s -> %-5s %s %-5s %-9s policy: %-8s %s\n' "$mark" "$1" "$2" "$3" "$4" "$seen" "${e%%|*}" \
			"$(cut -d'|' -f3 <<<"$e")$([ "$(cut -d'|' -f2 <<<"$e")" = - ] || echo ", out: $(cut -d'|' -f2 <<<"$e")")"
	done
	if [ $bad -eq 0 ]; then say "${green}all ${#probes[@]} answers are what the policies say$plain"; else say "${red}$bad answers differ from the policies$plain"; fi
}
