"""implausible_percentage and ratio_mismatch: shares that cannot be, and shares that do not fit.

A share of a population cannot exceed 100% ("trên 100% số trường", "105% số hộ"); a rate of
plan completion or of change can ("đạt 106,5% kế hoạch", "tăng 114,79% so với năm 2019"). A
percentage is taken for a share only on evidence (followed by "số …"/a counted noun, or after
"chiếm" / "tỷ lệ <counted noun>") and never in a clause with plan or comparison words.

A stated percentage next to its parts ("2.346/3.112 hộ, đạt 75,4%", "3.112 hộ, trong đó 2.346
hộ …, đạt 57,4%", "2.346 hộ trên tổng số 3.112 hộ (75,4%)") must be the ratio of the parts:
rounded (within half a unit of its last written digit, plus a little) or cut (real reports write
8.326.078/9.463.076 = 87,98% as 87,9%). Conditional percentages ("trường hợp đạt 100% thì …")
and the complement ("còn lại 24,6%") are not compared. A rank ("xếp thứ 40/63 tỉnh") is no
fraction, nor is a month and its year ("tháng 3/2026": checks.text never reads it as one).

A rate of plan ("đạt 101% kế hoạch", "bằng 96% dự toán năm") is compared with the plan and the
result it is a rate of: the plan written in the sentence ("…, đạt 120% chỉ tiêu (chỉ tiêu 80
doanh nghiệp)"), or a table beside it (same branch of the outline) with one plan column ("Kế
hoạch", "Dự toán", "Chỉ tiêu") and a result column ("Thực hiện", "Kết quả"), on the row the
percentage's clause names or the row whose result the sentence states ("tổ chức 34 cuộc …" and
a "Thực hiện" total of 34).
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from checks.confidence import cell_reading, prose_reading
from checks.context import Ctx, Sentence
from checks.lexicon import (ABOVE, APPROX, COUNT_KINDS, RATE_BEFORE, RATE_CONTEXT, SHARE_AFTER,
                            SHARE_BEFORE)
from checks.matching import row_named
from checks.registry import make_flag, rule
from checks.tables_view import TableView
from checks.text import Mention, bare, fold, has_phrase, unit_head, words
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


def is_share(s: str, m: Mention, mentions: list[Mention] = ()) -> bool:
    before, _ = clause(s, m)
    tw = m.tail.split()
    if tw[:1] and (tw[0] in SHARE_AFTER or " ".join(tw[:2]) in SHARE_AFTER):
        return True
    if unit_head(tw)[1] in COUNT_KINDS:
        return True
    if any(before.endswith(p) or before.endswith(p + " là") for p in SHARE_BEFORE):
        return True
    if _share_noun_before(before) or _share_noun_before(_listed_before(s, m)):
        return True
    # "có 141 học sinh được công nhận tốt nghiệp, đạt tỷ lệ 100,7%": a bare "tỷ lệ" after a count
    return bool(re.search(r"(?:tỷ|tỉ) lệ(?: là)?\s*$", before)) and any(
        x.end <= m.start and not x.percent and x.kind in COUNT_KINDS for x in mentions)


def _listed_before(s: str, m: Mention) -> str:
    """The clause before a percentage taken back over commas that list things ("tỷ lệ hộ có nhà
    tiêu, nhà tắm, thiết bị chứa nước hợp vệ sinh đạt 102,5%"), to the last ';' or ':' or another
    percentage."""
    a = max(s.rfind(ch, 0, m.start) for ch in ";:(") + 1
    seg = s[a:m.start]
    if "%" in seg:
        seg = seg[seg.rfind("%") + 1:]
    return fold(seg)


@rule("implausible_percentage", Severity.WARNING, "Tỷ lệ vượt 100%", "A share above 100%")
def implausible_percentage(ctx: Ctx):
    for s in ctx.sentences:
        for m in s.mentions:
            if not m.percent or m.value is None:
                continue
            above = m.value > 100 + 1e-9 or (m.value >= 100 and m.qualifier in ABOVE)
            if not above or is_rate(s.text, m) or not is_share(s.text, m, s.mentions):
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


_RANK = re.compile(r"(?<!\w)(thứ|hạng|xếp thứ|đứng thứ|top)$")
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
            if _RANK.search(m.before):
                return None  # "xếp thứ 40/63 tỉnh": a rank, not a fraction
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


# --- a rate of plan: "đạt 101% kế hoạch" against the plan and the result it names ----------

_PLAN_WORDS = ("kế hoạch", "kh", "dự toán", "chỉ tiêu", "mục tiêu", "kế hoạch giao", "dự toán giao",
               "chỉ tiêu giao")
_RESULT_WORDS = ("thực hiện", "th", "kết quả", "ước thực hiện", "ước th", "thực tế", "ước đạt",
                 "đã thực hiện", "kết quả thực hiện")
_PLAN_INTRO = ("đạt", "bằng", "hoàn thành", "đạt và vượt", "thực hiện đạt", "đạt tỷ lệ", "đạt tỉ lệ")
_PLAN_BEFORE_NUMBER = re.compile(
    r"(?<!\w)(kế hoạch|kh|dự toán|chỉ tiêu|mục tiêu)(?:(?:\s+(?:năm|giao|được giao|đề ra|là|của|"
    r"huyện|tỉnh|cấp trên))*\s*[:(]?|(?:\s+[^\s,;:()]+){1,5}\s*\()\s*$")  # "kế hoạch Đại hội giao ("


def plan_word(z: Mention) -> str | None:
    """The plan a percentage is a rate of ("đạt 101% kế hoạch", "96% dự toán năm", "so với
    chỉ tiêu"): the plan word right after it, or None."""
    tw = z.tail.split()
    if tw[:2] == ["so", "với"]:
        tw = tw[2:]
    for p in sorted(_PLAN_WORDS, key=len, reverse=True):
        if has_phrase(tw[:len(p.split())], p):
            return p
    return None


def _plan_of_prose(s: Sentence, z: Mention) -> tuple[Mention, Mention] | None:
    """"Thu hút 96 doanh nghiệp …, đạt 120% chỉ tiêu (chỉ tiêu 80 doanh nghiệp)": the result before
    the percentage and the plan written after it, the same kind of thing; the plan may stand in
    brackets right after the plan word, unlabelled ("bằng 115,0% dự toán (220 triệu đồng)")."""
    ms = s.mentions
    i = ms.index(z)
    plan = None
    for m in ms[i + 1:i + 3]:
        if m.percent:
            break
        if _PLAN_BEFORE_NUMBER.search(fold(s.text[z.end:m.start])) and _countable(m):
            plan = m
            break
    if plan is None:
        return None
    for m in reversed(ms[:i]):
        if m.percent:
            return None
        if _countable(m) and not m.numerator and m.over is None and _same_thing(m, plan):
            return m, plan
    return None


def _near(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _plan_columns(t: TableView, fuzzy: bool = False) -> tuple[list[int], list[int]]:
    """Columns of targets and of results; `fuzzy` (a scan) also reads "Thục hiện" as "Thực hiện"
    (phrases of two words or more, without diacritics)."""
    plan, result = [], []
    for c in t.quantity_columns():
        hw = words(t.columns[c].header)
        bw = words(bare(t.columns[c].header)) if fuzzy else []
        is_plan = any(has_phrase(hw, p) or (bw and " " in p and has_phrase(bw, bare(p)))
                      for p in _PLAN_WORDS)
        is_result = any(has_phrase(hw, p) or (bw and " " in p and has_phrase(bw, bare(p)))
                        for p in _RESULT_WORDS)
        if is_plan and not is_result:
            plan.append(c)
        elif is_result and not is_plan:
            result.append(c)
    return plan, result


def _plan_of_table(ctx: Ctx, s: Sentence, z: Mention, word: str):
    """The table beside the sentence that holds the plan and the result: a row named in the
    percentage's clause ("công tác đo đạc chỉnh lý bản đồ đạt 115,4% kế hoạch năm"), or the row
    whose result the sentence states ("tổ chức 34 cuộc …, đạt 104% chỉ tiêu" with a total
    "Thực hiện" of 34).
    One table, one row, one plan and one result column, or nothing."""
    start = max(s.text.rfind(ch, 0, z.start) for ch in ";") + 1
    clause = fold(s.text[start:z.start])
    before = [m for m in s.mentions if start <= m.start < z.start and _countable(m)
              and not m.numerator and m.over is None]
    found = []
    for t in ctx.tables:
        if not _near(s.section, t.rec.section):
            continue
        plan, result = _plan_columns(t, ctx.report.source.ocr)
        if len(plan) > 1:
            plan = [c for c in plan if has_phrase(words(t.columns[c].header), word)]
        if len(plan) != 1 or not result:
            continue
        pc = plan[0]
        rows = t.body + ([t.T] if t.T is not None else [])
        named = [r for r in t.body if row_named(t, r, clause)]
        if named and len(result) == 1:
            found += [(t, r, pc, result[0]) for r in named]
            continue
        for m in before:
            for rc in result:
                kind = _col_kind(t, rc)
                if kind is not None and kind != m.kind:
                    continue
                hit = [r for r in rows if (v := t.value(r, rc)) is not None and abs(v - m.value) < 1e-9]
                if t.T in hit:
                    hit = [t.T]
                found += [(t, r, pc, rc) for r in hit]
    found = list({(t.id, r, pc, rc): (t, r, pc, rc) for t, r, pc, rc in found}.values())
    return found[0] if len(found) == 1 else None


def _col_kind(t: TableView, c: int) -> str | None:
    m = re.search(r"\(([^()]+)\)", t.columns[c].header)
    return unit_head(fold(m.group(1)).split())[1] if m else None


def _plan_flag(ctx: Ctx, s: Sentence, z: Mention):
    """ratio_mismatch for a rate of plan, or None."""
    word = plan_word(z)
    if word is None or not any(z.before.endswith(p) for p in _PLAN_INTRO) or z.qualifier:
        return None
    if any(f" {w} " in f" {z.before} " for w in _CONDITIONAL):
        return None
    d = len(z.raw.partition(",")[2])
    unit = 10 ** -d
    pair = _plan_of_prose(s, z)
    if pair is not None:
        A, P = pair
        if A.qualifier in APPROX or P.qualifier in APPROX or not P.value:
            return None
        ratio = 100.0 * A.value / P.value
        if _fits(ratio, z.value, unit):
            return None
        computed = _rounded(ratio, max(d, 1))
        return make_flag(
            "ratio_mismatch", "plan",
            {"part": A.raw, "whole": P.raw, "unit": P.unit_text or A.unit_text, "computed": computed,
             "stated": z.raw + "%", "plan": word},
            section=s.section, stated=z.raw + "%", computed=as_number(computed),
            expected=as_number(computed), sentence=s.text, location=ctx.locate(s, z.raw),
            evidence={"sentence": s.text, "result": f"{A.raw} {A.unit_text}".strip(),
                      "plan": f"{P.raw} {P.unit_text}".strip(), "ratio": round(ratio, 4),
                      "rounding_unit": unit,
                      "readings": [prose_reading(s.text, z.raw, "stated", s.section),
                                   prose_reading(s.text, A.raw, "part", s.section),
                                   prose_reading(s.text, P.raw, "part", s.section)]})
    hit = _plan_of_table(ctx, s, z, word)
    if hit is None:
        return None
    t, r, pc, rc = hit
    plan, result = t.value(r, pc), t.value(r, rc)
    if plan is None or result is None or plan <= 0:
        return None
    ratio = 100.0 * result / plan
    if _fits(ratio, z.value, unit):
        return None
    computed = _rounded(ratio, max(d, 1))
    where = "dòng tổng" if r == t.T else f"dòng «{t.label(r)}»"
    where_en = "total row" if r == t.T else f"row “{t.label(r)}”"
    return make_flag(
        "ratio_mismatch", "plan_table",
        {"stated": z.raw + "%", "computed": computed, "table": t.id, "where": where, "where_en": where_en,
         "result": t.raw(r, rc), "plan_value": t.raw(r, pc), "result_col": t.columns[rc].header,
         "plan_col": t.columns[pc].header},
        section=s.section, table=t.id, row=r, column=t.columns[rc].header, stated=z.raw + "%",
        computed=as_number(computed), expected=as_number(computed), sentence=s.text,
        location=ctx.locate(s, z.raw),
        evidence={"sentence": s.text, "row_label": t.label(r), "result": t.raw(r, rc), "plan": t.raw(r, pc),
                  "result_column": t.columns[rc].header, "plan_column": t.columns[pc].header,
                  "ratio": round(ratio, 4), "rounding_unit": unit,
                  "readings": [prose_reading(s.text, z.raw, "stated", s.section),
                               cell_reading(t, r, rc, "part"), cell_reading(t, r, pc, "part")]})


def _rounded(ratio: float, d: int) -> float:
    return float(Decimal(repr(ratio)).quantize(Decimal(1).scaleb(-d), ROUND_HALF_UP))


@rule("ratio_mismatch", Severity.WARNING, "Tỷ lệ không khớp với các số liệu",
      "A stated percentage disagrees with its parts")
def ratio_mismatch(ctx: Ctx):
    for s in ctx.sentences:
        explained = _explained(s)
        for z in s.mentions:
            if not z.percent or z.value is None:
                continue
            if (f := _plan_flag(ctx, s, z)) is not None:
                yield f
                continue
            if z.qualifier and z.qualifier in APPROX:
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
                          "rounding_unit": unit,
                          "readings": [prose_reading(s.text, z.raw, "stated", s.section),
                                       prose_reading(s.text, A.raw, "part", s.section),
                                       prose_reading(s.text, B.raw, "part", s.section)]})
