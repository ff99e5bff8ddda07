// GICv2 with the memory-mapped CPU interface (QEMU -M virt,gic-version=2): ID and
// reset values, what is writable, SGIs to self through GICD_SGIR (source CPU in
// GICC_IAR), SPENDSGIR/CPENDSGIR, priorities, running and active priorities,
// preemption by binary point (BPR for Group 0, ABPR for Group 1), the priority mask,
// Group 1 hidden from GICC_IAR without AckCtl (1022), EOImode 0/1 (EOIR vs DIR), an SPI
// set pending by GICD_ISPENDR, the PL011's level-sensitive SPI, the virtual timer PPI
// and a Group 0 SGI as FIQ (FIQEn) taken through the runtime's vectors. The ICC_*
// system registers are UNDEFINED and ID_AA64PFR0_EL1.GIC reads 0.
//! qemu: gic=2
#include "gicv2.h"

#define UART 0x09000000UL

static void sgi_self(unsigned id) {
    gicd_w(GICD_SGIR, SGIR_SELF | id);
    DSB();
    ISB();
}
static unsigned isr(void) { return RD(isr_el1) & 0x1c0; }
static unsigned ack(void) { return gicc(GICC_IAR); }
static void eoi(unsigned id) {
    gicc_w(GICC_EOIR, id);
    DSB();
    ISB();
}

static volatile unsigned irq_count, fiq_count, last_id, last_fiq, undef_ec;

static void on_irq(rt_frame *f, int fiq) {
    (void)f;
    unsigned id = ack();
    last_id = id;
    last_fiq = fiq;
    if (fiq) fiq_count++;
    else irq_count++;
    if ((id & 0x3ff) == 27) WR(cntv_ctl_el0, 2); /* IMASK: the line drops */
    ISB();
    eoi(id);
}

static int on_sync(rt_frame *f) {
    undef_ec = ESR_EC(f->esr);
    return RT_SKIP;
}

static void id_regs(void) {
    printf("GICD_CTLR %x TYPER %x IIDR %x PIDR2 %x\n", gicd(GICD_CTLR), gicd(GICD_TYPER), gicd(GICD_IIDR),
           gicd(GICD_PIDR2));
    printf("IGROUPR0 %x ISENABLER0 %x ISENABLER1 %x ICFGR0 %x ICFGR1 %x ICFGR2 %x IPRIORITYR0 %x\n",
           gicd(GICD_IGROUPR), gicd(GICD_ISENABLER), gicd(GICD_ISENABLER + 4), gicd(GICD_ICFGR), gicd(GICD_ICFGR + 4),
           gicd(GICD_ICFGR + 8), gicd(GICD_IPRIORITYR));
    printf("ITARGETSR0 %x ITARGETSR8 %x (uniprocessor: RAZ)\n", gicd(GICD_ITARGETSR), gicd(GICD_ITARGETSR + 32));
    printf("GICC_CTLR %x PMR %x BPR %x ABPR %x RPR %x HPPIR %x IIDR %x APR0 %x\n", gicc(GICC_CTLR), gicc(GICC_PMR),
           gicc(GICC_BPR), gicc(GICC_ABPR), gicc(GICC_RPR), gicc(GICC_HPPIR), gicc(GICC_IIDR), gicc(GICC_APR0));
    printf("ID_AA64PFR0_EL1.GIC %lx\n", (RD(id_aa64pfr0_el1) >> 24) & 0xf);
    rt_sync_handler old = rt_set_sync_handler(on_sync);
    undef_ec = 0xff;
    uint64_t v = 0x1234;
    __asm__ volatile("mrs %0, S3_0_C12_C12_5" : "+r"(v)::"memory"); /* ICC_SRE_EL1 */
    printf("ICC_SRE_EL1 read: EC %x value %lx\n", undef_ec, v);
    undef_ec = 0xff;
    __asm__ volatile("msr S3_0_C4_C6_0, %0" ::"r"(0xffUL) : "memory"); /* ICC_PMR_EL1 */
    printf("ICC_PMR_EL1 write: EC %x\n", undef_ec);
    rt_set_sync_handler(old);
}

