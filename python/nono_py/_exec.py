# SPDX-License-Identifier: Apache-2.0
"""sandboxed_exec: run a command in a sandboxed child (libnono's nono_exec).

What happens where, and why it is safe from a multi-threaded interpreter:

- Here, holding the GIL: the arguments are checked, the program found on
  PATH, the environment built and checked, the working directory resolved,
  and the capability set copied, so that nothing another thread does to
  the caller's set can reach the child.
- In libnono (nono_exec_capture), through ctypes.CDLL, which releases the
  GIL for the call: fork(); in the child nothing of Python's runs (no
  at-fork handlers, no objects touched) and only async-signal-safe calls
  are made, but for nono_apply, which allocates (glibc makes that safe in
  the child of a multi-threaded process; libnono.h says more); execve. The
  parent drains both pipes while it waits, so a child writing megabytes to
  both cannot block, and kills the child's process group on timeout.
"""
from __future__ import annotations

import ctypes
import math
import os
from collections.abc import Mapping
from typing import Iterable, List, Optional, Sequence, Tuple, Union

from . import _lib
from ._caps import CapabilitySet, _check_type
from ._lib import LIB, LIB_NOGIL

#: The exit code reported for a command killed at its timeout, as nono-py
#: (and timeout(1)) report it.
TIMEOUT_EXIT_CODE = 124

# Variables that tell a dynamic loader what to load into the program: a
# way around the sandbox's intent that nono-py refuses, and so do we.
_LOADER_PREFIXES = (b"LD_", b"DYLD_")
_LOADER_NAMES = (b"LIBPATH", b"SHLIB_PATH")

_INT64_MAX = 2**63 - 1

EnvArg = Optional[Iterable[Tuple[str, str]]]


class ExecResult:
    """The outcome of sandboxed_exec().

    ``stdout`` and ``stderr`` are the bytes the command wrote; ``exit_code``
    is its exit status, -N when a signal N ended it, 124 when the timeout
    did, 126 when the sandbox could not be set up in the child and 127
    when the program could not be executed.
    """

    __slots__ = ("_stdout", "_stderr", "_exit_code")
    _stdout: bytes
    _stderr: bytes
    _exit_code: int

    def __init__(self) -> None:
        raise TypeError("No constructor defined for ExecResult")

    @classmethod
    def _make(cls, stdout: bytes, stderr: bytes,
              exit_code: int) -> "ExecResult":
        result = cls.__new__(cls)
        result._stdout = stdout
        result._stderr = stderr
        result._exit_code = exit_code
        return result

    @property
    def stdout(self) -> bytes:
        """Everything the command wrote to its standard output."""
        return self._stdout

    @property
    def stderr(self) -> bytes:
        """Everything the command wrote to its standard error."""
        return self._stderr

    @property
    def exit_code(self) -> int:
        """Exit status; -signal if killed by a signal; 124 on timeout."""
        return self._exit_code

    def __repr__(self) -> str:
        return "ExecResult(exit_code=%d, stdout_len=%d, stderr_len=%d)" % (
            self._exit_code, len(self._stdout), len(self._stderr))


def _rust_float(value: float) -> str:
    # nono-py's messages print the number as Rust prints an f64.
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value.is_integer():
        return str(int(value))
    return repr(value)


def _timeout_ms(timeout_secs: Optional[float]) -> int:
    if timeout_secs is None:
        return -1
    number = hasattr(type(timeout_secs), "__float__") or hasattr(
        type(timeout_secs), "__index__")
    if isinstance(timeout_secs, (str, bytes)) or not number:
        raise TypeError("timeout_secs must be a number or None, not %s" %
                        type(timeout_secs).__name__)
    t = float(timeout_secs)
    if t < 0.0 or math.isnan(t):
        raise ValueError("timeout_secs must be non-negative, got %s" %
                         _rust_float(t))
    if math.isinf(t):
        # No time is too long: the same as no limit.
        return -1
    ms = math.ceil(t * 1000.0)
    return -1 if ms > _INT64_MAX else ms


def _command(command: Sequence[str]) -> List[str]:
    if isinstance(command, (str, bytes)) or not isinstance(command,
                                                           Sequence):
        raise TypeError("command must be a list of str, not %s" %
                        type(command).__name__)
    args = list(command)
    for arg in args:
        if not isinstance(arg, str):
            raise TypeError("command items must be str, not %s" %
                            type(arg).__name__)
    if not args:
        raise ValueError("command must not be empty")
    return args


def _resolve_program(program: str) -> str:
    """The program as nono-py finds it: a name with a '/' must exist, any
    other is the first regular file of that name on this process's PATH.

    The result is absolute: a relative one is taken against this process's
    working directory, where it was found, not against the child's `cwd`
    (nono-py checks here and executes there).
    """
    if "/" in program:
        if os.path.exists(program):
            return os.path.abspath(program)
        raise RuntimeError("Program not found: %s" % program)
    path = os.environ.get("PATH")
    if path is not None:
        for directory in path.split(":"):
            candidate = os.path.join(directory, program)
            if os.path.isfile(candidate):
                return os.path.abspath(candidate)
    raise RuntimeError("Program not found in PATH: %s" % program)


def _display_key(key: bytes) -> str:
    return key.decode("utf-8", "replace")


def _check_env_var(key: bytes, value: bytes) -> None:
    # nono-py's checks, in its order and with its messages.
    if not key:
        raise ValueError("environment variable name must not be empty")
    if b"=" in key:
        raise ValueError("environment variable name '%s' must not contain "
                         "'='" % _display_key(key))
    if b"\0" in key:
        raise ValueError("environment variable name contains null byte")
    if b"\0" in value:
        raise ValueError("environment variable value for '%s' contains "
                         "null byte" % _display_key(key))
    if key.startswith(_LOADER_PREFIXES) or key in _LOADER_NAMES:
        raise ValueError("environment variable '%s' is not allowed in "
                         "sandboxed_exec" % _display_key(key))


def _environment(env: EnvArg, inherit_env: bool) -> List[bytes]:
    """The child's environment: the caller's only with inherit_env, then
    `env` on top; every variable checked, sorted by name, one per name."""
    merged = {}
    if inherit_env:
        for key, value in os.environb.items():
            _check_env_var(key, value)
            merged[key] = value
    if env is not None:
        if isinstance(env, (str, bytes, Mapping)):
            raise TypeError("env must be a list of (name, value) tuples, "
                            "not %s" % type(env).__name__)
        for pair in env:
            try:
                key_s, value_s = pair
            except (TypeError, ValueError):
                raise TypeError("env items must be (name, value) tuples, "
                                "not %r" % (pair,)) from None
            if not isinstance(key_s, str) or not isinstance(value_s, str):
                raise TypeError("env names and values must be str")
            key, value = key_s.encode("utf-8"), value_s.encode("utf-8")
            _check_env_var(key, value)
            merged[key] = value
    return [k + b"=" + merged[k] for k in sorted(merged)]


def _working_directory(cwd: Union[str, "os.PathLike[str]", None]) \
        -> Optional[bytes]:
    if cwd is None:
        return None
    shown = os.fspath(cwd)
    try:
        resolved = os.path.realpath(cwd, strict=True)
    except OSError as e:
        why = "%s (os error %d)" % (os.strerror(e.errno), e.errno) \
            if e.errno else str(e)
        raise RuntimeError("Cannot resolve working directory '%s': %s" %
                           (shown, why)) from None
    except ValueError:
        raise RuntimeError("Cannot resolve working directory '%s': file "
                           "name contained an unexpected NUL byte" %
                           shown) from None
    return os.fsencode(resolved)


def _c_strings(items: List[bytes]) -> "ctypes.Array[ctypes.c_char_p]":
    array = (ctypes.c_char_p * (len(items) + 1))()
    for i, item in enumerate(items):
        array[i] = item
    array[len(items)] = None
    return array


def _stdin_fd() -> int:
    # nono-py's child shares the caller's stdin; a caller without one
    # gives the child /dev/null instead of failing.
    try:
        os.fstat(0)
    except OSError:
        return -1
    return 0


def _exit_code(status: int, timed_out: bool) -> int:
    if timed_out:
        return TIMEOUT_EXIT_CODE
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    raise RuntimeError("Child process exited with unexpected status")


def sandboxed_exec(caps: CapabilitySet, command: Sequence[str],
                   cwd: Optional[str] = None,
                   timeout_secs: Optional[float] = None,
                   env: EnvArg = None,
                   inherit_env: bool = False) -> ExecResult:
    """Runs a command in a sandboxed child process; this process stays
    unsandboxed and may call it again with other capabilities.

    Args:
        caps: what the child may reach.
        command: the program and its arguments, e.g. ["ls", "-l"]. A
            program without a '/' is looked up on this process's PATH.
        cwd: the child's working directory (default: this process's).
        timeout_secs: after this many seconds the child and its process
            group are killed (SIGKILL) and exit_code is 124. None: no
            limit.
        env: (name, value) pairs: the child's environment. Nothing else
            is passed on unless inherit_env is True, and then these
            override this process's variables. Names must be non-empty
            and hold no '=' or NUL; LD_*, DYLD_*, LIBPATH and SHLIB_PATH
            are refused, inherited ones too.

    Returns:
        ExecResult(stdout, stderr, exit_code). A child that could not set
        up its sandbox exits with 126 and one "nono: ..." line on stderr;
        one that could not execute the program, with 127.

    Raises:
        ValueError: an empty command, a negative or NaN timeout, or a
            refused environment variable (the message names it).
        RuntimeError: the program is not found, cwd cannot be resolved,
            or the child cannot be started.
        TypeError: an argument of the wrong type.
    """
    _check_type(caps, CapabilitySet, "caps")
    args = _command(command)
    timeout_ms = _timeout_ms(timeout_secs)
    program = _resolve_program(args[0])
    raw_args = []
    for arg in args:
        raw = arg.encode("utf-8", "surrogateescape")
        if b"\0" in raw:
            raise RuntimeError("Argument contains null byte")
        raw_args.append(raw)
    environment = _environment(env, bool(inherit_env))
    raw_cwd = _working_directory(cwd)

    argv = _c_strings(raw_args)
    envp = _c_strings(environment)
    opts = _lib.ExecOpts()
    LIB.nono_exec_opts_init(ctypes.byref(opts))
    opts.path = os.fsencode(program)
    opts.argv = ctypes.cast(argv, ctypes.POINTER(ctypes.c_char_p))
    opts.envp = ctypes.cast(envp, ctypes.POINTER(ctypes.c_char_p))
    opts.cwd = raw_cwd
    opts.stdin_fd = _stdin_fd()
    opts.flags = (_lib.NONO_EXEC_NEW_PROCESS_GROUP |
                  _lib.NONO_EXEC_RESTORE_SIGNALS)

    # The child gets a copy of the set: the call runs without the GIL,
    # and libnono's handles are not for two threads at once.
    private = CapabilitySet._clone_of(caps._ptr)
    out = _lib.ExecOutput()
    diag = _lib.Diag()
    rc = LIB_NOGIL.nono_exec_capture(private._ptr, ctypes.byref(opts),
                                     timeout_ms, ctypes.byref(out),
                                     ctypes.byref(diag))
    if rc == _lib.NONO_ENOMEM:
        raise MemoryError("sandboxed_exec: %s" %
                          _lib.diag_message(diag, rc))
    if rc < 0:
        raise RuntimeError("sandboxed_exec: %s" %
                           _lib.diag_message(diag, rc))
    try:
        stdout = ctypes.string_at(out.out, out.out_len) if out.out else b""
        stderr = ctypes.string_at(out.err, out.err_len) if out.err else b""
        status, timed_out = out.status, bool(out.timed_out)
    finally:
        LIB.nono_exec_output_clear(ctypes.byref(out))
    return ExecResult._make(stdout, stderr, _exit_code(status, timed_out))
