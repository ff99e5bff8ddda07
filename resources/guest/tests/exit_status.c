// Exit paths: main returns a distinctive status (semihosting SYS_EXIT with
// ADP_Stopped_ApplicationExit and subcode 42); output mixes the PL011 and
// semihosting SYS_WRITEC/SYS_WRITE0 consoles, which must interleave in order.
//! status: 42
#include "common.h"

int main(void) {
    for (int i = 0; i < 3; i++) {
        rt_set_console(i & 1 ? RT_CON_SEMIHOST : RT_CON_UART);
        printf("line %d via %s\n", i, i & 1 ? "semihosting" : "uart");
    }
    rt_set_console(RT_CON_SEMIHOST);
    for (const char *p = "writec\n"; *p; p++) rt_putc(*p);
    rt_set_console(RT_CON_UART);
    printf("exiting with 42\n");
    return 42;
}
