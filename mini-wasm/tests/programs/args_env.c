/*
 * args_env.c - Arguments, environment and the exit status: prints its
 * arguments and the variables it is given, and exits with the status named
 * by its last argument (WASI args_get, environ_get, proc_exit).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	const char *names[] = { "GREETING", "EMPTY", "MISSING" };

	printf("argc %d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("argv[%d] \"%s\" (%zu bytes)\n", i, argv[i],
		       strlen(argv[i]));
	for (int i = 0; i < 3; i++) {
		const char *v = getenv(names[i]);
		printf("%s %s%s%s\n", names[i], v ? "\"" : "",
		       v ? v : "unset", v ? "\"" : "");
	}
	fflush(stdout);
	return argc > 1 ? atoi(argv[argc - 1]) : 0;
}
