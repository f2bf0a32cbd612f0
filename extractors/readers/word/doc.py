"""Read a Word 97-2003 (.doc) file: convert it to .docx with LibreOffice, then read that.

Before converting, the OLE2 container and Word header are checked (extractors.readers.word.word97):
a damaged file is a CorruptFileError, a password-protected one an EncryptedFileError, and a
document that ends inside a table (LibreOffice writes those, then flattens that last table on
import) is repaired in a temporary copy. LibreOffice runs headless with its own user profile
(one per concurrent conversion, reused within the process, removed at exit; those left by dead
processes are swept), in its own process group, killed whole when it overruns the timeout
(BAOCAO_SOFFICE_TIMEOUT, default 120 s; BAOCAO_SOFFICE names the binary). Any failure is a
ConversionError naming the file. The Document's Source describes the original .doc (format
DOC, its own hash and size, converted_with "libreoffice X.Y.Z").

A web page (HTML, or the HTML inside an MHTML archive) or a Word 2003 XML document saved with
a .doc name is converted the same way (readers.word.web tells them apart); its Source says
DOC, converted by LibreOffice.

The TCVN3 letter "ư" (byte 0xAD, the soft hyphen) comes through the conversion as
<w:softHyphen/>; the docx reader keeps it and the legacy decoder turns it back into "ư".
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from extractors.readers.common import guarded, sha256_file
from extractors.readers.word.docx import read_docx
from extractors.readers.word.web import HEAD_BYTES, html_of_mhtml
from extractors.readers.word.web import kind_of as web_kind
from extractors.readers.word.word97 import CfbError, inspect_doc, repair_trailing_table
from models.document import Document, Format
from models.errors import (
    ConversionError, CorruptFileError, EmptyFileError, EncryptedFileError, InputError,
)

TIMEOUT_S = float(os.environ.get("BAOCAO_SOFFICE_TIMEOUT", "120"))
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def soffice_binary() -> str | None:
    return os.environ.get("BAOCAO_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


# -- LibreOffice user profiles: one per concurrent conversion, reused, removed at exit -------
# They live in <tmp>/baocao-lo-profiles/<pid>-<n>; a process that died without its atexit
# (killed, os._exit in a worker) leaves its profiles behind, and the next process sweeps them.
PROFILES_ROOT = Path(tempfile.gettempdir()) / "baocao-lo-profiles"
_profiles_lock = threading.Lock()
_pool: dict = {"pid": None, "free": [], "all": [], "n": 0}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sweep_dead_profiles() -> None:
    if not PROFILES_ROOT.is_dir():
        return
    for d in PROFILES_ROOT.iterdir():
        pid = d.name.split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)


def _take_profile() -> Path:
    with _profiles_lock:
        if _pool["pid"] != os.getpid():  # first use, or a forked child: never share a parent's
            _pool.update(pid=os.getpid(), free=[], all=[], n=0)
            _sweep_dead_profiles()
        if _pool["free"]:
            return _pool["free"].pop()
        _pool["n"] += 1
        path = PROFILES_ROOT / f"{os.getpid()}-{_pool['n']}"
        path.mkdir(parents=True, exist_ok=True)
        _pool["all"].append(path)
        return path


def _give_back(profile: Path, healthy: bool) -> None:
    with _profiles_lock:
        if profile not in _pool["all"]:
            return
        if healthy:
            _pool["free"].append(profile)
        else:  # a killed LibreOffice may leave a locked or half-written profile
            shutil.rmtree(profile, ignore_errors=True)
            _pool["all"].remove(profile)


@atexit.register
def _remove_profiles() -> None:
    if _pool["pid"] == os.getpid():
        for p in _pool["all"]:
            shutil.rmtree(p, ignore_errors=True)


def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess:
    """Run in a new process group; on timeout kill the whole group and raise TimeoutExpired."""
    proc = subprocess.Popen(guarded(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


@lru_cache(maxsize=1)
def libreoffice_version() -> str:
    """'libreoffice 7.4.7.2' (or just 'libreoffice' when the version cannot be told)."""
    binary = soffice_binary()
    if not binary:
        return "libreoffice"
    profile = _take_profile()
    try:
        out = _run([binary, f"-env:UserInstallation={profile.as_uri()}", "--version"], 60).stdout
        _give_back(profile, True)
    except (subprocess.TimeoutExpired, OSError):
        _give_back(profile, False)
        return "libreoffice"
    words = out.decode("utf-8", "replace").split()
    version = next((w for w in words if w[:1].isdigit()), "")
    return f"libreoffice {version}".strip()


def convert_to_docx(path: Path, data: bytes, outdir: Path, timeout: float = TIMEOUT_S,
                    suffix: str = ".doc") -> Path:
    """Convert .doc bytes (of `path`, named in errors) to a .docx in `outdir`; `suffix` names
    the input for LibreOffice's type detection (".html", ".xml" for what is not Word 97)."""
    binary = soffice_binary()
    if not binary:
        raise ConversionError(path, "LibreOffice (soffice) is not installed; cannot convert .doc")
    src = outdir / f"input{suffix}"  # a plain name: LibreOffice derives the output name from it
    src.write_bytes(data)
    profile = _take_profile()
    healthy = False
    try:
        proc = _run([binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                     "--nologo", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
                     "--outdir", str(outdir), str(src)], timeout)
        healthy = proc.returncode == 0
    except subprocess.TimeoutExpired as e:
        raise ConversionError(path, f"LibreOffice did not finish converting within {timeout:g} s") from e
    except OSError as e:
        raise ConversionError(path, f"cannot run LibreOffice ({e})") from e
    finally:
        _give_back(profile, healthy)
    result = outdir / "input.docx"
    if proc.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
        detail = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip().splitlines()
        detail = [d for d in detail if "javaldx" not in d]
        raise ConversionError(path, "LibreOffice could not convert it to .docx"
                              + (f" (exit {proc.returncode}: {detail[-1][:200]})" if detail else
                                 f" (exit {proc.returncode}, no output)"))
    return result


