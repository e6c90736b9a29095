"""Revision 0004 brings procrastinate's queue and the ingest tables, and takes them all away."""

from sqlalchemy import Engine, inspect, text

from app import migrate

QUEUE_OBJECTS = """
SELECT (SELECT count(*) FROM pg_proc WHERE proname LIKE 'procrastinate%')
     + (SELECT count(*) FROM pg_type WHERE typname LIKE 'procrastinate%')
     + (SELECT count(*) FROM pg_class WHERE relname LIKE 'procrastinate%')
"""


def queue_objects(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text(QUEUE_OBJECTS)).scalar_one()


def test_upgrade_and_downgrade_of_the_job_queue(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine, "0004")
    tables = set(inspect(empty_engine).get_table_names())
    assert {"ingest_jobs", "ingest_job_files", "procrastinate_jobs"} <= tables
    assert queue_objects(empty_engine) > 0

    migrate.downgrade(empty_engine, "0003")
    tables = set(inspect(empty_engine).get_table_names())
    assert not {name for name in tables if name.startswith(("ingest_", "procrastinate_"))}
    assert queue_objects(empty_engine) == 0  # functions and types too, not only tables

    migrate.upgrade(empty_engine, "0004")
    assert "procrastinate_jobs" in inspect(empty_engine).get_table_names()
