"""VietQR payloads (issue #5, fees): published examples reproduced to the CRC, round trips, refusals."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
import segno
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from dean06.public_services.payments import vietqr
from dean06.public_services.payments.vietqr import VietQR, VietQRError

# Published payloads with their CRCs: the npm packages napas-qr (README, a dynamic QR with bill number and
# purpose) and vietnam-qr-pay (README, the same account as a static and as a dynamic QR).
NAPAS_QR_EXAMPLE = (
    "00020101021238530010A0000007270123000697041601092245284790208QRIBFTTA53037045405100005802VN"
    "62340107NPS68690819TRANSFER TO SOMEONE6304AC13"
)
VIETNAM_QR_PAY_STATIC = "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F"
VIETNAM_QR_PAY_DYNAMIC = (
    "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN"
    "62150811Chuyen tien630453E6"
)


def test_the_crc_is_ccitt_false() -> None:
    assert vietqr.crc16_ccitt_false(b"123456789") == 0x29B1  # the catalogued check value of CRC-16/CCITT-FALSE


@pytest.mark.parametrize("payload", [NAPAS_QR_EXAMPLE, VIETNAM_QR_PAY_STATIC, VIETNAM_QR_PAY_DYNAMIC])
def test_published_examples_are_rebuilt_to_the_character(payload: str) -> None:
    assert vietqr.build(vietqr.parse(payload)) == payload


def test_a_published_example_decodes_field_by_field() -> None:
    assert vietqr.parse(NAPAS_QR_EXAMPLE) == VietQR(
        bank_bin="970416",
        account="224528479",
        amount_vnd=10000,
        bill_number="NPS6869",
        purpose="TRANSFER TO SOMEONE",
    )
    root = vietqr.fields(NAPAS_QR_EXAMPLE)
    assert list(root) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert root["01"] == vietqr.DYNAMIC and root["63"] == "AC13"
    merchant = vietqr.fields(root["38"])
    assert merchant == {"00": "A000000727", "01": "00069704160109224528479", "02": "QRIBFTTA"}
    assert vietqr.fields(merchant["01"]) == {"00": "970416", "01": "224528479"}
    assert vietqr.fields(root["62"]) == {"01": "NPS6869", "08": "TRANSFER TO SOMEONE"}


def test_a_static_qr_has_no_amount() -> None:
    assert vietqr.parse(VIETNAM_QR_PAY_STATIC).amount_vnd is None
    assert vietqr.fields(VIETNAM_QR_PAY_STATIC)["01"] == vietqr.STATIC


def test_a_fee_payment_qr_is_dynamic_and_carries_the_reference() -> None:
    payload = vietqr.build(
        VietQR(
            bank_bin="970415", account="8600000006", amount_vnd=50000, bill_number="PAY-HS-1-1", purpose="PAY-HS-1-1"
        )
    )
    assert payload.startswith("000201010212")
    assert "5405500005802VN" in payload
    assert payload[-8:-4] == "6304"
    assert vietqr.parse(payload).purpose == "PAY-HS-1-1"


@pytest.mark.parametrize(
    "payload",
    [
        NAPAS_QR_EXAMPLE[:-4] + "AC14",  # wrong CRC
        NAPAS_QR_EXAMPLE.replace("5405100005802", "5405900005802"),  # amount changed, CRC kept
        NAPAS_QR_EXAMPLE[:-8],  # no CRC field
        "",
    ],
)
def test_an_altered_payload_is_refused(payload: str) -> None:
    with pytest.raises(VietQRError):
        vietqr.parse(payload)


def _with_crc(body: str) -> str:
    return body + f"{vietqr.crc16_ccitt_false(body.encode()):04X}"


def test_a_payload_with_a_good_crc_but_not_a_napas_transfer_is_refused() -> None:
    other_guid = _with_crc(NAPAS_QR_EXAMPLE[:-4].replace("A000000727", "A000000677"))
    with pytest.raises(VietQRError, match="NAPAS GUID"):
        vietqr.parse(other_guid)
    dollars = _with_crc(NAPAS_QR_EXAMPLE[:-4].replace("5303704", "5303840"))
    with pytest.raises(VietQRError, match="currency"):
        vietqr.parse(dollars)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"bank_bin": "97041"}, "BIN"),
        ({"bank_bin": "٩٧٠٤١٥"}, "BIN"),  # Arabic-Indic digits are digits to Python, not to a bank
        ({"account": "12-34"}, "account"),
        ({"amount_vnd": 0}, "amount"),
        ({"purpose": "Nộp lệ phí"}, "diacritics"),
        ({"purpose": "X" * 26}, "at most 25"),
        ({"bill_number": "X" * 26}, "at most 25"),
    ],
)
def test_fields_a_bank_app_would_refuse_are_refused_when_building(fields: dict[str, object], message: str) -> None:
    values: dict[str, object] = {"bank_bin": "970415", "account": "8600000006", "amount_vnd": 1000, **fields}
    with pytest.raises(VietQRError, match=message):
        vietqr.build(VietQR(**values))  # type: ignore[arg-type]


_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=25)


@given(
    bank_bin=st.from_regex(r"\A[0-9]{6}\Z"),
    account=st.from_regex(r"\A[0-9A-Za-z]{1,19}\Z"),
    amount=st.none() | st.integers(min_value=1, max_value=10**13 - 1),
    bill_number=_text,
    purpose=_text,
)
def test_round_trip(bank_bin: str, account: str, amount: int | None, bill_number: str, purpose: str) -> None:
    qr = VietQR(bank_bin=bank_bin, account=account, amount_vnd=amount, bill_number=bill_number, purpose=purpose)
    assert vietqr.parse(vietqr.build(qr)) == qr


def test_the_svg_scans_back_to_the_payload() -> None:
    svg = vietqr.svg(NAPAS_QR_EXAMPLE)
    assert svg.startswith("<svg") and "<title>VietQR</title>" in svg
    assert vietqr.svg_data_uri(NAPAS_QR_EXAMPLE).startswith("data:image/svg+xml")
    # The SVG is segno's drawing of the same matrix; read that matrix back from a PNG of it.
    png = io.BytesIO()
    segno.make_qr(NAPAS_QR_EXAMPLE, error="m").save(png, kind="png", scale=4, border=4)
    png.seek(0)
    [read] = zxingcpp.read_barcodes(Image.open(png))
    assert read.text == NAPAS_QR_EXAMPLE


def test_the_payload_rules_import_no_django() -> None:
    # Pure like the ID-card rules (an import-linter contract can be added in pyproject.toml).
    tree = ast.parse(Path(vietqr.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if name.split(".")[0] in {"django", "dean06"}]
