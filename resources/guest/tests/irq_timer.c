// Generic timer interrupts through the GICv3: the virtual timer (PPI 27) fires
// five times (re-armed from its IRQ handler) while the CPU waits in WFI; the
// physical timer (PPI 30) once; a WFI with IRQs masked returns when the timer
// fires (ISR_EL1.I, CNTV_CTL.ISTATUS) and the IRQ is taken on unmasking;
// CNTV_CTL.IMASK keeps ISTATUS but no interrupt reaches the GIC.
#include "gic.h"

static volatile unsigned vcount, pcount, other, wfis;
static volatile unsigned ids[16], nids;
static uint64_t tick;

static void on_irq(rt_frame *f, int fiq) {
    (void)f;
    if (fiq) {
        other++;
        return;
    }
    unsigned id = RD(IAR1) & 0xffffff;
    if (nids < 16) ids[nids++] = id;
    if (id == 27) {
        vcount++;
        if (vcount < 5) {
            WR(cntv_tval_el0, tick);
        } else {
            WR(cntv_ctl_el0, 0);
        }
    } else if (id == 30) {
        pcount++;
        WR(cntp_ctl_el0, 0);
    } else {
        other++;
    }
    ISB();
    WR(EOIR1, id);
    ISB();
}

int main(void) {
    uint64_t freq = RD(cntfrq_el0);
    printf("CNTFRQ_EL0 %lu\n", freq);
    tick = freq / 1000; /* 1 ms */
    wr32(GICR + 0x14, 0);
    while (rd32(GICR + 0x14) & 4) {
    }
    wr32(GICD + 0x0, 2);
    wr32(SGI_BASE + 0x80, 0xffffffff);
    wr8(SGI_BASE + 0x400 + 27, 0xa0);
    wr8(SGI_BASE + 0x400 + 30, 0xa0);
    wr32(SGI_BASE + 0x100, (1u << 27) | (1u << 30));
    WR(PMR, 0xf0);
    WR(IGRPEN1, 1);
    ISB();
    rt_set_irq_handler(on_irq);

    printf("-- virtual timer x5 with WFI\n");
    WR(cntv_tval_el0, tick);
    WR(cntv_ctl_el0, 1);
    ISB();
    RT_WFI_WHILE(vcount < 5 && (++wfis, 1)); /* wfis: WFIs executed (each returned) */
    printf("virtual timer interrupts %u, WFI returned %s, CNTV_CTL %lx\n", vcount, wfis >= 1 ? "yes" : "no",
           RD(cntv_ctl_el0));
    printf("INTIDs:");
    for (unsigned i = 0; i < nids; i++) printf(" %u", ids[i]);
    printf("\n");

    printf("-- physical timer once\n");
    WR(cntp_tval_el0, tick);
    WR(cntp_ctl_el0, 1);
    ISB();
    RT_WFI_WHILE(pcount < 1);
    printf("physical timer interrupts %u, last INTID %u\n", pcount, ids[nids - 1]);

    printf("-- WFI with IRQs masked\n");
    WR(cntv_tval_el0, 2 * tick);
    WR(cntv_ctl_el0, 1);
    ISB();
    unsigned before = vcount;
    uint64_t ctl;
    do {
        __asm__ volatile("wfi" ::: "memory");
        ctl = RD(cntv_ctl_el0);
    } while (!(ctl & 4));
    printf("WFI returned: CNTV_CTL %lx ISR_EL1 %lx taken %u HPPIR1 %lu\n", ctl, RD(isr_el1) & 0x1c0, vcount - before,
           RD(HPPIR1));
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    ISB();
    __asm__ volatile("msr daifset, #2" ::: "memory");
    printf("after unmasking: taken %u\n", vcount - before);

    printf("-- IMASK\n");
    WR(cntv_cval_el0, 0);
    WR(cntv_ctl_el0, 3);
    ISB();
    printf("CNTV_CTL %lx ISR_EL1 %lx HPPIR1 %lu\n", RD(cntv_ctl_el0), RD(isr_el1) & 0x1c0, RD(HPPIR1));
    WR(cntv_ctl_el0, 1);
    ISB();
    printf("unmasked: CNTV_CTL %lx ISR_EL1 %lx HPPIR1 %lu\n", RD(cntv_ctl_el0), RD(isr_el1) & 0x1c0, RD(HPPIR1));
    WR(cntv_ctl_el0, 0);
    ISB();
    printf("disabled: CNTV_CTL %lx ISR_EL1 %lx HPPIR1 %lu other %u\n", RD(cntv_ctl_el0), RD(isr_el1) & 0x1c0, RD(HPPIR1),
           other);
    return 0;
}
