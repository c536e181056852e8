/*
 * err.h - The error object every fallible isolab call fills in.
 *
 * Modelled on crun's libcrun_error_t: a function that can fail returns a
 * negative value and describes the failure in a struct isolab_err owned by
 * the caller; only the top level (main) prints it, as one line
 * "PROGRAM: INPUT: what is wrong".  No allocation, so it cannot fail itself.
 */
#ifndef ISOLAB_ERR_H
#define ISOLAB_ERR_H

struct isolab_err {
	int errnum;     /* errno at the failure, 0 when not a system error */
	char msg[512];  /* "INPUT: what is wrong", without the program name */
};

/* Fill e with a printf-style message; append ": strerror(errnum)" when
 * errnum != 0.  e may be NULL.  Always returns -1, so callers can write
 * `return err__set(e, errno, "%s: open", path);`. */
int err__set(struct isolab_err *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Print "prog: msg" on stderr as one line. */
void err__print(const char *prog, const struct isolab_err *e);

#endif
