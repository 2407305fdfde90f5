# SPDX-License-Identifier: Apache-2.0
"""nono_py: capability-based sandboxing, nono-py's API on libnono.

    >>> from nono_py import CapabilitySet, AccessMode, apply
    >>> caps = CapabilitySet()
    >>> caps.allow_path("/tmp", AccessMode.READ_WRITE)
    >>> caps.block_network()
    >>> apply(caps)  # Irreversible!

or, leaving this process as it is, run one command in a sandboxed child:

    >>> result = sandboxed_exec(caps, ["ls", "/tmp"], timeout_secs=10)

The library is found through the NONO_LIBRARY environment variable (a
path to libnono.so) when it is set, else where `meson install` put it,
else through the system's loader.
"""
from ._caps import AccessMode, CapabilitySet, DeniedPath, FsCapability, \
    Scope, ScopeMode
from ._query import QueryContext, QueryResult
from ._exec import ExecResult, sandboxed_exec
from ._sandbox import SupportInfo, apply, is_confined, is_supported, \
    load_policy, load_policy_file, support_info
from ._state import SandboxState

__all__ = [
    "AccessMode",
    "CapabilitySet",
    "DeniedPath",
    "ExecResult",
    "FsCapability",
    "QueryContext",
    "QueryResult",
    "SandboxState",
    "Scope",
    "ScopeMode",
    "SupportInfo",
    "apply",
    "is_confined",
    "is_supported",
    "load_policy",
    "load_policy_file",
    "sandboxed_exec",
    "support_info",
]
