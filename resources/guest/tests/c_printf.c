// "Real C" at -O2: the runtime's printf/snprintf across formats, widths,
// precisions, flags and edge values (INT64_MIN, UINT64_MAX, zero with
// precision 0), truncation in snprintf, and a hex dump.
//! cflags: -Wno-format -Wno-format-overflow
#include "common.h"

int main(void) {
    static const int64_t iv[] = {0, 1, -1, 42, -42, 2147483647, -2147483647 - 1, 9223372036854775807LL,
                                 -9223372036854775807LL - 1};
    for (unsigned i = 0; i < ARRAY_SIZE(iv); i++) {
        long v = (long)iv[i];
        printf("[%ld] [%lu] [%lx] [%lX] [%lo] [%22ld] [%-22ld] [%022ld] [%+ld] [% ld] [%.25ld]\n", v,
               (unsigned long)v, (unsigned long)v, (unsigned long)v, (unsigned long)v, v, v, v, v, v, v);
        printf("  int: [%d] [%u] [%x] [%08x] [%-8x|] [%#x] [%#o] [%hd] [%hhu] [%hx]\n", (int)v, (unsigned)v,
               (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (short)v, (unsigned char)v,
               (unsigned short)v);
    }
    printf("[%.0d] [%.0x] [%5.0d] [%.3x] [%08.3d] [%-+5d] [%*d] [%-*d] [%.*s]\n", 0, 0u, 0, 0xau, 7, 3, 6, 9, 6, 9, 3,
           "abcdef");
    printf("[%s] [%10s] [%-10s] [%.2s] [%c%c%c] [%5c] [%-3c] [%%] [%s]\n", "str", "right", "left", "trunc", 'a',
           'b', 'c', 'x', 'y', (const char *)0);
    printf("[%p] [%p] [%20p]\n", (void *)0, (void *)0x40200000, (void *)0xdeadbeefULL);
    char small[8];
    int n = rt_snprintf(small, sizeof small, "%s-%d", "truncated", 12345);
    printf("snprintf returned %d, buffer \"%s\"\n", n, small);
    n = rt_snprintf(small, 1, "abc");
    printf("snprintf size 1 returned %d, buffer \"%s\"\n", n, small);
    static const uint8_t bytes[40] = "armlab: AArch64 emulator, hex dump test";
    for (unsigned off = 0; off < sizeof bytes; off += 16) {
        printf("%04x:", off);
        for (unsigned k = 0; k < 16 && off + k < sizeof bytes; k++) printf(" %02x", bytes[off + k]);
        printf("\n");
    }
    char big[200];
    for (int i = 0; i < 10; i++) {
        rt_snprintf(big, sizeof big, "%3d|%-6s|%06x|%+4d", i * i * i, i & 1 ? "odd" : "even", 0x1234u * i, 50 - i * 11);
        printf("%s\n", big);
    }
    return 0;
}
