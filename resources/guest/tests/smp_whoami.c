// SMP: every CPU reports MPIDR_EL1 and MIDR_EL1, so a heterogeneous (big.LITTLE)
// configuration can be checked: each vCPU must be its own model in its own
// cluster. Secondaries are found by MPIDR (clusters Aff1 = 0, 1; Aff0 = 0..3)
// with PSCI AFFINITY_INFO. CPU 0's MIDR is not printed, so the single-CPU run
// stays comparable with QEMU's -cpu max.
#include "common.h"

static uint64_t midr[RT_MAX_CPUS], mpidr[RT_MAX_CPUS];
static uint32_t done[RT_MAX_CPUS];

static void report(uint64_t slot) {
    uint64_t v;
    __asm__ volatile("mrs %0, midr_el1" : "=r"(v));
    midr[slot] = v;
    __asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
    mpidr[slot] = v;
    __atomic_store_n(&done[slot], 1, __ATOMIC_RELEASE);
}

int main(void) {
    report(0);
    printf("cpu0 mpidr %lx\n", mpidr[0] & 0xffffff);
    static const uint64_t probe[] = {0x1, 0x2, 0x3, 0x100, 0x101, 0x102, 0x103};
    int slot = 1;
    for (unsigned k = 0; k < ARRAY_SIZE(probe) && slot < RT_MAX_CPUS; k++) {
        if (!rt_mpidr_exists(probe[k])) continue;
        int st = rt_cpu_start_mpidr(slot, probe[k], report, (uint64_t)slot);
        if (st != 0) {
            printf("CPU_ON %lx: %d\n", probe[k], st);
            continue;
        }
        while (!__atomic_load_n(&done[slot], __ATOMIC_ACQUIRE)) {
        }
        printf("cpu%d mpidr %lx midr %lx\n", slot, mpidr[slot] & 0xffffff, midr[slot]);
        slot++;
    }
    return 0;
}
