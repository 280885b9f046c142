/* SPDX-License-Identifier: MIT */
/* Child processes for igdpt vm and the benchmarks (see vm_proc.h). */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vm_proc.h"

double vm_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In the child after fork: only async-signal-safe calls, report errno on the
 * pipe and _exit, never return. */
__attribute__((noreturn)) static void child_exec(char *const argv[], const int *keep_fds, size_t nkeep,
		       const char *stdout_path, const char *stderr_path, int report_fd,
		       pid_t parent)
{
	int fd, err;

	/* Our own process group: terminal signals go to the parent only. */
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The parent may have died before PDEATHSIG was armed. */
	if (getppid() != parent)
		_exit(127);
	fd = open("/dev/null", O_RDONLY);
	if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
		goto fail;
	close(fd);
	if (stdout_path) {
		fd = open(stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
			goto fail;
		close(fd);
	}
	if (stderr_path) {
		fd = open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
			goto fail;
		close(fd);
	}
	/* Every other fd is O_CLOEXEC; the ones this child needs are not. */
	for (size_t i = 0; i < nkeep; i++) {
		int flags = fcntl(keep_fds[i], F_GETFD);

		if (flags < 0 || fcntl(keep_fds[i], F_SETFD, flags & ~FD_CLOEXEC) < 0)
			goto fail;
	}
	execv(argv[0], argv);
fail:
	err = errno;
	if (write(report_fd, &err, sizeof(err)) < 0)
		err = 0;
	_exit(127);
}

int vm_proc_spawn(struct vm_proc *p, const char *name, char *const argv[], const int *keep_fds,
		  size_t nkeep, const char *stdout_path, const char *stderr_path, char *err,
		  size_t err_size)
{
	int pipefd[2], child_err = 0, ret;
	pid_t pid, parent = getpid();
	ssize_t n;

	memset(p, 0, sizeof(*p));
	p->name = name;
	p->pid = -1;
	p->pidfd = -1;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		ret = -errno;
		snprintf(err, err_size, "cannot start %s: pipe: %s", name, strerror(errno));
		return ret;
	}
	p->t_start = vm_now();
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		snprintf(err, err_size, "cannot start %s: fork: %s", name, strerror(errno));
		goto close_pipe;
	}
	if (pid == 0) {
		close(pipefd[0]);
		child_exec(argv, keep_fds, nkeep, stdout_path, stderr_path, pipefd[1], parent);
	}
	close(pipefd[1]);
	pipefd[1] = -1;
	/* The write end closes on exec: EOF means the program is running. */
	do
		n = read(pipefd[0], &child_err, sizeof(child_err));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(child_err)) {
		waitpid(pid, NULL, 0);
		ret = -child_err;
		snprintf(err, err_size, "cannot execute %s (%s): %s", name, argv[0],
			 strerror(child_err));
		goto close_pipe;
	}
	p->pid = pid;
	p->running = true;
	p->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	ret = 0;
close_pipe:
	close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return ret;
}

static void reaped(struct vm_proc *p, int status)
{
	p->t_end = vm_now();
	p->running = false;
	if (WIFEXITED(status)) {
		p->exited = true;
		p->exit_code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		p->signal = WTERMSIG(status);
	}
	if (p->pidfd >= 0) {
		close(p->pidfd);
		p->pidfd = -1;
	}
}

int vm_proc_wait(struct vm_proc *p, double deadline)
{
	for (;;) {
		int status;
		pid_t r;
		double left;

		if (!p->running)
			return 0;
		r = wait4(p->pid, &status, WNOHANG, &p->ru);
		if (r == p->pid) {
			reaped(p, status);
			return 0;
		}
		if (r < 0 && errno != EINTR)
			return -errno;
		left = deadline - vm_now();
		if (left <= 0)
			return -ETIMEDOUT;
		if (p->pidfd >= 0) {
			struct pollfd pfd = { .fd = p->pidfd, .events = POLLIN };
			int ms = left > 1000.0 ? 1000000 : (int)(left * 1000.0) + 1;

			poll(&pfd, 1, ms);
		} else {
			/* No pidfd (old kernel): poll the status every millisecond. */
			struct timespec ts = { 0, 1000000 };

			nanosleep(&ts, NULL);
		}
	}
}

void vm_proc_kill(struct vm_proc *p)
{
	int status;

	if (!p->running)
		return;
	kill(p->pid, SIGKILL);
	p->killed_by_us = true;
	while (wait4(p->pid, &status, 0, &p->ru) < 0 && errno == EINTR)
		;
	reaped(p, status);
}

void vm_proc_stop(struct vm_proc *p, double grace)
{
	if (!p->running)
		return;
	kill(p->pid, SIGTERM);
	p->killed_by_us = true;
	if (vm_proc_wait(p, vm_now() + grace) == 0)
		return;
	vm_proc_kill(p);
}

void vm_proc_status_text(const struct vm_proc *p, char *buf, size_t size)
{
	if (p->running)
		snprintf(buf, size, "still running");
	else if (p->exited)
		snprintf(buf, size, "exit status %d", p->exit_code);
	else
		snprintf(buf, size, "killed by signal %d (%s)%s", p->signal, strsignal(p->signal),
			 p->killed_by_us ? ", by igdpt vm" : "");
}

double vm_proc_cpu_seconds(const struct vm_proc *p)
{
	return (double)p->ru.ru_utime.tv_sec + (double)p->ru.ru_utime.tv_usec / 1e6 +
	       (double)p->ru.ru_stime.tv_sec + (double)p->ru.ru_stime.tv_usec / 1e6;
}

/* Reads the child's stdout until EOF, the deadline or an interruption. */
static int capture_read(int fd, char *out, size_t size, double deadline, int (*interrupted)(void))
{
	size_t n = 0;
	char sink[512];

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double left = deadline - vm_now();
		ssize_t r;

		if (interrupted && interrupted())
			return -EINTR;
		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, left > 0.25 ? 250 : (int)(left * 1000.0) + 1) <= 0)
			continue;
		if (n + 1 < size)
			r = read(fd, out + n, size - 1 - n);
		else
			r = read(fd, sink, sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : 0;
		if (n + 1 < size)
			n += (size_t)r;
		out[n] = 0;
	}
}

int vm_proc_capture(char *const argv[], char *out, size_t size, double seconds,
		    int (*interrupted)(void), int *status, char *err, size_t err_size)
{
	int pipefd[2], ret, wstatus = 0;
	pid_t pid;

	if (!size)
		return -EINVAL;
	out[0] = 0;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		ret = -errno;
		snprintf(err, err_size, "cannot run %s: pipe: %s", argv[0], strerror(-ret));
		return ret;
	}
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		snprintf(err, err_size, "cannot run %s: fork: %s", argv[0], strerror(-ret));
		close(pipefd[0]);
		close(pipefd[1]);
		return ret;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(null, STDERR_FILENO) < 0 ||
		    dup2(pipefd[1], STDOUT_FILENO) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	ret = capture_read(pipefd[0], out, size, vm_now() + seconds, interrupted);
	close(pipefd[0]);
	if (ret < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	if (ret == -ETIMEDOUT)
		snprintf(err, err_size, "%s did not end within %g s", argv[0], seconds);
	else if (ret < 0 && ret != -EINTR)
		snprintf(err, err_size, "%s: reading its output: %s", argv[0], strerror(-ret));
	if (status)
		*status = wstatus;
	return ret;
}
