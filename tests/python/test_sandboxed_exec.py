# SPDX-License-Identifier: Apache-2.0
"""sandboxed_exec: real commands in sandboxed children, this process never
sandboxed (every test that looks checks that it still reads what the child
was refused)."""
import math
import os
import socket
import sys
import threading
import time

import pytest

from nono_py import AccessMode, CapabilitySet, ExecResult, \
    sandboxed_exec, support_info

INFO = support_info()
pytestmark = pytest.mark.skipif(
    not INFO.is_supported, reason="no Landlock here: " + INFO.details)

PYTHON = sys.executable


def _system_caps(*extra_rw):
    caps = CapabilitySet()
    for path in ["/usr", "/bin", "/lib", "/lib64", "/etc"]:
        if os.path.exists(path):
            caps.allow_path(path, AccessMode.READ)
    # dash gives background jobs /dev/null as stdin.
    caps.allow_file("/dev/null", AccessMode.READ_WRITE)
    for path in extra_rw:
        caps.allow_path(str(path), AccessMode.READ_WRITE)
    return caps


@pytest.fixture
def work(tmp_path):
    d = tmp_path / "work"
    d.mkdir()
    return d


@pytest.fixture
def caps(work):
    return _system_caps(work)


def _py(code):
    return [PYTHON, "-c", code]


def _process_gone(pid):
    # Killed, a process may linger as a zombie until whoever inherited it
    # reaps it; it no longer runs either way.
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


# ---- results ---------------------------------------------------------------

def test_echo_and_repr(caps, work):
    result = sandboxed_exec(caps, ["echo", "hello world"], cwd=str(work))
    assert isinstance(result, ExecResult)
    assert result.exit_code == 0
    assert result.stdout == b"hello world\n"
    assert result.stderr == b""
    assert repr(result) == \
        "ExecResult(exit_code=0, stdout_len=12, stderr_len=0)"


def test_exec_result_is_frozen_and_not_constructible(caps):
    result = sandboxed_exec(caps, ["true"])
    with pytest.raises(AttributeError):
        result.exit_code = 1
    with pytest.raises(TypeError):
        ExecResult()


def test_exit_code(caps):
    assert sandboxed_exec(
        caps, _py("raise SystemExit(42)")).exit_code == 42


@pytest.mark.parametrize("sig", ["KILL", "TERM"])
def test_signalled_child_reports_minus_signal(caps, sig):
    result = sandboxed_exec(caps, ["sh", "-c", "kill -%s $$" % sig])
    assert result.exit_code == -getattr(__import__("signal"), "SIG" + sig)


def test_both_streams_with_megabytes_each(caps):
    # stderr first and then both in turns, in pieces bigger than a pipe
    # holds: a parent that read one stream to its end before the other
    # would wait for ever.
    code = (
        "import os\n"
        "def w(fd, b):\n"
        "    while b:\n"
        "        b = b[os.write(fd, b):]\n"
        "w(2, b'E' * 3000000)\n"
        "for i in range(40):\n"
        "    w(1, bytes([65 + i % 26]) * 100000)\n"
        "    w(2, b'e' * 50000)\n"
    )
    result = sandboxed_exec(caps, _py(code), timeout_secs=60)
    assert result.exit_code == 0, result.stderr[-500:]
    assert len(result.stdout) == 4000000
    assert len(result.stderr) == 5000000
    assert result.stdout == b"".join(bytes([65 + i % 26]) * 100000
                                     for i in range(40))
    assert result.stderr == b"E" * 3000000 + b"e" * 2000000


def test_output_may_hold_nul_bytes(caps):
    result = sandboxed_exec(caps, ["printf", "a\\000b"])
    assert result.stdout == b"a\0b"


# ---- timeout -----------------------------------------------------------------

def test_timeout_kills_with_sigkill_and_reports_124(caps, work):
    pids = work / "pids"
    code = (
        "import subprocess, sys\n"
        "children = [subprocess.Popen(['sleep', '60']) for _ in range(2)]\n"
        "open(sys.argv[1], 'w').write(' '.join(str(c.pid) for c in "
        "children))\n"
        "for c in children:\n"
        "    c.wait()\n"
    )
    started = time.monotonic()
    result = sandboxed_exec(caps, _py(code) + [str(pids)], timeout_secs=1.0)
    elapsed = time.monotonic() - started
    assert result.exit_code == 124
    assert elapsed < 10
    # The whole process group went, the command's own children too.
    grandchildren = [int(p) for p in pids.read_text().split()]
    assert len(grandchildren) == 2
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and \
            not all(_process_gone(p) for p in grandchildren):
        time.sleep(0.05)
    assert all(_process_gone(p) for p in grandchildren)


