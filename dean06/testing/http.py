"""Reading test-client responses."""

from __future__ import annotations

import io
import zipfile

from django.http import HttpResponseBase

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body_of(response: HttpResponseBase) -> bytes:
    """The whole body, streamed or not; for an XLSX file, the XML of its parts (cell text is stored there as
    UTF-8, so a name or an ID in the workbook can be searched for like in HTML).

    Reading a streamed response to its end lets the test client close it (with its connection handling); closing it
    again here would close the test's database connection."""
    streamed = response.streaming
    body = b"".join(response.streaming_content) if streamed else response.content  # type: ignore[attr-defined]
    if response.get("Content-Type", "").startswith(XLSX_TYPE):
        with zipfile.ZipFile(io.BytesIO(body)) as workbook:
            return b"".join(workbook.read(name) for name in workbook.namelist() if name.endswith(".xml"))
    return bytes(body)
