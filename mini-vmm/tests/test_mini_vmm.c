/*
 * test_mini_vmm.c - Tests of mini-vmm: its devices and loader in process
 * (no KVM needed), then black-box runs of the mini-vmm binary on every
 * guest, checking output, exit status and exact exit counts (--stats).
 * Tests that need /dev/kvm skip, with the reason, where it cannot be
 * opened or KVM_CREATE_VM fails.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus.h"
#include "console.h"
#include "exitstats.h"
#include "layout.h"
#include "loader.h"
#include "testing.h"
#include "uart.h"
#include "vmm.h"

/* ---- helpers ---- */

static const char *kvm_unusable(void)
{
	static const char *why;
	static int checked;
	int kvm, vm;

	if (checked)
		return why;
	checked = 1;
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return why = "/dev/kvm cannot be opened";
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		why = "KVM_CREATE_VM fails on this machine";
	else
		close(vm);
	close(kvm);
	return why;
}

#define NEED_KVM()                                                             \
	do {                                                                   \
		if (kvm_unusable())                                            \
			TEST_SKIP("%s", kvm_unusable());                       \
	} while (0)

/* Run mini-vmm with the arguments (NULL-terminated) into r. */
static void vmm_run(struct test_run *r, ...)
{
	char vmm[512], *argv[32];
	int n = 0;
	va_list ap;

	argv[n++] = testing__path(vmm, sizeof(vmm), "bin", "mini-vmm");
	va_start(ap, r);
	while (n < 31 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	assert_int_equal(testing__run(argv, NULL, 60, r), 0);
}

static char *guest(const char *name)
{
	static char buf[8][512];
	static int i;

	i = (i + 1) % 8;
	return testing__path(buf[i], sizeof(buf[i]), "guests", name);
}

/* The count of exits at port (or MMIO address) addr in a --stats file. */
static long stats_count(json_t *root, const char *list, uint64_t addr)
{
	json_t *arr = json_object_get(
		json_object_get(json_object_get(root, "data"), "exits"), list);
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
	{
		if ((uint64_t)json_integer_value(json_object_get(v, "addr")) ==
		    addr)
			return (long)json_integer_value(
				json_object_get(v, "count"));
	}
	return 0;
}

static json_t *stats_load(const char *path)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);

	if (!root)
		fail_msg("%s: %s", path, je.text);
	return root;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* ---- the device bus ---- */

static int dummy_write_called;
static int dummy_write(struct vcpu *v, void *dev, uint64_t off,
		       const void *data, unsigned len)
{
	(void)v;
	(void)dev;
	(void)data;
	(void)len;
	dummy_write_called = (int)off + 1;
	return DEV_CONTINUE;
}
static const struct dev_ops dummy_ops = {.name = "dummy", .write = dummy_write};

static void test_bus_refuses_overlapping_ranges(void **state)
{
	struct bus b = {.name = "pio"};
	struct isolab_err e;

	(void)state;
	assert_int_equal(bus__register(&b, 0x3f8, 8, &dummy_ops, NULL, &e), 0);
	/* 0x3ff is the UART's last port: a second claim must fail. */
	assert_int_equal(bus__register(&b, 0x3ff, 1, &dummy_ops, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "overlaps"));
	assert_int_equal(bus__register(&b, 0x400, 1, &dummy_ops, NULL, &e), 0);
	assert_int_equal(b.n, 2);
}

static void test_bus_unclaimed_reads_all_ones(void **state)
{
	struct bus b = {.name = "mmio"};
	struct isolab_err e;
	uint8_t data[4] = {0};
	bool claimed = true;

	(void)state;
	assert_int_equal(bus__register(&b, 0x1000, 0x10, &dummy_ops, NULL, &e),
			 0);
	assert_int_equal(
		bus__access(&b, NULL, 0x2000, data, 4, false, &claimed),
		DEV_CONTINUE);
	assert_false(claimed);
	for (int i = 0; i < 4; i++)
		assert_int_equal(data[i], 0xff);
	/* A write to offset 4 of the range reaches the device with off 4. */
	assert_int_equal(bus__access(&b, NULL, 0x1004, data, 1, true, &claimed),
			 DEV_CONTINUE);
	assert_true(claimed);
	assert_int_equal(dummy_write_called, 5);
}

/* ---- the UART, register by register ---- */

static uint8_t uart_rd(struct uart *u, unsigned reg)
{
	uint8_t v;

	uart_ops.read(NULL, u, reg, &v, 1);
	return v;
}

static void uart_wr(struct uart *u, unsigned reg, uint8_t v)
{
	uart_ops.write(NULL, u, reg, &v, 1);
}

static void test_uart_lsr_reports_thr_empty(void **state)
{
	struct console c;
	struct uart u;

	(void)state;
	console__init(&c, -1);
	uart__init(&u, &c, -1);
	/* THRE (0x20) and TEMT (0x40): the transmitter always takes a byte. */
	assert_int_equal(uart_rd(&u, 5) & 0x60, 0x60);
	uart_wr(&u, 0, 'x');
	assert_int_equal(uart_rd(&u, 5) & 0x60, 0x60);
	assert_int_equal(u.tx_bytes, 1);
	c.n = 0;
	console__fini(&c);
}

