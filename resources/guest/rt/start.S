// armlab bare-metal guest runtime: entry, EL drop, vectors, EL0 helper.

#define FRAME_SIZE 288   // sizeof(rt_frame): x0-x30, sp_el0, elr, spsr, esr, far

#define SPSR_EL1H_MASKED 0x3c5   // DAIF masked, M = EL1h

    .section .text.boot, "ax"
    .global _start
_start:
    mrs     x19, CurrentEL
    ubfx    x19, x19, #2, #2
    cmp     x19, #3
    ldr     x0, =__stack_el3_top
    ldr     x1, =__stack_el2_top
    csel    x0, x0, x1, eq           // each EL has its own stack
    mov     sp, x0
    cmp     x19, #3
    b.eq    from_el3
    cmp     x19, #2
    b.eq    from_el2
    b       at_el1

from_el3:
    msr     cptr_el3, xzr            // TFP=0 (and don't trap SVE/SME state as far as EL3 goes)
    ldr     x0, =rt_vectors_el3
    msr     vbar_el3, x0
    // SCR_EL3: NS=1, RES1 bits 4/5, RW=1 (lower ELs AArch64), HCE if EL2 exists
    mov     x0, #((1 << 0) | (1 << 4) | (1 << 5) | (1 << 10))
    mrs     x1, id_aa64pfr0_el1
    ubfx    x1, x1, #8, #4           // EL2 field
    cbz     x1, 1f
    orr     x0, x0, #(1 << 8)        // HCE
    msr     scr_el3, x0
    isb
    bl      el2_setup
    b       2f
1:  msr     scr_el3, x0
2:  isb
    mov     x0, #SPSR_EL1H_MASKED
    msr     spsr_el3, x0
    adr     x0, at_el1
    msr     elr_el3, x0
    eret

from_el2:
    bl      el2_setup
    mov     x0, #SPSR_EL1H_MASKED
    msr     spsr_el2, x0
    adr     x0, at_el1
    msr     elr_el2, x0
    eret

// Configure EL2 so that EL1 runs AArch64 without traps. Callable at EL2 or EL3.
el2_setup:
    ldr     x0, =__stack_el2_top
    cmp     x19, #3
    b.ne    1f
    msr     sp_el2, x0               // from EL3: EL2's stack for its vectors
1:
    mov     x0, #(1 << 31)           // HCR_EL2.RW
    msr     hcr_el2, x0
    mov     x0, #0x33ff              // CPTR_EL2 RES1 bits, TFP=0
    msr     cptr_el2, x0
    mov     x0, #3                   // CNTHCTL_EL2: EL1PCTEN | EL1PCEN
    msr     cnthctl_el2, x0
    msr     cntvoff_el2, xzr
    msr     vttbr_el2, xzr
    msr     hstr_el2, xzr
    ldr     x0, =rt_vectors_el2
    msr     vbar_el2, x0
    isb
    ret

at_el1:
    ldr     x0, =__stack_top
    mov     sp, x0
    mov     x0, #(3 << 20)           // CPACR_EL1.FPEN = 0b11
    msr     cpacr_el1, x0
    ldr     x0, =rt_vectors_el1
    msr     vbar_el1, x0
    isb
    // zero .bss and .el0bss (MMU still off: aligned 8-byte stores only)
    ldr     x0, =__bss_start
    ldr     x1, =__bss_end
1:  cmp     x0, x1
    b.hs    2f
    str     xzr, [x0], #8
    b       1b
2:  ldr     x0, =__el0_bss_start
    ldr     x1, =__el0_bss_end
3:  cmp     x0, x1
    b.hs    4f
    str     xzr, [x0], #8
    b       3b
4:  ldr     x0, =rt_entry_el_value
    str     w19, [x0]
    msr     daifclr, #4              // unmask SError (A); IRQ/FIQ stay masked
    bl      rt_mmu_init
    bl      main
    bl      rt_exit
    b       .
    .ltorg

