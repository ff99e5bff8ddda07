// Stage-2 translation (entered at EL2; the runtime drops to EL1). Through HVC
// calls, the runtime's EL2 handler (this test's hook) programs VTCR_EL2/VTTBR_EL2
// and sets HCR_EL2.VM with a stage-2 table built here (4 KiB granule, 39-bit
// IPA, start level 1): IPA 0-1 GiB Device block, 1-2 GiB 2 MiB Normal blocks,
// identity except for a remapped block, a read-only block and a hole. EL1 then
// reads and writes through them; stage-2 faults go to EL2 (ESR_EL2 with ISV/
// SAS/SRT/WnR, FAR_EL2, HPFAR_EL2) where the hook emulates an MMIO "device"
// for accesses to the hole, as a hypervisor would.
//! qemu: virtualization
#include "common.h"

#define S2_VALID 1ULL
#define S2_TABLE 2ULL
#define S2_MEMATTR_DEV (0x0ULL << 2)
#define S2_MEMATTR_WB (0xfULL << 2)
#define S2AP_RO (1ULL << 6)
#define S2AP_RW (3ULL << 6)
#define S2_SH (3ULL << 8)
#define S2_AF (1ULL << 10)
#define S2_XN (1ULL << 54)

static uint64_t s2_l1[512] __attribute__((aligned(4096)));
static uint64_t s2_l2[512] __attribute__((aligned(4096)));

#define IPA_ALIAS 0x7fe00000ULL /* -> PA of the block holding `target` */
#define IPA_RO 0x7fc00000ULL    /* read-only view of the same block */
#define IPA_HOLE 0x7fa00000ULL  /* unmapped: emulated "device" */

static volatile uint64_t h_esr, h_far, h_hpfar, h_count, mmio_last_write, mmio_writes;

static int el2_hook(rt_frame *f, int el) {
    unsigned ec = ESR_EC(f->esr);
    if (ec == 0x16) {
        unsigned imm = f->esr & 0xffff;
        if (imm == 3) { /* enable stage 2 with VTTBR = x1 */
            WRITE_SYSREG(vtcr_el2, 25ULL | (1ULL << 6) | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (2ULL << 16) |
                                       (1ULL << 31));
            WRITE_SYSREG(vttbr_el2, f->x[1]);
            ISB();
            WRITE_SYSREG(hcr_el2, READ_SYSREG(hcr_el2) | 1);
            __asm__ volatile("isb\n tlbi vmalls12e1\n dsb nsh\n isb" ::: "memory");
            f->x[0] = READ_SYSREG(hcr_el2) & 1;
            return RT_RESUME;
        }
        if (imm == 4) { /* disable */
            WRITE_SYSREG(hcr_el2, READ_SYSREG(hcr_el2) & ~1ULL);
            __asm__ volatile("isb\n tlbi vmalls12e1\n dsb nsh\n isb" ::: "memory");
            f->x[0] = 0;
            return RT_RESUME;
        }
        if (imm == 5) { /* TLBI by IPA after a stage-2 change: x1 = IPA */
            __asm__ volatile("dsb ishst\n tlbi ipas2e1, %0\n dsb nsh\n tlbi vmalle1\n dsb nsh\n isb" : : "r"(f->x[1] >> 12) : "memory");
            return RT_RESUME;
        }
        return RT_UNHANDLED;
    }
    if (ec == 0x24) {
        h_esr = f->esr;
        h_far = READ_SYSREG(far_el2);
        h_hpfar = READ_SYSREG(hpfar_el2);
        h_count++;
        uint64_t ipa = (h_hpfar >> 4) << 12 | (h_far & 0xfff);
        if ((f->esr & (1u << 24)) && ipa >= IPA_HOLE && ipa < IPA_HOLE + 0x200000) { /* ISV: emulate */
            unsigned srt = (f->esr >> 16) & 31, sas = (f->esr >> 22) & 3;
            if (f->esr & (1u << 6)) { /* write */
                mmio_last_write = srt == 31 ? 0 : f->x[srt] & (sas == 3 ? ~0ULL : (1ULL << (8 << sas)) - 1);
                mmio_writes++;
            } else if (srt != 31) { /* read: the device returns 0x8765d000_d0008000 | offset */
                uint64_t v = 0x8765d000d0008000ULL | (ipa & 0xfff);
                unsigned bits = 8u << sas;
                if (bits < 64) {
                    v &= (1ULL << bits) - 1;
                    if ((f->esr & (1u << 21)) && (v >> (bits - 1)) & 1) v |= ~0ULL << bits; /* SSE */
                }
                if (!(f->esr & (1u << 15))) v &= 0xffffffffULL; /* SF=0: W register */
                f->x[srt] = v;
            }
        }
        return RT_SKIP;
    }
    return RT_UNHANDLED;
}

static uint64_t hvc(unsigned which, uint64_t x1) {
    register uint64_t x0 __asm__("x0") = 0;
    register uint64_t r1 __asm__("x1") = x1;
    switch (which) {
    case 3: __asm__ volatile("hvc #3" : "+r"(x0), "+r"(r1) : : "memory"); break;
    case 4: __asm__ volatile("hvc #4" : "+r"(x0), "+r"(r1) : : "memory"); break;
    default: __asm__ volatile("hvc #5" : "+r"(x0), "+r"(r1) : : "memory"); break;
    }
    return x0;
}

