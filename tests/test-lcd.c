#include "config.h"

#include "sp-test.h"

static void
test_nothing(void)
{
}

SP_TEST_MAIN("lcd", SP_TEST(test_nothing))
