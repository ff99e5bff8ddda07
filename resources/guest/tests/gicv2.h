/*
 * The virt board's GICv2 (QEMU -M virt,gic-version=2) for the guest programs that drive it
 * (gicv2_irq, smp_ipi_v2): distributor and CPU-interface frames and their register
 * offsets (Arm IHI 0048B). The MMIO accessors come from gic.h; the GICD is at the same
 * address as the GICv3's. There are no ICC_* system registers with a GICv2.
 */
#ifndef ARMLAB_GICV2_H
#define ARMLAB_GICV2_H
#include "gic.h"

#define GICC 0x08010000UL

/* Distributor */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IIDR 0x008
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_CPENDSGIR 0xf10
#define GICD_SPENDSGIR 0xf20
#define GICD_PIDR2 0xfe8

/* GICD_SGIR.TargetListFilter */
#define SGIR_LIST(mask) ((uint32_t)(mask) << 16)
#define SGIR_OTHERS (1u << 24)
#define SGIR_SELF (2u << 24)

/* CPU interface */
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_BPR 0x008
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010
#define GICC_RPR 0x014
#define GICC_HPPIR 0x018
#define GICC_ABPR 0x01c
#define GICC_APR0 0x0d0
#define GICC_NSAPR0 0x0e0
#define GICC_IIDR 0x0fc
#define GICC_DIR 0x1000

/* GICC_CTLR bits (no Security Extensions) */
#define CTLR_GRP0 (1u << 0)
#define CTLR_GRP1 (1u << 1)
#define CTLR_ACKCTL (1u << 2)
#define CTLR_FIQEN (1u << 3)
#define CTLR_CBPR (1u << 4)
#define CTLR_EOIMODE (1u << 9)

static inline uint32_t gicd(uint32_t off) { return rd32(GICD + off); }
static inline void gicd_w(uint32_t off, uint32_t v) { wr32(GICD + off, v); }
static inline uint32_t gicc(uint32_t off) { return rd32(GICC + off); }
static inline void gicc_w(uint32_t off, uint32_t v) { wr32(GICC + off, v); }

#endif
