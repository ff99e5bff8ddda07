/* A small corpus of the loops C programs are made of, compiled by
 * test/guest/decode-corpus.test.ts at -O2 and -O3 to find instructions gcc
 * emits that armlab's decoder does not allocate. Not run, only decoded. */
#include <stdint.h>
#include <stddef.h>
#include <arm_acle.h>
#include <arm_neon.h>

#define N 1024
float fa[N], fb[N], fc[N];
double da[N], db[N];
int32_t ia[N], ib[N];
uint32_t ua[N];
int16_t sa[N], sb[N];
uint16_t usa[N];
int8_t ca[N];
uint8_t ba[N], bb[N];
int64_t la[N];
uint64_t ula[N];

/* ---- float and double arithmetic ---- */
void saxpy(float a) { for (int i = 0; i < N; i++) fa[i] = a * fb[i] + fc[i]; }
float dotf(void) { float s = 0; for (int i = 0; i < N; i++) s += fa[i] * fb[i]; return s; }
double dotd(void) { double s = 0; for (int i = 0; i < N; i++) s += da[i] * db[i]; return s; }
void vmaxf(void) { for (int i = 0; i < N; i++) fa[i] = fb[i] > fc[i] ? fb[i] : fc[i]; }
void vabsf(void) { for (int i = 0; i < N; i++) fa[i] = __builtin_fabsf(fb[i]) - fc[i]; }
void vdivd(void) { for (int i = 0; i < N; i++) da[i] = db[i] / (da[i] + 1.0); }
void vsqrtf(void) { for (int i = 0; i < N; i++) fa[i] = __builtin_sqrtf(fb[i]); }
void vselect(void) { for (int i = 0; i < N; i++) fa[i] = fb[i] < 0.0f ? -fb[i] : fb[i] * 2.0f; }
void vclamp(void) { for (int i = 0; i < N; i++) fa[i] = fb[i] < 0.0f ? 0.0f : (fb[i] > 1.0f ? 1.0f : fb[i]); }
void f2d(void) { for (int i = 0; i < N; i++) da[i] = fb[i] * 0.5; }
void d2f(void) { for (int i = 0; i < N; i++) fa[i] = (float)db[i]; }
void vround(void) { for (int i = 0; i < N; i++) ia[i] = (int32_t)__builtin_lroundf(fb[i]); }
void vfloor(void) { for (int i = 0; i < N; i++) fa[i] = __builtin_floorf(fb[i]) + __builtin_ceilf(fc[i]) + __builtin_truncf(fa[i]); }
float vmin_red(void) { float m = fa[0]; for (int i = 1; i < N; i++) m = fa[i] < m ? fa[i] : m; return m; }

/* ---- int <-> float and fixed-point scaling ---- */
void i2f(void) { for (int i = 0; i < N; i++) fa[i] = (float)ia[i]; }
void u2f(void) { for (int i = 0; i < N; i++) fa[i] = (float)ua[i]; }
void f2i(void) { for (int i = 0; i < N; i++) ia[i] = (int32_t)fb[i]; }
void f2u(void) { for (int i = 0; i < N; i++) ua[i] = (uint32_t)fb[i]; }
void fixq4(void) { for (int i = 0; i < N; i++) ia[i] = (int32_t)(fb[i] * 16.0f); }
void fixq16u(void) { for (int i = 0; i < N; i++) ua[i] = (uint32_t)(fb[i] * 65536.0f); }
void unfix8(void) { for (int i = 0; i < N; i++) fa[i] = (float)ia[i] / 256.0f; }
void unfixu5(void) { for (int i = 0; i < N; i++) fa[i] = (float)ua[i] * (1.0f / 32.0f); }
void fixd20(void) { for (int i = 0; i < N; i++) la[i] = (int64_t)(da[i] * 1048576.0); }
void unfixd12(void) { for (int i = 0; i < N; i++) da[i] = (double)la[i] / 4096.0; }
void l2d(void) { for (int i = 0; i < N; i++) da[i] = (double)ula[i]; }
void s16tof(void) { for (int i = 0; i < N; i++) fa[i] = (float)sa[i] * (1.0f / 32768.0f); }
void ftos16(void) { for (int i = 0; i < N; i++) sa[i] = (int16_t)(fb[i] * 32767.0f); }