def test_returns_when_the_child_exits_though_its_pipes_stay_open(caps):
    # A background job keeps stdout open after the shell exits: the call
    # returns with what the shell wrote instead of waiting for the job.
    started = time.monotonic()
    result = sandboxed_exec(caps, ["sh", "-c", "sleep 3 & echo started"])
    assert time.monotonic() - started < 2.5
    assert result.exit_code == 0
    assert result.stdout == b"started\n"


def test_timeout_zero_and_infinite(caps):
    assert sandboxed_exec(caps, ["sleep", "5"], timeout_secs=0).exit_code \
        == 124
    assert sandboxed_exec(caps, ["true"],
                          timeout_secs=math.inf).exit_code == 0


@pytest.mark.parametrize("bad, shown", [(-1.0, "-1"), (-0.5, "-0.5"),
                                        (float("nan"), "NaN")])
def test_bad_timeout_is_a_value_error(caps, bad, shown):
    with pytest.raises(ValueError) as info:
        sandboxed_exec(caps, ["true"], timeout_secs=bad)
    assert str(info.value) == \
        "timeout_secs must be non-negative, got %s" % shown


def test_empty_command_is_a_value_error(caps):
    with pytest.raises(ValueError, match="command must not be empty"):
        sandboxed_exec(caps, [])


def test_wrong_types(caps):
    with pytest.raises(TypeError):
        sandboxed_exec(caps, "echo hello")
    with pytest.raises(TypeError):
        sandboxed_exec(caps, ["echo", 1])
    with pytest.raises(TypeError):
        sandboxed_exec(None, ["echo"])
    with pytest.raises(TypeError):
        sandboxed_exec(caps, ["true"], timeout_secs="1")
    with pytest.raises(TypeError):
        sandboxed_exec(caps, ["true"], env={"A": "1"})


# ---- environment -------------------------------------------------------------

def test_environment_is_empty_unless_inherited(caps, monkeypatch):
    monkeypatch.setenv("NONO_TEST_PARENT_SECRET", "secret-value")
    result = sandboxed_exec(caps, ["env"])
    assert result.exit_code == 0
    assert result.stdout == b""
    result = sandboxed_exec(caps, ["env"], env=[("B", "2"), ("A", "1"),
                                               ("B", "3")])
    # Sorted by name, the last value of a name given twice.
    assert result.stdout == b"A=1\nB=3\n"


def _clear_loader_env(monkeypatch):
    # meson test sets LD_LIBRARY_PATH, which inherit_env refuses.
    for key in list(os.environ):
        if key.startswith(("LD_", "DYLD_")) or key in ("LIBPATH",
                                                       "SHLIB_PATH"):
            monkeypatch.delenv(key)


def test_inherit_env_with_overrides(caps, monkeypatch):
    _clear_loader_env(monkeypatch)
    monkeypatch.setenv("NONO_TEST_PARENT_VALUE", "inherited")
    monkeypatch.setenv("NONO_TEST_OVERRIDDEN", "parent")
    result = sandboxed_exec(caps, ["env"], inherit_env=True,
                            env=[("NONO_TEST_OVERRIDDEN", "child")])
    lines = result.stdout.decode().splitlines()
    assert "NONO_TEST_PARENT_VALUE=inherited" in lines
    assert "NONO_TEST_OVERRIDDEN=child" in lines
    assert "NONO_TEST_OVERRIDDEN=parent" not in lines


@pytest.mark.parametrize("pair, message", [
    (("", "x"), "environment variable name must not be empty"),
    (("A=B", "x"), "environment variable name 'A=B' must not contain '='"),
    (("A\0B", "x"), "environment variable name contains null byte"),
    (("A", "x\0y"), "environment variable value for 'A' contains null byte"),
    (("LD_PRELOAD", "evil.so"),
     "environment variable 'LD_PRELOAD' is not allowed in sandboxed_exec"),
    (("LD_LIBRARY_PATH", "/tmp"),
     "environment variable 'LD_LIBRARY_PATH' is not allowed in "
     "sandboxed_exec"),
    (("DYLD_INSERT_LIBRARIES", "x"),
     "environment variable 'DYLD_INSERT_LIBRARIES' is not allowed in "
     "sandboxed_exec"),
    (("LIBPATH", "x"),
     "environment variable 'LIBPATH' is not allowed in sandboxed_exec"),
])
def test_environment_refusals_say_which(caps, pair, message):
    with pytest.raises(ValueError) as info:
        sandboxed_exec(caps, ["true"], env=[pair])
    assert str(info.value) == message


