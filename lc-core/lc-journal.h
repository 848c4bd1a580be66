/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Recording the journal (lc-journal.c), for the choice; its words are
 * public (lc-core.h). */
#pragma once

#include "lc-state.h"

/* Append e to this round's journal, unless the caller turned it off. */
void sp_lc_journal_add(SpLcCore *core, const SpLcJournalEntry *e);
