// Console input end to end: reads lines from the PL011 (polls UARTFR.RXFE, reads UARTDR), echoes
// each typed character as a terminal would and each line back as "echo: <line>"; a line "quit" ends
// the run with status 0. Without input (the diff suite runs QEMU and armlab with stdin closed) it
// gives up after an idle limit measured on the generic timer's virtual counter, so both emulators
// print the same thing: the limit is the last number of the semihosting command line (armlab
// --append N, the lab's "Arguments"), default 2 seconds, restarted by every received byte.
#include "rt.h"

#define UART_BASE 0x09000000UL
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_RXFE (1u << 4)
#define LINE_MAX 120

static inline uint64_t cntvct(void) {
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

static inline uint64_t cntfrq(void) {
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

/* The next received byte, or -1 when none arrives before `deadline` (a counter value). */
static int uart_getc(uint64_t deadline) {
    volatile uint32_t *fr = (volatile uint32_t *)(UART_BASE + UART_FR);
    volatile uint32_t *dr = (volatile uint32_t *)(UART_BASE + UART_DR);
    while (*fr & UART_FR_RXFE) {
        if (cntvct() >= deadline) return -1;
    }
    return (int)(*dr & 0xff);
}

static int is_quit(const char *s) {
    return s[0] == 'q' && s[1] == 'u' && s[2] == 'i' && s[3] == 't' && s[4] == 0;
}

int main(void) {
    uint64_t idle_s = rt_arg(2);
    uint64_t idle_ticks = idle_s * cntfrq();
    char line[LINE_MAX + 1];
    unsigned len = 0;
    int last = 0;
    rt_puts("uart_echo: type a line, 'quit' ends\n> ");
    for (;;) {
        int c = uart_getc(cntvct() + idle_ticks);
        if (c < 0) {
            printf("\nuart_echo: no input for %lu s; bye\n", (unsigned long)idle_s);
            return 0;
        }
        if (c == '\n' && last == '\r') { /* CR LF: one line end */
            last = c;
            continue;
        }
        last = c;
        if (c == '\r' || c == '\n') {
            line[len] = 0;
            rt_puts("\n");
            if (is_quit(line)) {
                rt_puts("bye\n");
                return 0;
            }
            printf("echo: %s\n> ", line);
            len = 0;
        } else if (c == 0x7f || c == 0x08) { /* DEL / BS: erase the last character */
            if (len > 0) {
                len--;
                rt_puts("\b \b");
            }
        } else if (c >= 0x20 && c < 0x7f && len < LINE_MAX) {
            line[len++] = (char)c;
            rt_putc((char)c);
        }
    }
}
