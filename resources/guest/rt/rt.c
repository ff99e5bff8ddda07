/* armlab bare-metal guest runtime: console, exit, PSCI, exceptions, heap. */
#include "rt.h"

int rt_entry_el_value; /* written by start.S */
static int console = RT_CON_UART;
static rt_sync_handler sync_hook;
static rt_high_handler high_hook;
static rt_irq_handler irq_hook;
static volatile int el0_active;
/* Set when a semihosting call trapped as UNDEFINED: there is no semihosting
 * (Linux KVM, QEMU without -semihosting). Never set when semihosting works. */
static volatile int semihost_absent;
static char *heap_ptr;

int rt_entry_el(void) { return rt_entry_el_value; }

/* ---------------------------------------------------------------- console */

#define UART_BASE 0x09000000UL
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1u << 5)

static void uart_putc(char c) {
    volatile uint32_t *fr = (volatile uint32_t *)(UART_BASE + UART_FR);
    volatile uint32_t *dr = (volatile uint32_t *)(UART_BASE + UART_DR);
    while (*fr & UART_FR_TXFF) {
    }
    *dr = (uint32_t)(unsigned char)c;
}

static void uart_puts(const char *s) {
    while (*s) uart_putc(*s++);
}

/*
 * Without semihosting the first HLT #0xf000 is UNDEFINED; the EL1 (or EL2/EL3)
 * exception handler makes it return -1 and sets semihost_absent (see
 * semihost_trap), after which calls return -1 at once, without an exception.
 */
uint64_t rt_semihost(uint64_t op, const void *param) {
    if (semihost_absent) return (uint64_t)-1;
    register uint64_t x0 __asm__("x0") = op;
    register const void *x1 __asm__("x1") = param;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return x0;
}

int rt_semihost_available(void) { return !semihost_absent; }

void rt_set_console(int which) { console = which; }

/* The semihosting console falls back to the UART when there is no semihosting
 * (including the call that found out: its output is not lost). */
void rt_putc(char c) {
    if (console == RT_CON_SEMIHOST && !semihost_absent) {
        rt_semihost(SEMIHOST_WRITEC, &c);
        if (!semihost_absent) return;
    }
    uart_putc(c);
}

void rt_puts(const char *s) {
    if (console == RT_CON_SEMIHOST && !semihost_absent) {
        rt_semihost(SEMIHOST_WRITE0, s);
        if (!semihost_absent) return;
    }
    uart_puts(s);
}

int rt_vprintf(const char *fmt, va_list ap) {
    char buf[1024]; /* longer output is truncated */
    int n = rt_vsnprintf(buf, sizeof buf, fmt, ap);
    rt_puts(buf);
    return n;
}

int rt_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

/* ---------------------------------------------------------------- exit */

static int current_el(void) { return (int)((READ_SYSREG(CurrentEL) >> 2) & 3); }

/*
 * No semihosting: PSCI SYSTEM_OFF, which cannot carry the status, so a failure
 * is reported on the UART first (a zero status prints nothing, keeping the
 * output the same as with semihosting). Entered once: if powering off fails
 * with an exception, the unhandled-exception report's rt_exit(99) just waits.
 */
static RT_NORETURN void exit_without_semihost(int status) {
    static volatile int exiting;
    if (!exiting) {
        exiting = 1;
        if (status != 0) {
            char buf[80];
            rt_snprintf(buf, sizeof buf, "rt: exit status %d (no semihosting; powering off)\n", status);
            uart_puts(buf);
        }
        /* At EL3 there is nobody to ask (QEMU secure=on has no PSCI; an SMC here traps to ourselves). */
        if (current_el() != 3) rt_psci_call(0x84000008 /* SYSTEM_OFF */, 0, 0, 0);
    }
    for (;;) __asm__ volatile("wfi");
}

RT_NORETURN void rt_exit(int status) {
    /* AArch64 SYS_EXIT takes {reason, subcode}. */
    uint64_t block[2] = {0x20026 /* ADP_Stopped_ApplicationExit */, (uint64_t)(int64_t)status};
    rt_semihost(SEMIHOST_EXIT, block);
    if (semihost_absent) exit_without_semihost(status);
    for (;;) __asm__ volatile("wfi");
}

uint64_t rt_psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3) {
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    if (rt_entry_el_value == 1)
        __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    else
        __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    return x0;
}

RT_NORETURN void rt_psci_off(void) {
    rt_psci_call(0x84000008, 0, 0, 0);
    rt_puts("rt: PSCI SYSTEM_OFF returned\n");
    rt_exit(98);
}

/* ---------------------------------------------------------------- exceptions */

rt_sync_handler rt_set_sync_handler(rt_sync_handler fn) {
    rt_sync_handler old = sync_hook;
    sync_hook = fn;
    return old;
}

void rt_set_high_handler(rt_high_handler fn) { high_hook = fn; }

rt_irq_handler rt_set_irq_handler(rt_irq_handler fn) {
    rt_irq_handler old = irq_hook;
    irq_hook = fn;
    return old;
}

