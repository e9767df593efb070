"""Signed results: render (Vietnamese text survives), sign, verify, tamper, and the `dean06 pdf` command."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import random
import re
import stat
import threading
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier
from django.core.management import call_command
from django.core.management.base import CommandError
from pyhanko.pdf_utils.generic import ArrayObject, DictionaryObject, StreamObject
from pyhanko.pdf_utils.reader import PdfFileReader
from pytest_django.fixtures import Settings

from dean06.public_services.signing import authority
from dean06.public_services.signing.render import FONT_FAMILY, RenderError, render_pdf
from dean06.public_services.signing.sign import pdf_sign
from dean06.public_services.signing.verify import ReasonCode, pdf_verification, pdf_verify

TITLE = "Giấy khai sinh — Nguyễn Thị Hoà, Phường Long Đức"
PAGE = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{TITLE}</title></head>
<body><h1>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</h1><p>{TITLE}</p>
<p><b>Ký bởi: UBND tỉnh Vĩnh Long (SANDBOX)</b></p></body></html>"""
KEYS = {"signed", "intact", "valid", "trusted", "signer", "signed_at"}
NOT_SIGNED = {"signed": False, "intact": False, "valid": False, "trusted": False, "signer": None, "signed_at": None}
DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")


# One CA, one rendering and one signature for the whole module: RSA keys and WeasyPrint's first run are the slow part.
@pytest.fixture(scope="module")
def ca_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("signing")


@pytest.fixture(autouse=True)
def _signing_setting(settings: Settings, ca_dir: Path) -> None:
    settings.DEAN06_SIGNING_DIR = str(ca_dir)


@pytest.fixture(scope="module")
def unsigned_pdf() -> bytes:
    return render_pdf(PAGE)


@pytest.fixture(scope="module")
def signed_pdf(unsigned_pdf: bytes, ca_dir: Path) -> bytes:
    return pdf_sign(unsigned_pdf, directory=ca_dir)


def _text(pdf: bytes) -> tuple[str, set[str]]:
    """The text of every page through each font's ToUnicode map, and the fonts' names (no pypdf/poppler here)."""
    reader = PdfFileReader(BytesIO(pdf))
    lines: list[str] = []
    font_names: set[str] = set()
    kids = reader.root["/Pages"]["/Kids"]
    assert isinstance(kids, ArrayObject)
    for index in range(len(kids)):
        page = kids[index]  # indexing, unlike iterating, dereferences
        assert isinstance(page, DictionaryObject)
        contents = page["/Contents"]
        streams = list(contents) if isinstance(contents, ArrayObject) else [contents]
        content = b"".join(stream.data for stream in streams if isinstance(stream, StreamObject))
        to_unicode: dict[str, dict[str, str]] = {}
        fonts = page["/Resources"]["/Font"]
        assert isinstance(fonts, DictionaryObject)
        for key in fonts:
            font = fonts[key]
            assert isinstance(font, DictionaryObject)
            font_names.add(str(font["/BaseFont"]))
            cmap = font["/ToUnicode"]
            assert isinstance(cmap, StreamObject)
            # WeasyPrint writes two-byte codes as bfchar pairs: <glyph> <UTF-16BE>.
            to_unicode[str(key)] = {
                code.decode().lower(): bytes.fromhex(text.decode()).decode("utf-16-be")
                for code, text in re.findall(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>", cmap.data)
            }
        current: dict[str, str] = {}
        for font_key, hex_string, show in re.findall(rb"(/\S+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]+)>|(TJ|Tj)", content):
            if font_key:
                current = to_unicode[font_key.decode()]
            elif hex_string:
                codes = hex_string.decode().lower()
                lines.append("".join(current.get(codes[i : i + 4], "?") for i in range(0, len(codes), 4)))
            elif show:
                lines.append("\n")
    return "".join(lines), font_names


def _signature_contents_at(signed: bytes) -> int:
    """Where the signature's /Contents hex string starts: the end of the first signed byte range."""
    byte_range = re.search(rb"/ByteRange\s*\[\s*\d+\s+(\d+)", signed)
    assert byte_range is not None
    return int(byte_range[1])


def _flip_inside_signed_range(signed: bytes) -> bytes:
    """One bit changed in the first content stream: the file still parses, but the signed digest no longer holds."""
    position = signed.index(b"stream\n") + len(b"stream\n") + 5
    assert position < _signature_contents_at(signed)
    tampered = bytearray(signed)
    tampered[position] ^= 0x01
    return bytes(tampered)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, object], str]:
    try:
        call_command("pdf", *args)
        code = 0
    except SystemExit as exit_info:
        code = int(exit_info.code or 0)
    out, err = capsys.readouterr()
    result: dict[str, object] = json.loads(out)
    return code, result, err


def test_rendered_vietnamese_text_is_extractable_in_the_vendored_font(unsigned_pdf: bytes) -> None:
    text, fonts = _text(unsigned_pdf)
    assert TITLE in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in " ".join(text.split())  # the heading wraps
    # WeasyPrint names embedded fonts after the @font-face family: proof the vendored files, not the host's, were used.
    family = FONT_FAMILY.replace(" ", "-")
    assert fonts and all(name.endswith((family, f"{family}-Bold")) for name in fonts), fonts


