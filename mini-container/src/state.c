/*
 * state.c - Containers' records under /run/mini-container (see state.h).
 *
 * The lecture's container "lifecycle" needs a place where `ps`, `kill` and
 * `update`, which run as other processes, find a container: its PID 1 and
 * its cgroup directories.  runc keeps the same in /run/runc/NAME/state.json;
 * we keep one small text file, /run/mini-container/NAME (a file rather
 * than a directory: where /run is on a journalled disk, as here, each
 * mkdir and rmdir costs a journal update on every start).  /run is
 * emptied at boot: records do not outlive a reboot, like the containers.
 *
 * A runtime killed with SIGKILL cannot clean up; its container dies with
 * it (PR_SET_PDEATHSIG), but the record and the cgroup stay.  Every `run`
 * first calls state__gc(), which finds records whose runtime is gone and
 * removes them with their cgroups.  A pid alone could have been reused by
 * now, so a record keeps the runtime's start time too.
 */
#define _GNU_SOURCE
#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* MC_STATE_ROOT/NAME into buf.  Returns 0, or -1 if it is too long. */
static int state_path(char *buf, size_t len, const char *name)
{
	return (size_t)snprintf(buf, len, "%s/%s", MC_STATE_ROOT, name) < len
		       ? 0
		       : -1;
}

uint64_t state__start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	ssize_t n;
	int fd;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/stat");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The command name (field 2) may hold spaces: count from its ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2,
			 "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			 "%*u %*u %*d %*d %*d %*d %*d %*d %llu",
			 &start) != 1)
		return 0;
	return start;
}

bool state__alive(const struct mc_state *st)
{
	return st->runtime_pid > 0 &&
	       state__start_time(st->runtime_pid) == st->runtime_start;
}

int state__save(const struct mc_state *st, struct isolab_err *e)
{
	char path[PATH_MAX], buf[4096];
	ssize_t w;
	int fd, n;

	if (state_path(path, sizeof(path), st->name) < 0)
		return err__set(e, ENAMETOOLONG, "%s", st->name);
	n = snprintf(buf, sizeof(buf),
		     "runtime_pid %d\nruntime_start %" PRIu64
		     "\ninit_pid %d\ncommand %s\ncgroup\n%s",
		     (int)st->runtime_pid, st->runtime_start, (int)st->init_pid,
		     st->command, st->cgroup);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return err__set(e, 0, "%s: state too long", path);
	/* One write of the whole record into the file state__claim made:
	 * a reader sees the empty file or the record (and treats anything
	 * that does not parse as "not yet"). */
	/* No O_TRUNC (the file is new and empty): ext4 answers a truncate
	 * followed by a write with an immediate write-back ("auto_da_alloc"),
	 * and the unlink at the end of the run would then wait for the disk,
	 * milliseconds here. */
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return err__set(e, errno, "%s", path);
	w = write(fd, buf, (size_t)n);
	if (w != n) {
		int saved = w < 0 ? errno : EIO;

		close(fd);
		return err__set(e, saved, "%s: write", path);
	}
	close(fd);
	return 0;
}

int state__load(const char *name, struct mc_state *st, struct isolab_err *e)
{
	char path[PATH_MAX], line[512];
	int pid = 0, init = 0;
	FILE *f;
	size_t n;

	memset(st, 0, sizeof(*st));
	if (state_path(path, sizeof(path), name) < 0)
		return err__set(e, ENAMETOOLONG, "%s", name);
	f = fopen(path, "re");
	if (!f)
		return err__set(e, errno == ENOENT ? 0 : errno, "%s: %s", name,
				errno == ENOENT ? "no such container"
						: "state");
	snprintf(st->name, sizeof(st->name), "%s", name);
	if (!fgets(line, sizeof(line), f) ||
	    sscanf(line, "runtime_pid %d", &pid) != 1 ||
	    !fgets(line, sizeof(line), f) ||
	    sscanf(line, "runtime_start %" SCNu64, &st->runtime_start) != 1 ||
	    !fgets(line, sizeof(line), f) ||
	    sscanf(line, "init_pid %d", &init) != 1 ||
	    !fgets(line, sizeof(line), f) ||
	    strncmp(line, "command ", 8) != 0) {
		fclose(f);
		return err__set(e, 0, "%s: damaged state file", path);
	}
	line[strcspn(line, "\n")] = '\0';
	snprintf(st->command, sizeof(st->command), "%.255s", line + 8);
	if (!fgets(line, sizeof(line), f) || strcmp(line, "cgroup\n") != 0) {
		fclose(f);
		return err__set(e, 0, "%s: damaged state file", path);
	}
	n = fread(st->cgroup, 1, sizeof(st->cgroup) - 1, f);
	st->cgroup[n] = '\0';
	fclose(f);
	st->runtime_pid = pid;
	st->init_pid = init;
	return 0;
}

