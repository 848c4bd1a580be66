/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slvm-helper's commands that are more than one library call. */
#pragma once

#include "slvm.h"

/* setup [VG] [--apply [--host-id N]]: what the host and each managed VG
 * need, checked line by line; with apply, what is missing is done (host_id
 * only when given). The exit status (0 all in order, 2 no such VG, 3
 * something missing or failed). */
int sp_slvm_helper_setup(SpSlvm *slvm, const SpSlvmConfig *cfg, const char *only, gboolean apply,
			 const char *host_id);
/* lease VM: a sanlock lease slot for the VM and the <lease> in its
 * persistent definition, through libvirt at uri (NULL: qemu:///system).
 * The exit status (0 done or there already, 2 usage, 3 failed). */
int sp_slvm_helper_lease(const SpSlvmConfig *cfg, const char *vm, const char *vg, const char *uri);
