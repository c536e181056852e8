/*
 * sweep.h - The standard experiments behind the plots (see sweep.c).
 */
#ifndef SVE_SWEEP_H
#define SVE_SWEEP_H

/* `shadow-vs-ept sweep NAME [--out DIR] [--quick] [--accesses N]`: argv[0]
 * is "sweep".
 * Returns the process exit code (0, 1 failed, 2 bad usage). */
int sweep__main(int argc, char **argv);

#endif
