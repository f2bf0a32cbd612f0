"""Word lists for quantities in Vietnamese prose: units, counted nouns, qualifiers, labels.

Everything the figure extractor knows about words lives here as data (registries), so that a
new unit or a new qualifier is one line. Matching is case-insensitive on NFC text; multi-word
entries are written with single spaces and match any run of white space.
"""
from __future__ import annotations

import re
from functools import lru_cache

# --- units that decide the kind -------------------------------------------------------------

PERCENT_UNITS = ["%", "phần trăm"]

# Scale words ("785,87 tỷ đồng": the value stays 785.87, the unit is "tỷ đồng").
SCALES = ["nghìn tỷ", "ngàn tỷ", "trăm nghìn", "trăm ngàn", "tỷ", "tỉ", "triệu", "nghìn", "ngàn",
          "vạn", "trăm"]

CURRENCIES = ["đồng", "VNĐ", "VND", "USD", "đô la Mỹ", "đô la", "Euro", "EUR", "nhân dân tệ"]
# "đồng" is money unless it starts one of these words ("03 đồng chí").
NOT_CURRENCY_AFTER_DONG = ["chí", "bào", "nghiệp", "hương", "môn", "đội", "ruộng", "hồ", "thời",
                           "phục", "ca", "bộ", "đều", "tình", "ý", "loạt", "minh", "cảm", "lòng",
                           "sức", "tâm", "hành", "thuận", "dao", "bằng", "cỏ", "xu", "niên", "học",
                           "tộc", "chủ", "sở hữu", "thanh", "ấu", "dạng", "nhất"]

MEASURES = ["km²", "km2", "m²", "m2", "m³", "m3", "ha", "héc-ta", "héc ta", "hecta", "hécta",
            "km/h", "km", "cm", "mm", "m", "tấn", "kg", "tạ", "yến", "gam", "lít", "kWh", "kW",
            "MWh", "MW", "GWh", "cây số", "°C", "độ C", "GB", "MB", "Mbps", "mét vuông", "mét khối",
            "mét", "ki-lô-mét", "ki lô mét"]

# A number followed by one of these is a period or an age, not a figure ("6 tháng đầu năm
# 2020", "5 năm", "trẻ 5 tuổi"). Checked after EXCEPT_PERIOD.
PERIOD_WORDS = ["năm học", "năm", "tháng", "tuần", "ngày", "đêm", "giờ", "tiếng đồng hồ", "phút",
                "giây", "quý", "tuổi", "thế kỷ", "thập kỷ", "học kỳ", "nhiệm kỳ", "h"]
EXCEPT_PERIOD = ["ngày công", "ngày người", "giờ công", "tháng lương", "năm tuổi thọ"]

