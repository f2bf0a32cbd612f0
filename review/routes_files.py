"""Routes that answer 401 (not a login redirect) when signed out: the original files (only
documents in the database, from their stored path), PDF pages as images, the exports and a
small JSON API of the queue."""
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
from review.store import FlagFilter
from review.web import iso, require_user, tx

router = APIRouter()
MEDIA = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".doc": "application/msword", ".pdf": "application/pdf"}


def _document(request: Request, document_id: int) -> tuple[Document, str, int | None, str]:
    with tx(request) as s:
        found = store.document_version(s, document_id)
        if found is None:
            raise HTTPException(404, f"No document {document_id}.")
        doc, v = found
        return doc, v.sha256, v.page_count, (v.format or "")


@router.get("/documents/{document_id}/file")
def original_file(request: Request, document_id: int, user: User = Depends(require_user)):
    doc, sha, *_ = _document(request, document_id)
    path = Path(doc.path)
    if not path.is_file():
        raise HTTPException(404, f"The original file is no longer at {doc.path}.")
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
        raise HTTPException(404, f"The original file at {path} cannot be read ({e.strerror}).")
    h = hashlib.sha256()
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
    if h.hexdigest() != sha256:
        f.close()
        raise HTTPException(409, f"The file at {path} has changed since it was loaded: ingest it again.")
    f.seek(0)
    return f


@router.get("/documents/{document_id}/pages/{page}.png")
def page_image(request: Request, document_id: int, page: int, user: User = Depends(require_user)):
    doc, sha, page_count, fmt = _document(request, document_id)
    if fmt.lower() != "pdf":
        raise HTTPException(404, "Only PDF documents have page images.")
    if page < 1 or (page_count and page > page_count):
        raise HTTPException(404, f"No page {page}.")
    if not os.path.isfile(doc.path):
        raise HTTPException(404, f"The original file is no longer at {doc.path}.")
    try:
        img = pages.render_page(doc.path, page, sha, request.app.state.cache_dir)
    except pages.FileChanged as e:
        raise HTTPException(409, str(e))
    except pages.PageError as e:
        raise HTTPException(500, str(e))
    return FileResponse(img.path, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/export/{name}")
def export(request: Request, name: str, user: User = Depends(require_user)):
    if name not in exports.EXPORTS:
        raise HTTPException(404, f"No export {name}: use one of {', '.join(exports.EXPORTS)}.")
    media, make = exports.EXPORTS[name]
    f = FlagFilter.from_params(request.query_params)
    with tx(request) as s:
        body = make(s, f)
    stem, ext = name.rsplit(".", 1)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="baocao-{stem}.{ext}"'})


def _flag_json(it: store.QueueItem) -> dict:
    f = it.flag
    return {"id": f.id, "key": f.flag_key, "rule": f.rule, "severity": f.severity, "status": f.status,
            "document_id": it.document.id, "document": it.document.path, "office": it.version.issuer,
            "period": [it.version.period_start, it.version.period_end], "section": f.section,
            "table": f.table_key, "row": f.row, "column": f.column, "stated": f.stated,
            "computed": f.computed, "expected": f.expected, "message": f.message, "message_en": f.message_en,
            "suggestion": f.suggestion}


@router.get("/api/flags")
def api_flags(request: Request, user: User = Depends(require_user)):
    f = FlagFilter.from_params(request.query_params)
    with tx(request) as s:
        return JSONResponse({"counts": store.status_counts(s, f),
                             "flags": [_flag_json(it) for it in store.queue(s, f)]})


@router.get("/api/flags/{flag_id}")
def api_flag(request: Request, flag_id: int, user: User = Depends(require_user)):
    with tx(request) as s:
        it = store.flag_with_context(s, flag_id)
        if it is None:
            raise HTTPException(404, f"No flag {flag_id}.")
        out = _flag_json(it)
        out["decisions"] = [{"id": d.id, "action": d.action, "original_value": d.original_value,
                             "corrected_value": d.corrected_value, "reason": d.reason, "reviewer": d.reviewer,
                             "created_at": iso(d.created_at), "carried_from_id": d.carried_from_id}
                            for d in store.decisions_for(s, flag_id)]
        return JSONResponse(out)
