/*
 * pid1.h - --init: a tiny PID 1 for the container (see pid1.c).
 */
#ifndef MC_PID1_H
#define MC_PID1_H

#include <sys/types.h>

/* Be PID 1 for cmd: forward the runtime's signals to it, reap every
 * zombie, and exit with cmd's status (128+N if it was killed by N) once
 * it is gone.  Signals must already be blocked.  Never returns. */
__attribute__((noreturn)) void pid1__run(pid_t cmd);

#endif
