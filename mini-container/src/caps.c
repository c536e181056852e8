/*
 * caps.c - Reducing a container's capabilities (see caps.h).
 *
 * Root in a container is still root to the kernel (without a user
 * namespace): what keeps it from loading modules, mounting file systems or
 * changing the clock is that its process lacks the capabilities those
 * calls check.  Five sets per thread (capabilities(7)):
 *  - bounding: the most it can ever gain, even by exec of a setuid file;
 *  - permitted: what it holds; effective: what the kernel checks now;
 *  - inheritable and ambient: what survives execve of a plain program.
 * We drop from bounding everything outside the container's set, then set
 * the others with capset(2) (the raw system call, as libcap does).
 */
#define _GNU_SOURCE
#include "caps.h"

#include <ctype.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CAP(x) [CAP_##x] = "CAP_" #x
static const char *const cap_names[] = {
	CAP(CHOWN),
	CAP(DAC_OVERRIDE),
	CAP(DAC_READ_SEARCH),
	CAP(FOWNER),
	CAP(FSETID),
	CAP(KILL),
	CAP(SETGID),
	CAP(SETUID),
	CAP(SETPCAP),
	CAP(LINUX_IMMUTABLE),
	CAP(NET_BIND_SERVICE),
	CAP(NET_BROADCAST),
	CAP(NET_ADMIN),
	CAP(NET_RAW),
	CAP(IPC_LOCK),
	CAP(IPC_OWNER),
	CAP(SYS_MODULE),
	CAP(SYS_RAWIO),
	CAP(SYS_CHROOT),
	CAP(SYS_PTRACE),
	CAP(SYS_PACCT),
	CAP(SYS_ADMIN),
	CAP(SYS_BOOT),
	CAP(SYS_NICE),
	CAP(SYS_RESOURCE),
	CAP(SYS_TIME),
	CAP(SYS_TTY_CONFIG),
	CAP(MKNOD),
	CAP(LEASE),
	CAP(AUDIT_WRITE),
	CAP(AUDIT_CONTROL),
	CAP(SETFCAP),
	CAP(MAC_OVERRIDE),
	CAP(MAC_ADMIN),
	CAP(SYSLOG),
	CAP(WAKE_ALARM),
	CAP(BLOCK_SUSPEND),
	CAP(AUDIT_READ),
	CAP(PERFMON),
	CAP(BPF),
	CAP(CHECKPOINT_RESTORE),
};
#undef CAP

#define NCAPS ((int)(sizeof(cap_names) / sizeof(cap_names[0])))

uint64_t caps__docker_default(void)
{
	static const int dflt[] = {
		CAP_CHOWN,
		CAP_DAC_OVERRIDE,
		CAP_FSETID,
		CAP_FOWNER,
		CAP_MKNOD,
		CAP_NET_RAW,
		CAP_SETGID,
		CAP_SETUID,
		CAP_SETFCAP,
		CAP_SETPCAP,
		CAP_NET_BIND_SERVICE,
		CAP_SYS_CHROOT,
		CAP_KILL,
		CAP_AUDIT_WRITE,
	};
	uint64_t m = 0;

	for (size_t i = 0; i < sizeof(dflt) / sizeof(dflt[0]); i++)
		m |= 1ull << dflt[i];
	return m;
}

int caps__from_name(const char *name)
{
	const char *n = strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name;

	for (int i = 0; i < NCAPS; i++)
		if (cap_names[i] && strcasecmp(cap_names[i] + 4, n) == 0)
			return i;
	return -1;
}

const char *caps__name(int n)
{
	return n >= 0 && n < NCAPS ? cap_names[n] : NULL;
}

/* The highest capability this kernel knows (/proc/sys/kernel/cap_last_cap). */
static int caps_last(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	int last = CAP_LAST_CAP;

	if (f) {
		if (fscanf(f, "%d", &last) != 1)
			last = CAP_LAST_CAP;
		fclose(f);
	}
	return last;
}

uint64_t caps__all(void)
{
	int last = caps_last();

	return last >= 63 ? ~0ull : (1ull << (last + 1)) - 1;
}

int caps__drop_bounding(uint64_t bounding, struct isolab_err *e)
{
	int last = caps_last();

	for (int c = 0; c <= last; c++)
		if (!(bounding >> c & 1) &&
		    prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return err__set(e, errno,
					"capabilities: drop %s from "
					"the bounding set",
					caps__name(c) ? caps__name(c) : "?");
	return 0;
}

int caps__apply(uint64_t bounding, uint64_t effective, uint64_t permitted,
		uint64_t inheritable, uint64_t ambient, struct isolab_err *e)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];
	int last = caps_last();

	/* A capability outside bounding cannot be permitted. */
	permitted &= bounding;
	effective &= permitted;
	for (int i = 0; i < 2; i++) {
		data[i].effective = (uint32_t)(effective >> (32 * i));
		data[i].permitted = (uint32_t)(permitted >> (32 * i));
		data[i].inheritable = (uint32_t)(inheritable >> (32 * i));
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		return err__set(e, errno, "capabilities: capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return err__set(e, errno, "capabilities: clear ambient");
	/* Ambient needs the capability permitted and inheritable. */
	ambient &= permitted & inheritable;
	for (int c = 0; c <= last && c < 64; c++)
		if ((ambient >> c & 1) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			return err__set(e, errno,
					"capabilities: raise ambient %s",
					caps__name(c) ? caps__name(c) : "?");
	return 0;
}
