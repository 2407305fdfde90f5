# SPDX-License-Identifier: Apache-2.0
"""Shared helpers for the nono_py tests.

Every test that applies a sandbox forks: the child applies, tries the
operation and exits with a code that says what happened; the parent
asserts on that code. The pytest process itself is never sandboxed.
"""
import os
import socket
import sys
from typing import Callable, Iterator, Tuple

import pytest

# Exit codes a child reports.
CHILD_OK = 0
CHILD_EXCEPTION = 99


def _report(exc: BaseException) -> None:
    # In a sandboxed child the traceback module cannot read the source
    # files it would quote, so name the frames by file and line only.
    sys.stderr.write("child failed: %r\n" % exc)
    tb = exc.__traceback__
    while tb is not None:
        sys.stderr.write("  %s:%d\n" % (tb.tb_frame.f_code.co_filename,
                                        tb.tb_lineno))
        tb = tb.tb_next


def run_in_child(body: Callable[[], int]) -> int:
    """Runs body() in a forked child and returns its exit code.

    A child killed by a signal gives -signal; an exception in body gives
    CHILD_EXCEPTION after its traceback on stderr.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = CHILD_EXCEPTION
        try:
            code = body()
        except BaseException as e:
            _report(e)
        finally:
            sys.stderr.flush()
            # Never return into pytest from the child.
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


@pytest.fixture
def tree(tmp_path) -> Iterator[Tuple[str, str]]:
    """Two directories, each with one file: (allowed, secret)."""
    allowed = tmp_path / "allowed"
    secret = tmp_path / "secret"
    allowed.mkdir()
    secret.mkdir()
    (allowed / "hello.txt").write_text("hello\n")
    (secret / "password.txt").write_text("hunter2\n")
    yield str(allowed), str(secret)


@pytest.fixture
def listener() -> Iterator[int]:
    """A TCP socket listening on 127.0.0.1; yields its port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()
