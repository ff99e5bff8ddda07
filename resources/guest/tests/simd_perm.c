// AdvSIMD moves and permutes: DUP (element, general), MOVI/MVNI (all shifted
// and MSL forms, 64-bit byte mask), ORR/BIC (vector immediate), INS (element,
// general), UMOV/SMOV, FMOV (vector immediate), ZIP1/ZIP2/UZP1/UZP2/TRN1/TRN2,
// EXT, TBL/TBX with 1-4 table registers and out-of-range indices, REV64.
#include "simd_common.h"

static v128 A, B, C;

int main(void) {
    uint64_t h = MIX_INIT;
    A = (v128){0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
    B = (v128){0x1716151413121110ULL, 0x1f1e1d1c1b1a1918ULL};
    C = (v128){0x8899aabbccddeeffULL, 0x0011223344556677ULL};
    printf("dup/movi:\n");
    V3("dup v3.16b, v0.b[5]");
    V3("dup v3.8h, v1.h[7]");
    V3("dup v3.4s, v2.s[1]");
    V3("dup v3.2d, v2.d[1]");
    V3("mov x9, #0x1234\n dup v3.8h, w9");
    V3("mov x9, #-2\n dup v3.2d, x9");
    V3("mov x9, #0xabcd\n dup v3.8b, w9");
    V3("movi v3.16b, #0xa5");
    V3("movi v3.8h, #0x12, lsl #8");
    V3("movi v3.4s, #0x34, lsl #16");
    V3("movi v3.4s, #0x56, msl #8");
    V3("movi v3.4s, #0x56, msl #16");
    V3("movi v3.2d, #0xff00ff0000ff00ff");
    V3("movi d3, #0xffff0000ffff0000");
    V3("movi v3.2s, #0x80, lsl #24");
    V3("mvni v3.8h, #0x1");
    V3("mvni v3.4s, #0x7f, msl #16");
    V3("mvni v3.2s, #0xc0, lsl #8");
    V3("orr v3.4s, #0x1, lsl #8");
    V3("bic v3.8h, #0xff");
    V3("fmov v3.4s, #-1.5");
    V3("fmov v3.2d, #0.25");
    V3("fmov v3.2s, #31.0");
    printf("ins/umov/smov:\n");
    V3("ins v3.b[3], v0.b[15]");
    V3("ins v3.h[0], v1.h[6]");
    V3("ins v3.s[2], v0.s[1]");
    V3("ins v3.d[1], v1.d[0]");
    V3("mov x9, #0x7766\n ins v3.h[5], w9");
    V3("mov x9, #-1\n ins v3.d[0], x9");
    VX("umov w0, v0.b[9]\n mov %0, x0");
    VX("mov x0, #-1\n umov w0, v1.h[3]\n mov %0, x0");
    VX("umov x0, v1.d[1]\n mov %0, x0");
    VX("mov w0, v0.s[3]\n mov %0, x0");
    VX("ldr q3, =0x80ff7f00 \n smov x0, v3.b[1]\n mov %0, x0");
    VX("ldr q3, =0x80ff7f00 \n smov w0, v3.h[1]\n mov %0, x0");
    VX("ldr q3, =0x80ff7f0000000000 \n smov x0, v3.s[1]\n mov %0, x0");
    printf("permutes:\n");
    V3("zip1 v3.16b, v0.16b, v1.16b");
    V3("zip2 v3.16b, v0.16b, v1.16b");
    V3("zip1 v3.8h, v0.8h, v1.8h");
    V3("zip2 v3.4s, v0.4s, v1.4s");
    V3("zip1 v3.2d, v0.2d, v1.2d");
    V3("zip1 v3.8b, v0.8b, v1.8b");
    V3("uzp1 v3.16b, v0.16b, v1.16b");
    V3("uzp2 v3.16b, v0.16b, v1.16b");
    V3("uzp1 v3.4s, v0.4s, v1.4s");
    V3("uzp2 v3.4h, v0.4h, v1.4h");
    V3("trn1 v3.16b, v0.16b, v1.16b");
    V3("trn2 v3.8h, v0.8h, v1.8h");
    V3("trn1 v3.2s, v0.2s, v1.2s");
    V3("ext v3.16b, v0.16b, v1.16b, #1");
    V3("ext v3.16b, v0.16b, v1.16b, #15");
    V3("ext v3.8b, v0.8b, v1.8b, #3");
    V3("rev64 v3.16b, v0.16b");
    V3("rev64 v3.4s, v1.4s");
    printf("tbl/tbx:\n");
    /* indices in v2: mix of in-range and out-of-range */
    C = (v128){0x3f20101f0f011000ULL, 0xff40302f1e2e0d05ULL};
    V3("tbl v3.16b, {v0.16b}, v2.16b");
    V3("tbl v3.16b, {v0.16b, v1.16b}, v2.16b");
    V3("mov v4.16b, v1.16b\n mov v5.16b, v0.16b\n mov v6.16b, v1.16b\n mov v7.16b, v0.16b\n"
       "tbl v3.16b, {v4.16b, v5.16b, v6.16b}, v2.16b");
    V3("mov v4.16b, v1.16b\n mov v5.16b, v0.16b\n mov v6.16b, v1.16b\n mov v7.16b, v0.16b\n"
       "tbl v3.16b, {v4.16b, v5.16b, v6.16b, v7.16b}, v2.16b");
    V3("tbl v3.8b, {v0.16b}, v2.8b");
    V3("mov v3.16b, v1.16b\n tbx v3.16b, {v0.16b}, v2.16b");
    V3("movi v3.16b, #0xee\n tbx v3.16b, {v0.16b, v1.16b}, v2.16b");
    V3("movi v3.16b, #0xee\n tbx v3.8b, {v1.16b}, v2.8b");
    printf("checksum %016lx\n", h);
    return 0;
}
