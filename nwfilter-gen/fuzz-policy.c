/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer harness for the policy parser and the generator behind it, and
 * for the config reader (firewall.conf and every program's INI file): these
 * files are untrusted input to a root program, so any byte string must give
 * either a result or diagnostics, never a crash, leak or hang.
 * Built and run by tools/fuzz-nwfilter (clang -fsanitize=fuzzer,address). */
#include "config.h"

#include <stdint.h>

#include "generate.h"
#include "policy.h"
#include "sp-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *) data, size);
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpPolicy) policy = sp_policy_parse("fuzz", "fuzz.policy", text, diag);
	g_autoptr(SpConfig) cfg = sp_config_parse("fuzz.conf", text, diag);
	g_autofree char *all = sp_diag_join(diag, "\n");

	if (policy) {
		g_autoptr(SpFilter) f = sp_filter_for_policy(policy);
	}
	for (const char *const *g = cfg ? sp_config_groups(cfg) : NULL; g && *g; g++) {
		for (const char *const *k = sp_config_keys(cfg, *g); *k; k++) {
			g_auto(GStrv) items = sp_config_get_list(cfg, *g, *k, diag);
		}
	}
	return 0;
}
