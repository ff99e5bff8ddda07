# KVM self-test guest (x86, 16-bit real mode, loaded at 0x1000): fills 4 KiB of
# RAM at 0x2000 with the words k * 0x0301 (k = 0 … 2047), then halts. The test
# reads the same bytes in the guest-RAM SharedArrayBuffer from a JS worker.
    .code16
    .globl _start
_start:
    mov $0x2000, %di
    xor %ax, %ax
    mov $2048, %cx
1:  stosw
    add $0x0301, %ax
    loop 1b
    hlt
