"""Just enough of the Word 97 binary format (.doc) to check and repair a file before LibreOffice.

- `read_cfb` / `write_cfb`: the OLE2 compound file (streams by directory entry; the directory
  tree is kept as is, only sectors are laid out anew).
- `inspect_doc`: encrypted or not, and whether the main text ends inside a table.
- `repair_trailing_table`: a document whose last character is a table's row mark has no final
  paragraph mark. Word never writes that, LibreOffice does (a .docx ending in a table saved as
  .doc), and LibreOffice's own import then flattens that last table into one paragraph — the
  signature block of half the reports. The repair appends a paragraph mark: one more piece in
  the piece table, pointing at an existing body paragraph mark (so it gets that paragraph's
  properties, outside any table); ccpText and the section table grow by one.

Reference: [MS-CFB] and [MS-DOC] (FIB, Clx/PlcPcd, PlcBtePapx/PapxFkp, PlcfSed).
"""
from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END, _FAT, _DIFAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC
_MAXREG = 0xFFFFFFFA


class CfbError(ValueError):
    """Not a readable compound file."""


@dataclass
class Cfb:
    entries: list[bytearray]  # raw 128-byte directory entries
    streams: dict[int, bytes]  # entry index → stream data
    truncated: set[int]  # streams shorter than their directory entry says (file cut short)

    def find(self, name: str) -> int | None:
        for i, e in enumerate(self.entries):
            if e[66] == 2 and _entry_name(e) == name:
                return i
        return None


def _entry_name(e: bytes) -> str:
    n = struct.unpack_from("<H", e, 64)[0]
    return e[: max(0, min(n, 64) - 2)].decode("utf-16-le", "replace")


def read_cfb(data: bytes) -> Cfb:
    """Parse a compound file. Raises CfbError when it is not one or is damaged."""
    try:
        return _read_cfb(data)
    except (struct.error, IndexError, OverflowError) as e:
        raise CfbError(f"damaged compound file ({e})") from e


