# The shared-LVM act (sourced by tools/demo/demo). Where the kernel has no
# device-mapper (this machine's), it runs in the VM runner: two VMs on
# Debian's stock kernel share one disk image as two hosts share a SAN LUN
# (tests/beds/slvm-host), and the demo says so.

SLVM=$build/slvm-helper/slvm-helper
SLVM_BED=$top/tests/beds/slvm-host

act_slvm() {
	act "Shared LVM: slvm-helper" \
		"Two hosts see one disk. An LV made and resized on one host is seen on the other at once, and a VM that runs on one host cannot start on the other: a lease on the shared disk stops it."
	if [ ! -x "$SLVM" ] || [ ! -x "$SLVM_BED" ]; then
		say "slvm-helper is not built in this tree: act skipped"
		rec skipped slvm "slvm-helper is not built"
		return 0
	fi
	rec skipped slvm "not written yet"
}
