# KVM benchmark guest (x86, 16-bit real mode, loaded at 0x1000): ECX MMIO stores
# to es:0 (the host points ES at a device), then HLT. One MMIO exit per store.
    .code16
    .globl _start
_start:
1:  mov %al, %es:0x00
    dec %ecx
    jnz 1b
    hlt