static void writable(void) {
    gicc_w(GICC_PMR, 0xff);
    gicc_w(GICC_BPR, 0);
    gicc_w(GICC_ABPR, 0);
    printf("PMR<-ff: %x BPR<-0: %x ABPR<-0: %x\n", gicc(GICC_PMR), gicc(GICC_BPR), gicc(GICC_ABPR));
    gicc_w(GICC_CTLR, 0xffffffff);
    printf("GICC_CTLR<-ffffffff: %x\n", gicc(GICC_CTLR));
    gicc_w(GICC_CTLR, 0);
    gicd_w(GICD_CTLR, 0xffffffff);
    printf("GICD_CTLR<-ffffffff: %x\n", gicd(GICD_CTLR));
    gicd_w(GICD_CTLR, 0);
    wr8(GICD + GICD_IPRIORITYR + 33, 0xff);
    wr8(GICD + GICD_IPRIORITYR + 1, 0xff);
    printf("IPRIORITYR byte writes: SPI33 %x SGI1 %x\n", rd8(GICD + GICD_IPRIORITYR + 33), rd8(GICD + GICD_IPRIORITYR + 1));
    gicd_w(GICD_ICENABLER, 0xffffffff);
    printf("ICENABLER0<-ffffffff: ISENABLER0 %x\n", gicd(GICD_ISENABLER));
    gicd_w(GICD_ICFGR, 0);
    gicd_w(GICD_ICFGR + 8, 0xaaaaaaaa);
    printf("ICFGR0<-0: %x ICFGR2<-aaaaaaaa: %x\n", gicd(GICD_ICFGR), gicd(GICD_ICFGR + 8));
    gicd_w(GICD_ICFGR + 8, 0);
    gicd_w(GICD_IGROUPR + 4, 0xffffffff);
    printf("IGROUPR1<-ffffffff: %x\n", gicd(GICD_IGROUPR + 4));
    gicd_w(GICD_IGROUPR + 4, 0);
    gicd_w(GICD_ITARGETSR + 32, 0x01010101);
    printf("ITARGETSR8 after write: %x\n", gicd(GICD_ITARGETSR + 32));
}

static void setup(void) {
    gicd_w(GICD_CTLR, 3);
    for (int i = 0; i < 16; i++) wr8(GICD + GICD_IPRIORITYR + i, 0xa0);
    wr8(GICD + GICD_IPRIORITYR + 1, 0x80);
    wr8(GICD + GICD_IPRIORITYR + 2, 0x40);
    wr8(GICD + GICD_IPRIORITYR + 3, 0xa0);
    wr8(GICD + GICD_IPRIORITYR + 4, 0x88);
    gicc_w(GICC_PMR, 0xf0);
    gicc_w(GICC_BPR, 0);
    gicc_w(GICC_CTLR, CTLR_GRP0);
    ISB();
}

static void polled(void) {
    printf("-- polled SGI 1 to self (IRQs masked)\n");
    printf("ISR before %x\n", isr());
    sgi_self(1);
    printf("ISR %x HPPIR %x ISPENDR0 %x SPENDSGIR0 %x\n", isr(), gicc(GICC_HPPIR), gicd(GICD_ISPENDR),
           gicd(GICD_SPENDSGIR));
    unsigned id = ack();
    printf("IAR %x RPR %x APR0 %x ISACTIVER0 %x ISPENDR0 %x SPENDSGIR0 %x ISR %x\n", id, gicc(GICC_RPR),
           gicc(GICC_APR0), gicd(GICD_ISACTIVER), gicd(GICD_ISPENDR), gicd(GICD_SPENDSGIR), isr());
    eoi(id);
    printf("after EOI: RPR %x APR0 %x ISACTIVER0 %x IAR %x\n", gicc(GICC_RPR), gicc(GICC_APR0),
           gicd(GICD_ISACTIVER), ack());
    printf("-- SGIR filters on one CPU\n");
    gicd_w(GICD_SGIR, SGIR_LIST(0x2) | 1); /* CPU 1 does not exist */
    gicd_w(GICD_SGIR, SGIR_OTHERS | 1);
    DSB();
    printf("list {1} and others: ISPENDR0 %x HPPIR %x\n", gicd(GICD_ISPENDR), gicc(GICC_HPPIR));
    gicd_w(GICD_SGIR, SGIR_LIST(0x1) | 2);
    DSB();
    printf("list {0}: ISPENDR0 %x SPENDSGIR0 %x\n", gicd(GICD_ISPENDR), gicd(GICD_SPENDSGIR));
    wr8(GICD + GICD_CPENDSGIR + 2, 1);
    wr8(GICD + GICD_SPENDSGIR + 4, 1);
    DSB();
    printf("CPENDSGIR 2, SPENDSGIR 4: ISPENDR0 %x SPENDSGIR1 %x HPPIR %x\n", gicd(GICD_ISPENDR),
           gicd(GICD_SPENDSGIR + 4), gicc(GICC_HPPIR));
    unsigned a = ack();
    printf("IAR %x\n", a);
    eoi(a);
    gicd_w(GICD_ISPENDR, 0xffff); /* SGIs: ignored */
    printf("ISPENDR0<-ffff: %x\n", gicd(GICD_ISPENDR));
}

