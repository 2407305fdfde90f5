#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs the nono_py tests under pytest and reports each one in TAP.

Meson runs this with the TAP protocol, so that the test count is one per
pytest test rather than one for the whole suite. TAP goes to standard
output; pytest's own report goes to standard error. Extra arguments are
passed on to pytest.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


class TapReporter:
    """A pytest plugin writing one TAP line per test, and the plan last."""

    def __init__(self, out):
        self.out = out
        self.count = 0
        self.outcomes = {}

    def _line(self, ok, name, directive=""):
        self.count += 1
        # '#' would start a TAP directive inside the name.
        name = name.replace("#", "")
        self.out.write("%s %d - %s%s\n" % ("ok" if ok else "not ok",
                                            self.count, name, directive))

    def pytest_collectreport(self, report):
        if report.failed:
            self._line(False, "collect " + (report.nodeid or "tests"))

    def pytest_runtest_logreport(self, report):
        # A test reports its setup, call and teardown; the worst wins.
        outcome = self.outcomes.setdefault(report.nodeid, ["passed", ""])
        if report.failed:
            outcome[0] = "failed"
        elif report.skipped and outcome[0] == "passed":
            outcome[0] = "xfail" if hasattr(report, "wasxfail") else \
                "skipped"
            if isinstance(report.longrepr, tuple):
                reason = str(report.longrepr[2])
                if reason.startswith("Skipped: "):
                    reason = reason[len("Skipped: "):]
                outcome[1] = reason

    def pytest_runtest_logfinish(self, nodeid, location):
        outcome, reason = self.outcomes.pop(nodeid, ["passed", ""])
        if outcome == "failed":
            self._line(False, nodeid)
        elif outcome == "skipped":
            self._line(True, nodeid, " # SKIP " + reason)
        elif outcome == "xfail":
            self._line(False, nodeid, " # TODO " + reason)
        else:
            self._line(True, nodeid)

    def finish(self):
        self.out.write("1..%d\n" % self.count)


def main():
    # Keep the real standard output for TAP, and send everything else
    # written to it (pytest's report, and the tests' own output) to
    # standard error, where it cannot be mistaken for a TAP line.
    tap = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    try:
        import pytest
    except ImportError:
        tap.write("Bail out! pytest is not installed for %s "
                  "(Debian: apt-get install python3-pytest)\n" %
                  sys.executable)
        return 1
    reporter = TapReporter(tap)
    rc = pytest.main([HERE, "-q"] + sys.argv[1:],
                     plugins=[reporter])
    reporter.finish()
    if reporter.count == 0:
        tap.write("Bail out! no tests ran (pytest exit status %d)\n" % rc)
        return 1
    return int(rc)


if __name__ == "__main__":
    sys.exit(main())
