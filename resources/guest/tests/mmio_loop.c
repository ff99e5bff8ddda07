// N reads of the PL031's data register (--append N, default 100): on an SMP machine
// each one is a round trip to the io worker; npm run bench:smp times it.
#include "common.h"

int main(void) {
    uint64_t n = rt_arg(100), acc = 0;
    for (uint64_t i = 0; i < n; i++) acc += *(volatile uint32_t *)0x09010000UL;
    printf("reads %lu: %s\n", n, acc != 0 ? "counter running" : "counter zero");
    return 0;
}
