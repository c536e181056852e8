/*
 * pmqos.c - The PM QoS CPU latency request (pmqos.h).
 *
 * The kernel's interface (Documentation/power/pm_qos_interface.rst): a
 * process writes a 32-bit latency in microseconds to /dev/cpu_dma_latency
 * and the request lasts while the file stays open; reading the device
 * gives the value in force, the smallest of all requests.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "pmqos.h"

int pmqos__hold(int32_t max_us, struct isolab_err *e)
{
	int fd = open(PMQOS_DEV, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return err__set(e, errno, "%s", PMQOS_DEV);
	if (write(fd, &max_us, sizeof(max_us)) != (ssize_t)sizeof(max_us)) {
		int saved = errno;

		close(fd);
		return err__set(e, saved, "%s: write", PMQOS_DEV);
	}
	return fd;
}

int64_t pmqos__current_us(void)
{
	int32_t v;
	int fd = open(PMQOS_DEV, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, &v, sizeof(v));
	close(fd);
	return n == (ssize_t)sizeof(v) ? v : -1;
}
