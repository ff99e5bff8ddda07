// ALU loop: a chain of dependent integer operations (each needs the previous
// result), the shape of an interpreter's best case and of QEMU TCG's.
// 8 instructions per iteration.
#include "bench.h"
    .text
    .global _start
_start:
    bench_iterations 10000000
    mov     x1, #1
    mov     x2, #0x1234
    mov     x3, #0x5555
    movk    x3, #0xaaaa, lsl #32
    mov     x4, #7
1:  add     x1, x1, x2               // 1
    eor     x1, x1, x3               // 2
    add     x1, x1, x1, lsl #3       // 3
    sub     x1, x1, x4               // 4
    ror     x1, x1, #13              // 5  (EXTR)
    orr     x1, x1, x4               // 6
    subs    x9, x9, #1               // 7
    b.ne    1b                       // 8
    bench_exit

    .data
    bench_data
