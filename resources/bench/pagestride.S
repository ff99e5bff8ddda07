// Page-striding load loop: one load per 4 KiB page over 8 MiB of RAM (2048
// pages), so every load needs a new translation from a TLB that cannot hold
// them all (QEMU's softmmu TLB starts at 256 entries). MMU off for now; the
// same loop with the MMU on comes with the page-table work.
// One iteration = one pass over the 2048 pages = 2048 * 5 + 3 = 10243 instructions.
#include "bench.h"
#define REGION_BASE 0x40400000           // above this image (linked at 0x40200000)
#define REGION_SIZE (8 << 20)
    .text
    .global _start
_start:
    bench_iterations 100
    mov     x3, #4096
    mov     x6, #0
    ldr     x7, =REGION_BASE
    ldr     x4, =(REGION_BASE + REGION_SIZE)
1:  mov     x2, x7                   // pass: 1
2:  ldr     x5, [x2]                 // page: 1
    add     x6, x6, x5               //       2
    add     x2, x2, x3               //       3
    cmp     x2, x4                   //       4
    b.ne    2b                       //       5
    subs    x9, x9, #1               // pass: 2
    b.ne    1b                       //       3
    bench_exit

    .data
    bench_data
