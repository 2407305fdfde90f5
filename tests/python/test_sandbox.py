# SPDX-License-Identifier: Apache-2.0
"""support_info, is_supported, and apply: live, in forked children."""
import ctypes
import os
import socket
import threading

import pytest

from conftest import CHILD_OK, run_in_child
from nono_py import AccessMode, CapabilitySet, SupportInfo, apply, \
    is_confined, is_supported, support_info
from nono_py import _lib

# Exit codes of the children below.
READ_DENIED = 10
READ_FAILED_OTHERWISE = 11
CONNECT_DENIED = 20
CONNECT_FAILED_OTHERWISE = 21
APPLY_FAILED = 30
WRITE_DENIED = 40

INFO = support_info()


def _features():
    raw = _lib.SupportInfo()
    assert _lib.LIB.nono_support_info_get(ctypes.byref(raw)) == 0
    return raw.features


INFO_FEATURES = _features()
needs_sandbox = pytest.mark.skipif(
    not INFO.is_supported, reason="no Landlock here: " + INFO.details)
needs_tcp = pytest.mark.skipif(
    INFO.abi < 4, reason="Landlock ABI %d has no TCP rules" % INFO.abi)


# A denied open() or connect() fails with EACCES, which Python raises as
# PermissionError; any other failure means the test itself is broken.
def _read(path):
    try:
        with open(path, "rb") as f:
            f.read()
    except PermissionError:
        return READ_DENIED
    except OSError:
        return READ_FAILED_OTHERWISE
    return CHILD_OK


def _connect(port):
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.connect(("127.0.0.1", port))
        finally:
            s.close()
    except PermissionError:
        return CONNECT_DENIED
    except OSError:
        return CONNECT_FAILED_OTHERWISE
    return CHILD_OK


# ---- support ---------------------------------------------------------------

def test_support_info_describes_this_system():
    info = support_info()
    assert isinstance(info, SupportInfo)
    assert info.is_supported is is_supported()
    assert info.platform == "linux"
    if info.is_supported:
        assert info.details.startswith("Landlock available (Landlock V%d"
                                       % info.abi)
        assert info.abi >= 1
    else:
        assert "5.13" in info.details
    assert repr(info) == "SupportInfo(supported=%s, platform='linux')" % (
        "true" if info.is_supported else "false")


def test_support_info_cannot_be_built_by_hand():
    with pytest.raises(TypeError):
        SupportInfo()


# ---- apply -----------------------------------------------------------------

@needs_sandbox
def test_apply_denies_a_read_outside_the_grants(tree):
    allowed, secret = tree

    def child():
        caps = CapabilitySet()
        caps.allow_path(allowed, AccessMode.READ)
        apply(caps)
        rc = _read(os.path.join(allowed, "hello.txt"))
        if rc != CHILD_OK:
            return rc + 50
        return _read(os.path.join(secret, "password.txt"))

    assert run_in_child(child) == READ_DENIED


def test_without_apply_the_same_read_succeeds(tree):
    # The control for the test above: the read is possible at all.
    _, secret = tree
    assert run_in_child(
        lambda: _read(os.path.join(secret, "password.txt"))) == CHILD_OK


@needs_sandbox
def test_apply_read_only_grant_denies_a_write(tree):
    allowed, _ = tree

    def child():
        caps = CapabilitySet()
        caps.allow_path(allowed, AccessMode.READ)
        apply(caps)
        try:
            with open(os.path.join(allowed, "new.txt"), "w") as f:
                f.write("x")
        except PermissionError:
            return WRITE_DENIED
        return CHILD_OK

    assert run_in_child(child) == WRITE_DENIED
    assert not os.path.exists(os.path.join(allowed, "new.txt"))


@needs_sandbox
@needs_tcp
def test_apply_denies_a_tcp_connect(listener):
    def child():
        caps = CapabilitySet()
        caps.block_network()
        apply(caps)
        return _connect(listener)

    assert run_in_child(child) == CONNECT_DENIED


@needs_sandbox
def test_apply_without_block_keeps_the_network(listener):
    def child():
        apply(CapabilitySet())
        return _connect(listener)

    assert run_in_child(child) == CHILD_OK


@needs_sandbox
@needs_tcp
def test_apply_tcp_connect_exception(listener):
    def child():
        caps = CapabilitySet()
        caps.block_network()
        caps.allow_tcp_connect(listener)
        apply(caps)
        return _connect(listener)

    assert run_in_child(child) == CHILD_OK


def test_apply_refuses_port_exceptions_with_the_network_open():
    def child():
        caps = CapabilitySet()
        caps.allow_tcp_connect(443)
        try:
            apply(caps)
        except RuntimeError as e:
            return APPLY_FAILED if str(e) else CHILD_OK
        return CHILD_OK

    assert run_in_child(child) == APPLY_FAILED


@needs_sandbox
def test_apply_with_other_threads(tree):
    allowed, secret = tree
    all_threads = bool(INFO_FEATURES & _lib.NONO_FEATURE_ALL_THREADS)

    def child():
        stop = threading.Event()
        t = threading.Thread(target=stop.wait)
        t.start()
        try:
            caps = CapabilitySet()
            caps.allow_path(allowed, AccessMode.READ)
            try:
                apply(caps)
            except RuntimeError:
                if all_threads:
                    return APPLY_FAILED
                # Nothing was applied: the read still works.
                if _read(os.path.join(secret, "password.txt")) != CHILD_OK:
                    return APPLY_FAILED + 1
                # Best effort too: the threads left unrestricted are
                # something the kernel does not enforce.
                apply(caps, this_thread_only=True, best_effort=True)
            return _read(os.path.join(secret, "password.txt"))
        finally:
            stop.set()
            t.join()

    assert run_in_child(child) == READ_DENIED


@needs_sandbox
def test_is_confined_after_apply():
    confined_before = is_confined()

    def child():
        apply(CapabilitySet())
        return CHILD_OK if is_confined() else 1

    assert run_in_child(child) == CHILD_OK
    # The parent is untouched (whatever started the test run decides
    # whether it was confined to begin with).
    assert is_confined() is confined_before


def test_apply_argument_type():
    with pytest.raises(TypeError):
        apply(None)
    with pytest.raises(TypeError):
        apply("caps")
