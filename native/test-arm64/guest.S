// The arm64 lane's KVM guest: a few A64 instructions run by the addon under the
// arm64 kernel's KVM (scripts/kvm-arm64-lane.sh). Loaded at RAM_BASE, entered at
// EL1h with the MMU off (PC, PSTATE and X0 set with ONE_REG); X0 = address of a word
// in a second memory slot at 2^40, which exists only when KVM_CREATE_VM was given
// an IPA size above the default 40 bits (X0 is where a kernel gets its DTB address).
//
//   1. RAM: 16 words PATTERN + i * 0x01010101 at RAM_BASE + 0x1000, and 0x48494748
//      ("HIGH") at [X0]
//   2. MMIO write: STRB of 'K' to the PL011 data register (0x0900_0000) → MMIO exit
//   3. MMIO read: LDR W from the PL011 flag register (0x0900_0018) → MMIO exit; the
//      value JS completes it with is stored at RAM_BASE + 0x1040
//   4. PSCI SYSTEM_OFF (0x8400_0008) through HVC #0 → KVM_EXIT_SYSTEM_EVENT (SHUTDOWN)
//
// Build (the lane does it and checks native/test-arm64/guest-bytes.mjs matches):
//   aarch64-linux-gnu-as -o guest.o guest.S
//   aarch64-linux-gnu-ld -Ttext=0x40000000 -e _start -o guest.elf guest.o
//   aarch64-linux-gnu-objcopy -O binary guest.elf guest.bin
// At an MMIO exit PC is the faulting load/store (mmio_write, mmio_read); at the
// SYSTEM_EVENT exit it is the instruction after the HVC (psci_hvc + 4).
        .text
        .globl _start
_start:
        movz    x2, #0x4000, lsl #16            // x2 = RAM_BASE + 0x1000 (the pattern)
        add     x2, x2, #0x1000
        movz    w3, #0xbeef                     // w3 = PATTERN 0xc0debeef
        movk    w3, #0xc0de, lsl #16
        movz    w4, #0x0101                     // w4 = 0x01010101
        movk    w4, #0x0101, lsl #16
        mov     x5, #16
1:      str     w3, [x2], #4                    // RAM store (post-index: not an MMIO access)
        add     w3, w3, w4
        subs    x5, x5, #1
        b.ne    1b
        movz    w6, #0x4748                     // "HIGH" at the slot above 2^40
        movk    w6, #0x4849, lsl #16
        str     w6, [x0]

        movz    x7, #0x0900, lsl #16            // PL011 at 0x0900_0000
        mov     w8, #'K'
        .globl  mmio_write, mmio_read, psci_hvc
mmio_write:
        strb    w8, [x7]                        // MMIO write exit: UARTDR
mmio_read:
        ldr     w9, [x7, #0x18]                 // MMIO read exit: UARTFR
        str     w9, [x2]                        // x2 = RAM_BASE + 0x1040 after the loop

        movz    w0, #0x0008                     // PSCI SYSTEM_OFF
        movk    w0, #0x8400, lsl #16
psci_hvc:
        hvc     #0
        b       .                               // not reached: KVM exits with SYSTEM_EVENT
