// Runtime smoke test: UART and semihosting console, printf formats, entry EL.
#include "rt.h"

int main(void) {
    printf("hello from armlab guest (uart)\n");
    printf("entry EL%d, now EL%lu\n", rt_entry_el(), READ_SYSREG(CurrentEL) >> 2);
    printf("d=%d i=%i u=%u x=%x X=%X\n", -42, 2147483647, 4294967295u, 0xdeadbeefu, 0xcafeu);
    printf("lx=%lx llx=%llx ld=%ld\n", 0x0123456789abcdefUL, 0xfedcba9876543210ULL, (long)-9223372036854775807L - 1);
    printf("width [%5d] [%-5d] [%05d] [%08x] [%016lx] [%3s] [%-3s] [%c]\n", 42, 42, -42, 0xbeefu, 0x1UL, "a", "b", 'z');
    printf("prec [%.3d] [%.2s] [%+d] [%#x] [%%] p=%p\n", 7, "abcdef", 5, 255u, (void *)0x40200000);
    rt_set_console(RT_CON_SEMIHOST);
    printf("hello from armlab guest (semihosting WRITE0)\n");
    rt_putc('W');
    rt_putc('C');
    rt_putc('\n');
    rt_set_console(RT_CON_UART);
    printf("back on uart\n");
    return 0;
}
