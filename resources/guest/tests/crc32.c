// CRC32B/H/W/X and CRC32CB/CH/CW/CX over a buffer and on edge values,
// checked against a bytewise software CRC (reflected polynomials).
//! cflags: -march=armv8-a+crc
#include "common.h"

static uint32_t sw_crc(uint32_t crc, const uint8_t *p, size_t n, uint32_t poly) {
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (poly & (0u - (crc & 1)));
    }
    return crc;
}

#define CRC(insn, acc, val)                                                    \
    ({                                                                         \
        uint32_t _r;                                                           \
        __asm__ volatile(insn : "=r"(_r) : "r"(acc), "r"(val));                \
        _r;                                                                    \
    })

int main(void) {
    static uint8_t buf[1024];
    uint64_t s = 0x1234567;
    for (unsigned i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)rt_rand64(&s);

    const uint32_t inits[] = {0, 0xffffffffu, 0x12345678u};
    const uint64_t vals[] = {0, 0xff, 0xffffffffffffffffULL, 0x0123456789abcdefULL, 0x8000000000000001ULL};
    for (unsigned i = 0; i < ARRAY_SIZE(inits); i++)
        for (unsigned j = 0; j < ARRAY_SIZE(vals); j++) {
            uint32_t c = inits[i];
            uint64_t v = vals[j];
            printf("init=%08x v=%016lx b=%08x h=%08x w=%08x x=%08x cb=%08x ch=%08x cw=%08x cx=%08x\n", c, v,
                   CRC("crc32b %w0, %w1, %w2", c, v), CRC("crc32h %w0, %w1, %w2", c, v),
                   CRC("crc32w %w0, %w1, %w2", c, v), CRC("crc32x %w0, %w1, %2", c, v),
                   CRC("crc32cb %w0, %w1, %w2", c, v), CRC("crc32ch %w0, %w1, %w2", c, v),
                   CRC("crc32cw %w0, %w1, %w2", c, v), CRC("crc32cx %w0, %w1, %2", c, v));
        }
    /* whole buffer, 8 bytes at a time, vs software */
    for (unsigned len = 8; len <= sizeof buf; len *= 2) {
        uint32_t c1 = 0xffffffffu, c2 = 0xffffffffu;
        for (unsigned i = 0; i < len; i += 8) {
            uint64_t v;
            memcpy(&v, buf + i, 8);
            c1 = CRC("crc32x %w0, %w1, %2", c1, v);
            c2 = CRC("crc32cx %w0, %w1, %2", c2, v);
        }
        uint32_t s1 = sw_crc(0xffffffffu, buf, len, 0xedb88320u);
        uint32_t s2 = sw_crc(0xffffffffu, buf, len, 0x82f63b78u);
        printf("len=%4u crc32=%08x (sw %08x) crc32c=%08x (sw %08x)\n", len, ~c1, ~s1, ~c2, ~s2);
    }
    /* the classic check value: CRC-32("123456789") = cbf43926 */
    const char *chk = "123456789";
    uint32_t c = 0xffffffffu;
    for (int i = 0; i < 9; i++) c = CRC("crc32b %w0, %w1, %w2", c, (uint32_t)(uint8_t)chk[i]);
    printf("crc32(\"123456789\") = %08x\n", ~c);
    return 0;
}
