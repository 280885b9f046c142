# SPDX-License-Identifier: MIT
# How the command-line tests record their checks: one "ok:"/"FAIL:" line a
# check, the failures collected for the summary and the exit status.
failures = []


def check(cond, what):
    print(("ok:   " if cond else "FAIL: ") + what)
    if not cond:
        failures.append(what)


def summary(passed):
    """The exit status: 1 after listing the failures, else 0 after saying
    'all <passed> tests passed'."""
    if failures:
        print("\n%d failure(s):" % len(failures))
        for f in failures:
            print("  " + f)
        return 1
    print("\nall %s tests passed" % passed)
    return 0
