// AdvSIMD integer subset used by gcc -O2 and glibc string routines: ADD/SUB/
// MUL/MLA, NEG/ABS, CMEQ/CMHI/CMHS/CMGE/CMGT/CMTST/CMEQ #0/CMLT #0, ADDP/UMAXP/
// UMINP, ADDV/UMAXV/UMINV/SMAXV/UADDLV, USHR/SSHR/SHL/USHL/SSHL/SRSHR,
// SHRN/XTN/UXTL/SXTL, AND/ORR/EOR/BIC/ORN/NOT/BSL/BIT/BIF, CNT, UQADD/SQSUB/
// UQSUB (saturation and FPSR.QC), UMULL/SMLAL, SADDLP/UADALP.
#include "simd_common.h"

static v128 A, B, C;

int main(void) {
    uint64_t h = MIX_INIT;
    A = (v128){0x8001ff7f00107f80ULL, 0xfedcba9876543210ULL};
    B = (v128){0x80ff017f0110ff80ULL, 0x0123456789abcdefULL};
    C = (v128){0x5555aaaa5555aaaaULL, 0xf0f0f0f00f0f0f0fULL};
    printf("arith:\n");
    V3("add v3.16b, v0.16b, v1.16b");
    V3("add v3.8h, v0.8h, v1.8h");
    V3("add v3.4s, v0.4s, v1.4s");
    V3("add v3.2d, v0.2d, v1.2d");
    V3("sub v3.16b, v0.16b, v1.16b");
    V3("sub v3.4s, v0.4s, v1.4s");
    V3("mul v3.16b, v0.16b, v1.16b");
    V3("mul v3.8h, v0.8h, v1.8h");
    V3("mul v3.4s, v0.4s, v1.4s");
    V3("mul v3.4s, v0.4s, v1.s[3]");
    V3("mla v3.8h, v0.8h, v1.8h");
    V3("mls v3.4s, v0.4s, v1.4s");
    V3("neg v3.16b, v0.16b");
    V3("abs v3.8h, v0.8h");
    V3("abs v3.2d, v1.2d");
    V3("add v3.8b, v0.8b, v1.8b");
    V3("umull v3.8h, v0.8b, v1.8b");
    V3("smull2 v3.4s, v0.8h, v1.8h");
    V3("smlal v3.2d, v0.2s, v1.2s");
    V3("saddlp v3.8h, v0.16b");
    V3("uadalp v3.4s, v1.8h");
    V3("uqadd v3.16b, v0.16b, v1.16b");
    V3("sqadd v3.8h, v0.8h, v1.8h");
    V3("uqsub v3.4s, v0.4s, v1.4s");
    V3("sqsub v3.16b, v0.16b, v1.16b");
    V3("uhadd v3.16b, v0.16b, v1.16b");
    V3("urhadd v3.8h, v0.8h, v1.8h");
    V3("umax v3.16b, v0.16b, v1.16b");
    V3("smin v3.8h, v0.8h, v1.8h");
    printf("compare:\n");
    V3("cmeq v3.16b, v0.16b, v1.16b");
    V3("cmeq v3.16b, v0.16b, #0");
    V3("cmhi v3.16b, v0.16b, v1.16b");
    V3("cmhs v3.8h, v0.8h, v1.8h");
    V3("cmge v3.16b, v0.16b, v1.16b");
    V3("cmgt v3.4s, v0.4s, v1.4s");
    V3("cmgt v3.2d, v0.2d, v1.2d");
    V3("cmtst v3.16b, v0.16b, v1.16b");
    V3("cmlt v3.8h, v0.8h, #0");
    V3("cmle v3.16b, v1.16b, #0");
    V3("cmhi d3, d0, d1");
    printf("pairwise/across:\n");
    V3("addp v3.16b, v0.16b, v1.16b");
    V3("addp v3.2d, v0.2d, v1.2d");
    V3("umaxp v3.16b, v0.16b, v1.16b");
    V3("uminp v3.8h, v0.8h, v1.8h");
    V3("sminp v3.4s, v0.4s, v1.4s");
    V3("addv b3, v0.16b");
    V3("addv h3, v1.8h");
    V3("addv s3, v0.4s");
    V3("umaxv b3, v0.16b");
    V3("uminv b3, v1.16b");
    V3("uminv h3, v0.8h");
    V3("smaxv b3, v0.16b");
    V3("sminv s3, v1.4s");
    V3("uaddlv h3, v0.16b");
    V3("uaddlv s3, v1.8h");
    V3("saddlv d3, v0.4s");
    V3("addp d3, v0.2d");
    printf("shifts/narrow/widen:\n");
    V3("ushr v3.16b, v0.16b, #3");
    V3("sshr v3.8h, v0.8h, #15");
    V3("ushr v3.2d, v0.2d, #63");
    V3("sshr d3, d0, #1");
    V3("shl v3.4s, v0.4s, #31");
    V3("shl v3.16b, v0.16b, #7");
    V3("ushl v3.16b, v0.16b, v1.16b");
    V3("sshl v3.8h, v0.8h, v1.8h");
    V3("srshr v3.4s, v0.4s, #4");
    V3("usra v3.8h, v0.8h, #8");
    V3("shrn v3.8b, v0.8h, #4");
    V3("shrn2 v3.16b, v1.8h, #4");
    V3("shrn v3.4h, v0.4s, #16");
    V3("rshrn v3.8b, v1.8h, #1");
    V3("uqshrn v3.8b, v0.8h, #2");
    V3("sqxtn v3.8b, v0.8h");
    V3("uqxtn v3.4h, v1.4s");
    V3("sqxtun v3.8b, v0.8h");
    V3("xtn v3.8b, v0.8h");
    V3("xtn2 v3.4s, v1.2d");
    V3("uxtl v3.8h, v0.8b");
    V3("sxtl2 v3.4s, v0.8h");
    V3("ushll v3.2d, v1.2s, #7");
    V3("sli v3.4s, v0.4s, #8");
    V3("sri v3.8h, v1.8h, #3");
    printf("logic:\n");
    V3("and v3.16b, v0.16b, v1.16b");
    V3("orr v3.16b, v0.16b, v1.16b");
    V3("eor v3.16b, v0.16b, v1.16b");
    V3("bic v3.16b, v0.16b, v1.16b");
    V3("orn v3.16b, v0.16b, v1.16b");
    V3("not v3.16b, v0.16b");
    V3("bsl v3.16b, v0.16b, v1.16b");
    V3("bit v3.16b, v0.16b, v1.16b");
    V3("bif v3.16b, v0.16b, v1.16b");
    V3("and v3.8b, v0.8b, v1.8b");
    V3("cnt v3.16b, v0.16b");
    V3("cnt v3.8b, v1.8b");
    V3("clz v3.4s, v0.4s");
    V3("cls v3.8h, v1.8h");
    V3("rbit v3.16b, v0.16b");
    V3("rev64 v3.8h, v0.8h");
    V3("rev32 v3.16b, v1.16b");
    V3("rev16 v3.16b, v0.16b");
    /* saturation sets FPSR.QC (sticky) */
    uint64_t q0, q1;
    __asm__ volatile("msr fpsr, xzr\n ldr q0, [%2]\n ldr q1, [%3]\n uqadd v3.8b, v1.8b, v1.8b\n mrs %0, fpsr\n"
                     "msr fpsr, xzr\n uqadd v3.8b, v0.8b, v0.8b\n mrs %1, fpsr\n msr fpsr, xzr"
                     : "=&r"(q0), "=&r"(q1) : "r"(&A), "r"(&B) : "v0", "v1", "v3", "memory");
    printf("QC: saturating %lx, also saturating %lx\n", q0 >> 27, q1 >> 27);
    printf("checksum %016lx\n", h);
    return 0;
}