static void priorities(void) {
    printf("-- priorities: SGI 3 (a0), 2 (40), 1 (80) pending\n");
    sgi_self(3);
    sgi_self(2);
    sgi_self(1);
    printf("HPPIR %x\n", gicc(GICC_HPPIR));
    unsigned a = ack();
    printf("IAR %x RPR %x HPPIR %x APR0 %x\n", a, gicc(GICC_RPR), gicc(GICC_HPPIR), gicc(GICC_APR0));
    printf("IAR while 40 runs %x\n", ack());
    eoi(a);
    unsigned b = ack();
    printf("IAR %x RPR %x APR0 %x; next IAR %x\n", b, gicc(GICC_RPR), gicc(GICC_APR0), ack());
    eoi(b);
    unsigned c = ack();
    printf("IAR %x RPR %x APR1 %x\n", c, gicc(GICC_RPR), gicc(GICC_APR0 + 4));
    eoi(c);
    printf("IAR empty %x HPPIR %x\n", ack(), gicc(GICC_HPPIR));
}

static void binary_point(void) {
    printf("-- binary point 3: group priority bits [7:4]\n");
    gicc_w(GICC_BPR, 3);
    wr8(GICD + GICD_IPRIORITYR + 1, 0x98);
    wr8(GICD + GICD_IPRIORITYR + 4, 0x90);
    sgi_self(1);
    unsigned a = ack();
    printf("IAR %x RPR %x APR2 %x\n", a, gicc(GICC_RPR), gicc(GICC_APR0 + 8));
    sgi_self(4); /* 0x90: same group priority 0x90 as the running 0x98, cannot preempt */
    printf("SGI 4 (90): HPPIR %x IAR %x ISR %x\n", gicc(GICC_HPPIR), ack(), isr());
    sgi_self(2); /* 0x40: preempts */
    unsigned b = ack();
    printf("SGI 2 (40): IAR %x RPR %x APR1 %x APR2 %x\n", b, gicc(GICC_RPR), gicc(GICC_APR0 + 4), gicc(GICC_APR0 + 8));
    eoi(b);
    printf("after EOI 2: RPR %x APR1 %x\n", gicc(GICC_RPR), gicc(GICC_APR0 + 4));
    eoi(a);
    gicc_w(GICC_BPR, 0);
    unsigned c = ack();
    printf("IAR %x RPR %x APR2 %x\n", c, gicc(GICC_RPR), gicc(GICC_APR0 + 8));
    eoi(c);
    printf("idle: RPR %x APR2 %x\n", gicc(GICC_RPR), gicc(GICC_APR0 + 8));
    wr8(GICD + GICD_IPRIORITYR + 1, 0x80);
    wr8(GICD + GICD_IPRIORITYR + 4, 0x88);
}

static void pmr_mask(void) {
    printf("-- priority mask\n");
    gicc_w(GICC_PMR, 0x80);
    sgi_self(1); /* priority 0x80: masked */
    printf("PMR 80: ISR %x HPPIR %x IAR %x\n", isr(), gicc(GICC_HPPIR), ack());
    gicc_w(GICC_PMR, 0xf0);
    ISB();
    unsigned a = ack();
    printf("PMR f0: IAR %x\n", a);
    eoi(a);
}

static void eoimode(void) {
    printf("-- EOImode 1\n");
    gicc_w(GICC_CTLR, CTLR_GRP0 | CTLR_EOIMODE);
    sgi_self(1);
    unsigned a = ack();
    eoi(a);
    printf("after EOIR: RPR %x ISACTIVER0 %x\n", gicc(GICC_RPR), gicd(GICD_ISACTIVER));
    sgi_self(1);
    printf("pending while active: HPPIR %x IAR %x ISPENDR0 %x\n", gicc(GICC_HPPIR), ack(), gicd(GICD_ISPENDR));
    gicc_w(GICC_DIR, a);
    DSB();
    printf("after DIR: ISACTIVER0 %x\n", gicd(GICD_ISACTIVER));
    unsigned b = ack();
    printf("IAR %x\n", b);
    eoi(b);
    gicc_w(GICC_DIR, b);
    gicc_w(GICC_CTLR, CTLR_GRP0);
    gicc_w(GICC_DIR, b); /* EOImode 0: ignored */
    printf("ISACTIVER0 %x\n", gicd(GICD_ISACTIVER));
}