def test_inherited_loader_variable_is_refused(caps, monkeypatch):
    _clear_loader_env(monkeypatch)
    monkeypatch.setenv("LD_PRELOAD", "inherited.so")
    with pytest.raises(ValueError, match="'LD_PRELOAD' is not allowed"):
        sandboxed_exec(caps, ["true"], inherit_env=True)
    # Not inherited, it does not matter.
    assert sandboxed_exec(caps, ["true"]).exit_code == 0


# ---- 126, 127, finding the program ----------------------------------------

def test_sandbox_setup_failure_exits_126_with_one_line(caps):
    # Port exceptions without a blocked network: the child cannot apply.
    caps.allow_tcp_connect(443)
    result = sandboxed_exec(caps, ["true"])
    assert result.exit_code == 126
    assert result.stderr.startswith(b"nono: sandbox apply failed: ")
    assert result.stderr.count(b"\n") == 1 and result.stderr.endswith(b"\n")
    assert result.stdout == b""


def test_chdir_failure_exits_126(caps, work):
    not_a_dir = work / "file"
    not_a_dir.write_text("x")
    result = sandboxed_exec(caps, ["true"], cwd=str(not_a_dir))
    assert result.exit_code == 126
    assert result.stderr == ("nono: failed to chdir to %s: Not a "
                             "directory\n" % not_a_dir).encode()


def test_exec_failure_exits_127(caps, work, monkeypatch):
    bindir = work / "bin"
    bindir.mkdir()
    (bindir / "notexec").write_text("#!/bin/sh\necho hi\n")
    monkeypatch.setenv("PATH", str(bindir))
    # Found on PATH (a regular file), but not executable.
    result = sandboxed_exec(caps, ["notexec"])
    assert result.exit_code == 127
    assert result.stderr == ("nono: exec failed: %s: Permission "
                             "denied\n" % (bindir / "notexec")).encode()


def test_relative_program_names_on_path(caps, work, monkeypatch):
    bindir = work / "bin"
    bindir.mkdir()
    script = bindir / "hello"
    script.write_text("#!/bin/sh\necho hello from \"$0\"\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", "/nonexistent:%s:/usr/bin" % bindir)
    result = sandboxed_exec(caps, ["hello"])
    assert result.exit_code == 0, result.stderr
    # The kernel gives a script the path it executed as $0.
    assert result.stdout == b"hello from %s\n" % bytes(script)
    # A name with a '/' is taken against this process's directory, where
    # it was checked, whatever cwd the child gets.
    monkeypatch.chdir(work)
    result = sandboxed_exec(caps, ["./bin/hello"], cwd="/")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == b"hello from %s\n" % bytes(script)


def test_program_not_found(caps, monkeypatch):
    with pytest.raises(RuntimeError,
                       match="Program not found in PATH: "
                             "nonexistent_command_xyz"):
        sandboxed_exec(caps, ["nonexistent_command_xyz"])
    with pytest.raises(RuntimeError, match="Program not found: ./nope"):
        sandboxed_exec(caps, ["./nope"])
    monkeypatch.delenv("PATH")
    with pytest.raises(RuntimeError, match="Program not found in PATH"):
        sandboxed_exec(caps, ["true"])


def test_cwd(caps, work):
    result = sandboxed_exec(caps, ["pwd"], cwd=str(work))
    assert result.stdout.decode().strip() == os.path.realpath(work)
    with pytest.raises(RuntimeError) as info:
        sandboxed_exec(caps, ["pwd"], cwd=str(work / "missing"))
    assert str(info.value) == (
        "Cannot resolve working directory '%s': No such file or directory "
        "(os error 2)" % (work / "missing"))


# ---- the sandbox -------------------------------------------------------------

