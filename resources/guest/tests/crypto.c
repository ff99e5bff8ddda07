// Cryptographic Extension through the ACLE intrinsics: AES-128 (FIPS-197
// Appendix B: encryption with AESE/AESMC, decryption with AESD/AESIMC and the
// equivalent inverse key schedule), SHA-1 and SHA-256 (FIPS 180-4 "abc", the
// 448-bit message, a pseudo-random multi-block buffer) with SHA1C/P/M/H/SU0/SU1
// and SHA256H/H2/SU0/SU1, and PMULL/PMULL2 (1Q and 8H) as GHASH-style folding.
// The key schedule and message padding are plain C.
//! cflags: -march=armv8-a+crypto
#include "common.h"
#include <arm_neon.h>

static const uint8_t SBOX_SEED = 0x63;

/* S-box by the definition (multiplicative inverse, affine map) for the key schedule. */
static uint8_t gmul(uint8_t a, uint8_t b) {
    uint8_t r = 0;
    while (b) {
        if (b & 1) r ^= a;
        a = (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
        b >>= 1;
    }
    return r;
}
static uint8_t sbox(uint8_t x) {
    uint8_t inv = 0;
    if (x) {
        inv = 1;
        for (int i = 0; i < 254; i++) inv = gmul(inv, x);
    }
    uint8_t s = SBOX_SEED;
    for (int k = 0; k < 5; k++) s ^= (uint8_t)((inv << k) | (inv >> (8 - k)));
    return s;
}

static void expand_key(const uint8_t key[16], uint8_t rk[11][16]) {
    uint8_t w[176];
    for (int i = 0; i < 16; i++) w[i] = key[i];
    uint8_t rcon = 1;
    for (int i = 16; i < 176; i += 4) {
        uint8_t t[4] = {w[i - 4], w[i - 3], w[i - 2], w[i - 1]};
        if (i % 16 == 0) {
            uint8_t t0 = t[0];
            t[0] = sbox(t[1]) ^ rcon;
            t[1] = sbox(t[2]);
            t[2] = sbox(t[3]);
            t[3] = sbox(t0);
            rcon = (uint8_t)((rcon << 1) ^ ((rcon & 0x80) ? 0x1b : 0));
        }
        for (int k = 0; k < 4; k++) w[i + k] = w[i - 16 + k] ^ t[k];
    }
    for (int r = 0; r < 11; r++)
        for (int i = 0; i < 16; i++) rk[r][i] = w[16 * r + i];
}

static void pbytes(const char *what, const uint8_t *b, int n) {
    printf("%-10s", what);
    for (int i = 0; i < n; i++) printf("%02x", b[i]);
    printf("\n");
}

static uint8x16_t aes_encrypt(uint8x16_t s, uint8_t rk[11][16]) {
    for (int r = 0; r < 9; r++) s = vaesmcq_u8(vaeseq_u8(s, vld1q_u8(rk[r])));
    s = vaeseq_u8(s, vld1q_u8(rk[9]));
    return veorq_u8(s, vld1q_u8(rk[10]));
}

static uint8x16_t aes_decrypt(uint8x16_t s, uint8_t rk[11][16]) {
    s = vaesdq_u8(s, vld1q_u8(rk[10]));
    for (int r = 9; r >= 1; r--) s = vaesdq_u8(vaesimcq_u8(s), vaesimcq_u8(vld1q_u8(rk[r])));
    return veorq_u8(s, vld1q_u8(rk[0]));
}

static void test_aes(void) {
    static const uint8_t key[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                    0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
    static const uint8_t in[16] = {0x32, 0x43, 0xf6, 0xa8, 0x88, 0x5a, 0x30, 0x8d,
                                   0x31, 0x31, 0x98, 0xa2, 0xe0, 0x37, 0x07, 0x34};
    uint8_t rk[11][16], out[16];
    expand_key(key, rk);
    pbytes("rk10", rk[10], 16);
    uint8x16_t s = vaeseq_u8(vld1q_u8(in), vld1q_u8(key));
    vst1q_u8(out, s);
    pbytes("aese", out, 16);
    vst1q_u8(out, vaesmcq_u8(s));
    pbytes("aesmc", out, 16);
    uint8x16_t ct = aes_encrypt(vld1q_u8(in), rk);
    vst1q_u8(out, ct);
    pbytes("encrypt", out, 16);
    vst1q_u8(out, aes_decrypt(ct, rk));
    pbytes("decrypt", out, 16);
    /* CBC-style chain over 32 blocks */
    uint8x16_t chain = vdupq_n_u8(0);
    for (int i = 0; i < 32; i++) chain = aes_encrypt(veorq_u8(chain, vdupq_n_u8((uint8_t)i)), rk);
    vst1q_u8(out, chain);
    pbytes("cbc32", out, 16);
}

static uint32x4_t load_be(const uint8_t *p) { return vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p))); }

