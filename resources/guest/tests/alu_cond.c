// Conditional select and compare: CSEL/CSINC/CSINV/CSNEG (and CSET/CSETM/
// CINC/CNEG aliases) for all 16 conditions under all 16 NZCV values;
// CCMP/CCMN (register and immediate forms) for true and false conditions.
#include "common.h"

#define COND_LIST(X) X(eq) X(ne) X(cs) X(cc) X(mi) X(pl) X(vs) X(vc) X(hi) X(ls) X(ge) X(lt) X(gt) X(le) X(al) X(nv)

#define DEF_CS(c)                                                                              \
    static uint64_t cs_##c(uint64_t nzcv, uint64_t a, uint64_t b, uint64_t *out) {             \
        uint64_t r0, r1, r2, r3, r4;                                                           \
        __asm__ volatile("msr nzcv, %5\n"                                                      \
                         "csel %0, %6, %7, " #c "\n"                                           \
                         "csinc %1, %6, %7, " #c "\n"                                          \
                         "csinv %w2, %w6, %w7, " #c "\n"                                       \
                         "csneg %3, %6, %7, " #c "\n"                                          \
                         "csneg %w4, %w6, %w7, " #c "\n"                                       \
                         : "=&r"(r0), "=&r"(r1), "=&r"(r2), "=&r"(r3), "=&r"(r4)               \
                         : "r"(nzcv), "r"(a), "r"(b));                                         \
        out[0] = r0, out[1] = r1, out[2] = r2, out[3] = r3, out[4] = r4;                       \
        return 0;                                                                              \
    }
COND_LIST(DEF_CS)

#define DEF_CCMP(c)                                                                            \
    static void ccmp_##c(uint64_t nzcv, uint64_t a, uint64_t b, uint64_t *out) {               \
        uint64_t f0, f1, f2, f3;                                                               \
        __asm__ volatile("msr nzcv, %4\nccmp %5, %6, #0x5, " #c "\nmrs %0, nzcv\n"             \
                         "msr nzcv, %4\nccmn %w5, %w6, #0xa, " #c "\nmrs %1, nzcv\n"           \
                         "msr nzcv, %4\nccmp %5, #31, #0xf, " #c "\nmrs %2, nzcv\n"            \
                         "msr nzcv, %4\nccmn %w5, #1, #0x0, " #c "\nmrs %3, nzcv\n"            \
                         : "=&r"(f0), "=&r"(f1), "=&r"(f2), "=&r"(f3)                          \
                         : "r"(nzcv), "r"(a), "r"(b)                                           \
                         : "cc");                                                              \
        out[0] = f0, out[1] = f1, out[2] = f2, out[3] = f3;                                    \
    }
COND_LIST(DEF_CCMP)

typedef uint64_t (*cs_fn)(uint64_t, uint64_t, uint64_t, uint64_t *);
typedef void (*ccmp_fn)(uint64_t, uint64_t, uint64_t, uint64_t *);
#define CS_ENTRY(c) {#c, cs_##c, ccmp_##c},
static const struct {
    const char *name;
    cs_fn cs;
    ccmp_fn ccmp;
} conds[] = {COND_LIST(CS_ENTRY)};

int main(void) {
    const uint64_t a = 0x8000000000000005ULL, b = 0x00000000fffffff0ULL;
    for (unsigned c = 0; c < ARRAY_SIZE(conds); c++) {
        printf("%s:", conds[c].name);
        for (uint64_t f = 0; f < 16; f++) {
            uint64_t o[5];
            conds[c].cs(f << 28, a, b, o);
            /* one letter per NZCV value: T if CSEL picked a */
            printf("%c", o[0] == a ? 'T' : 'F');
        }
        printf("\n");
    }
    for (unsigned c = 0; c < ARRAY_SIZE(conds); c++) {
        for (uint64_t f = 0; f < 16; f += 5) {
            uint64_t o[5];
            conds[c].cs(f << 28, a, b, o);
            printf("%s nzcv=%s csel=%016lx csinc=%016lx csinv_w=%016lx csneg=%016lx csneg_w=%016lx\n",
                   conds[c].name, nzcv_str(f << 28), o[0], o[1], o[2], o[3], o[4]);
        }
    }
    static const uint64_t pairs[][2] = {
        {5, 5}, {5, 31}, {31, 5}, {0x8000000000000000ULL, 1}, {0xffffffffffffffffULL, 1}, {0x7fffffff, 0x80000001},
    };
    for (unsigned c = 0; c < ARRAY_SIZE(conds); c++) {
        printf("%s ccmp/ccmn:", conds[c].name);
        for (uint64_t f = 0; f < 16; f += 3)
            for (unsigned p = 0; p < ARRAY_SIZE(pairs); p++) {
                uint64_t o[4];
                conds[c].ccmp(f << 28, pairs[p][0], pairs[p][1], o);
                printf(" %x%x%x%x", (unsigned)(o[0] >> 28), (unsigned)(o[1] >> 28), (unsigned)(o[2] >> 28),
                       (unsigned)(o[3] >> 28));
            }
        printf("\n");
    }
    /* aliases */
    uint64_t r[6];
    __asm__ volatile("cmp %6, %7\ncset %0, lt\ncsetm %1, ge\ncinc %2, %6, lo\ncneg %3, %7, hs\ncinv %w4, %w6, ne\n"
                     "cset %w5, vs\n"
                     : "=&r"(r[0]), "=&r"(r[1]), "=&r"(r[2]), "=&r"(r[3]), "=&r"(r[4]), "=&r"(r[5])
                     : "r"(a), "r"(b)
                     : "cc");
    printf("aliases: %lx %lx %lx %lx %lx %lx\n", r[0], r[1], r[2], r[3], r[4], r[5]);
    return 0;
}