int state__remove(const char *name, struct isolab_err *e)
{
	char path[PATH_MAX];

	if (state_path(path, sizeof(path), name) < 0)
		return err__set(e, ENAMETOOLONG, "%s", name);
	if (unlink(path) == 0 || errno == ENOENT)
		return 0;
	if (errno == EISDIR) {
		/* A directory record of an earlier mini-container. */
		char file[PATH_MAX + 16];

		snprintf(file, sizeof(file), "%s/state", path);
		unlink(file);
		snprintf(file, sizeof(file), "%s/state.tmp", path);
		unlink(file);
		if (rmdir(path) == 0)
			return 0;
	}
	return err__set(e, errno, "%s: remove", path);
}

/* Remove a dead runtime's record and its group.  Returns 0 or -1. */
static int state_clean(const char *name, struct isolab_err *e)
{
	char group[160];
	struct mc_state st;
	struct cgroup *cg;

	if (state__load(name, &st, NULL) == 0 && st.cgroup[0] &&
	    cgroup__open(st.cgroup, &cg, NULL) == 0) {
		if (cgroup__destroy(cg, e) < 0)
			return -1;
	} else {
		/* An empty record: a runtime killed between claim and save,
		 * perhaps after making its group.  Look for the group where
		 * a runtime in our own cgroups would have made it. */
		snprintf(group, sizeof(group), "mini-container-%s", name);
		cgroup__remove_stale(group, NULL);
	}
	return state__remove(name, e);
}

int state__gc(void)
{
	DIR *d = opendir(MC_STATE_ROOT);
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		struct mc_state st;
		char path[PATH_MAX];
		struct stat sb;

		if (de->d_name[0] == '.')
			continue;
		if (state__load(de->d_name, &st, NULL) == 0) {
			if (state__alive(&st))
				continue;
		} else {
			/* No state yet: claimed a moment ago by a runtime
			 * still starting, or left by one killed right after
			 * claiming.  Only an old one is abandoned. */
			if (state_path(path, sizeof(path), de->d_name) < 0 ||
			    stat(path, &sb) < 0 ||
			    time(NULL) - sb.st_mtime < 10)
				continue;
		}
		if (state_clean(de->d_name, NULL) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* Create the empty record file.  Returns 0, or the errno (EEXIST when
 * there is one already). */
static int state_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

int state__claim(const char *name, struct isolab_err *e)
{
	char path[PATH_MAX];
	struct mc_state st;
	int err;

	if (!*name || strchr(name, '/') || name[0] == '.' ||
	    strlen(name) >= sizeof(st.name))
		return err__set(e, 0, "%s: not a valid container name", name);
	if (mkdir(MC_STATE_ROOT, 0700) < 0 && errno != EEXIST)
		return err__set(e, errno, "%s: mkdir", MC_STATE_ROOT);
	if (state_path(path, sizeof(path), name) < 0)
		return err__set(e, ENAMETOOLONG, "%s", name);
	err = state_create(path);
	if (err == 0)
		return 0;
	if (err != EEXIST)
		return err__set(e, err, "%s: create", path);
	if (state__load(name, &st, NULL) == 0 && state__alive(&st))
		return err__set(e, 0,
				"%s: a container of that name is running "
				"(runtime pid %d)",
				name, (int)st.runtime_pid);
	if (state_clean(name, e) < 0)
		return -1;
	err = state_create(path);
	return err ? err__set(e, err, "%s: create", path) : 0;
}

int state__each(void (*fn)(const struct mc_state *st, void *arg), void *arg,
		struct isolab_err *e)
{
	DIR *d = opendir(MC_STATE_ROOT);
	struct dirent *de;

	if (!d)
		return errno == ENOENT
			       ? 0
			       : err__set(e, errno, "%s", MC_STATE_ROOT);
	while ((de = readdir(d))) {
		struct mc_state st;

		if (de->d_name[0] == '.' ||
		    state__load(de->d_name, &st, NULL) < 0)
			continue;
		fn(&st, arg);
	}
	closedir(d);
	return 0;
}
