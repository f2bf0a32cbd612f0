"""Word lists the checks rely on: kinds of counted things, qualifiers, context words.

Data only (registries), so that a new unit or a new plan word is one line. Entries are written
lower case with single spaces; matching is on folded text (NFC, casefolded, spaces collapsed).
"""
from __future__ import annotations

# --- what a counted noun counts --------------------------------------------------------------
# A part and its whole must count the same kind of thing ("03 đồng chí gồm 01 giám đốc …":
# persons; "15 đơn vị trường học, trong đó 5 trường Mầm non": organisations).
KINDS: dict[str, list[str]] = {
    "person": [
        "người", "người dân", "người lao động", "người cao tuổi", "nhân dân", "đồng chí", "đ/c",
        "cán bộ", "cán bộ quản lý", "công chức", "viên chức", "cán bộ, công chức", "giáo viên",
        "học sinh", "học viên", "sinh viên", "hội viên", "đoàn viên", "đảng viên", "thành viên",
        "nhân viên", "công nhân", "lao động", "nhân khẩu", "khẩu", "cháu", "trẻ", "trẻ em", "em",
        "bé", "giám đốc", "phó giám đốc", "chủ tịch", "phó chủ tịch", "trưởng ban", "phó trưởng ban",
        "trưởng phòng", "phó trưởng phòng", "trưởng", "phó", "bí thư", "phó bí thư", "ủy viên",
        "uỷ viên", "thạc sỹ", "thạc sĩ", "tiến sỹ", "tiến sĩ", "cử nhân", "kỹ sư", "bác sĩ", "bác sỹ",
        "y sĩ", "y sỹ", "dược sĩ", "điều dưỡng", "nữ hộ sinh", "chiến sĩ", "cộng tác viên",
        "tình nguyện viên", "đại biểu", "cử tri", "hiệu trưởng", "phó hiệu trưởng", "tổ trưởng",
        "tổ phó", "nữ", "nam", "cụ", "thanh niên", "phụ nữ", "nông dân", "bệnh nhân", "đối tượng",
        "vận động viên", "hướng dẫn viên", "giảng viên", "báo cáo viên", "tuyên truyền viên",
        "kiểm soát viên", "thẩm phán", "kiểm sát viên", "luật sư", "doanh nhân", "nghệ nhân",
        "thương binh", "liệt sĩ", "cựu chiến binh", "hội viên nông dân", "học sinh giỏi", "lao động nữ",
        "người khuyết tật", "nhân viên y tế", "giáo viên dạy giỏi",
    ],
    "household": ["hộ", "hộ gia đình", "gia đình", "hộ dân", "hộ nghèo", "hộ cận nghèo", "nóc nhà"],
    "visit": ["lượt", "lượt người", "lượt hội viên", "lượt học viên", "lượt khách", "lượt truy cập",
              "lượt cán bộ", "lượt đoàn viên", "lượt người dân", "lượt thanh niên", "lượt học sinh"],
    "org": [
        "đơn vị", "đơn vị trường học", "trường", "trường học", "cơ quan", "tổ chức", "doanh nghiệp",
        "công ty", "hợp tác xã", "htx", "xã", "phường", "thị trấn", "xã, phường", "xã, phường, thị trấn",
        "thôn", "bản", "ấp", "làng", "xóm", "khu", "khu phố", "khu dân cư", "tổ dân phố", "tổ", "chi hội",
        "chi bộ", "đảng bộ", "câu lạc bộ", "clb", "trung tâm", "cơ sở", "nhà văn hóa", "nhà văn hoá",
        "thư viện", "tủ sách", "điểm trường", "cụm", "nhóm", "đội", "ban", "ngành", "hội", "trạm",
        "trạm y tế", "bệnh viện", "phòng khám", "cửa hàng", "chợ", "cơ sở giáo dục", "huyện",
        "quận", "thị xã", "thành phố", "tỉnh", "sở", "phòng", "chi đoàn", "chi nhánh",
    ],
    "event": [
        "lớp", "lớp học", "lớp tập huấn", "hội nghị", "hội thảo", "buổi", "cuộc", "đợt", "chuyên đề",
        "lần", "phiên", "giải", "trận", "khóa", "khoá", "hoạt động", "chương trình", "sự kiện",
        "cuộc thi", "hội thi", "chiến dịch", "phong trào", "buổi tập huấn", "buổi tuyên truyền",
        "cuộc kiểm tra", "cuộc thanh tra", "đoàn", "vụ", "vụ việc", "vụ án",
    ],
    "document": [
        "văn bản", "hồ sơ", "kế hoạch", "quyết định", "báo cáo", "công văn", "thủ tục",
        "thủ tục hành chính", "tthc", "đơn", "thư", "tin", "bài", "bài viết", "tin bài", "tài liệu",
        "cuốn", "đầu sách", "sách", "ấn phẩm", "tờ rơi", "khẩu hiệu", "băng rôn", "pano", "sáng kiến",
        "đề tài", "giấy chứng nhận", "thẻ", "sổ", "giấy phép", "kiến nghị", "ý kiến", "phản ánh",
    ],
    "item": [
        "chiếc", "cái", "bộ", "máy", "máy tính", "con", "cây", "căn", "ngôi nhà", "nhà", "phòng học",
        "phòng", "bàn", "ghế", "công trình", "dự án", "mô hình", "sản phẩm", "tuyến", "tuyến đường",
        "km đường", "xe", "tàu", "thuyền", "chỉ tiêu", "tiêu chí", "nhiệm vụ",
        "thửa", "thửa đất", "mốc", "mốc giới", "lô đất",
    ],
    "time": ["ngày", "tháng", "năm", "năm học", "giờ", "phút", "tuần", "quý", "tiết", "kỳ", "học kỳ",
             "tuổi", "nhiệm kỳ", "giây"],
    "money": ["đồng", "nghìn đồng", "ngàn đồng", "triệu đồng", "triệu", "tỷ đồng", "tỷ", "tỉ đồng",
              "tỉ", "nghìn tỷ", "nghìn tỷ đồng", "usd", "vnđ", "vnd", "đô la"],
    "measure": ["ha", "héc-ta", "hecta", "km", "km2", "km²", "m", "m2", "m²", "m3", "m³", "tấn", "tạ",
                "kg", "lít", "mét", "sào", "mẫu", "cm", "mm"],
}

