/*
 * armlab bare-metal guest runtime (AArch64, freestanding).
 *
 * Entry at EL3, EL2 or EL1; the runtime drops to EL1h, enables FP/SIMD,
 * installs vectors, turns on an identity-mapped MMU (see mmu.c), zeroes .bss
 * and calls main(). main's return value becomes the semihosting exit status.
 *
 * Without semihosting (Linux KVM, QEMU without -semihosting) HLT #0xf000 is
 * UNDEFINED: the runtime's exception handler turns the first such call into a
 * -1 return and later calls return -1 at once; the semihosting console prints
 * on the UART instead and rt_exit powers off with PSCI SYSTEM_OFF.
 */
#ifndef ARMLAB_RT_H
#define ARMLAB_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define RT_NORETURN __attribute__((noreturn))
/* Code and data that EL0 may execute/access (mapped EL0 RW+X, EL1 PXN). */
#define RT_EL0_TEXT __attribute__((section(".el0text"), noinline, used))
#define RT_EL0_DATA __attribute__((section(".el0data"), used))

/* ---- entry, exit, power ---- */
int rt_entry_el(void);            /* EL at which QEMU/armlab entered _start */
/* Semihosting SYS_EXIT (AArch64 form). Without semihosting: PSCI SYSTEM_OFF,
 * after printing "rt: exit status N (no semihosting; powering off)" on the UART
 * if status != 0 (nothing for 0); at EL3, or if SYSTEM_OFF returns, WFI forever. */
RT_NORETURN void rt_exit(int status);
RT_NORETURN void rt_psci_off(void);   /* PSCI SYSTEM_OFF via HVC or SMC */
uint64_t rt_psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

/* ---- secondary CPUs (smp.c) ---- */
#define RT_MAX_CPUS 8
int rt_cpu_count(void);            /* CPUs that exist (PSCI AFFINITY_INFO) */
int rt_cpu_exists(int cpu);
/* Power on `cpu` with PSCI CPU_ON; it runs fn(arg) with CPU 0's EL1 setup, then CPU_OFF. Returns the PSCI status. */
int rt_cpu_start(int cpu, void (*fn)(uint64_t), uint64_t arg);
/* The same for a CPU named by MPIDR (clusters); `slot` (1..7) picks its boot block and stack. */
int rt_cpu_start_mpidr(int slot, uint64_t mpidr, void (*fn)(uint64_t), uint64_t arg);
int rt_mpidr_exists(uint64_t mpidr);
RT_NORETURN void rt_cpu_off(void);
/* The last number on the semihosting command line (armlab --append N, QEMU -append N),
 * or dflt (also without semihosting). */
uint64_t rt_arg(uint64_t dflt);

/* ---- console ---- */
enum { RT_CON_UART = 0, RT_CON_SEMIHOST = 1 }; /* SEMIHOST falls back to the UART without semihosting */
void rt_set_console(int which);
void rt_putc(char c);
void rt_puts(const char *s);      /* no newline appended */
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_vprintf(const char *fmt, va_list ap);
int rt_snprintf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int rt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
#define printf rt_printf

/* ---- semihosting primitives ---- */
/* HLT #0xf000; returns -1 where there is no semihosting. */
uint64_t rt_semihost(uint64_t op, const void *param);
/* 0 once a semihosting call has found there is no semihosting, else 1
 * (1 also before the first call). */
int rt_semihost_available(void);
#define SEMIHOST_WRITEC 0x03
#define SEMIHOST_WRITE0 0x04
#define SEMIHOST_EXIT 0x18

/* ---- exceptions ---- */
typedef struct rt_frame {
    uint64_t x[31];   /* x0..x30 at the time of the exception */
    uint64_t sp_el0;
    uint64_t elr;
    uint64_t spsr;
    uint64_t esr;
    uint64_t far;
} rt_frame;

enum {
    RT_UNHANDLED = 0, /* fall through to the default: report and exit(99) */
    RT_RESUME = 1,    /* ERET to frame->elr (possibly modified) */
    RT_SKIP = 2,      /* ERET to frame->elr + 4 */
};
/* Vector index: 0..3 cur-EL SP0, 4..7 cur-EL SPx, 8..11 lower A64,
 * 12..15 lower A32; within each group sync, irq, fiq, serror. */
typedef int (*rt_sync_handler)(rt_frame *f);
rt_sync_handler rt_set_sync_handler(rt_sync_handler fn); /* returns old */
/* Handler for synchronous exceptions taken to EL2/EL3 (only when entered
 * there). Without one: HVC at EL2 returns x0 = 0x4856430000 | imm16,
 * SMC at EL3 implements PSCI SYSTEM_OFF and returns -1 for other calls. */
typedef int (*rt_high_handler)(rt_frame *f, int el);
void rt_set_high_handler(rt_high_handler fn);

/* Handler for IRQ/FIQ exceptions taken to EL1 (any vector group of AArch64):
 * fiq = 1 for FIQ. It returns to the interrupted code (ERET to frame->elr).
 * Without one, an IRQ/FIQ is an unhandled exception. Returns the old one. */
typedef void (*rt_irq_handler)(rt_frame *f, int fiq);
rt_irq_handler rt_set_irq_handler(rt_irq_handler fn);

#define ESR_EC(esr) ((unsigned)(((esr) >> 26) & 0x3f))

/* Run fn(arg) at EL0 (SP_EL0 = a private EL0 stack). fn must live in
 * RT_EL0_TEXT and only touch RT_EL0_DATA. Returns fn's return value (fn
 * returns through an SVC #0xFFFF trampoline). */
uint64_t rt_run_el0(uint64_t (*fn)(uint64_t), uint64_t arg);
/* The same, entering EL0 with NZCV (bits 31:28) set as given. */
uint64_t rt_run_el0_nzcv(uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t nzcv);
/* From a sync handler: abandon the running EL0 function, making
 * rt_run_el0 return ret. */
RT_NORETURN void rt_el0_abort(uint64_t ret);

/* ---- memory ---- */
void *rt_malloc(size_t n);  /* bump allocator, 16-byte aligned, no free */
void rt_heap_reset(void);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* ---- misc ---- */
#define READ_SYSREG(r) ({ uint64_t _v; __asm__ volatile("mrs %0, " #r : "=r"(_v)); _v; })
#define WRITE_SYSREG(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)) : "memory")
#define ISB() __asm__ volatile("isb" ::: "memory")
#define DSB() __asm__ volatile("dsb sy" ::: "memory")

/*
 * Sleep in WFI while `cond` holds, taking IRQs only between the checks:
 * `while (cond) wfi;` with IRQs unmasked is racy (an IRQ taken just before the
 * WFI can make `cond` false and return to the WFI, which then sleeps with no
 * interrupt left to wake it). Here `cond` is read with IRQs masked, WFI still
 * wakes on a pending (masked) interrupt, and the handler runs in the
 * daifclr/isb/daifset window. Leaves IRQs masked.
 */
#define RT_WFI_WHILE(cond)                                                                  \
    do {                                                                                    \
        __asm__ volatile("msr daifset, #2" ::: "memory");                                   \
        while (cond) __asm__ volatile("wfi\n msr daifclr, #2\n isb\n msr daifset, #2" ::: "memory"); \
    } while (0)

extern char __image_start[], __image_end[], __el0_start[], __el0_end[];
extern char __heap_start[], __heap_end[];

/* Deterministic PRNG (xorshift64*) for tests. */
static inline uint64_t rt_rand64(uint64_t *s) {
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

int main(void);

#endif
