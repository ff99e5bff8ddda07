// Shared pieces of the armlab benchmark guests (bare metal, entered at EL1 with
// the MMU off, as QEMU's `-M virt -kernel` and `armlab run` start an ELF).
//
// Every benchmark reads its iteration count from the semihosting command line
// (SYS_GET_CMDLINE: the last decimal number on it; `armlab run --append N`,
// `qemu-system-aarch64 -append N`), runs a loop whose instruction count per
// iteration is fixed and written next to it, and exits through semihosting
// SYS_EXIT with {ADP_Stopped_ApplicationExit, 0} (as resources/guest/rt does).
// cli/bench.ts knows each loop's instructions per iteration.

#define SYS_GET_CMDLINE 0x15
#define SYS_EXIT        0x18
#define ADP_Stopped_ApplicationExit 0x20026

// x9 := the last number on the semihosting command line, or \default when there is none.
// Clobbers x0-x4. About 10 instructions per command-line byte (run once).
.macro bench_iterations default
    adr     x1, bench_cmdline_block
    mov     w0, #SYS_GET_CMDLINE
    hlt     #0xf000
    mov     x9, #0
    cbnz    x0, 3f                   // call failed: no command line
    adr     x2, bench_cmdline
    ldr     x3, [x1, #8]             // length written back by the host
    add     x3, x2, x3
1:  cmp     x2, x3
    b.hs    3f
    ldrb    w4, [x2], #1
    sub     w4, w4, #'0'
    cmp     w4, #9
    b.ls    2f
    mov     x9, #0                   // not a digit: a later number replaces this one
    b       1b
2:  mov     x0, #10
    madd    x9, x9, x0, x4
    b       1b
3:  cbnz    x9, 4f
    ldr     x9, =\default
4:
.endm

// Semihosting SYS_EXIT with status 0. Does not return.
.macro bench_exit
    adr     x1, bench_exit_block
    mov     w0, #SYS_EXIT
    hlt     #0xf000
5:  b       5b
.endm

// The data the two macros use; place once per program, in .data.
.macro bench_data
    .balign 8
bench_cmdline_block:
    .quad   bench_cmdline, 256
bench_exit_block:
    .quad   ADP_Stopped_ApplicationExit, 0
bench_cmdline:
    .space  256
.endm