# "đồng" is money unless it starts one of these ("03 đồng chí").
NOT_MONEY_AFTER_DONG = ("chí", "bào", "nghiệp", "hương", "môn", "đội", "ruộng", "bằng", "thời", "bộ")

MONEY_SCALE = {"nghìn tỷ": 1e12, "ngàn tỷ": 1e12, "tỷ": 1e9, "tỉ": 1e9, "triệu": 1e6,
               "nghìn": 1e3, "ngàn": 1e3}

# Heads that name a whole of any members of its kind ("20 đơn vị, gồm 8 trường học, 5 trạm y tế").
# Other wholes need a part that shares a word with them ("15 trường, trong đó 5 trường mầm non"):
# "51 quyết định, trong đó 109 thủ tục" counts two different things.
GENERIC_HEADS = frozenset({"đơn vị", "cơ sở", "tổ chức", "cơ quan", "văn bản", "tài liệu", "sản phẩm",
                           "công trình", "hoạt động", "lượt", "hộ", "gia đình", "hộ gia đình", "con",
                           "cái", "chiếc", "đầu mối", "điểm", "mô hình"})

# Kinds whose numbers count discrete things (so "8.28" before them cannot be a decimal).
COUNT_KINDS = frozenset({"person", "household", "visit", "org", "event", "document", "item"})

# Person words that describe a subset by an attribute, not a role in a partition:
# "120 hội viên, trong đó 45 nữ, 30 đảng viên" lists overlapping subsets.
ATTRIBUTE_WORDS = frozenset({
    "nữ", "nam", "đảng viên", "dân tộc", "dân tộc thiểu số", "người dân tộc thiểu số", "khuyết tật",
    "người khuyết tật", "cao tuổi", "người cao tuổi", "trẻ em", "thanh niên", "phụ nữ", "lao động nữ",
    "cựu chiến binh", "thương binh",
})

