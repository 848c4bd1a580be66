/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The daemon's records that every part reads: the VMs by UUID (each with
 * its slot in the core), a host's cores as the core counts them, the
 * core's clock, and saving the state file. Data and small helpers only, so
 * that the files above (the round, migrations, metrics, lcctl's answers)
 * share them without calling each other. */
#include "config.h"

#include <string.h>

#include "lcd-host.h"
#include "lcd.h"
#include "sp-error.h"
#include "sp-log.h"

double
lcd_now_min(void)
{
	return (double) g_get_real_time() / 60e6;
}

double
lcd_host_cores(const LcdHost *h)
{
	return h->conf.cores > 0 ? h->conf.cores : h->cpus;
}

LcdVm *
lcd_vm_by_name(Lcd *lcd, const char *name)
{
	for (guint i = 0; i < lcd->vms->len; i++) {
		LcdVm *vm = g_ptr_array_index(lcd->vms, i);

		if (vm && vm->name && strcmp(vm->name, name) == 0)
			return vm;
	}
	return NULL;
}

void
lcd_vm_free(LcdVm *vm)
{
	g_free(vm->name);
	g_free(vm->group_meta);
	g_free(vm->why);
	g_free(vm);
}

LcdVm *
lcd_vm_get(Lcd *lcd, const char *uuid, const char *name)
{
	LcdVm *vm = g_hash_table_lookup(lcd->vm_by_uuid, uuid);
	guint slot;

	if (vm) {
		if (name && g_strcmp0(vm->name, name) != 0) {
			g_free(vm->name);
			vm->name = g_strdup(name);
		}
		return vm;
	}
	/* A free slot first: the core's arrays only grow. */
	for (slot = 0; slot < lcd->vms->len; slot++)
		if (!g_ptr_array_index(lcd->vms, slot))
			break;
	vm = g_new0(LcdVm, 1);
	vm->index = slot;
	g_strlcpy(vm->uuid, uuid, sizeof(vm->uuid));
	vm->name = g_strdup(name);
	vm->why_reason = -1;
	if (slot == lcd->vms->len)
		g_ptr_array_add(lcd->vms, vm);
	else
		lcd->vms->pdata[slot] = vm;
	g_hash_table_insert(lcd->vm_by_uuid, vm->uuid, vm);
	return vm;
}

void
lcd_save(Lcd *lcd)
{
	if (lcd_state_save(lcd->state, lcd->conf->state_dir) < 0) {
		sp_log_last_error("state.save");
		sp_error_clear();
	}
}

gboolean
lcd_migration_is_running(const LcdMigration *m)
{
	return m && !m->settled;
}
