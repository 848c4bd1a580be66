# Shared by the test beds (sourced, not run): names, the cache of Debian
# kernels and the initramfs builder. Everything a bed downloads or builds lives
# in $SP_BEDS_CACHE (outside the repo), keyed by package version and source
# hash, so fresh clones on the same machine reuse it.

# bed_error MESSAGE: on stderr, and appended to the test's log when the
# integration runner set SP_TEST_LOG and stderr goes elsewhere: a test that
# keeps a bed's stderr to itself and then stops (set -e) must not leave an
# empty log behind.
bed_error() {
	echo "beds: $*" >&2
	if [ -n "${SP_TEST_LOG:-}" ] && ! [ /dev/stderr -ef "$SP_TEST_LOG" ]; then
		echo "beds: $*" >>"$SP_TEST_LOG" 2>/dev/null || true
	fi
}

# Errors inside $(...) stop the script too, and no failure is silent: say
# which command of which script stopped it.
shopt -s inherit_errexit
set -E
trap 'bed_error "$(basename "$0"): line $LINENO: \"$BASH_COMMAND\" failed"' ERR
beds_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SP_BEDS_CACHE=${SP_BEDS_CACHE:-/var/cache/sparrow-beds}
# Debian 12's kernel ABI; apt picks the newest build of it.
SP_KERNEL_ABI_RE='^linux-image-6\.1\.0-[0-9]+-'

die() { bed_error "$*"; exit 1; }
note() { [ -n "${SP_BEDS_QUIET:-}" ] || echo "beds: $*" >&2; }

# A process's start time (field 22 of /proc/PID/stat): with the pid, it
# names one process for good, even after the pid is reused.
proc_start() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'
}

# cache_locked CMD...: run CMD holding the cache's lock. Several beds (other
# engineers' tests) may start at once on a fresh machine; the first fetches
# and builds, the others wait and then find the result ready.
cache_locked() {
	mkdir -p "$SP_BEDS_CACHE"
	(
		flock 9
		"$@"
	) 9>"$SP_BEDS_CACHE/.lock"
}

# kernel_dir FLAVOUR (cloud-amd64 | amd64): fetch and unpack the newest
# Debian 12 kernel of that flavour once; print the unpacked directory,
# $SP_BEDS_CACHE/kernel-PACKAGE_VERSION (with modules.dep made by depmod).
# Call it under cache_locked. Work happens in temporary names that are
# renamed into place, so an interrupted run leaves nothing half-made.
kernel_dir() {
	local flavour=$1 pkg ver deb dir tmp
	mkdir -p "$SP_BEDS_CACHE/debs"
	# A kernel already unpacked serves (asking apt costs a second a call);
	# SP_BEDS_REFRESH=1 looks for a newer one.
	if [ -z "${SP_BEDS_REFRESH:-}" ]; then
		dir=$(ls -d "$SP_BEDS_CACHE"/kernel-linux-image-* 2>/dev/null |
			grep -E "/kernel-linux-image-6\.1\.0-[0-9]+-${flavour}_[^/]*\$" | sort -V | tail -n 1 || true)
		if [ -n "$dir" ] && [ -e "$dir/.ready" ]; then
			cache_used "$dir"
			echo "$dir"
			return 0
		fi
	fi
	pkg=$(apt-cache search --names-only "${SP_KERNEL_ABI_RE}${flavour}\$" 2>/dev/null |
		awk '{print $1}' | sort -V | tail -n 1)
	if [ -z "$pkg" ]; then
		# apt lists may be missing on a fresh machine.
		apt-get update -q >/dev/null 2>&1 || true
		pkg=$(apt-cache search --names-only "${SP_KERNEL_ABI_RE}${flavour}\$" |
			awk '{print $1}' | sort -V | tail -n 1)
	fi
	[ -n "$pkg" ] || die "no Debian kernel package for flavour $flavour (apt-get update?)"
	ver=$(apt-cache policy "$pkg" | awk '$1 == "Candidate:" {print $2}')
	dir=$SP_BEDS_CACHE/kernel-${pkg}_$ver
	if [ ! -e "$dir/.ready" ]; then
		deb=$SP_BEDS_CACHE/debs/${pkg}_${ver}_amd64.deb
		if [ ! -e "$deb" ]; then
			note "fetching $pkg $ver"
			tmp=$(mktemp -d "$SP_BEDS_CACHE/.fetch.XXXXXX")
			(cd "$tmp" && apt-get download -q "$pkg=$ver" >/dev/null 2>&1) ||
				{ rm -rf "$tmp"; die "apt-get download $pkg=$ver failed"; }
			mv "$tmp"/*.deb "$deb"
			rm -rf "$tmp"
		fi
		tmp=$(mktemp -d "$SP_BEDS_CACHE/.unpack.XXXXXX")
		dpkg -x "$deb" "$tmp"
		depmod -b "$tmp" "$(ls "$tmp/lib/modules")"
		touch "$tmp/.ready"
		rm -rf "$dir"
		mv -T "$tmp" "$dir"
	fi
	cache_used "$dir"
	echo "$dir"
}

# module_closure KDIR MODULE...: the .ko paths (relative to the modules dir)
# of the modules and their dependencies, dependencies first.
module_closure() {
	local kdir=$1
	shift
	local mdir
	mdir=$(echo "$kdir"/lib/modules/*)
	awk -v want="$*" '
		BEGIN { n = split(want, w, " ") }
		{
			path = $1; sub(":", "", path)
			name = path; sub(".*/", "", name); sub("\\.ko.*", "", name)
			gsub("-", "_", name)
			paths[name] = path
			deps[name] = ""
			for (i = 2; i <= NF; i++) {
				d = $i; sub(".*/", "", d); sub("\\.ko.*", "", d); gsub("-", "_", d)
				deps[name] = deps[name] " " d
			}
		}
		function add(m,   k, parts, i) {
			if (m in seen) return
			seen[m] = 1
			if (!(m in paths)) { print "missing module " m > "/dev/stderr"; exit 1 }
			k = split(deps[m], parts, " ")
			for (i = k; i >= 1; i--) add(parts[i])
			print paths[m]
		}
		END { for (i = 1; i <= n; i++) { m = w[i]; gsub("-", "_", m); add(m) } }
	' "$mdir/modules.dep"
}

