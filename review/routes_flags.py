"""Pages of the flag review: the overview (counts and charts), the filtered queue, one flag with
its evidence and audit trail, and the decision form (confirm, dismiss, correct)."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from outputs.db.models import DocumentVersion, FlagRow, User
from review import flagview, store
from review.store import FlagFilter, ReviewError
from review.web import flash, render, require_user, tx

router = APIRouter()
PAGE_SIZE = 100


def bars(rows: list[tuple[str, int]]) -> list[dict]:
    top = max((n for _, n in rows), default=0) or 1
    return [{"label": k, "n": n, "pct": round(100 * n / top, 1)} for k, n in rows]


@router.get("/")
def overview(request: Request, user: User = Depends(require_user)):
    with tx(request) as s:
        counts = store.status_counts(s, FlagFilter())
        ctx = dict(counts=counts, total=sum(counts.values()), documents=store.document_count(s),
                   by_rule=bars(store.open_by(s, FlagRow.rule)),
                   by_office=bars(store.open_by(s, DocumentVersion.issuer)),
                   recent=store.recent_decisions(s, 8))
        return render(request, "overview.html", user=user, **ctx)


@router.get("/flags")
def flag_queue(request: Request, user: User = Depends(require_user), page: int = 1):
    f = FlagFilter.from_params(request.query_params)
    page = max(1, page)
    with tx(request) as s:
        total = store.queue_count(s, f)
        items = store.queue(s, f, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        return render(request, "flags.html", user=user, f=f, items=items, total=total, page=page,
                      pages=max(1, -(-total // PAGE_SIZE)), counts=store.status_counts(s, f),
                      facets=store.facets(s), sorts=store.SORT_LABELS)


@router.get("/flags/{flag_id}")
def flag_page(request: Request, flag_id: int, user: User = Depends(require_user)):
    f = FlagFilter.from_params(request.query_params)
    with tx(request) as s:
        item = store.flag_with_context(s, flag_id)
        if item is None:
            raise HTTPException(404, f"No flag {flag_id}.")
        prev_id, next_id, pos, n = store.neighbours(s, f, flag_id)
        fv = flagview.build(item.flag, item.version, item.document, request.app.state.cache_dir)
        decisions = store.decisions_for(s, flag_id)
        return render(request, "flag.html", user=user, fv=fv, f=f, decisions=decisions, prev_id=prev_id,
                      next_id=next_id, position=pos, queue_len=n, query=f.query())


@router.post("/flags/{flag_id}/decision")
def decide(request: Request, flag_id: int, user: User = Depends(require_user),
           action: str = Form(""), reason: Optional[str] = Form(None),
           corrected_value: Optional[str] = Form(None), queue: str = Form(""),
           advance: Optional[str] = Form(None)):
    """Record a decision, then show the flag again (or the next one of the queue with `advance`)."""
    f = FlagFilter.from_params(_parse(queue))
    queue = f.query()
    target = f"/flags/{flag_id}" + (f"?{queue}" if queue else "")
    try:
        with tx(request) as s:
            d = store.decide(s, flag_id, action, user, reason=reason, corrected_value=corrected_value)
            what = {"confirm": "Confirmed: the report is wrong.",
                    "dismiss": "Dismissed as a false alarm.",
                    "correct": f"Correction recorded: {d.original_value or '∅'} → {d.corrected_value}."}[action]
            next_id = None
            if advance:
                next_id = store.neighbours(s, f, flag_id)[1]
    except ReviewError as e:
        if "no flag" in str(e):
            raise HTTPException(404, str(e))
        flash(request, str(e), "error")
        return RedirectResponse(target, status_code=303)
    flash(request, what)
    if next_id is not None:
        return RedirectResponse(f"/flags/{next_id}" + (f"?{queue}" if queue else ""), status_code=303)
    return RedirectResponse(target, status_code=303)


def _parse(query: str) -> dict[str, str]:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(query))
