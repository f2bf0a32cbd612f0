"""A set of non-overlapping character spans, kept sorted: does a new match overlap one taken
already? A bisection, not a scan of every span per match (a paragraph with thousands of dates
or codes must not cost their square)."""
from __future__ import annotations

from bisect import bisect_left, insort


class Spans:
    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []

    def overlaps(self, s: int, e: int) -> bool:
        """[s, e) overlaps a span taken (the spans never overlap one another)."""
        k = bisect_left(self._spans, (s, s))
        if k > 0 and self._spans[k - 1][1] > s:
            return True
        return k < len(self._spans) and self._spans[k][0] < e

    def add(self, s: int, e: int) -> None:
        insort(self._spans, (s, e))


def overlap_test(spans: list[tuple[int, int]]):
    """For a fixed list of spans (they may overlap one another): a function telling whether
    [s, e) overlaps any of them, by bisection over the starts and the running maximum end."""
    ordered = sorted(spans)
    ends: list[int] = []
    top = -1
    for _a, b in ordered:
        top = max(top, b)
        ends.append(top)

    def overlaps(s: int, e: int) -> bool:
        k = bisect_left(ordered, (e,)) - 1  # the last span starting before e
        return k >= 0 and ends[k] > s

    return overlaps