static void test_uart_dlab_swaps_in_divisor_latch(void **state)
{
	struct console c;
	struct uart u;

	(void)state;
	console__init(&c, -1);
	uart__init(&u, &c, -1);
	uart_wr(&u, 3, 0x80); /* LCR.DLAB */
	uart_wr(&u, 0, 0x01); /* DLL: 115200 baud */
	uart_wr(&u, 1, 0x00); /* DLM */
	assert_int_equal(uart_rd(&u, 0), 0x01);
	uart_wr(&u, 3, 0x03); /* 8N1, DLAB off */
	uart_wr(&u, 1, 0x05); /* IER */
	assert_int_equal(uart_rd(&u, 1), 0x05);
	assert_int_equal(u.tx_bytes, 0); /* the DLL write sent nothing */
	uart_wr(&u, 7, 0xa5);		 /* scratch register */
	assert_int_equal(uart_rd(&u, 7), 0xa5);
	console__fini(&c);
}

static void test_uart_loopback_echoes_like_8250_probe(void **state)
{
	struct console c;
	struct uart u;

	(void)state;
	console__init(&c, -1);
	uart__init(&u, &c, -1);
	uart_wr(&u, 4, 0x10 | 0x0a); /* loop, RTS, OUT2 */
	/* MSR in loopback: RTS->CTS (0x10), OUT2->DCD (0x80): 0x90, as
	 * Linux's 8250 autoconfig expects. */
	assert_int_equal(uart_rd(&u, 6), 0x90);
	uart_wr(&u, 0, 0x5a);
	assert_int_equal(uart_rd(&u, 5) & 0x01, 0x01); /* data ready */
	assert_int_equal(uart_rd(&u, 0), 0x5a);
	assert_int_equal(uart_rd(&u, 5) & 0x01, 0x00);
	assert_int_equal(u.tx_bytes, 0);
	/* FIFO enabled: IIR reads 0xc1 (FIFOs on, no interrupt pending). */
	uart_wr(&u, 2, 0x01);
	assert_int_equal(uart_rd(&u, 2), 0xc1);
	console__fini(&c);
}

static void test_uart_receives_from_input_fd(void **state)
{
	struct console c;
	struct uart u;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	console__init(&c, -1);
	uart__init(&u, &c, fds[0]);
	/* Nothing written yet: LSR.DR (0x01) is clear, nothing blocks. */
	assert_int_equal(uart_rd(&u, 5) & 0x01, 0);
	assert_int_equal(write(fds[1], "AB", 2), 2);
	assert_int_equal(uart_rd(&u, 5) & 0x01, 0x01);
	assert_int_equal(uart_rd(&u, 0), 'A');
	assert_int_equal(uart_rd(&u, 0), 'B'); /* RBR polls too */
	close(fds[1]);
	/* End of input: DR stays clear, the UART stops polling. */
	assert_int_equal(uart_rd(&u, 5) & 0x01, 0);
	assert_int_equal(u.in_fd, -1);
	assert_int_equal(u.rx_bytes, 2);
	close(fds[0]);
	console__fini(&c);
}

/* ---- exit counters ---- */

static void test_exitstats_merge_adds_counts(void **state)
{
	struct exitstats a = {0}, b = {0}, all = {0};

	(void)state;
	for (int i = 0; i < 3; i++)
		exitstats__addr(&a, false, 0x3f8, "uart");
	exitstats__addr(&b, false, 0x3f8, "uart");
	exitstats__addr(&b, true, 0xe0000000, NULL);
	exitstats__reason(&a, KVM_EXIT_IO);
	exitstats__reason(&b, KVM_EXIT_MMIO);
	exitstats__merge(&all, &a);
	exitstats__merge(&all, &b);
	assert_int_equal(all.total, 2);
	assert_int_equal(all.unclaimed_mmio, 1);
	for (int i = 0; i < EXITSTATS_ADDRS; i++)
		if (all.addr[i].used && all.addr[i].addr == 0x3f8)
			assert_int_equal(all.addr[i].count, 4);
	assert_string_equal(exitstats__reason_name(KVM_EXIT_MMIO), "MMIO");
}

/* ---- bad input: one line, exit status 2 ---- */

static void expect_vmm_error(struct test_run *r, const char *needle)
{
	assert_int_equal(r->exit_code, 2);
	assert_non_null(strstr(r->err, needle));
	/* one line: "mini-vmm: ...\n" */
	assert_ptr_equal(strchr(r->err, '\n'), r->err + strlen(r->err) - 1);
	assert_int_equal(strncmp(r->err, "mini-vmm: ", 10), 0);
}

static void test_bad_options_exit_2(void **state)
{
	struct test_run r;

	(void)state;
	vmm_run(&r, "--mem", "0", guest("hello64"), NULL);
	expect_vmm_error(&r, "--mem: '0'");
	testing__run_free(&r);
	vmm_run(&r, "--vcpus", "0", guest("hello64"), NULL);
	expect_vmm_error(&r, "--vcpus: '0'");
	testing__run_free(&r);
	vmm_run(&r, "--mode", "virtual86", guest("hello64"), NULL);
	expect_vmm_error(&r, "--mode");
	testing__run_free(&r);
	vmm_run(&r, "--bogus", guest("hello64"), NULL);
	expect_vmm_error(&r, "--bogus");
	testing__run_free(&r);
	vmm_run(&r, NULL);
	expect_vmm_error(&r, "IMAGE");
	testing__run_free(&r);
}

