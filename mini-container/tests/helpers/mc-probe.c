/*
 * mc-probe.c - A static program the tests run inside containers to look
 * at the container from the inside: what it sees (view, ifaces), what it
 * can reach (escape), what the kernel lets it do (syscalls), and loads for
 * the limits (alloc, spin, fork).  Every answer is one line of key=value
 * words on stdout, for the tests to compare.
 *
 *   mc-probe view            pid, hostname, uid, mounts, capabilities,
 *                            seccomp and no_new_privs as the kernel says
 *   mc-probe syscalls        mount, umount2, keyctl, ptrace, unshare,
 *                            setns, reboot: ok or the errno name
 *   mc-probe escape PATH     can PATH (a host file) be reached by "..",
 *                            /proc/1/root, or an inherited fd?
 *   mc-probe ifaces          network interfaces and whether lo is up
 *   mc-probe alloc MB        touch MB MiB of memory, then say so
 *   mc-probe spin S          burn CPU for S seconds of wall time
 *   mc-probe fork N          fork N sleeping children; count failures
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <linux/keyctl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case 0: return "ok";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOSYS: return "ENOSYS";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	default: return "other";
	}
}

static int view(void)
{
	char host[256] = "", line[1024];
	FILE *f;

	gethostname(host, sizeof(host));
	printf("pid=%d ppid=%d hostname=%s uid=%d gid=%d\n", (int)getpid(),
	       (int)getppid(), host, (int)getuid(), (int)getgid());
	f = fopen("/proc/self/status", "re");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "Cap", 3) || !strncmp(line, "Seccomp:", 8) ||
		    !strncmp(line, "NoNewPrivs:", 11))
			fputs(line, stdout);
	if (f)
		fclose(f);
	/* Mount points and types only: options differ in harmless ways
	 * between runtimes (seclabel, inode64). */
	f = fopen("/proc/self/mountinfo", "re");
	while (f && fgets(line, sizeof(line), f)) {
		char point[512], type[64];
		char *sep = strstr(line, " - ");

		if (sep && sscanf(line, "%*s %*s %*s %*s %511s", point) == 1 &&
		    sscanf(sep + 3, "%63s", type) == 1)
			printf("mount %s %s\n", point, type);
	}
	if (f)
		fclose(f);
	return 0;
}

static int try(long rc)
{
	return rc < 0 ? errno : 0;
}

static int syscalls(void)
{
	int m = try(mount("none", "/tmp", "tmpfs", 0, NULL));
	int u = try(umount2("/proc", MNT_DETACH));
	int k = try(syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
			    KEY_SPEC_SESSION_KEYRING, 1));
	int p = try(ptrace(PTRACE_TRACEME, 0, NULL, NULL));
	int un = try(unshare(CLONE_NEWNS));
	int sn = try(setns(0, 0));
	int rb = try(reboot(RB_POWER_OFF +
			    1)); /* invalid cmd: EINVAL if let through */
	int gp = try(getpid());
	int wr = try(open("/dev/null", O_WRONLY));

	printf("mount=%s umount2=%s keyctl=%s ptrace=%s unshare=%s setns=%s "
	       "reboot=%s getpid=%s open=%s\n",
	       errname(m), errname(u), errname(k), errname(p), errname(un),
	       errname(sn), errname(rb), errname(gp), errname(wr));
	return 0;
}

static int escape(const char *path)
{
	char up[4096] = "";
	struct stat st;
	DIR *d;
	struct dirent *de;
	int n = 0;

	/* Walk up far more than any rootfs is deep. */
	for (int i = 0; i < 64; i++)
		strcat(up, "../");
	strcat(up, path[0] == '/' ? path + 1 : path);
	printf("direct=%s dotdot=%s ",
	       stat(path, &st) == 0 ? "reachable" : "unreachable",
	       stat(up, &st) == 0 ? "reachable" : "unreachable");
	snprintf(up, sizeof(up), "/proc/1/root%s", path);
	printf("proc1root=%s ",
	       stat(up, &st) == 0 ? "reachable" : "unreachable");
	/* chdir("..") from "/" stays at "/" after pivot_root. */
	for (int i = 0; i < 64; i++)
		if (chdir("..") < 0)
			break;
	printf("chdir_up=%s fds=",
	       stat(path + 1, &st) == 0 ? "reachable" : "unreachable");
	d = opendir("/proc/self/fd");
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
			continue;
		printf("%s%s", n++ ? "," : "", de->d_name);
	}
	if (d)
		closedir(d);
	printf("\n");
	return 0;
}

static int ifaces(void)
{
	struct if_nameindex *ni = if_nameindex(), *i;
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM, 0), n = 0;

	printf("ifaces=");
	for (i = ni; i && i->if_name; i++)
		printf("%s%s", n++ ? "," : "", i->if_name);
	strcpy(ifr.ifr_name, "lo");
	if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0)
		printf(" lo=%s\n", ifr.ifr_flags & IFF_UP ? "up" : "down");
	else
		printf(" lo=missing\n");
	if (ni)
		if_freenameindex(ni);
	return 0;
}

static int alloc(long mb)
{
	size_t len = (size_t)mb << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	printf("allocated=%ld\n", mb);
	return 0;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int spin(double s)
{
	double t0 = now();
	volatile unsigned long x = 0;

	while (now() - t0 < s)
		x++;
	printf("spun=%.1f\n", s);
	return 0;
}

static int forks(long n)
{
	long ok = 0, failed = 0;

	for (long i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0) {
			sleep(30);
			_exit(0);
		}
		if (p > 0)
			ok++;
		else
			failed++;
	}
	printf("forked=%ld failed=%ld\n", ok, failed);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "view"))
		return view();
	if (argc >= 2 && !strcmp(argv[1], "syscalls"))
		return syscalls();
	if (argc >= 3 && !strcmp(argv[1], "escape"))
		return escape(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "ifaces"))
		return ifaces();
	if (argc >= 3 && !strcmp(argv[1], "alloc"))
		return alloc(atol(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "spin"))
		return spin(atof(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "fork"))
		return forks(atol(argv[2]));
	fprintf(stderr, "usage: mc-probe view|syscalls|escape PATH|ifaces|"
			"alloc MB|spin S|fork N\n");
	return 2;
}
