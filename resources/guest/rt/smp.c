/*
 * Secondary CPUs: rt_cpu_start() powers a CPU on with PSCI CPU_ON at
 * rt_secondary_entry, passing a boot block with its stack and CPU 0's EL1
 * configuration (vectors, FP enable, MMU tables and attributes), so secondaries
 * run with the same identity map and Normal-memory RAM as CPU 0.
 */
#include "rt.h"

#define PSCI_CPU_ON_64 0xc4000003ULL
#define PSCI_AFFINITY_INFO_64 0xc4000004ULL
#define PSCI_CPU_OFF 0x84000002ULL

struct rt_boot {
    uint64_t sp, fn, arg;
    uint64_t vbar, cpacr, mair, tcr, ttbr0, sctlr;
};

#define STACK_SIZE 16384
static uint8_t stacks[RT_MAX_CPUS][STACK_SIZE] __attribute__((aligned(16)));
static struct rt_boot boots[RT_MAX_CPUS];

/* x0 = &boots[cpu]: program EL1 like CPU 0, switch to the CPU's stack, call fn(arg), power off. */
__asm__(".text\n"
        ".global rt_secondary_entry\n"
        "rt_secondary_entry:\n"
        "    mov x19, x0\n"
        "    ldr x1, [x19, #24]\n msr vbar_el1, x1\n"
        "    ldr x1, [x19, #32]\n msr cpacr_el1, x1\n"
        "    ldr x1, [x19, #40]\n msr mair_el1, x1\n"
        "    ldr x1, [x19, #48]\n msr tcr_el1, x1\n"
        "    ldr x1, [x19, #56]\n msr ttbr0_el1, x1\n"
        "    isb\n"
        "    tlbi vmalle1\n dsb nsh\n"
        "    ldr x1, [x19, #64]\n msr sctlr_el1, x1\n"
        "    isb\n"
        "    ldr x1, [x19]\n mov sp, x1\n"
        "    ldr x0, [x19, #16]\n"
        "    ldr x1, [x19, #8]\n"
        "    blr x1\n"
        "    bl rt_cpu_off\n"
        "1:  wfi\n b 1b\n");

extern void rt_secondary_entry(void);

RT_NORETURN void rt_cpu_off(void) {
    rt_psci_call(PSCI_CPU_OFF, 0, 0, 0);
    for (;;) __asm__ volatile("wfi");
}

int rt_mpidr_exists(uint64_t mpidr) {
    /* AFFINITY_INFO: 0 on, 1 off, 2 on pending; INVALID_PARAMETERS (-2) when there is no such CPU. */
    return (int64_t)rt_psci_call(PSCI_AFFINITY_INFO_64, mpidr, 0, 0) >= 0;
}

int rt_cpu_exists(int cpu) {
    return cpu >= 0 && cpu < RT_MAX_CPUS && rt_mpidr_exists((uint64_t)(cpu % 8) | ((uint64_t)(cpu / 8) << 8));
}

int rt_cpu_start(int cpu, void (*fn)(uint64_t), uint64_t arg) {
    /* MPIDR in QEMU virt's layout: Aff0 = cpu % 8, Aff1 = cpu / 8. */
    return rt_cpu_start_mpidr(cpu, (uint64_t)(cpu % 8) | ((uint64_t)(cpu / 8) << 8), fn, arg);
}

int rt_cpu_start_mpidr(int slot, uint64_t mpidr, void (*fn)(uint64_t), uint64_t arg) {
    if (slot <= 0 || slot >= RT_MAX_CPUS) return -2;
    struct rt_boot *b = &boots[slot];
    uint64_t v;
    b->sp = (uint64_t)&stacks[slot][STACK_SIZE];
    b->fn = (uint64_t)fn;
    b->arg = arg;
    __asm__ volatile("mrs %0, vbar_el1" : "=r"(v)); b->vbar = v;
    __asm__ volatile("mrs %0, cpacr_el1" : "=r"(v)); b->cpacr = v;
    __asm__ volatile("mrs %0, mair_el1" : "=r"(v)); b->mair = v;
    __asm__ volatile("mrs %0, tcr_el1" : "=r"(v)); b->tcr = v;
    __asm__ volatile("mrs %0, ttbr0_el1" : "=r"(v)); b->ttbr0 = v;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(v)); b->sctlr = v;
    __asm__ volatile("dsb ish" ::: "memory");
    return (int)(int64_t)rt_psci_call(PSCI_CPU_ON_64, mpidr, (uint64_t)rt_secondary_entry, (uint64_t)b);
}

int rt_cpu_count(void) {
    int n = 1;
    while (n < RT_MAX_CPUS && rt_cpu_exists(n)) n++;
    return n;
}

/*
 * The last whitespace-separated token of the semihosting command line that is a
 * decimal number (armlab --append N, QEMU -append N), or `dflt`. Whole tokens only:
 * QEMU's command line starts with the kernel's path, whose digits must not count.
 */
uint64_t rt_arg(uint64_t dflt) {
    static char buf[512];
    uint64_t block[2] = {(uint64_t)buf, sizeof buf};
    if (rt_semihost(0x15 /* SYS_GET_CMDLINE */, block) != 0) return dflt;
    uint64_t result = dflt, v = 0;
    int digits = 0, other = 0;
    for (uint64_t i = 0; i <= block[1] && i < sizeof buf; i++) {
        char ch = i < block[1] ? buf[i] : ' ';
        if (ch == ' ' || ch == '\t' || ch == 0) {
            if (digits && !other) result = v;
            v = 0;
            digits = other = 0;
            if (ch == 0) break;
        } else if (ch >= '0' && ch <= '9') {
            v = v * 10 + (uint64_t)(ch - '0');
            digits = 1;
        } else {
            other = 1;
        }
    }
    return result;
}