static void test_missing_empty_truncated_images_exit_2(void **state)
{
	char dir[256], empty[300], trunc[300];
	struct test_run r;
	size_t len;
	char *elf = testing__slurp(guest("hello64"), &len);

	(void)state;
	assert_non_null(elf);
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(empty, sizeof(empty), "%s/empty", dir);
	snprintf(trunc, sizeof(trunc), "%s/trunc", dir);
	write_file(empty, "", 0);
	write_file(trunc, elf, 40); /* half an ELF64 header (64 bytes) */
	vmm_run(&r, "/nonexistent/guest", NULL);
	expect_vmm_error(&r, "/nonexistent/guest: No such file");
	testing__run_free(&r);
	vmm_run(&r, empty, NULL);
	expect_vmm_error(&r, "empty image");
	testing__run_free(&r);
	vmm_run(&r, trunc, NULL);
	expect_vmm_error(&r, "truncated ELF header");
	testing__run_free(&r);
	free(elf);
	testing__rmtree(dir);
}

/* A minimal ELF64 executable with one PT_LOAD of 16 bytes at paddr. */
static void write_elf64(const char *path, uint64_t paddr, uint64_t memsz)
{
	struct {
		Elf64_Ehdr eh;
		Elf64_Phdr ph;
		uint8_t code[16];
	} img;

	memset(&img, 0, sizeof(img));
	memcpy(img.eh.e_ident, ELFMAG, SELFMAG);
	img.eh.e_ident[EI_CLASS] = ELFCLASS64;
	img.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	img.eh.e_ident[EI_VERSION] = EV_CURRENT;
	img.eh.e_type = ET_EXEC;
	img.eh.e_machine = EM_X86_64;
	img.eh.e_version = EV_CURRENT;
	img.eh.e_entry = paddr;
	img.eh.e_phoff = sizeof(img.eh);
	img.eh.e_ehsize = sizeof(img.eh);
	img.eh.e_phentsize = sizeof(img.ph);
	img.eh.e_phnum = 1;
	img.ph.p_type = PT_LOAD;
	img.ph.p_offset = offsetof(__typeof__(img), code);
	img.ph.p_paddr = img.ph.p_vaddr = paddr;
	img.ph.p_filesz = sizeof(img.code);
	img.ph.p_memsz = memsz;
	img.code[0] = 0xf4; /* hlt */
	write_file(path, &img, sizeof(img));
}

static void test_images_that_do_not_fit_exit_2(void **state)
{
	char dir[256], p[300];
	struct test_run r;
	char *big;

	(void)state;
	NEED_KVM();
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	/* A segment over the VMM's page tables at 0x9000. */
	snprintf(p, sizeof(p), "%s/overlap", dir);
	write_elf64(p, 0x9000, 16);
	vmm_run(&r, p, NULL);
	expect_vmm_error(&r, "overlaps the VMM's structures");
	testing__run_free(&r);
	/* A segment at 2 MiB in a 1 MiB guest. */
	snprintf(p, sizeof(p), "%s/outside", dir);
	write_elf64(p, 0x200000, 16);
	vmm_run(&r, "--mem", "1M", p, NULL);
	expect_vmm_error(&r, "outside guest memory");
	testing__run_free(&r);
	/* A segment whose memory size (8 MiB) exceeds --mem 4M. */
	snprintf(p, sizeof(p), "%s/huge", dir);
	write_elf64(p, 0x100000, 8 << 20);
	vmm_run(&r, "--mem", "4M", p, NULL);
	expect_vmm_error(&r, "bigger than guest memory");
	testing__run_free(&r);
	/* A 2 MiB flat image in a 1 MiB guest. */
	snprintf(p, sizeof(p), "%s/flat", dir);
	big = calloc(1, 2 << 20);
	assert_non_null(big);
	write_file(p, big, 2 << 20);
	free(big);
	vmm_run(&r, "--mem", "1M", p, NULL);
	expect_vmm_error(&r, "bigger than guest memory");
	testing__run_free(&r);
	/* More vCPUs than KVM allows (KVM_CAP_MAX_VCPUS is <= 4096). */
	vmm_run(&r, "--vcpus", "4096", guest("hello64"), NULL);
	expect_vmm_error(&r, "above KVM's maximum");
	testing__run_free(&r);
	testing__rmtree(dir);
}

/* Found by mutating guest images under ASan/UBSan: a class byte that is
 * neither 32 nor 64 bits (read after the image was freed), and program
 * headers at an odd offset (read through a misaligned pointer). */
static void test_elf_bad_class_and_odd_phoff_are_handled(void **state)
{
	char dir[256], p[300];
	struct test_run r;
	uint8_t img[64 + 1 + 56 + 16];
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	memset(img, 0, sizeof(img));
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = 7;
	memcpy(img, &eh, sizeof(eh));
	snprintf(p, sizeof(p), "%s/class7", dir);
	write_file(p, img, sizeof(img));
	vmm_run(&r, p, NULL);
	expect_vmm_error(&r, "unknown ELF class 7");
	testing__run_free(&r);

	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_X86_64;
	eh.e_entry = 0x100000;
	eh.e_phoff = 65; /* odd: the program header is not 8-byte aligned */
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = 1;
	memset(&ph, 0, sizeof(ph));
	ph.p_type = PT_LOAD;
	ph.p_offset = 65 + sizeof(ph);
	ph.p_paddr = ph.p_vaddr = 0x100000;
	ph.p_filesz = ph.p_memsz = 16;
	memcpy(img, &eh, sizeof(eh));
	memcpy(img + 65, &ph, sizeof(ph));
	img[65 + sizeof(ph)] = 0xf4; /* hlt */
	snprintf(p, sizeof(p), "%s/oddphoff", dir);
	write_file(p, img, sizeof(img));
	if (!kvm_unusable()) {
		/* A valid image after all: it runs to its hlt, status 0. */
		vmm_run(&r, p, NULL);
		assert_int_equal(r.exit_code, 0);
		testing__run_free(&r);
	}
	testing__rmtree(dir);
}