static const char *const vec_names[16] = {
    "cur_sp0_sync", "cur_sp0_irq", "cur_sp0_fiq", "cur_sp0_serror",
    "cur_spx_sync", "cur_spx_irq", "cur_spx_fiq", "cur_spx_serror",
    "lower64_sync", "lower64_irq", "lower64_fiq", "lower64_serror",
    "lower32_sync", "lower32_irq", "lower32_fiq", "lower32_serror",
};

static RT_NORETURN void unhandled(rt_frame *f, unsigned idx, int el) {
    rt_set_console(RT_CON_UART);
    rt_printf("rt: unhandled exception at EL%d: %s ESR=%016lx FAR=%016lx ELR=%016lx SPSR=%08lx\n", el,
              vec_names[idx & 15], f->esr, f->far, f->elr, f->spsr & 0xf00003ffUL /* NZCV DAIF M */);
    rt_exit(99);
}

#define HLT_SEMIHOST 0xd45e0000u /* hlt #0xf000 */

/*
 * A semihosting call where there is no semihosting: HLT #0xf000 is UNDEFINED
 * (EC 0). Make it return -1 and resume after it, and remember that semihosting
 * is absent, unless the call came from EL0: QEMU refuses EL0 semihosting even
 * with -semihosting (unless userspace=on), which says nothing about EL1's.
 * Runs before any hook, so test handlers never see these. The instruction is
 * read at ELR, which the runtime's identity map makes readable (this only
 * runs for EC 0, i.e. an instruction that was fetched).
 */
static int semihost_trap(rt_frame *f, int from_el0) {
    if (ESR_EC(f->esr) != 0 || *(const volatile uint32_t *)f->elr != HLT_SEMIHOST) return 0;
    if (!from_el0) semihost_absent = 1;
    f->x[0] = (uint64_t)-1;
    f->elr += 4;
    return 1;
}

void rt_el0_exit(uint64_t ret);

void rt_exception_el1(rt_frame *f, unsigned idx, int el) {
    int sync = idx == 4 || idx == 8;
    unsigned kind = idx & 3; /* 1 = IRQ, 2 = FIQ */
    if (sync && semihost_trap(f, idx == 8)) return;
    if (irq_hook && (kind == 1 || kind == 2) && idx < 12) {
        irq_hook(f, kind == 2);
        return;
    }
    if (sync && idx == 8 && ESR_EC(f->esr) == 0x15 && (f->esr & 0xffff) == 0xffff && el0_active) {
        el0_active = 0;
        rt_el0_exit(f->x[0]);
    }
    if (sync && sync_hook) {
        int r = sync_hook(f);
        if (r == RT_SKIP) {
            f->elr += 4;
            return;
        }
        if (r == RT_RESUME) return;
    }
    unhandled(f, idx, el);
}

void rt_exception_high(rt_frame *f, unsigned idx, int el) {
    /* rt_exit at EL2/EL3 (a hook's, an unhandled exception's) without semihosting */
    if (idx == 4 && semihost_trap(f, 0)) return;
    if (idx == 8 || idx == 4) {
        if (high_hook) {
            int r = high_hook(f, el);
            if (r == RT_SKIP) {
                f->elr += 4;
                return;
            }
            if (r == RT_RESUME) return;
        }
        unsigned ec = ESR_EC(f->esr);
        if (idx == 8 && el == 2 && ec == 0x16) { /* HVC: preferred return is the next insn */
            f->x[0] = 0x4856430000ULL | (f->esr & 0xffff);
            return;
        }
        if (idx == 8 && el == 3 && ec == 0x17) { /* SMC: minimal PSCI */
            if (f->x[0] == 0x84000008) rt_exit(0);
            f->x[0] = (uint64_t)-1; /* NOT_SUPPORTED */
            return;
        }
    }
    unhandled(f, idx, el);
}

uint64_t rt_run_el0_asm(uint64_t (*fn)(uint64_t), uint64_t arg, void *sp0, uint64_t spsr);
static uint8_t el0_stack[16384] __attribute__((section(".el0bss"), aligned(16)));

uint64_t rt_run_el0_nzcv(uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t nzcv) {
    el0_active = 1;
    uint64_t r = rt_run_el0_asm(fn, arg, el0_stack + sizeof el0_stack, nzcv);
    el0_active = 0;
    return r;
}

uint64_t rt_run_el0(uint64_t (*fn)(uint64_t), uint64_t arg) { return rt_run_el0_nzcv(fn, arg, 0); }

RT_NORETURN void rt_el0_abort(uint64_t ret) {
    el0_active = 0;
    rt_el0_exit(ret);
    __builtin_unreachable();
}

/* ---------------------------------------------------------------- heap */

void rt_heap_reset(void) { heap_ptr = __heap_start; }

void *rt_malloc(size_t n) {
    if (!heap_ptr) heap_ptr = __heap_start;
    n = (n + 15) & ~(size_t)15;
    if ((size_t)(__heap_end - heap_ptr) < n) {
        rt_puts("rt: out of heap\n");
        rt_exit(97);
    }
    void *p = heap_ptr;
    heap_ptr += n;
    return p;
}
