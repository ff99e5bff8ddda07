// EL0 and exceptions from a lower EL: ERET to EL0 with chosen NZCV, SVC from
// EL0 (ESR/ELR/SPSR; handler changes x0 and returns to EL0), EL0 access to
// EL1-only data (data abort, EC 0x24), EL0 jump into EL1 code (instruction
// abort, EC 0x20), MRS CurrentEL and MSR DAIF at EL0 (UNDEFINED / trapped,
// SCTLR_EL1.UMA=0), TPIDR_EL0/TPIDRRO_EL0 from EL0, DC ZVA at EL0 (DZE=1),
// PC alignment fault at EL0, LDTR/STTR from EL1 on EL0 and EL1 data.
//
// Left out because QEMU 7.2 gets them wrong: the SP alignment fault
// (SCTLR_EL1.SA0=1, misaligned SP as base: QEMU doesn't check), and the ISS
// of a trapped MSR DAIFSet at EL0 (QEMU swaps Op1 and Op2 in the syndrome).
#include "common.h"

RT_EL0_DATA static uint64_t el0_data[64] __attribute__((aligned(64)));
static uint64_t el1_secret = 0x5ec7e7;

/* SPSR without BTYPE/SSBS/PAN etc., whose values depend on optional features */
#define SPSR_STABLE(s) ((unsigned long)((s) & 0xf00003ffUL))

static const char *where;
static uint64_t fn_base;
static int handler(rt_frame *f) {
    unsigned ec = ESR_EC(f->esr);
    printf("  [%s] EC=%02x ISS=%07lx ELR=fn%+ld SPSR=%08lx", where, ec, f->esr & 0x1ffffff,
           (long)(f->elr - fn_base), SPSR_STABLE(f->spsr));
    if (ec == 0x24 || ec == 0x20 || ec == 0x22 || ec == 0x25) {
        if (f->far == (uint64_t)&el1_secret)
            printf(" FAR=&el1_secret");
        else
            printf(" FAR=fn%+ld", (long)(f->far - fn_base));
    }
    printf("\n");
    if (ec == 0x15) { /* SVC: return imm16 * 2 in x0 */
        f->x[0] = (f->esr & 0xffff) * 2;
        return RT_RESUME; /* ELR already points after the SVC */
    }
    if (ec == 0x20 || ec == 0x26 || ec == 0x22) rt_el0_abort(0xabad);
    return RT_SKIP;
}

RT_EL0_TEXT static uint64_t el0_svc(uint64_t arg) {
    register uint64_t x0 __asm__("x0") = arg;
    __asm__ volatile("svc #0x21" : "+r"(x0) : : "memory");
    uint64_t a = x0;
    x0 = 0;
    __asm__ volatile("svc #0x7ff" : "+r"(x0) : : "memory");
    return a + x0 + arg;
}

RT_EL0_TEXT static uint64_t el0_flags(uint64_t arg) {
    uint64_t nzcv, cur = 0;
    __asm__ volatile("mrs %0, nzcv" : "=r"(nzcv));
    el0_data[0] = 7;
    return nzcv | (cur << 8) | arg;
}

RT_EL0_TEXT static uint64_t el0_touch_el1(uint64_t addr) {
    uint64_t v = 0x1111;
    __asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(addr) : "memory");
    __asm__ volatile("str %0, [%1]" : : "r"(v), "r"(addr) : "memory");
    return v;
}

RT_EL0_TEXT static uint64_t el0_call(uint64_t target) {
    return ((uint64_t(*)(uint64_t))target)(1);
}

RT_EL0_TEXT static uint64_t el0_privileged(uint64_t arg) {
    uint64_t v = 0x77;
    __asm__ volatile("mrs %0, CurrentEL" : "+r"(v) : : "memory");   /* UNDEFINED at EL0 */
    __asm__ volatile("mrs %0, daif" : "+r"(v) : : "memory");        /* trapped: UMA=0 */
    __asm__ volatile("mrs %0, sctlr_el1" : "+r"(v) : : "memory");   /* UNDEFINED at EL0 */
    __asm__ volatile("msr tpidr_el0, %0" : : "r"(arg));
    uint64_t t0, t1;
    __asm__ volatile("mrs %0, tpidr_el0\n mrs %1, tpidrro_el0" : "=r"(t0), "=r"(t1));
    __asm__ volatile("msr tpidrro_el0, %0" : : "r"(arg) : "memory"); /* UNDEFINED at EL0 */
    return t0 ^ t1 ^ v;
}