/* ---- guests ---- */

/* The loader reads program headers that lie past its first 4 KiB read,
 * puts each segment's bytes straight at its address, leaves .bss zero,
 * and reports a file that shrank between open and load. */
static void test_loader_places_segments_and_reports_a_shrunk_file(
	void **state)
{
	char dir[256], p[300];
	static uint8_t img[8192];
	uint8_t *mem;
	struct isolab_err e;
	struct image im;
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	const uint64_t mem_size = 4 << 20;

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	memset(img, 0, sizeof(img));
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_EXEC;
	eh.e_machine = EM_X86_64;
	eh.e_entry = 0x100010;
	eh.e_phoff = 5000; /* beyond the loader's first read */
	eh.e_phentsize = sizeof(ph[0]);
	eh.e_phnum = 2;
	memset(ph, 0, sizeof(ph));
	ph[0] = (Elf64_Phdr){.p_type = PT_LOAD, .p_offset = 6000,
			     .p_paddr = 0x100000, .p_filesz = 100,
			     .p_memsz = 200};
	ph[1] = (Elf64_Phdr){.p_type = PT_LOAD, .p_offset = 7000,
			     .p_paddr = 0x200000, .p_filesz = 1000,
			     .p_memsz = 1000};
	memcpy(img, &eh, sizeof(eh));
	memcpy(img + 5000, ph, sizeof(ph));
	memset(img + 6000, 0xaa, 100);
	memset(img + 7000, 0xbb, 1000);
	snprintf(p, sizeof(p), "%s/two", dir);
	write_file(p, img, sizeof(img));
	mem = calloc(1, mem_size);
	assert_non_null(mem);
	assert_int_equal(loader__open(&im, p, &e), 0);
	assert_int_equal(im.kind, IMAGE_ELF64);
	assert_int_equal(loader__load(&im, p, mem, mem_size, 0, 0x8000,
				      0xf000, mem_size, &e),
			 0);
	assert_int_equal(im.entry, 0x100010);
	assert_int_equal(mem[0x100000], 0xaa);
	assert_int_equal(mem[0x100000 + 99], 0xaa);
	assert_int_equal(mem[0x100000 + 100], 0); /* .bss */
	assert_int_equal(mem[0x200000], 0xbb);
	assert_int_equal(mem[0x200000 + 999], 0xbb);
	assert_int_equal(mem[0x200000 + 1000], 0);
	loader__close(&im);

	/* Opened whole, then cut short before the segments are read. */
	assert_int_equal(loader__open(&im, p, &e), 0);
	assert_int_equal(truncate(p, 7500), 0);
	memset(mem, 0, mem_size);
	assert_int_equal(loader__load(&im, p, mem, mem_size, 0, 0x8000,
				      0xf000, mem_size, &e),
			 -1);
	assert_non_null(strstr(e.msg, "segment 1: short read"));
	loader__close(&im);
	free(mem);
	testing__rmtree(dir);
}

static void test_hello16_real_mode_uart(void **state)
{
	struct test_run r;

	(void)state;
	NEED_KVM();
	vmm_run(&r, guest("hello16"), NULL);
	assert_int_equal(r.exit_code, 0); /* hlt with IF=0: status 0 */
	assert_string_equal(r.out, "Hello from real mode!\n");
	testing__run_free(&r);
}

static void test_hello32_protected_mode_debug_exit(void **state)
{
	struct test_run r;

	(void)state;
	NEED_KVM();
	vmm_run(&r, guest("hello32"), NULL);
	/* isa-debug-exit with value 0: status (0 << 1) | 1 = 1. */
	assert_int_equal(r.exit_code, 1);
	assert_string_equal(r.out, "Hello from protected mode!\n");
	testing__run_free(&r);
}

static void test_hello32c_protected_mode_c_library(void **state)
{
	struct test_run r;

	(void)state;
	NEED_KVM();
	vmm_run(&r, guest("hello32c"), NULL);
	assert_int_equal(r.exit_code, 0); /* main returned 0: hlt */
	assert_string_equal(
		r.out, "Hello from protected mode in C, vCPU 0, 64 MiB!\n");
	testing__run_free(&r);
	/* PV console, two vCPUs: each knows itself from cpuid's APIC id. */
	vmm_run(&r, "--console", "pv", "--vcpus", "2", "--mem", "32M",
		guest("hello32c"), NULL);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(strstr(r.out, "vCPU 0, 32 MiB!\n"));
	assert_non_null(strstr(r.out, "vCPU 1, 32 MiB!\n"));
	testing__run_free(&r);
}

