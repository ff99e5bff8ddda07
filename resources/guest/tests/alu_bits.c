// Bit manipulation and carry arithmetic: CLZ/CLS/RBIT/REV/REV16/REV32 (32/64),
// ADC/ADCS/SBC/SBCS/NGC/NGCS with carry in 0 and 1, flags out.
#include "common.h"

#define U(insn)                                                                  \
    ({                                                                           \
        uint64_t _r;                                                             \
        __asm__ volatile(insn : "=r"(_r) : "r"(a));                              \
        _r;                                                                      \
    })

DEF_OP2(adc_x, "adc %0, %2, %3")
DEF_OP2(adcs_x, "adcs %0, %2, %3")
DEF_OP2(adcs_w, "adcs %w0, %w2, %w3")
DEF_OP2(sbc_w, "sbc %w0, %w2, %w3")
DEF_OP2(sbcs_x, "sbcs %0, %2, %3")
DEF_OP2(sbcs_w, "sbcs %w0, %w2, %w3")
DEF_OP2(ngcs_x, "ngcs %0, %3")
DEF_OP2(ngc_w, "ngc %w0, %w3")

static const struct op2 ops[] = {
    OP2(adcs_x), OP2(sbcs_x), OP2(adcs_w), OP2(sbcs_w), OP2(adc_x), OP2(sbc_w), OP2(ngcs_x), OP2(ngc_w),
};

int main(void) {
    static const uint64_t xs[] = {
        0, 1, 0x8000000000000000ULL, 0xffffffffffffffffULL, 0x7fffffffffffffffULL, 0x00000000ffffffffULL,
        0x0000000080000000ULL, 0x00000000c0000000ULL, 0x0000000100000000ULL, 0x0123456789abcdefULL,
        0xfedcba9876543210ULL, 0x00f000000000000fULL, 0x4000000000000000ULL, 0xc000000000000000ULL,
    };
    for (unsigned i = 0; i < ARRAY_SIZE(xs); i++) {
        uint64_t a = xs[i];
        printf("a=%016lx clz=%lu clz_w=%lu cls=%lu cls_w=%lu\n", a, U("clz %0, %1"), U("clz %w0, %w1"),
               U("cls %0, %1"), U("cls %w0, %w1"));
        printf("  rbit=%016lx rbit_w=%016lx rev=%016lx rev_w=%016lx\n", U("rbit %0, %1"), U("rbit %w0, %w1"),
               U("rev %0, %1"), U("rev %w0, %w1"));
        printf("  rev16=%016lx rev16_w=%016lx rev32=%016lx\n", U("rev16 %0, %1"), U("rev16 %w0, %w1"),
               U("rev32 %0, %1"));
    }
    /* verbose: adcs_x and sbcs_x; run_op2_table feeds carry-in 0, 1, and NZCV=1111 */
    run_op2_table(ops, ARRAY_SIZE(ops), 2);
    return 0;
}
