// Stage-1 matrix, 4 KiB granule (TCR_EL1.DS=0): VA sizes 48/39/36/32 (TTBR0)
// and 48/39/25/42 (TTBR1, down to a level-2 start), IPS 40 and 48, leaves
// at levels 1 (1 GiB), 2 (2 MiB) and 3, no block at level 0; see mmu_matrix.h.
#include "mmu_matrix.h"

static const mcfg cfgs[] = {
    {12, PT_FMT48, 48, 48, 48},
    {12, PT_FMT48, 40, 39, 39},
    {12, PT_FMT48, 40, 36, 25},
    {12, PT_FMT48, 48, 32, 42},
};

int main(void) {
    for (unsigned i = 0; i < ARRAY_SIZE(cfgs); i++) m_run(&cfgs[i]);
    printf("done\n");
    return 0;
}
