"""One fresh database per benchmark scenario, PostgreSQL or SQLite.

Each engine gets one template database migrated with `manage.py migrate`; every scenario
then starts from a copy of it (PostgreSQL `CREATE DATABASE ... TEMPLATE`, a file copy for
SQLite), which is much faster than migrating a dozen times and starts every run equal.
"""
import os
import shutil
import sqlite3

import psycopg

from bench.harness.processes import BENCH_VAR, manage, scenario_env

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_PREFIX = os.environ.get("BENCH_PG_PREFIX", "taskledger_bench")


def _pg_admin():
    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5)


def pg_available() -> bool:
    try:
        _pg_admin().close()
        return True
    except psycopg.Error:
        return False


def _pg_drop(conn, name: str) -> None:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Databases:
    """Creates the scenario databases and drops / deletes all of them at cleanup()."""

    def __init__(self):
        self._pg_names: list[str] = []
        self._pg_template = None
        self._sqlite_template = None
        self.sqlite_dir = BENCH_VAR / "db"

    # --- PostgreSQL -----------------------------------------------------------------------
    def postgres(self, name: str) -> str:
        """Return the URL of a fresh, migrated PostgreSQL database for scenario `name`."""
        with _pg_admin() as conn:
            if self._pg_template is None:
                template = f"{PG_PREFIX}_template"
                _pg_drop(conn, template)
                conn.execute(f'CREATE DATABASE "{template}"')
                self._pg_names.append(template)
                url = f"{PG_SERVER}/{template}"
                manage(self._migrate_env(url), "migrate", "--noinput")
                self._pg_template = template
            db = f"{PG_PREFIX}_{name}"
            _pg_drop(conn, db)
            conn.execute(f'CREATE DATABASE "{db}" TEMPLATE "{self._pg_template}"')
            self._pg_names.append(db)
        return f"{PG_SERVER}/{db}"

    # --- SQLite ---------------------------------------------------------------------------
    def sqlite(self, name: str) -> str:
        """Return the URL of a fresh, migrated SQLite file for scenario `name`."""
        self.sqlite_dir.mkdir(parents=True, exist_ok=True)
        if self._sqlite_template is None:
            template = self.sqlite_dir / "template.sqlite3"
            _sqlite_remove(template)
            manage(self._migrate_env(f"sqlite:///{template}"), "migrate", "--noinput")
            with sqlite3.connect(template) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._sqlite_template = template
        path = self.sqlite_dir / f"{name}.sqlite3"
        _sqlite_remove(path)
        shutil.copyfile(self._sqlite_template, path)
        return f"sqlite:///{path}"

    def _migrate_env(self, url: str) -> dict:
        return scenario_env(database_url=url, redis_url=None, cluster="bench-migrate",
                            workers=1, slots=1)

    def cleanup(self) -> None:
        if self._pg_names:
            try:
                with _pg_admin() as conn:
                    for name in reversed(self._pg_names):
                        _pg_drop(conn, name)
            except psycopg.Error as exc:
                print(f"bench: could not drop PostgreSQL databases: {exc}")
            self._pg_names.clear()
        shutil.rmtree(self.sqlite_dir, ignore_errors=True)


def _sqlite_remove(path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