/* hello64 on a console: its text, and exact exit counts per port. */
static void hello64_console(const char *console, long *thr, long *lsr,
			    long *hcall)
{
	char dir[256], stats[300];
	struct test_run r;
	json_t *root;

	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(stats, sizeof(stats), "%s/s.json", dir);
	vmm_run(&r, "--console", console, "--stats", stats, guest("hello64"),
		NULL);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "Hello from long mode, ring 3, vCPU 0!\n");
	root = stats_load(stats);
	*thr = stats_count(root, "by_port", PORT_COM1);
	*lsr = stats_count(root, "by_port", PORT_COM1 + 5);
	*hcall = stats_count(root, "by_port", PORT_HYPERCALL);
	/* Milestones: entry, kernel (both ring 0), ready (main's first
	 * line), one exit each. */
	assert_int_equal(stats_count(root, "by_port", PORT_MARK), 3);
	assert_non_null(json_object_get(
		json_object_get(
			json_object_get(json_object_get(root, "data"), "t_ns"),
			"marks"),
		"ready"));
	/* Every result records which KVM ran it. */
	assert_non_null(json_string_value(json_object_get(
		json_object_get(json_object_get(root, "meta"), "kvm"),
		"backend")));
	json_decref(root);
	testing__run_free(&r);
	testing__rmtree(dir);
}

static void
test_uart_and_pv_print_same_text_exits_per_byte_vs_string(void **state)
{
	const long len =
		(long)strlen("Hello from long mode, ring 3, vCPU 0!\n");
	long thr, lsr, hcall;

	(void)state;
	NEED_KVM();
	hello64_console("uart", &thr, &lsr, &hcall);
	/* Polled UART: one LSR read and one THR write per byte (38). */
	assert_int_equal(thr, len);
	assert_int_equal(lsr, len);
	assert_int_equal(hcall, 0);
	hello64_console("pv", &thr, &lsr, &hcall);
	/* PV console: one hypercall for the one printf, no UART exit. */
	assert_int_equal(thr, 0);
	assert_int_equal(lsr, 0);
	assert_int_equal(hcall, 1);
}

/* --marks: the harness's one line, "ready", before the greeting; the
 * kernel's entry and kernel milestones stay in --stats only (mark.c). */
static void test_marks_prints_only_the_ready_line(void **state)
{
	struct test_run r;

	(void)state;
	NEED_KVM();
	vmm_run(&r, "--marks", guest("hello64"), NULL);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "isolab-mark: ready\n"
				   "Hello from long mode, ring 3, vCPU 0!\n");
	testing__run_free(&r);
}

static void test_exits_counts_are_exact(void **state)
{
	char dir[256], stats[300];
	struct test_run r;
	json_t *root;

	(void)state;
	NEED_KVM();
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(stats, sizeof(stats), "%s/s.json", dir);
	vmm_run(&r, "--arg", "1000", "--stats", stats, guest("exits"), NULL);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(strstr(r.out, "exit out-null n=1000 "));
	root = stats_load(stats);
	/* 1000 `out` to the null port: exactly 1000 IO exits there. */
	assert_int_equal(stats_count(root, "by_port", PORT_NULL), 1000);
	/* 1000 COUNT reads in the loop, plus one before and one after. */
	assert_int_equal(stats_count(root, "by_mmio",
				     LAYOUT_MMIO_TIMER + MMIO_TIMER_COUNT),
			 1002);
	/* The ioeventfd port never reaches userspace, once the guest has
	 * asked for it to be bound (one exit). */
	assert_int_equal(stats_count(root, "by_port", PORT_IOEVENTFD), 0);
	assert_int_equal(stats_count(root, "by_port", PORT_IOEVENTFD_BIND), 1);
	/* The vCPU thread ran in the kernel (KVM_RUN) for some time. */
	assert_true(
		json_integer_value(json_object_get(
			json_array_get(
				json_object_get(json_object_get(root, "data"),
						"exits_per_vcpu"),
				0),
			"sys_ns")) > 0);
	json_decref(root);
	testing__run_free(&r);
	/* Without the ioeventfd, the same 1000 writes are unclaimed exits. */
	vmm_run(&r, "--no-ioeventfd", "--arg", "1000", "--stats", stats,
		guest("exits"), NULL);
	assert_int_equal(r.exit_code, 0);
	root = stats_load(stats);
	assert_int_equal(stats_count(root, "by_port", PORT_IOEVENTFD), 1000);
	assert_int_equal(stats_count(root, "by_port", PORT_IOEVENTFD_BIND), 1);
	assert_int_equal(
		json_integer_value(json_object_get(
			json_object_get(json_object_get(root, "data"), "exits"),
			"unclaimed_pio")),
		1000);
	json_decref(root);
	testing__run_free(&r);
	testing__rmtree(dir);
}

static void test_echo_reads_stdin_through_the_uart(void **state)
{
	char dir[256], in[300], stats[300], vmm[512];
	char *argv[] = {vmm, "--input", "--stats", stats, guest("echo"), NULL};
	struct test_run r;
	json_t *root;

	(void)state;
	NEED_KVM();
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(in, sizeof(in), "%s/in", dir);
	snprintf(stats, sizeof(stats), "%s/s.json", dir);
	write_file(in, "hello\nworld\n\004", 13);
	testing__path(vmm, sizeof(vmm), "bin", "mini-vmm");
	assert_int_equal(testing__run(argv, in, 60, &r), 0);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(strstr(r.out, "echo 1: hello\necho 2: world\n"));
	assert_non_null(strstr(r.out, "echo: 2 lines\n"));
	root = stats_load(stats);
	/* 13 bytes in: "hello\n" (6), "world\n" (6), Ctrl-D (1). */
	assert_int_equal(
		json_integer_value(json_object_get(
			json_object_get(root, "data"), "uart_rx_bytes")),
		13);
	json_decref(root);
	testing__run_free(&r);
	testing__rmtree(dir);
}

