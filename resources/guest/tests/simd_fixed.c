// AdvSIMD conversions between floating point and fixed point (SCVTF/UCVTF/
// FCVTZS/FCVTZU #fbits, vector and scalar): edge values written in assembly
// (truncation, saturation and NaN with FPSR.IOC, rounding with FPSR.IXC, FPCR
// rounding modes for SCVTF), then the loops gcc emits them for at -O2 and -O3
// (`x * 16.0f` to int, `(float)i / 256`, doubles, unsigned).
#include "simd_common.h"

static v128 A, B, C;

static uint64_t fpsr_read(void) {
    uint64_t s;
    __asm__ volatile("mrs %0, fpsr" : "=r"(s));
    return s;
}
static void fpsr_clear(void) { __asm__ volatile("msr fpsr, xzr"); }
static void fpcr_set(uint64_t v) { __asm__ volatile("msr fpcr, %0\n isb" ::"r"(v)); }

#define F2(a, b) ((uint64_t)(b) << 32 | (uint32_t)(a))
static uint32_t fbits(float f) {
    uint32_t u;
    __builtin_memcpy(&u, &f, 4);
    return u;
}
static uint64_t dbits(double d) {
    uint64_t u;
    __builtin_memcpy(&u, &d, 8);
    return u;
}

/* one instruction with FPSR cleared before and printed after */
#define VF(insn)                                                                                       \
    ({                                                                                                 \
        fpsr_clear();                                                                                  \
        V3(insn);                                                                                      \
        printf("    fpsr %08lx\n", fpsr_read());                                                       \
    })

static uint64_t h;

static void asm_edges(void) {
    printf("vector:\n");
    A = (v128){F2(fbits(1.5f), fbits(-2.27f)), F2(fbits(1e10f), 0x7fc00000)};
    B = (v128){F2(24, -36), F2(1, 0x7fffffff)};
    C = (v128){dbits(0.25), dbits(-3.999)};
    VF("fcvtzs v3.4s, v0.4s, #4");
    VF("fcvtzu v3.4s, v0.4s, #4");
    VF("fcvtzs v3.2s, v0.2s, #31");
    VF("fcvtzu v3.4s, v0.4s, #32");
    VF("fcvtzs v3.2d, v2.2d, #62");
    VF("fcvtzu v3.2d, v2.2d, #1");
    VF("fcvtzs v3.2d, v2.2d, #64");
    VF("scvtf v3.4s, v1.4s, #4");
    VF("ucvtf v3.4s, v1.4s, #4");
    VF("scvtf v3.2s, v1.2s, #32");
    VF("ucvtf v3.4s, v1.4s, #1");
    VF("scvtf v3.2d, v1.2d, #60");
    VF("ucvtf v3.2d, v1.2d, #64");
    printf("scalar:\n");
    VF("fcvtzs s3, s0, #8");
    VF("fcvtzu s3, s0, #3");
    VF("fcvtzs d3, d2, #10");
    VF("fcvtzu d3, d2, #63");
    VF("scvtf s3, s1, #3");
    VF("ucvtf s3, s1, #32");
    VF("scvtf d3, d1, #7");
    VF("ucvtf d3, d2, #52");
    printf("rounding modes:\n");
    for (uint64_t rm = 0; rm < 4; rm++) {
        fpcr_set(rm << 22);
        printf(" rmode %lu\n", rm);
        VF("scvtf v3.4s, v1.4s, #2");
        VF("ucvtf d3, d2, #20");
        VF("fcvtzs v3.4s, v0.4s, #2");
    }
    fpcr_set(0);
}

#define N 64
static float fa[N], fb[N];
static int32_t ia[N];
static uint32_t ua[N];
static double da[N];
static int64_t la[N];

__attribute__((noinline)) static void to_fixed_o2(void) {
    for (int i = 0; i < N; i++) ia[i] = (int32_t)(fb[i] * 16.0f);
}
__attribute__((noinline)) static void to_ufixed_o2(void) {
    for (int i = 0; i < N; i++) ua[i] = (uint32_t)(fb[i] * 256.0f);
}
__attribute__((noinline)) static void from_fixed_o2(void) {
    for (int i = 0; i < N; i++) fa[i] = (float)ia[i] / 256.0f;
}
__attribute__((noinline, optimize("O3"))) static void to_fixed_o3(int n) {
    for (int i = 0; i < n; i++) ia[i] = (int32_t)(fb[i] * 65536.0f);
}
__attribute__((noinline, optimize("O3"))) static void from_fixed_o3(int n) {
    for (int i = 0; i < n; i++) fa[i] = (float)ua[i] * (1.0f / 32.0f);
}
__attribute__((noinline, optimize("O3"))) static void dbl_fixed_o3(int n) {
    for (int i = 0; i < n; i++) la[i] = (int64_t)(da[i] * 1048576.0);
    for (int i = 0; i < n; i++) da[i] = (double)la[i] / 4096.0;
}

static uint64_t hash_arrays(void) {
    uint64_t x = MIX_INIT;
    for (int i = 0; i < N; i++) {
        x = mix64(x, fbits(fa[i]));
        x = mix64(x, (uint32_t)ia[i]);
        x = mix64(x, ua[i]);
        x = mix64(x, dbits(da[i]));
        x = mix64(x, (uint64_t)la[i]);
    }
    return x;
}

static void loops(void) {
    printf("loops:\n");
    uint32_t s = 7;
    for (int i = 0; i < N; i++) {
        s = s * 1664525u + 1013904223u;
        fb[i] = (float)(int32_t)s / 65536.0f / 1024.0f;
        da[i] = (double)(int32_t)s / 3.0;
    }
    fpsr_clear();
    to_fixed_o2();
    printf("  to_fixed_o2    %016lx ia[1]=%d fpsr %08lx\n", hash_arrays(), ia[1], fpsr_read());
    to_ufixed_o2();
    printf("  to_ufixed_o2   %016lx ua[1]=%u\n", hash_arrays(), ua[1]);
    from_fixed_o2();
    printf("  from_fixed_o2  %016lx fa[2]=%08x\n", hash_arrays(), fbits(fa[2]));
    fpsr_clear();
    to_fixed_o3(N - 3);
    printf("  to_fixed_o3    %016lx ia[5]=%d fpsr %08lx\n", hash_arrays(), ia[5], fpsr_read());
    from_fixed_o3(N - 1);
    printf("  from_fixed_o3  %016lx fa[3]=%08x\n", hash_arrays(), fbits(fa[3]));
    fpsr_clear();
    dbl_fixed_o3(N - 2);
    printf("  dbl_fixed_o3   %016lx la[4]=%ld fpsr %08lx\n", hash_arrays(), la[4], fpsr_read());
}

int main(void) {
    h = MIX_INIT;
    asm_edges();
    loops();
    printf("hash %016lx\n", h);
    return 0;
}