# Sets of parts that together make their whole (a declared partition).
PARTITIONS: list[frozenset[str]] = [frozenset(s) for s in (
    {"nam", "nữ"}, {"thành thị", "nông thôn"}, {"nội thành", "ngoại thành"},
    {"công lập", "ngoài công lập"}, {"công lập", "tư thục"}, {"trong nước", "nước ngoài"},
    {"trong nước", "ngoài nước"}, {"đạt", "chưa đạt"}, {"đạt", "không đạt"},
    {"đúng hạn", "quá hạn"}, {"trước hạn", "đúng hạn", "quá hạn"}, {"đúng hạn", "trễ hạn"},
    {"trước hạn", "đúng hạn", "trễ hạn"}, {"trực tuyến", "trực tiếp"}, {"có", "không"},
    {"đã giải quyết", "chưa giải quyết"}, {"đã giải quyết", "đang giải quyết"},
    {"hoàn thành", "chưa hoàn thành"}, {"nam", "nữ", "khác"},
)]

# Words before a number that make it approximate: no exact comparison is fair.
APPROX = ("khoảng", "gần", "trên", "hơn", "dưới", "ngót", "chừng", "xấp xỉ", "ước", "ước tính",
          "ước đạt", "hàng", "tới", "ít nhất", "tối thiểu", "tối đa", "hầu hết", "trên dưới", "non",
          "có thể", "dự kiến", "phấn đấu", "vượt")
# Approximation words that mark an estimate of the period's result, not a rough number: a
# report written before the period ends gives "ước đạt 9.215 triệu đồng" for the figure its
# table gives as "Ước thực hiện", so the two are the same figure and may be compared.
ESTIMATE = ("ước", "ước tính", "ước đạt", "ước thực hiện", "ước cả năm")
# Qualifiers that push a share above its number ("trên 100%").
ABOVE = ("trên", "hơn", "vượt", "ngoài")

# Words that make a number a label, not a quantity ("lớp 5", "lần thứ 3", "mức độ 2").
LABEL_BEFORE = ("thứ", "lớp", "khối", "mức độ", "mức", "độ", "loại", "hạng", "cấp", "số", "mục",
                "điểm", "khoản", "điều", "chương", "phần", "tiết", "giai đoạn", "khu", "tổ", "đội",
                "phụ lục", "biểu", "mẫu", "kỳ", "khóa", "khoá", "đợt", "quý", "tháng", "ngày", "năm",
                "năm học", "niên khóa", "nhiệm kỳ", "lúc", "version", "phiên bản", "covid", "top")
# Words ending in a label word that name a category, not a label ("trung cấp 85 người": a
# qualification level; "cấp 2" alone is a label).
NOT_LABEL_COMPOUNDS = ("trung cấp", "sơ cấp", "cao cấp", "thượng cấp", "trợ cấp", "địa điểm",
                       "trọng điểm", "thí điểm", "thời điểm", "đa số", "thiểu số", "dân số")
# The largest number a calendar label can carry ("tháng 12", "quý 4"): a larger one before a
# counted noun is a quantity ("đào tạo dưới 3 tháng 572 người" is not month 572).
LABEL_MAX = {"tháng": 12, "quý": 4, "ngày": 31, "tuần": 53, "học kỳ": 3, "kỳ": 12, "năm": 10}

# Context that makes a percentage a rate of completion or change, which may exceed 100.
RATE_CONTEXT = ("kế hoạch", "kh", "chỉ tiêu", "dự toán", "mục tiêu", "so với", "so cùng kỳ",
                "cùng kỳ", "năm trước", "năm ngoái", "kỳ trước", "tháng trước", "quý trước",
                "định mức", "nghị quyết", "kịch bản", "dự kiến", "tăng trưởng", "tốc độ", "nhiệm vụ",
                "yêu cầu", "giao", "được giao", "chỉ số", "bình quân", "so sánh", "gấp", "lần")
RATE_BEFORE = ("tăng", "giảm", "tăng trưởng", "gấp", "vượt", "bằng", "so với", "tốc độ", "đạt và vượt",
               "hoàn thành", "chỉ số", "lãi suất", "tăng thêm", "giảm thêm")