static void test_smp_vcpus_meet(void **state)
{
	struct test_run r;

	(void)state;
	NEED_KVM();
	vmm_run(&r, "--vcpus", "3", guest("smp"), NULL);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(strstr(r.out, "vCPU 0 of 3 here\n"));
	assert_non_null(strstr(r.out, "vCPU 1 of 3 here\n"));
	assert_non_null(strstr(r.out, "vCPU 2 of 3 here\n"));
	assert_non_null(strstr(r.out, "all 3 vCPUs met\n"));
	testing__run_free(&r);
}

static void test_sensitive_ring0_sees_our_signature(void **state)
{
	struct test_run r;
	int kvm_pvm = access("/sys/module/kvm_pvm", F_OK) == 0;

	(void)state;
	NEED_KVM();
	vmm_run(&r, guest("sensitive"), NULL);
	assert_int_equal(r.exit_code, 0);
	/* KVM answers ring-0 cpuid from our KVM_SET_CPUID2 table. */
	assert_non_null(strstr(r.out, "ring0 cpuid 0x40000000: \""
				      "isolabMiniVM"
				      "\""));
	assert_non_null(strstr(r.out, "ring3 cpuid 0x40000000: "));
	/* PVM runs ring 3 natively: ring-3 cpuid reaches the outer
	 * hypervisor, which does not know our signature. */
	if (kvm_pvm)
		assert_non_null(strstr(r.out, "ring 3 does not see"));
	else
		assert_non_null(strstr(r.out, "ring 3 sees"));
	testing__run_free(&r);
}

static void test_dirty_log_counts_pages_memtouch_wrote(void **state)
{
	char dir[256], stats[300];
	struct test_run r;
	json_t *root;
	json_int_t dirty;

	(void)state;
	NEED_KVM();
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(stats, sizeof(stats), "%s/s.json", dir);
	vmm_run(&r, "--dirty-log", "--stats", stats, "--arg", "16",
		guest("memtouch"), NULL);
	assert_int_equal(r.exit_code, 0);
	root = stats_load(stats);
	dirty = json_integer_value(json_object_get(
		json_object_get(root, "data"), "guest_dirty_pages"));
	/* memtouch writes one byte in each of 16 MiB / 4 KiB = 4096 pages;
	 * its stacks, data and the kernel's add a few dozen more. */
	assert_true(dirty >= 4096);
	assert_true(dirty < 4096 + 256);
	json_decref(root);
	testing__run_free(&r);
	testing__rmtree(dir);
}

/* KVM_GET_SUPPORTED_CPUID, cached: the first query stores what KVM said,
 * the second reads back the same bytes; another boot or module instance
 * (a different key), a truncated file and one others may write are
 * misses, answered by KVM again. */
static void test_cpuid_cache_holds_what_kvm_said(void **state)
{
	char dir[256], cache[300], file[320];
	struct kvm_cpuid2 *direct, *first, *again;
	struct cpuid_key key, other;
	struct isolab_err e;
	bool hit;
	int kvm;

	(void)state;
	NEED_KVM();
	if (cpuid__key(&key) < 0)
		TEST_SKIP("no boot id or /sys/module/kvm: nothing to key on");
	assert_true(strlen(key.boot_id) >= 36);
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	assert_true(kvm >= 0);
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(cache, sizeof(cache), "%s/cache", dir);
	snprintf(file, sizeof(file), "%s/cpuid", cache);

	direct = cpuid__supported(kvm, NULL, NULL, &hit, &e);
	assert_non_null(direct);
	assert_false(hit);
	assert_true(direct->nent > 0);
	first = cpuid__supported(kvm, cache, &key, &hit, &e);
	assert_non_null(first);
	assert_false(hit);
	again = cpuid__supported(kvm, cache, &key, &hit, &e);
	assert_non_null(again);
	assert_true(hit);
	assert_int_equal(again->nent, direct->nent);
	assert_memory_equal(again->entries, direct->entries,
			    direct->nent * sizeof(direct->entries[0]));
	free(first);
	free(again);

	other = key;
	other.module_ino[0]++; /* kvm reloaded */
	again = cpuid__supported(kvm, cache, &other, &hit, &e);
	assert_non_null(again);
	assert_false(hit);
	free(again);
	/* That stored the other key's table: ours is a miss, then a hit. */
	free(cpuid__supported(kvm, cache, &key, &hit, &e));
	assert_false(hit);
	free(cpuid__supported(kvm, cache, &key, &hit, &e));
	assert_true(hit);

	assert_int_equal(truncate(file, 100), 0);
	free(cpuid__supported(kvm, cache, &key, &hit, &e));
	assert_false(hit);
	assert_int_equal(chmod(file, 0622), 0);
	free(cpuid__supported(kvm, cache, &key, &hit, &e));
	assert_false(hit);

	free(direct);
	close(kvm);
	testing__rmtree(dir);
}

