// Startup baseline: parses the command line like the benchmarks, then exits.
// cli/bench.ts subtracts QEMU's wall time for this program from the others'.
#include "bench.h"
    .text
    .global _start
_start:
    bench_iterations 1
    bench_exit

    .data
    bench_data
