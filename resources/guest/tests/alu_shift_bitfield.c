// Shifts and bitfields: LSLV/LSRV/ASRV/RORV (amounts taken mod width),
// immediate shifts, UBFM/SBFM/BFM via UBFX/SBFX/BFI/BFXIL/UBFIZ/SBFIZ/
// SXTB/SXTH/SXTW/UXTB/UXTH, raw BFM with imms < immr, EXTR and ROR.
#include "common.h"

DEF_OP2(lslv_x, "lsl %0, %2, %3")
DEF_OP2(lsrv_x, "lsr %0, %2, %3")
DEF_OP2(asrv_x, "asr %0, %2, %3")
DEF_OP2(rorv_x, "ror %0, %2, %3")
DEF_OP2(lslv_w, "lsl %w0, %w2, %w3")
DEF_OP2(lsrv_w, "lsr %w0, %w2, %w3")
DEF_OP2(asrv_w, "asr %w0, %w2, %w3")
DEF_OP2(rorv_w, "ror %w0, %w2, %w3")
DEF_OP2(extr_x_1, "extr %0, %2, %3, #1")
DEF_OP2(extr_x_63, "extr %0, %2, %3, #63")
DEF_OP2(extr_x_32, "extr %0, %2, %3, #32")
DEF_OP2(extr_w_0, "extr %w0, %w2, %w3, #0")
DEF_OP2(extr_w_17, "extr %w0, %w2, %w3, #17")
DEF_OP2(bfi_x_8_12, "mov %0, %2\nbfi %0, %3, #8, #12")
DEF_OP2(bfi_x_60_4, "mov %0, %2\nbfi %0, %3, #60, #4")
DEF_OP2(bfxil_x_5_40, "mov %0, %2\nbfxil %0, %3, #5, #40")
DEF_OP2(bfi_w_31_1, "mov %0, %2\nbfi %w0, %w3, #31, #1")
DEF_OP2(bfxil_w_16_16, "mov %0, %2\nbfxil %w0, %w3, #16, #16")
DEF_OP2(bfm_x_raw, "mov %0, %2\nbfm %0, %3, #60, #3")
DEF_OP2(bfm_w_raw, "mov %0, %2\nbfm %w0, %w3, #3, #30")
DEF_OP2(bfc_x, "mov %0, %2\nbfi %0, xzr, #4, #56")

static const struct op2 ops[] = {
    OP2(lslv_x), OP2(lsrv_x), OP2(asrv_x), OP2(rorv_x), OP2(lslv_w), OP2(lsrv_w), OP2(asrv_w), OP2(rorv_w),
    OP2(extr_x_1), OP2(extr_x_63), OP2(extr_x_32), OP2(extr_w_0), OP2(extr_w_17), OP2(bfi_x_8_12),
    OP2(bfi_x_60_4), OP2(bfxil_x_5_40), OP2(bfi_w_31_1), OP2(bfxil_w_16_16), OP2(bfm_x_raw), OP2(bfm_w_raw),
    OP2(bfc_x),
};

#define U1(insn)                                                                             \
    ({                                                                                       \
        uint64_t _r;                                                                         \
        __asm__ volatile(insn : "=r"(_r) : "r"(a));                                          \
        printf("  %-26s %016lx\n", insn, _r);                                                \
    })

static void unary(uint64_t a) {
    printf("a=%016lx\n", a);
    U1("lsl %0, %1, #1");
    U1("lsl %0, %1, #63");
    U1("lsr %0, %1, #63");
    U1("asr %0, %1, #63");
    U1("asr %0, %1, #17");
    U1("ror %0, %1, #5");
    U1("lsl %w0, %w1, #31");
    U1("lsr %w0, %w1, #1");
    U1("asr %w0, %w1, #31");
    U1("ror %w0, %w1, #31");
    U1("ubfx %0, %1, #4, #8");
    U1("ubfx %0, %1, #63, #1");
    U1("ubfx %0, %1, #0, #64");
    U1("sbfx %0, %1, #4, #8");
    U1("sbfx %0, %1, #31, #33");
    U1("sbfx %w0, %w1, #7, #9");
    U1("ubfx %w0, %w1, #16, #16");
    U1("ubfiz %0, %1, #12, #20");
    U1("sbfiz %0, %1, #40, #24");
    U1("sbfiz %w0, %w1, #4, #12");
    U1("sbfm %0, %1, #50, #10");
    U1("ubfm %0, %1, #50, #10");
    U1("ubfm %w0, %w1, #31, #0");
    U1("sbfm %w0, %w1, #5, #4");
    U1("sxtb %0, %w1");
    U1("sxth %0, %w1");
    U1("sxtw %0, %w1");
    U1("sxtb %w0, %w1");
    U1("sxth %w0, %w1");
    U1("uxtb %w0, %w1");
    U1("uxth %w0, %w1");
    U1("mov %w0, %w1");
}

int main(void) {
    run_op2_table(ops, ARRAY_SIZE(ops), 2);
    for (unsigned i = 0; i < ARRAY_SIZE(edge64); i += 2) unary(edge64[i]);
    unary(0x8123456789abcdefULL);
    return 0;
}
