// Page-striding load loop with the MMU ON: one load per 4 KiB page over 32 MiB
// (8192 pages), identity-mapped with 4 KiB pages (39-bit VA, 4K granule, start at
// level 1). 8192 translations do not fit a 4096-entry fast TLB nor QEMU's 256-entry
// softmmu TLB, so this is the TLB-miss + refill path; the tables are built by the
// program before the timed loop (a few thousand instructions, ignored).
// One iteration = one pass over the 8192 pages = 8192 * 5 + 3 = 40963 instructions.
#include "bench.h"
#define REGION_BASE 0x40400000           // above this image (linked at 0x40200000)
#define REGION_SIZE (32 << 20)
#define TABLES      0x42800000           // L1, L2, then 16 L3 tables (4 KiB each)
    .text
    .global _start
_start:
    bench_iterations 10
    // L1 (at TABLES): entry 1 (VA 1..2 GiB) -> L2 (TABLES + 0x1000).
    ldr     x10, =TABLES
    add     x11, x10, #0x1000
    orr     x0, x11, #3
    str     x0, [x10, #8]
    // L2: 2 MiB blocks for 0x4000_0000..0x4040_0000 (image, stack), Normal (AttrIndx 0), AF, inner shareable.
    mov     x1, #0x40000000
    ldr     x2, =0x701                   // valid block | SH=11 | AF
    orr     x0, x1, x2
    str     x0, [x11, #0]
    add     x0, x0, #0x200000
    str     x0, [x11, #8]
    // L2 entries 2..17 -> L3 tables at TABLES + 0x2000 + 0x1000 * k, each mapping 512 pages.
    mov     x12, #0                      // k
    ldr     x13, =REGION_BASE            // PA/VA of the page
1:  add     x14, x10, #0x2000
    add     x14, x14, x12, lsl #12       // L3 table k
    orr     x0, x14, #3
    add     x15, x12, #2
    str     x0, [x11, x15, lsl #3]
    mov     x16, #0                      // page within the table
2:  ldr     x2, =0x703                   // valid page | SH=11 | AF
    orr     x0, x13, x2
    str     x0, [x14, x16, lsl #3]
    add     x13, x13, #0x1000
    add     x16, x16, #1
    cmp     x16, #512
    b.ne    2b
    add     x12, x12, #1
    cmp     x12, #16
    b.ne    1b
    // L2 entries 20..: the tables themselves (0x4280_0000..) as a 2 MiB block, so nothing faults on them.
    ldr     x1, =TABLES
    ldr     x2, =0x701
    orr     x0, x1, x2
    str     x0, [x11, #(20 * 8)]
    dsb     ishst
    mov     x0, #0xff                    // MAIR_EL1 Attr0 = Normal write-back
    msr     mair_el1, x0
    ldr     x0, =((25) | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (2 << 32))  // T0SZ 25, WBWA, ISH, 4K, EPD1, IPS 40 bits
    msr     tcr_el1, x0
    msr     ttbr0_el1, x10
    isb
    tlbi    vmalle1
    dsb     nsh
    mrs     x0, sctlr_el1
    orr     x0, x0, #1                   // M
    orr     x0, x0, #(1 << 2)            // C
    orr     x0, x0, #(1 << 12)           // I
    msr     sctlr_el1, x0
    isb
    // The timed loop (as pagestride.S).
    mov     x3, #4096
    mov     x6, #0
    ldr     x7, =REGION_BASE
    ldr     x4, =(REGION_BASE + REGION_SIZE)
3:  mov     x2, x7                   // pass: 1
4:  ldr     x5, [x2]                 // page: 1
    add     x6, x6, x5               //       2
    add     x2, x2, x3               //       3
    cmp     x2, x4                   //       4
    b.ne    4b                       //       5
    subs    x9, x9, #1               // pass: 2
    b.ne    3b                       //       3
    bench_exit

    .data
    bench_data