# --- counted nouns ---------------------------------------------------------------------------
# Heads of counted noun phrases ("2.215 người dân", "03 đồng chí"). The NLP path finds nouns by
# POS tag as well; this list is what the regex path relies on, and it fixes the tagger where
# it errs ("02 phó giám đốc": "phó" is tagged Z; "nhà văn hóa" is cut "nhà văn | hóa").
COUNTED_NOUNS = """
người dân|người lao động|người cao tuổi|người khuyết tật|người|lượt người|lượt khách|lượt|
hộ gia đình|hộ dân|hộ nghèo|hộ cận nghèo|hộ|gia đình|khẩu|nhân khẩu|dân|cháu|em|trẻ em|trẻ|
học sinh|học viên|sinh viên|giáo viên|giảng viên|cán bộ|công chức|viên chức|nhân viên|
đảng viên|hội viên|đoàn viên|thành viên|đồng chí|đại biểu|lao động|công nhân|nông dân|
thanh niên|phụ nữ|cựu chiến binh|bệnh nhân|đối tượng|trường hợp|thí sinh|tình nguyện viên|
giám đốc|chủ tịch|hiệu trưởng|trưởng ban|phó ban|bí thư|ủy viên|uỷ viên|trưởng thôn|trưởng khu|
tổ trưởng|tổ phó|trưởng phòng|cán bộ quản lý|cán bộ không chuyên trách|công an viên|dân quân|
thạc sỹ|thạc sĩ|tiến sỹ|tiến sĩ|cử nhân|kỹ sư|bác sỹ|bác sĩ|giáo sư|phó giáo sư|chuyên gia|
doanh nghiệp|hợp tác xã|tổ hợp tác|cơ sở|cơ quan|đơn vị|trường học|trường|điểm trường|lớp học|lớp|
nhóm|phòng học|phòng|xã|phường|thị trấn|thôn|xóm|bản|ấp|làng|khu dân cư|khu phố|khu|tổ dân phố|
tổ|chi hội|chi bộ|chi đoàn|câu lạc bộ|CLB|hội|đoàn thể|ban|ngành|hội nghị|hội thảo|cuộc|buổi|
lần|đợt|ca|vụ|vụ việc|chuyên đề|văn bản|tin|bài|tin bài|bài viết|hồ sơ|thủ tục|dự án|công trình|
nhà văn hóa|nhà văn hoá|nhà|căn nhà|ngôi nhà|phòng đọc|tủ sách|thư viện|cuốn sách|cuốn|đầu sách|
bản|bộ|chiếc|cái|con|cây|quyển|tấm|bức|ngôi|căn|suất|phần quà|phần|xuất|gói|hộp|giải|huy chương|
bằng khen|giấy khen|danh hiệu|mô hình|tiêu chí|chỉ tiêu|nội dung|môn|môn học|tập thể|cá nhân|
gương|điển hình|dòng họ|đơn|kiến nghị|ý kiến|điểm|máy|máy tính|phương tiện|xe|tàu|thuyền|
camera|tuyến|tuyến đường|km đường|cầu|hạng mục|gian hàng|sản phẩm|chương trình|kế hoạch|
quỹ|tài khoản|trang|website|trang thông tin|thủ tục hành chính|giao dịch|cuộc gọi|học bổng|
nhiệm vụ|biên chế|chứng thư|dịch vụ|dịch vụ công|hệ thống|trạm|điểm cầu|đảng ủy|đảng bộ|
nghị quyết|quyết định|chỉ thị|thông tư|dự thảo|phản ánh|lãnh đạo|sở|chi cục|phòng ban|
tác phẩm|đề tài|sáng kiến|hợp đồng|lớp tập huấn|lớp bồi dưỡng|học viên|khách|lượt khách
"""

# Words that may continue a counted noun phrase in the regex path ("hộ nghèo", "hội viên nữ").
NP_MODIFIERS = ["nghèo", "cận nghèo", "nữ", "nam", "mới", "cũ", "khó khăn", "tiêu biểu",
                "xuất sắc", "giỏi", "khá", "trung bình", "yếu", "kém", "chính thức", "dự bị",
                "trực tuyến", "cấp tỉnh", "cấp huyện", "cấp xã", "cấp phường", "cấp thị xã",
                "chuẩn quốc gia", "văn hóa", "văn hoá", "pháp luật", "học tập", "khuyến học",
                "trường học", "công lập", "tư thục", "mầm non", "tiểu học", "trung học cơ sở",
                "trung học phổ thông", "dân tộc thiểu số", "có công", "chính sách"]

# --- words before a number -------------------------------------------------------------------

# Qualifiers written before the number, longest first; value → canonical spelling.
QUALIFIERS_BEFORE = {
    "chưa đến": "chưa đến", "chưa tới": "chưa đến", "chưa đầy": "chưa đến",
    "không quá": "không quá", "không dưới": "không dưới", "không ít hơn": "không dưới",
    "ít nhất": "ít nhất", "tối thiểu": "tối thiểu", "tối đa": "tối đa", "xấp xỉ": "xấp xỉ",
    "ước khoảng": "khoảng", "khoảng": "khoảng", "chừng": "khoảng", "gần": "gần", "trên": "trên",
    "hơn": "hơn", "dưới": "dưới", "ngoài": "hơn", "từ": "từ",
}
# "từ" qualifies only with what closes it: "từ 70% trở lên", "từ 3 đến 5 người".
# "hơn" after these is a comparison ("cao hơn 5%"), not "more than".
COMPARATIVES = ["cao", "thấp", "nhiều", "ít", "lớn", "nhỏ", "tăng", "giảm", "sớm", "muộn",
                "rộng", "hẹp", "dài", "ngắn", "nhanh", "chậm", "tốt", "kém", "vượt"]
