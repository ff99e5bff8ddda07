# KVM benchmark guest (x86, 16-bit real mode, loaded at 0x1000): ECX port writes
# (OUT 0x80), then HLT: one I/O exit each, the shortest KVM_RUN round trip.
    .code16
    .globl _start
_start:
1:  out %al, $0x80
    dec %ecx
    jnz 1b
    hlt
