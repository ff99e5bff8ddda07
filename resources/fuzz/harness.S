// armlab differential fuzzer: the guest harness (one ELF, built once; the
// fuzzer patches the slot code, the initial states and the memory image into
// a copy of it for every run; see core/fuzz/layout.ts for the byte layouts).
//
// Runs at EL1 with the MMU off and SCTLR_EL1.A = 1: every misaligned data
// access takes an alignment fault; SP alignment is not checked (SA = 0).
//
// For each slot in [config.start, config.end):
//   1. load V0-V31, FPCR, FPSR, SP, X0-X30 from the slot's initial state and
//      enter the slot's code with ERET (SPSR = NZCV | EL1h, DAIF masked), so
//      no general register is needed to reach it;
//   2. the slot ends in `b slot_return`, or an exception ends it early (the
//      vector table records ESR/FAR/ELR/SPSR and the vector offset);
//   3. the state is stored as an output record (regs, NZCV, FPCR, FPSR, V regs),
//      then every 8-byte word of the data buffer that differs from the memory
//      image is appended to the record (offset, value) and restored, and the
//      header word is repeated as a trailer;
//   4. records collect in a buffer written to stdout with semihosting
//      SYS_WRITE when it fills (or after every slot when config.flags bit 0 is
//      set, so a crashing emulator still reports all slots before the crash).
// Exit status 0 after the last slot; 99 if the harness itself faults.

#define MAXK         15          // instruction words per slot (+1 tail branch)
#define SLOT_BYTES   64
#define NSLOTS       4096        // slots per ELF (the fuzzer runs batches)
#define STATE_SIZE   800         // initial state per slot (layout.ts)
#define DATA_SIZE    16384       // data buffer, compared and restored after each slot
#define OUTBUF_SIZE  0x20000
#define REC_V        336         // offset of V0 in an output record
#define REC_MEM      848         // offset of the memory entries
#define REC_MAGIC    0x5a465a46  // "FZFZ"

#define SYS_OPEN     0x01
#define SYS_WRITE    0x05
#define SYS_EXIT     0x18

    .section .text.boot, "ax"
    .global _start
_start:
    mrs     x0, CurrentEL
    cmp     x0, #(1 << 2)
    b.ne    bad_el
    ldr     x0, =stack_top
    mov     sp, x0
    ldr     x0, =vectors
    msr     vbar_el1, x0
    mov     x0, #(3 << 20)           // CPACR_EL1.FPEN = 0b11: no SIMD&FP traps
    msr     cpacr_el1, x0
    // SCTLR_EL1: RES1 bits (29,28,23,22,20,11), I (12), A (1); M = 0, SA = SA0 = 0.
    // A = 1: every misaligned access faults in both emulators (QEMU 7.2 does not
    // fault misaligned Device accesses with the MMU off, as the architecture says).
    // SA = 0: QEMU 7.2 does not implement SP alignment checking at all.
    ldr     x0, =0x30d01802
    msr     sctlr_el1, x0
    isb
    // the data buffer starts as the memory image
    ldr     x0, =fuzz_data
    ldr     x1, =fuzz_image
    mov     x2, #(DATA_SIZE / 16)
