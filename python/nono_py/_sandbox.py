# SPDX-License-Identifier: Apache-2.0
"""Support information, apply, and policy files."""
from __future__ import annotations

import ctypes
import warnings

from . import _lib
from ._caps import CapabilitySet, _check_type, _rust_bool
from ._errors import PathArg, encode_path, error
from ._lib import LIB


class SupportInfo:
    """Whether and how this system can sandbox."""

    __slots__ = ("_is_supported", "_platform", "_details", "_abi")
    _is_supported: bool
    _platform: str
    _details: str
    _abi: int

    def __init__(self) -> None:
        raise TypeError("use support_info()")

    @classmethod
    def _probe(cls) -> "SupportInfo":
        raw = _lib.SupportInfo()
        if LIB.nono_support_info_get(ctypes.byref(raw)) < 0:
            raise RuntimeError("support_info: %s" %
                               _lib.strerror(_lib.NONO_EINVAL))
        info = cls.__new__(cls)
        info._is_supported = bool(raw.is_supported)
        info._platform = raw.platform.decode()
        info._details = raw.details.decode("utf-8", "replace")
        info._abi = int(raw.abi)
        return info

    @property
    def is_supported(self) -> bool:
        """True if a sandbox can be applied here."""
        return self._is_supported

    @property
    def platform(self) -> str:
        """"linux" or "macos" ("unsupported" elsewhere)."""
        return self._platform

    @property
    def details(self) -> str:
        """In words, e.g. "Landlock available (Landlock V7, ...)"."""
        return self._details

    @property
    def abi(self) -> int:
        """The Landlock ABI version; 0 where none (libnono addition)."""
        return self._abi

    def __repr__(self) -> str:
        return "SupportInfo(supported=%s, platform='%s')" % (
            _rust_bool(self._is_supported), self._platform)


def support_info() -> SupportInfo:
    """Detailed information about sandbox support on this system."""
    return SupportInfo._probe()


def is_supported() -> bool:
    """True if sandboxing is supported on this system."""
    return bool(LIB.nono_is_supported())


def apply(caps: CapabilitySet, *, best_effort: bool = False,
          this_thread_only: bool = False) -> None:
    """Applies the sandbox. IRREVERSIBLE.

    The calling process and every child it starts afterwards can then only
    reach what `caps` grants. Where the kernel can restrict every thread
    at once it does; otherwise a process with other threads fails, unless
    `this_thread_only` accepts restricting only the calling thread (and
    its future children). `best_effort` applies what the kernel can
    enforce instead of failing when it cannot enforce everything, other
    threads left unrestricted included (both libnono additions: the flags
    of nono_apply).

    Raises:
        RuntimeError: the sandbox cannot be applied; nothing was applied
            unless the message says a kernel call failed part way.
    """
    _check_type(caps, CapabilitySet, "caps")
    flags = 0
    if best_effort:
        flags |= _lib.NONO_APPLY_BEST_EFFORT
    if this_thread_only:
        flags |= _lib.NONO_APPLY_THIS_THREAD_ONLY
    diag = _lib.Diag()
    rc = LIB.nono_apply(caps._ptr, flags, None, ctypes.byref(diag))
    if rc == _lib.NONO_ENOMEM:
        raise MemoryError("apply: %s" % _lib.diag_message(diag, rc))
    if rc < 0:
        # Whatever the reason, nono-py reports a sandbox it could not
        # apply as a RuntimeError.
        raise RuntimeError("Sandbox initialization failed: %s" %
                           _lib.diag_message(diag, rc))


def is_confined() -> bool:
    """True if this process may already be inside a sandbox (libnono).

    On Linux, no_new_privs is set: apply() always sets it, and so do other
    programs (systemd's NoNewPrivileges=, container runtimes). False means
    no sandbox of nono's confines this process; True means one may.
    """
    return bool(LIB.nono_is_confined())


def load_policy_file(path: PathArg) -> CapabilitySet:
    """Loads a policy file (libnono's INI format, or a SandboxState JSON
    document) through the loader the shim uses (libnono addition).

    Raises:
        FileNotFoundError: the file, or a path it grants, does not exist.
        ValueError: the file does not parse (the message names the line),
            or a path it grants is of the wrong kind.
        OSError: a path cannot be read or resolved.
    """
    raw = encode_path(path)
    policy = ctypes.c_void_p()
    diag = _lib.Diag()
    rc = LIB.nono_policy_load(raw, ctypes.byref(policy), ctypes.byref(diag))
    if rc < 0:
        raise error(rc, _lib.diag_message(diag, rc))
    try:
        return CapabilitySet._clone_of(LIB.nono_policy_caps(policy))
    finally:
        LIB.nono_policy_free(policy)


def load_policy(path: PathArg) -> CapabilitySet:
    """Deprecated: load_policy_file(path), under its old name.

    nono-py's load_policy(json) parses a JSON document of policy groups and
    returns a Policy, which nono_py does not have; this name read a policy
    file instead. It keeps doing so, with a DeprecationWarning, for this
    release only.
    """
    warnings.warn(
        "nono_py.load_policy(path) is deprecated and will be removed in the "
        "next release: use load_policy_file(path). (nono-py's "
        "load_policy(json) parses policy groups, which nono_py does not "
        "have.)", DeprecationWarning, stacklevel=2)
    return load_policy_file(path)
