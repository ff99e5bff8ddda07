// The PL031 real-time clock at 0x0901_0000 (QEMU virt): PrimeCell IDs, a running
// counter that follows the host clock (after 2023-01-01), RTCLR loading the counter.
#include "common.h"

#define RTC 0x09010000UL
static inline uint32_t rd32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void wr32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

int main(void) {
    printf("PeriphID %02x %02x %02x %02x PCellID %02x %02x %02x %02x\n", rd32(RTC + 0xfe0), rd32(RTC + 0xfe4), rd32(RTC + 0xfe8),
           rd32(RTC + 0xfec), rd32(RTC + 0xff0), rd32(RTC + 0xff4), rd32(RTC + 0xff8), rd32(RTC + 0xffc));
    uint32_t t = rd32(RTC + 0x000);
    printf("counter after 2023-01-01: %s\n", t > 1672531200u ? "yes" : "no");
    wr32(RTC + 0x008, 1000); /* RTCLR */
    uint32_t u = rd32(RTC + 0x000);
    printf("after loading 1000: %s\n", u >= 1000 && u <= 1002 ? "1000..1002" : "other");
    return 0;
}
