/*
 * meta.c - Collecting the machine metadata of every result (see meta.h).
 */
#define _GNU_SOURCE
#include "meta.h"
#include "pmqos.h"

#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static bool path_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

const char *meta__kvm_backend(void)
{
	if (path_exists("/sys/module/kvm_pvm"))
		return "pvm";
	if (path_exists("/sys/module/kvm_intel"))
		return "intel";
	if (path_exists("/sys/module/kvm_amd"))
		return "amd";
	if (path_exists("/sys/module/kvm"))
		return "unknown";
	return "none";
}

const char *meta__cgroup_mode(void)
{
	char line[4096];
	bool v1 = false, v2 = false;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return "none";
	while (fgets(line, sizeof(line), f)) {
		/* The filesystem type follows the " - " separator. */
		char *sep = strstr(line, " - ");

		if (!sep)
			continue;
		if (strncmp(sep + 3, "cgroup2 ", 8) == 0)
			v2 = true;
		else if (strncmp(sep + 3, "cgroup ", 7) == 0)
			v1 = true;
	}
	fclose(f);
	if (v1 && v2)
		return "hybrid";
	return v2 ? "v2" : v1 ? "v1" : "none";
}

/* The value after "key\t: " in /proc/cpuinfo-like files. */
static void read_keyed(const char *path, const char *key, char *out,
		       size_t len)
{
	char line[512];
	FILE *f = fopen(path, "re");

	snprintf(out, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon || strncmp(line, key, strlen(key)) != 0)
			continue;
		colon++;
		colon += strspn(colon, " \t");
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(out, len, "%s", colon);
		break;
	}
	fclose(f);
}

static void probe_kvm(struct meta *m)
{
	int kvm, vm;

	m->kvm_api = -1;
	m->kvm_device = path_exists("/dev/kvm");
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return;
	m->kvm_api = ioctl(kvm, KVM_GET_API_VERSION, 0);
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm >= 0) {
		m->kvm_usable = true;
		close(vm);
	}
	close(kvm);
}

/* First line printed by a shell command, or "" (used for git only). */
static void first_line(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");

	out[0] = '\0';
	if (!p)
		return;
	if (!fgets(out, (int)len, p))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	pclose(p);
}

/* HEAD's commit with "-dirty" when tracked files changed: one git process
 * (describe prints the full hash when --always finds no tag). */
static void git_commit(char *out, size_t len)
{
	first_line("git describe --always --dirty --abbrev=40 --match "
		   "'no tag:' 2>/dev/null",
		   out, len);
	if (!out[0])
		snprintf(out, len, "unknown");
}

/* The two slow facts (a git process, a VM created and destroyed: about
 * 15 ms together here) from the environment a harness handed down, when
 * it did (meta__export).  Returns true when both were there. */
static bool from_env(struct meta *m)
{
	const char *git = getenv("ISOLAB_META_GIT");
	const char *kvm = getenv("ISOLAB_META_KVM");
	int api, usable, dev;

	if (!git || !kvm || !git[0] || strlen(git) >= sizeof(m->git_commit) ||
	    sscanf(kvm, "%d,%d,%d", &dev, &usable, &api) != 3)
		return false;
	snprintf(m->git_commit, sizeof(m->git_commit), "%s", git);
	m->kvm_device = dev != 0;
	m->kvm_usable = usable != 0;
	m->kvm_api = api;
	return true;
}

void meta__export(const struct meta *m)
{
	char kvm[64];

	snprintf(kvm, sizeof(kvm), "%d,%d,%d", m->kvm_device, m->kvm_usable,
		 m->kvm_api);
	setenv("ISOLAB_META_GIT", m->git_commit, 1);
	setenv("ISOLAB_META_KVM", kvm, 1);
}

void meta__collect(struct meta *m)
{
	bool inherited;
	struct utsname u;
	char mem[64];
	time_t now = time(NULL);

	memset(m, 0, sizeof(*m));
	read_keyed("/proc/cpuinfo", "model name", m->cpu_model,
		   sizeof(m->cpu_model));
	m->cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (uname(&u) == 0) {
		snprintf(m->arch, sizeof(m->arch), "%s", u.machine);
		snprintf(m->kernel, sizeof(m->kernel), "%s", u.release);
	}
	read_keyed("/proc/meminfo", "MemTotal", mem, sizeof(mem));
	sscanf(mem, "%lu", &m->mem_total_kib);
	inherited = from_env(m);
	if (!inherited)
		probe_kvm(m);
	snprintf(m->kvm_backend, sizeof(m->kvm_backend), "%s",
		 meta__kvm_backend());
	snprintf(m->cgroup_mode, sizeof(m->cgroup_mode), "%s",
		 meta__cgroup_mode());
	m->cpu_latency_us = pmqos__current_us();
#ifdef __clang__
	snprintf(m->compiler, sizeof(m->compiler), "clang %d.%d.%d",
		 __clang_major__, __clang_minor__, __clang_patchlevel__);
#else
	snprintf(m->compiler, sizeof(m->compiler), "gcc %s", __VERSION__);
#endif
	if (!inherited)
		git_commit(m->git_commit, sizeof(m->git_commit));
	strftime(m->date, sizeof(m->date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	snprintf(m->version, sizeof(m->version), "%s", ISOLAB_VERSION);
}

json_t *meta__to_json(const struct meta *m)
{
	return json_pack("{s:s, s:i, s:s, s:s, s:I, s:{s:b, s:b, s:i, s:s},"
			 " s:s, s:I, s:s, s:s, s:s, s:s}",
			 "cpu_model", m->cpu_model, "cores", m->cores, "arch",
			 m->arch, "kernel", m->kernel, "mem_total_kib",
			 (json_int_t)m->mem_total_kib, "kvm", "device",
			 m->kvm_device, "usable", m->kvm_usable, "api_version",
			 m->kvm_api, "backend", m->kvm_backend, "cgroup_mode",
			 m->cgroup_mode, "cpu_latency_us",
			 (json_int_t)m->cpu_latency_us, "compiler", m->compiler,
			 "git_commit",
			 m->git_commit, "date", m->date, "isolab_version",
			 m->version);
}
