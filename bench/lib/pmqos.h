/*
 * pmqos.h - Keep the CPUs out of idle states with an exit latency while
 * measuring: the PM QoS CPU latency request, /dev/cpu_dma_latency.
 *
 * On this project's machines an idle vCPU halts (cpuidle's haltpoll
 * state, with guest halt polling off), and the outer hypervisor takes a
 * few hundred microseconds to wake it.  A child forked onto the idle CPU,
 * or a parent woken there by its child's pipe write, pays that inside the
 * figure being measured, whatever the approach: an idle machine measured
 * slower than a busy one (mini-vmm/README.md, "Where boot time goes").
 * Writing 0 to /dev/cpu_dma_latency and keeping the file open asks cpuidle
 * for states with no exit latency (polling instead of halting) until the
 * file is closed, as cyclictest and tuned's latency-performance profile
 * do.  isobench holds it for a whole run unless --no-pm-qos; every result's
 * meta records the latency in force (meta.h: cpu_latency_us).
 */
#ifndef ISOLAB_PMQOS_H
#define ISOLAB_PMQOS_H

#include <stdint.h>

#include "err.h"

#define PMQOS_DEV "/dev/cpu_dma_latency"

/* Request an idle exit latency of at most max_us microseconds.  Returns
 * the descriptor that holds the request (close it to drop the request),
 * or -1 with e filled (no such device, not root). */
int pmqos__hold(int32_t max_us, struct isolab_err *e);

/* The latency in force now, in microseconds (the smallest request held by
 * any process; 2000000000 when none is), or -1 when it cannot be read. */
int64_t pmqos__current_us(void);

#endif
