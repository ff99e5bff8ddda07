/*
 * armlab demo guest (`npm run demo`): a banner on the PL011 UART, the EL the
 * emulator entered at, a small ASCII Mandelbrot, a prime sieve and a CRC-32,
 * then exit(0) through semihosting. Built by resources/guest/build.sh into
 * resources/demo/demo.elf; about 0.7 million instructions.
 */
#include "rt.h"

static uint32_t crc32_update(uint32_t crc, const char *p, size_t n) {
    crc = ~crc;
    while (n--) {
        crc ^= (uint8_t)*p++;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static uint8_t composite[20001];

int main(void) {
    printf("armlab demo guest\n");
    printf("entered at EL%d, running at EL%lu\n", rt_entry_el(), READ_SYSREG(CurrentEL) >> 2);
    printf("\n");

    const char *shade = " .:-=+*#%@";
    uint32_t crc = 0;
    for (int y = 0; y < 21; y++) {
        char line[64];
        double ci = -1.0 + 2.0 * y / 20;
        for (int x = 0; x < 60; x++) {
            double cr = -2.0 + 2.6 * x / 59, zr = 0, zi = 0;
            int it = 0;
            while (it < 64 && zr * zr + zi * zi <= 4.0) {
                double t = zr * zr - zi * zi + cr;
                zi = 2 * zr * zi + ci;
                zr = t;
                it++;
            }
            line[x] = it >= 64 ? '@' : shade[it % 9];
        }
        line[60] = '\n';
        line[61] = 0;
        rt_puts(line);
        crc = crc32_update(crc, line, 61);
    }
    printf("\n");

    unsigned primes = 0, last = 0;
    for (unsigned i = 2; i <= 20000; i++) {
        if (composite[i]) continue;
        primes++;
        last = i;
        for (unsigned j = i * i; j <= 20000; j += i) composite[j] = 1;
    }
    printf("primes up to 20000: %u (largest %u)\n", primes, last);
    printf("crc32 of the picture: %08x\n", crc);
    printf("bye\n");
    return 0;
}
