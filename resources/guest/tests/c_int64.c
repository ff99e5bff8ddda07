// "Real C" at -O2: 64-bit multiply/divide heavy code — modular exponentiation
// with 128-bit products (MUL/UMULH, __int128 division via libgcc), Miller-Rabin
// on 64-bit numbers, gcd/lcm, division by constants (gcc's multiply-high
// sequences) and by variables, signed division/modulo identities, splitmix64.
#include "common.h"

typedef unsigned __int128 u128;

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) { return (uint64_t)((u128)a * b % m); }

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m) {
    uint64_t r = 1 % m;
    b %= m;
    while (e) {
        if (e & 1) r = mulmod(r, b, m);
        b = mulmod(b, b, m);
        e >>= 1;
    }
    return r;
}

static int is_prime(uint64_t n) {
    if (n < 2) return 0;
    static const uint64_t small[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    for (unsigned i = 0; i < ARRAY_SIZE(small); i++)
        if (n % small[i] == 0) return n == small[i];
    uint64_t d = n - 1;
    int s = 0;
    while (!(d & 1)) d >>= 1, s++;
    for (unsigned i = 0; i < ARRAY_SIZE(small); i++) {
        uint64_t x = powmod(small[i], d, n);
        if (x == 1 || x == n - 1) continue;
        int comp = 1;
        for (int r = 1; r < s && comp; r++) {
            x = mulmod(x, x, n);
            if (x == n - 1) comp = 0;
        }
        if (comp) return 0;
    }
    return 1;
}

static uint64_t gcd(uint64_t a, uint64_t b) {
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static uint64_t splitmix(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int main(void) {
    printf("2^(2^20) mod 1e9+7 = %lu\n", powmod(2, 1ULL << 20, 1000000007ULL));
    printf("3^(p-1) mod p (p = 2^61-1) = %lu\n", powmod(3, (1ULL << 61) - 2, (1ULL << 61) - 1));
    uint64_t n = 0xffffffffffffffffULL, found = 0;
    printf("largest primes below 2^64:");
    while (found < 3) {
        if (is_prime(n)) {
            printf(" %lu", n);
            found++;
        }
        n -= 2;
    }
    printf("\n");
    unsigned pc = 0;
    for (uint64_t k = 1000000000000ULL; k < 1000000000000ULL + 2000; k++) pc += is_prime(k);
    printf("primes in [1e12, 1e12+2000): %u\n", pc);
    uint64_t s = 1, h = MIX_INIT;
    for (int i = 0; i < 20000; i++) {
        uint64_t a = splitmix(&s), b = splitmix(&s) >> (i % 64);
        if (!b) b = 1;
        int64_t sa = (int64_t)a, sb = (int64_t)(b | 1) * ((i & 1) ? -1 : 1);
        h = mix64(h, a / b);
        h = mix64(h, a % b);
        h = mix64(h, (uint64_t)(sa / sb));
        h = mix64(h, (uint64_t)(sa % sb));
        h = mix64(h, a / 10 + a / 1000000007 + a % 60 + (uint64_t)(sa / 7) + (uint64_t)(sa % 13));
        h = mix64(h, gcd(a, b));
        h = mix64(h, (uint64_t)(((u128)a * b) >> 64));
        h = mix64(h, (uint64_t)((__int128)sa * sb >> 64));
        u128 wide = ((u128)a << 64 | b);
        h = mix64(h, (uint64_t)(wide / (b | 0x100000000ULL)));
        h = mix64(h, (uint64_t)(wide % 1000000000000000003ULL));
        int32_t x = (int32_t)a, y = (int32_t)(b | 1);
        h = mix64(h, (uint64_t)(uint32_t)(x / y) ^ ((uint64_t)(uint32_t)(x % y) << 32));
    }
    printf("mixed div/mul checksum %016lx\n", h);
    printf("gcd(2^40*3^5, 2^35*3^9*7) = %lu\n", gcd((1ULL << 40) * 243, (1ULL << 35) * 19683 * 7));
    printf("INT64_MIN / -1 via libgcc-free C is UB; (INT64_MIN + 1) / -1 = %ld\n",
           (long)((-9223372036854775807LL) / (volatile int64_t){-1}));
    return 0;
}
