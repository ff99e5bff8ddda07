// armlab-only, self-checking: mmu_tlbi_range with the exact expectation. A TLB
// that keeps each entry until a TLBI names it (issue 3: "like hardware, an entry
// stays until a TLBI (or capacity) removes it") must show exactly the pages of
// each range TLBI's range as new and every other page still stale. The
// architecture also allows over-invalidation, which QEMU 7.2 does for range
// TLBIs, so QEMU cannot be the oracle here; mmu_tlbi_range diffs the part the
// architecture determines.
//! only: armlab
#define EXACT 1
#include "mmu_tlbi_range.c"
