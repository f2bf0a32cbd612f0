"""The text scans run on every paragraph stay linear in its length: a paragraph of 100 000+
characters (a hostile file, a run typed without spaces) must not cost the square of its length.
Each scan is checked against a naive version on small inputs, then timed on a long one with a
bound a quadratic scan could not meet."""
from __future__ import annotations

import random
import re
import time

from extractors.front.acronyms import capitalise_places, is_acronym
from extractors.text.dates import digit_windows
from extractors.text.quantities import find_quantities
from extractors.text.sentences import MAX_SENTENCE, sentence_at, split_sentences
from extractors.text.spans import Spans, overlap_test
from extractors.text.vntext import restore_case


def _naive_windows(text: str, pad: int) -> list[tuple[int, int]]:
    wins: list[tuple[int, int]] = []
    n = len(text)
    for m in re.finditer(r"\d+", text):
        a, b = max(0, m.start() - pad), min(n, m.end() + pad)
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        while b < n and not text[b].isspace():
            b += 1
        if wins and a <= wins[-1][1]:
            wins[-1] = (wins[-1][0], max(b, wins[-1][1]))
        else:
            wins.append((a, b))
    return wins


def test_digit_windows_agree_with_the_naive_scan_and_are_linear():
    rnd = random.Random(4)
    for _ in range(2000):
        text = "".join(rnd.choice("ab 1\n2x\t ") for _ in range(rnd.randint(0, 200)))
        for pad in (0, 16, 32):
            assert digit_windows(text, pad) == _naive_windows(text, pad)
    long_run = "".join(rnd.choice("0123456789abcđươ./-") for _ in range(300_000))
    t = time.perf_counter()
    assert digit_windows(long_run) == [(0, len(long_run))]
    assert time.perf_counter() - t < 2.0  # the naive scan takes minutes here


def test_sentences_are_bounded_and_found_by_bisection():
    text = ("năm 2024 đạt 1.250 tỷ đồng " * 10_000).strip()
    spans = split_sentences(text)
    assert all(b - a <= MAX_SENTENCE for a, b in spans) and len(spans) > 100
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")
    assert sentence_at(spans, spans[7][0] + 3) == spans[7]
    short = "Một. Hai ba. Bốn năm sáu."
    assert [short[a:b] for a, b in split_sentences(short)] == ["Một.", "Hai ba.", "Bốn năm sáu."]


def test_span_sets_agree_with_a_scan():
    rnd = random.Random(9)
    for _ in range(1000):
        spans, taken = Spans(), []
        fixed = [(a, a + rnd.randint(1, 9)) for a in (rnd.randint(0, 100) for _ in range(rnd.randint(0, 8)))]
        hit = overlap_test(fixed)
        for _ in range(20):
            s = rnd.randint(0, 110)
            e = s + rnd.randint(1, 6)
            assert hit(s, e) == any(s < b and a < e for a, b in fixed)
            want = any(s < b and a < e for a, b in taken)
            assert spans.overlaps(s, e) == want
            if not want:
                spans.add(s, e)
                taken.append((s, e))


def test_quantities_of_a_long_paragraph_are_linear():
    rnd = random.Random(3)
    words = ["năm", "2024", "đạt", "1.250", "tỷ", "đồng", "ngày", "12/3/2024", "tăng", "5,2%", "hộ", "250/300"]
    text = " ".join(rnd.choice(words) for _ in range(30_000))
    t = time.perf_counter()
    for a, b in split_sentences(text):
        find_quantities(text, a, b)
    assert time.perf_counter() - t < 30.0


def test_acronyms_and_place_names_keep_their_capitals():
    assert restore_case("UBND XÃ MẠO KHÊ", None, is_acronym) == "UBND xã mạo khê"
    assert capitalise_places(restore_case("UBND XÃ MẠO KHÊ", None, is_acronym)) == "UBND xã Mạo Khê"
    assert capitalise_places(restore_case("BÁO CÁO KẾT QUẢ CÔNG TÁC TTHC VÀ PHÁT TRIỂN KINH TẾ - XÃ HỘI "
                                          "CỦA HĐND HUYỆN ĐÔNG SƠN NĂM 2024", None, is_acronym)) == \
        "Báo cáo kết quả công tác TTHC và phát triển kinh tế - xã hội của HĐND huyện Đông Sơn năm 2024"
    for acronym in ("UBND", "HĐND", "MTTQ", "BCH", "TW", "THCS", "THPT", "TTHC", "KT-XH", "GD&ĐT"):
        assert is_acronym(acronym)
    assert is_acronym("TU", last=True) and not is_acronym("TU")  # Tỉnh ủy, but "TU BỔ" is a word
    assert restore_case("TU BỔ ĐÊ ĐIỀU", None, is_acronym) == "Tu bổ đê điều"
    assert capitalise_places("ban thường vụ tỉnh ủy quảng ninh và hợp tác xã nông nghiệp") == \
        "ban thường vụ tỉnh ủy quảng ninh và hợp tác xã nông nghiệp"
