/*
 * loader.h - Put a guest image into guest memory: a static ELF (ELF32 or
 * ELF64, its PT_LOAD segments at their physical addresses) or a flat
 * binary (at a load address), told apart by the ELF magic.
 */
#ifndef MVMM_LOADER_H
#define MVMM_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum image_kind { IMAGE_FLAT, IMAGE_ELF32, IMAGE_ELF64 };

struct image {
	int fd;	       /* the file, open until loader__close */
	size_t size;   /* of the file */
	uint8_t *data; /* its first hdr_len bytes: the headers (owned) */
	size_t hdr_len;
	int kind; /* enum image_kind */
	uint64_t entry;
};

/* Open path and tell its kind; for an ELF, read and check the header
 * (class, machine, type, program headers inside the file).  The contents
 * are read later, by loader__load, straight into guest memory.  Returns 0,
 * or -1 with e = "PATH: what is wrong". */
int loader__open(struct image *img, const char *path, struct isolab_err *e);
void loader__close(struct image *img);

/* Copy img into mem[0..mem_size) (a flat image at load_addr) and set
 * img->entry.  mem must be zero-filled (a fresh mapping): .bss is not
 * cleared.  Refuses segments outside guest memory or overlapping
 * [rsv_start, rsv_end) (the VMM's structures) or [stack_lo, mem_size) (the
 * boot stacks).  Returns 0 or -1 with e naming path. */
int loader__load(struct image *img, const char *path, uint8_t *mem,
		 uint64_t mem_size, uint64_t load_addr, uint64_t rsv_start,
		 uint64_t rsv_end, uint64_t stack_lo, struct isolab_err *e);

#endif
