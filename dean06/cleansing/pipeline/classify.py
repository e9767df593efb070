"""Turn match results into verdicts: class, confidence, Vietnamese reasons and per-field fixes from the registry."""

from __future__ import annotations

from typing import Final

import polars as pl

from dean06.cleansing.pipeline.match import (
    AMBIGUOUS,
    DIFFERS,
    DOB_MONTH_FIRST,
    DOB_SWAPPED,
    DOB_YEAR_ONLY,
    DOB_YEAR_TWO_DIGITS,
    ID_DIGIT,
    ID_OLD,
    MISSING,
    N_COMMUNE,
    N_DOB,
    N_GENDER,
    N_ID,
    N_NAME,
    N_OLD_ID,
    NOT_FOUND,
)
from dean06.cleansing.pipeline.schema import ROW, Field, RegistryColumn, ResultColumn, RowClass

R = RegistryColumn
RESULT_COLUMNS: Final = (
    ROW,
    ResultColumn.PERSONAL_ID,
    ResultColumn.CLASS,
    ResultColumn.CONFIDENCE,
    ResultColumn.REASONS,
    ResultColumn.FIXES,
)
_DAY: Final = "%d/%m/%Y"


def classify(matched: pl.DataFrame) -> pl.DataFrame:
    """One verdict per row (columns `RESULT_COLUMNS`), in the order of `matched`."""
    return matched.with_columns(_row_class().alias(ResultColumn.CLASS)).select(
        ROW,
        pl.col(R.PERSONAL_ID).alias(ResultColumn.PERSONAL_ID),
        ResultColumn.CLASS,
        _confidence().alias(ResultColumn.CONFIDENCE),
        _reasons().alias(ResultColumn.REASONS),
        _fixes().alias(ResultColumn.FIXES),
    )


def _needs_fix(agree_column: str) -> pl.Expr:
    return pl.col(agree_column).is_in([DIFFERS, MISSING])


def _row_class() -> pl.Expr:
    """Precedence: not_found, duplicate, deceased, fixable, exact; ambiguous when no person could be chosen."""
    fixable = pl.any_horizontal(
        _needs_fix(c) for c in ("agree_name", "agree_dob", "agree_gender", "agree_id", "agree_commune")
    )
    return (
        pl.when(pl.col("outcome") == NOT_FOUND)
        .then(pl.lit(RowClass.NOT_FOUND.value))
        .when(pl.col("outcome") == AMBIGUOUS)
        .then(pl.lit(RowClass.AMBIGUOUS.value))
        .when(pl.col("duplicate_of").is_not_null())
        .then(pl.lit(RowClass.DUPLICATE.value))
        .when(pl.col(R.STATUS) == "deceased")
        .then(pl.lit(RowClass.DECEASED.value))
        .when(fixable)
        .then(pl.lit(RowClass.FIXABLE.value))
        .otherwise(pl.lit(RowClass.EXACT.value))
    )


def _confidence() -> pl.Expr:
    """The chosen (or best) candidate's score; for not_found, how far the best candidate fell short of 1."""
    score = pl.col("score").fill_null(0.0)
    not_found = pl.col(ResultColumn.CLASS) == RowClass.NOT_FOUND.value
    return pl.when(not_found).then(1.0 - score).otherwise(score).round(4)


def _quoted(expr: pl.Expr) -> pl.Expr:
    return pl.concat_str(pl.lit("'"), expr.cast(pl.String()).fill_null(""), pl.lit("'"))


def _differs(template: str, typed: pl.Expr, registered: pl.Expr) -> pl.Expr:
    return pl.format(template, _quoted(typed), _quoted(registered))