def test_denied_read_in_child_while_parent_stays_unsandboxed(tmp_path, caps):
    secret = tmp_path / "secret"
    secret.mkdir()
    password = secret / "password.txt"
    password.write_text("hunter2\n")
    confined_before = open("/proc/self/status").read()

    result = sandboxed_exec(caps, ["cat", str(password)])
    assert result.exit_code == 1
    assert result.stdout == b""
    assert b"Permission denied" in result.stderr

    # The same attack from Python, to be sure it is the sandbox that
    # refuses and not something about cat.
    code = ("import sys\n"
            "try:\n"
            "    open(sys.argv[1]).read()\n"
            "except PermissionError:\n"
            "    sys.exit(10)\n")
    assert sandboxed_exec(caps, _py(code) + [str(password)]).exit_code == 10

    # This interpreter is untouched: it still reads the file, and its
    # no_new_privs flag and Landlock state did not change.
    assert password.read_text() == "hunter2\n"
    assert open("/proc/self/status").read().split("NoNewPrivs:")[1][:3] == \
        confined_before.split("NoNewPrivs:")[1][:3]

    # Granted, the same command reads it.
    caps.allow_path(str(secret), AccessMode.READ)
    assert sandboxed_exec(caps, ["cat", str(password)]).stdout == \
        b"hunter2\n"


def test_blocked_network_in_child(caps, listener):
    caps.block_network()
    # The seccomp half of a blocked network refuses the socket itself.
    code = ("import socket, sys\n"
            "try:\n"
            "    socket.create_connection(('127.0.0.1', int(sys.argv[1])))\n"
            "except PermissionError:\n"
            "    sys.exit(20)\n")
    result = sandboxed_exec(caps, _py(code) + [str(listener)])
    assert result.exit_code == 20, result.stderr
    # This process still connects.
    with socket.create_connection(("127.0.0.1", listener), timeout=5):
        pass


def test_parent_descriptors_are_not_inherited(caps, work):
    secret = work / "parent-only.txt"
    secret.write_text("fd-leak")
    fd = os.open(secret, os.O_RDONLY)
    os.set_inheritable(fd, True)
    try:
        code = ("import errno, os, sys\n"
                "try:\n"
                "    os.read(int(sys.argv[1]), 1)\n"
                "except OSError as e:\n"
                "    print('FD_CLOSED' if e.errno == errno.EBADF else e)\n"
                "else:\n"
                "    print('FD_LEAKED')\n")
        result = sandboxed_exec(caps, _py(code) + [str(fd)])
    finally:
        os.close(fd)
    assert result.stdout == b"FD_CLOSED\n", result.stderr


def test_sigpipe_has_its_default_action_in_the_child(caps):
    # Python ignores SIGPIPE; the child gets it back, as with subprocess.
    result = sandboxed_exec(caps, ["sh", "-c", "yes | head -n 1"])
    assert result.exit_code == 0
    assert result.stdout == b"y\n"
    assert result.stderr == b""


def test_later_changes_to_caps_do_not_matter(caps, tmp_path):
    # Each call runs with the set as it was at the call.
    other = tmp_path / "other"
    other.mkdir()
    (other / "f").write_text("x")
    assert sandboxed_exec(caps, ["cat", str(other / "f")]).exit_code == 1
    caps.allow_path(str(other), AccessMode.READ)
    assert sandboxed_exec(caps, ["cat", str(other / "f")]).stdout == b"x"


# ---- threads and the GIL ---------------------------------------------------

def test_gil_is_released_while_waiting(caps):
    count = 0
    stop = threading.Event()

    def spin():
        nonlocal count
        while not stop.is_set():
            count += 1

    thread = threading.Thread(target=spin)
    thread.start()
    try:
        before = count
        result = sandboxed_exec(caps, ["sleep", "0.5"])
        during = count - before
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0
    # Holding the GIL for the whole wait would leave the other thread a
    # switch interval (5 ms) at most; released, it runs throughout.
    assert during > 10000, during


def test_concurrent_calls_from_threads(caps, work):
    results = {}

    def run(i):
        results[i] = sandboxed_exec(caps, ["sh", "-c", "echo $0; exit $0",
                                           str(i)], timeout_secs=60)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(8):
        assert results[i].exit_code == i
        assert results[i].stdout == b"%d\n" % i


def test_result_types(caps):
    result = sandboxed_exec(caps, ["true"])
    assert type(result.stdout) is bytes and type(result.stderr) is bytes
    assert type(result.exit_code) is int