static void sha1_block(uint32_t h[5], const uint8_t *p) {
    uint32x4_t w[4] = {load_be(p), load_be(p + 16), load_be(p + 32), load_be(p + 48)};
    uint32x4_t abcd = vld1q_u32(h);
    uint32_t e = h[4];
    static const uint32_t K[4] = {0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6};
    for (int i = 0; i < 20; i++) {
        uint32x4_t wk = vaddq_u32(w[i & 3], vdupq_n_u32(K[i / 5]));
        uint32_t e_next = vsha1h_u32(vgetq_lane_u32(abcd, 0));
        if (i < 5)
            abcd = vsha1cq_u32(abcd, e, wk);
        else if (i < 10 || i >= 15)
            abcd = vsha1pq_u32(abcd, e, wk);
        else
            abcd = vsha1mq_u32(abcd, e, wk);
        e = e_next;
        if (i < 16) w[i & 3] = vsha1su1q_u32(vsha1su0q_u32(w[i & 3], w[(i + 1) & 3], w[(i + 2) & 3]), w[(i + 3) & 3]);
    }
    vst1q_u32(h, vaddq_u32(vld1q_u32(h), abcd));
    h[4] += e;
}

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

static void sha256_block(uint32_t h[8], const uint8_t *p) {
    uint32x4_t w[4] = {load_be(p), load_be(p + 16), load_be(p + 32), load_be(p + 48)};
    uint32x4_t abcd = vld1q_u32(h), efgh = vld1q_u32(h + 4);
    for (int i = 0; i < 16; i++) {
        uint32x4_t wk = vaddq_u32(w[i & 3], vld1q_u32(K256 + 4 * i));
        uint32x4_t prev = abcd;
        abcd = vsha256hq_u32(abcd, efgh, wk);
        efgh = vsha256h2q_u32(efgh, prev, wk);
        if (i < 12) w[i & 3] = vsha256su1q_u32(vsha256su0q_u32(w[i & 3], w[(i + 1) & 3]), w[(i + 2) & 3], w[(i + 3) & 3]);
    }
    vst1q_u32(h, vaddq_u32(vld1q_u32(h), abcd));
    vst1q_u32(h + 4, vaddq_u32(vld1q_u32(h + 4), efgh));
}

/* FIPS 180-4 padding; `block` is called on each 64-byte block. */
static void sha_run(const uint8_t *msg, size_t len, uint32_t *h, void (*block)(uint32_t *, const uint8_t *)) {
    uint8_t buf[64];
    size_t i = 0;
    for (; i + 64 <= len; i += 64) block(h, msg + i);
    size_t rest = len - i;
    for (size_t k = 0; k < 64; k++) buf[k] = k < rest ? msg[i + k] : 0;
    buf[rest] = 0x80;
    if (rest >= 56) {
        block(h, buf);
        for (int k = 0; k < 64; k++) buf[k] = 0;
    }
    uint64_t bits = (uint64_t)len * 8;
    for (int k = 0; k < 8; k++) buf[63 - k] = (uint8_t)(bits >> (8 * k));
    block(h, buf);
}

static uint8_t data[1000];

static void test_sha(void) {
    static const char *msgs[] = {"abc", "", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"};
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof data; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = (uint8_t)(x >> 16);
    }
    for (int m = 0; m < 4; m++) {
        const uint8_t *p = m < 3 ? (const uint8_t *)msgs[m] : data;
        size_t len = m < 3 ? strlen(msgs[m]) : sizeof data;
        uint32_t h1[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
        uint32_t h2[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
        sha_run(p, len, h1, sha1_block);
        sha_run(p, len, h2, sha256_block);
        printf("sha1[%d]   ", m);
        for (int k = 0; k < 5; k++) printf("%08x", h1[k]);
        printf("\nsha256[%d] ", m);
        for (int k = 0; k < 8; k++) printf("%08x", h2[k]);
        printf("\n");
    }
}

static void test_pmull(void) {
    poly64_t a = 0x87654321fedcba98ULL, b = 0xf0e1d2c3b4a59687ULL;
    poly128_t r = vmull_p64(a, b);
    printf("pmull1q   %016lx_%016lx\n", (uint64_t)(r >> 64), (uint64_t)r);
    poly64x2_t va = {0xffffffffffffffffULL, 0x8000000000000001ULL};
    poly64x2_t vb = {0x1234ULL, 0xc000000000000003ULL};
    r = vmull_high_p64(va, vb);
    printf("pmull2_1q %016lx_%016lx\n", (uint64_t)(r >> 64), (uint64_t)r);
    poly8x16_t pa = vreinterpretq_p8_u8(vld1q_u8(data)), pb = vreinterpretq_p8_u8(vld1q_u8(data + 16));
    uint64x2_t lo = vreinterpretq_u64_p16(vmull_p8(vget_low_p8(pa), vget_low_p8(pb)));
    uint64x2_t hi = vreinterpretq_u64_p16(vmull_high_p8(pa, pb));
    printf("pmull8h   %016lx_%016lx %016lx_%016lx\n", vgetq_lane_u64(lo, 1), vgetq_lane_u64(lo, 0), vgetq_lane_u64(hi, 1),
           vgetq_lane_u64(hi, 0));
    /* fold a buffer with carry-less multiplies (the shape of CRC/GHASH folding loops) */
    uint64_t acc = 0;
    for (int i = 0; i + 8 <= (int)sizeof data; i += 8) {
        uint64_t v;
        memcpy(&v, data + i, 8);
        poly128_t p = vmull_p64(acc ^ v, 0x1db710641ULL);
        acc = (uint64_t)p ^ (uint64_t)(p >> 64);
    }
    printf("fold      %016lx\n", acc);
}

int main(void) {
    test_aes();
    test_sha();
    test_pmull();
    return 0;
}
