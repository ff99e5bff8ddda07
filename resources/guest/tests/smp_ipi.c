// SMP IPI ping-pong through the GICv3: CPU 0 sends SGI 1 to CPU 1, whose IRQ
// handler acknowledges it and answers with SGI 2 to CPU 0, whose handler sends
// the next ping, ROUNDS times; both CPUs wait in WFI between interrupts (with the
// race-free RT_WFI_WHILE: a plain `while (!done) wfi;` can sleep for ever). With one
// CPU (the QEMU diff suite) it reports that and exits.
#include "gic.h"

#define ROUNDS_DEFAULT 200
static uint32_t ROUNDS = ROUNDS_DEFAULT; /* --append N for benchmarks */

static volatile uint32_t got[2], sent[2], ready1, done;

#ifdef IPI_TIMING /* smp_ipi_lat.c: per-round round-trip times (CNTVCT ticks) for the benchmark */
#define MAX_TIMED 10000
static uint64_t tsend, rtt[MAX_TIMED];
static inline uint64_t ticks(void) {
    uint64_t v;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(v));
    return v;
}
#define PING_SENT() (tsend = ticks())
#define PONG_GOT(n) ((n) <= MAX_TIMED ? (void)(rtt[(n) - 1] = ticks() - tsend) : (void)0)
#else
#define PING_SENT() ((void)0)
#define PONG_GOT(n) ((void)0)
#endif

static unsigned self(void) { return RD(mpidr_el1) & 0xff; }

/* SGI `id` to the CPU with Aff0 = `cpu` (Aff1..3 = 0): target list bit. */
static void sgi(unsigned id, unsigned cpu) {
    WR(SGI1R, ((uint64_t)id << 24) | (1ULL << cpu));
    ISB();
}

static void cpu_if_setup(unsigned cpu) {
    uintptr_t rd = GICR + 0x20000UL * cpu, sgi_base = rd + 0x10000;
    wr32(rd + 0x14, 0); /* WAKER: ProcessorSleep = 0 */
    while (rd32(rd + 0x14) & 4) {
    }
    wr32(sgi_base + 0x80, 0xffffffff); /* SGIs/PPIs in Group 1 */
    for (int i = 0; i < 16; i++) wr8(sgi_base + 0x400 + i, 0x80);
    wr32(sgi_base + 0x100, 0x6); /* enable SGIs 1 and 2 */
    WR(PMR, 0xf0);
    WR(IGRPEN1, 1);
    ISB();
}

static void on_irq(rt_frame *f, int fiq) {
    (void)f;
    (void)fiq;
    unsigned me = self();
    unsigned id = RD(IAR1) & 0xffffff;
    if (id >= 1020) return;
    got[me]++;
    WR(EOIR1, id);
    ISB();
    if (me == 1 && id == 1) {
        sent[1]++;
        sgi(2, 0); /* pong */
    } else if (me == 0 && id == 2) {
        PONG_GOT(got[0]);
        if (got[0] < ROUNDS) {
            sent[0]++;
            PING_SENT();
            sgi(1, 1); /* next ping */
        } else {
            done = 1;
        }
    }
}

static void secondary(uint64_t arg) {
    (void)arg;
    cpu_if_setup(1);
    __atomic_store_n(&ready1, 1, __ATOMIC_RELEASE);
    RT_WFI_WHILE(!__atomic_load_n(&done, __ATOMIC_ACQUIRE));
}

int main(void) {
    ROUNDS = (uint32_t)rt_arg(ROUNDS_DEFAULT);
    int n = rt_cpu_count();
    printf("cpus %d\n", n);
    if (n < 2) {
        printf("ipi ping-pong needs 2 CPUs\n");
        return 0;
    }
    rt_set_irq_handler(on_irq);
    wr32(GICD + 0x0, 2); /* EnableGrp1 (ARE is fixed with security disabled) */
    while (rd32(GICD + 0x0) & (1u << 31)) {
    }
    cpu_if_setup(0);
    rt_cpu_start(1, secondary, 0);
    while (!__atomic_load_n(&ready1, __ATOMIC_ACQUIRE)) {
    }
    sent[0]++;
    PING_SENT();
    sgi(1, 1); /* first ping */
    RT_WFI_WHILE(!done);
    printf("rounds %u: cpu0 received %u sent %u, cpu1 received %u sent %u\n", ROUNDS, got[0], sent[0], got[1], sent[1]);
#ifdef IPI_TIMING
    uint32_t m = ROUNDS < MAX_TIMED ? ROUNDS : MAX_TIMED;
    for (uint32_t i = 1; i < m; i++) /* insertion sort: m is small */
        for (uint32_t j = i; j > 0 && rtt[j - 1] > rtt[j]; j--) {
            uint64_t t = rtt[j];
            rtt[j] = rtt[j - 1];
            rtt[j - 1] = t;
        }
    uint64_t f = RD(cntfrq_el0);
    printf("ipi round trip ns: median %lu p99 %lu max %lu\n", rtt[m / 2] * 1000000000 / f, rtt[m * 99 / 100] * 1000000000 / f, rtt[m - 1] * 1000000000 / f);
#endif
    return got[0] == ROUNDS && got[1] == ROUNDS ? 0 : 1;
}
