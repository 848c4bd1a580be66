/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lvcreate, lvextend, lvremove through slvm-helper: in a lock = none VG
 * only the writer host changes the metadata (two hosts writing it at once
 * would each overwrite the other's change: nothing on the disk serialises
 * them), so on any other host these are refused before LVM is asked. In a
 * lock = lvmlockd VG lvmlockd's VG lock serialises them, from any host.
 * This guards the commands that go through slvm-helper only: a plain
 * lvcreate on a reader host is not stopped (slvm.conf(5) says so). */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "slvm-admin.h"
#include "slvm-int.h"
#include "sp-error.h"
#include "sp-log.h"
#include "sp-names.h"

char *
sp_slvm_host_name(void)
{
	char buf[256] = "";

	if (gethostname(buf, sizeof(buf) - 1) < 0)
		return g_strdup("");
	buf[strcspn(buf, ".")] = '\0';
	return g_strdup(buf);
}

/* LVM's -L: a number, an optional fraction, an optional unit; extend may
 * add ("+1G"). */
static gboolean
size_valid(const char *size, gboolean relative)
{
	const char *p = size;

	if (relative && *p == '+')
		p++;
	if (!g_ascii_isdigit(*p))
		goto bad;
	while (g_ascii_isdigit(*p))
		p++;
	if (*p == '.') {
		p++;
		if (!g_ascii_isdigit(*p))
			goto bad;
		while (g_ascii_isdigit(*p))
			p++;
	}
	if (*p && strchr("bBsSkKmMgGtTpPeE", *p))
		p++;
	if (*p == '\0' && strlen(size) <= 32)
		return TRUE;
bad:
	sp_error("size '%s' is not LVM's (e.g. 10G%s)", size, relative ? " or +1G" : "");
	return FALSE;
}

/* The VG, checked: managed, names valid, and this host may write it. */
static const SpSlvmVg *
writable_vg(SpSlvm *slvm, const char *vg, const char *lv, const char *what)
{
	const SpSlvmVg *v;
	g_autofree char *host = NULL;

	if (!sp_name_vg_valid(vg) || !sp_name_lv_valid(lv))
		return NULL;
	if (!slvm->cfg || !(v = sp_slvm_config_vg(slvm->cfg, vg))) {
		sp_error("volume group '%s' is not managed by Sparrow (no [vg %s] in slvm.conf)",
			 vg, vg);
		return NULL;
	}
	host = sp_slvm_host_name();
	if (v->lock == SP_SLVM_LOCK_NONE && g_strcmp0(host, v->writer) != 0) {
		sp_error("refusing to %s %s/%s on host '%s': volume group '%s' has lock = none and "
			 "only its writer '%s' changes its metadata",
			 what, vg, lv, host, vg, v->writer);
		return NULL;
	}
	return v;
}

int
sp_slvm_lv_create(SpSlvm *slvm, const char *vg, const char *lv, const char *size)
{
	const SpSlvmVg *v = writable_vg(slvm, vg, lv, "create");
	g_autofree char *target = NULL;

	if (!v || !size_valid(size, FALSE))
		return -1;
	target = g_strdup_printf("%s/%s", vg, lv);
	{
		/* Active while made, so that LVM zeroes its start and wipes old
		 * signatures (exclusively, in an lvmlockd VG); inactive after:
		 * the VM's start activates it where it runs. */
		const char *create[] =
			{"lvcreate", "-q",  v->lock == SP_SLVM_LOCK_LVMLOCKD ? "-aey" : "-ay",
			 "-Zy",      "-Wy", "--yes",
			 "-L",       size,  "-n",
			 lv,         vg,    NULL};
		const char *off[] = {"lvchange", "-an", target, NULL};

		if (sp_slvm_lvm(slvm, NULL, create) < 0 || sp_slvm_lvm(slvm, NULL, off) < 0)
			return -1;
	}
	sp_log_info("slvm.lvcreate", "%s created, %s", target, size);
	return 0;
}

int
sp_slvm_lv_extend(SpSlvm *slvm, const char *vg, const char *lv, const char *size)
{
	g_autofree char *target = NULL;

	if (!writable_vg(slvm, vg, lv, "extend") || !size_valid(size, TRUE))
		return -1;
	target = g_strdup_printf("%s/%s", vg, lv);
	{
		const char *argv[] = {"lvextend", "-q", "-L", size, target, NULL};

		if (sp_slvm_lvm(slvm, NULL, argv) < 0)
			return -1;
	}
	sp_log_info("slvm.lvextend", "%s extended to %s", target, size);
	return 0;
}

int
sp_slvm_lv_remove(SpSlvm *slvm, const char *vg, const char *lv)
{
	g_autofree char *target = NULL;

	if (!writable_vg(slvm, vg, lv, "remove"))
		return -1;
	target = g_strdup_printf("%s/%s", vg, lv);
	{
		/* --yes answers LVM's question about an active LV (inactive
		 * here is the rule; in use fails anyway). */
		const char *argv[] = {"lvremove", "-q", "--yes", target, NULL};

		if (sp_slvm_lvm(slvm, NULL, argv) < 0)
			return -1;
	}
	sp_log_info("slvm.lvremove", "%s removed", target);
	return 0;
}