# Words right after a percentage that make it a share of a population ("105% số hộ").
SHARE_AFTER = ("số", "tổng số", "các", "những", "toàn bộ")
SHARE_BEFORE = ("chiếm", "chiếm tỷ lệ", "chiếm tỉ lệ")

# Words that introduce the parts of a whole in prose ("04 đồng chí gồm …", "…, trong đó …").
# ":" also does, after a number ("Tổng số 25 hồ sơ: 20 …"). "trong đó" lists may be partial.
PART_TRIGGERS = ("bao gồm", "gồm có", "gồm", "chia ra", "chia theo", "phân ra", "cụ thể là", "cụ thể",
                 "trong đó có", "trong đó")

# Words that end a unit phrase after a number.
UNIT_STOP = frozenset({
    "và", "với", "của", "trong", "tại", "là", "đạt", "được", "có", "cho", "theo", "so", "bằng",
    "chiếm", "gồm", "bao", "thuộc", "trên", "đã", "đang", "sẽ", "đều", "tham", "hoàn", "thực",
    "tổ chức", "vào", "từ", "đến", "tới", "về", "ở", "mà", "nhưng", "thì", "còn", "như", "do", "để",
    "tăng", "giảm", "hoặc", "hay", "cùng", "qua", "ra", "lên", "xuống", "năm", "tháng", "ngày",
    "chưa", "không", "nhằm", "trở", "cần", "phải", "mới", "vẫn", "nên", "dưới", "khoảng", "gần",
})
# Verbs/markers inside a part's phrase that make it a described subset, not a bare category.
SUBSET_MARKERS = ("có", "đạt", "được", "là", "tham gia", "hoàn thành", "thuộc", "đã", "chưa", "bị",
                  "không", "mắc", "sử dụng", "vay", "nhận")

# Column headers --------------------------------------------------------------------------------
ORDINAL_HEADERS = ("tt", "stt", "số tt", "số thứ tự", "thứ tự", "tt.", "no", "mã số", "mã")
PERCENT_HEADER_WORDS = ("tỷ lệ", "tỉ lệ", "%", "phần trăm")
NOT_SUM_HEADER_WORDS = (
    "bình quân", "trung bình", "bq", "đơn giá", "giá", "điểm", "hệ số", "chỉ số", "xếp hạng",
    "thứ hạng", "hạng", "xếp loại", "tốc độ", "tăng trưởng", "so sánh", "so với", "tăng/giảm",
    "tăng giảm", "năm sinh", "năm thành lập", "ghi chú", "số hiệu", "điện thoại", "ngày", "tuổi",
    "định mức", "mức", "thời gian", "thời hạn", "kỳ hạn", "lãi suất", "đvt", "đơn vị tính",
)
WHOLE_LEAVES = ("tổng số", "tổng", "tổng cộng", "cộng", "ts", "số lượng", "tổng số lượng", "chung",
                "toàn bộ", "tổng số (người)", "tổng số người")
OF_WHICH_HEADERS = ("trong đó", "trong đó:", "trong đó có", "tr.đó", "tr. đó", "t.đó")
BREAKDOWN_HEADERS = ("chia ra", "chia theo", "gồm", "bao gồm", "phân theo", "chia ra:")
AVERAGE_LABELS = ("bình quân", "trung bình", "tỷ lệ", "tỉ lệ")

