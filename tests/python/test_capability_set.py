# SPDX-License-Identifier: Apache-2.0
"""AccessMode, FsCapability and CapabilitySet: every method and error."""
import copy
import dataclasses
import os
import pathlib

import pytest

from nono_py import AccessMode, CapabilitySet, FsCapability, Scope, ScopeMode


# ---- AccessMode -------------------------------------------------------------

@pytest.mark.parametrize("mode, text", [
    (AccessMode.READ, "read"),
    (AccessMode.WRITE, "write"),
    (AccessMode.READ_WRITE, "read+write"),
])
def test_access_mode_prints_as_nono(mode, text):
    assert str(mode) == text
    assert repr(mode) == "AccessMode." + mode.name
    assert format(mode) == text


def test_access_mode_members_are_distinct_and_hashable():
    modes = {AccessMode.READ, AccessMode.WRITE, AccessMode.READ_WRITE}
    assert len(modes) == 3
    assert AccessMode.READ == AccessMode["READ"]
    assert AccessMode.READ != AccessMode.READ_WRITE


# ---- creation -------------------------------------------------------------

def test_new_set_is_empty_with_network_allowed():
    caps = CapabilitySet()
    assert caps.fs_capabilities() == []
    assert caps.is_network_blocked is False
    assert repr(caps) == "CapabilitySet(fs=0, network=allowed)"


# ---- allow_path / allow_file ---------------------------------------------

def test_allow_path_canonicalises_and_keeps_the_spelling(tmp_path,
                                                         monkeypatch):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    monkeypatch.chdir(tmp_path)
    caps = CapabilitySet()
    caps.allow_path("link", AccessMode.READ)
    caps.allow_path(real / ".." / "real", AccessMode.WRITE)
    first, second = caps.fs_capabilities()
    assert first.original == "link"
    assert first.resolved == os.path.realpath(real)
    assert first.access is AccessMode.READ
    assert first.is_file is False
    assert second.original == str(real / ".." / "real")
    assert second.resolved == os.path.realpath(real)
    assert second.access is AccessMode.WRITE


def test_allow_path_takes_bytes_and_pathlike(tmp_path):
    caps = CapabilitySet()
    caps.allow_path(os.fsencode(str(tmp_path)), AccessMode.READ)
    caps.allow_path(pathlib.Path(tmp_path), AccessMode.READ)
    assert [c.resolved for c in caps.fs_capabilities()] == \
        [os.path.realpath(tmp_path)] * 2


def test_allow_path_missing_raises_file_not_found(tmp_path):
    caps = CapabilitySet()
    missing = str(tmp_path / "missing")
    with pytest.raises(FileNotFoundError) as info:
        caps.allow_path(missing, AccessMode.READ)
    assert str(info.value) == "Path does not exist: " + missing
    assert caps.fs_capabilities() == []


def test_allow_path_on_a_file_raises_value_error(tmp_path):
    f = tmp_path / "f"
    f.write_text("x")
    caps = CapabilitySet()
    with pytest.raises(ValueError) as info:
        caps.allow_path(str(f), AccessMode.READ)
    assert str(info.value) == "Expected a directory but got a file: %s" % f
    assert caps.fs_capabilities() == []


