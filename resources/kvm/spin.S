# KVM self-test guest (x86, 16-bit real mode, loaded at 0x1000): spins forever,
# never leaving the guest on its own. Pause and stop must kick it out of KVM_RUN.
    .code16
    .globl _start
_start:
1:  jmp 1b
