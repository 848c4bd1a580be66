/* libFuzzer harness for the policy parser and the generator behind it:
 * policy files are untrusted input to a root program, so any byte string
 * must give either a policy or diagnostics, never a crash, leak or hang.
 * Built and run by tools/fuzz-nwfilter (clang -fsanitize=fuzzer,address). */
#include "config.h"

#include <stdint.h>

#include "generate.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *) data, size);
	g_autoptr(SpDiag) diag = sp_diag_new();
	g_autoptr(SpPolicy) policy = sp_policy_parse("fuzz", "fuzz.policy", text, diag);

	if (policy) {
		g_autoptr(SpFilter) f = sp_filter_for_policy(policy);
	}
	return 0;
}
