// Integer add/subtract: ADD/ADDS/SUB/SUBS/CMN/NEG/NEGS (register, shifted,
// extended, immediate incl. LSL #12), 32- and 64-bit, NZCV on edge values.
#include "common.h"


DEF_OP2(adds_x, "adds %0, %2, %3")
DEF_OP2(adds_w, "adds %w0, %w2, %w3")
DEF_OP2(subs_x, "subs %0, %2, %3")
DEF_OP2(subs_w, "subs %w0, %w2, %w3")
DEF_OP2(add_x, "add %0, %2, %3")
DEF_OP2(sub_w, "sub %w0, %w2, %w3")
DEF_OP2(cmn_x, "mov %0, xzr\ncmn %2, %3")
DEF_OP2(cmp_w, "mov %0, xzr\ncmp %w2, %w3")
DEF_OP2(adds_lsl3_x, "adds %0, %2, %3, lsl #3")
DEF_OP2(subs_lsr7_x, "subs %0, %2, %3, lsr #7")
DEF_OP2(adds_asr63_x, "adds %0, %2, %3, asr #63")
DEF_OP2(subs_asr31_w, "subs %w0, %w2, %w3, asr #31")
DEF_OP2(add_lsl31_w, "add %w0, %w2, %w3, lsl #31")
DEF_OP2(adds_uxtb_x, "adds %0, %2, %w3, uxtb")
DEF_OP2(adds_uxth1_x, "adds %0, %2, %w3, uxth #1")
DEF_OP2(subs_uxtw2_x, "subs %0, %2, %w3, uxtw #2")
DEF_OP2(adds_sxtb_x, "adds %0, %2, %w3, sxtb")
DEF_OP2(subs_sxth4_x, "subs %0, %2, %w3, sxth #4")
DEF_OP2(adds_sxtw3_x, "adds %0, %2, %w3, sxtw #3")
DEF_OP2(add_sxtx_x, "add %0, %2, %3, sxtx #1")
DEF_OP2(add_uxtx_x, "add %0, %2, %3, uxtx #4")
DEF_OP2(adds_sxtb_w, "adds %w0, %w2, %w3, sxtb #2")
DEF_OP2(subs_uxth_w, "subs %w0, %w2, %w3, uxth")
DEF_OP2(negs_x, "negs %0, %3")
DEF_OP2(negs_w, "negs %w0, %w3")
DEF_OP2(neg_lsl_x, "neg %0, %3, lsl #2")

static const struct op2 ops[] = {
    OP2(adds_x), OP2(adds_w), OP2(subs_x), OP2(subs_w), OP2(add_x), OP2(sub_w), OP2(cmn_x), OP2(cmp_w), OP2(adds_lsl3_x), OP2(subs_lsr7_x), OP2(adds_asr63_x), OP2(subs_asr31_w), OP2(add_lsl31_w), OP2(adds_uxtb_x), OP2(adds_uxth1_x), OP2(subs_uxtw2_x), OP2(adds_sxtb_x), OP2(subs_sxth4_x), OP2(adds_sxtw3_x), OP2(add_sxtx_x), OP2(add_uxtx_x), OP2(adds_sxtb_w), OP2(subs_uxth_w), OP2(negs_x), OP2(negs_w), OP2(neg_lsl_x),
};

/* Immediate forms (encoded in the instruction). */
static void imm_forms(uint64_t a) {
    uint64_t r1, r2, r3, r4, r5, f1, f2, f3, f4, f5;
    __asm__ volatile("adds %0, %2, #0xfff\nmrs %1, nzcv" : "=&r"(r1), "=&r"(f1) : "r"(a) : "cc");
    __asm__ volatile("subs %0, %2, #0xfff, lsl #12\nmrs %1, nzcv" : "=&r"(r2), "=&r"(f2) : "r"(a) : "cc");
    __asm__ volatile("adds %w0, %w2, #1\nmrs %1, nzcv" : "=&r"(r3), "=&r"(f3) : "r"(a) : "cc");
    __asm__ volatile("cmp %w2, #0x800, lsl #12\nmrs %1, nzcv\nmov %0, xzr" : "=&r"(r4), "=&r"(f4) : "r"(a) : "cc");
    __asm__ volatile("cmn %2, #1\nmrs %1, nzcv\nmov %0, xzr" : "=&r"(r5), "=&r"(f5) : "r"(a) : "cc");
    printf("imm a=%016lx: adds#fff=%016lx %s subs#fff000=%016lx %s adds_w#1=%016lx %s", a, r1, nzcv_str(f1), r2,
           nzcv_str(f2), r3, nzcv_str(f3));
    printf(" cmp_w#800000 %s cmn#1 %s\n", nzcv_str(f4), nzcv_str(f5));
    (void)r4, (void)r5;
}

/* ADD/SUB (immediate) with SP as source/destination. */
static void sp_forms(void) {
    uint64_t r1, r2, r3;
    __asm__ volatile("mov %0, sp\n"
                     "sub sp, sp, #0x40\n"
                     "mov %1, sp\n"
                     "add sp, sp, #0x40\n"
                     "add %2, sp, #0x10\n"
                     "sub %1, %0, %1\n"
                     "sub %2, %2, %0\n"
                     : "=&r"(r1), "=&r"(r2), "=&r"(r3));
    printf("sp: sub delta=%lx add delta=%lx\n", r2, r3);
    uint64_t x = 0x1000, y;
    __asm__ volatile("mov x9, sp\nmov sp, %1\nadd sp, sp, %1, uxtx #1\nadd %0, sp, #0\nmov sp, x9" : "=&r"(y) : "r"(x) : "x9");
    printf("sp ext add: %lx\n", y);
}

int main(void) {
    run_op2_table(ops, ARRAY_SIZE(ops), 6);
    for (unsigned i = 0; i < ARRAY_SIZE(edge64); i++) imm_forms(edge64[i]);
    sp_forms();
    return 0;
}