static void show(const char *what) {
    if (!h_count) {
        printf("%-30s no stage-2 fault\n", what);
        return;
    }
    printf("%-30s ESR_EL2=%08lx ISV=%lu SAS=%lu SSE=%lu SRT=x%lu SF=%lu WnR=%lu DFSC=%02lx FAR=%lx HPFAR=%lx\n", what,
           h_esr, (h_esr >> 24) & 1, (h_esr >> 22) & 3, (h_esr >> 21) & 1, (h_esr >> 16) & 31, (h_esr >> 15) & 1,
           (h_esr >> 6) & 1, h_esr & 0x3f, h_far, h_hpfar);
    h_count = 0;
}

static uint8_t target_block[0x400000] __attribute__((aligned(0x200000)));

int main(void) {
    printf("entry EL%d, running at EL%lu\n", rt_entry_el(), READ_SYSREG(CurrentEL) >> 2);
    rt_set_high_handler(el2_hook);
    uint64_t tpa = ((uint64_t)target_block + 0x1fffff) & ~0x1fffffULL; /* a 2 MiB block inside target_block */
    volatile uint64_t *t = (volatile uint64_t *)tpa;
    for (int i = 0; i < 64; i++) t[i] = 0x5100000000000000ULL | (uint64_t)i;

    s2_l1[0] = 0 | S2_VALID | S2_MEMATTR_DEV | S2AP_RW | S2_AF | S2_XN;
    s2_l1[1] = (uint64_t)s2_l2 | S2_TABLE | S2_VALID;
    for (int i = 0; i < 512; i++)
        s2_l2[i] = (0x40000000ULL + ((uint64_t)i << 21)) | S2_VALID | S2_MEMATTR_WB | S2AP_RW | S2_SH | S2_AF;
    s2_l2[(IPA_ALIAS - 0x40000000) >> 21] = tpa | S2_VALID | S2_MEMATTR_WB | S2AP_RW | S2_SH | S2_AF;
    s2_l2[(IPA_RO - 0x40000000) >> 21] = tpa | S2_VALID | S2_MEMATTR_WB | S2AP_RO | S2_SH | S2_AF;
    s2_l2[(IPA_HOLE - 0x40000000) >> 21] = 0;
    __asm__ volatile("dsb ish" ::: "memory");
    printf("stage 2 on: HCR_EL2.VM=%lu\n", hvc(3, (uint64_t)s2_l1));

    volatile uint64_t *alias = (volatile uint64_t *)IPA_ALIAS, *ro = (volatile uint64_t *)IPA_RO;
    printf("via alias: %016lx %016lx, via ro: %016lx\n", alias[0], alias[63], ro[5]);
    alias[1] = 0xa11a5;
    printf("wrote via alias: target[1]=%016lx ro[1]=%016lx\n", t[1], ro[1]);
    show("after alias accesses");
    ro[2] = 0xbad;
    show("str x to read-only IPA");
    printf("target[2] unchanged: %016lx\n", t[2]);
    __asm__ volatile("strb %w0, [%1, #3]" : : "r"(0x77), "r"(ro) : "memory");
    show("strb to read-only IPA");

    volatile uint32_t *dev = (volatile uint32_t *)(IPA_HOLE + 0x100);
    uint32_t r32 = dev[1];
    show("ldr w from hole");
    printf("emulated read: %08x\n", r32);
    uint64_t r64;
    __asm__ volatile("ldr %0, [%1, #0x40]" : "=r"(r64) : "r"(dev) : "memory");
    show("ldr x from hole");
    printf("emulated read: %016lx\n", r64);
    int64_t sx;
    __asm__ volatile("ldrsh %0, [%1, #0x22]" : "=r"(sx) : "r"(dev) : "memory");
    show("ldrsh x from hole");
    printf("emulated read: %016lx\n", (uint64_t)sx);
    __asm__ volatile("ldrsb %w0, [%1, #0x23]" : "=r"(sx) : "r"(dev) : "memory");
    show("ldrsb w from hole");
    printf("emulated read: %016lx\n", (uint64_t)sx);
    dev[3] = 0x12345678;
    show("str w to hole");
    __asm__ volatile("strh %w0, [%1, #0x10]" : : "r"(0xabcd), "r"(dev) : "memory");
    show("strh to hole");
    printf("emulated writes: %lu, last %lx\n", mmio_writes, mmio_last_write);
    uint64_t a = 0, b = 0;
    __asm__ volatile("ldp %0, %1, [%2]" : "+r"(a), "+r"(b) : "r"(dev) : "memory");
    show("ldp from hole (no ISV)");

    /* remap the alias to the next block and invalidate by IPA */
    s2_l2[(IPA_ALIAS - 0x40000000) >> 21] = (tpa + 0x200000 <= (uint64_t)target_block + sizeof target_block - 0x200000 ? tpa + 0x200000 : tpa - 0x200000) |
                                             S2_VALID | S2_MEMATTR_WB | S2AP_RW | S2_SH | S2_AF;
    hvc(5, IPA_ALIAS);
    alias[0] = 0x2222;
    printf("after stage-2 remap: target[0]=%016lx (unchanged) alias[0]=%lx\n", t[0], alias[0]);

    hvc(4, 0);
    printf("stage 2 off; exiting via PSCI\n");
    rt_psci_off();
}
