// "Real C" at -O2: a Mandelbrot set in double precision printed as ASCII art,
// plus the total iteration count and a checksum of the escape values' bits;
// exercises FMUL/FADD/FSUB/FCMP in a tight loop and int<->double conversion.
#include "common.h"

int main(void) {
    const int w = 72, hgt = 28, max_iter = 200;
    const char *shade = " .:-=+*#%@";
    uint64_t total = 0, h = MIX_INIT;
    for (int y = 0; y < hgt; y++) {
        char line[80];
        double ci = -1.2 + 2.4 * y / (hgt - 1);
        for (int x = 0; x < w; x++) {
            double cr = -2.1 + 2.8 * x / (w - 1);
            double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
            int it = 0;
            while (it < max_iter && zr2 + zi2 <= 4.0) {
                zi = 2 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                it++;
            }
            total += (uint64_t)it;
            h = mix64(h, f64_bits(zr2 + zi2));
            line[x] = it >= max_iter ? '@' : shade[it % 9];
        }
        line[w] = 0;
        printf("%s\n", line);
    }
    printf("iterations %lu checksum %016lx\n", total, h);
    /* a few smooth-colouring values (log-free: iteration + fraction) */
    double sum = 0;
    for (int k = 0; k < 1000; k++) {
        double cr = -0.75 + 0.0001 * k, ci = 0.1;
        double zr = 0, zi = 0;
        int it = 0;
        for (; it < 1000 && zr * zr + zi * zi < 256.0; it++) {
            double t = zr * zr - zi * zi + cr;
            zi = 2 * zr * zi + ci;
            zr = t;
        }
        sum += it + (zr * zr + zi * zi) / 65536.0;
    }
    printf("smooth sum %016lx (%ld)\n", f64_bits(sum), (long)sum);
    return 0;
}
