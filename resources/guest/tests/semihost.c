// Arm semihosting calls (HLT #0xF000) beyond the console basics: SYS_OPEN(":tt") for output,
// input and append, SYS_WRITE to handles open, closed and never opened, SYS_CLOSE, SYS_ISTTY,
// SYS_WRITE0, SYS_WRITEC, SYS_CLOCK and SYS_ELAPSED (non-negative, monotonic), SYS_TICKFREQ,
// SYS_HEAPINFO and SYS_EXIT_EXTENDED with a status.
//! status: 7
#include "common.h"

#define SYS_OPEN 0x01
#define SYS_CLOSE 0x02
#define SYS_WRITE 0x05
#define SYS_ISTTY 0x09
#define SYS_CLOCK 0x10
#define SYS_HEAPINFO 0x16
#define SYS_EXIT_EXTENDED 0x20
#define SYS_ELAPSED 0x30
#define SYS_TICKFREQ 0x31

extern char __image_end[];

static int64_t sh(uint64_t op, const void *arg) { return (int64_t)rt_semihost(op, arg); }

static int64_t sh_write(int64_t fd, const char *s) {
    uint64_t blk[3] = {(uint64_t)fd, (uint64_t)s, strlen(s)};
    return sh(SYS_WRITE, blk);
}

int main(void) {
    rt_set_console(RT_CON_SEMIHOST);
    uint64_t open_blk[3] = {(uint64_t)":tt", 4 /* "w" */, 3};
    int64_t out = sh(SYS_OPEN, open_blk);
    printf("SYS_OPEN(:tt, w): %s\n", out >= 0 ? "a handle" : "-1");
    printf("SYS_WRITE to it: %ld\n", sh_write(out, "written with SYS_WRITE\n"));
    printf("output handle %ld\n", out);
    uint64_t in_blk[3] = {(uint64_t)":tt", 0 /* "r" */, 3};
    int64_t in = sh(SYS_OPEN, in_blk);
    printf("SYS_OPEN(:tt, r): handle %ld\n", in);
    // Only the handle opened for output writes; 1 and 2 are not stdout/stderr unless opened so.
    for (int fd = 0; fd < 6; fd++) printf("SYS_WRITE fd %d: %ld bytes not written\n", fd, sh_write(fd, "[fd write]\n"));
    uint64_t tty_blk[1] = {9};
    printf("SYS_ISTTY(9, never opened): %ld\n", sh(SYS_ISTTY, tty_blk));
    uint64_t close_blk[1] = {(uint64_t)out};
    printf("SYS_CLOSE: %ld\n", sh(SYS_CLOSE, close_blk));
    printf("SYS_CLOSE again: %ld\n", sh(SYS_CLOSE, close_blk));
    printf("SYS_WRITE after close: %ld bytes not written\n", sh_write(out, "after close\n"));
    printf("SYS_OPEN(:tt, a): handle %ld (the lowest free one)\n", sh(SYS_OPEN, (uint64_t[3]){(uint64_t)":tt", 8, 3}));
    printf("SYS_OPEN(nosuchfile): %ld\n", sh(SYS_OPEN, (uint64_t[3]){(uint64_t)"/nonexistent/armlab", 0, 19}));

    sh(SEMIHOST_WRITE0, "written with SYS_WRITE0\n");
    for (const char *p = "SYS_WRITEC\n"; *p; p++) sh(SEMIHOST_WRITEC, p);

    int64_t c0 = sh(SYS_CLOCK, 0);
    uint64_t e0[1] = {0}, e1[1] = {0};
    int64_t r0 = sh(SYS_ELAPSED, e0);
    for (volatile int i = 0; i < 200000; i++) {}
    int64_t c1 = sh(SYS_CLOCK, 0);
    int64_t r1 = sh(SYS_ELAPSED, e1);
    printf("SYS_CLOCK: %s %s\n", c0 >= 0 ? "non-negative" : "NEGATIVE", c1 >= c0 ? "monotonic" : "WENT BACK");
    printf("SYS_ELAPSED: returns %ld %ld, %s\n", r0, r1, e1[0] >= e0[0] ? "monotonic" : "WENT BACK");
    printf("SYS_TICKFREQ: %ld\n", sh(SYS_TICKFREQ, 0));

    uint64_t info[4] = {0};
    uint64_t hp[1] = {(uint64_t)info};
    printf("SYS_HEAPINFO: returns %ld\n", sh(SYS_HEAPINFO, hp));
    // Both emulators put the heap after the loaded image, up to the end of RAM (128 MiB).
    printf("heap %lx..%lx stack %lx..%lx; heap base %s the image end\n", info[0], info[1], info[2], info[3],
           info[0] == (uint64_t)__image_end ? "is" : "is NOT");

    uint64_t ex[2] = {0x20026, 7};
    sh(SYS_EXIT_EXTENDED, ex);
    printf("SYS_EXIT_EXTENDED returned\n");
    return 1;
}
