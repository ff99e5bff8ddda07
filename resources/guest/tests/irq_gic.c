// GICv3 with the system-register CPU interface (QEMU -M virt,gic-version=3):
// ID and reset values both define, SGIs to self (Group 1 IRQ, Group 0 FIQ),
// priorities, the running priority and active priority registers, preemption
// by binary point, the priority mask, EOImode 0/1 (EOIR vs DIR), an SPI set
// pending by GICD_ISPENDR, the PL011's level-sensitive SPI, and IRQ/FIQ
// exception entry (ELR, SPSR) through the runtime's vectors.
#include "gic.h"

#define UART 0x09000000UL

static void sgi1(unsigned id) { WR(SGI1R, ((uint64_t)id << 24) | 1); ISB(); }
static void sgi0(unsigned id) { WR(SGI0R, ((uint64_t)id << 24) | 1); ISB(); }
static unsigned isr(void) { return RD(isr_el1) & 0x1c0; }
static unsigned ack1(void) { return RD(IAR1) & 0xffffff; }
static void eoi1(unsigned id) { WR(EOIR1, id); ISB(); }

static volatile unsigned irq_count, fiq_count, last_id, last_fiq;
static volatile uint64_t last_elr, last_spsr;

static void on_irq(rt_frame *f, int fiq) {
    unsigned id = fiq ? RD(IAR0) & 0xffffff : ack1();
    last_id = id;
    last_fiq = fiq;
    last_elr = f->elr;
    last_spsr = f->spsr;
    if (fiq) {
        fiq_count++;
        WR(EOIR0, id);
    } else {
        irq_count++;
        eoi1(id);
    }
}

static void id_regs(void) {
    printf("GICD_CTLR %x\n", rd32(GICD + 0x0));
    uint32_t typer = rd32(GICD + 0x4);
    printf("GICD_TYPER ITLinesNumber %u IDbits %u\n", typer & 0x1f, (typer >> 19) & 0x1f);
    printf("GICD_IIDR %x PIDR2 %x\n", rd32(GICD + 0x8), rd32(GICD + 0xffe8));
    printf("GICD_IGROUPR1 %x ISENABLER1 %x IPRIORITYR8 %x ICFGR2 %x IROUTER32 %lx\n", rd32(GICD + 0x84),
           rd32(GICD + 0x104), rd32(GICD + 0x420), rd32(GICD + 0xc08), rd64(GICD + 0x6100));
    printf("GICR_TYPER %lx\n", rd64(GICR + 0x8) & ~1UL);
    printf("GICR_IIDR %x PIDR2 %x WAKER %x\n", rd32(GICR + 0x4), rd32(GICR + 0xffe8), rd32(GICR + 0x14));
    printf("GICR_IGROUPR0 %x ISENABLER0 %x ICFGR0 %x ICFGR1 %x IPRIORITYR0 %x\n", rd32(SGI_BASE + 0x80),
           rd32(SGI_BASE + 0x100), rd32(SGI_BASE + 0xc00), rd32(SGI_BASE + 0xc04), rd32(SGI_BASE + 0x400));
    printf("ICC_SRE_EL1 %lx CTLR %lx PMR %lx BPR0 %lx BPR1 %lx IGRPEN0 %lx IGRPEN1 %lx RPR %lx\n", RD(SRE),
           RD(CTLR), RD(PMR), RD(BPR0), RD(BPR1), RD(IGRPEN0),
           RD(IGRPEN1), RD(RPR));
    printf("ID_AA64PFR0_EL1.GIC %lx\n", (RD(id_aa64pfr0_el1) >> 24) & 0xf);
}

static void writable(void) {
    WR(PMR, 0xff);
    WR(BPR1, 0);
    WR(BPR0, 0);
    printf("PMR<-ff: %lx BPR1<-0: %lx BPR0<-0: %lx\n", RD(PMR), RD(BPR1), RD(BPR0));
    WR(CTLR, 1); /* CBPR: BPR1 reads BPR0 + 1 */
    printf("CBPR: CTLR %lx BPR1 %lx\n", RD(CTLR), RD(BPR1));
    WR(CTLR, 0);
    wr8(GICD + 0x421, 0xff);
    wr8(SGI_BASE + 0x401, 0xff);
    printf("IPRIORITYR byte writes: SPI33 %x SGI1 %x\n", rd8(GICD + 0x421), rd8(SGI_BASE + 0x401));
    wr32(GICD + 0xc08, 0xaaaaaaaa);
    printf("ICFGR2 <- aaaaaaaa: %x\n", rd32(GICD + 0xc08));
    wr32(GICD + 0xc08, 0);
    wr32(GICD + 0x6100 + 8, 0x80000000);
    printf("IROUTER33 IRM: %lx\n", rd64(GICD + 0x6108));
    wr64(GICD + 0x6108, 0);
}

