"""Find the report files under the paths a user names (files, folders, globs), in a stable order,
and tell what is wrong with a path that cannot be read (`path_problem`) so that the caller can
report that one file and go on with the others."""
from __future__ import annotations

import errno
import glob
import os
from dataclasses import dataclass
from pathlib import Path, PurePath

from extractors.readers.sniff import OLE2_MAGIC, PDF_MAGIC, ZIP_MAGIC

REPORT_SUFFIXES = {".docx", ".doc", ".pdf"}


@dataclass(frozen=True)
class PathProblem:
    """Why a path cannot be read: `kind` (bad_name, symlink_loop, broken_link, not_found,
    unreadable) and a sentence for people."""

    kind: str
    reason: str


def printable(path: str | Path) -> str:
    """`path` as text that can be printed and stored: undecodable bytes of a file name from
    another code page shown as \\xNN."""
    s = str(path)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return os.fsencode(s).decode("utf-8", "backslashreplace")


def path_problem(path: str | Path) -> PathProblem | None:
    """None when `path` is a file that can be opened for reading; else why not."""
    p = str(path)
    if printable(p) != p:
        return PathProblem("bad_name", "the file name is not valid UTF-8 (rename the file to read it)")
    try:
        st = os.stat(p)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return PathProblem("symlink_loop", "a loop of symbolic links (it points back to itself)")
        if e.errno == errno.ENOENT and os.path.islink(p):
            return PathProblem("broken_link", f"a symbolic link to a missing file ({os.readlink(p)})")
        if e.errno in (errno.ENOENT, errno.ENOTDIR):
            return PathProblem("not_found", "no such file")
        return PathProblem("unreadable", f"cannot read the file ({e.strerror or e})")
    if os.path.isdir(p):
        try:
            os.scandir(p).close()
        except OSError as e:
            return PathProblem("unreadable", f"cannot list the folder ({e.strerror or e})")
        return PathProblem("unreadable", "is a folder, not a file")
    if not os.path.isfile(p):
        return PathProblem("unreadable", f"not a regular file (mode {oct(st.st_mode)})")
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        os.close(fd)
    except OSError as e:
        return PathProblem("unreadable", f"cannot read the file ({e.strerror or e})")
    return None


def _looks_like_report(p: Path) -> bool:
    """Named like a report, or a Word/PDF file by its first bytes (names can lie either way)."""
    if p.suffix.lower() in REPORT_SUFFIXES:
        return True
    try:
        with p.open("rb") as f:
            head = f.read(8)
    except OSError:
        return False
    return head.startswith((PDF_MAGIC, OLE2_MAGIC, ZIP_MAGIC))


def _walk(top: Path, pattern: str | None, recursive: bool) -> list[Path]:
    """The report files under `top` (hidden ones left out), sorted; a link that leads nowhere
    (broken, or a loop) and a sub-folder that cannot be listed are returned too, so that they
    are reported rather than silently skipped."""
    found: list[Path] = []

    def unlisted(err: OSError) -> None:
        if err.filename is not None:
            found.append(Path(os.fsdecode(err.filename)))

    for dirpath, dirnames, filenames in os.walk(top, onerror=unlisted):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")] if recursive else []
        for name in filenames:  # with links that lead nowhere (os.walk lists them as files)
            if name.startswith("."):
                continue
            f = Path(dirpath) / name
            rel = f.relative_to(top)
            if pattern and not PurePath(rel).match(pattern):
                continue
            if os.path.isfile(f):
                if _looks_like_report(f):
                    found.append(f)
            elif os.path.islink(f) and not os.path.exists(f) and f.suffix.lower() in REPORT_SUFFIXES:
                found.append(f)  # broken or looping link named like a report
    return sorted(found)


def discover(paths: list[str | Path], pattern: str | None = None, recursive: bool = True) -> list[Path]:
    """Files named directly are always included (so a bad one is reported, not skipped);
    folders are searched (recursively by default) for report files, hidden ones left out.
    `pattern` (a glob such as "*.pdf") filters what folders yield. Duplicates removed."""
    out: list[Path] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        try:
            key = os.path.realpath(p, strict=False)
        except (OSError, RuntimeError):  # a symlink loop: its own absolute path
            key = os.path.abspath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in _walk(p, pattern, recursive):
                add(f)
        elif not os.path.lexists(p) and any(ch in str(raw) for ch in "*?["):
            for f in sorted(glob.glob(str(raw), recursive=True)):
                if Path(f).is_file():
                    add(Path(f))
        else:
            add(p)
    return out
