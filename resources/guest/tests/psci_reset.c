// PSCI SYSTEM_RESET (HVC at EL1 on QEMU virt) ends an armlab run with status 0: armlab does not
// emulate the reboot, as QEMU with -no-reboot. The QEMU oracle here runs without -no-reboot
// (test/guest/programs.ts has no option for extra QEMU arguments), so QEMU really reboots: the
// program leaves a marker in RAM outside its image (RAM survives a QEMU system reset) and, on the
// second boot, finds it and exits with status 0 without printing. Both runs print the same and
// end with status 0; a SYSTEM_RESET that returns fails the test.
#include "common.h"

#define PSCI_SYSTEM_RESET 0x84000009
#define MARKER ((volatile uint64_t *)0x47f00000) /* RAM (128 MiB from 0x40000000), past image and heap */
#define MAGIC 0x7265626f6f746564ULL                /* "rebooted" */

int main(void) {
    if (*MARKER == MAGIC) {
        *MARKER = 0;
        return 0; /* QEMU's second boot: the reset happened */
    }
    printf("PSCI_VERSION %lx\n", rt_psci_call(0x84000000, 0, 0, 0));
    printf("PSCI_FEATURES(SYSTEM_RESET) %ld\n", (int64_t)rt_psci_call(0x8400000a, PSCI_SYSTEM_RESET, 0, 0));
    printf("calling SYSTEM_RESET\n");
    *MARKER = MAGIC;
    int64_t r = (int64_t)rt_psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
    *MARKER = 0;
    printf("SYSTEM_RESET returned %ld\n", r);
    return 1;
}
