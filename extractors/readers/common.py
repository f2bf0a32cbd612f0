"""Helpers shared by the readers: file hashing, text normalisation, and tool processes that die
with the process that started them."""
from __future__ import annotations

import ctypes
import hashlib
import os
import re
import signal
import sys
import unicodedata
from pathlib import Path

_WS = re.compile(r"[ \t\u00a0\u2002-\u200b\u202f\u3000]+")


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_text(text: str) -> str:
    """NFC, 'ƣ/Ƣ' (U+01A3/U+01A2, a broken PDF mapping of 'ư/Ư') repaired, runs of white space
    folded to one space, stripped."""
    text = nfc(text).replace("\u01a3", "ư").replace("\u01a2", "Ư")
    return _WS.sub(" ", text).strip()


# -- tool processes (LibreOffice, Tesseract, poppler) that never outlive their parent ----------
# Linux's parent-death signal: the kernel signals the child when the thread that started it
# ends, even by SIGKILL. Elsewhere these are no-ops (the tools' own time-outs still apply).

_PR_SET_PDEATHSIG = 1
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None
except (OSError, AttributeError):  # pragma: no cover - no libc symbol
    _prctl = None


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask the kernel to send `sig` to this process when its parent dies. Use it as
    `preexec_fn=die_with_parent` for a tool that starts no processes of its own."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


# A guard for tools that start processes of their own (LibreOffice's soffice → oosplash →
# soffice.bin): it runs the tool in its own process group and kills the whole group when its
# parent dies. Stdlib only, no site packages: it starts in ~20 ms.
_GUARD = r"""
import ctypes, os, signal, sys
def kill_group(*_):
    os.killpg(0, signal.SIGKILL)
signal.signal(signal.SIGTERM, kill_group)
signal.signal(signal.SIGHUP, kill_group)
try:
    ctypes.CDLL(None).prctl(1, signal.SIGTERM, 0, 0, 0)
except Exception:
    pass
if os.getpgrp() != os.getpid():
    os.setpgid(0, 0)
if os.getppid() != int(sys.argv[1]):
    kill_group()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
while True:
    try:
        _, status = os.waitpid(pid, 0)
        break
    except InterruptedError:
        pass
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def guarded(cmd: list[str]) -> list[str]:
    """`cmd` run under a guard that kills it and every process it started when the caller dies
    (on Linux; elsewhere `cmd` itself). Its exit code is the tool's."""
    if _prctl is None:
        return list(cmd)
    return [sys.executable, "-I", "-S", "-c", _GUARD, str(os.getpid()), *cmd]


def number_blocks(blocks: list) -> None:
    """Each block's provenance gets its index, and so do a table's cells and their paragraphs."""
    for i, b in enumerate(blocks):
        b.provenance.block = i
        for c in getattr(b, "cells", ()):
            c.provenance.block = i
            for para in c.paragraphs:
                para.provenance.block = i
