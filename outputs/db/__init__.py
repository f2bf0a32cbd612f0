"""The database sink: SQLAlchemy 2 models, engines migrated on first use, the loader and the
review audit trail. SQLite by default (sqlite:///baocao.sqlite, or $BAOCAO_DB), PostgreSQL by URL."""
from outputs.db.engine import (  # noqa: F401
    DEFAULT_DB_URL, default_db_url, dispose_engines, get_engine, normalize_url, session_factory,
    session_scope, upgrade,
)
from outputs.db.loader import LoadResult, current_version, is_loaded, load_report  # noqa: F401
from outputs.db.models import (  # noqa: F401
    Base, Document, DocumentVersion, FigureRow, FlagRow, QuarantineEntry, ReferenceRow, ReviewDecision,
    Run, SectionRow, TableCell, TableRow, User,
)
from outputs.db.review import ReviewError, create_user, decisions_for, record_decision  # noqa: F401
from outputs.db.runs import add_quarantine, finish_run, start_run  # noqa: F401