static void group1(void) {
    printf("-- Group 1 SGI 5: hidden from IAR without AckCtl, ABPR\n");
    gicd_w(GICD_IGROUPR, 1u << 5);
    wr8(GICD + GICD_IPRIORITYR + 5, 0xa8);
    gicc_w(GICC_CTLR, CTLR_GRP0 | CTLR_GRP1);
    sgi_self(5);
    printf("HPPIR %x IAR %x ISPENDR0 %x\n", gicc(GICC_HPPIR), ack(), gicd(GICD_ISPENDR));
    gicc_w(GICC_CTLR, CTLR_GRP0 | CTLR_GRP1 | CTLR_ACKCTL);
    gicc_w(GICC_ABPR, 4); /* Group 1 group priority: bits [7:4] (ABPR - 1 = 3) */
    unsigned a = ack();
    printf("AckCtl: IAR %x RPR %x APR2 %x NSAPR2 %x\n", a, gicc(GICC_RPR), gicc(GICC_APR0 + 8), gicc(GICC_NSAPR0 + 8));
    eoi(a);
    printf("after EOI: RPR %x NSAPR2 %x\n", gicc(GICC_RPR), gicc(GICC_NSAPR0 + 8));
    gicc_w(GICC_CTLR, CTLR_GRP0 | CTLR_GRP1 | CTLR_ACKCTL | CTLR_CBPR);
    sgi_self(5);
    a = ack();
    printf("CBPR: IAR %x RPR %x NSAPR2 %x\n", a, gicc(GICC_RPR), gicc(GICC_NSAPR0 + 8));
    eoi(a);
    gicc_w(GICC_CTLR, CTLR_GRP0);
    gicc_w(GICC_ABPR, 1);
    gicd_w(GICD_IGROUPR, 0);
}

static void spis(void) {
    printf("-- SPI 40 by ISPENDR, PL011 SPI 33 level\n");
    wr8(GICD + GICD_IPRIORITYR + 40, 0x60);
    gicd_w(GICD_ISENABLER + 4, (1u << 8) | (1u << 1));
    gicd_w(GICD_ISPENDR + 4, 1u << 8);
    printf("ISPENDR1 %x HPPIR %x\n", gicd(GICD_ISPENDR + 4) & (1u << 8), gicc(GICC_HPPIR));
    unsigned a = ack();
    printf("IAR %x ISACTIVER1 %x ISPENDR1 %x\n", a, gicd(GICD_ISACTIVER + 4), gicd(GICD_ISPENDR + 4) & (1u << 8));
    eoi(a);
    wr8(GICD + GICD_IPRIORITYR + 33, 0x50);
    wr32(UART + 0x38, 1u << 5); /* PL011 IMSC: TX interrupt (TX FIFO has room) */
    DSB();
    ISB();
    printf("UART MIS %x HPPIR %x\n", rd32(UART + 0x40) & 0x20, gicc(GICC_HPPIR));
    unsigned b = ack();
    printf("IAR %x\n", b);
    wr32(UART + 0x38, 0);
    DSB();
    eoi(b);
    printf("line low: HPPIR %x IAR %x\n", gicc(GICC_HPPIR), ack());
    gicd_w(GICD_ICENABLER + 4, 0xffffffff);
}

static void exceptions(void) {
    printf("-- virtual timer PPI 27 as IRQ\n");
    rt_set_irq_handler(on_irq);
    wr8(GICD + GICD_IPRIORITYR + 27, 0x90);
    gicd_w(GICD_ISENABLER, 1u << 27);
    WR(cntv_tval_el0, RD(cntfrq_el0) / 1000);
    WR(cntv_ctl_el0, 1);
    ISB();
    RT_WFI_WHILE(irq_count == 0);
    printf("irqs %u id %x fiq %u CNTV_CTL %lx RPR %x\n", irq_count, last_id, last_fiq, RD(cntv_ctl_el0) & 3,
           gicc(GICC_RPR));
    WR(cntv_ctl_el0, 0);
    gicd_w(GICD_ICENABLER, 1u << 27);
    printf("-- Group 0 SGI 6 as FIQ (FIQEn)\n");
    gicc_w(GICC_CTLR, CTLR_GRP0 | CTLR_FIQEN);
    sgi_self(6);
    printf("ISR %x HPPIR %x\n", isr(), gicc(GICC_HPPIR));
    __asm__ volatile("msr daifclr, #1" ::: "memory");
    ISB();
    __asm__ volatile("msr daifset, #1" ::: "memory");
    printf("fiqs %u id %x fiq %u RPR %x ISR %x\n", fiq_count, last_id, last_fiq, gicc(GICC_RPR), isr());
    gicc_w(GICC_CTLR, CTLR_GRP0);
    printf("-- WFI with IRQs masked returns on a pending interrupt\n");
    sgi_self(7);
    __asm__ volatile("wfi" ::: "memory");
    printf("WFI returned, ISR %x\n", isr());
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    ISB();
    __asm__ volatile("msr daifset, #2" ::: "memory");
    printf("irqs %u id %x\n", irq_count, last_id);
}

int main(void) {
    id_regs();
    writable();
    setup();
    polled();
    priorities();
    binary_point();
    pmr_mask();
    eoimode();
    group1();
    spis();
    exceptions();
    return 0;
}
