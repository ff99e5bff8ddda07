// SMP IPIs through a GICv2 (QEMU -M virt,gic-version=2): CPU 0 sends SGI 1 to CPU 1
// through GICD_SGIR's CPU target list; CPU 1's IRQ handler acknowledges it at its own
// banked GICC (GICC_IAR.CPUID names the sender) and answers with SGI 2 to CPU 0, ROUNDS
// times; both wait in WFI between interrupts. Then CPU 0 sends SGI 3 to every other CPU
// (TargetListFilter 1) and each reports the source it saw; the banked GICD registers
// (ITARGETSR0, the SGI/PPI priorities) read back per CPU. With one CPU (the QEMU diff
// suite) it reports that and exits.
//! qemu: gic=2
#include "gicv2.h"

#define ROUNDS_DEFAULT 200
static uint32_t ROUNDS = ROUNDS_DEFAULT; /* --append N for benchmarks */

static volatile uint32_t got[RT_MAX_CPUS], sent[2], bad_src, ready[RT_MAX_CPUS], bcast[RT_MAX_CPUS], done;
static volatile uint32_t seen_src[RT_MAX_CPUS], itargets0[RT_MAX_CPUS], prio1[RT_MAX_CPUS];

static unsigned self(void) { return RD(mpidr_el1) & 0xff; }

static void sgi_to(unsigned id, unsigned cpu) {
    gicd_w(GICD_SGIR, SGIR_LIST(1u << cpu) | id);
    DSB();
}

static void cpu_if_setup(unsigned cpu) {
    /* SGI/PPI priorities are banked: each CPU programs its own. */
    for (int i = 0; i < 16; i++) wr8(GICD + GICD_IPRIORITYR + i, 0x80 + cpu * 8);
    itargets0[cpu] = gicd(GICD_ITARGETSR);
    prio1[cpu] = rd8(GICD + GICD_IPRIORITYR + 1);
    gicc_w(GICC_PMR, 0xf0);
    gicc_w(GICC_CTLR, CTLR_GRP0);
    ISB();
}

static void on_irq(rt_frame *f, int fiq) {
    (void)f;
    (void)fiq;
    unsigned me = self();
    unsigned iar = gicc(GICC_IAR);
    unsigned id = iar & 0x3ff, src = (iar >> 10) & 7;
    if (id >= 1020) return;
    gicc_w(GICC_EOIR, iar);
    if (id == 3) {
        seen_src[me] = src;
        bcast[me]++;
        return;
    }
    got[me]++;
    if (me == 1 && id == 1) {
        if (src != 0) bad_src++;
        sent[1]++;
        sgi_to(2, 0); /* pong */
    } else if (me == 0 && id == 2) {
        if (src != 1) bad_src++;
        if (got[0] < ROUNDS) {
            sent[0]++;
            sgi_to(1, 1); /* next ping */
        } else {
            done = 1;
        }
    }
}

static void secondary(uint64_t arg) {
    unsigned me = (unsigned)arg;
    cpu_if_setup(me);
    __atomic_store_n(&ready[me], 1, __ATOMIC_RELEASE);
    RT_WFI_WHILE(!__atomic_load_n(&done, __ATOMIC_ACQUIRE) || !bcast[me]);
}

int main(void) {
    ROUNDS = (uint32_t)rt_arg(ROUNDS_DEFAULT);
    int n = rt_cpu_count();
    printf("cpus %d\n", n);
    if (n < 2) {
        printf("ipi ping-pong needs 2 CPUs\n");
        return 0;
    }
    rt_set_irq_handler(on_irq);
    gicd_w(GICD_CTLR, 1); /* EnableGrp0: every interrupt resets to Group 0 */
    cpu_if_setup(0);
    for (int i = 1; i < n; i++) {
        rt_cpu_start(i, secondary, i);
        while (!__atomic_load_n(&ready[i], __ATOMIC_ACQUIRE)) {
        }
    }
    sent[0]++;
    sgi_to(1, 1); /* first ping */
    RT_WFI_WHILE(!done);
    printf("rounds %u: cpu0 received %u sent %u, cpu1 received %u sent %u, wrong sources %u\n", ROUNDS, got[0], sent[0],
           got[1], sent[1], bad_src);
    gicd_w(GICD_SGIR, SGIR_OTHERS | 3);
    DSB();
    for (int i = 1; i < n; i++) {
        while (!__atomic_load_n(&bcast[i], __ATOMIC_ACQUIRE)) {
        }
    }
    for (int i = 0; i < n; i++)
        printf("cpu%d: ITARGETSR0 %x SGI1 priority %x broadcast SGI 3 received %u from cpu%u\n", i, itargets0[i],
               prio1[i], bcast[i], seen_src[i]);
    return got[0] == ROUNDS && got[1] == ROUNDS && bad_src == 0 && bcast[0] == 0 ? 0 : 1;
}
