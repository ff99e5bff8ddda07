// Stage-1 matrix, 16 KiB granule (TCR_EL1.DS=0): VA sizes 48 (level-0 start,
// 2 entries), 47 (level 1), 36 (level 2), 40 and TTBR1 sizes 48/47/25/42, IPS
// 40/48; leaves at level 2 (32 MiB) and 3, no block at level 1 or 0; see
// mmu_matrix.h.
#include "mmu_matrix.h"

static const mcfg cfgs[] = {
    {14, PT_FMT48, 48, 48, 47},
    {14, PT_FMT48, 40, 47, 48},
    {14, PT_FMT48, 40, 36, 25},
    {14, PT_FMT48, 48, 40, 42},
};

int main(void) {
    for (unsigned i = 0; i < ARRAY_SIZE(cfgs); i++) m_run(&cfgs[i]);
    printf("done\n");
    return 0;
}
