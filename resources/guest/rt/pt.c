/* Translation-table builder and MMU test helpers (see pt.h). Nothing here runs
 * unless a program calls it. */
#include "pt.h"

int pt_start_level(unsigned grain, unsigned ia_bits) {
    unsigned stride = grain - 3;
    return 4 - (int)((ia_bits - grain + stride - 1) / stride);
}

unsigned pt_shift(unsigned grain, int level) { return grain + (unsigned)(3 - level) * (grain - 3); }

int pt_block_ok(unsigned grain, int level, unsigned fmt) {
    if (grain == 12) return level == 1 || level == 2 || (level == 0 && fmt == PT_DS);
    if (grain == 14) return level == 2 || (level == 1 && fmt == PT_DS);
    return level == 2 || level == 1; /* 64K: level 1 when PAMax is 52 bits */
}

static void pt_fail(const char *what) {
    rt_printf("pt: %s\n", what);
    rt_exit(96);
}

uint64_t pt_alloc(pt_t *t, uint64_t bytes) {
    uint64_t align = 1ULL << t->grain;
    if (bytes > align) align = bytes;
    uint64_t a = (t->next + align - 1) & ~(align - 1);
    uint64_t sz = bytes < (1ULL << t->grain) ? (1ULL << t->grain) : bytes;
    if (a + sz > t->end) pt_fail("table arena full");
    t->next = a + sz;
    volatile uint64_t *p = (volatile uint64_t *)a;
    for (uint64_t i = 0; i < bytes / 8; i++) p[i] = 0;
    return a;
}

void pt_init_at(pt_t *t, unsigned grain, unsigned ia_bits, unsigned fmt, int start, uint64_t arena, uint64_t size) {
    t->grain = grain;
    t->ia_bits = ia_bits;
    t->fmt = fmt;
    t->start = start;
    t->next = arena;
    t->end = arena + size;
    t->tattr = 0;
    unsigned bits = ia_bits - pt_shift(grain, start);
    t->concat = bits > grain - 3 ? 1u << (bits - (grain - 3)) : 1;
    t->root = pt_alloc(t, 8ULL << bits);
}

void pt_init(pt_t *t, unsigned grain, unsigned ia_bits, unsigned fmt, uint64_t arena, uint64_t size) {
    pt_init_at(t, grain, ia_bits, fmt, pt_start_level(grain, ia_bits), arena, size);
}

uint64_t pt_oa(unsigned fmt, uint64_t pa) {
    switch (fmt) {
    case PT_LPA: return (pa & 0x0000ffffffff0000ULL) | (((pa >> 48) & 0xf) << 12);
    case PT_DS: return (pa & 0x0003fffffffff000ULL) | (((pa >> 50) & 3) << 8);
    default: return pa & 0x0000fffffffff000ULL;
    }
}

uint64_t pt_desc_addr(unsigned fmt, unsigned grain, uint64_t d) {
    uint64_t low = ~((1ULL << grain) - 1);
    switch (fmt) {
    case PT_LPA: return (d & 0x0000ffffffffffffULL & low) | (((d >> 12) & 0xf) << 48);
    case PT_DS: return (d & 0x0003ffffffffffffULL & low) | (((d >> 8) & 3) << 50);
    default: return d & 0x0000ffffffffffffULL & low;
    }
}

uint64_t pt_ttbr(const pt_t *t, uint64_t asid) {
    uint64_t b = t->root;
    if (t->fmt != PT_FMT48) b = (b & 0x0000ffffffffffc0ULL) | (((b >> 48) & 0xf) << 2);
    return b | (asid << 48);
}

static uint64_t pt_index(const pt_t *t, uint64_t ia, int level) {
    unsigned sh = pt_shift(t->grain, level);
    unsigned bits = level == t->start ? t->ia_bits - sh : t->grain - 3;
    return (ia >> sh) & ((1ULL << bits) - 1);
}