# Written after the figure ("từ 70% trở lên").
QUALIFIERS_AFTER = ["trở lên", "trở xuống", "trở lại", "trở về trước", "trở ra"]

# A number right after one of these is a name, an ordinal or a date part, not a figure:
# "mức độ 3", "lần thứ 2", "khu 6", "Điều 5", "Covid 19", "tháng 10". (Unless a counted noun
# follows: "khu 06 tủ sách" — a comma the typist forgot.)
LABEL_WORDS = """
thứ|số|số hiệu|ký hiệu|mã|mã số|lần|loại|mức|mức độ|cấp độ|hạng|bậc|khóa|khoá|kỳ|đợt|
giai đoạn|tổ|khu|khu phố|thôn|xóm|bản|ấp|làng|tổ dân phố|phường|quận|đường|phố|ngõ|ngách|hẻm|
kiệt|quốc lộ|tỉnh lộ|huyện lộ|tuyến|điều|khoản|điểm|mục|chương|phần|phụ lục|biểu|bảng|mẫu|
trang|lớp|tầng|phòng|nhà|căn|lô|thửa|tờ|ô|nhóm|đội|tiểu đội|trung đội|đại đội|tiểu khu|khoảnh|
ngày|tháng|năm|quý|tuần|học kỳ|kỳ họp|ca|covid|sars-cov|kênh|vòng|bảng xếp hạng|hình|sơ đồ|
hợp đồng|hộp thư|km|cột|hàng|dòng|trường hợp thứ|chỉ thị|nghị quyết|quyết định|thông tư|
nghị định|kết luận|công văn|kế hoạch số|luật|chương trình số|top
"""

# Words before a number that make a bare number ("là 31.") worth keeping without a unit.
QUANTITY_VERBS = ["là", "đạt", "có", "gồm", "tăng", "giảm", "còn", "chiếm", "bằng", "được",
                  "tổng số", "tổng cộng", "cộng", "tổng", "thu", "chi", "vượt", "với"]

# Words that end a noun phrase or a context phrase in the regex path.
STOPWORDS = """
và|hoặc|với|của|cho|trong|ngoài|trên|dưới|tại|ở|từ|đến|tới|về|theo|do|vì|để|nhằm|bởi|
là|có|được|bị|đã|đang|sẽ|vẫn|còn|cũng|đều|thì|mà|nhưng|nên|nếu|khi|sau|trước|này|đó|kia|
các|những|mọi|mỗi|từng|một|hai|ba|gồm|bao gồm|trong đó|như|so|so với|tham gia|tham dự|đạt|
tăng|giảm|chiếm|bằng|thực hiện|tổ chức|triển khai|hoàn thành|công nhận|không|chưa|rất|
nay|hiện|ngày|tháng|năm|lại|ra|vào|lên|xuống|hết|cùng|đồng thời|tương ứng|trở lên|trở xuống
"""


def _split(words: str) -> list[str]:
    return [w.strip() for w in words.replace("\n", "").split("|") if w.strip()]


COUNTED = _split(COUNTED_NOUNS)
LABELS = _split(LABEL_WORDS)
STOPS = set(_split(STOPWORDS))


def alternation(words: list[str]) -> str:
    """A regex alternation of `words`, longest first, spaces matching any white space."""
    uniq = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in uniq)


WB = r"(?![^\W_])"  # end of word: not followed by a letter or digit

_PERIOD_RE = re.compile(rf"\s*(?:{alternation(EXCEPT_PERIOD)}){WB}|\s*({alternation(PERIOD_WORDS)}){WB}",
                        re.I)
_PERCENT_RE = re.compile(rf"\s?(?:%|phần\s+trăm{WB})", re.I)
_SCALE_RE = re.compile(rf"\s*(?:{alternation(SCALES)}){WB}", re.I)
_CURRENCY_RE = re.compile(
    rf"\s*(?:{alternation([c for c in CURRENCIES if c != 'đồng'])}){WB}|\s?đ(?![^\W_]|/\s*c)"
    rf"|\s*đồng{WB}(?!\s+(?:{alternation(NOT_CURRENCY_AFTER_DONG)}){WB})", re.I)