def test_rendering_fetches_only_local_files_and_data_uris(tmp_path: Path) -> None:
    pixel = "data:image/gif;base64,R0lGODlhAQABAAAAACwAAAAAAQABAAACAkQBADs="
    assert render_pdf(f'<p>Ảnh <img src="{pixel}"></p>').startswith(b"%PDF-")
    with pytest.raises(RenderError, match="refused"):
        render_pdf('<img src="https://example.com/logo.png">')
    with pytest.raises(RenderError, match="refused"):
        render_pdf('<link rel="stylesheet" href="http://127.0.0.1:9/x.css"><p>x</p>')
    secret = tmp_path / "secret.css"
    secret.write_text("p { color: red }")
    with pytest.raises(RenderError, match="refused"):
        render_pdf(f'<link rel="stylesheet" href="{secret.as_uri()}"><p>x</p>')
    # The same file is fine once its directory is the document's base.
    assert render_pdf('<link rel="stylesheet" href="secret.css"><p>x</p>', base_dir=tmp_path).startswith(b"%PDF-")


def test_signed_result_verifies_as_trusted(signed_pdf: bytes) -> None:
    result = pdf_verify(signed_pdf)
    assert set(result) == KEYS
    assert result["signed"] and result["intact"] and result["valid"] and result["trusted"]
    assert result["signer"] == authority.DEFAULT_AGENCY
    assert result["signed_at"] is not None
    signed_at = dt.datetime.fromisoformat(result["signed_at"])
    assert abs(dt.datetime.now(dt.UTC) - signed_at) < dt.timedelta(minutes=10)
    verification = pdf_verification(signed_pdf)
    assert verification.ok and verification.readable and verification.reason.code is ReasonCode.OK
    assert TITLE in _text(signed_pdf)[0]  # signing appends; the page is untouched


def test_verifying_inside_a_running_event_loop_works(signed_pdf: bytes) -> None:
    """An async caller (or Playwright's sync API in a browser test) already runs a loop in the thread."""

    async def verify() -> bool:
        return pdf_verification(signed_pdf).ok

    assert asyncio.run(verify())


def test_a_flipped_byte_in_the_signed_range_fails(signed_pdf: bytes) -> None:
    verification = pdf_verification(_flip_inside_signed_range(signed_pdf))
    assert verification.result["signed"] is True
    assert verification.result["intact"] is False
    assert verification.result["valid"] is False  # pyHanko's own `valid` is still True here: not what we report
    assert verification.result["trusted"] is False
    assert verification.readable and verification.reason.code is ReasonCode.TAMPERED


def test_a_garbled_signature_is_signed_but_nothing_more(signed_pdf: bytes) -> None:
    header = _signature_contents_at(signed_pdf) + 3  # "<30 82 …": a digit of the CMS blob's DER header
    garbled = bytearray(signed_pdf)
    garbled[header] = ord("0") if garbled[header] != ord("0") else ord("1")
    verification = pdf_verification(bytes(garbled))
    assert verification.result == NOT_SIGNED | {"signed": True}
    assert verification.readable and verification.reason.code is ReasonCode.INVALID


def test_unsigned_pdf_is_a_clear_no(unsigned_pdf: bytes) -> None:
    verification = pdf_verification(unsigned_pdf)
    assert verification.result == NOT_SIGNED
    assert verification.readable and verification.reason.code is ReasonCode.UNSIGNED


