/*
 * The virt board's GICv3 for the guest programs that drive it (irq_gic, irq_timer, smp_ipi):
 * distributor and redistributor addresses (QEMU -M virt,gic-version=3), MMIO accessors, and the
 * ICC_* system registers by encoding (so the assembler needs no GIC support).
 */
#ifndef ARMLAB_GIC_H
#define ARMLAB_GIC_H
#include "rt.h"

#define GICD 0x08000000UL
#define GICR 0x080A0000UL
/** Redistributor of CPU 0, SGI/PPI frame. */
#define SGI_BASE (GICR + 0x10000)

static inline uint8_t rd8(uintptr_t a) { return *(volatile uint8_t *)a; }
static inline uint32_t rd32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline uint64_t rd64(uintptr_t a) { return *(volatile uint64_t *)a; }
static inline void wr8(uintptr_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline void wr32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void wr64(uintptr_t a, uint64_t v) { *(volatile uint64_t *)a = v; }

/* Expand the register macros below before READ_SYSREG/WRITE_SYSREG stringize them. */
#define RD(r) READ_SYSREG(r)
#define WR(r, v) WRITE_SYSREG(r, v)

#define PMR S3_0_C4_C6_0
#define IAR0 S3_0_C12_C8_0
#define EOIR0 S3_0_C12_C8_1
#define HPPIR0 S3_0_C12_C8_2
#define BPR0 S3_0_C12_C8_3
#define AP0R0 S3_0_C12_C8_4
#define AP1R0 S3_0_C12_C9_0
#define DIR S3_0_C12_C11_1
#define RPR S3_0_C12_C11_3
#define SGI1R S3_0_C12_C11_5
#define SGI0R S3_0_C12_C11_7
#define IAR1 S3_0_C12_C12_0
#define EOIR1 S3_0_C12_C12_1
#define HPPIR1 S3_0_C12_C12_2
#define BPR1 S3_0_C12_C12_3
#define CTLR S3_0_C12_C12_4
#define SRE S3_0_C12_C12_5
#define IGRPEN0 S3_0_C12_C12_6
#define IGRPEN1 S3_0_C12_C12_7

#endif