volatile uint64_t *pt_slot(pt_t *t, uint64_t ia, int level) {
    uint64_t table = t->root;
    for (int l = t->start; l < level; l++) {
        volatile uint64_t *s = (volatile uint64_t *)(table + 8 * pt_index(t, ia, l));
        uint64_t d = *s;
        if ((d & 1) == 0) {
            uint64_t n = pt_alloc(t, 1ULL << t->grain);
            d = pt_oa(t->fmt, n) | PT_TABLE | t->tattr;
            *s = d;
        } else if ((d & 3) != 3) {
            return 0;
        }
        table = pt_desc_addr(t->fmt, t->grain, d);
    }
    return (volatile uint64_t *)(table + 8 * pt_index(t, ia, level));
}

volatile uint64_t *pt_map(pt_t *t, uint64_t ia, uint64_t oa, int level, uint64_t attrs) {
    volatile uint64_t *s = pt_slot(t, ia, level);
    if (!s) pt_fail("pt_map: a block is in the way");
    if (t->fmt == PT_DS) attrs &= ~(3ULL << 8);
    *s = pt_oa(t->fmt, oa) | (level == 3 ? 3 : 1) | attrs;
    return s;
}

void pt_identity(pt_t *t, uint64_t ram, int el0) {
    uint64_t bs = 1ULL << pt_shift(t->grain, 2);
    uint64_t uart = 0x09000000ULL & ~(bs - 1);
    pt_map(t, uart, uart, 2, PT_ATTR(PT_DEV) | PT_AF | PT_PXN | PT_UXN);
    uint64_t lo = (uint64_t)__el0_start, hi = (uint64_t)__el0_end;
    for (uint64_t a = 0x40000000ULL; a < 0x40000000ULL + ram; a += bs) {
        uint64_t at = PT_ATTR(PT_NORM) | PT_SH_IS | PT_AF;
        if (el0 && a >= lo && a < hi)
            at |= PT_AP_EL0 | PT_PXN;
        else
            at |= PT_UXN;
        pt_map(t, a, a, 2, at);
    }
}

static int pt_saved;
static uint64_t pt_rt_mair, pt_rt_tcr, pt_rt_ttbr0, pt_rt_ttbr1;

void __attribute__((noinline)) pt_el1_switch(uint64_t mair, uint64_t tcr, uint64_t ttbr0, uint64_t ttbr1) {
    if (!pt_saved) {
        pt_rt_mair = READ_SYSREG(mair_el1);
        pt_rt_tcr = READ_SYSREG(tcr_el1);
        pt_rt_ttbr0 = READ_SYSREG(ttbr0_el1);
        pt_rt_ttbr1 = READ_SYSREG(ttbr1_el1);
        pt_saved = 1;
    }
    __asm__ volatile("dsb sy\n mrs x9, sctlr_el1\n bic x10, x9, #1\n msr sctlr_el1, x10\n isb\n"
                     "msr mair_el1, %0\n msr tcr_el1, %1\n msr ttbr0_el1, %2\n msr ttbr1_el1, %3\n isb\n"
                     "tlbi vmalle1\n dsb nsh\n isb\n msr sctlr_el1, x9\n isb"
                     : : "r"(mair), "r"(tcr), "r"(ttbr0), "r"(ttbr1) : "x9", "x10", "memory");
}

void pt_el1_restore(void) {
    if (pt_saved) pt_el1_switch(pt_rt_mair, pt_rt_tcr, pt_rt_ttbr0, pt_rt_ttbr1);
}

void __attribute__((noinline)) pt_mmu_off(void) {
    __asm__ volatile("dsb sy\n mrs x9, sctlr_el1\n bic x9, x9, #1\n msr sctlr_el1, x9\n isb" ::: "x9", "memory");
}

void __attribute__((noinline)) pt_mmu_on(void) {
    __asm__ volatile("dsb sy\n tlbi vmalle1\n dsb nsh\n mrs x9, sctlr_el1\n orr x9, x9, #1\n msr sctlr_el1, x9\n isb" ::: "x9",
                     "memory");
}

