// A stand-in for a Linux boot log, for the lab's boot progress (core/host/boot-progress.ts reads these
// console milestones from a kernel boot): prints the six milestones in a kernel's order, with some
// work between them so each shows on its own, then the initramfs marker. The lab's e2e test boots it
// as a "kernel" (no network, no Debian guest needed); the diff suite checks it against QEMU like any guest.
#include "rt.h"

static volatile uint64_t sink;

/* A few million instructions: long enough for the lab's console batching to report each step apart. */
static void work(uint64_t n) {
    uint64_t x = 1;
    for (uint64_t i = 0; i < n; i++) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    sink = x;
}

int main(void) {
    static const char *const lines[] = {
        "[    0.000000] Booting Linux on physical CPU 0x0000000000 [armlab lab_boot_log]\n",
        "[    0.100000] smp: Brought up 1 node, 1 CPU\n",
        "[    0.200000] Unpacking initramfs...\n",
        "[    0.300000] Freeing unused kernel memory: 0K\n",
        "[    0.400000] Run /init as init process\n",
        "ARMLAB-MARKER: init reached\n",
    };
    for (unsigned i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        work(3000000);
        rt_puts(lines[i]);
    }
    printf("sink %lx\n", (unsigned long)(sink & 0xff));
    return 0;
}