RT_EL0_TEXT static uint64_t el0_dczva(uint64_t arg) {
    for (int i = 0; i < 16; i++) el0_data[i] = ~0ULL;
    __asm__ volatile("dc zva, %0" : : "r"(&el0_data[1]) : "memory");
    uint64_t z = 0;
    for (int i = 0; i < 16; i++) z |= (uint64_t)(el0_data[i] == 0) << i;
    return z;
}

RT_EL0_TEXT static uint64_t el0_misaligned_pc(uint64_t arg) {
    uint64_t t = arg + 2;
    __asm__ volatile("blr %0" : : "r"(t) : "x30", "memory");
    return 0;
}

static uint64_t run_nzcv(const char *name, uint64_t (*fn)(uint64_t), uint64_t arg, uint64_t nzcv) {
    where = name;
    fn_base = (uint64_t)fn;
    uint64_t r = rt_run_el0_nzcv(fn, arg, nzcv);
    printf("%s(%lx) -> %lx\n", name, arg, r);
    return r;
}
static uint64_t run(const char *name, uint64_t (*fn)(uint64_t), uint64_t arg) { return run_nzcv(name, fn, arg, 0); }

int main(void) {
    rt_set_sync_handler(handler);
    run("el0_svc", el0_svc, 5);
    run("el0_flags", el0_flags, 0);
    run_nzcv("el0_flags", el0_flags, 1, 0xa0000000);
    run_nzcv("el0_flags", el0_flags, 2, 0x50000000);
    printf("el0_data[0]=%lx\n", el0_data[0]);
    where = "el0_touch_el1";
    fn_base = (uint64_t)el0_touch_el1;
    printf("el0_touch_el1(&el1_secret) -> %lx\n", rt_run_el0(el0_touch_el1, (uint64_t)&el1_secret));
    printf("el0_touch_el1(&el0_data[3]) -> %lx\n", rt_run_el0(el0_touch_el1, (uint64_t)&el0_data[3]));
    where = "el0_call";
    fn_base = (uint64_t)rt_printf;
    printf("el0_call(rt_printf) -> %lx\n", rt_run_el0(el0_call, (uint64_t)rt_printf));
    run("el0_privileged", el0_privileged, 0x1234);
    printf("tpidr_el0 after EL0 wrote it: %lx\n", READ_SYSREG(tpidr_el0));
    WRITE_SYSREG(tpidrro_el0, 0xf0f0);
    run("el0_privileged", el0_privileged, 0x4321);
    run("el0_dczva", el0_dczva, 0);
    where = "el0_misaligned_pc";
    fn_base = (uint64_t)el0_flags;
    printf("el0_misaligned_pc(el0_flags) -> %lx\n", rt_run_el0(el0_misaligned_pc, (uint64_t)el0_flags));
    /* unprivileged loads/stores from EL1 */
    uint64_t v1 = 0, v2 = 0;
    el0_data[5] = 0xe10da7a;
    where = "ldtr";
    fn_base = (uint64_t)main;
    __asm__ volatile("ldtr %0, [%1]" : "+r"(v1) : "r"(&el0_data[5]) : "memory");
    __asm__ volatile("sttr %1, [%0, #8]" : : "r"(&el0_data[5]), "r"(v1 + 1) : "memory");
    __asm__ volatile("ldtr %0, [%1]" : "+r"(v2) : "r"(&el1_secret) : "memory");
    printf("ldtr el0 data %lx, sttr wrote %lx, ldtr el1 data -> %lx (unchanged on fault)\n", v1, el0_data[6], v2);
    return 0;
}
