# SPDX-License-Identifier: Apache-2.0
"""nono-py's README examples, run verbatim, with the results it shows.

The examples are the Python code blocks of nono-py 0.10's README, kept in
tests/data/python/nono-py-readme-examples.md. They are executed as
written; the only change is /home/user/project, which does not exist
here, made a temporary directory. Blocks after the first use names they
do not import, as a reader would after the first block's import: they run
with nono_py's names in scope.
"""
import ast
import contextlib
import io
import json
import os
import pathlib
import re
import socket

import pytest

import nono_py
from conftest import CHILD_OK, run_in_child

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = ROOT / "tests" / "data" / "python" / "nono-py-readme-examples.md"

# The blocks of the README, in order.
USAGE, CAPABILITY_SET, QUERY_CONTEXT, SANDBOX_STATE, SUPPORT_INFO = range(5)


@pytest.fixture(scope="module")
def blocks():
    found = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert len(found) == 5, "%s has changed" % README
    return found


def _namespace():
    return {name: getattr(nono_py, name) for name in nono_py.__all__}


def _run(code, project):
    ns = _namespace()
    exec(compile(code.replace("/home/user/project", project),
                 str(README), "exec"), ns)
    return ns


def test_usage_applies_the_sandbox_it_describes(blocks, tmp_path, listener):
    project = tmp_path / "project"
    project.mkdir()
    (project / "notes.txt").write_text("notes\n")
    code = blocks[USAGE]
    assert "apply(caps)" in code

    def child():
        _run(code, str(project))
        # "Now the process can only access granted paths".
        with open("/etc/hosts", "rb") as f:
            f.read()
        with open(project / "notes.txt") as f:
            f.read()
        try:
            open("/etc/passwd", "rb").close()
            return 10
        except PermissionError:
            pass
        # "Network access is blocked".
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.connect(("127.0.0.1", listener))
            return 20
        except PermissionError:
            pass
        # "This applies to all child processes too".
        pid = os.fork()
        if pid == 0:
            try:
                open("/etc/passwd", "rb").close()
                os._exit(1)
            except PermissionError:
                os._exit(0)
        _, status = os.waitpid(pid, 0)
        return CHILD_OK if os.waitstatus_to_exitcode(status) == 0 else 30

    if not nono_py.is_supported():
        pytest.skip("no sandbox here: " + nono_py.support_info().details)
    assert run_in_child(child) == CHILD_OK
    # The parent was not sandboxed.
    open("/etc/passwd", "rb").close()


def test_capability_set_example(blocks, tmp_path):
    ns = _run(blocks[CAPABILITY_SET], str(tmp_path))
    caps = ns["caps"]
    assert [(c.resolved, str(c.access), c.is_file)
            for c in caps.fs_capabilities()] == [
        ("/tmp", "read+write", False), ("/etc/hosts", "read", True)]
    assert caps.is_network_blocked is True
    assert caps.allowed_commands() == ["git"]
    assert caps.blocked_commands() == ["rm"]
    assert len(caps.platform_rules()) == 1
    assert caps.path_covered("/tmp/foo") is True
    assert caps.summary().startswith("Filesystem:\n  /tmp [read+write]")


def test_query_context_example_gives_the_results_shown(blocks, tmp_path):
    # Each `result = ...` line is followed by a comment with the result
    # the README shows; run up to it and compare.
    ns = _namespace()
    segment = []
    compared = 0
    for line in blocks[QUERY_CONTEXT].splitlines():
        shown = re.fullmatch(r"# (\{.*\})", line)
        if not shown:
            segment.append(line)
            continue
        exec("\n".join(segment), ns)
        segment = []
        assert ns["result"] == ast.literal_eval(shown.group(1))
        compared += 1
    exec("\n".join(segment), ns)
    assert compared == 3


def test_sandbox_state_example(blocks, tmp_path):
    ns = _run(blocks[SANDBOX_STATE], str(tmp_path))
    assert json.loads(ns["json_str"])["fs"][0]["original"] == "/tmp"
    assert [(c.resolved, c.access) for c in
            ns["restored_caps"].fs_capabilities()] == \
        [(c.resolved, c.access) for c in ns["caps"].fs_capabilities()]
    assert ns["restored_state"].net_blocked is False


def test_support_info_example_prints_what_it_says(blocks, tmp_path):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        _run(blocks[SUPPORT_INFO], str(tmp_path))
    supported, platform, details = out.getvalue().splitlines()
    assert supported in ("True", "False")  # True/False
    assert platform in ("linux", "macos")  # "linux" or "macos"
    assert details                         # Human-readable details
