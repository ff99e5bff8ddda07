// Logical ops: AND/ANDS/ORR/EOR/BIC/BICS/ORN/EON with shifted registers
// (LSL/LSR/ASR/ROR), logical immediates of many bitmask shapes, MOVZ/MOVN/MOVK,
// MOV (bitmask immediate), TST.
#include "common.h"

DEF_OP2(and_x, "and %0, %2, %3")
DEF_OP2(ands_x, "ands %0, %2, %3")
DEF_OP2(ands_w_ror7, "ands %w0, %w2, %w3, ror #7")
DEF_OP2(orr_x_lsl13, "orr %0, %2, %3, lsl #13")
DEF_OP2(orr_w_asr31, "orr %w0, %w2, %w3, asr #31")
DEF_OP2(eor_x_ror63, "eor %0, %2, %3, ror #63")
DEF_OP2(eor_w_lsr5, "eor %w0, %w2, %w3, lsr #5")
DEF_OP2(bic_x_asr9, "bic %0, %2, %3, asr #9")
DEF_OP2(bics_x, "bics %0, %2, %3")
DEF_OP2(bics_w_lsl1, "bics %w0, %w2, %w3, lsl #1")
DEF_OP2(orn_x_ror32, "orn %0, %2, %3, ror #32")
DEF_OP2(orn_w, "orn %w0, %w2, %w3")
DEF_OP2(eon_x_lsr63, "eon %0, %2, %3, lsr #63")
DEF_OP2(eon_w_ror31, "eon %w0, %w2, %w3, ror #31")
DEF_OP2(tst_x, "mov %0, #0\ntst %2, %3")
DEF_OP2(tst_w_asr3, "mov %0, #0\ntst %w2, %w3, asr #3")
DEF_OP2(mvn_x, "mvn %0, %3, ror #12")

static const struct op2 ops[] = {
    OP2(and_x), OP2(ands_x), OP2(ands_w_ror7), OP2(orr_x_lsl13), OP2(orr_w_asr31), OP2(eor_x_ror63),
    OP2(eor_w_lsr5), OP2(bic_x_asr9), OP2(bics_x), OP2(bics_w_lsl1), OP2(orn_x_ror32), OP2(orn_w),
    OP2(eon_x_lsr63), OP2(eon_w_ror31), OP2(tst_x), OP2(tst_w_asr3), OP2(mvn_x),
};

#define IMM1(insn)                                                                      \
    ({                                                                                  \
        uint64_t _r, _f;                                                                \
        __asm__ volatile("msr nzcv, xzr\n" insn "\nmrs %1, nzcv" : "=&r"(_r), "=&r"(_f) : "r"(a) : "cc"); \
        printf("  %-32s -> %016lx %s\n", insn, _r, nzcv_str(_f));                      \
    })

static void imm_forms(uint64_t a) {
    printf("a=%016lx\n", a);
    IMM1("and %0, %2, #0xff");
    IMM1("and %0, %2, #0x5555555555555555");
    IMM1("and %0, %2, #0x3333333333333333");
    IMM1("and %0, %2, #0x0f0f0f0f0f0f0f0f");
    IMM1("and %0, %2, #0x00ff00ff00ff00ff");
    IMM1("and %0, %2, #0x0000ffff0000ffff");
    IMM1("and %0, %2, #0x00000000ffffffff");
    IMM1("and %0, %2, #0x7fffffffffffffff");
    IMM1("and %0, %2, #0x8000000000000001");
    IMM1("and %0, %2, #0xfffffffffffffffe");
    IMM1("orr %0, %2, #0x1ffe0");
    IMM1("orr %0, %2, #0xc000000000000003");
    IMM1("eor %0, %2, #0xaaaaaaaaaaaaaaaa");
    IMM1("eor %0, %2, #0x6666666666666666");
    IMM1("ands %0, %2, #0x8000000000000000");
    IMM1("ands %0, %2, #0x1");
    IMM1("and %w0, %w2, #0xffff0000");
    IMM1("and %w0, %w2, #0x80000001");
    IMM1("orr %w0, %w2, #0x3c3c3c3c");
    IMM1("eor %w0, %w2, #0x7ffffffe");
    IMM1("ands %w0, %w2, #0x80000000");
    IMM1("ands %w0, %w2, #0xfffffffe");
    IMM1("mov %0, #0; tst %2, #0xf000000000000000");
    IMM1("mov %0, #0; tst %w2, #0x1f");
}

static void mov_forms(void) {
    uint64_t r[12];
    __asm__ volatile("movz %0, #0x1234, lsl #48\n"
                     "movn %1, #0x1234, lsl #16\n"
                     "movn %w2, #0x1234\n"
                     "movz %w3, #0xbeef, lsl #16\n"
                     "movz %4, #0xdef0\nmovk %4, #0x9abc, lsl #16\nmovk %4, #0x5678, lsl #32\nmovk %4, #0x1234, lsl #48\n"
                     "mov %5, #-1\n"
                     "mov %w6, #-2\n"
                     "mov %7, #0x00ff00ff00ff00ff\n" /* orr bitmask */
                     "movz %8, #0xffff\n"
                     "movk %8, #0xaaaa, lsl #32\n"
                     "mov %9, #0x7fffffffffffffff\n"
                     "movn %w10, #0\n"
                     "mov %w11, #0xffff\n"
                     "movk %w11, #0x1, lsl #16\n"
                     : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]), "=&r"(r[4]), "=r"(r[5]), "=r"(r[6]),
                       "=r"(r[7]), "=&r"(r[8]), "=r"(r[9]), "=r"(r[10]), "=&r"(r[11]));
    for (int i = 0; i < 12; i++) printf("mov[%d] = %016lx\n", i, r[i]);
    uint64_t k = 0xffffffffffffffffULL;
    __asm__ volatile("movk %w0, #0x1234, lsl #16" : "+r"(k));
    printf("movk w on all-ones x: %016lx\n", k);
}

int main(void) {
    run_op2_table(ops, ARRAY_SIZE(ops), 3);
    static const uint64_t as[] = {0, 0xffffffffffffffffULL, 0x123456789abcdef0ULL, 0x8000000000000001ULL, 0x00000000f0f0f0f0ULL};
    for (unsigned i = 0; i < ARRAY_SIZE(as); i++) imm_forms(as[i]);
    mov_forms();
    return 0;
}
