// Data and instruction aborts at EL1: synchronous external abort on physical
// addresses with no device (a hole in the virt memory map, RAM beyond 128 MiB)
// for loads and stores, translation faults (beyond the mapped GiBs, beyond the
// 39-bit VA range, TTBR1 half with EPD1=1), instruction aborts (branch to an
// unmapped VA, to XN Device memory, to PXN EL0 memory), PC alignment fault,
// alignment faults with SCTLR_EL1.A=1 and for unaligned exclusives with A=0.
//
// Not tested (QEMU 7.2 differs from the architecture): SP alignment faults,
// and the alignment fault of an unaligned STXR whose address isn't the one
// the monitor holds (QEMU fails the store without checking alignment; the
// pseudocode, AArch64.ExclusiveMonitorsPass, checks alignment first).
#include "common.h"

static int handler(rt_frame *f) {
    last_esr = f->esr;
    last_far = f->far;
    last_elr = f->elr;
    exc_count++;
    unsigned ec = ESR_EC(f->esr);
    if (ec == 0x21 || ec == 0x22) { /* instruction abort / PC alignment: return to the caller */
        f->elr = f->x[30];
        return RT_RESUME;
    }
    return RT_SKIP;
}

static void report(const char *what, uint64_t base) {
    if (!exc_count) {
        printf("%-28s no exception\n", what);
        return;
    }
    printf("%-28s ESR=%08lx EC=%02x ISS=%07lx FAR=%s%lx\n", what, last_esr, ESR_EC(last_esr), last_esr & 0x1ffffff,
           base ? "base+" : "", last_far - base);
    exc_count = 0;
}

static void load(const char *what, uint64_t addr, int size) {
    uint64_t v = 0x5a;
    switch (size) {
    case 1: __asm__ volatile("ldrb %w0, [%1]" : "+r"(v) : "r"(addr) : "memory"); break;
    case 4: __asm__ volatile("ldr %w0, [%1]" : "+r"(v) : "r"(addr) : "memory"); break;
    default: __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(addr) : "memory"); break;
    }
    report(what, 0);
    if (v != 0x5a) printf("  loaded %lx\n", v);
}

static void store(const char *what, uint64_t addr) {
    __asm__ volatile("str %w0, [%1]" : : "r"(0x1234), "r"(addr) : "memory");
    report(what, 0);
}

static void call(const char *what, uint64_t target) {
    __asm__ volatile("blr %0" : : "r"(target) : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
                     "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x30", "memory");
    report(what, 0);
}

static uint8_t abuf[64] __attribute__((aligned(16)));

int main(void) {
    rt_set_sync_handler(handler);
    load("ldr w  hole 0x0b000000", 0x0b000000, 4);
    load("ldrb   hole 0x0c000000", 0x0c000123, 1);
    store("str w  hole 0x0b000000", 0x0b000000);
    load("ldr x  RAM end 0x48000000", 0x48000000, 8);
    store("str w  RAM end 0x4ffffffc", 0x4ffffffc);
    load("ldr x  VA 0x80000000", 0x80000000, 8);
    store("str w  VA 0x80000000", 0x80000000);
    load("ldr x  VA 1<<39", 1ULL << 39, 8);
    load("ldr x  VA 0xffff000000000000", 0xffff000000000000ULL, 8);
    load("ldr x  VA 0xffffffffffffff00", 0xffffffffffffff00ULL, 8);
    call("blr to VA 0x80000000", 0x80000000);
    call("blr to hole 0x0b000000 (XN)", 0x0b000000);
    call("blr to EL0 region (PXN)", (uint64_t)__el0_start);
    call("blr to misaligned PC", (uint64_t)main + 2);
    /* alignment */
    for (int i = 0; i < 64; i++) abuf[i] = (uint8_t)i;
    uint64_t base = (uint64_t)abuf, v = 0;
    __asm__ volatile("ldr %0, [%1, #1]" : "+r"(v) : "r"(base) : "memory");
    printf("A=0 unaligned ldr: %016lx\n", v);
    uint64_t sctlr = READ_SYSREG(sctlr_el1);
    WRITE_SYSREG(sctlr_el1, sctlr | 2); /* A */
    ISB();
    uint64_t vals[8] = {0};
    __asm__ volatile("ldr %0, [%1, #1]" : "+r"(vals[0]) : "r"(base) : "memory");
    __asm__ volatile("ldr %w0, [%1, #2]" : "+r"(vals[1]) : "r"(base) : "memory");
    __asm__ volatile("ldrh %w0, [%1, #1]" : "+r"(vals[2]) : "r"(base) : "memory");
    __asm__ volatile("ldrb %w0, [%1, #1]" : "+r"(vals[3]) : "r"(base) : "memory");
    __asm__ volatile("ldr %w0, [%1, #4]" : "+r"(vals[4]) : "r"(base) : "memory");
    __asm__ volatile("str %w0, [%1, #6]" : : "r"(0xffff), "r"(base) : "memory");
    __asm__ volatile("ldp %w0, %w1, [%2, #4]" : "+r"(vals[5]), "+r"(vals[6]) : "r"(base) : "memory");
    __asm__ volatile("movi v0.2d, #0\n ldr q0, [%1, #8]\n fmov %0, d0" : "+r"(vals[7]) : "r"(base) : "v0", "memory");
    uint64_t n = exc_count, esr = last_esr, far = last_far;
    WRITE_SYSREG(sctlr_el1, sctlr);
    ISB();
    exc_count = 0;
    printf("A=1: %lu faults, last ESR=%08lx FAR=base+%lx\n", n, esr, far - base);
    printf("A=1 values: %lx %lx %lx %lx %lx %lx %lx %lx\n", vals[0], vals[1], vals[2], vals[3], vals[4], vals[5],
           vals[6], vals[7]);
    /* exclusives and acquire/release must be aligned even with A=0 */
    uint64_t st = 7;
    v = 0;
    __asm__ volatile("ldxr %0, [%1]" : "+r"(v) : "r"(base + 4) : "memory");
    report("ldxr x  at +4", base);
    __asm__ volatile("ldaxr %w0, [%1]" : "+r"(v) : "r"(base + 2) : "memory");
    report("ldaxr w at +2", base);
    __asm__ volatile("ldxrh %w0, [%1]" : "+r"(v) : "r"(base + 1) : "memory");
    report("ldxrh   at +1", base);
    __asm__ volatile("ldxp %0, %1, [%2]" : "+r"(v), "+r"(st) : "r"(base + 8) : "memory");
    report("ldxp x  at +8", base);
    __asm__ volatile("clrex" ::: "memory");
    __asm__ volatile("ldxrb %w0, [%1]" : "+r"(v) : "r"(base + 3) : "memory");
    report("ldxrb   at +3", base);
    __asm__ volatile("clrex" ::: "memory");
    return 0;
}
