// Stage-1 matrix, 64 KiB granule with 48-bit output (TCR_EL1.IPS < 52): VA sizes
// 48 (level-1 start), 42 (level 2), 36 and TTBR1 sizes 48/44/25 (level-3
// start)/39, IPS 40/48; leaves at level 1 (4 TiB: legal because PAMax is 52
// bits), level 2 (512 MiB) and 3; see mmu_matrix.h.
#include "mmu_matrix.h"

static const mcfg cfgs[] = {
    {16, PT_FMT48, 48, 48, 44},
    {16, PT_FMT48, 40, 42, 48},
    {16, PT_FMT48, 40, 36, 25},
    {16, PT_FMT48, 48, 44, 39},
};

int main(void) {
    for (unsigned i = 0; i < ARRAY_SIZE(cfgs); i++) m_run(&cfgs[i]);
    printf("done\n");
    return 0;
}