_MEASURE_RE = re.compile(rf"\s*(?:{alternation(MEASURES)})(?![^\W_])", re.I)
# "m2"/"km2" end in a digit: WB would refuse them, hence the own look-ahead above.
_COUNTED_RE = re.compile(rf"\s*(?:phó\s+)?(?:{alternation(COUNTED)}){WB}", re.I)  # "02 phó trưởng ban"
_MODIFIER_RE = re.compile(rf"\s+(?:{alternation(NP_MODIFIERS)}){WB}", re.I)
_QUAL_AFTER_RE = re.compile(rf"\s*({alternation(QUALIFIERS_AFTER)}){WB}", re.I)
_QUAL_BEFORE_RE = re.compile(rf"(?<![^\W_])({alternation(list(QUALIFIERS_BEFORE))})\s*$", re.I)
_LABEL_BEFORE_RE = re.compile(rf"(?<![^\W_])(?:{alternation(LABELS)})\s*[:.]?\s*$", re.I)
_COMPARATIVE_RE = re.compile(rf"(?<![^\W_])(?:{alternation(COMPARATIVES)})\s+$", re.I)


def period_at(text: str, pos: int) -> bool:
    """A period/age word follows at `pos` (and not one of its count exceptions)."""
    m = _PERIOD_RE.match(text, pos)
    return bool(m and m.group(1))


def percent_at(text: str, pos: int) -> re.Match | None:
    return _PERCENT_RE.match(text, pos)


def scale_at(text: str, pos: int) -> re.Match | None:
    return _SCALE_RE.match(text, pos)


def currency_at(text: str, pos: int) -> re.Match | None:
    return _CURRENCY_RE.match(text, pos)


def measure_at(text: str, pos: int) -> re.Match | None:
    return _MEASURE_RE.match(text, pos)


def counted_at(text: str, pos: int) -> re.Match | None:
    return _COUNTED_RE.match(text, pos)


def modifier_at(text: str, pos: int) -> re.Match | None:
    return _MODIFIER_RE.match(text, pos)


def qualifier_after(text: str, pos: int) -> re.Match | None:
    return _QUAL_AFTER_RE.match(text, pos)


def qualifier_before(head: str) -> tuple[str, int] | None:
    """(canonical qualifier, its offset in `head`) when `head` (the text before a number) ends
    with one: "gần ", "chưa đến ", "trên "."""
    m = _QUAL_BEFORE_RE.search(head)
    if not m:
        return None
    canon = QUALIFIERS_BEFORE[re.sub(r"\s+", " ", m.group(1).lower())]
    if canon == "hơn" and _COMPARATIVE_RE.search(head[:m.start()]):
        return None
    return canon, m.start()


_TOTAL_BEFORE_RE = re.compile(r"(?<![^\W_])(?:tổng|với|có|là)\s+số\s*[:.]?\s*$", re.I)
_LABEL_START_RE = re.compile(rf"(?:{alternation(LABELS)}){WB}", re.I)


def label_before(head: str) -> bool:
    """`head` ends with a label word ("mức độ", "khu", "Điều", "lần thứ"); "tổng số" is not one."""
    return bool(_LABEL_BEFORE_RE.search(head)) and not _TOTAL_BEFORE_RE.search(head)


def label_start(phrase: str) -> bool:
    """`phrase` starts with a label word ("Điều 5", "khoản 2")."""
    return bool(_LABEL_START_RE.match(phrase))


@lru_cache(maxsize=None)
def is_stopword(word: str) -> bool:
    return word.lower() in STOPS


def kind_of_unit(unit: str | None) -> str:
    """count | percent | money | measure | other, from a unit as extracted."""
    if not unit:
        return "other"
    u = unit.strip()
    if _PERCENT_RE.fullmatch(u):
        return "percent"
    s = _SCALE_RE.match(u)
    rest = u[s.end():] if s else u
    if rest and _CURRENCY_RE.fullmatch(rest):
        return "money"
    if not rest.strip():
        return "other"  # a bare scale word: "1,2 triệu"
    if _MEASURE_RE.fullmatch(rest):
        return "measure"
    return "count"