def _web_source(p: Path, data: bytes) -> tuple[bytes, str]:
    """(what LibreOffice is given, its suffix) for a web page or Word 2003 XML named .doc."""
    kind = web_kind(data[:HEAD_BYTES])
    if kind == "mhtml":
        html = html_of_mhtml(data)
        if not html:
            raise CorruptFileError(p, "a web archive (MHTML) without a web page in it")
        return html, ".html"
    if kind == "wordxml":
        return data, ".xml"
    if kind == "html":
        return data, ".html"
    raise CorruptFileError(p, "damaged Word 97 file (no OLE2 header)")


def read_doc(path: str | Path, timeout: float = TIMEOUT_S) -> Document:
    """Read a Word 97-2003 .doc into a Document (via LibreOffice → .docx); a web page or a
    Word 2003 XML document saved under a .doc name the same way."""
    p = Path(path)
    data = p.read_bytes()
    if not data:
        raise EmptyFileError(p, "empty file (0 bytes)")
    suffix = ".doc"
    if not data.startswith(OLE2_MAGIC):
        data, suffix = _web_source(p, data)
        return _converted(p, data, timeout, suffix)
    try:
        info = inspect_doc(data)
    except (CfbError, struct.error, IndexError, ValueError) as e:
        raise CorruptFileError(p, f"damaged Word 97 file ({e})") from e
    if info.encrypted:
        raise EncryptedFileError(p, "password-protected Word 97 document")
    if info.ends_in_table:
        try:
            data = repair_trailing_table(data) or data
        except (CfbError, struct.error, IndexError, ValueError):
            pass  # convert as it is: only the last table may come out flattened
    return _converted(p, data, timeout, suffix)


def _converted(p: Path, data: bytes, timeout: float, suffix: str) -> Document:
    with tempfile.TemporaryDirectory(prefix="baocao-doc-") as tmp:
        docx_path = convert_to_docx(p, data, Path(tmp), timeout, suffix)
        try:
            doc = read_docx(docx_path, fmt=Format.DOC)
        except InputError as e:
            raise ConversionError(p, f"LibreOffice produced an unreadable .docx ({e.reason})") from e
    doc.source.path = str(p)
    doc.source.sha256 = sha256_file(p)
    doc.source.size = p.stat().st_size
    doc.source.converted_with = libreoffice_version()
    return doc
