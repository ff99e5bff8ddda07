// "Real C" at -O2: recursion and loops — naive fib(27), memoized fib(90),
// Ackermann(2, n), Tower of Hanoi move count and checksum, the sieve of
// Eratosthenes to 2,000,000 (prime count, sum, last prime), N-queens(9), and
// a Collatz search; uses deep stacks, indirect calls and byte arrays.
#include "common.h"

static uint64_t fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static uint64_t memo[100];
static uint64_t fibm(unsigned n) {
    if (n < 2) return n;
    if (memo[n]) return memo[n];
    return memo[n] = fibm(n - 1) + fibm(n - 2);
}

static uint64_t ack(uint64_t m, uint64_t n) {
    if (!m) return n + 1;
    if (!n) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static uint64_t hanoi_sum;
static uint64_t hanoi(unsigned n, unsigned from, unsigned to, unsigned via) {
    if (!n) return 0;
    uint64_t c = hanoi(n - 1, from, via, to);
    hanoi_sum = hanoi_sum * 7 + from * 3 + to;
    return c + 1 + hanoi(n - 1, via, to, from);
}

static int queens(int n, int row, unsigned cols, unsigned d1, unsigned d2) {
    if (row == n) return 1;
    int count = 0;
    for (unsigned avail = ~(cols | d1 | d2) & ((1u << n) - 1); avail; avail &= avail - 1) {
        unsigned bit = avail & -avail;
        count += queens(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
    }
    return count;
}

#define LIMIT 2000000
static uint8_t composite[LIMIT + 1];

int main(void) {
    printf("fib(27) = %lu\n", fib(27));
    printf("fib(90) = %lu\n", fibm(90));
    printf("ack(2, 300) = %lu ack(3, 5) = %lu\n", ack(2, 300), ack(3, 5));
    uint64_t moves = hanoi(16, 1, 3, 2);
    printf("hanoi(16): %lu moves, checksum %016lx\n", moves, hanoi_sum);
    unsigned long count = 0, sum = 0, last = 0;
    for (unsigned long i = 2; i <= LIMIT; i++) {
        if (composite[i]) continue;
        count++;
        sum += i;
        last = i;
        for (unsigned long j = i * i; j <= LIMIT; j += i) composite[j] = 1;
    }
    printf("primes <= %d: %lu, sum %lu, largest %lu\n", LIMIT, count, sum, last);
    printf("queens(9) = %d\n", queens(9, 0, 0, 0, 0));
    unsigned long best = 0, best_n = 0;
    for (unsigned long n = 1; n < 100000; n++) {
        unsigned long x = n, steps = 0;
        while (x != 1) {
            x = x & 1 ? 3 * x + 1 : x / 2;
            steps++;
        }
        if (steps > best) best = steps, best_n = n;
    }
    printf("longest Collatz below 100000: n=%lu steps=%lu\n", best_n, best);
    return 0;
}