# build_initramfs OUT KDIR INIT_SCRIPT EXTRA_DIR MODULE...: busybox-static,
# the modules (loaded in order by /load-modules), INIT_SCRIPT as /init and the
# files of EXTRA_DIR at the root.
build_initramfs() {
	local out=$1 kdir=$2 init=$3 extra=$4
	shift 4
	local root mdir rel
	root=$(mktemp -d)
	mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,run,mnt,modules,etc}
	cp /bin/busybox "$root/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
	done
	mdir=$(echo "$kdir"/lib/modules/*)
	: >"$root/modules/order"
	for rel in $(module_closure "$kdir" "$@"); do
		cp "$mdir/$rel" "$root/modules/"
		basename "$rel" >>"$root/modules/order"
	done
	cp "$init" "$root/init"
	chmod 755 "$root/init"
	[ -n "$extra" ] && cp -a "$extra"/. "$root/"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$root"
}

# boot_kernel KDIR OUT: the kernel QEMU boots fastest. Debian's kernels are
# compressed bzImages (amd64: XZ, cloud: LZ4), and decompressing under TCG
# costs 1-3 s of every boot. They have CONFIG_PVH, so QEMU can start the
# plain ELF vmlinux inside directly: unpack it once here. Falls back to the
# bzImage if anything about that does not look right.
boot_kernel() {
	local kdir=$1 out=$2 bz off=
	bz=$(echo "$kdir"/boot/vmlinuz-*)
	rm -f "$out.tmp"
	if grep -q '^CONFIG_PVH=y' "$kdir"/boot/config-*; then
		if grep -q '^CONFIG_KERNEL_XZ=y' "$kdir"/boot/config-*; then
			off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$bz" | head -n 1 | cut -d: -f1 || true)
			# xz stops after the stream, so tail may die of SIGPIPE.
			[ -n "$off" ] && { tail -c +$((off + 1)) "$bz" || true; } |
				xz -dc --single-stream >"$out.tmp" 2>/dev/null || rm -f "$out.tmp"
		elif grep -q '^CONFIG_KERNEL_LZ4=y' "$kdir"/boot/config-*; then
			# The kernel's LZ4 "legacy" frame; lz4 complains about the
			# bzImage's bytes after it (exit 1) once it has written it all.
			off=$(LC_ALL=C grep -obUaP '\x02\x21\x4c\x18' "$bz" | head -n 1 | cut -d: -f1 || true)
			[ -n "$off" ] && { tail -c +$((off + 1)) "$bz" || true; } |
				{ lz4 -dc >"$out.tmp" 2>/dev/null || true; }
		fi
	fi
	if [ -s "$out.tmp" ] && [ "$(head -c 4 "$out.tmp" | od -An -c | tr -d ' ')" = 177ELF ]; then
		mv "$out.tmp" "$out"
	else
		rm -f "$out.tmp"
		cp "$bz" "$out"
	fi
}

# cache_used DIR: mark DIR as in use (its .ready's time), and remove cache
# entries nobody has used for SP_BEDS_KEEP_DAYS days (default 3): images of
# older scripts and kernels of older versions would otherwise pile up.
# Call it under cache_locked.
cache_used() {
	touch "$1/.ready"
	find "$SP_BEDS_CACHE" -mindepth 2 -maxdepth 2 -name .ready -mtime +"${SP_BEDS_KEEP_DAYS:-3}" \
		-printf '%h\n' 2>/dev/null | while read -r d; do
		case ${d##*/} in
		kernel-* | guest-* | vm-*) rm -rf "$d" ;;
		esac
	done
}

# A digest of the files that make an image, so a changed script rebuilds it.
digest_of() {
	cat "$@" /bin/busybox | sha256sum | cut -c1-16
}
