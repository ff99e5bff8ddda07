// Stage-1 matrix with 52-bit addresses: FEAT_LPA2 (TCR_EL1.DS=1) with 4K
// (52-bit VA from level -1, level-0 blocks of 512 GiB, OA[51:50] in
// descriptor[9:8]) and 16K (level-1 blocks of 64 GiB), FEAT_LPA/LVA with 64K
// (IPS 52: OA[51:48] in descriptor[15:12], 52-bit VA); also DS=1 with a
// 48/40-bit IPS (Address size faults); see mmu_matrix.h.
#include "mmu_matrix.h"

static const mcfg cfgs[] = {
    {12, PT_DS, 52, 52, 52},
    {12, PT_DS, 48, 49, 39},
    {14, PT_DS, 52, 52, 52},
    {14, PT_DS, 40, 48, 47},
    {16, PT_LPA, 52, 52, 52},
    {16, PT_LPA, 52, 42, 48},
};

int main(void) {
    for (unsigned i = 0; i < ARRAY_SIZE(cfgs); i++) m_run(&cfgs[i]);
    printf("done\n");
    return 0;
}
