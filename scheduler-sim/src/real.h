/*
 * real.h - `scheduler-sim real`: the check against a real scheduler.
 */
#ifndef SCHED_REAL_H
#define SCHED_REAL_H

/* Run the CPU-bound domains of a scenario as busy processes in real
 * cgroups (cpu.shares or cpu.weight from the weight, a CFS quota from the
 * cap), measure their CPU shares and print them beside the simulator's
 * prediction.  argv[0] is "real".  Returns the exit code (0, 1 failure,
 * 2 bad usage or scenario). */
int real__main(int argc, char **argv);

#endif
