# SPDX-License-Identifier: Apache-2.0
"""Finding and loading libnono, and the C declarations nono_py calls.

Only this module knows the C API's types. The rest of the package calls
``LIB.nono_*`` with the prototypes declared here.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import importlib
import os
import sys
from typing import Iterator, Optional

#: Environment variable naming the libnono shared library to load.
ENV_LIBRARY = "NONO_LIBRARY"

# The soname Meson gives library('nono', version: X.Y.Z): the major
# version is part of the ABI, so it is the name to ask the loader for.
_SONAME_MAJOR = "0"


def _default_names() -> Iterator[str]:
    try:
        # Written by `meson install`: the absolute path the library was
        # installed to, which the loader may not search on its own (a
        # prefix such as /usr/local whose cache was never refreshed). Not
        # there in the source tree nor in a pip install. Imported by name,
        # as a module that may be missing, for mypy.
        installed = importlib.import_module("nono_py._install")
    except ImportError:
        pass
    else:
        yield str(installed.LIBRARY)
    if sys.platform == "darwin":
        yield "libnono.%s.dylib" % _SONAME_MAJOR
    else:
        yield "libnono.so.%s" % _SONAME_MAJOR
    # Last, as it may run ldconfig or a compiler to search.
    found = ctypes.util.find_library("nono")
    if found:
        yield found


def _load() -> ctypes.PyDLL:
    # PyDLL keeps the GIL held during each call. libnono's handles are not
    # thread-safe, so holding it serialises every call into the library
    # from Python threads, at the cost of nothing measurable (no call
    # blocks for long).
    explicit = os.environ.get(ENV_LIBRARY)
    if explicit:
        try:
            return ctypes.PyDLL(explicit)
        except OSError as e:
            raise ImportError(
                "nono_py: cannot load %s=%s: %s" % (ENV_LIBRARY, explicit, e)
            ) from e
    errors = []
    for name in _default_names():
        try:
            return ctypes.PyDLL(name)
        except OSError as e:
            errors.append(str(e))
    raise ImportError(
        "nono_py: libnono not found (set %s to the path of libnono.so): %s"
        % (ENV_LIBRARY, "; ".join(errors))
    )


LIB = _load()

# ---- Errors ---------------------------------------------------------------

# The closed set of libnono.h. Each is a negative errno value of the
# platform, which Python's errno module knows.
NONO_EINVAL = -errno.EINVAL
NONO_ENOMEM = -errno.ENOMEM
NONO_ENOENT = -errno.ENOENT
NONO_ENOTDIR = -errno.ENOTDIR
NONO_EISDIR = -errno.EISDIR
NONO_ECANON = -errno.EACCES
NONO_EPARSE = -errno.EBADMSG
NONO_ENOSYS = -errno.ENOSYS
NONO_EUNSUPPORTED = -errno.EOPNOTSUPP
NONO_ETHREADS = -errno.EBUSY
NONO_EAPPLY = -errno.EPERM
NONO_ERANGE = -errno.ERANGE
NONO_ESPAWN = -errno.EAGAIN


class Diag(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_int),
        ("line", ctypes.c_uint),
        ("file", ctypes.c_char * 1024),
        ("message", ctypes.c_char * 1024),
        ("step", ctypes.c_int),
        ("sys_errno", ctypes.c_int),
    ]


# ---- Access modes, scopes, TCP -------------------------------------------

NONO_ACCESS_READ = 1
NONO_ACCESS_WRITE = 2
NONO_ACCESS_READ_WRITE = 3

NONO_TCP_CONNECT = 1
NONO_TCP_BIND = 2

NONO_SCOPE_SIGNAL = 1
NONO_SCOPE_ABSTRACT_UNIX = 2

NONO_SCOPE_MODE_DEFAULT = 0
NONO_SCOPE_MODE_ISOLATED = 1
NONO_SCOPE_MODE_ALLOWED = 2


class FsCap(ctypes.Structure):
    _fields_ = [
        ("original", ctypes.c_char_p),
        ("resolved", ctypes.c_char_p),
        ("access", ctypes.c_int),
        ("is_file", ctypes.c_bool),
    ]


class QueryResult(ctypes.Structure):
    _fields_ = [
        ("status", ctypes.c_int),
        ("reason", ctypes.c_int),
        ("granted_path", ctypes.c_char_p),
        ("granted", ctypes.c_int),
        ("requested", ctypes.c_int),
        ("tcp_op", ctypes.c_int),
        ("port", ctypes.c_uint),
        ("denied_path", ctypes.c_char_p),
    ]


class QueryRule(ctypes.Structure):
    _fields_ = [
        ("original", ctypes.c_char_p),
        ("resolved", ctypes.c_char_p),
        ("access", ctypes.c_int),
        ("is_file", ctypes.c_bool),
        ("origin_file", ctypes.c_char_p),
        ("origin_line", ctypes.c_uint),
    ]


class QueryExplanation(ctypes.Structure):
    _fields_ = [
        ("result", QueryResult),
        ("canonical_path", ctypes.c_char_p),
        ("grants", ctypes.POINTER(QueryRule)),
        ("grant_count", ctypes.c_size_t),
        ("deny", ctypes.POINTER(QueryRule)),
    ]


class DenyCap(ctypes.Structure):
    _fields_ = [
        ("original", ctypes.c_char_p),
        ("resolved", ctypes.c_char_p),
        ("is_file", ctypes.c_bool),
    ]


class SupportInfo(ctypes.Structure):
    _fields_ = [
        ("is_supported", ctypes.c_bool),
        ("platform", ctypes.c_char * 16),
        ("abi", ctypes.c_int),
        ("features", ctypes.c_uint),
        ("details", ctypes.c_char * 512),
    ]


class ApplyResult(ctypes.Structure):
    _fields_ = [
        ("abi", ctypes.c_int),
        ("enforced", ctypes.c_uint),
        ("dropped", ctypes.c_uint),
        ("dropped_details", ctypes.c_char * 512),
    ]


NONO_APPLY_BEST_EFFORT = 1 << 0
NONO_APPLY_THIS_THREAD_ONLY = 1 << 1

NONO_FEATURE_ALL_THREADS = 1 << 7


class ExecOpts(ctypes.Structure):
    _fields_ = [
        ("path", ctypes.c_char_p),
        ("argv", ctypes.POINTER(ctypes.c_char_p)),
        ("envp", ctypes.POINTER(ctypes.c_char_p)),
        ("cwd", ctypes.c_char_p),
        ("stdin_fd", ctypes.c_int),
        ("stdout_fd", ctypes.c_int),
        ("stderr_fd", ctypes.c_int),
        ("apply_flags", ctypes.c_uint),
        ("flags", ctypes.c_uint),
    ]


class ExecOutput(ctypes.Structure):
    # The buffers are void pointers, not c_char_p, which would stop at the
    # first NUL byte and lose the pointer nono_exec_output_clear frees.
    _fields_ = [
        ("out", ctypes.c_void_p),
        ("out_len", ctypes.c_size_t),
        ("err", ctypes.c_void_p),
        ("err_len", ctypes.c_size_t),
        ("status", ctypes.c_int),
        ("timed_out", ctypes.c_bool),
    ]


NONO_EXEC_NEW_PROCESS_GROUP = 1 << 0
NONO_EXEC_RESTORE_SIGNALS = 1 << 1

# ---- Prototypes ----------------------------------------------------------

_p = ctypes.c_void_p
_s = ctypes.c_char_p
_i = ctypes.c_int
_u = ctypes.c_uint
_z = ctypes.c_size_t
_b = ctypes.c_bool
_pp = ctypes.POINTER(ctypes.c_void_p)
_diag = ctypes.POINTER(Diag)

# name: (restype, argtypes). Functions returning an allocated string are
# declared to return a void pointer, never c_char_p, so that the pointer
# survives to be handed back to nono_free (take_string below).
_PROTOTYPES = {
    "nono_strerror": (_s, [_i]),
    "nono_free": (None, [_p]),
    "nono_access_str": (_s, [_i]),
    "nono_caps_new": (_i, [_pp]),
    "nono_caps_clone": (_i, [_p, _pp]),
    "nono_caps_free": (None, [_p]),
    "nono_caps_allow_path": (_i, [_p, _s, _i]),
    "nono_caps_allow_file": (_i, [_p, _s, _i]),
    "nono_caps_block_network": (_i, [_p]),
    "nono_caps_is_network_blocked": (_b, [_p]),
    "nono_caps_allow_tcp_connect": (_i, [_p, _u]),
    "nono_caps_allow_tcp_bind": (_i, [_p, _u]),
    "nono_caps_tcp_port_count": (_z, [_p, _i]),
    "nono_caps_tcp_port_at": (_i, [_p, _i, _z]),
    "nono_caps_set_scope": (_i, [_p, _i, _i]),
    "nono_caps_scope": (_i, [_p, _i]),
    "nono_scope_mode_str": (_s, [_i]),
    "nono_caps_allow_command": (_i, [_p, _s]),
    "nono_caps_block_command": (_i, [_p, _s]),
    "nono_caps_allowed_command_count": (_z, [_p]),
    "nono_caps_allowed_command_at": (_s, [_p, _z]),
    "nono_caps_blocked_command_count": (_z, [_p]),
    "nono_caps_blocked_command_at": (_s, [_p, _z]),
    "nono_caps_platform_rule": (_i, [_p, _s, _diag]),
    "nono_caps_platform_rule_count": (_z, [_p]),
    "nono_caps_platform_rule_at": (_s, [_p, _z]),
    "nono_caps_deduplicate": (_i, [_p]),
    "nono_caps_path_covered": (_i, [_p, _s]),
    "nono_caps_fs_count": (_z, [_p]),
    "nono_caps_fs_at": (_i, [_p, _z, ctypes.POINTER(FsCap)]),
    "nono_caps_summary": (_p, [_p]),
    "nono_caps_deny_path": (_i, [_p, _s]),
    "nono_caps_deny_count": (_z, [_p]),
    "nono_caps_deny_at": (_i, [_p, _z, ctypes.POINTER(DenyCap)]),
    "nono_caps_allowed_command_file_count": (_z, [_p]),
    "nono_caps_allowed_command_file_at": (_s, [_p, _z]),
    "nono_caps_blocked_command_file_count": (_z, [_p]),
    "nono_caps_blocked_command_file_at": (_s, [_p, _z]),
    "nono_caps_command_blocked": (_i, [_p, _s]),
    "nono_caps_set_exec_writable": (_i, [_p, _b]),
    "nono_caps_exec_writable": (_b, [_p]),
    "nono_query_new": (_i, [_p, _pp]),
    "nono_query_free": (None, [_p]),
    "nono_query_path": (_i, [_p, _s, _i, ctypes.POINTER(QueryResult)]),
    "nono_query_network": (_i, [_p, ctypes.POINTER(QueryResult)]),
    "nono_query_tcp": (_i, [_p, _i, _u, ctypes.POINTER(QueryResult)]),
    "nono_query_result_json": (_p, [ctypes.POINTER(QueryResult)]),
    "nono_query_path_explain": (_i, [_p, _s, _i, _pp]),
    "nono_query_explanation_free": (None, [_p]),
    "nono_state_from_caps": (_i, [_p, _pp]),
    "nono_state_free": (None, [_p]),
    "nono_state_to_json": (_p, [_p]),
    "nono_state_from_json": (_i, [_s, _z, _pp, _diag]),
    "nono_state_is_network_blocked": (_b, [_p]),
    "nono_state_to_caps": (_i, [_p, _pp, _diag]),
    "nono_support_info_get": (_i, [ctypes.POINTER(SupportInfo)]),
    "nono_is_supported": (_b, []),
    "nono_apply": (_i, [_p, _u, ctypes.POINTER(ApplyResult), _diag]),
    "nono_is_confined": (_b, []),
    "nono_policy_load": (_i, [_s, _pp, _diag]),
    "nono_policy_free": (None, [_p]),
    "nono_policy_caps": (_p, [_p]),
    "nono_policy_best_effort": (_b, [_p]),
    "nono_exec_opts_init": (None, [ctypes.POINTER(ExecOpts)]),
    "nono_exec_output_clear": (None, [ctypes.POINTER(ExecOutput)]),
}

for _name, (_restype, _argtypes) in _PROTOTYPES.items():
    _fn = getattr(LIB, _name)
    _fn.restype = _restype
    _fn.argtypes = _argtypes

#: The same library through ctypes.CDLL, whose calls release the GIL, for
#: the one call that blocks: nono_exec_capture waits for a child for as long
#: as the child runs. It is given only objects no other thread can reach
#: (a private copy of the capability set), so the GIL has nothing to guard.
LIB_NOGIL = ctypes.CDLL(LIB._name)
LIB_NOGIL.nono_exec_capture.restype = _i
LIB_NOGIL.nono_exec_capture.argtypes = [
    _p, ctypes.POINTER(ExecOpts), ctypes.c_int64,
    ctypes.POINTER(ExecOutput), _diag]


def take_string(ptr: Optional[int]) -> Optional[str]:
    """Copies a string libnono allocated, then frees it with nono_free."""
    if not ptr:
        return None
    try:
        return ctypes.string_at(ptr).decode("utf-8", "surrogateescape")
    finally:
        LIB.nono_free(ptr)


def strerror(code: int) -> str:
    return str(LIB.nono_strerror(code).decode())


def diag_message(diag: Diag, code: int) -> str:
    """The diag's message with its file and line, or the error's name."""
    message = diag.message.decode("utf-8", "replace") or strerror(code)
    where = diag.file.decode("utf-8", "replace")
    if where and diag.line:
        return "%s:%u: %s" % (where, diag.line, message)
    if where and not message.startswith(where):
        return "%s: %s" % (where, message)
    return message
