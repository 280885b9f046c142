/* SPDX-License-Identifier: MIT */
/* Child processes with exactly the fds they need, waited for against a
 * deadline (pidfd + poll: no busy loop, no SIGCHLD handler), stopped politely
 * or killed, with their status and CPU time. igdpt vm runs QEMU and
 * igdpt-device through it; so does bench/bench_vm.c. */
#ifndef IGDPT_TOOLS_VM_PROC_H
#define IGDPT_TOOLS_VM_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

struct vm_proc {
	const char *name; /* for messages: "qemu", "igdpt-device" */
	pid_t pid;
	int pidfd;
	bool running;
	bool exited;   /* WIFEXITED */
	int exit_code; /* when exited */
	int signal;    /* when killed by a signal */
	bool killed_by_us;
	struct rusage ru;
	double t_start, t_end; /* monotonic seconds */
};

/* Seconds on CLOCK_MONOTONIC. */
double vm_now(void);

/* Starts argv[0] (a path) with stdin /dev/null, stdout and stderr to the
 * given files (NULL: inherit), and only the listed fds inherited besides
 * 0-2. The child gets a process group of its own, so a terminal's Ctrl-C
 * reaches only the parent, which stops its children in the order it
 * chooses, and it dies with the parent (PDEATHSIG). Returns 0, or -errno
 * with err saying what (a missing or non-executable program is reported
 * from the exec). */
int vm_proc_spawn(struct vm_proc *p, const char *name, char *const argv[], const int *keep_fds,
		  size_t nkeep, const char *stdout_path, const char *stderr_path, char *err,
		  size_t err_size);
/* Waits for p to end until the monotonic deadline. 0 when it ended (status
 * and rusage filled), -ETIMEDOUT otherwise. A signal to the parent ends the
 * wait early only by the deadline: callers that must react to signals pass
 * short deadlines and loop. */
int vm_proc_wait(struct vm_proc *p, double deadline);
/* SIGKILLs p if running and reaps it. */
void vm_proc_kill(struct vm_proc *p);
/* SIGTERM, then SIGKILL if p has not ended after grace seconds; reaps it. */
void vm_proc_stop(struct vm_proc *p, double grace);
/* "exit status 3", "killed by signal 9 (Killed)" */
void vm_proc_status_text(const struct vm_proc *p, char *buf, size_t size);
/* User+system CPU seconds of the ended child. */
double vm_proc_cpu_seconds(const struct vm_proc *p);

/* Runs argv[0] (a path) with stdin and stderr /dev/null and collects what
 * it writes to stdout, NUL-terminated, up to size - 1 bytes (the rest is
 * read and dropped). The child is killed when it has not ended by
 * `seconds`, or when interrupted() (may be NULL) returns non-zero, checked
 * at least every 0.25 s. 0 with *status its wait status; -ETIMEDOUT,
 * -EINTR (interrupted) or -errno with err saying what. For short queries
 * such as `qemu-system-x86_64 --version`. */
int vm_proc_capture(char *const argv[], char *out, size_t size, double seconds,
		    int (*interrupted)(void), int *status, char *err, size_t err_size);

#endif
