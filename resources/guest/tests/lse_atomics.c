// LSE atomics (ARMv8.1): CAS/CASA/CASL/CASAL in B/H/W/X (success and failure),
// CASP/CASPAL (W and X pairs), LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/LDUMAX/
// LDUMIN and SWP in all sizes with acquire/release variants, ST<op> aliases.
//! cflags: -march=armv8.1-a
#include "common.h"

static uint64_t mem[4] __attribute__((aligned(16)));
static const uint64_t init = 0x8081828384858687ULL;

#define AMO(insn, sz, operand)                                                                   \
    ({                                                                                           \
        uint64_t _old = 0x5a5a5a5a5a5a5a5aULL;                                                   \
        mem[0] = init;                                                                           \
        __asm__ volatile(insn " %" sz "1, %" sz "0, [%2]" : "+r"(_old) : "r"((uint64_t)(operand)), "r"(mem) : "memory"); \
        printf("%-8s op=%016lx old=%016lx mem=%016lx\n", insn, (uint64_t)(operand), _old, mem[0]);      \
        h = mix64(mix64(h, _old), mem[0]);                                                       \
    })

#define CAS(insn, sz, cmp, newv)                                                                 \
    ({                                                                                           \
        uint64_t _c = (cmp);                                                                     \
        mem[0] = init;                                                                           \
        __asm__ volatile(insn " %" sz "0, %" sz "1, [%2]" : "+r"(_c) : "r"((uint64_t)(newv)), "r"(mem) : "memory"); \
        printf("%-8s cmp=%016lx -> rs=%016lx mem=%016lx\n", insn, (uint64_t)(cmp), _c, mem[0]); \
    })

int main(void) {
    uint64_t h = MIX_INIT;
    static const uint64_t ops[] = {0x0000000000000001ULL, 0x7f7f7f7f7f7f7f7fULL, 0xfffffffffffffffeULL,
                                   0x8000000080008000ULL};
    for (unsigned i = 0; i < ARRAY_SIZE(ops); i++) {
        uint64_t o = ops[i];
        AMO("ldaddb", "w", o);
        AMO("ldaddah", "w", o);
        AMO("ldaddl", "w", o);
        AMO("ldaddal", "", o);
        AMO("ldclrb", "w", o);
        AMO("ldclrlh", "w", o);
        AMO("ldclra", "w", o);
        AMO("ldclr", "", o);
        AMO("ldeorab", "w", o);
        AMO("ldeorh", "w", o);
        AMO("ldeor", "w", o);
        AMO("ldeoral", "", o);
        AMO("ldsetb", "w", o);
        AMO("ldseth", "w", o);
        AMO("ldsetal", "w", o);
        AMO("ldset", "", o);
        AMO("ldsmaxb", "w", o);
        AMO("ldsmaxh", "w", o);
        AMO("ldsmax", "w", o);
        AMO("ldsmaxa", "", o);
        AMO("ldsminb", "w", o);
        AMO("ldsminh", "w", o);
        AMO("ldsminl", "w", o);
        AMO("ldsmin", "", o);
        AMO("ldumaxb", "w", o);
        AMO("ldumaxh", "w", o);
        AMO("ldumax", "w", o);
        AMO("ldumax", "", o);
        AMO("lduminb", "w", o);
        AMO("lduminh", "w", o);
        AMO("ldumin", "w", o);
        AMO("lduminal", "", o);
        AMO("swpb", "w", o);
        AMO("swpah", "w", o);
        AMO("swpl", "w", o);
        AMO("swpal", "", o);
    }
    printf("amo checksum %016lx\n", h);
    CAS("casb", "w", 0x87, 0x1234);
    CAS("casb", "w", 0x88, 0x1234);
    CAS("casah", "w", 0x8687, 0xfedcba98);
    CAS("caslh", "w", 0x1111868a, 0x5);
    CAS("cas", "w", 0x84858687, 0xcafef00d);
    CAS("casa", "w", 0xffffffff84858687ULL, 0xcafef00d); /* upper bits of Ws ignored */
    CAS("casl", "", init, 0xdeadbeefdeadbeefULL);
    CAS("casal", "", init + 1, 0xdeadbeefdeadbeefULL);
    /* CASP: even/odd register pairs */
    {
        register uint64_t s0 __asm__("x4") = 0x1111111111111111ULL;
        register uint64_t s1 __asm__("x5") = 0x2222222222222222ULL;
        register uint64_t n0 __asm__("x6") = 0xaaaaaaaaaaaaaaaaULL;
        register uint64_t n1 __asm__("x7") = 0xbbbbbbbbbbbbbbbbULL;
        mem[0] = 0x1111111111111111ULL;
        mem[1] = 0x2222222222222222ULL;
        __asm__ volatile("casp x4, x5, x6, x7, [%4]" : "+r"(s0), "+r"(s1), "+r"(n0), "+r"(n1) : "r"(mem) : "memory");
        printf("casp ok: rs=%016lx %016lx mem=%016lx %016lx\n", s0, s1, mem[0], mem[1]);
        s0 = 0x1111111111111111ULL;
        s1 = 0x2222222222222222ULL;
        __asm__ volatile("caspal x4, x5, x6, x7, [%4]" : "+r"(s0), "+r"(s1), "+r"(n0), "+r"(n1) : "r"(mem) : "memory");
        printf("caspal fail: rs=%016lx %016lx mem=%016lx %016lx\n", s0, s1, mem[0], mem[1]);
        s0 = 0xaaaaaaaa;
        s1 = 0xaaaaaaaa;
        n0 = 0x12345678;
        n1 = 0x9abcdef0;
        __asm__ volatile("caspa w4, w5, w6, w7, [%4]" : "+r"(s0), "+r"(s1), "+r"(n0), "+r"(n1) : "r"(mem) : "memory");
        printf("caspa w: rs=%016lx %016lx mem=%016lx %016lx\n", s0, s1, mem[0], mem[1]);
    }
    /* store forms (Rt = ZR) */
    mem[0] = init;
    __asm__ volatile("staddl %0, [%1]\n stclrb %w0, [%1]\n steorh %w0, [%1]\n stset %w0, [%1]\n"
                     "stsmax %0, [%1]\n stumin %0, [%1]"
                     : : "r"(0x0f0f0f0f0f0f0f0fULL), "r"(mem) : "memory");
    printf("st<op>: mem=%016lx\n", mem[0]);
    return 0;
}