/* --stats says where the table came from; --no-cpuid-cache asks KVM. */
static void test_stats_name_the_cpuid_source(void **state)
{
	char dir[256], stats[300];
	struct test_run r;
	json_t *root;

	(void)state;
	NEED_KVM();
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(stats, sizeof(stats), "%s/s.json", dir);
	vmm_run(&r, "--no-cpuid-cache", "--stats", stats, guest("hello64"),
		NULL);
	assert_int_equal(r.exit_code, 0);
	testing__run_free(&r);
	root = stats_load(stats);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(root, "data"),
				    "cpuid_source")),
			    "kvm");
	json_decref(root);
	/* As root the first run fills CPUID_CACHE_DIR, so the second one
	 * reads it; others cannot write there and always ask KVM. */
	for (int i = 0; i < 2; i++) {
		vmm_run(&r, "--stats", stats, guest("hello64"), NULL);
		assert_int_equal(r.exit_code, 0);
		testing__run_free(&r);
	}
	root = stats_load(stats);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(root, "data"),
				    "cpuid_source")),
			    testing__is_root() ? "cache" : "kvm");
	json_decref(root);
	testing__rmtree(dir);
}

/* Built with a sanitizer?  Then mini-vmm is too, and linked with glibc
 * (mini-vmm.mk: the sanitizer runtimes need it), not musl. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#define VMM_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) ||                                        \
	__has_feature(undefined_behavior_sanitizer)
#define VMM_SANITIZED 1
#endif
#endif

/* The program's start-up executes no `cpuid`: it is linked with musl
 * (mini-vmm.mk), whose start-up asks the CPU nothing, where glibc's asks
 * 43 times, and on these machines each `cpuid` traps to the outer
 * hypervisor (README, "Where boot time goes").  `mini-vmm --help` is run
 * one instruction at a time under ptrace, counting the instructions whose
 * first bytes are cpuid's opcode (0f a2). */
static void test_start_up_executes_no_cpuid(void **state)
{
	char vmm[512];
	long steps = 0, cpuids = 0;
	int st;
	pid_t pid;

	(void)state;
#ifdef VMM_SANITIZED
	TEST_SKIP("the sanitized mini-vmm is linked with glibc, not musl");
#endif
	testing__path(vmm, sizeof(vmm), "bin", "mini-vmm");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			_exit(126);
		execl(vmm, vmm, "--help", (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 126)
		TEST_SKIP("ptrace is not permitted here");
	assert_true(WIFSTOPPED(st)); /* at the exec */
	while (steps < 10000000) {
		struct user_regs_struct regs;
		long word;

		assert_int_equal(ptrace(PTRACE_GETREGS, pid, NULL, &regs), 0);
		errno = 0;
		word = ptrace(PTRACE_PEEKTEXT, pid, (void *)regs.rip, NULL);
		assert_int_equal(errno, 0);
		if ((word & 0xffff) == 0xa20f)
			cpuids++;
		assert_int_equal(ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL), 0);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		steps++;
		if (WIFEXITED(st) || WIFSIGNALED(st))
			break;
	}
	if (!WIFEXITED(st) && !WIFSIGNALED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		fail_msg("mini-vmm --help still running after %ld steps",
			 steps);
	}
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_true(steps > 100); /* it really ran, step by step */
	assert_int_equal(cpuids, 0);
}

static void test_memtouch_runs_in_ring3(void **state)
{
	struct test_run r;

	(void)state;
	NEED_KVM();
	vmm_run(&r, "--arg", "16", guest("memtouch"), NULL);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(strstr(r.out, "memtouch touch_mib=16 ns_per_page="));
	assert_non_null(
		strstr(r.out, "memtouch chase_ws_mib=16 steps=1000000"));
	testing__run_free(&r);
}

/* The checksum line a program printed, or "" (static buffer). */
static const char *checksum_of(const char *out)
{
	static char buf[64];
	const char *p = strstr(out, "checksum ");
	size_t n = 0;

	buf[0] = '\0';
	if (p) {
		while (p[n] && p[n] != '\n' && n < sizeof(buf) - 1)
			n++;
		memcpy(buf, p, n);
		buf[n] = '\0';
	}
	return buf;
}

static void test_shared_workloads_match_native_checksums(void **state)
{
	static const char *const w[] = {"hello",  "fib",     "sieve",
					"matmul", "crc32",   "nbody",
					"sort",	  "memrand", "syscalls"};
	char vm[512], native[512], want[64];

	(void)state;
	NEED_KVM();
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		char *argv[] = {native, NULL};
		struct test_run r;

		snprintf(vm, sizeof(vm), "%s/workloads/vm/%s",
			 testing__build_dir(), w[i]);
		snprintf(native, sizeof(native), "%s/workloads/native/%s",
			 testing__build_dir(), w[i]);
		assert_int_equal(testing__run(argv, NULL, 60, &r), 0);
		assert_int_equal(r.exit_code, 0);
		snprintf(want, sizeof(want), "%s", checksum_of(r.out));
		testing__run_free(&r);
		assert_true(want[0] != '\0');
		/* The same source computes the same value in the guest (SSE
		 * doubles included); ready and done marks reach stdout. */
		vmm_run(&r, "--console", "pv", "--mem", "128M", vm, NULL);
		assert_int_equal(r.exit_code, 0);
		assert_string_equal(checksum_of(r.out), want);
		assert_non_null(strstr(r.out, "isolab-mark: ready\n"));
		assert_non_null(strstr(r.out, "isolab-mark: done\n"));
		testing__run_free(&r);
	}
}

/* ---- misbehaving guests: reported, never a VMM crash ---- */

