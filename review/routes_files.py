"""Routes that answer 401 (not a login redirect) when signed out: the original files (only
documents in the database, from their stored path), PDF pages as images (scans included), the
exports (archivists) and a small JSON API of the queue (paged by keyset)."""
from __future__ import annotations

import hashlib
import mimetypes
import os
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse

from outputs.db.models import Document, User
from review import exports, pages, store
from review import queue as fq
from review.flagview import PAGE_FORMATS
from review.i18n import _
from review.queue import FlagFilter
from review.web import iso, require_role, require_user, tx

router = APIRouter()
MEDIA = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".doc": "application/msword", ".pdf": "application/pdf"}


def _document(request: Request, document_id: str) -> tuple[Document, str, int | None, str, str]:
    with tx(request) as s:
        found = store.document_version(s, document_id)
        if found is None:
            raise HTTPException(404, _("No such document."))
        doc, v = found
        return doc, v.sha256, v.page_count, (v.format or ""), Path(doc.path).name


@router.get("/documents/{document_id}/file")
def original_file(request: Request, document_id: str, user: User = Depends(require_user)):
    doc, sha, _pages, _fmt, name = _document(request, document_id)
    path = Path(doc.path)
    if not path.is_file():
        raise HTTPException(404, _("The original file %(name)s is no longer where it was loaded from.", name=name))
    f = _open_verified(path, sha)
    media = MEDIA.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    inline = media == "application/pdf"
    disposition = _disposition("inline" if inline else "attachment", path.name)

    def chunks():
        with f:
            yield from iter(lambda: f.read(1 << 16), b"")

    return StreamingResponse(chunks(), media_type=media, headers={
        "Content-Disposition": disposition, "Content-Length": str(os.fstat(f.fileno()).st_size),
        "X-Content-Type-Options": "nosniff"})


def _disposition(kind: str, filename: str) -> str:
    """Content-Disposition as Starlette's FileResponse writes it (RFC 5987 for non-ASCII names)."""
    quoted = quote(filename)
    return f"{kind}; filename*=utf-8''{quoted}" if quoted != filename else f'{kind}; filename="{filename}"'


def _open_verified(path: Path, sha256: str):
    """The file opened for reading, rewound, once its content is checked to be the one loaded
    (the same open file is then served: a file replaced or swapped for a symlink since the
    ingestion is refused with 409, never served)."""
    try:
        f = open(path, "rb")
    except OSError as e:
        raise HTTPException(404, _("The original file %(name)s cannot be read (%(why)s).", name=path.name,
                                   why=e.strerror))
    h = hashlib.sha256()
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
    if h.hexdigest() != sha256:
        f.close()
        raise HTTPException(409, _("The file %(name)s has changed since it was loaded: ingest it again.",
                                   name=path.name))
    f.seek(0)
    return f


@router.get("/documents/{document_id}/pages/{page}.png")
def page_image(request: Request, document_id: str, page: str, user: User = Depends(require_user)):
    doc, sha, page_count, fmt, name = _document(request, document_id)
    if fmt.lower() not in PAGE_FORMATS:
        raise HTTPException(404, _("Only PDF documents have page images."))
    n = fq.parse_id(page)
    if n is None or (page_count and n > page_count):
        raise HTTPException(404, _("No such page."))
    if not os.path.isfile(doc.path):
        raise HTTPException(404, _("The original file %(name)s is no longer where it was loaded from.", name=name))
    try:
        img = pages.render_page(doc.path, n, sha, request.app.state.cache_dir)
    except pages.FileChanged:
        raise HTTPException(409, _("The file %(name)s has changed since it was loaded: ingest it again.", name=name))
    except pages.PageError as e:
        raise HTTPException(500, str(e).replace(doc.path, name))
    return FileResponse(img.path, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/export/{name}")
def export(request: Request, name: str, user: User = Depends(require_role("archivist"))):
    if name not in exports.EXPORTS:
        raise HTTPException(404, _("No such export: use one of %(names)s.", names=", ".join(exports.EXPORTS)))
    media, make = exports.EXPORTS[name]
    f = FlagFilter.from_params(request.query_params)
    with tx(request) as s:
        body = make(s, f)
    stem, ext = name.rsplit(".", 1)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="baocao-{stem}.{ext}"'})


def _flag_json(r: fq.QueueRow) -> dict:
    return {"id": r.id, "rule": r.rule, "severity": r.severity, "status": r.status, "document_id": r.document_id,
            "document": r.document, "office": r.issuer, "section": r.section, "stated": r.stated,
            "computed": r.computed, "message": r.message, "message_en": r.message_en,
            "confidence": r.confidence, "doubtful": r.doubtful, "sources": r.sources}


@router.get("/api/flags")
def api_flags(request: Request, user: User = Depends(require_user)):
    """The filtered queue, `limit` (default 1000, at most 5000) flags after the flag `after`;
    `next` is the cursor of the following page (null at the end)."""
    f = FlagFilter.from_params(request.query_params)
    limit = fq.parse_id(request.query_params.get("limit")) or 1000
    with tx(request) as s:
        pg = fq.page(s, f, after=fq.parse_id(request.query_params.get("after")), limit=min(limit, 5000))
        return JSONResponse({"counts": fq.status_counts(s, f), "flags": [_flag_json(r) for r in pg.rows],
                             "next": pg.rows[-1].id if pg.has_next and pg.rows else None})


@router.get("/api/flags/{flag_id}")
def api_flag(request: Request, flag_id: str, user: User = Depends(require_user)):
    with tx(request) as s:
        it = store.flag_with_context(s, flag_id)
        if it is None:
            raise HTTPException(404, _("No such flag."))
        fl, v = it.flag, it.version
        out = {"id": fl.id, "key": fl.flag_key, "rule": fl.rule, "severity": fl.severity, "status": fl.status,
               "document_id": it.document.id, "document": it.path, "office": v.issuer,
               "period": [v.period_start, v.period_end], "section": fl.section, "table": fl.table_key,
               "row": fl.row, "column": fl.column, "stated": fl.stated, "computed": fl.computed,
               "expected": fl.expected, "message": fl.message, "message_en": fl.message_en,
               "suggestion": fl.suggestion, "confidence": fl.confidence, "doubtful": fl.doubtful,
               "twins": [t.flag_id for t in store.twins(s, fl)]}
        out["decisions"] = [{"id": d.id, "action": d.action, "original_value": d.original_value,
                             "corrected_value": d.corrected_value, "reason": d.reason, "reviewer": d.reviewer,
                             "created_at": iso(d.created_at), "carried_from_id": d.carried_from_id,
                             "overrides_id": d.overrides_id}
                            for d in store.decisions_for(s, fl.id)]
        return JSONResponse(out)
