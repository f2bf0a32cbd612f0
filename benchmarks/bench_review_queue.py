"""The review queue at archive scale: 100 000 flags in PostgreSQL, pages timed through the app.

Fills a dedicated schema (default `bench`, in the PostgreSQL at 127.0.0.1:5432, database
`test`, dropped afterwards unless --keep) with N reports of F flags each — varied rules,
severities, statuses, offices, periods, one report in ten held by a second file (twins that
the queue lists once), a few doubtful flags — through the real schema (migrations 0001–0003)
and bulk inserts, then times what a reviewer's browser asks for, through the app (TestClient:
routing, queries and template rendering), each --repeat times: the queue's first page, a page
in the middle reached by keyset, a filtered page, a page filtered by words of the reports
(full-text), a flag page (with its neighbours and position), and the archivists' report search.
Prints the median and worst milliseconds, and the queries' plans with --explain. No asserts.

Usage: python benchmarks/bench_review_queue.py [--reports 5000] [--flags-per-report 20]
                                               [--repeat 5] [--schema bench] [--keep] [--explain]
"""
from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
RULES = [("total_mismatch", "error"), ("row_sum_mismatch", "error"), ("count_mismatch", "error"),
         ("malformed_number", "warning"), ("prose_table_mismatch", "warning"), ("ratio_mismatch", "warning"),
         ("implausible_percentage", "warning"), ("reference_mismatch", "warning"), ("missing_metadata", "info"),
         ("empty_section", "info"), ("numbering_error", "info")]
OFFICES = [f"Ủy ban nhân dân {kind} {name}" for kind in ("phường", "xã", "thị trấn")
           for name in ("Đức Chính", "Mạo Khê", "Hồng Phong", "Kim Sơn", "An Sinh", "Tràng An", "Xuân Sơn",
                        "Bình Dương", "Yên Thọ", "Hoàng Quế", "Việt Dân", "Tân Việt")]
WORDS = ("kết quả thực hiện nhiệm vụ trong kỳ báo cáo các chỉ tiêu cơ bản đạt và vượt kế hoạch đề ra "
         "công tác chỉ đạo điều hành được quan tâm thường xuyên tồn tại hạn chế nguyên nhân phương hướng "
         "thời gian tới tiếp tục tăng cường phối hợp các ban ngành đoàn thể").split()  # every report's filler
TOPICS = [t.split() for t in (  # each report is about one of these: a topic's words are in ~1 in 12
    "khuyến học khuyến tài xã hội học tập quỹ khuyến học", "tiêm chủng mở rộng trạm y tế dân số",
    "nông thôn mới giao thông thủy lợi", "nước sạch vệ sinh môi trường rác thải",
    "an ninh trật tự quốc phòng dân quân", "ngân sách thu chi đầu tư công", "hội phụ nữ thanh niên cựu chiến binh",
    "văn hóa thể thao thiết chế văn hóa", "cải cách hành chính một cửa dịch vụ công",
    "chuyển đổi số chính quyền điện tử", "giảm nghèo bảo trợ xã hội người có công", "đất đai xây dựng trật tự đô thị")]
STATUS_WEIGHTS = [("open", 70), ("confirmed", 12), ("dismissed", 10), ("corrected", 6), ("needs-review", 2)]


