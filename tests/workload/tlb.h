/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tlb.h - make accessed-bit monitors see a process's hot pages under TCG.
 *
 * x86 does not flush the TLB when the kernel clears a PTE's accessed bit
 * (page_idle, DAMON, reclaim's reference checks, MGLRU aging); the CPU sets
 * the bit again only when it refills the TLB entry.  QEMU's software TLB
 * grows to far more entries than a hardware TLB (~1.5k), so in the testbed
 * guest a hot set of thousands of pages stays TLB-resident and looks idle
 * forever: a continuously read 4096-page hot set was 0% and 24% detected
 * by DAMON in 60 s, and 97-100% in 2.5-7 s when the reader flushed its own
 * TLB once per pass.  Test programs and cgtier-workload --tlb-flush-ms use
 * this to give the guest a hardware-like TLB reach.  A testbed artefact,
 * so it lives in libworkload.a next to the workload, not in libcgtier.
 */
#ifndef CGTIER_WORKLOAD_TLB_H
#define CGTIER_WORKLOAD_TLB_H

/*
 * Flush the calling process's whole TLB: map and fault in 64 scratch pages,
 * then unmap them (more than x86's 33-page single-page flush ceiling, so
 * the kernel flushes everything).  0 or -errno.
 */
int wl_tlb_flush(void);

#endif /* CGTIER_WORKLOAD_TLB_H */
