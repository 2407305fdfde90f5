# SPDX-License-Identifier: Apache-2.0
"""SandboxState over nono_state: a capability set as nono's JSON."""
from __future__ import annotations

import ctypes
import json
import weakref

from . import _lib
from ._caps import CapabilitySet, _check_type, _rust_bool
from ._errors import check, error
from ._lib import LIB


class SandboxState:
    """A serialisable snapshot of a CapabilitySet (nono's JSON)."""

    __slots__ = ("_ptr", "_finalizer", "__weakref__")
    _ptr: int
    _finalizer: weakref.finalize

    def __init__(self) -> None:
        raise TypeError("use SandboxState.from_caps() or "
                        "SandboxState.from_json()")

    @classmethod
    def _own(cls, ptr: int) -> "SandboxState":
        state = cls.__new__(cls)
        state._ptr = ptr
        state._finalizer = weakref.finalize(state, LIB.nono_state_free, ptr)
        return state

    @staticmethod
    def from_caps(caps: CapabilitySet) -> "SandboxState":
        """Captures `caps` (later changes to it do not show)."""
        _check_type(caps, CapabilitySet, "caps")
        out = ctypes.c_void_p()
        check(LIB.nono_state_from_caps(caps._ptr, ctypes.byref(out)),
              "SandboxState")
        assert out.value
        return SandboxState._own(out.value)

    @staticmethod
    def from_json(json_text: str) -> "SandboxState":
        """Parses nono's JSON; "fs" and "net_blocked" are required.

        Raises:
            ValueError: the text is not a valid state.
        """
        if isinstance(json_text, str):
            raw = json_text.encode("utf-8", "surrogateescape")
        elif isinstance(json_text, (bytes, bytearray)):
            raw = bytes(json_text)
        else:
            raise TypeError("json must be str, not %s" %
                            type(json_text).__name__)
        out = ctypes.c_void_p()
        diag = _lib.Diag()
        rc = LIB.nono_state_from_json(raw, len(raw), ctypes.byref(out),
                                      ctypes.byref(diag))
        if rc < 0:
            # The message names the line and column where it has them.
            message = _lib.diag_message(diag, rc)
            if rc in (_lib.NONO_EPARSE, _lib.NONO_EINVAL):
                raise ValueError("Invalid JSON: %s" % message)
            raise error(rc, message)
        assert out.value
        return SandboxState._own(out.value)

    def to_json(self) -> str:
        """nono's JSON, 2-space indent."""
        text = _lib.take_string(LIB.nono_state_to_json(self._ptr))
        if text is None:
            raise MemoryError("to_json")
        return text

    def to_caps(self) -> CapabilitySet:
        """Rebuilds the capability set, checking every path again.

        Raises:
            FileNotFoundError: a path no longer exists.
            ValueError: a path is no longer of its kind.
            OSError: a path cannot be resolved.
        """
        out = ctypes.c_void_p()
        diag = _lib.Diag()
        rc = LIB.nono_state_to_caps(self._ptr, ctypes.byref(out),
                                    ctypes.byref(diag))
        if rc < 0:
            raise error(rc, _lib.diag_message(diag, rc))
        return CapabilitySet._own(out.value)

    @property
    def net_blocked(self) -> bool:
        """True if the state blocks the network."""
        return bool(LIB.nono_state_is_network_blocked(self._ptr))

    def __repr__(self) -> str:
        # The state has no count of its own in the C API; its JSON is the
        # one description of it.
        entries = len(json.loads(self.to_json())["fs"])
        return "SandboxState(fs=%d, net_blocked=%s)" % (
            entries, _rust_bool(self.net_blocked))