def fill(url: str, n_reports: int, per_report: int, seed: int = 7) -> dict:
    """Bulk-load the schema behind `url`; returns a few ids and values to time pages with."""
    from sqlalchemy import insert

    from outputs.db import get_engine
    from outputs.db.models import Document, DocumentVersion, FlagRow, ReportText, Run, User, utcnow
    from outputs.db.reportkey import flag_dup_keys
    from review.auth import hash_password

    rnd = random.Random(seed)
    engine = get_engine(url)  # migrates the new schema
    now = utcnow()
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    with engine.begin() as c:
        run_id = c.execute(insert(Run).values(source="/archive/inbox", extractor_version="bench", status="completed",
                                              started_at=now).returning(Run.id)).scalar_one()
        c.execute(insert(User).values(username="bench", password_hash=hash_password("bench password"),
                                      role="archivist", disabled=False, created_at=now))
        docs, versions, texts, flags = [], [], [], []
        doc_id = version_id = flag_id = 0
        for r in range(n_reports):
            office = rnd.choice(OFFICES)
            year = rnd.choice(range(2015, 2026))
            half = rnd.choice((1, 2))
            period = (f"{year}-01-01", f"{year}-06-30") if half == 1 else (f"{year}-07-01", f"{year}-12-31")
            label = f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {year}"
            key = "r:" + hashlib.sha1(f"{office}{r}".encode()).hexdigest()
            files = 2 if r % 10 == 0 else 1  # one report in ten: a scan beside the Word file
            rules = [rnd.choice(RULES) for _ in range(per_report // files if files == 1 else per_report // 2)]
            facts = [(rule, f"II.{rnd.randint(1, 5)}", rnd.choice(("Tổng số", "Nữ", "Kế hoạch", None)),
                      str(rnd.randint(1, 9999))) for rule, _sev in rules]
            dups = flag_dup_keys(key, facts)
            topic = TOPICS[r % len(TOPICS)]
            body = " ".join(rnd.choice(WORDS) for _ in range(400)) + " " + " ".join(topic * 5)
            for k in range(files):
                doc_id += 1
                version_id += 1
                ocr = k == 1
                fmt = "scanned_pdf" if ocr else rnd.choice(("docx", "pdf", "doc"))
                path = f"/archive/inbox/{year}/{office.split()[-1].lower()}-{r:05d}.{'scan.pdf' if ocr else fmt}"
                sha = hashlib.sha256(path.encode()).hexdigest()
                docs.append(dict(id=doc_id, path=path, sha256=sha, format=fmt, size=100_000, created_at=now,
                                 updated_at=now))
                versions.append(dict(
                    id=version_id, document_id=doc_id, sha256=sha, extractor_version="bench", is_current=True,
                    run_id=run_id, format=fmt, size=100_000, page_count=6, encoding="unicode", ocr=ocr,
                    document_type="báo cáo", title=f"Kết quả thực hiện nhiệm vụ {label}", issuer=office,
                    report_number=f"{r % 300 + 1}/BC-UBND", report_date=period[1], period_start=period[0],
                    period_end=period[1], period_label=label, report_key=key, loaded_at=now,
                    record={"metadata": {"period": {"label": label}}}))
                texts.append(dict(version_id=version_id, text=f"{office} {label}\n{body}"))
                for i, ((rule, sev), (_r, section, column, stated), dup) in enumerate(zip(rules, facts, dups)):
                    flag_id += 1
                    doubtful = ocr and rnd.random() < 0.3
                    flags.append(dict(
                        id=flag_id, version_id=version_id, ordinal=i, flag_key=f"{rule}:{i + 1}", rule=rule,
                        severity=sev, message=f"Bảng t1, cột «{column or 'Tổng'}»: ghi «{stated}», cộng được khác.",
                        message_en=f"Table t1, column “{column or 'Total'}”: says “{stated}”.",
                        section=section, table_key="t1", row=rnd.randint(0, 20), column=column, stated=stated,
                        computed=int(stated) + rnd.randint(1, 50), expected=None, table_value=None, suggestion=None,
                        sentence=None, location={}, related=[], culprit=False, evidence={},
                        status=rnd.choice(statuses), confidence=0.55 if doubtful else 1.0, doubtful=doubtful,
                        dup_key=dup))
        t0 = time.perf_counter()
        for table, rows in ((Document, docs), (DocumentVersion, versions), (ReportText, texts), (FlagRow, flags)):
            for i in range(0, len(rows), 5000):
                c.execute(insert(table), rows[i:i + 5000])
        for t in ("documents", "document_versions", "report_texts", "flags", "users", "runs"):
            c.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"
                              if t != "report_texts" else "SELECT 1")
    from outputs.db.reportkey import refresh_listed
    from sqlalchemy.orm import Session

    with Session(engine) as session, session.begin():  # which twin the queue lists, as the loader does
        refresh_listed(session, [f["dup_key"] for f in flags if versions[f["version_id"] - 1]["ocr"]])
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.exec_driver_sql("VACUUM ANALYZE")  # as autovacuum would after a bulk load
    print(f"loaded {len(docs)} files, {len(flags)} flags in {time.perf_counter() - t0:.1f} s", flush=True)
    return {"flags": len(flags), "some_flag": flags[len(flags) // 2]["id"], "office": OFFICES[3]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=5000)
    ap.add_argument("--flags-per-report", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--schema", default="bench")
    ap.add_argument("--keep", action="store_true", help="leave the schema in place")
    ap.add_argument("--explain", action="store_true", help="print the plans of the queue's queries")
    args = ap.parse_args()

    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine

    from outputs.db import engine as dbengine
    from outputs.db.models import FlagRow
    from review import queue as fq
    from review.app import create_app

    url = f"{PG}?options=-csearch_path%3D{args.schema}"
    admin = create_engine(PG)
    with admin.begin() as c:
        c.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{args.schema}" CASCADE')
    try:
        info = fill(url, args.reports, args.flags_per_report)
        app = create_app(url, secret="bench secret")
        with TestClient(app, base_url="http://testserver") as client:
            token = client.get("/login").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            r = client.post("/login", data={"username": "bench", "password": "bench password", "csrf_token": token},
                            follow_redirects=False)
            assert r.status_code == 303, r.text[:300]
            with app.state.sessions() as s:  # the flag half-way down the to-decide queue
                f = fq.FlagFilter(status="todo")
                keys = fq.order_keys(f)
                q = fq.filtered(s, f, FlagRow.id)
                middle = s.scalar(q.order_by(*((e.desc() if d else e.asc()) for e, d in keys))
                                  .offset(int(info["flags"] * 0.35)).limit(1))
                if args.explain:
                    from sqlalchemy.dialects import postgresql

                    page_q = fq._ordered(fq.filtered(s, f, FlagRow.id), keys).limit(101)
                    sql = str(page_q.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
                    for (line,) in s.connection().exec_driver_sql("EXPLAIN ANALYZE " + sql):
                        print("   ", line)
            pages = {
                "queue, first page": "/flags?status=todo",
                "queue, middle page (keyset)": f"/flags?status=todo&after={middle}",
                "queue, filtered (rule+severity+office+year)":
                    f"/flags?status=todo&rule=prose_table_mismatch&severity=warning&office={info['office']}&period=2020",
                "queue, sorted by office, descending": "/flags?sort=office&dir=desc",
                "queue, words of the report (full-text)": "/flags?status=todo&q=khuyen+hoc",
                "flag page (neighbours, position)": f"/flags/{info['some_flag']}?status=todo",
                "report search (full-text, ranked)": "/reports?q=nuoc+sach",
                "report search, common words (ranked)": "/reports?q=ket+qua+thuc+hien",
                "api: 1000 flags": "/api/flags?status=todo",
            }
            print(f"\n{info['flags']} flags, PostgreSQL, {args.repeat} runs each (ms: median / worst):")
            for name, path in pages.items():
                times = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    r = client.get(path)
                    times.append((time.perf_counter() - t0) * 1000)
                    assert r.status_code == 200, (path, r.status_code)
                print(f"  {name:48s} {statistics.median(times):7.0f} / {max(times):5.0f}", flush=True)
    finally:
        dbengine.dispose_engines()
        if not args.keep:
            with admin.begin() as c:
                c.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{args.schema}" CASCADE')
        admin.dispose()


if __name__ == "__main__":
    main()
