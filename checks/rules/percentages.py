"""implausible_percentage and ratio_mismatch: shares that cannot be, and shares that do not fit.

A share of a population cannot exceed 100% ("trên 100% số trường", "105% số hộ"); a rate of
plan completion or of change can ("đạt 106,5% kế hoạch", "tăng 114,79% so với năm 2019"). A
percentage is taken for a share only on evidence (followed by "số …"/a counted noun, or after
"chiếm" / "tỷ lệ <counted noun>") and never in a clause with plan or comparison words.

A stated percentage next to its parts ("2.346/3.112 hộ, đạt 75,4%", "3.112 hộ, trong đó 2.346
hộ …, đạt 57,4%", "2.346 hộ trên tổng số 3.112 hộ (75,4%)") must be the ratio of the parts:
rounded (within half a unit of its last written digit, plus a little) or cut (real reports write
8.326.078/9.463.076 = 87,98% as 87,9%). Conditional percentages ("trường hợp đạt 100% thì …")
and the complement ("còn lại 24,6%") are not compared.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from checks.context import Ctx, Sentence
from checks.lexicon import (ABOVE, APPROX, COUNT_KINDS, RATE_BEFORE, RATE_CONTEXT, SHARE_AFTER,
                            SHARE_BEFORE)
from checks.registry import make_flag, rule
from checks.text import Mention, fold, has_phrase, unit_head, words
from checks.rules.totals import as_number
from models.report import Severity

_EXTRA_RATE = ("thu ngân sách", "thu", "chi", "giải ngân", "doanh thu", "sản lượng", "giá trị",
               "tổng giá trị", "kim ngạch", "năng suất", "công suất", "lãi", "lợi nhuận", "vốn")


def clause(s: str, m: Mention) -> tuple[str, str]:
    """Folded text of the clause around a mention: (before it, after it)."""
    a = max(s.rfind(ch, 0, m.start) for ch in ",;:(") + 1
    ends = [i for i in (s.find(ch, m.end) for ch in ",;)") if i >= 0]
    b = min(ends) if ends else len(s)
    return fold(s[a:m.start]), fold(s[m.end:b])


def is_rate(s: str, m: Mention) -> bool:
    """The percentage is a rate of completion or change, which may exceed 100."""
    before, after = clause(s, m)
    cw = words(before) + words(after)
    if any(has_phrase(cw, p) for p in RATE_CONTEXT):
        return True
    bw = words(before)[-3:]
    if any(has_phrase(bw, p) for p in RATE_BEFORE):
        return True
    return any(has_phrase(words(before), p) for p in _EXTRA_RATE) and not _share_noun_before(before)


def _share_noun_before(before: str) -> bool:
    """'tỷ lệ hộ …', 'tỷ lệ người dân …': a share of counted things."""
    for p in ("tỷ lệ", "tỉ lệ"):
        i = before.find(p)
        if i >= 0:
            head, kind = unit_head(before[i + len(p):].split())
            if kind in COUNT_KINDS:
                return True
    return False


def is_share(s: str, m: Mention) -> bool:
    before, _ = clause(s, m)
    tw = m.tail.split()
    if tw[:1] and (tw[0] in SHARE_AFTER or " ".join(tw[:2]) in SHARE_AFTER):
        return True
    if unit_head(tw)[1] in COUNT_KINDS:
        return True
    if any(before.endswith(p) or before.endswith(p + " là") for p in SHARE_BEFORE):
        return True
    return _share_noun_before(before)


@rule("implausible_percentage", Severity.WARNING, "Tỷ lệ vượt 100%", "A share above 100%")
def implausible_percentage(ctx: Ctx):
    for s in ctx.sentences:
        for m in s.mentions:
            if not m.percent or m.value is None:
                continue
            above = m.value > 100 + 1e-9 or (m.value >= 100 and m.qualifier in ABOVE)
            if not above or is_rate(s.text, m) or not is_share(s.text, m):
                continue
            stated = (f"{m.qualifier} " if m.qualifier else "") + m.raw + "%"
            ends = [i for i in (s.text.find(ch, m.end) for ch in ",;.)") if i >= 0]
            context = (stated + s.text[m.end:min(ends) if ends else len(s.text)].lstrip(" %")).strip()
            context = stated + " " + context[len(stated):].strip() if context != stated else stated
            yield make_flag(
                "implausible_percentage", "default", {"stated": stated, "context": context},
                section=s.section, stated=stated, computed=as_number(m.value), sentence=s.text,
                location=ctx.locate(s, m.raw),
                evidence={"sentence": s.text, "value": as_number(m.value), "qualifier": m.qualifier,
                          "of": m.tail})


# --- ratio_mismatch --------------------------------------------------------------------------

_INTRO = ("đạt", "chiếm", "bằng", "=", "(", "là", "tỷ lệ", "tỉ lệ", "đạt tỷ lệ", "đạt tỉ lệ",
          "chiếm tỷ lệ", "chiếm tỉ lệ", ",")
_WHOLE_MARK = re.compile(r"(trên tổng số|trong tổng số|trên tổng|trong số|trên|/|so với tổng số)\s*$")


_CONDITIONAL = ("trường hợp", "nếu", "khi", "giả sử", "phấn đấu", "tối thiểu", "tối đa", "ít nhất")


def _countable(m: Mention) -> bool:
    return (not m.percent and m.value is not None and not m.malformed
            and (m.kind in COUNT_KINDS or m.kind == "money"))


def _explained(s: Sentence) -> dict[int, Mention]:
    """Percentages followed by brackets holding their fraction: "đạt 75,2% (… 654/871 …)"
    → {id(percent): numerator}. Those fractions belong to no other percentage."""
    out: dict[int, Mention] = {}
    for z in s.mentions:
        if not z.percent:
            continue
        m = re.compile(r"\s*%?\s*\(([^()]*)\)").match(s.text, z.end)
        if not m:
            continue
        inside = [x for x in s.mentions if x.numerator and m.start(1) <= x.start < m.end(1)]
        if inside:
            out[id(z)] = inside[0]
    return out


def _pair(s: Sentence, z: Mention, explained: dict[int, Mention]) -> tuple[Mention, Mention] | None:
    ms = s.mentions
    i = ms.index(z)
    if id(z) in explained:  # "Z% (… A/B …)"
        a = explained[id(z)]
        return a, a.over
    owned = {id(a) for a in explained.values()}
    prior = ms[:i]
    # "A/B …, đạt Z%"
    for m in reversed(prior):
        if m.percent:
            break
        if m.over is not None and id(m) not in owned:
            return m, m.over
        if id(m) in owned:
            return None
    # "B …, trong đó A …, đạt Z%" and "A … trên tổng số B …, Z%"
    near = []
    for m in reversed(prior):
        if m.percent:
            break
        if _countable(m):
            near.append(m)
    if len(near) < 2:
        return None
    X = near[0]
    Y = next((m for m in near[1:] if _same_thing(m, X)), None)
    if Y is None:
        return None
    between = fold(s.text[Y.end_unit:X.start]).strip()
    if _WHOLE_MARK.search(between):
        return Y, X  # "Y … trên tổng số X"
    if re.search(r"(?<!\w)trong đó(?!\w)", between) or between.strip(" ,:") in ("", "có"):
        return X, Y  # "Y …, trong đó X …"
    return None


def _same_thing(a: Mention, b: Mention) -> bool:
    """'320 hộ nghèo' and '180 hộ thoát nghèo' count households alike."""
    return a.head == b.head or (a.kind == b.kind and a.unit.split()[:1] == b.unit.split()[:1] != [])


def _fits(ratio: float, stated: float, unit: float) -> bool:
    """Rounded (half a unit of the last written digit, plus a little) or truncated (offices
    often cut 87,98% to 87,9%)."""
    return -0.6 * unit <= ratio - stated <= unit + 1e-9


@rule("ratio_mismatch", Severity.WARNING, "Tỷ lệ không khớp với các số liệu",
      "A stated percentage disagrees with its parts")
def ratio_mismatch(ctx: Ctx):
    for s in ctx.sentences:
        explained = _explained(s)
        for z in s.mentions:
            if not z.percent or z.value is None or (z.qualifier and z.qualifier in APPROX):
                continue
            if is_rate(s.text, z) or any(z.before.endswith(w) or (" " + w + " ") in f" {z.before} "
                                         for w in _CONDITIONAL):
                continue
            intro = z.before
            if not any(intro.endswith(p) for p in _INTRO):
                continue
            pair = _pair(s, z, explained)
            if pair is None:
                continue
            A, B = pair
            if A.value is None or B.value is None or B.value <= 0 or A.value > B.value:
                continue
            if A.qualifier in APPROX or B.qualifier in APPROX:
                continue
            ratio = 100.0 * A.value / B.value
            d = len(z.raw.partition(",")[2])
            unit = 10 ** -d
            if _fits(ratio, z.value, unit) or _fits(100 - ratio, z.value, unit):
                continue
            computed = float(Decimal(repr(ratio)).quantize(Decimal(1).scaleb(-d), ROUND_HALF_UP))
            yield make_flag(
                "ratio_mismatch", "default",
                {"part": A.raw, "whole": B.raw, "unit": B.unit_text or A.unit_text, "computed": computed,
                 "stated": z.raw + "%"},
                section=s.section, stated=z.raw + "%", computed=as_number(computed),
                expected=as_number(computed), sentence=s.text, location=ctx.locate(s, z.raw),
                evidence={"sentence": s.text, "part": f"{A.raw} {A.unit_text}".strip(),
                          "whole": f"{B.raw} {B.unit_text}".strip(), "ratio": round(ratio, 4),
                          "rounding_unit": unit})
