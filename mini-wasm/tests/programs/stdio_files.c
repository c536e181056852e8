/*
 * stdio_files.c - stdin, stdout and files in a preopened directory: counts
 * the lines, words and bytes of stdin, writes a report to a file, reads it
 * back with fseek, stats it, and lists the directory sorted (WASI fd_read,
 * fd_write, path_open, fd_seek, fd_filestat_get, fd_readdir, fd_close).
 * Run in a directory of its own (natively: its cwd; under mini-wasm:
 * --dir DIR::.).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	long lines = 0, words = 0, bytes = 0;
	int c, inword = 0;
	char buf[256], *names[64];
	int n = 0;
	FILE *f;
	struct stat st;
	DIR *d;
	struct dirent *de;

	while ((c = getchar()) != EOF) {
		bytes++;
		if (c == '\n')
			lines++;
		if (c == ' ' || c == '\n' || c == '\t')
			inword = 0;
		else if (!inword && ++words)
			inword = 1;
	}
	printf("stdin: %ld lines, %ld words, %ld bytes\n", lines, words, bytes);
	f = fopen("report.txt", "w+");
	if (!f) {
		perror("report.txt");
		return 1;
	}
	fprintf(f, "lines=%ld\nwords=%ld\nbytes=%ld\n", lines, words, bytes);
	fseek(f, 0, SEEK_SET);
	while (fgets(buf, sizeof(buf), f))
		printf("read back: %s", buf);
	fseek(f, -6, SEEK_END);
	printf("tail at %ld: ", ftell(f));
	printf("%s", fgets(buf, sizeof(buf), f));
	fclose(f);
	if (stat("report.txt", &st) == 0)
		printf("report.txt: %lld bytes, regular %d\n",
		       (long long)st.st_size, S_ISREG(st.st_mode) != 0);
	if (!fopen("no-such-file", "r"))
		printf("no-such-file: %s\n", "cannot open");
	d = opendir(".");
	if (!d) {
		perror("opendir");
		return 1;
	}
	while ((de = readdir(d)) && n < 64)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	for (int i = 0; i < n; i++) {
		printf("entry %s\n", names[i]);
		free(names[i]);
	}
	return 0;
}