/* ---- integer arrays ---- */
void iadd(void) { for (int i = 0; i < N; i++) ia[i] = ib[i] + ia[i] * 3; }
int64_t isum(void) { int64_t s = 0; for (int i = 0; i < N; i++) s += ia[i]; return s; }
int32_t imax(void) { int32_t m = ia[0]; for (int i = 1; i < N; i++) m = ia[i] > m ? ia[i] : m; return m; }
void iabs(void) { for (int i = 0; i < N; i++) ia[i] = ib[i] < 0 ? -ib[i] : ib[i]; }
void ishift(void) { for (int i = 0; i < N; i++) ia[i] = (ib[i] >> 3) + (int32_t)(ua[i] >> 7) + (ia[i] << 2); }
void ivshift(void) { for (int i = 0; i < N; i++) ia[i] = ib[i] << (ia[i] & 31); }
void imul16(void) { for (int i = 0; i < N; i++) ia[i] = sa[i] * sb[i]; }
int32_t mac16(void) { int32_t s = 0; for (int i = 0; i < N; i++) s += sa[i] * sb[i]; return s; }
uint32_t sad8(void) { uint32_t s = 0; for (int i = 0; i < N; i++) s += (uint32_t)__builtin_abs(ba[i] - bb[i]); return s; }
void avg8(void) { for (int i = 0; i < N; i++) ba[i] = (uint8_t)((ba[i] + bb[i] + 1) >> 1); }
void satadd8(void) { for (int i = 0; i < N; i++) { int s = ba[i] + bb[i]; ba[i] = (uint8_t)(s > 255 ? 255 : s); } }
void sat16(void) { for (int i = 0; i < N; i++) { int s = ia[i]; sa[i] = (int16_t)(s > 32767 ? 32767 : s < -32768 ? -32768 : s); } }
void narrow(void) { for (int i = 0; i < N; i++) ba[i] = (uint8_t)(usa[i] >> 8); }
void widen(void) { for (int i = 0; i < N; i++) ia[i] = ca[i] + sa[i]; }
void idiv(void) { for (int i = 0; i < N; i++) ia[i] = ib[i] / 7 + (int32_t)(ua[i] % 10); }
void mulhi(void) { for (int i = 0; i < N; i++) ia[i] = (int32_t)(((int64_t)ia[i] * ib[i]) >> 32); }
void umulhi(void) { for (int i = 0; i < N; i++) ua[i] = (uint32_t)(((uint64_t)ua[i] * 0x9e3779b9u) >> 32); }
void q15mul(void) { for (int i = 0; i < N; i++) sa[i] = (int16_t)((sa[i] * sb[i]) >> 15); }
void q15rmul(void) { for (int i = 0; i < N; i++) sa[i] = (int16_t)((sa[i] * sb[i] + 0x4000) >> 15); }
void i64ops(void) { for (int i = 0; i < N; i++) la[i] = la[i] * 5 + (int64_t)ula[i] - (la[i] >> 9); }
void i64cmp(void) { for (int i = 0; i < N; i++) la[i] = la[i] > (int64_t)ula[i] ? la[i] : 0; }
int popc(void) { int s = 0; for (int i = 0; i < N; i++) s += __builtin_popcount(ua[i]); return s; }
void bswap(void) { for (int i = 0; i < N; i++) ua[i] = __builtin_bswap32(ua[i]); }
int clz(void) { int s = 0; for (int i = 0; i < N; i++) s += __builtin_clz(ua[i] | 1); return s; }
void minmax16(void) { for (int i = 0; i < N; i++) usa[i] = usa[i] < 1000 ? 1000 : usa[i]; }
void cond_store(void) { for (int i = 0; i < N; i++) if (ia[i] > ib[i]) ib[i] = ia[i] - 1; }
void interleave(void) { for (int i = 0; i < N / 2; i++) { fa[2 * i] = fb[i]; fa[2 * i + 1] = fc[i]; } }
void deinterleave(void) { for (int i = 0; i < N / 2; i++) fa[i] = fb[2 * i] + fb[2 * i + 1]; }
void rgb(void) { for (int i = 0; i < N / 3; i++) ba[i] = (uint8_t)((bb[3 * i] * 77 + bb[3 * i + 1] * 150 + bb[3 * i + 2] * 29) >> 8); }
void rev_copy(void) { for (int i = 0; i < N; i++) ia[i] = ib[N - 1 - i]; }

/* ---- string and memory routines ---- */
void *my_memcpy(void *restrict d, const void *restrict s, size_t n) { uint8_t *dd = d; const uint8_t *ss = s; for (size_t i = 0; i < n; i++) dd[i] = ss[i]; return d; }
void *my_memset(void *d, int c, size_t n) { uint8_t *dd = d; for (size_t i = 0; i < n; i++) dd[i] = (uint8_t)c; return d; }
size_t my_strlen(const char *s) { const char *p = s; while (*p) p++; return (size_t)(p - s); }
int my_memcmp(const uint8_t *a, const uint8_t *b, size_t n) { for (size_t i = 0; i < n; i++) if (a[i] != b[i]) return a[i] - b[i]; return 0; }
const uint8_t *my_memchr(const uint8_t *s, uint8_t c, size_t n) { for (size_t i = 0; i < n; i++) if (s[i] == c) return s + i; return 0; }
size_t count_char(const uint8_t *s, uint8_t c, size_t n) { size_t k = 0; for (size_t i = 0; i < n; i++) k += s[i] == c; return k; }
void to_upper(uint8_t *s, size_t n) { for (size_t i = 0; i < n; i++) s[i] = (s[i] >= 'a' && s[i] <= 'z') ? s[i] - 32 : s[i]; }
uint32_t hash_fnv(const uint8_t *s, size_t n) { uint32_t h = 2166136261u; for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 16777619u; return h; }
uint32_t adler(const uint8_t *s, size_t n) { uint32_t a = 1, b = 0; for (size_t i = 0; i < n; i++) { a = (a + s[i]) % 65521; b = (b + a) % 65521; } return b << 16 | a; }
uint32_t crc32_hw(const uint8_t *s, size_t n) { uint32_t c = ~0u; for (size_t i = 0; i < n; i++) c = __crc32b(c, s[i]); return ~c; }

