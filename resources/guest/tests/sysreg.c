// System registers: MRS/MSR of NZCV, DAIF (and DAIFSet/DAIFClr), FPCR, FPSR,
// TPIDR_EL0/TPIDRRO_EL0/TPIDR_EL1, CurrentEL, SPSel, SP_EL0, ELR/SPSR/FAR_EL1,
// CONTEXTIDR_EL1, read-back of the runtime's SCTLR/TCR/MAIR/VBAR, DCZID_EL0
// and DC ZVA zeroing exactly one DCZID-sized aligned block.
#include "common.h"

extern char rt_vectors_el1[];
static uint8_t zbuf[4096] __attribute__((aligned(2048)));

int main(void) {
    uint64_t v;
    /* NZCV: only bits 31:28 exist */
    static const uint64_t nz[] = {0, 0xf0000000, 0xffffffffffffffffULL, 0x50000000, 0x0fffffff};
    for (unsigned i = 0; i < ARRAY_SIZE(nz); i++) {
        WRITE_SYSREG(nzcv, nz[i]);
        v = READ_SYSREG(nzcv);
        printf("nzcv write %016lx read %016lx\n", nz[i], v);
    }
    /* DAIF */
    uint64_t daif0 = READ_SYSREG(daif);
    __asm__ volatile("msr daifset, #0xf" ::: "memory");
    uint64_t d1 = READ_SYSREG(daif);
    __asm__ volatile("msr daifclr, #0x5" ::: "memory"); /* clears D and I */
    uint64_t d2 = READ_SYSREG(daif);
    WRITE_SYSREG(daif, 0x140);  /* A and F */
    uint64_t d3 = READ_SYSREG(daif);
    WRITE_SYSREG(daif, 0xffffffffULL);
    uint64_t d4 = READ_SYSREG(daif);
    WRITE_SYSREG(daif, daif0);
    printf("daif initial %lx set-all %lx clr-DI %lx write140 %lx write-ones %lx restored %lx\n", daif0, d1, d2, d3, d4,
           READ_SYSREG(daif));
    /* FPCR: AHP DN FZ RMode; FPSR: QC + cumulative flags */
    WRITE_SYSREG(fpcr, 0x07c00000);
    uint64_t f1 = READ_SYSREG(fpcr) & 0x07c00000;
    WRITE_SYSREG(fpcr, 0x00400000);
    uint64_t f2 = READ_SYSREG(fpcr) & 0x07c00000;
    WRITE_SYSREG(fpcr, 0);
    WRITE_SYSREG(fpsr, 0x0800009f);
    uint64_t s1 = READ_SYSREG(fpsr) & 0x0800009f;
    WRITE_SYSREG(fpsr, 0x00000005);
    uint64_t s2 = READ_SYSREG(fpsr) & 0x0800009f;
    WRITE_SYSREG(fpsr, 0);
    printf("fpcr %08lx %08lx now %08lx fpsr %08lx %08lx now %08lx\n", f1, f2, READ_SYSREG(fpcr), s1, s2, READ_SYSREG(fpsr));
    /* thread ID registers */
    WRITE_SYSREG(tpidr_el0, 0x0123456789abcdefULL);
    WRITE_SYSREG(tpidrro_el0, 0xfedcba9876543210ULL);
    WRITE_SYSREG(tpidr_el1, 0x8000000000000001ULL);
    WRITE_SYSREG(contextidr_el1, 0x1234);
    printf("tpidr_el0 %016lx tpidrro_el0 %016lx tpidr_el1 %016lx contextidr %lx\n", READ_SYSREG(tpidr_el0),
           READ_SYSREG(tpidrro_el0), READ_SYSREG(tpidr_el1), READ_SYSREG(contextidr_el1));
    /* CurrentEL, SPSel, SP_EL0 */
    uint64_t cur = READ_SYSREG(CurrentEL), spsel = READ_SYSREG(spsel), sp0, sp1a, sp1b, sel0;
    WRITE_SYSREG(sp_el0, 0x40001230ULL);
    __asm__ volatile("mov %2, sp\n"
                     "msr spsel, #0\n"
                     "mrs %3, spsel\n"
                     "mov %0, sp\n"
                     "msr spsel, #1\n"
                     "mov %1, sp\n"
                     : "=&r"(sp0), "=&r"(sp1a), "=&r"(sp1b), "=&r"(sel0)
                     :
                     : "memory");
    printf("CurrentEL %lx SPSel %lx (then %lx) sp with SPSel=0 %lx sp_el1 unchanged %d sp_el0 %lx\n", cur, spsel,
           sel0, sp0, sp1a == sp1b, READ_SYSREG(sp_el0));
    /* exception registers are plain read/write outside exceptions */
    WRITE_SYSREG(elr_el1, 0x4020abcdULL);
    WRITE_SYSREG(spsr_el1, 0x600003c5ULL);
    WRITE_SYSREG(far_el1, 0xdeadbeef000ULL);
    WRITE_SYSREG(esr_el1, 0x96000045ULL);
    printf("elr %lx spsr %lx far %lx esr %lx\n", READ_SYSREG(elr_el1), READ_SYSREG(spsr_el1), READ_SYSREG(far_el1),
           READ_SYSREG(esr_el1));
    /* what the runtime programmed */
    printf("sctlr_el1 %016lx tcr_el1 %016lx mair_el1 %016lx vbar ok %d\n", READ_SYSREG(sctlr_el1),
           READ_SYSREG(tcr_el1), READ_SYSREG(mair_el1), READ_SYSREG(vbar_el1) == (uint64_t)rt_vectors_el1);
    /* DC ZVA */
    uint64_t dczid = READ_SYSREG(dczid_el0);
    unsigned bs = 4u << (dczid & 0xf);
    printf("dczid_el0 %lx: DZP=%lu block %u bytes\n", dczid, (dczid >> 4) & 1, bs);
    static const unsigned offs[] = {0, 1, 100, 1000, 2047};
    for (unsigned i = 0; i < ARRAY_SIZE(offs); i++) {
        memset(zbuf, 0xaa, sizeof zbuf);
        __asm__ volatile("dc zva, %0" : : "r"(zbuf + 1024 + offs[i]) : "memory");
        int first = -1, last = -1, count = 0;
        for (int j = 0; j < (int)sizeof zbuf; j++)
            if (zbuf[j] == 0) {
                if (first < 0) first = j;
                last = j;
                count++;
            }
        /* expected: the aligned block containing the address */
        unsigned exp_first = (1024 + offs[i]) & ~(bs - 1);
        printf("dc zva at +%u: zeroed [%d, %d] count %d %s\n", 1024 + offs[i], first, last, count,
               (unsigned)first == exp_first && count == (int)bs && last == first + count - 1 ? "ok" : "UNEXPECTED");
    }
    return 0;
}