# Stock and flow (balance_mismatch) -------------------------------------------------------------
# opening + inflows − outflows = closing. A phrase in a column header, a row name or the words
# around a number in prose gives the number its role; "stock" ("số dư", "dư nợ") is an opening
# at the start of a balance and a closing after its flows. Neutral phrases contain a role word
# without its meaning ("học sinh", "chi bộ", "6 tháng đầu năm") and block it.
BALANCE_ROLES: dict[str, tuple[str, ...]] = {
    "open": ("đầu kỳ", "đầu kì", "đầu năm", "đầu năm học", "đầu quý", "đầu tháng", "đầu đợt",
             "đầu khóa", "đầu khoá", "tồn đầu", "tồn đầu kỳ", "dư đầu", "dư đầu kỳ", "số dư đầu",
             "cũ chuyển qua", "cũ chuyển sang", "chuyển sang", "kỳ trước chuyển sang",
             "năm trước chuyển sang", "kỳ trước chuyển qua", "năm trước chuyển qua", "tồn cũ",
             "số cũ", "tồn kỳ trước", "mang sang", "số đầu năm", "số đầu kỳ"),
    "close": ("cuối kỳ", "cuối kì", "cuối năm", "cuối năm học", "cuối quý", "cuối tháng", "cuối đợt",
              "tồn cuối", "tồn cuối kỳ", "dư cuối", "dư cuối kỳ", "số dư cuối", "hiện có", "hiện còn",
              "còn lại", "hiện đang", "đến nay", "đến ngày", "tính đến", "đến thời điểm", "đến cuối",
              "tồn quỹ", "chuyển sang kỳ sau", "chuyển kỳ sau", "chuyển sang năm sau", "chuyển năm sau",
              "hiện nay", "còn", "số cuối năm", "số cuối kỳ", "đang giải quyết", "chưa giải quyết",
              "tồn đọng"),
    "stock": ("số dư", "dư nợ", "tồn", "tồn kho", "nguồn vốn", "số dư quỹ"),
    "in": ("kết nạp", "kết nạp mới", "tiếp nhận", "tiếp nhận mới", "chuyển đến", "chuyển về",
           "nhận", "nhận mới", "mới", "tăng", "tăng thêm", "tăng mới", "thu", "thu được", "tổng thu",
           "thu vào", "cho vay", "cho vay mới", "giải ngân", "nhập", "nhập kho", "tuyển mới",
           "tuyển sinh", "tuyển dụng", "phát sinh", "bổ sung", "đóng góp", "vận động được",
           "thụ lý mới", "tạm giam mới", "tạm giữ mới", "phát triển", "sinh", "tiếp nhận thêm",
           "vào viện", "nhập viện", "nhận thêm", "thu thêm", "phát sinh tăng"),
    "out": ("chuyển đi", "giảm", "giảm đi", "trưởng thành", "từ trần", "tử vong", "chết", "qua đời",
            "bỏ học", "thôi học", "nghỉ học", "xóa tên", "xoá tên", "khai trừ", "ra khỏi", "ra đảng",
            "chi", "tổng chi", "chi ra", "chi hỗ trợ", "thu hồi", "trả nợ", "giải quyết",
            "đã giải quyết", "xuất", "xuất kho", "tái hòa nhập", "tái hoà nhập", "hết hạn",
            "hết thời hạn", "trở về", "chuyển cơ sở khác", "chuyển trường", "ra trường", "thanh lý",
            "trả tự do", "nghỉ hưu", "nghỉ việc", "thôi việc", "chuyển công tác", "bàn giao",
            "chuyển thi hành án", "đình chỉ", "chi phí", "chi trả", "ra viện", "xuất viện",
            "chuyển viện", "chuyển tuyến", "chuyển ra", "chuyển khỏi", "thu nợ", "thu hồi nợ",
            "trả nợ gốc", "phát sinh giảm"),
}
BALANCE_NEUTRAL = ("học sinh", "sinh viên", "sinh hoạt", "sinh sống", "sinh kế", "sinh thái",
                   "chi bộ", "chi hội", "chi đoàn", "chi nhánh", "chi tiết", "chi cục",
                   "thu nhập", "thu hoạch", "thu gom", "thu hút", "thu thập", "thu hẹp", "tăng cường",
                   "tăng trưởng", "giảm nghèo", "giảm thiểu", "đổi mới", "làm mới", "xây mới",
                   "mới đây", "mới nhất", "tháng đầu năm", "tháng cuối năm", "quý đầu năm",
                   "còn thấp", "còn hạn chế", "còn nhiều", "vẫn còn", "còn tồn tại", "tồn tại",
                   "nhận thức", "nhận xét", "nhận định", "còn sống",
                   "xuất sắc", "xuất khẩu", "sản xuất", "đề xuất", "xuất hiện", "phát triển kinh tế",
                   "nhập ngũ", "nhập khẩu", "nhập học", "hội nhập", "thu nhập", "sinh nhật",
                   "giải quyết việc làm")