def _read_cfb(data: bytes) -> Cfb:
    if len(data) < 512 or not data.startswith(OLE2_MAGIC):
        raise CfbError("not an OLE2 compound file")
    shift, mshift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mshift != 6:
        raise CfbError("bad sector size")
    ss, mss = 1 << shift, 1 << mshift
    nfat, dir_start = struct.unpack_from("<II", data, 0x2C)
    cutoff, minifat_start, nminifat, difat_start, ndifat = struct.unpack_from("<IIIII", data, 0x38)
    nsec = (len(data) - ss) // ss + 1

    def sector(i: int) -> bytes:
        if i >= nsec:
            raise CfbError("the file is cut short (a sector lies beyond its end)")
        return data[(i + 1) * ss:(i + 2) * ss]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    s, seen = difat_start, 0
    while s < _MAXREG and seen <= ndifat:
        vals = struct.unpack("<%dI" % (ss // 4), sector(s))
        difat.extend(vals[:-1])
        s, seen = vals[-1], seen + 1
    fat: list[int] = []
    for sec in difat[:nfat]:
        if sec >= _MAXREG:
            continue
        fat.extend(struct.unpack("<%dI" % (ss // 4), sector(sec)))

    def chain(start: int) -> bytes:
        out, s, n = [], start, 0
        while s < _MAXREG:
            if s >= len(fat) or n > len(fat):
                raise CfbError("broken sector chain")
            out.append(sector(s))
            s, n = fat[s], n + 1
        return b"".join(out)

    raw_dir = chain(dir_start)
    entries = [bytearray(raw_dir[i:i + 128]) for i in range(0, len(raw_dir) - 127, 128)]
    if not entries or entries[0][66] != 5:
        raise CfbError("no root entry")
    root_start, root_size = struct.unpack_from("<IQ", entries[0], 116)
    ministream = chain(root_start)[:root_size] if root_start < _MAXREG else b""
    minifat: list[int] = []
    if minifat_start < _MAXREG:
        mf = chain(minifat_start)
        minifat = list(struct.unpack("<%dI" % (len(mf) // 4), mf))
    streams: dict[int, bytes] = {}
    truncated: set[int] = set()
    for i, e in enumerate(entries):
        if e[66] != 2:
            continue
        start, size = struct.unpack_from("<IQ", e, 116)
        if ss == 512:
            size &= 0xFFFFFFFF
        if size < cutoff:
            parts, s, n = [], start, 0
            while s < _MAXREG:
                if s >= len(minifat) or n > len(minifat):
                    raise CfbError("broken mini sector chain")
                parts.append(ministream[s * mss:(s + 1) * mss])
                s, n = minifat[s], n + 1
            streams[i] = b"".join(parts)[:size]
        else:
            streams[i] = chain(start)[:size]
        if len(streams[i]) < size:
            truncated.add(i)
    return Cfb(entries=entries, streams=streams, truncated=truncated)


def write_cfb(cfb: Cfb) -> bytes:
    """A version-3 compound file (512-byte sectors) with the same directory tree and streams."""
    ss, mss, cutoff = 512, 64, 4096
    sectors: list[bytes] = []
    fat: list[int] = []

    def put(blob: bytes) -> int:
        if not blob:
            return _END
        start = len(sectors)
        n = (len(blob) + ss - 1) // ss
        for k in range(n):
            sectors.append(blob[k * ss:(k + 1) * ss].ljust(ss, b"\0"))
            fat.append(start + k + 1 if k < n - 1 else _END)
        return start

    entries = [bytearray(e) for e in cfb.entries]
    mini = bytearray()
    minifat: list[int] = []
    for i, e in enumerate(entries):
        if e[66] != 2:
            continue
        blob = cfb.streams.get(i, b"")
        if 0 < len(blob) < cutoff:
            start = len(mini) // mss
            n = (len(blob) + mss - 1) // mss
            mini += blob.ljust(n * mss, b"\0")
            minifat.extend(start + k + 1 if k < n - 1 else _END for k in range(n))
            struct.pack_into("<IQ", e, 116, start, len(blob))
        else:
            struct.pack_into("<IQ", e, 116, put(blob), len(blob))
    root_start = put(bytes(mini))
    struct.pack_into("<IQ", entries[0], 116, root_start, len(mini))
    minifat_start = put(struct.pack("<%dI" % len(minifat), *minifat)) if minifat else _END
    n_minifat = (len(minifat) * 4 + ss - 1) // ss
    raw_dir = b"".join(bytes(e) for e in entries)
    raw_dir = raw_dir.ljust(((len(raw_dir) + ss - 1) // ss) * ss, b"\0")
    dir_start = put(raw_dir)
    # FAT (and DIFAT) sectors cover themselves too: grow until the count is stable.
    n_fat = n_difat = 0
    while True:
        total = len(sectors) + n_fat + n_difat
        need_fat = (total + ss // 4 - 1) // (ss // 4)
        need_difat = max(0, (need_fat - 109 + (ss // 4 - 1) - 1) // (ss // 4 - 1)) if need_fat > 109 else 0
        if (need_fat, need_difat) == (n_fat, n_difat):
            break
        n_fat, n_difat = need_fat, need_difat
    fat_start = len(sectors)
    fat_secs = list(range(fat_start, fat_start + n_fat))
    difat_secs = list(range(fat_start + n_fat, fat_start + n_fat + n_difat))
    fat.extend([_FAT] * n_fat + [_DIFAT] * n_difat)
    fat.extend([_FREE] * (n_fat * (ss // 4) - len(fat)))
    for k in range(n_fat):
        sectors.append(struct.pack("<128I", *fat[k * 128:(k + 1) * 128]))
    rest = fat_secs[109:]
    for k in range(n_difat):
        chunk = rest[k * 127:(k + 1) * 127]
        nxt = difat_secs[k + 1] if k + 1 < n_difat else _END
        sectors.append(struct.pack("<128I", *(chunk + [_FREE] * (127 - len(chunk)) + [nxt])))
    header = bytearray(512)
    header[:8] = OLE2_MAGIC
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, n_fat, dir_start, 0, cutoff, minifat_start,
                     n_minifat, difat_secs[0] if difat_secs else _END, n_difat)
    head = fat_secs[:109] + [_FREE] * (109 - min(109, n_fat))
    struct.pack_into("<109I", header, 0x4C, *head)
    return bytes(header) + b"".join(sectors)


# ------------------------------------------------------------------------------------------
# Word 97
# ------------------------------------------------------------------------------------------
_SPRM_SIZE = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}
_IN_TABLE = {0x2416, 0x2417, 0x244B, 0x244C, 0x6649}  # fInTable, fTtp, inner cell/ttp, itap


@dataclass
class _Fib:
    wd: bytearray
    table_name: str
    encrypted: bool
    lw_off: int  # offset of FibRgLw97
    fclcb_off: int  # offset of FibRgFcLcb97
    n_fclcb: int

    @property
    def ccp_text(self) -> int:
        return struct.unpack_from("<i", self.wd, self.lw_off + 3 * 4)[0]

    def ccp_total(self) -> int:
        ccps = struct.unpack_from("<7i", self.wd, self.lw_off + 3 * 4)  # text ftn hdd mcr atn edn txbx
        hdr_txbx = struct.unpack_from("<i", self.wd, self.lw_off + 10 * 4)[0]
        subdocs = sum(ccps[1:]) + hdr_txbx
        return ccps[0] + subdocs + (1 if subdocs else 0)

    def pair(self, index: int) -> tuple[int, int]:
        if index >= self.n_fclcb:
            return 0, 0
        return struct.unpack_from("<II", self.wd, self.fclcb_off + index * 8)

    def set_pair(self, index: int, fc: int, lcb: int) -> None:
        struct.pack_into("<II", self.wd, self.fclcb_off + index * 8, fc, lcb)


WORD97_NFIB = 0x00C1


def _fib(wd: bytes) -> _Fib:
    if len(wd) < 0x200 or struct.unpack_from("<H", wd, 0)[0] not in (0xA5EC, 0xA5DC):
        raise CfbError("the WordDocument stream has no Word file header (FIB)")
    flags = struct.unpack_from("<H", wd, 0x0A)[0]
    off = 32
    csw = struct.unpack_from("<H", wd, off)[0]
    off += 2 + csw * 2
    cslw = struct.unpack_from("<H", wd, off)[0]
    lw_off = off + 2
    off = lw_off + cslw * 4
    n_fclcb = struct.unpack_from("<H", wd, off)[0]
    return _Fib(wd=bytearray(wd), table_name="1Table" if flags & 0x0200 else "0Table",
                encrypted=bool(flags & 0x0100), lw_off=lw_off, fclcb_off=off + 2, n_fclcb=n_fclcb)


@dataclass
class _Piece:
    cp0: int
    cp1: int
    fc: int  # byte offset in WordDocument
    compressed: bool
    pcd: bytes  # the raw 8-byte PCD


def _clx(table: bytes, fib: _Fib) -> tuple[bytes, list[_Piece]]:
    """(the Prc part of the Clx, the pieces)."""
    fc, lcb = fib.pair(33)
    clx = table[fc:fc + lcb]
    i = 0
    while i < len(clx) and clx[i] == 1:
        i += 3 + struct.unpack_from("<H", clx, i + 1)[0]
    if i >= len(clx) or clx[i] != 2:
        raise CfbError("no piece table")
    prc = clx[:i]
    n_bytes = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5:i + 5 + n_bytes]
    n = (n_bytes - 4) // 12
    cps = struct.unpack_from("<%dI" % (n + 1), plc, 0)
    pieces = []
    for k in range(n):
        pcd = plc[(n + 1) * 4 + k * 8:(n + 1) * 4 + (k + 1) * 8]
        raw_fc = struct.unpack_from("<I", pcd, 2)[0]
        compressed = bool(raw_fc & 0x40000000)
        fcv = raw_fc & 0x3FFFFFFF
        pieces.append(_Piece(cps[k], cps[k + 1], fcv // 2 if compressed else fcv, compressed, pcd))
    return prc, pieces


def _piece_text(wd: bytes, p: _Piece) -> str:
    n = p.cp1 - p.cp0
    if p.compressed:
        return wd[p.fc:p.fc + n].decode("cp1252", "replace")
    return wd[p.fc:p.fc + 2 * n].decode("utf-16-le", "replace")


def _paragraph_in_table(wd: bytes, table: bytes, fib: _Fib) -> Callable[[int], bool | None]:
    """fc → whether the paragraph whose mark is at byte fc is in a table (PAPX lookup)."""
    fc_b, lcb_b = fib.pair(13)
    plc = table[fc_b:fc_b + lcb_b]
    n = (lcb_b - 4) // 8 if lcb_b >= 12 else 0
    bounds = struct.unpack_from("<%dI" % (n + 1), plc, 0) if n else ()
    pns = struct.unpack_from("<%dI" % n, plc, (n + 1) * 4) if n else ()

    def lookup(fc: int) -> bool | None:
        for k in range(n):
            if bounds[k] <= fc < bounds[k + 1]:
                fkp = wd[pns[k] * 512:(pns[k] + 1) * 512]
                if len(fkp) < 512:
                    return None
                crun = fkp[511]
                rgfc = struct.unpack_from("<%dI" % (crun + 1), fkp, 0)
                for r in range(crun):
                    if rgfc[r] <= fc < rgfc[r + 1]:
                        bo = fkp[(crun + 1) * 4 + r * 13]
                        if bo == 0:
                            return False
                        p = bo * 2
                        cb = fkp[p]
                        grp = fkp[p + 2:p + 2 + 2 * fkp[p + 1]] if cb == 0 else fkp[p + 1:p + 2 * cb]
                        return _has_table_sprm(grp[2:])
                return None
        return None

    return lookup


def _has_table_sprm(sprms: bytes) -> bool:
    j = 0
    while j + 2 <= len(sprms):
        op = struct.unpack_from("<H", sprms, j)[0]
        j += 2
        if op in _IN_TABLE:
            return True
        spra = op >> 13
        if spra == 6:
            if op == 0xC615 and j < len(sprms):  # sprmPChgTabs: its own length rule
                j += 1 + sprms[j]
                continue
            j += 1 + (sprms[j] if j < len(sprms) else 0)
        else:
            j += _SPRM_SIZE[spra]
    return False


@dataclass
class DocInfo:
    encrypted: bool
    ends_in_table: bool
    word97: bool  # Word 97 or later (older Word 6/95 files are left to LibreOffice as they are)


def inspect_doc(data: bytes) -> DocInfo:
    """Check a .doc's container and header. Raises CfbError when it is damaged."""
    cfb = read_cfb(data)
    wi = cfb.find("WordDocument")
    if wi is None:
        raise CfbError("no WordDocument stream")
    if wi in cfb.truncated:
        raise CfbError("the file is cut short (the WordDocument stream is incomplete)")
    fib = _fib(cfb.streams[wi])
    nfib = struct.unpack_from("<H", fib.wd, 2)[0]
    if fib.encrypted or nfib < WORD97_NFIB:
        return DocInfo(encrypted=fib.encrypted, ends_in_table=False, word97=nfib >= WORD97_NFIB)
    ti = cfb.find(fib.table_name)
    if ti is None:
        raise CfbError(f"no {fib.table_name} stream")
    if ti in cfb.truncated:
        raise CfbError(f"the file is cut short (the {fib.table_name} stream is incomplete)")
    try:
        _, pieces = _clx(cfb.streams[ti], fib)
    except (CfbError, struct.error, IndexError, ValueError):
        # a piece table this parser does not follow (files some legal-text sites publish):
        # the container and header are sound, so LibreOffice is left to read it
        return DocInfo(encrypted=False, ends_in_table=False, word97=True)
    if not pieces or any(p.fc > len(fib.wd) for p in pieces):
        raise CfbError("the piece table points outside the document")
    last = _last_char(bytes(fib.wd), pieces, fib.ccp_text)
    return DocInfo(encrypted=False, ends_in_table=last == "\x07", word97=True)


def _last_char(wd: bytes, pieces: list[_Piece], cp: int) -> str:
    for p in pieces:
        if p.cp0 <= cp - 1 < p.cp1:
            off = cp - 1 - p.cp0
            return _piece_text(wd, _Piece(p.cp0 + off, p.cp0 + off + 1,
                                          p.fc + (off if p.compressed else 2 * off), p.compressed, p.pcd))
    return ""


def repair_trailing_table(data: bytes) -> bytes | None:
    """The .doc with a paragraph mark appended after a trailing table, or None when the file
    does not end inside a table (or cannot be repaired safely)."""
    cfb = read_cfb(data)
    wi = cfb.find("WordDocument")
    if wi is None:
        return None
    fib = _fib(cfb.streams[wi])
    ti = cfb.find(fib.table_name)
    if fib.encrypted or ti is None or struct.unpack_from("<H", fib.wd, 2)[0] < WORD97_NFIB:
        return None
    table = bytearray(cfb.streams[ti])
    wd = bytes(fib.wd)
    prc, pieces = _clx(bytes(table), fib)
    ccp = fib.ccp_text
    if _last_char(wd, pieces, ccp) != "\x07" or pieces[-1].cp1 != fib.ccp_total():
        return None
    # an existing paragraph mark outside any table, nearest the end of the main text
    in_table = _paragraph_in_table(wd, bytes(table), fib)
    source: tuple[int, bool] | None = None
    for p in reversed(pieces):
        if p.cp0 >= ccp:
            continue
        text = _piece_text(wd, p)[: ccp - p.cp0]
        k = text.rfind("\r")
        while k >= 0:
            fc = p.fc + (k if p.compressed else 2 * k)
            if in_table(fc) is False:
                source = (fc, p.compressed)
                break
            k = text.rfind("\r", 0, k)
        if source:
            break
    if source is None:
        return None
    # split at ccp, insert the one-character piece, shift the rest
    out: list[tuple[int, int, bytes]] = []  # (cp0, cp1, pcd)
    for p in pieces:
        if p.cp0 < ccp < p.cp1:
            off = ccp - p.cp0
            fc2 = p.fc + (off if p.compressed else 2 * off)
            out.append((p.cp0, ccp, p.pcd))
            out.append((ccp, p.cp1, _pcd(p.pcd, fc2, p.compressed)))
        else:
            out.append((p.cp0, p.cp1, p.pcd))
    new: list[tuple[int, int, bytes]] = []
    inserted = False
    for cp0, cp1, pcd in out:
        if not inserted and cp0 >= ccp:
            new.append((ccp, ccp + 1, _pcd(b"\0" * 8, source[0], source[1])))
            inserted = True
        new.append((cp0 + 1, cp1 + 1, pcd) if cp0 >= ccp else (cp0, cp1, pcd))
    if not inserted:
        new.append((ccp, ccp + 1, _pcd(b"\0" * 8, source[0], source[1])))
    cps = [c0 for c0, _, _ in new] + [new[-1][1]]
    plc = struct.pack("<%dI" % len(cps), *cps) + b"".join(pcd for _, _, pcd in new)
    clx = prc + b"\x02" + struct.pack("<I", len(plc)) + plc
    if len(table) % 2:
        table += b"\0"
    fib.set_pair(33, len(table), len(clx))
    table += clx
    struct.pack_into("<i", fib.wd, fib.lw_off + 3 * 4, ccp + 1)
    # the last section ends at the end of the main text
    fc_sed, lcb_sed = fib.pair(6)
    if lcb_sed >= 16:
        n = (lcb_sed - 4) // 16
        last = fc_sed + n * 4
        if struct.unpack_from("<I", table, last)[0] == ccp:
            struct.pack_into("<I", table, last, ccp + 1)
    cfb.streams[wi] = bytes(fib.wd)
    cfb.streams[ti] = bytes(table)
    return write_cfb(cfb)


def _pcd(template: bytes, fc: int, compressed: bool) -> bytes:
    raw = (fc * 2) | 0x40000000 if compressed else fc
    return template[:2] + struct.pack("<I", raw) + template[6:8]
