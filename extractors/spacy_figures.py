"""A spaCy pipeline component, `baocao_figures`: the figures of a Vietnamese text as spans.

Installed with the extra `baocao[spacy]` and registered through the `spacy_factories` entry point,
so any spaCy pipeline can add it without importing baocao:

    nlp = spacy.blank("vi")
    nlp.add_pipe("baocao_figures")
    doc = nlp("Năm 2020 thu hút trên 2.215 người dân tham gia, đạt 96,5% kế hoạch.")
    for span in doc.spans["figures"]:
        span.text, span._.value, span._.unit, span._.qualifier, span._.kind

Each span covers the number and its unit ("2.215 người dân", "96,5%"); citations ("04-CT/TU"),
dates and years are not figures. The extraction is the one baocao's records use
(`extractors.figures.text_quantities`), so a figure found here is a `Figure` in `baocao extract`.
With `set_ents=True` the spans also become `doc.ents` (label FIGURE) where they do not overlap
entities already set. The core of baocao never imports this module or spaCy.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.figures import text_quantities

LABEL = "FIGURE"
SPAN_KEY = "figures"
_ATTRS = ("value", "unit", "qualifier", "kind", "raw")

for _attr in _ATTRS:
    if not Span.has_extension(_attr):
        Span.set_extension(_attr, default=None)


class BaocaoFigures:
    """Marks every figure of a Doc as a span in `doc.spans[span_key]` with its value, unit,
    qualifier, kind and the number as written (`span._.raw`)."""

    def __init__(self, name: str, span_key: str, set_ents: bool):
        self.name = name
        self.span_key = span_key
        self.set_ents = set_ents

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for _sentence, q in text_quantities(doc.text):
            span = doc.char_span(q.start, max(q.unit_end, q.end), label=LABEL, alignment_mode="expand")
            if span is None:
                continue
            span._.value, span._.unit, span._.qualifier = q.value, q.unit, q.qualifier
            span._.kind, span._.raw = q.kind, q.raw
            spans.append(span)
        doc.spans[self.span_key] = spans
        if self.set_ents:
            taken = {i for e in doc.ents for i in range(e.start, e.end)}
            free = [s for s in spans if not taken.intersection(range(s.start, s.end))]
            doc.ents = sorted([*doc.ents, *_non_overlapping(free)], key=lambda s: s.start)
        return doc


def _non_overlapping(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    end = -1
    for s in sorted(spans, key=lambda s: s.start):
        if s.start >= end:
            out.append(s)
            end = s.end
    return out


@Language.factory("baocao_figures", default_config={"span_key": SPAN_KEY, "set_ents": False},
                  assigns=["doc.spans"])
def make_baocao_figures(nlp: Language, name: str, span_key: str, set_ents: bool) -> BaocaoFigures:
    """The `baocao_figures` factory (see the module docstring)."""
    return BaocaoFigures(name, span_key, set_ents)
