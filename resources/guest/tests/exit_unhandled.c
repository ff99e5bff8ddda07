// The runtime's default for an unhooked exception: it prints ESR/FAR/ELR on
// the UART and exits with status 99. Here: a data abort on a hole in the
// physical memory map (FAR is a constant; ELR is this program's own code).
//! status: 99
#include "common.h"

int main(void) {
    printf("about to read from 0x0b000040\n");
    volatile uint32_t *p = (volatile uint32_t *)0x0b000040;
    uint32_t v = *p;
    printf("not reached %x\n", v);
    return 0;
}
