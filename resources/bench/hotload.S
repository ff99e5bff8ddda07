// Hot-load loop: loads from a 64-byte buffer that stays in every TLB and
// cache, mixed with the adds that consume them.
// 18 instructions per iteration (8 loads).
#include "bench.h"
    .text
    .global _start
_start:
    bench_iterations 5000000
    adr     x2, buffer
    mov     x6, #0
1:  ldr     x5, [x2]                 // 1
    add     x6, x6, x5               // 2
    ldr     x5, [x2, #8]             // 3
    eor     x6, x6, x5               // 4
    ldr     x5, [x2, #16]            // 5
    add     x6, x6, x5               // 6
    ldr     x5, [x2, #24]            // 7
    eor     x6, x6, x5               // 8
    ldr     x5, [x2, #32]            // 9
    add     x6, x6, x5               // 10
    ldr     x5, [x2, #40]            // 11
    eor     x6, x6, x5               // 12
    ldr     x5, [x2, #48]            // 13
    add     x6, x6, x5               // 14
    ldr     x5, [x2, #56]            // 15
    eor     x6, x6, x5               // 16
    subs    x9, x9, #1               // 17
    b.ne    1b                       // 18
    bench_exit

    .data
    .balign 64
buffer:
    .quad   0x0123456789abcdef, 0x1111111111111111, 0x2222222222222222, 0x3333333333333333
    .quad   0x4444444444444444, 0x5555555555555555, 0x6666666666666666, 0x7777777777777777
    bench_data
