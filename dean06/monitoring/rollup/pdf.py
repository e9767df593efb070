"""The roll-up as a PDF: the document template rendered by WeasyPrint through public_services.signing.render,
with its vendored font and its fetcher, which refuses anything but local files and data: URIs."""

from __future__ import annotations

from django.template.loader import render_to_string

from dean06.monitoring.rollup.data import Rollup
from dean06.monitoring.rollup.text import labels
from dean06.public_services.signing.render import render_pdf


def rollup_pdf(rollup: Rollup) -> bytes:
    html = render_to_string("monitoring/rollup_pdf.html", {"rollup": rollup, "labels": labels()})
    return render_pdf(html)
