# KVM self-test guest (x86, 16-bit real mode, loaded at 0x1000): writes a string
# to a PL011 UART through MMIO. ES's base is set to the UART's base by the host
# (a hidden segment base above 1 MiB, as KVM allows), so es:0x00 is UARTDR and
# es:0x18 is UARTFR. Each byte waits for TXFF (FR bit 5) to clear: an MMIO read
# completed by the device model. The last FR value goes to RAM at 0x3000; then HLT.
    .code16
    .globl _start
_start:
    mov $msg, %si
next:
    lodsb
    test %al, %al
    jz done
busy:
    mov %es:0x18, %bl
    test $0x20, %bl
    jnz busy
    mov %al, %es:0x00
    jmp next
done:
    mov %es:0x18, %bl
    mov %bl, 0x3000
    hlt
msg:
    .asciz "Hello from a KVM guest through the PL011 model\n"
