"""Write many rows fast, inside the caller's transaction: `COPY … FROM STDIN` on PostgreSQL (psycopg 3), batched
`executemany` INSERTs elsewhere (SQLite). Used by the registry import and the demo population loader."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import batched
from typing import Any

from django.db import connection
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter

Row = tuple[Any, ...]
BATCH_ROWS = 5000


def copy_sql(table: str, columns: Sequence[str]) -> sql.Composed:
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )


def insert_sql(table: str, columns: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    names, placeholders = ", ".join(map(quote, columns)), ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})"  # noqa: S608  names from code, not input


def write_rows(table: str, columns: Sequence[str], rows: Iterable[Row], *, batch_size: int = BATCH_ROWS) -> int:
    """Write `rows` (consumed lazily, so memory holds one batch) into `table`; returns how many were written."""
    written = 0
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        # One COPY for the whole stream; psycopg's writer thread sends while `rows` produces the next ones.
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(copy_sql(table, columns), writer=QueuedLibpqWriter(cursor)) as copy,
        ):
            for row in rows:
                copy.write_row(row)
                written += 1
        return written
    statement = insert_sql(table, columns)
    with connection.cursor() as cursor:
        for batch in batched(rows, batch_size):
            cursor.executemany(statement, batch)
            written += len(batch)
    return written