def _reasons() -> pl.Expr:
    """Vietnamese text naming the verdict's cause and each field that differs or is missing."""
    typed_dob = pl.col(N_DOB).dt.strftime(_DAY)
    reg_dob = pl.col(R.DATE_OF_BIRTH).dt.strftime(_DAY)
    name = pl.col("agree_name")
    dob = pl.col("agree_dob")
    gender = pl.col("agree_gender")
    personal_id = pl.col("agree_id")
    commune = pl.col("agree_commune")
    class_ = pl.col(ResultColumn.CLASS)
    parts = [
        pl.when(class_ == RowClass.NOT_FOUND.value).then(pl.lit("Không tìm thấy trong CSDL dân cư")),
        pl.when(class_ == RowClass.AMBIGUOUS.value).then(
            pl.format("Nhiều người phù hợp ({}), cần cán bộ xác minh", pl.col("n_candidates"))
        ),
        pl.when(class_ == RowClass.DUPLICATE.value).then(pl.format("Trùng với dòng {}", pl.col("duplicate_of"))),
        pl.when(pl.col(R.STATUS) == "deceased").then(
            pl.format("Đã mất theo CSDL dân cư (ngày mất {})", pl.col(R.DEATH_DATE).dt.strftime(_DAY).fill_null("?"))
        ),
        pl.when(name == MISSING)
        .then(pl.lit("Thiếu họ tên"))
        .when(name == DIFFERS)
        .then(_differs("Họ tên khác: {} ≠ {}", pl.col(N_NAME), pl.col(R.FULL_NAME))),
        pl.when(dob == MISSING)
        .then(pl.lit("Thiếu ngày sinh"))
        .when(pl.col("dob_issue") == DOB_YEAR_ONLY)
        .then(pl.lit("Ngày sinh chỉ có năm"))
        .when(pl.col("dob_issue") == DOB_YEAR_TWO_DIGITS)
        .then(pl.format("Năm sinh chỉ ghi 2 chữ số, cần ghi đủ: {}", reg_dob))
        .when(pl.col("dob_issue") == DOB_MONTH_FIRST)
        .then(pl.format("Ngày sinh ghi tháng trước ngày, đúng là {}", reg_dob))
        .when(pl.col("dob_issue") == DOB_SWAPPED)
        .then(_differs("Ngày sinh đảo ngày và tháng: {} ≠ {}", typed_dob, reg_dob))
        .when(dob == DIFFERS)
        .then(_differs("Ngày sinh khác: {} ≠ {}", typed_dob, reg_dob)),
        pl.when(gender == MISSING)
        .then(pl.lit("Thiếu giới tính"))
        .when(gender == DIFFERS)
        .then(_differs("Giới tính khác: {} ≠ {}", pl.col(N_GENDER), pl.col(R.GENDER))),
        pl.when(personal_id == MISSING)
        .then(pl.lit("Thiếu số định danh cá nhân"))
        .when(pl.col("id_issue") == ID_OLD)
        .then(_differs("Số CMND 9 số cũ {}, người này đã có số định danh {}", pl.col(N_OLD_ID), pl.col(R.PERSONAL_ID)))
        .when(pl.col("id_issue") == ID_DIGIT)
        .then(_differs("Số định danh sai một chữ số: {} ≠ {}", pl.col(N_ID), pl.col(R.PERSONAL_ID)))
        .when(personal_id == DIFFERS)
        .then(_differs("Số định danh khác: {} ≠ {}", pl.col(N_ID), pl.col(R.PERSONAL_ID))),
        pl.when(commune == MISSING)
        .then(pl.lit("Thiếu xã/phường"))
        .when((commune == DIFFERS) & (pl.col(N_COMMUNE) == pl.col(R.COMMUNE_CODE)))
        .then(pl.lit("Địa chỉ dùng đơn vị hành chính trước 2025"))
        .when(commune == DIFFERS)
        .then(_differs("Xã/phường khác: {} ≠ {}", pl.col(N_COMMUNE), pl.col(R.COMMUNE_CODE))),
    ]
    return pl.concat_str(parts, separator="; ", ignore_nulls=True)


def _fixes() -> pl.Expr:
    """`field=value;…` with the registry's value for each field that differs or is missing (not for duplicates)."""
    fields = [
        ("agree_name", Field.FULL_NAME, pl.col(R.FULL_NAME)),
        ("agree_dob", Field.DATE_OF_BIRTH, pl.col(R.DATE_OF_BIRTH).dt.strftime("%Y-%m-%d")),
        ("agree_gender", Field.GENDER, pl.col(R.GENDER)),
        ("agree_id", Field.PERSONAL_ID, pl.col(R.PERSONAL_ID)),
        ("agree_commune", Field.COMMUNE, pl.col(R.COMMUNE_CODE)),
    ]
    duplicate = pl.col(ResultColumn.CLASS) == RowClass.DUPLICATE.value
    parts = [
        pl.when(_needs_fix(agree) & ~duplicate).then(pl.format(f"{field.value}={{}}", value))
        for agree, field, value in fields
    ]
    return pl.concat_str(parts, separator=";", ignore_nulls=True)
