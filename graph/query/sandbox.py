"""Take the network away from a SPARQL query worker, at the operating-system level.

The query guard (:mod:`graph.query.sparql`) refuses ``SERVICE`` before evaluation; this is
the second line, for the day a query slips past it: a worker process that cannot open
a network socket cannot make pyoxigraph fetch anything, whatever the query says.

On Linux a seccomp filter, installed by the worker itself before it loads any data or
starts any thread, makes ``socket()`` fail with ``EACCES`` for every address family but
``AF_UNIX`` (the worker talks to the server over a socket pair it inherits), and refuses
``io_uring_setup`` (io_uring can open sockets without calling ``socket()``). Where
seccomp is not available, a new network namespace (``unshare``), which holds no
interface but a loopback that is down, does the same. Elsewhere (macOS, Windows) there
is no such cut: the worker says so and the server logs it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
import socket
import struct

#: (audit architecture, socket(), io_uring_setup()) by machine
_ARCHITECTURES = {
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_EACCES = 13
_LOAD_WORD = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JUMP_EQUAL = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JUMP_AT_LEAST = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RETURN = 0x06  # BPF_RET | BPF_K
_X32_SYSCALL_BIT = 0x40000000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


class _Filter(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _instruction(code: int, jump_true: int, jump_false: int, value: int) -> bytes:
    return struct.pack("HBBI", code, jump_true, jump_false, value)


def _program(arch: int, socket_call: int, io_uring_setup: int) -> bytes:
    deny = _RET_ERRNO | _EACCES
    return b"".join([
        _instruction(_LOAD_WORD, 0, 0, 4),  # seccomp_data.arch
        _instruction(_JUMP_EQUAL, 1, 0, arch),
        _instruction(_RETURN, 0, 0, deny),  # another ABI (32-bit calls): nothing allowed
        _instruction(_LOAD_WORD, 0, 0, 0),  # seccomp_data.nr
        _instruction(_JUMP_AT_LEAST, 0, 1, _X32_SYSCALL_BIT),
        _instruction(_RETURN, 0, 0, deny),  # x32 calls
        _instruction(_JUMP_EQUAL, 0, 1, io_uring_setup),
        _instruction(_RETURN, 0, 0, deny),
        _instruction(_JUMP_EQUAL, 1, 0, socket_call),
        _instruction(_RETURN, 0, 0, _RET_ALLOW),
        _instruction(_LOAD_WORD, 0, 0, 16),  # args[0], the address family (low 32 bits)
        _instruction(_JUMP_EQUAL, 0, 1, socket.AF_UNIX),
        _instruction(_RETURN, 0, 0, _RET_ALLOW),
        _instruction(_RETURN, 0, 0, deny),
    ])


def _install_seccomp(libc: ctypes.CDLL) -> None:
    machine = platform.machine()
    if machine not in _ARCHITECTURES:
        raise OSError(f"no seccomp filter written for {machine}")
    code = _program(*_ARCHITECTURES[machine])
    buffer = ctypes.create_string_buffer(code, len(code))
    program = _Filter(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")


def _unshare_network(libc: ctypes.CDLL) -> None:
    flags = _CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWUSER | _CLONE_NEWNET
    if libc.unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET) failed")


def network_is_cut() -> bool:
    """Whether this process can no longer open an Internet socket."""
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            probe = socket.socket(family, socket.SOCK_STREAM)
        except OSError:
            continue
        try:  # a network namespace lets the socket be made; nothing is reachable
            probe.settimeout(0.5)
            probe.connect(("127.0.0.1", 9) if family == socket.AF_INET else ("::1", 9))
        except OSError as exc:
            if exc.errno not in (101, 99):  # ENETUNREACH, EADDRNOTAVAIL: cut off
                return False
        else:
            return False
        finally:
            probe.close()
    return True


def cut_network() -> str:
    """Cut this process off the network; return how ("seccomp", "namespace") or raise OSError.

    Call it before any thread starts (a seccomp filter holds for the calling thread and
    the threads it starts afterwards).
    """
    if platform.system() != "Linux":
        raise OSError(f"no way to cut a process off the network on {platform.system()}")
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    reasons = []
    for how, cut in (("seccomp", _install_seccomp), ("namespace", _unshare_network)):
        try:
            cut(libc)
        except OSError as exc:
            reasons.append(f"{how}: {exc}")
            continue
        if network_is_cut():
            return how
        reasons.append(f"{how}: installed, but a socket could still be opened")
    raise OSError("; ".join(reasons))
