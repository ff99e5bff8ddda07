// Powering off with PSCI SYSTEM_OFF (HVC at EL1 on QEMU virt): the emulator
// exits with status 0 and nothing after the call runs.
#include "common.h"

int main(void) {
    printf("PSCI_VERSION %lx, calling SYSTEM_OFF\n", rt_psci_call(0x84000000, 0, 0, 0));
    rt_psci_off();
}
