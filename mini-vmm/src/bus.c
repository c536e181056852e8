/*
 * bus.c - The device bus (see bus.h): a short table of address ranges,
 * kept sorted so a reader can print it, searched linearly because a VM
 * here has a handful of devices and a linear scan of 16 entries costs less
 * than the exit that brought us here by three orders of magnitude.
 */
#include "bus.h"

#include <string.h>

int bus__register(struct bus *b, uint64_t base, uint64_t len,
		  const struct dev_ops *ops, void *dev, struct isolab_err *e)
{
	int i;

	if (len == 0 || base + len < base)
		return err__set(e, 0, "%s bus: empty or wrapping range 0x%llx",
				b->name, (unsigned long long)base);
	if (b->n == BUS_MAX_RANGES)
		return err__set(e, 0, "%s bus: more than %d devices", b->name,
				BUS_MAX_RANGES);
	for (i = 0; i < b->n; i++) {
		const struct bus_range *r = &b->r[i];

		if (base < r->base + r->len && r->base < base + len)
			return err__set(e, 0,
					"%s bus: %s at 0x%llx overlaps %s",
					b->name, ops->name,
					(unsigned long long)base, r->ops->name);
	}
	for (i = b->n; i > 0 && b->r[i - 1].base > base; i--)
		b->r[i] = b->r[i - 1];
	b->r[i] = (struct bus_range){base, len, ops, dev};
	b->n++;
	return 0;
}

const struct bus_range *bus__find(const struct bus *b, uint64_t addr)
{
	for (int i = 0; i < b->n; i++)
		if (addr >= b->r[i].base && addr - b->r[i].base < b->r[i].len)
			return &b->r[i];
	return NULL;
}

int bus__access(const struct bus *b, struct vcpu *v, uint64_t addr, void *data,
		unsigned len, bool is_write, bool *claimed)
{
	const struct bus_range *r = bus__find(b, addr);

	*claimed = r != NULL;
	if (!r) {
		if (!is_write)
			memset(data, 0xff, len);
		return DEV_CONTINUE;
	}
	if (is_write)
		return r->ops->write ? r->ops->write(v, r->dev, addr - r->base,
						     data, len)
				     : DEV_CONTINUE;
	if (!r->ops->read) {
		memset(data, 0xff, len);
		return DEV_CONTINUE;
	}
	return r->ops->read(v, r->dev, addr - r->base, data, len);
}