void pt_tlbi_all(void) { __asm__ volatile("dsb ishst\n tlbi vmalle1\n dsb nsh\n isb" ::: "memory"); }

uint64_t pt_at(unsigned op, uint64_t va) {
    switch (op) {
    case PT_S1E1R: __asm__ volatile("at s1e1r, %0" : : "r"(va)); break;
    case PT_S1E1W: __asm__ volatile("at s1e1w, %0" : : "r"(va)); break;
    case PT_S1E0R: __asm__ volatile("at s1e0r, %0" : : "r"(va)); break;
    default: __asm__ volatile("at s1e0w, %0" : : "r"(va)); break;
    }
    ISB();
    return READ_SYSREG(par_el1);
}

void pt_print_par(uint64_t par) {
    if (par & 1) {
        rt_printf(" F FST=%02lx PTW=%lu S=%lu", (par >> 1) & 0x3f, (par >> 8) & 1, (par >> 9) & 1);
        return;
    }
    uint64_t attr = par >> 56;
    rt_printf(" PA=%013lx ATTR=%02lx", (unsigned long)(par & 0x000ffffffffff000ULL), attr);
    if ((attr & 0xf0) != 0 && attr != 0x44) rt_printf(" SH=%lu", (par >> 7) & 3);
}

void pt_show_at(const char *label, uint64_t va) {
    static const char *const ops[] = {"E1R", "E1W", "E0R", "E0W"};
    rt_printf("%s %016lx:", label, va);
    for (unsigned i = 0; i < 4; i++) {
        rt_printf(" %s", ops[i]);
        pt_print_par(pt_at(i, va));
    }
    rt_printf("\n");
}

volatile uint64_t pt_esr, pt_far;

static int pt_handler(rt_frame *f) {
    pt_esr = f->esr;
    pt_far = f->far;
    if (ESR_EC(f->esr) == 0x21) { /* instruction abort at EL1: back to the caller of BLR */
        f->elr = f->x[30];
        return RT_RESUME;
    }
    return RT_SKIP;
}

uint64_t pt_read64(uint64_t va) {
    rt_sync_handler old = rt_set_sync_handler(pt_handler);
    pt_esr = pt_far = 0;
    uint64_t v;
    __asm__ volatile("mov %0, #0xbad\n ldr %0, [%1]" : "=&r"(v) : "r"(va) : "memory");
    rt_set_sync_handler(old);
    return v;
}

uint64_t pt_read32_at(uint64_t va) {
    rt_sync_handler old = rt_set_sync_handler(pt_handler);
    pt_esr = pt_far = 0;
    uint64_t v;
    __asm__ volatile("mov %0, #0xbad\n ldr %w0, [%1]" : "=&r"(v) : "r"(va) : "memory");
    rt_set_sync_handler(old);
    return v;
}

void pt_write64(uint64_t va, uint64_t v) {
    rt_sync_handler old = rt_set_sync_handler(pt_handler);
    pt_esr = pt_far = 0;
    __asm__ volatile("str %0, [%1]" : : "r"(v), "r"(va) : "memory");
    rt_set_sync_handler(old);
}

__asm__(".text\n .balign 4\n .global pt_ret_magic\npt_ret_magic:\n mov x0, #0x600d\n ret\n");

uint64_t pt_exec(uint64_t va) {
    rt_sync_handler old = rt_set_sync_handler(pt_handler);
    pt_esr = pt_far = 0;
    register uint64_t x0 __asm__("x0");
    __asm__ volatile("mov x0, #0xbad\n blr %1" : "=&r"(x0) : "r"(va) : "x30", "memory");
    uint64_t r = x0;
    __asm__ volatile("" : "+r"(r));
    rt_set_sync_handler(old);
    return r;
}

void pt_print_fault(void) {
    if (!pt_esr)
        rt_printf(" ok");
    else
        rt_printf(" ESR=%08lx FAR=%lx", pt_esr, pt_far);
}