@pytest.mark.parametrize(
    "mangle",
    [
        lambda pdf: random.Random(6).randbytes(4096),
        lambda pdf: pdf[: len(pdf) // 2],
        lambda pdf: pdf[:-40],
        lambda pdf: b"",
        lambda pdf: b"%PDF-1.7\n",
    ],
    ids=["random", "half", "no-trailer", "empty", "header-only"],
)
def test_unreadable_bytes_are_all_false_without_an_exception(
    unsigned_pdf: bytes, mangle: Callable[[bytes], bytes]
) -> None:
    verification = pdf_verification(mangle(unsigned_pdf))
    assert verification.result == NOT_SIGNED
    assert not verification.readable and verification.reason.code is ReasonCode.UNREADABLE
    assert verification.reason.vi and verification.reason.en


def test_a_truncated_signed_pdf_is_all_false(signed_pdf: bytes) -> None:
    # Cut inside the signature's revision, the file may still read as its earlier, unsigned revision.
    for cut in (len(signed_pdf) // 2, len(signed_pdf) - 40, len(signed_pdf) - 2000):
        assert pdf_verify(signed_pdf[:cut]) == NOT_SIGNED


def test_another_root_is_not_trusted_and_pyhanko_stays_quiet(
    signed_pdf: bytes, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    other_root = authority.root_ca(tmp_path).certificate
    verification = pdf_verification(signed_pdf, trust_roots=[other_root])
    assert verification.result["intact"] and verification.result["valid"]
    assert not verification.result["trusted"]
    assert verification.reason.code is ReasonCode.UNTRUSTED
    loud = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert loud == []
    assert any(record.exc_info for record in caplog.records if record.name.startswith("dean06"))  # kept, at DEBUG
    # No CA at all (a fresh installation): nothing to trust, and verifying does not create one.
    assert pdf_verify(signed_pdf, directory=tmp_path / "none")["trusted"] is False
    assert not (tmp_path / "none").exists()


def test_ca_is_created_once_and_reused(ca_dir: Path, signed_pdf: bytes) -> None:
    first, again = authority.agency_credentials(), authority.agency_credentials(directory=ca_dir)
    assert first.certificate == again.certificate and first.chain == again.chain
    assert authority.root_ca().certificate == first.chain[0]
    root = first.chain[0]
    assert root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == authority.ROOT_CA_NAME
    assert "SANDBOX" in root.subject.rfc4514_string()
    first.certificate.verify_directly_issued_by(root)
    usage = first.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    extended = first.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert DOCUMENT_SIGNING in extended and ExtendedKeyUsageOID.SERVER_AUTH not in extended
    keys = list(ca_dir.rglob(authority.KEY_FILE))
    assert len(keys) == 2
    assert all(stat.S_IMODE(key.stat().st_mode) == 0o600 for key in keys)
    assert not [path for path in ca_dir.rglob("*") if path.name.startswith(".")]  # no staging left behind


def test_concurrent_first_use_ends_with_one_certificate(tmp_path: Path) -> None:
    barrier = threading.Barrier(4)
    serials: list[int] = []

    def first_use() -> None:
        barrier.wait()
        serials.append(authority.agency_credentials(directory=tmp_path).certificate.serial_number)

    threads = [threading.Thread(target=first_use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(serials) == 4 and len(set(serials)) == 1
    assert len(list((tmp_path / "agencies").iterdir())) == 1


def test_each_agency_has_its_own_sandbox_certificate(unsigned_pdf: bytes) -> None:
    commune = authority.agency_credentials("UBND phường  Long Đức")
    name = commune.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert name == "UBND phường Long Đức (SANDBOX)"
    assert commune.certificate != authority.agency_credentials().certificate
    assert authority.agency_slug("UBND phường Long Đức").startswith("ubnd-phuong-long-duc-sandbox-")
    result = pdf_verify(pdf_sign(unsigned_pdf, agency="UBND phường Long Đức"))
    assert result["trusted"] and result["signer"] == name


def test_cli_verify_exit_codes(
    signed_pdf: bytes, unsigned_pdf: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "signed": signed_pdf,
        "tampered": _flip_inside_signed_range(signed_pdf),
        "unsigned": unsigned_pdf,
        "garbage": b"not a pdf at all",
    }
    for name, data in files.items():
        (tmp_path / f"{name}.pdf").write_bytes(data)

    code, result, err = _cli(capsys, "verify", str(tmp_path / "signed.pdf"))
    assert code == 0 and result["trusted"] is True and result["signer"] == authority.DEFAULT_AGENCY and err == ""

    code, result, err = _cli(capsys, "verify", str(tmp_path / "tampered.pdf"))
    assert code == 1 and result["signed"] is True and result["intact"] is False
    assert "thay đổi sau khi ký" in err and "changed after it was signed" in err

    code, result, err = _cli(capsys, "verify", str(tmp_path / "unsigned.pdf"))
    assert code == 1 and result == NOT_SIGNED and "not signed" in err

    for missing_or_unreadable in ("garbage.pdf", "missing.pdf"):
        code, result, err = _cli(capsys, "verify", str(tmp_path / missing_or_unreadable))
        assert code == 2 and result == NOT_SIGNED
        assert "Không đọc được" in err and ("not a readable PDF" in err or "cannot read" in err)
        assert "Traceback" not in err


def test_cli_sign_then_verify(unsigned_pdf: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(unsigned_pdf)
    call_command("pdf", "sign", str(source), str(target), "--agency", "UBND xã Long Hòa")
    assert json.loads(capsys.readouterr().out)["signer"] == "UBND xã Long Hòa (SANDBOX)"
    assert _cli(capsys, "verify", str(target))[0] == 0
    (tmp_path / "bad.pdf").write_bytes(b"nope")
    with pytest.raises(CommandError, match="PDF"):
        call_command("pdf", "sign", str(tmp_path / "bad.pdf"), str(target))


def test_a_long_joint_agency_name_still_gets_a_certificate(unsigned_pdf: bytes) -> None:
    """Joint procedures name several agencies; X.509 names stop at 64 characters."""
    agency = "UBND xã/phường; Công an xã/phường; cơ quan Bảo hiểm xã hội tỉnh Vĩnh Long"
    name = authority.sandbox_agency_name(agency)
    assert len(name.encode()) <= 64 and name.endswith("… (SANDBOX)")
    assert pdf_verify(pdf_sign(unsigned_pdf, agency=agency))["trusted"]
