// SPDX-License-Identifier: Apache-2.0
/*
 * probe32 FILE...: a 32-bit x86 program with a program interpreter
 * (/lib/ld-linux.so.2) and no C library, built only where the compiler can
 * make one (tests/helpers/meson.build). It creates its last argument and
 * prints "ok" (status 0) or "EACCES" (status 1) or "error" (status 2): a
 * program the 64-bit shim cannot be loaded into. The last argument, so
 * that it can be the interpreter of a "#!" script too.
 */
#define SYS32_EXIT 1
#define SYS32_WRITE 4
#define SYS32_OPEN 5
#define SYS32_CLOSE 6
#define O32_WRONLY 01
#define O32_CREAT 0100
#define O32_TRUNC 01000
#define E32_ACCES 13

static long sys32(long nr, long a, long b, long c)
{
	long rc;

	__asm__ volatile("int $0x80"
			 : "=a"(rc)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory");
	return rc;
}

static void say(const char *text, long len)
{
	sys32(SYS32_WRITE, 1, (long)text, len);
}

/* Called by _start with the initial stack: argc, then argv. */
__attribute__((used)) static void probe32_main(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	long fd, status = 2;

	if (argc >= 2) {
		fd = sys32(SYS32_OPEN, (long)argv[argc - 1],
			   O32_WRONLY | O32_CREAT | O32_TRUNC, 0644);
		if (fd >= 0) {
			sys32(SYS32_CLOSE, fd, 0, 0);
			say("ok\n", 3);
			status = 0;
		} else if (fd == -E32_ACCES) {
			say("EACCES\n", 7);
			status = 1;
		} else {
			say("error\n", 6);
		}
	}
	sys32(SYS32_EXIT, status, 0, 0);
}

__asm__(".globl _start\n"
	"_start:\n"
	"\tmovl %esp, %eax\n"
	"\tandl $-16, %esp\n"
	"\tsubl $12, %esp\n"
	"\tpushl %eax\n"
	"\tcall probe32_main\n"
	"\thlt\n");
