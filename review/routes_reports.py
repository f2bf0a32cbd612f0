"""Pages for archivists: the list of imported reports with search (office, period, type, words
of the text, diacritics optional: review/search.py), one entry per report whatever the number
of files holding it, and one report — metadata, its files, section tree, tables, figures,
references, flags."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from fastapi import APIRouter, Depends, HTTPException, Request

from outputs.db.models import User
from review import store, tables
from review.i18n import _
from review.paths import display_path
from review.store import ReportFilter
from review.web import render, require_user, tx

router = APIRouter()


@dataclass
class Node:
    section: dict[str, Any]
    children: list["Node"] = field(default_factory=list)
    tables: list[tables.TableView] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in (self.section.get("text") or "").split("\n") if p.strip()]


def section_tree(record: dict[str, Any]) -> tuple[list[Node], list[tables.TableView]]:
    """The sections nested by level, each with the tables that stand in it; tables outside
    every section come back separately."""
    roots: list[Node] = []
    stack: list[Node] = []
    by_number: dict[str, Node] = {}
    for s in record.get("sections") or []:
        node = Node(s)
        level = int(s.get("level") or 1)
        while stack and int(stack[-1].section.get("level") or 1) >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
        by_number.setdefault(s.get("number") or "", node)
    loose = []
    for t in record.get("tables") or []:
        view = tables.build(t)
        node = by_number.get(t.get("section") or "\0")
        (node.tables if node else loose).append(view)
    return roots, loose


@router.get("/reports")
def reports(request: Request, user: User = Depends(require_user)):
    f = ReportFilter.from_params(request.query_params)
    with tx(request) as s:
        rows = store.search_reports(s, f)
        return render(request, "reports.html", user=user, f=f, rows=rows, facets=store.report_facets(s))


@router.get("/reports/{document_id}")
def report(request: Request, document_id: str, version: Optional[str] = None,
           user: User = Depends(require_user)):
    with tx(request) as s:
        found = store.document_version(s, document_id, version)
        if found is None:
            raise HTTPException(404, _("No such report."))
        doc, v = found
        roots, loose = section_tree(v.record or {})
        return render(request, "report.html", user=user, doc=doc, v=v, rec=v.record or {}, roots=roots,
                      loose=loose, flags=store.version_flags(s, v.id), versions=list(doc.versions),
                      file_path=display_path(doc.path, store.run_source(s, v)), others=store.other_sources(s, v))