static void test_ud2_without_idt_is_a_triple_fault(void **state)
{
	struct test_run r;

	(void)state;
	NEED_KVM();
	vmm_run(&r, guest("ud2"), NULL);
	assert_int_equal(r.exit_code, 4);
	assert_non_null(strstr(r.err, "triple fault (KVM_EXIT_SHUTDOWN)"));
	assert_non_null(strstr(r.err, "rip=0000000000100000")); /* the ud2 */
	testing__run_free(&r);
}

static void test_tripfault_is_reported_with_registers(void **state)
{
	struct test_run r;

	(void)state;
	NEED_KVM();
	vmm_run(&r, guest("tripfault"), NULL);
	/* 4 (KVM_EXIT_SHUTDOWN) on VT-x/AMD-V; PVM's ring-0 emulator stops
	 * first with KVM_EXIT_INTERNAL_ERROR: 6. */
	assert_true(r.exit_code == 4 || r.exit_code == 6);
	assert_non_null(strstr(r.err, "idt=0000000000000000/0"));
	testing__run_free(&r);
}

static void test_unclaimed_mmio_and_port_read_all_ones(void **state)
{
	char dir[256], stats[300];
	struct test_run r;
	json_t *root;

	(void)state;
	NEED_KVM();
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(stats, sizeof(stats), "%s/s.json", dir);
	vmm_run(&r, "--trace", "--stats", stats, guest("badmmio"), NULL);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(
		strstr(r.out, "unclaimed mmio read: 0xffffffffffffffff"));
	assert_non_null(strstr(r.out, "unclaimed port read: 0xff\n"));
	assert_non_null(strstr(r.err, "MMIO write addr=0xe0000000 len=4 "
				      "data=0x12345678 unclaimed"));
	root = stats_load(stats);
	/* One write and one read at 0xe0000000; one read of port 0x99. */
	assert_int_equal(stats_count(root, "by_mmio", 0xe0000000), 2);
	assert_int_equal(stats_count(root, "by_port", 0x99), 1);
	json_decref(root);
	testing__run_free(&r);
	testing__rmtree(dir);
}

static void test_timeout_stops_a_spinning_guest_124(void **state)
{
	struct test_run r;

	(void)state;
	NEED_KVM();
	vmm_run(&r, "--timeout", "0.5", guest("spin"), NULL);
	assert_int_equal(r.exit_code, 124);
	assert_non_null(strstr(r.err, "timed out after 0.5 s"));
	testing__run_free(&r);
}

static void test_real_mode_triple_fault_is_stopped_4_or_124(void **state)
{
	struct test_run r;

	(void)state;
	NEED_KVM();
	vmm_run(&r, "--timeout", "1", guest("triple16"), NULL);
	/* VT-x/AMD-V: KVM_EXIT_SHUTDOWN, 4.  PVM loops inside KVM_RUN; the
	 * timeout's signal and immediate_exit get the thread out: 124. */
	if (access("/sys/module/kvm_pvm", F_OK) == 0)
		assert_int_equal(r.exit_code, 124);
	else
		assert_int_equal(r.exit_code, 4);
	testing__run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bus_refuses_overlapping_ranges),
		cmocka_unit_test(test_bus_unclaimed_reads_all_ones),
		cmocka_unit_test(test_uart_lsr_reports_thr_empty),
		cmocka_unit_test(test_uart_dlab_swaps_in_divisor_latch),
		cmocka_unit_test(test_uart_loopback_echoes_like_8250_probe),
		cmocka_unit_test(test_uart_receives_from_input_fd),
		cmocka_unit_test(test_exitstats_merge_adds_counts),
		cmocka_unit_test(test_bad_options_exit_2),
		cmocka_unit_test(test_missing_empty_truncated_images_exit_2),
		cmocka_unit_test(test_images_that_do_not_fit_exit_2),
		cmocka_unit_test(test_elf_bad_class_and_odd_phoff_are_handled),
		cmocka_unit_test(
			test_loader_places_segments_and_reports_a_shrunk_file),
		cmocka_unit_test(test_hello16_real_mode_uart),
		cmocka_unit_test(test_hello32_protected_mode_debug_exit),
		cmocka_unit_test(test_hello32c_protected_mode_c_library),
		cmocka_unit_test(
			test_uart_and_pv_print_same_text_exits_per_byte_vs_string),
		cmocka_unit_test(test_marks_prints_only_the_ready_line),
		cmocka_unit_test(test_exits_counts_are_exact),
		cmocka_unit_test(test_echo_reads_stdin_through_the_uart),
		cmocka_unit_test(test_smp_vcpus_meet),
		cmocka_unit_test(test_sensitive_ring0_sees_our_signature),
		cmocka_unit_test(test_cpuid_cache_holds_what_kvm_said),
		cmocka_unit_test(test_stats_name_the_cpuid_source),
		cmocka_unit_test(test_start_up_executes_no_cpuid),
		cmocka_unit_test(test_memtouch_runs_in_ring3),
		cmocka_unit_test(test_shared_workloads_match_native_checksums),
		cmocka_unit_test(test_dirty_log_counts_pages_memtouch_wrote),
		cmocka_unit_test(test_ud2_without_idt_is_a_triple_fault),
		cmocka_unit_test(test_tripfault_is_reported_with_registers),
		cmocka_unit_test(test_unclaimed_mmio_and_port_read_all_ones),
		cmocka_unit_test(test_timeout_stops_a_spinning_guest_124),
		cmocka_unit_test(
			test_real_mode_triple_fault_is_stopped_4_or_124),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