def test_allow_path_symlink_loop_raises_os_error(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    caps = CapabilitySet()
    with pytest.raises(OSError) as info:
        caps.allow_path(str(tmp_path / "a"), AccessMode.READ)
    # Not one of OSError's subclasses for other errors.
    assert type(info.value) is OSError
    assert str(info.value).startswith(
        "Failed to canonicalize path %s: " % (tmp_path / "a"))


def test_allow_path_name_too_long_raises_os_error(tmp_path):
    caps = CapabilitySet()
    with pytest.raises(OSError) as info:
        caps.allow_path(str(tmp_path / ("x" * 300)), AccessMode.READ)
    assert type(info.value) is OSError


def test_allow_path_rejects_a_nul_byte_and_bad_types(tmp_path):
    caps = CapabilitySet()
    with pytest.raises(ValueError):
        caps.allow_path(str(tmp_path) + "\0x", AccessMode.READ)
    with pytest.raises(TypeError):
        caps.allow_path(str(tmp_path), "read")
    with pytest.raises(TypeError):
        caps.allow_path(str(tmp_path), 1)
    with pytest.raises(TypeError):
        caps.allow_path(42, AccessMode.READ)
    assert caps.fs_capabilities() == []


def test_allow_file_grants_one_file(tmp_path):
    f = tmp_path / "f"
    f.write_text("x")
    caps = CapabilitySet()
    caps.allow_file(str(f), AccessMode.READ_WRITE)
    caps.allow_file("/dev/null", AccessMode.WRITE)
    first, second = caps.fs_capabilities()
    assert (first.resolved, first.access, first.is_file) == \
        (os.path.realpath(f), AccessMode.READ_WRITE, True)
    assert (second.resolved, second.is_file) == ("/dev/null", True)


def test_allow_file_on_a_directory_raises_value_error(tmp_path):
    caps = CapabilitySet()
    with pytest.raises(ValueError) as info:
        caps.allow_file(str(tmp_path), AccessMode.READ)
    assert str(info.value) == \
        "Expected a file but got a directory: %s" % tmp_path


def test_allow_file_missing_raises_file_not_found(tmp_path):
    caps = CapabilitySet()
    with pytest.raises(FileNotFoundError):
        caps.allow_file(str(tmp_path / "nope.txt"), AccessMode.READ)


# ---- FsCapability -----------------------------------------------------------

def test_fs_capability_is_a_frozen_copy_printed_as_nono(tmp_path):
    caps = CapabilitySet()
    caps.allow_path(str(tmp_path), AccessMode.READ)
    cap = caps.fs_capabilities()[0]
    resolved = os.path.realpath(tmp_path)
    assert repr(cap) == \
        "FsCapability(path='%s', access=read, is_file=false)" % resolved
    assert str(cap) == "%s (read)" % resolved
    assert cap == FsCapability(str(tmp_path), resolved, AccessMode.READ,
                               False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cap.access = AccessMode.WRITE  # type: ignore[misc]
    caps.block_network()
    caps.allow_path(str(tmp_path), AccessMode.WRITE)
    assert cap.access is AccessMode.READ


# ---- network ----------------------------------------------------------------

def test_block_network():
    caps = CapabilitySet()
    caps.block_network()
    assert caps.is_network_blocked is True
    assert repr(caps) == "CapabilitySet(fs=0, network=blocked)"
    caps.block_network()
    assert caps.is_network_blocked is True


def test_tcp_port_exceptions_are_kept_once_in_order():
    caps = CapabilitySet()
    caps.allow_tcp_connect(443)
    caps.allow_tcp_connect(80)
    caps.allow_tcp_connect(443)
    caps.allow_tcp_bind(8080)
    assert caps.tcp_connect_ports() == [443, 80]
    assert caps.tcp_bind_ports() == [8080]


@pytest.mark.parametrize("port", [0, 65536, -1, 2 ** 32 + 80, 2 ** 70])
def test_tcp_port_out_of_range_raises_value_error(port):
    caps = CapabilitySet()
    with pytest.raises(ValueError):
        caps.allow_tcp_connect(port)
    with pytest.raises(ValueError):
        caps.allow_tcp_bind(port)
    assert caps.tcp_connect_ports() == []
    assert caps.tcp_bind_ports() == []


@pytest.mark.parametrize("port", ["80", 80.0, True, None])
def test_tcp_port_must_be_an_int(port):
    with pytest.raises(TypeError):
        CapabilitySet().allow_tcp_connect(port)


# ---- scopes -----------------------------------------------------------------

def test_scopes_default_then_set():
    caps = CapabilitySet()
    assert caps.scope(Scope.SIGNAL) is ScopeMode.DEFAULT
    assert caps.scope(Scope.ABSTRACT_UNIX) is ScopeMode.DEFAULT
    caps.set_scope(Scope.SIGNAL, ScopeMode.ALLOWED)
    caps.set_scope(Scope.ABSTRACT_UNIX, ScopeMode.ISOLATED)
    assert caps.scope(Scope.SIGNAL) is ScopeMode.ALLOWED
    assert caps.scope(Scope.ABSTRACT_UNIX) is ScopeMode.ISOLATED
    assert [str(m) for m in ScopeMode] == ["default", "isolated", "allow"]


def test_scope_arguments_must_be_the_enums():
    caps = CapabilitySet()
    with pytest.raises(TypeError):
        caps.set_scope(1, ScopeMode.ALLOWED)
    with pytest.raises(TypeError):
        caps.set_scope(Scope.SIGNAL, "allow")
    with pytest.raises(TypeError):
        caps.scope("signal")


# ---- commands ---------------------------------------------------------------

def test_command_lists():
    caps = CapabilitySet()
    caps.allow_command("git")
    caps.block_command("rm")
    caps.block_command("dd")
    assert caps.allowed_commands() == ["git"]
    assert caps.blocked_commands() == ["rm", "dd"]


@pytest.mark.parametrize("bad, exc", [(None, TypeError), (b"git", TypeError),
                                      ("", ValueError),
                                      ("g\0it", ValueError)])
def test_command_errors(bad, exc):
    caps = CapabilitySet()
    with pytest.raises(exc):
        caps.allow_command(bad)
    with pytest.raises(exc):
        caps.block_command(bad)
    assert caps.allowed_commands() == [] and caps.blocked_commands() == []


# ---- platform rules --------------------------------------------------------

def test_platform_rule_valid_is_kept():
    rule = '(allow mach-lookup (global-name "com.apple.system.logger"))'
    caps = CapabilitySet()
    caps.platform_rule(rule)
    caps.platform_rule('  (allow file-read* (subpath "/usr")) ; note (')
    assert caps.platform_rules()[0] == rule
    assert len(caps.platform_rules()) == 2


@pytest.mark.parametrize("rule", [
    'allow mach-lookup',
    '(allow mach-lookup',
    '(allow mach-lookup))',
    '(allow file-read* (literal "/x))',
    '(allow file-read* #| (subpath "/x") )',
    '(allow file-read* (subpath "/"))',
    '(allow file-write* (subpath "/"))',
    '',
])
def test_platform_rule_invalid_raises_value_error(rule):
    caps = CapabilitySet()
    with pytest.raises(ValueError) as info:
        caps.platform_rule(rule)
    assert str(info.value)
    assert caps.platform_rules() == []


# ---- deduplicate / path_covered --------------------------------------------

def test_deduplicate_merges_read_and_write(tmp_path):
    d = str(tmp_path)
    f = tmp_path / "f"
    f.write_text("x")
    caps = CapabilitySet()
    caps.allow_path(d, AccessMode.READ)
    caps.allow_file(str(f), AccessMode.READ)
    caps.allow_path(d + "/.", AccessMode.WRITE)
    assert len(caps.fs_capabilities()) == 3
    caps.deduplicate()
    merged = caps.fs_capabilities()
    assert [(c.original, c.access, c.is_file) for c in merged] == [
        (d, AccessMode.READ_WRITE, False),
        (str(f), AccessMode.READ, True),
    ]


def test_path_covered_is_component_wise(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "ab").mkdir()
    (tmp_path / "f").write_text("x")
    caps = CapabilitySet()
    caps.allow_path(str(tmp_path / "a"), AccessMode.READ)
    caps.allow_file(str(tmp_path / "f"), AccessMode.READ)
    assert caps.path_covered(str(tmp_path / "a")) is True
    assert caps.path_covered(str(tmp_path / "a" / "x" / "y")) is True
    assert caps.path_covered(pathlib.Path(tmp_path, "a", "z")) is True
    assert caps.path_covered(str(tmp_path / "ab")) is False
    assert caps.path_covered(str(tmp_path)) is False
    # A file grant covers nothing beneath it, and is not a directory.
    assert caps.path_covered(str(tmp_path / "f")) is False


# ---- summary / repr / copy -------------------------------------------------

def test_summary_in_nono_format(tmp_path):
    f = tmp_path / "f"
    f.write_text("x")
    caps = CapabilitySet()
    caps.allow_path(str(tmp_path), AccessMode.READ_WRITE)
    caps.allow_file(str(f), AccessMode.READ)
    caps.block_network()
    d = os.path.realpath(tmp_path)
    assert caps.summary() == (
        "Filesystem:\n"
        "  %s [read+write] (dir)\n"
        "  %s/f [read] (file)\n"
        "Network:\n"
        "  outbound: blocked\n" % (d, d))
    assert repr(caps) == "CapabilitySet(fs=2, network=blocked)"


def test_summary_of_an_empty_set():
    assert CapabilitySet().summary() == \
        "Filesystem:\nNetwork:\n  outbound: allowed\n"


def test_copy_is_independent(tmp_path):
    caps = CapabilitySet()
    caps.allow_path(str(tmp_path), AccessMode.READ)
    for clone in (copy.copy(caps), copy.deepcopy(caps)):
        clone.block_network()
        clone.allow_path(str(tmp_path), AccessMode.WRITE)
        assert len(clone.fs_capabilities()) == 2
    assert len(caps.fs_capabilities()) == 1
    assert caps.is_network_blocked is False


# ---- libnono additions: deny rules, command files, exec of writable -------

def test_deny_path_is_listed(tmp_path, monkeypatch):
    (tmp_path / "secret").mkdir()
    (tmp_path / "key").write_text("k")
    monkeypatch.chdir(tmp_path)
    caps = CapabilitySet()
    caps.allow_path(str(tmp_path), AccessMode.READ)
    caps.deny_path("secret")
    caps.deny_path(tmp_path / "key")
    caps.deny_path(str(tmp_path / "secret"))
    d = os.path.realpath(tmp_path)
    assert [(p.original, p.resolved, p.is_file)
            for p in caps.denied_paths()] == [
        ("secret", d + "/secret", False),
        (str(tmp_path / "key"), d + "/key", True),
    ]
    first = caps.denied_paths()[0]
    assert repr(first) == "DeniedPath(path='%s/secret', is_file=false)" % d
    assert str(first) == d + "/secret"
    # A deny rule is not a grant.
    assert len(caps.fs_capabilities()) == 1


def test_deny_path_errors(tmp_path):
    caps = CapabilitySet()
    with pytest.raises(FileNotFoundError):
        caps.deny_path(str(tmp_path / "missing"))
    with pytest.raises(ValueError):
        caps.deny_path("")
    (tmp_path / "a").symlink_to(tmp_path / "a")
    with pytest.raises(OSError):
        caps.deny_path(str(tmp_path / "a"))
    assert caps.denied_paths() == []


def test_command_files_follow_path(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("tool", "other"):
        exe = bin_dir / name
        exe.write_text("#!/bin/sh\n")
        exe.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    caps = CapabilitySet()
    caps.block_command("tool")
    caps.block_command("other")
    caps.allow_command("other")
    caps.block_command("no-such-command")
    tool = os.path.realpath(bin_dir / "tool")
    other = os.path.realpath(bin_dir / "other")
    assert caps.blocked_command_files() == [tool, other]
    assert caps.allowed_command_files() == [other]
    # Allow wins; an unresolved name withholds nothing.
    assert caps.command_blocked(tool) is True
    assert caps.command_blocked(other) is False
    assert caps.command_blocked(str(tmp_path / "missing")) is False


def test_exec_writable_setting():
    caps = CapabilitySet()
    assert caps.exec_writable is True
    caps.set_exec_writable(False)
    assert caps.exec_writable is False
    caps.set_exec_writable(True)
    assert caps.exec_writable is True
    with pytest.raises(TypeError):
        caps.set_exec_writable(0)
