"""Legacy-encoding decoding for PDF text (TCVN3/VNI/VISCII typed in 8-bit fonts → Unicode).

The decision is made per LINE, from the whole line's characters, with the evidence of the whole
document pooled (extractors.readers.legacy.Decoder): PDF producers split a line into many font
spans (LibreOffice draws every Vietnamese letter its main font lacks from a fallback font, so
a span can be "p”, “c"), and such fragments cannot be decided alone. A line read as Unicode is
left as it is; a legacy line has each span decoded in its own font (a TCVN3 capitals font such
as .VnTimeH upper-cases its span). Without the legacy module the text passes through unchanged.
"""
from __future__ import annotations

from extractors.readers.pdf.lines import Line
from models.document import Encoding


def _main_font(ln: Line) -> str | None:
    w: dict[str, int] = {}
    for s in ln.spans:
        w[s.font] = w.get(s.font, 0) + len(s.text)
    return max(w, key=w.get) if w else None


class PdfDecoder:
    """Decodes lines' spans, tallying the encodings met (weighted by text length)."""

    def __init__(self, lines: list[Line]):
        self.counts: dict[Encoding, int] = {}
        self._cache: dict[int, list[str]] = {}
        self._decoder = None
        self._decode_text = None
        try:
            from extractors.readers.legacy import Decoder

            self._decoder = Decoder((ln.text, _main_font(ln)) for ln in lines)
        except (ImportError, AttributeError, TypeError):
            try:
                from extractors.readers.legacy import decode_text

                self._decode_text = decode_text
            except (ImportError, AttributeError):
                pass

    def _decide(self, text: str, font: str | None) -> tuple[Encoding, bool]:
        """(encoding, whether the text's own characters were evidence for it)"""
        if self._decoder is not None:
            return self._decoder.decide(text, font)
        enc = self._decode_text(text, font)[1]
        return enc, True

    def _span(self, text: str, font: str | None) -> tuple[str, Encoding]:
        if self._decoder is not None:
            return self._decoder.decode_text(text, font)
        return self._decode_text(text, font)

    def spans(self, ln: Line) -> list[str]:
        """The texts of the line's spans, decoded."""
        key = id(ln)
        got = self._cache.get(key)
        if got is not None:
            return got
        texts = [s.text for s in ln.spans]
        if self._decoder is not None or self._decode_text is not None:
            try:
                enc, evidence = self._decide(ln.text, _main_font(ln))
                if enc not in (Encoding.UNICODE, Encoding.MIXED):
                    texts = [self._span(s.text, s.font)[0] for s in ln.spans]
            except Exception:  # a decoder bug must not lose the document
                enc, evidence = Encoding.UNICODE, False
            if evidence:
                self.counts[enc] = self.counts.get(enc, 0) + sum(len(t) for t in texts)
        self._cache[key] = texts
        return texts

    def encoding(self) -> Encoding:
        """The document's encoding, as the Word reader reports it: the one every line with
        evidence was read in, MIXED when there were several, UNICODE when there was none."""
        seen = {e for e, n in self.counts.items() if n >= 3}
        if not seen:
            return Encoding.UNICODE
        return seen.pop() if len(seen) == 1 else Encoding.MIXED
