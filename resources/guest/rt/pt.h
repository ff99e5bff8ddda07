/*
 * A small VMSAv8-64 translation-table builder for guest MMU tests
 * (Arm ARM D8.3 descriptor formats), plus EL1 MMU switching, AT/PAR and
 * fault-probing helpers.
 *
 * Tables live at physical addresses the caller chooses (an "arena"); the
 * builder writes them through pointers equal to their PA, so the arena must
 * be identity-mapped (or the MMU off) while tables are built. Every access
 * to a table is an aligned 64-bit store, so building with the MMU off
 * (Device memory) is fine.
 *
 * Output-address formats:
 *   PT_FMT48  OA[47:g] in descriptor[47:g]
 *   PT_LPA    FEAT_LPA, 64K granule with PS=52: OA[51:48] in descriptor[15:12],
 *             BADDR[51:48] in TTBR[5:2]
 *   PT_DS     FEAT_LPA2, TCR.DS=1 (4K/16K): OA[49:g] in place, OA[51:50] in
 *             descriptor[9:8] (so descriptors carry no SH field: TCR.SH applies),
 *             BADDR[51:48] in TTBR[5:2]
 */
#ifndef ARMLAB_PT_H
#define ARMLAB_PT_H
#include "rt.h"

enum { PT_FMT48 = 0, PT_LPA = 1, PT_DS = 2 };

/* Descriptor bits (stage 1 unless named S2). */
#define PT_VALID (1ULL << 0)
#define PT_TABLE (3ULL)
#define PT_ATTR(i) ((uint64_t)(i) << 2)
#define PT_NS (1ULL << 5)
#define PT_AP_EL0 (1ULL << 6)  /* AP[1] */
#define PT_AP_RO (1ULL << 7)   /* AP[2] */
#define PT_SH_IS (3ULL << 8)   /* not with PT_DS: pt_map drops it */
#define PT_AF (1ULL << 10)
#define PT_NG (1ULL << 11)
#define PT_DBM (1ULL << 51)
#define PT_CONT (1ULL << 52)
#define PT_PXN (1ULL << 53)
#define PT_UXN (1ULL << 54)
#define PT_PXNTABLE (1ULL << 59)
#define PT_UXNTABLE (1ULL << 60)
#define PT_APTABLE(x) ((uint64_t)(x) << 61)
#define PT_S2_MEMATTR(x) ((uint64_t)(x) << 2)
#define PT_S2AP(x) ((uint64_t)(x) << 6)
#define PT_S2_XN (1ULL << 54)

/* MAIR_EL1 used by pt_el1_switch's callers: attr0 Device-nGnRnE, attr1 Normal WB,
 * attr2 Normal NC, attr3 Device-nGnRE. */
#define PT_MAIR 0x0444ff00ULL
#define PT_DEV 0
#define PT_NORM 1
#define PT_NC 2
#define PT_DEV_GNRE 3

typedef struct pt {
    unsigned grain;   /* log2 granule: 12, 14, 16 */
    unsigned ia_bits; /* input address size */
    unsigned fmt;     /* PT_FMT48 / PT_LPA / PT_DS */
    int start;        /* start level (-1..3) */
    unsigned concat;  /* concatenated start tables (stage 2), 1 otherwise */
    uint64_t root;    /* PA of the start table */
    uint64_t next, end; /* arena */
    uint64_t tattr;   /* ORed into table descriptors pt_slot creates */
} pt_t;

/* AArch64.S1StartLevel: 4 - ceil((ia_bits - grain) / (grain - 3)). */
int pt_start_level(unsigned grain, unsigned ia_bits);
/* log2 of the region one descriptor at `level` maps. */
unsigned pt_shift(unsigned grain, int level);
/* AArch64.BlockDescSupported for a CPU with PAMax = 52 (QEMU and armlab max). */
int pt_block_ok(unsigned grain, int level, unsigned fmt);

void pt_init(pt_t *t, unsigned grain, unsigned ia_bits, unsigned fmt, uint64_t arena, uint64_t size);
/* Stage 2 (or any walk) starting at `start`, with 2^n concatenated start tables as needed. */
void pt_init_at(pt_t *t, unsigned grain, unsigned ia_bits, unsigned fmt, int start, uint64_t arena, uint64_t size);
uint64_t pt_alloc(pt_t *t, uint64_t bytes); /* zeroed, aligned to max(granule, bytes) */

uint64_t pt_oa(unsigned fmt, uint64_t pa);                            /* OA field of a descriptor */
uint64_t pt_desc_addr(unsigned fmt, unsigned grain, uint64_t desc);    /* its inverse */
uint64_t pt_ttbr(const pt_t *t, uint64_t asid);

/* The descriptor for `ia` at `level`, creating next-level tables on the way;
 * 0 when a block or invalid/foreign descriptor is in the way. */
volatile uint64_t *pt_slot(pt_t *t, uint64_t ia, int level);
/* Map ia -> oa with a leaf at `level` (page at 3, block above); attrs are ORed in. */
volatile uint64_t *pt_map(pt_t *t, uint64_t ia, uint64_t oa, int level, uint64_t attrs);
/* Identity map for the runtime: the UART's 2 MiB (Device) and RAM [0x40000000,
 * +ram) (Normal WB, EL1 only), with level-2 blocks. el0: the runtime's
 * .el0 region EL0 RW+X (PXN), needs 2 MiB blocks (4K granule). */
void pt_identity(pt_t *t, uint64_t ram, int el0);

/* EL1: MMU off, MAIR/TCR/TTBRs, TLBI VMALLE1, MMU on (SCTLR as the runtime set it). */
void pt_el1_switch(uint64_t mair, uint64_t tcr, uint64_t ttbr0, uint64_t ttbr1);
void pt_el1_restore(void); /* back to the runtime's translation */
void pt_mmu_off(void);
void pt_mmu_on(void);
void pt_tlbi_all(void);

enum { PT_S1E1R, PT_S1E1W, PT_S1E0R, PT_S1E0W };
uint64_t pt_at(unsigned op, uint64_t va);
/* PAR_EL1 as text, leaving out what the architecture leaves open (NS for a
 * Non-secure translation, IMPLEMENTATION DEFINED bits, SH for Device and
 * Normal NC memory): " F FST=xx PTW=x S=x" or " PA=... ATTR=xx[ SH=x]". */
void pt_print_par(uint64_t par);
/* "AT <va>: S1E1R ... S1E1W ... S1E0R ... S1E0W ...\n" */
void pt_show_at(const char *label, uint64_t va);

/* Accesses that may fault: a handler records ESR/FAR and skips (or returns
 * from a fetch). pt_esr/pt_far are 0 when nothing faulted. */
extern volatile uint64_t pt_esr, pt_far;
uint64_t pt_read64(uint64_t va);
void pt_write64(uint64_t va, uint64_t v);
uint64_t pt_read32_at(uint64_t va); /* LDR W (alignment tests) */
/* Branch-and-link to va (an alias of pt_ret_magic): returns 0x600d on success. */
uint64_t pt_exec(uint64_t va);
extern char pt_ret_magic[]; /* "mov x0, #0x600d; ret" */
/* " ok" or " ESR=xxxxxxxx FAR=xxxx" for the last probe. */
void pt_print_fault(void);

#endif