// ---------------------------------------------------------------- vectors
// Each entry saves x0/x1, puts the vector index in x1 and jumps to the
// common save path of its EL.

.macro VENTRY idx, common
    .balign 0x80
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x1, #\idx
    b       \common
.endm

.macro VTABLE name, common
    .balign 0x800
    .global \name
\name:
    VENTRY 0, \common
    VENTRY 1, \common
    VENTRY 2, \common
    VENTRY 3, \common
    VENTRY 4, \common
    VENTRY 5, \common
    VENTRY 6, \common
    VENTRY 7, \common
    VENTRY 8, \common
    VENTRY 9, \common
    VENTRY 10, \common
    VENTRY 11, \common
    VENTRY 12, \common
    VENTRY 13, \common
    VENTRY 14, \common
    VENTRY 15, \common
.endm

.macro VCOMMON name, el, handler
\name:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x2, sp_el0
    stp     x30, x2, [sp, #240]
    mrs     x2, elr_el\el
    mrs     x3, spsr_el\el
    stp     x2, x3, [sp, #256]
    mrs     x2, esr_el\el
    mrs     x3, far_el\el
    stp     x2, x3, [sp, #272]
    mov     x0, sp
    mov     x2, #\el
    bl      \handler
    ldp     x2, x3, [sp, #256]
    msr     elr_el\el, x2
    msr     spsr_el\el, x3
    ldp     x30, x2, [sp, #240]
    msr     sp_el0, x2
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    add     sp, sp, #FRAME_SIZE
    eret
.endm

    .text
    VTABLE rt_vectors_el1, vcommon_el1
    VTABLE rt_vectors_el2, vcommon_el2
    VTABLE rt_vectors_el3, vcommon_el3
    .balign 8
    VCOMMON vcommon_el1, 1, rt_exception_el1
    VCOMMON vcommon_el2, 2, rt_exception_high
    VCOMMON vcommon_el3, 3, rt_exception_high

// ---------------------------------------------------------------- EL0
// uint64_t rt_run_el0_asm(uint64_t (*fn)(uint64_t), uint64_t arg, void *sp0, uint64_t spsr)
    .global rt_run_el0_asm
rt_run_el0_asm:
    ldr     x9, =rt_el0_ctx
    stp     x19, x20, [x9, #0]
    stp     x21, x22, [x9, #16]
    stp     x23, x24, [x9, #32]
    stp     x25, x26, [x9, #48]
    stp     x27, x28, [x9, #64]
    stp     x29, x30, [x9, #80]
    mov     x10, sp
    mrs     x11, daif
    stp     x10, x11, [x9, #96]
    msr     elr_el1, x0
    and     x3, x3, #0xf0000000      // caller's NZCV; EL0t, DAIF clear
    msr     spsr_el1, x3
    msr     sp_el0, x2
    mov     x0, x1
    ldr     x30, =rt_el0_return
    // don't leak EL1 values into EL0's view of the callee's scratch registers
    mov     x1, xzr
    mov     x2, xzr
    mov     x3, xzr
    mov     x9, xzr
    mov     x10, xzr
    mov     x11, xzr
    eret

// void rt_el0_exit(uint64_t ret): called from EL1 exception context;
// resumes after the rt_run_el0_asm call with x0 = ret.
    .global rt_el0_exit
rt_el0_exit:
    ldr     x9, =rt_el0_ctx
    ldp     x19, x20, [x9, #0]
    ldp     x21, x22, [x9, #16]
    ldp     x23, x24, [x9, #32]
    ldp     x25, x26, [x9, #48]
    ldp     x27, x28, [x9, #64]
    ldp     x29, x30, [x9, #80]
    ldp     x10, x11, [x9, #96]
    mov     sp, x10
    msr     daif, x11
    ret
    .ltorg

    .section .el0text, "ax"
    .global rt_el0_return
rt_el0_return:
    svc     #0xffff
    b       .

    .bss
    .balign 16
rt_el0_ctx:
    .skip   112