static void setup(void) {
    wr32(GICR + 0x14, 0); /* WAKER: clear ProcessorSleep */
    while (rd32(GICR + 0x14) & 4) {
    }
    printf("WAKER awake %x\n", rd32(GICR + 0x14));
    wr32(GICD + 0x0, 3); /* EnableGrp0 | EnableGrp1 */
    while (rd32(GICD + 0x0) & (1u << 31)) {
    }
    wr32(SGI_BASE + 0x80, 0xffffffff); /* SGIs/PPIs Group 1 */
    wr32(SGI_BASE + 0x100, 0xffff);    /* enable SGIs */
    for (int i = 0; i < 16; i++) wr8(SGI_BASE + 0x400 + i, 0xa0);
    wr8(SGI_BASE + 0x401, 0x80);
    wr8(SGI_BASE + 0x402, 0x40);
    wr8(SGI_BASE + 0x403, 0xa0);
    wr8(SGI_BASE + 0x404, 0x88);
    WR(PMR, 0xf0);
    WR(BPR1, 0);
    WR(IGRPEN1, 1);
    ISB();
}

static void polled(void) {
    printf("-- polled SGI 1 (IRQs masked)\n");
    printf("ISR before %x\n", isr());
    sgi1(1);
    printf("ISR %x HPPIR1 %lu ISPENDR0 %x\n", isr(), RD(HPPIR1), rd32(SGI_BASE + 0x200));
    unsigned id = ack1();
    printf("IAR1 %u RPR %lx AP1R0 %lx ISACTIVER0 %x ISPENDR0 %x ISR %x\n", id, RD(RPR), RD(AP1R0),
           rd32(SGI_BASE + 0x300), rd32(SGI_BASE + 0x200), isr());
    eoi1(id);
    printf("after EOI: RPR %lx AP1R0 %lx ISACTIVER0 %x IAR1 %u\n", RD(RPR), RD(AP1R0),
           rd32(SGI_BASE + 0x300), ack1());
}

static void priorities(void) {
    printf("-- priorities: SGI 3 (a0), 2 (40), 1 (80) pending\n");
    sgi1(3);
    sgi1(2);
    sgi1(1);
    printf("HPPIR1 %lu\n", RD(HPPIR1));
    unsigned a = ack1();
    printf("IAR1 %u RPR %lx HPPIR1 %lu\n", a, RD(RPR), RD(HPPIR1));
    printf("IAR1 while 40 runs %u\n", ack1());
    eoi1(a);
    unsigned b = ack1();
    printf("IAR1 %u RPR %lx; next IAR1 %u\n", b, RD(RPR), ack1());
    eoi1(b);
    unsigned c = ack1();
    printf("IAR1 %u RPR %lx\n", c, RD(RPR));
    eoi1(c);
    printf("IAR1 empty %u HPPIR1 %lu\n", ack1(), RD(HPPIR1));
}

static void binary_point(void) {
    printf("-- binary point 7: only bit 7 is group priority\n");
    WR(BPR1, 7);
    wr8(SGI_BASE + 0x401, 0x90);
    sgi1(1);
    unsigned a = ack1();
    printf("IAR1 %u RPR %lx AP1R0 %lx\n", a, RD(RPR), RD(AP1R0));
    sgi1(4); /* 0x88: same group priority, cannot preempt */
    printf("SGI 4 (88): IAR1 %u\n", ack1());
    sgi1(2); /* 0x40: preempts */
    unsigned b = ack1();
    printf("SGI 2 (40): IAR1 %u RPR %lx AP1R0 %lx\n", b, RD(RPR), RD(AP1R0));
    eoi1(b);
    printf("after EOI 2: RPR %lx AP1R0 %lx\n", RD(RPR), RD(AP1R0));
    eoi1(a);
    WR(BPR1, 0);
    unsigned c = ack1();
    printf("IAR1 %u RPR %lx\n", c, RD(RPR));
    eoi1(c);
    wr8(SGI_BASE + 0x401, 0x80);
}

static void pmr_mask(void) {
    printf("-- priority mask\n");
    WR(PMR, 0x80);
    sgi1(1); /* priority 0x80: masked */
    printf("PMR 80: ISR %x HPPIR1 %lu IAR1 %u\n", isr(), RD(HPPIR1), ack1());
    WR(PMR, 0xf0);
    ISB();
    unsigned a = ack1();
    printf("PMR f0: IAR1 %u\n", a);
    eoi1(a);
}

static void eoimode(void) {
    printf("-- EOImode 1\n");
    WR(CTLR, 2);
    sgi1(1);
    unsigned a = ack1();
    eoi1(a);
    printf("after EOIR: RPR %lx ISACTIVER0 %x\n", RD(RPR), rd32(SGI_BASE + 0x300));
    sgi1(1);
    printf("pending while active: HPPIR1 %lu IAR1 %u ISPENDR0 %x\n", RD(HPPIR1), ack1(), rd32(SGI_BASE + 0x200));
    WR(DIR, a);
    ISB();
    printf("after DIR: ISACTIVER0 %x\n", rd32(SGI_BASE + 0x300));
    unsigned b = ack1();
    printf("IAR1 %u\n", b);
    eoi1(b);
    WR(DIR, b);
    WR(CTLR, 0);
    printf("ISACTIVER0 %x\n", rd32(SGI_BASE + 0x300));
}

static void spis(void) {
    printf("-- SPI 40 by ISPENDR, PL011 SPI 33 level\n");
    wr8(GICD + 0x400 + 40, 0x60);
    wr32(GICD + 0x84, 0xffffffff);
    wr32(GICD + 0x104, (1u << 8) | (1u << 1));
    wr32(GICD + 0x204, 1u << 8);
    printf("ISPENDR1 %x HPPIR1 %lu\n", rd32(GICD + 0x204) & (1u << 8), RD(HPPIR1));
    unsigned a = ack1();
    printf("IAR1 %u ISACTIVER1 %x ISPENDR1 %x\n", a, rd32(GICD + 0x304), rd32(GICD + 0x204) & (1u << 8));
    eoi1(a);
    wr8(GICD + 0x400 + 33, 0x50);
    wr32(UART + 0x38, 1u << 5); /* PL011 IMSC: TX interrupt (TX FIFO has room) */
    DSB();
    ISB();
    printf("UART MIS %x HPPIR1 %lu\n", rd32(UART + 0x40) & 0x20, RD(HPPIR1));
    unsigned b = ack1();
    printf("IAR1 %u\n", b);
    wr32(UART + 0x38, 0);
    DSB();
    eoi1(b);
    printf("line low: HPPIR1 %lu IAR1 %u\n", RD(HPPIR1), ack1());
    wr32(GICD + 0x184, 0xffffffff);
}

static uint64_t send_and_mark(unsigned id) {
    uint64_t after;
    __asm__ volatile("adr %0, 1f\n msr " "S3_0_C12_C11_5" ", %1\n1:\n" : "=&r"(after) : "r"(((uint64_t)id << 24) | 1) : "memory");
    return after;
}

static void exceptions(void) {
    printf("-- IRQ exception\n");
    rt_set_irq_handler(on_irq);
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    uint64_t after = send_and_mark(5);
    __asm__ volatile("nop" ::: "memory");
    printf("irqs %u id %u fiq %u elr==next %d spsr %lx RPR %lx\n", irq_count, last_id, last_fiq, last_elr == after,
           last_spsr & 0x3cf, RD(RPR));
    __asm__ volatile("msr daifset, #2" ::: "memory");
    printf("-- Group 0 SGI 6 as FIQ\n");
    wr32(SGI_BASE + 0x80, ~(1u << 6));
    WR(IGRPEN0, 1);
    sgi0(6);
    printf("ISR %x HPPIR0 %lu HPPIR1 %lu IAR1 %u\n", isr(), RD(HPPIR0), RD(HPPIR1), ack1());
    __asm__ volatile("msr daifclr, #1" ::: "memory");
    ISB();
    __asm__ volatile("msr daifset, #1" ::: "memory");
    printf("fiqs %u id %u fiq %u spsr %lx RPR %lx AP0R0 %lx\n", fiq_count, last_id, last_fiq, last_spsr & 0x3cf,
           RD(RPR), RD(AP0R0));
    sgi1(6); /* Group 1 SGI for a Group 0 interrupt: ignored */
    printf("SGI1R for Group 0 SGI 6: HPPIR0 %lu\n", RD(HPPIR0));
    printf("-- WFI with IRQs masked returns on a pending interrupt\n");
    sgi1(7);
    __asm__ volatile("wfi" ::: "memory");
    printf("WFI returned, ISR %x\n", isr());
    __asm__ volatile("msr daifclr, #2" ::: "memory");
    ISB();
    __asm__ volatile("msr daifset, #2" ::: "memory");
    printf("irqs %u id %u\n", irq_count, last_id);
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
    spis();
    exceptions();
    return 0;
}
