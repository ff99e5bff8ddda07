// SMP IPI ping-pong (smp_ipi.c) with per-round round-trip times from CNTVCT_EL0: prints the
// median, 99th percentile and maximum (timing: for npm run bench:smp, not compared). With one
// CPU (the QEMU diff suite) it reports that and exits, as smp_ipi.
#define IPI_TIMING 1
#include "smp_ipi.c"