/* ---- crypto intrinsics ---- */
uint8x16_t aes_enc(uint8x16_t s, const uint8x16_t *rk) { for (int r = 0; r < 9; r++) s = vaesmcq_u8(vaeseq_u8(s, rk[r])); return veorq_u8(vaeseq_u8(s, rk[9]), rk[10]); }
uint8x16_t aes_dec(uint8x16_t s, const uint8x16_t *rk) { for (int r = 0; r < 9; r++) s = vaesimcq_u8(vaesdq_u8(s, rk[r])); return veorq_u8(vaesdq_u8(s, rk[9]), rk[10]); }
uint32x4_t sha1_step(uint32x4_t abcd, uint32_t e, uint32x4_t w0, uint32x4_t w1, uint32x4_t w2, uint32x4_t w3) {
    uint32_t e1 = vsha1h_u32(vgetq_lane_u32(abcd, 0));
    abcd = vsha1cq_u32(abcd, e, w0);
    abcd = vsha1pq_u32(abcd, e1, w1);
    abcd = vsha1mq_u32(abcd, e, vsha1su1q_u32(vsha1su0q_u32(w0, w1, w2), w3));
    return abcd;
}
uint32x4_t sha256_step(uint32x4_t abcd, uint32x4_t efgh, uint32x4_t w0, uint32x4_t w1, uint32x4_t w2, uint32x4_t w3) {
    uint32x4_t t = vsha256hq_u32(abcd, efgh, w0);
    efgh = vsha256h2q_u32(efgh, abcd, w0);
    w0 = vsha256su1q_u32(vsha256su0q_u32(w0, w1), w2, w3);
    return vaddq_u32(vaddq_u32(t, efgh), w0);
}
poly128_t ghash_mul(poly64x2_t a, poly64x2_t b) { return vmull_p64(vgetq_lane_p64(a, 0), vgetq_lane_p64(b, 0)) ^ vmull_high_p64(a, b); }
poly16x8_t pmull8(poly8x16_t a, poly8x16_t b) { return vmull_high_p8(a, b); }

/* ---- AdvSIMD intrinsics of the rounding/saturating, estimate and fixed-point groups ---- */
int16x8_t q15_rdmulh(int16x8_t a, int16x8_t b) { return vqrdmulhq_s16(vqdmulhq_s16(a, b), vdupq_laneq_s16(b, 3)); }
int32x4_t q31_rdmulh_lane(int32x4_t a, int32x4_t b) { return vqrdmulhq_laneq_s32(a, b, 2); }
int32x4_t rshl(int32x4_t a, int32x4_t s) { return vrshlq_s32(a, s); }
uint8x16_t urshl(uint8x16_t a, int8x16_t s) { return vqshlq_u8(vrshlq_u8(a, s), s); }
int64x2_t qrshl64(int64x2_t a, int64x2_t s) { return vqrshlq_s64(vqshlq_s64(a, s), s); }
uint32x4_t usqadd(uint32x4_t a, int32x4_t b) { return vsqaddq_u32(a, b); }
int16x8_t suqadd(int16x8_t a, uint16x8_t b) { return vuqaddq_s16(a, b); }
float32x4_t recip_nr(float32x4_t x) { float32x4_t e = vrecpeq_f32(x); e = vmulq_f32(e, vrecpsq_f32(x, e)); return vmulq_f32(e, vrecpsq_f32(x, e)); }
float64x2_t rsqrt_nr(float64x2_t x) { float64x2_t e = vrsqrteq_f64(x); return vmulq_f64(e, vrsqrtsq_f64(vmulq_f64(x, e), e)); }
float32x4_t mulx(float32x4_t a, float32x4_t b) { return vmulxq_laneq_f32(vmulxq_f32(a, b), b, 1); }
float32x4_t cvt_n(int32x4_t a, uint32x4_t b) { return vaddq_f32(vcvtq_n_f32_s32(a, 10), vcvtq_n_f32_u32(b, 3)); }
int64x2_t cvt_n64(float64x2_t a) { return vcvtq_n_s64_f64(a, 30); }
