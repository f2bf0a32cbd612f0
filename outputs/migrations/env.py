"""Alembic environment: migrate the connection handed over by outputs.db.engine.upgrade, or
connect to the URL of the config (`alembic -c outputs/migrations/alembic.ini -x db=URL …`)."""
from __future__ import annotations

from alembic import context

from outputs.db.models import Base, include_name

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    x = context.get_x_argument(as_dictionary=True)
    if x.get("db"):
        return x["db"]
    from outputs.db.engine import default_db_url

    url = config.get_main_option("sqlalchemy.url")
    return url or default_db_url()


def _configure(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True,
                      include_name=include_name)


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    from outputs.db.engine import create_engine_for

    engine = create_engine_for(_url())
    with engine.begin() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
