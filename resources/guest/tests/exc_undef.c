// Synchronous exceptions at EL1 from BRK, UDF, HLT (other than the semihosting
// immediate) and unallocated encodings (all checked with objdump to decode as
// undefined): ESR (EC/IL/ISS), ELR relative to the faulting instruction, FAR
// (UNKNOWN for these, not printed), and resuming after the instruction.
#include "common.h"

static volatile uint64_t insn_addr;

static int handler(rt_frame *f) {
    last_esr = f->esr;
    last_elr = f->elr;
    exc_count++;
    f->x[0] = 0x600d; /* visible in x0 after return */
    return RT_SKIP;
}

/* Execute one instruction word at a known address; returns x0 afterwards. */
#define EXEC(word)                                                                             \
    ({                                                                                         \
        uint64_t _x0, _pc;                                                                     \
        __asm__ volatile("mov x0, #1\n adr %1, 1f\n 1: .inst " #word "\n mov %0, x0"           \
                         : "=r"(_x0), "=r"(_pc) : : "x0", "memory");                           \
        report(#word, _x0, _pc);                                                               \
    })

static void report(const char *what, uint64_t x0, uint64_t pc) {
    if (exc_count == 0) {
        printf("%-12s no exception, x0=%lx\n", what, x0);
        return;
    }
    printf("%-12s ESR=%08lx EC=%02x IL=%lu ISS=%07lx ELR-pc=%ld x0=%lx\n", what, last_esr, ESR_EC(last_esr),
           (last_esr >> 25) & 1, last_esr & 0x1ffffff, (long)(last_elr - pc), x0);
    exc_count = 0;
}

int main(void) {
    rt_set_sync_handler(handler);
    EXEC(0xd4200000); /* brk #0 */
    EXEC(0xd43fffe0); /* brk #0xffff */
    EXEC(0xd4207d00); /* brk #0x3e8 */
    EXEC(0x00000000); /* udf #0 */
    EXEC(0x0000beef); /* udf #0xbeef */
    EXEC(0xd4400020); /* hlt #1: UNDEFINED when halting is not enabled */
    EXEC(0xd45e0020); /* hlt #0xf001 (#0xf000 would be semihosting) */
    EXEC(0x02000000); /* op0 = 0001: unallocated */
    EXEC(0x06000000); /* op0 = 0011: unallocated */
    EXEC(0x07ffffff);
    EXEC(0x8b225420); /* ADD (extended register) with imm3 = 5 */
    EXEC(0x12400020); /* AND (immediate) 32-bit with N = 1 */
    EXEC(0x52c00000); /* MOVZ 32-bit with hw = 2 */
    EXEC(0xf8620820); /* LDR (register) with option = 000 */
    EXEC(0x1ea22820); /* FADD with ftype = 10 */
    EXEC(0x1e601020); /* FMOV (scalar, immediate) with imm5 != 0 */
    EXEC(0xd4000000); /* exception generation, opc=000 LL=00 */
    EXEC(0xd503201f); /* nop: no exception */
    /* BRK from a C helper: ELR points at the BRK itself, not after it */
    uint64_t pc;
    __asm__ volatile("adr %0, 1f\n 1: brk #0x1234" : "=r"(pc) : : "x0", "memory");
    printf("brk: ELR==brk %d ISS=%lx\n", last_elr == pc, last_esr & 0xffff);
    return 0;
}