1:  ldp     x3, x4, [x1], #16
    stp     x3, x4, [x0], #16
    subs    x2, x2, #1
    b.ne    1b
    // stdout for SYS_WRITE: SYS_OPEN(":tt", "w")
    ldr     x1, =sh_block
    ldr     x0, =tt_name
    mov     x2, #4                   // mode "w"
    mov     x3, #3                   // strlen(":tt")
    stp     x0, x2, [x1]
    str     x3, [x1, #16]
    mov     x0, #SYS_OPEN
    hlt     #0xf000
    ldr     x1, =out_handle
    str     x0, [x1]
    ldr     x0, =fuzz_config
    ldr     x1, [x0]                 // start slot
    ldr     x2, =cur_slot
    str     x1, [x2]
    ldr     x0, =outptr
    ldr     x1, =outbuf
    str     x1, [x0]
    b       next_slot

bad_el:
    ldr     x1, =msg_bad_el
    mov     x0, #4                   // SYS_WRITE0
    hlt     #0xf000
    mov     x0, #98
    b       exit

// ---------------------------------------------------------------- slot entry
next_slot:
    ldr     x0, =cur_slot
    ldr     x20, [x0]
    ldr     x0, =fuzz_config
    ldr     x1, [x0, #8]             // end slot
    cmp     x20, x1
    b.hs    done
    ldr     x1, =fuzz_code
    add     x1, x1, x20, lsl #6      // SLOT_BYTES = 64
    msr     elr_el1, x1
    ldr     x30, =fuzz_init
    mov     x1, #STATE_SIZE
    madd    x30, x20, x1, x30
    ldr     x0, [x30, #256]          // NZCV in bits 31:28
    mov     x1, #0x3c5               // EL1h, DAIF masked
    orr     x0, x0, x1
    msr     spsr_el1, x0
    ldr     x0, [x30, #264]
    msr     fpcr, x0
    ldr     x0, [x30, #272]
    msr     fpsr, x0
    add     x0, x30, #288
    ldp     q0, q1, [x0], #32
    ldp     q2, q3, [x0], #32
    ldp     q4, q5, [x0], #32
    ldp     q6, q7, [x0], #32
    ldp     q8, q9, [x0], #32
    ldp     q10, q11, [x0], #32
    ldp     q12, q13, [x0], #32
    ldp     q14, q15, [x0], #32
    ldp     q16, q17, [x0], #32
    ldp     q18, q19, [x0], #32
    ldp     q20, q21, [x0], #32
    ldp     q22, q23, [x0], #32
    ldp     q24, q25, [x0], #32
    ldp     q26, q27, [x0], #32
    ldp     q28, q29, [x0], #32
    ldp     q30, q31, [x0], #32
    ldr     x0, [x30, #248]
    mov     sp, x0
    clrex
    ldp     x0, x1, [x30, #0]
    ldp     x2, x3, [x30, #16]
    ldp     x4, x5, [x30, #32]
    ldp     x6, x7, [x30, #48]
    ldp     x8, x9, [x30, #64]
    ldp     x10, x11, [x30, #80]
    ldp     x12, x13, [x30, #96]
    ldp     x14, x15, [x30, #112]
    ldp     x16, x17, [x30, #128]
    ldp     x18, x19, [x30, #144]
    ldp     x20, x21, [x30, #160]
    ldp     x22, x23, [x30, #176]
    ldp     x24, x25, [x30, #192]
    ldp     x26, x27, [x30, #208]
    ldp     x28, x29, [x30, #224]
    ldr     x30, [x30, #240]
    eret

// ---------------------------------------------------------------- slot exit
// Entered with every register as the slot left it; TPIDR_EL1 holds X30.
.macro SAVE_GPRS
    ldr     x30, =outptr
    ldr     x30, [x30]
    stp     x0, x1, [x30, #8]
    stp     x2, x3, [x30, #24]
    stp     x4, x5, [x30, #40]
    stp     x6, x7, [x30, #56]
    stp     x8, x9, [x30, #72]
    stp     x10, x11, [x30, #88]
    stp     x12, x13, [x30, #104]
    stp     x14, x15, [x30, #120]
    stp     x16, x17, [x30, #136]
    stp     x18, x19, [x30, #152]
    stp     x20, x21, [x30, #168]
    stp     x22, x23, [x30, #184]
    stp     x24, x25, [x30, #200]
    stp     x26, x27, [x30, #216]
    stp     x28, x29, [x30, #232]
    mrs     x0, tpidr_el1
    mov     x1, sp
    stp     x0, x1, [x30, #248]      // X30, SP
    mrs     x0, fpcr
    mrs     x1, fpsr
    stp     x0, x1, [x30, #272]
.endm

    .global slot_return
slot_return:
    msr     tpidr_el1, x30
    SAVE_GPRS
    mrs     x0, nzcv
    str     x0, [x30, #264]
    mov     x0, #-1                  // no exception
    stp     x0, xzr, [x30, #288]     // vector, ESR
    stp     xzr, xzr, [x30, #304]    // FAR, ELR
    str     xzr, [x30, #320]         // SPSR
    b       save_v

// Entered from the vector table: TPIDR_EL1 = X30, TPIDRRO_EL0 = vector offset.
exc_common:
    SAVE_GPRS
    mrs     x0, spsr_el1
    and     x1, x0, #0xf0000000
    str     x1, [x30, #264]
    str     x0, [x30, #320]
    mrs     x0, tpidrro_el0
    mrs     x1, esr_el1
    stp     x0, x1, [x30, #288]
    mrs     x0, far_el1
    mrs     x1, elr_el1
    stp     x0, x1, [x30, #304]
    // an exception outside the slot code is a harness bug: stop
    ldr     x2, =fuzz_code
    sub     x2, x1, x2
    mov     x3, #(NSLOTS * SLOT_BYTES)
    cmp     x2, x3
    b.hs    harness_fault

save_v:
    add     x0, x30, #REC_V
    stp     q0, q1, [x0], #32
    stp     q2, q3, [x0], #32
    stp     q4, q5, [x0], #32
    stp     q6, q7, [x0], #32
    stp     q8, q9, [x0], #32
    stp     q10, q11, [x0], #32
    stp     q12, q13, [x0], #32
    stp     q14, q15, [x0], #32
    stp     q16, q17, [x0], #32
    stp     q18, q19, [x0], #32
    stp     q20, q21, [x0], #32
    stp     q22, q23, [x0], #32
    stp     q24, q25, [x0], #32
    stp     q26, q27, [x0], #32
    stp     q28, q29, [x0], #32
    stp     q30, q31, [x0], #32
    mov     x19, x30                 // record
    ldr     x0, =stack_top
    mov     sp, x0
    ldr     x0, =cur_slot
    ldr     x20, [x0]
    ldr     x1, =REC_MAGIC
    orr     x1, x1, x20, lsl #32
    str     x1, [x19]

    // memory: record and restore every word that differs from the image
    ldr     x0, =fuzz_data
    ldr     x1, =fuzz_image
    add     x3, x19, #REC_MEM
    mov     x4, #0                   // entries
    mov     x5, #0                   // offset
    mov     x6, #DATA_SIZE
2:  ldp     x7, x8, [x0]
    ldp     x9, x10, [x1]
    cmp     x7, x9
    ccmp    x8, x10, #0, eq
    b.ne    4f
3:  add     x0, x0, #16
    add     x1, x1, #16
    add     x5, x5, #16
    cmp     x5, x6
    b.lo    2b
    b       5f
4:  cmp     x7, x9
    b.eq    41f
    stp     x5, x7, [x3], #16
    add     x4, x4, #1
41: cmp     x8, x10
    b.eq    42f
    add     x11, x5, #8
    stp     x11, x8, [x3], #16
    add     x4, x4, #1
42: stp     x9, x10, [x0]
    b       3b
5:  str     x4, [x19, #328]
    ldr     x1, [x19]                // the header again as a trailer: a torn record cannot pass
    stp     x1, x1, [x3], #16        // (twice: records stay 16-byte aligned for the Q stores)

    ldr     x0, =outptr
    str     x3, [x0]
    add     x20, x20, #1
    ldr     x0, =cur_slot
    str     x20, [x0]
    ldr     x0, =fuzz_config
    ldr     x0, [x0, #16]            // flags
    tbnz    x0, #0, 6f
    ldr     x1, =outbuf
    sub     x2, x3, x1
    mov     x4, #(OUTBUF_SIZE - 8192)
    cmp     x2, x4
    b.lo    next_slot
6:  bl      flush
    b       next_slot

done:
    bl      flush
    mov     x0, #0
    b       exit

harness_fault:
    bl      flush                    // records of the slots before this one
    ldr     x1, =msg_harness_fault
    mov     x0, #4                   // SYS_WRITE0
    hlt     #0xf000
    mov     x0, #99
    b       exit

// Write outbuf[0, outptr) to the console and reset outptr. Clobbers x0-x3.
flush:
    ldr     x2, =outptr
    ldr     x3, [x2]
    ldr     x1, =outbuf
    subs    x3, x3, x1
    b.eq    1f
    str     x1, [x2]
    ldr     x0, =sh_block
    ldr     x2, =out_handle
    ldr     x2, [x2]
    stp     x2, x1, [x0]
    str     x3, [x0, #16]
    mov     x1, x0
    mov     x0, #SYS_WRITE
    hlt     #0xf000
1:  ret

// Semihosting SYS_EXIT (AArch64 form) with status x0.
exit:
    ldr     x1, =sh_block
    ldr     x2, =0x20026             // ADP_Stopped_ApplicationExit
    stp     x2, x0, [x1]
    mov     x0, #SYS_EXIT
    hlt     #0xf000
    b       .
    .ltorg

// ---------------------------------------------------------------- vectors
.macro VENTRY idx
    .balign 0x80
    msr     tpidr_el1, x30
    mov     x30, #(\idx * 0x80)
    msr     tpidrro_el0, x30
    b       exc_common
.endm

    .balign 0x800
vectors:
    .irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    VENTRY \i
    .endr

    .section .rodata
msg_bad_el:
    .asciz "fuzz harness: must be entered at EL1\n"
tt_name:
    .asciz ":tt"
msg_harness_fault:
    .asciz "fuzz harness: exception outside the slot code\n"

// ---------------------------------------------------------------- patched by the fuzzer
    .section .fuzz_config, "aw"
    .balign 8
    .global fuzz_config
fuzz_config:
    .quad   0                        // start slot
    .quad   0                        // end slot
    .quad   0                        // flags: bit 0 = flush after every slot
    .quad   NSLOTS                   // capacity (read only)
    .quad   MAXK                     // instruction words per slot (read only)
    .quad   STATE_SIZE               // bytes per initial state (read only)
    .quad   DATA_SIZE                // data buffer bytes (read only)
    .quad   REC_MEM                  // output record header bytes (read only)

    .section .fuzz_code, "ax"
    .balign 4096
    .global fuzz_code
fuzz_code:
    .rept   NSLOTS
    .rept   MAXK
    nop
    .endr
    b       slot_return
    .endr
    .global fuzz_code_end
fuzz_code_end:

    .section .fuzz_init, "a"
    .balign 16
    .global fuzz_init
fuzz_init:
    .skip   NSLOTS * STATE_SIZE

    .section .fuzz_image, "a"
    .balign 16
    .global fuzz_image
fuzz_image:
    .skip   DATA_SIZE

    .bss
    .balign 16
cur_slot:
    .skip   8
outptr:
    .skip   8
out_handle:
    .skip   8
sh_block:
    .skip   32
    .balign 16
outbuf:
    .skip   OUTBUF_SIZE
    .balign 16384
    .global fuzz_data
fuzz_data:
    .skip   DATA_SIZE
    .balign 16
    .skip   4096
stack_top:
