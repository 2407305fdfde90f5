# SPDX-License-Identifier: Apache-2.0
"""AccessMode, FsCapability and CapabilitySet over nono_caps."""
from __future__ import annotations

import ctypes
import dataclasses
import enum
import os
import weakref
from typing import Any, Callable, Dict, List, Optional

from . import _lib
from ._errors import PathArg, check, encode_path, encode_text, error, \
    path_error
from ._lib import LIB


class AccessMode(enum.Enum):
    """File system access mode; printed as read, write, read+write."""

    READ = _lib.NONO_ACCESS_READ
    WRITE = _lib.NONO_ACCESS_WRITE
    #: Contains both READ and WRITE.
    READ_WRITE = _lib.NONO_ACCESS_READ_WRITE

    def __repr__(self) -> str:
        return "AccessMode.%s" % self.name

    def __str__(self) -> str:
        return str(LIB.nono_access_str(self.value).decode())


class Scope(enum.Enum):
    """What a Landlock scope isolates the sandbox from (libnono)."""

    #: Signals to processes outside the sandbox.
    SIGNAL = _lib.NONO_SCOPE_SIGNAL
    #: Abstract UNIX sockets bound outside the sandbox.
    ABSTRACT_UNIX = _lib.NONO_SCOPE_ABSTRACT_UNIX

    def __repr__(self) -> str:
        return "Scope.%s" % self.name


class ScopeMode(enum.Enum):
    """How a scope is handled; printed as default, isolated, allow."""

    #: Isolated where the kernel supports the scope, quietly not where it
    #: does not. What a new CapabilitySet has.
    DEFAULT = _lib.NONO_SCOPE_MODE_DEFAULT
    #: Isolated, asked for explicitly: apply fails on a kernel without it.
    ISOLATED = _lib.NONO_SCOPE_MODE_ISOLATED
    #: Not isolated.
    ALLOWED = _lib.NONO_SCOPE_MODE_ALLOWED

    def __repr__(self) -> str:
        return "ScopeMode.%s" % self.name

    def __str__(self) -> str:
        return str(LIB.nono_scope_mode_str(self.value).decode())


def _rust_bool(value: bool) -> str:
    # nono-py's reprs are formatted by Rust, which prints booleans in
    # lower case; keep them as its users have seen them.
    return "true" if value else "false"


@dataclasses.dataclass(frozen=True, repr=False)
class FsCapability:
    """A filesystem grant of a CapabilitySet (a read-only copy)."""

    #: The path as the caller spelled it.
    original: str
    #: The canonical absolute path.
    resolved: str
    access: AccessMode
    #: True for a single file, False for a directory (recursive).
    is_file: bool

    def __repr__(self) -> str:
        return "FsCapability(path='%s', access=%s, is_file=%s)" % (
            self.resolved, self.access, _rust_bool(self.is_file))

    def __str__(self) -> str:
        return "%s (%s)" % (self.resolved, self.access)


@dataclasses.dataclass(frozen=True, repr=False)
class DeniedPath:
    """A path taken back out of the grants (a read-only copy; libnono)."""

    #: The path as the caller spelled it.
    original: str
    #: The canonical absolute path.
    resolved: str
    #: True when it was not a directory when it was denied.
    is_file: bool

    def __repr__(self) -> str:
        return "DeniedPath(path='%s', is_file=%s)" % (
            self.resolved, _rust_bool(self.is_file))

    def __str__(self) -> str:
        return self.resolved


def _check_mode(mode: Any) -> int:
    if not isinstance(mode, AccessMode):
        raise TypeError("mode must be an AccessMode, not %s" %
                        type(mode).__name__)
    return mode.value


def _check_type(value: Any, cls: type, what: str) -> None:
    if not isinstance(value, cls):
        raise TypeError("%s must be a %s, not %s" % (
            what, cls.__name__, type(value).__name__))


def _check_enum(value: Any, cls: type, what: str) -> int:
    _check_type(value, cls, what)
    return value.value  # type: ignore[no-any-return]


def _check_port(port: Any) -> int:
    if isinstance(port, bool) or not isinstance(port, int):
        raise TypeError("port must be an int, not %s" % type(port).__name__)
    # libnono judges the range; Python only keeps the value from
    # wrapping around on its way into an unsigned int.
    if port < 0 or port > 0xFFFFFFFF:
        raise error(_lib.NONO_ERANGE,
                    "port %d out of range 1..65535" % port)
    return port


class CapabilitySet:
    """A collection of capabilities that define sandbox permissions.

    New sets grant no path and allow the network.
    """

    __slots__ = ("_ptr", "_finalizer", "__weakref__")

    def __init__(self) -> None:
        out = ctypes.c_void_p()
        check(LIB.nono_caps_new(ctypes.byref(out)), "CapabilitySet")
        self._adopt(out.value)

    def _adopt(self, ptr: Optional[int]) -> None:
        assert ptr
        self._ptr = ptr
        self._finalizer = weakref.finalize(self, LIB.nono_caps_free, ptr)

    @classmethod
    def _own(cls, ptr: Optional[int]) -> "CapabilitySet":
        """Wraps a nono_caps handle; the new object frees it."""
        caps = cls.__new__(cls)
        caps._adopt(ptr)
        return caps

    @classmethod
    def _clone_of(cls, ptr: Optional[int]) -> "CapabilitySet":
        """Wraps a deep copy of a borrowed nono_caps handle."""
        out = ctypes.c_void_p()
        check(LIB.nono_caps_clone(ptr, ctypes.byref(out)), "CapabilitySet")
        return cls._own(out.value)

    # ---- filesystem ------------------------------------------------------

    def _allow(self, fn: Callable[..., int], path: PathArg,
               mode: AccessMode) -> None:
        value = _check_mode(mode)
        raw = encode_path(path)
        rc = fn(self._ptr, raw, value)
        if rc < 0:
            raise path_error(rc, os.fsdecode(raw))

    def allow_path(self, path: PathArg, mode: AccessMode) -> None:
        """Grants `mode` on a directory and everything beneath it.

        The path is canonicalised (symlinks followed, a relative path
        taken against the working directory); the spelling given is kept
        as `original`.

        Raises:
            FileNotFoundError: the path does not exist.
            ValueError: the path is not a directory.
            OSError: the path cannot be resolved (permission, loop, ...).
        """
        self._allow(LIB.nono_caps_allow_path, path, mode)

    def allow_file(self, path: PathArg, mode: AccessMode) -> None:
        """Grants `mode` on one file (anything but a directory).

        Raises:
            FileNotFoundError: the path does not exist.
            ValueError: the path is a directory.
            OSError: the path cannot be resolved.
        """
        self._allow(LIB.nono_caps_allow_file, path, mode)

    def fs_capabilities(self) -> List[FsCapability]:
        """The filesystem grants, in the order they were added."""
        caps = []
        entry = _lib.FsCap()
        for i in range(LIB.nono_caps_fs_count(self._ptr)):
            check(LIB.nono_caps_fs_at(self._ptr, i, ctypes.byref(entry)),
                  "fs_capabilities")
            caps.append(FsCapability(
                original=os.fsdecode(entry.original),
                resolved=os.fsdecode(entry.resolved),
                access=AccessMode(entry.access),
                is_file=bool(entry.is_file)))
        return caps

    def deduplicate(self) -> None:
        """Merges grants of the same resolved path and kind into one.

        READ and WRITE merge to READ_WRITE; the first spelling and the
        order of first appearance are kept.
        """
        check(LIB.nono_caps_deduplicate(self._ptr), "deduplicate")

    def path_covered(self, path: PathArg) -> bool:
        """True if a directory grant covers `path` (component-wise)."""
        rc = LIB.nono_caps_path_covered(self._ptr, encode_path(path))
        check(rc, "path_covered")
        return bool(rc == 1)

    def deny_path(self, path: PathArg) -> None:
        """Takes `path` back out of what the directory grants above it give.

        A libnono addition. After apply() the path (a directory and all
        beneath it, or one file) can neither be read, listed, written,
        renamed nor replaced; a grant beneath it still stands. The
        directories between a grant and the path can no longer be listed
        or changed (see docs/deny.md).

        Raises:
            FileNotFoundError: the path does not exist.
            OSError: the path cannot be resolved.
        """
        raw = encode_path(path)
        rc = LIB.nono_caps_deny_path(self._ptr, raw)
        if rc < 0:
            raise path_error(rc, os.fsdecode(raw))

    def denied_paths(self) -> List[DeniedPath]:
        """The denied paths, in the order given (libnono addition)."""
        denied = []
        entry = _lib.DenyCap()
        for i in range(LIB.nono_caps_deny_count(self._ptr)):
            check(LIB.nono_caps_deny_at(self._ptr, i, ctypes.byref(entry)),
                  "denied_paths")
            denied.append(DeniedPath(
                original=os.fsdecode(entry.original),
                resolved=os.fsdecode(entry.resolved),
                is_file=bool(entry.is_file)))
        return denied

    def set_exec_writable(self, allow: bool) -> None:
        """Whether files in writable grants may be executed (libnono).

        True, the default, is nono's mapping (READ includes execute
        everywhere). False withholds execute from every grant with WRITE
        and from everything beneath a writable directory grant, so that a
        program cannot write a binary and run it.
        """
        if not isinstance(allow, bool):
            raise TypeError("allow must be a bool, not %s" %
                            type(allow).__name__)
        check(LIB.nono_caps_set_exec_writable(self._ptr, allow),
              "set_exec_writable")

    @property
    def exec_writable(self) -> bool:
        """True if files in writable grants may be executed (libnono)."""
        return bool(LIB.nono_caps_exec_writable(self._ptr))

    # ---- network ---------------------------------------------------------

    def block_network(self) -> None:
        """Blocks network access."""
        check(LIB.nono_caps_block_network(self._ptr), "block_network")

    @property
    def is_network_blocked(self) -> bool:
        """True if network access is blocked."""
        return bool(LIB.nono_caps_is_network_blocked(self._ptr))

    def _allow_port(self, fn: Callable[..., int], port: int) -> None:
        rc = fn(self._ptr, _check_port(port))
        if rc < 0:
            if rc == _lib.NONO_ERANGE:
                raise error(rc, "port %d out of range 1..65535" % port)
            check(rc, "TCP port %d" % port)

    def allow_tcp_connect(self, port: int) -> None:
        """With the network blocked, still allows TCP connect to `port`.

        A libnono addition. apply() refuses port exceptions when the
        network is not blocked.

        Raises:
            ValueError: the port is not in 1..65535.
        """
        self._allow_port(LIB.nono_caps_allow_tcp_connect, port)

    def allow_tcp_bind(self, port: int) -> None:
        """With the network blocked, still allows TCP bind to `port`.

        A libnono addition; see allow_tcp_connect().
        """
        self._allow_port(LIB.nono_caps_allow_tcp_bind, port)

    def _ports(self, op: int) -> List[int]:
        ports = []
        for i in range(LIB.nono_caps_tcp_port_count(self._ptr, op)):
            port = LIB.nono_caps_tcp_port_at(self._ptr, op, i)
            check(port, "TCP ports")
            ports.append(port)
        return ports

    def tcp_connect_ports(self) -> List[int]:
        """The TCP connect exceptions, in the order given (libnono)."""
        return self._ports(_lib.NONO_TCP_CONNECT)

    def tcp_bind_ports(self) -> List[int]:
        """The TCP bind exceptions, in the order given (libnono)."""
        return self._ports(_lib.NONO_TCP_BIND)

    # ---- process isolation ----------------------------------------------

    def set_scope(self, scope: Scope, mode: ScopeMode) -> None:
        """Sets how a Landlock scope is handled (libnono addition)."""
        check(LIB.nono_caps_set_scope(
            self._ptr, _check_enum(scope, Scope, "scope"),
            _check_enum(mode, ScopeMode, "mode")), "set_scope")

    def scope(self, scope: Scope) -> ScopeMode:
        """How a Landlock scope is handled (libnono addition)."""
        return ScopeMode(LIB.nono_caps_scope(
            self._ptr, _check_enum(scope, Scope, "scope")))

    # ---- commands and platform rules ------------------------------------

    def allow_command(self, name: str) -> None:
        """Adds a command to the allow list (allow wins over block)."""
        check(LIB.nono_caps_allow_command(
            self._ptr, encode_text(name, "name")), "allow_command")

    def block_command(self, name: str) -> None:
        """Adds a command to the block list."""
        check(LIB.nono_caps_block_command(
            self._ptr, encode_text(name, "name")), "block_command")

    def _strings(self, count: Callable[..., int],
                 at: Callable[..., Optional[bytes]]) -> List[str]:
        items = []
        for i in range(count(self._ptr)):
            item = at(self._ptr, i)
            assert item is not None
            items.append(item.decode("utf-8", "surrogateescape"))
        return items

    def allowed_commands(self) -> List[str]:
        """The allow list, in the order given (libnono addition)."""
        return self._strings(LIB.nono_caps_allowed_command_count,
                             LIB.nono_caps_allowed_command_at)

    def blocked_commands(self) -> List[str]:
        """The block list, in the order given (libnono addition)."""
        return self._strings(LIB.nono_caps_blocked_command_count,
                             LIB.nono_caps_blocked_command_at)

    def allowed_command_files(self) -> List[str]:
        """The files the allow list resolved to (libnono addition)."""
        return self._strings(LIB.nono_caps_allowed_command_file_count,
                             LIB.nono_caps_allowed_command_file_at)

    def blocked_command_files(self) -> List[str]:
        """The files the block list resolved to (libnono addition).

        A bare name is looked up on PATH when it is added (every match);
        apply() withholds execution of each file it resolved to that the
        allow list did not.
        """
        return self._strings(LIB.nono_caps_blocked_command_file_count,
                             LIB.nono_caps_blocked_command_file_at)

    def command_blocked(self, path: PathArg) -> bool:
        """True if apply() would withhold execution of `path` (libnono)."""
        rc = LIB.nono_caps_command_blocked(self._ptr, encode_path(path))
        check(rc, "command_blocked")
        return bool(rc == 1)

    def platform_rule(self, rule: str) -> None:
        """Adds a raw Seatbelt rule, used on macOS, validated everywhere.

        Raises:
            ValueError: the rule is malformed or grants dangerous access.
        """
        diag = _lib.Diag()
        rc = LIB.nono_caps_platform_rule(
            self._ptr, encode_text(rule, "rule"), ctypes.byref(diag))
        if rc < 0:
            raise error(rc, _lib.diag_message(diag, rc))

    def platform_rules(self) -> List[str]:
        """The platform rules, in the order given (libnono addition)."""
        return self._strings(LIB.nono_caps_platform_rule_count,
                             LIB.nono_caps_platform_rule_at)

    # ---- the whole set ---------------------------------------------------

    def summary(self) -> str:
        """A human-readable summary, in nono's format."""
        text = _lib.take_string(LIB.nono_caps_summary(self._ptr))
        if text is None:
            raise MemoryError("summary")
        return text

    def __copy__(self) -> "CapabilitySet":
        return CapabilitySet._clone_of(self._ptr)

    def __deepcopy__(self, memo: Dict[int, Any]) -> "CapabilitySet":
        return CapabilitySet._clone_of(self._ptr)

    def __repr__(self) -> str:
        return "CapabilitySet(fs=%d, network=%s)" % (
            LIB.nono_caps_fs_count(self._ptr),
            "blocked" if self.is_network_blocked else "allowed")
