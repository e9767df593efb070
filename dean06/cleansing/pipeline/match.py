"""Match each normalised sector row to the registry: by ID first, then by blocking + scoring (pure Polars).

Input contract (sector frame, produced by normalise; built by hand in tests):

- `row` int; `n_full_name` str|null (NFC, canonical_tone, title case); `q_full_name` one of
  exact/form/partial/missing/invalid ("partial": no diacritics);
- `n_date_of_birth` Date|null; `n_birth_year` int|null (set when only the year is known);
  `q_date_of_birth` one of exact/form/partial/ambiguous_date/swapped/missing/invalid;
- `n_personal_id` str|null: 12 digits when `q_personal_id` is exact/form, the digits as typed when it is
  "invalid" (so a missing digit can still be matched), null when missing; `n_old_id` 9-digit str|null;
- `n_gender` "Nam"/"Nữ"/null; `n_commune_code` 2025 5-digit code|null; `n_commune_era` "2025"/"pre2025"/null.

Registry frame: the `RegistryColumn` columns. Output: one row per sector row (see `MATCH_COLUMNS`);
`match_with_candidates` adds the best candidates of the rows an officer should review (`CANDIDATES_SCHEMA`), and
`match_details` projects the per-row agreement for the review queue (`DETAILS_SCHEMA`).
"""

from __future__ import annotations

from typing import Final

import polars as pl
from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

from dean06.cleansing.pipeline.config import MatchConfig
from dean06.cleansing.pipeline.schema import ROW, Field, RegistryColumn, normalized, quality
from dean06.text import fold

R = RegistryColumn
N_NAME: Final = normalized(Field.FULL_NAME)
N_DOB: Final = normalized(Field.DATE_OF_BIRTH)
N_ID: Final = normalized(Field.PERSONAL_ID)
N_OLD_ID: Final = normalized(Field.OLD_ID)
N_GENDER: Final = normalized(Field.GENDER)
N_COMMUNE: Final = "n_commune_code"
N_ERA: Final = "n_commune_era"
N_YEAR: Final = "n_birth_year"
Q_NAME: Final = quality(Field.FULL_NAME)
Q_DOB: Final = quality(Field.DATE_OF_BIRTH)
Q_ID: Final = quality(Field.PERSONAL_ID)

SECTOR_SCHEMA: Final = pl.Schema(
    {
        ROW: pl.Int64(),
        N_NAME: pl.String(),
        Q_NAME: pl.String(),
        N_DOB: pl.Date(),
        N_YEAR: pl.Int64(),
        Q_DOB: pl.String(),
        N_ID: pl.String(),
        N_OLD_ID: pl.String(),
        Q_ID: pl.String(),
        N_GENDER: pl.String(),
        N_COMMUNE: pl.String(),
        N_ERA: pl.String(),
    }
)
_REGISTRY_TYPES: dict[str, pl.DataType] = {
    R.PERSON_ID: pl.Int64(),
    R.PERSONAL_ID: pl.String(),
    R.OLD_ID: pl.String(),
    R.FULL_NAME: pl.String(),
    R.NAME_KEY: pl.String(),
    R.DATE_OF_BIRTH: pl.Date(),
    R.GENDER: pl.String(),
    R.COMMUNE_CODE: pl.String(),
    R.LEGACY_COMMUNE_CODE: pl.String(),
    R.STATUS: pl.String(),
    R.DEATH_DATE: pl.Date(),
}
REGISTRY_SCHEMA: Final = pl.Schema(_REGISTRY_TYPES)

# Agreement of one field with the chosen person.
AGREE: Final = "agree"  # identical
FORM: Final = "form"  # identical after normalisation (the raw value differed only in form)
DIFFERS: Final = "differs"  # content differs → fixable
MISSING: Final = "missing"  # absent in the sector row → fixable

# Match outcome before classification.
MATCHED: Final = "matched"
AMBIGUOUS: Final = "ambiguous"
NOT_FOUND: Final = "not_found"

# Why a date of birth or an ID differs (for the reasons text).
DOB_SWAPPED: Final = "swapped"
DOB_YEAR_ONLY: Final = "year_only"
DOB_YEAR_TWO_DIGITS: Final = "year_two_digits"  # the right date, but typed d/m/yy: the century was guessed
DOB_MONTH_FIRST: Final = "month_first"  # the right date, typed month first (05/25/1990): only that reading is real
ID_OLD: Final = "old_id"  # the old 9-digit ID was given, the person has a 12-digit one
ID_DIGIT: Final = "digit"  # one digit wrong, transposed, missing or extra

AGREE_COLUMNS: Final = ("agree_name", "agree_dob", "agree_gender", "agree_id", "agree_commune")
MATCH_COLUMNS: Final = (
    *SECTOR_SCHEMA,
    "outcome",
    "n_candidates",
    "score",
    "second_score",
    *REGISTRY_SCHEMA,
    *AGREE_COLUMNS,
    "dob_issue",
    "id_issue",
    "duplicate_of",
)
_AGREE_TYPES: dict[str, pl.DataType] = dict.fromkeys(AGREE_COLUMNS, pl.String())
# Per sector row: the chosen person's field agreement (null when none was chosen), the earlier row it repeats and
# the row's resolved 2025 commune.
DETAILS_SCHEMA: Final = pl.Schema(
    {ROW: pl.Int64(), **_AGREE_TYPES, "duplicate_of": pl.Int64(), "commune_code": pl.String()}
)
# Per row to review (ambiguous, or chosen under `review_below`): its best candidates, rank 1 the best.
CANDIDATES_SCHEMA: Final = pl.Schema(
    {ROW: pl.Int64(), "rank": pl.Int64(), "personal_id": pl.String(), "score": pl.Float64(), **_AGREE_TYPES}
)


def match(sector: pl.DataFrame, registry: pl.DataFrame, config: MatchConfig) -> pl.DataFrame:
    """One row per sector row: the chosen registry person (or nulls), how each field agrees, the score."""
    return _match(sector, registry, config, review=False)[0]


def match_with_candidates(
    sector: pl.DataFrame, registry: pl.DataFrame, config: MatchConfig
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`match`'s frame and the review candidates (`CANDIDATES_SCHEMA`): for each ambiguous row and each row whose
    chosen person scored under `config.review_below`, its best `config.review_candidates` candidates scoring at
    least `config.floor`, ordered by row and rank (ties in the order `match` breaks them)."""
    return _match(sector, registry, config, review=True)


def match_details(matched: pl.DataFrame) -> pl.DataFrame:
    """`DETAILS_SCHEMA` from `match`'s frame: one row per sector row, in its order."""
    return matched.select(ROW, *AGREE_COLUMNS, "duplicate_of", pl.col(N_COMMUNE).alias("commune_code")).cast(
        DETAILS_SCHEMA
    )


def _match(
    sector: pl.DataFrame, registry: pl.DataFrame, config: MatchConfig, *, review: bool
) -> tuple[pl.DataFrame, pl.DataFrame]:
    sector = _prepare_sector(sector.select(list(SECTOR_SCHEMA)).cast(SECTOR_SCHEMA))
    registry = _prepare_registry(registry.select(list(REGISTRY_SCHEMA)).cast(REGISTRY_SCHEMA))
    sector, registry, keys = _encode_names(sector, registry)
    # Rows go through in slices: the candidate pairs of one slice at a time bound the peak memory.
    scored_parts, resolved_parts = [], []
    words = registry.select(R.PERSON_ID, R.DATE_OF_BIRTH, "r_words").explode("r_words")  # once for every slice
    for start in range(0, max(sector.height, 1), config.chunk_rows):
        part = sector.slice(start, config.chunk_rows)
        by_id = _score(_id_pairs(part, registry), part, registry, keys, config)
        resolved_part = by_id.filter(pl.col("score") >= config.accept).select(ROW).unique()
        open_rows = part.join(resolved_part, on=ROW, how="anti")
        blocked = _score(_block_pairs(open_rows, registry, words), part, registry, keys, config)
        scored_parts.append(pl.concat([by_id, blocked.join(by_id, on=[ROW, R.PERSON_ID], how="anti")]))
        resolved_parts.append(resolved_part)
    scored, resolved = pl.concat(scored_parts), pl.concat(resolved_parts)
    del scored_parts, resolved_parts  # concat shares the parts' buffers: drop them so `del scored` frees the pairs
    scored, second = _second_chance(sector, registry, keys, scored, config)
    chosen = _choose(scored, resolved, second, config)
    candidates = _review_candidates(scored, chosen, registry, config) if review else CANDIDATES_SCHEMA.to_frame()
    del scored  # the scored pairs are the bulk of the memory: free them before the final joins
    result = (
        sector.join(chosen, on=ROW, how="left")
        .join(registry.select(list(REGISTRY_SCHEMA)), on=R.PERSON_ID, how="left")
        .with_columns(pl.col("n_candidates").fill_null(0), pl.col("outcome").fill_null(NOT_FOUND))
    )
    return _mark_duplicates(result).sort(ROW).select(MATCH_COLUMNS), candidates


def _fold_column(values: pl.Series) -> pl.Series:
    mapping = {v: fold(v) for v in values.drop_nulls().unique().to_list()}
    return values.replace_strict(mapping, default=None, return_dtype=pl.String())


def _name_keys(keys: pl.Series, prefix: str) -> pl.DataFrame:
    """Per distinct folded name: the given name (last word), the distinct words, and the letters sorted with spaces
    dropped (the same for the given name first and for words run together). Names repeat: computed once each."""
    key = pl.col(f"{prefix}_key")
    words = key.str.split(" ")
    return (
        keys.drop_nulls()
        .unique()
        .alias(f"{prefix}_key")
        .to_frame()
        .with_columns(
            words.list.last().alias(f"{prefix}_last"),
            words.list.unique().alias(f"{prefix}_words"),
            key.str.replace_all(" ", "").str.split("").list.sort().list.join("").alias(f"{prefix}_anagram"),
        )
    )


def _prepare_sector(sector: pl.DataFrame) -> pl.DataFrame:
    dob = pl.col(N_DOB)
    swapped = pl.format("{}-{}-{}", dob.dt.year(), dob.dt.day(), dob.dt.month()).str.to_date("%Y-%m-%d", strict=False)
    sector = sector.with_columns(
        s_key=_fold_column(sector[N_NAME]),
        s_year=pl.coalesce(dob.dt.year().cast(pl.Int64()), pl.col(N_YEAR)),
        s_swapped=pl.when(dob.dt.day() != dob.dt.month()).then(swapped),
    )
    return sector.join(_name_keys(sector["s_key"], "s"), on="s_key", how="left", maintain_order="left")


def _prepare_registry(registry: pl.DataFrame) -> pl.DataFrame:
    keys = _name_keys(registry[R.NAME_KEY], "r").rename({"r_key": R.NAME_KEY})
    return registry.with_columns(r_year=pl.col(R.DATE_OF_BIRTH).dt.year().cast(pl.Int64())).join(
        keys, on=R.NAME_KEY, how="left", maintain_order="left"
    )


def _pairs(left: pl.DataFrame, right: pl.DataFrame, left_on: list[str], right_on: list[str]) -> pl.LazyFrame:
    keys_left = left.lazy().select(ROW, *left_on).drop_nulls()
    keys_right = right.lazy().select(R.PERSON_ID, *right_on).drop_nulls()
    return keys_left.join(keys_right, left_on=left_on, right_on=right_on).select(ROW, R.PERSON_ID)


def _word_pairs(sector: pl.DataFrame, words: pl.DataFrame, date_column: str) -> pl.LazyFrame:
    """Candidates born on the row's date (`date_column`) sharing at least one folded name word with it: a
    misspelt, reordered or run-together name keeps a word, and a date of birth is shared by ~30 people per million
    where a word and a date are shared by a handful. `words`: one registry row per (person, date of birth, word)."""
    left = sector.lazy().select(ROW, date_column, "s_words").drop_nulls().explode("s_words")
    return left.join(words.lazy(), left_on=[date_column, "s_words"], right_on=[R.DATE_OF_BIRTH, "r_words"]).select(
        ROW, R.PERSON_ID
    )


def _id_pairs(sector: pl.DataFrame, registry: pl.DataFrame) -> pl.LazyFrame:
    valid = sector.filter(pl.col(Q_ID).is_in(["exact", "form"]))
    return pl.concat(
        [_pairs(valid, registry, [N_ID], [R.PERSONAL_ID]), _pairs(sector, registry, [N_OLD_ID], [R.OLD_ID])]
    )


def _block_pairs(sector: pl.DataFrame, registry: pl.DataFrame, words: pl.DataFrame) -> pl.LazyFrame:
    """Candidates sharing a name word and the date of birth (also with day and month swapped), or the letters of
    the folded name (so also reordered or run-together words) and the birth year, or the given name, birth year,
    gender and commune, or the folded name and the commune: a wrong ID, a reordered or misspelt name, a year only
    each still hits a block, and no block grows with the registry as "given name + birth year" did."""
    return pl.concat(
        [
            _word_pairs(sector, words, N_DOB),
            _word_pairs(sector, words, "s_swapped"),
            _pairs(sector, registry, ["s_anagram", "s_year"], ["r_anagram", "r_year"]),
            _pairs(
                sector,
                registry,
                ["s_last", "s_year", N_GENDER, N_COMMUNE],
                ["r_last", "r_year", R.GENDER, R.COMMUNE_CODE],
            ),
            _pairs(sector, registry, ["s_key", N_COMMUNE], [R.NAME_KEY, R.COMMUNE_CODE]),
        ]
    )


def _second_chance(
    sector: pl.DataFrame, registry: pl.DataFrame, keys: pl.DataFrame, scored: pl.DataFrame, config: MatchConfig
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rows whose best candidate so far stays under `accept` (few: mostly absent people, and rows with two or
    three errors at once and no usable ID, such as a wrong letter plus a year-only date, that missed every block)
    get wider blocks (`_second_pairs`), scored alike. Returns the scored pairs with the new ones and those rows."""
    best = scored.group_by(ROW).agg(pl.col("score").max())
    open_rows = sector.join(best.filter(pl.col("score") >= config.accept), on=ROW, how="anti")
    pairs = _second_pairs(open_rows, registry).collect(engine="streaming")
    # A row in a crowded commune and year may meet hundreds of persons: keep the rows whose block stays bounded.
    pairs = pairs.filter(pl.len().over(ROW) <= config.second_chance_block)
    extra = _score(pairs.lazy(), open_rows, registry, keys, config).join(scored, on=[ROW, R.PERSON_ID], how="anti")
    # Most of these candidates score under `floor` and can neither be chosen nor make a row ambiguous: keep only a
    # row's best of them (its not-found score), so the wider blocks add little to the pairs held until the end.
    extra = extra.filter((pl.col("score") >= config.floor) | (pl.col("score") == pl.col("score").max().over(ROW)))
    return pl.concat([scored, extra]), open_rows.select(ROW)


def _second_pairs(sector: pl.DataFrame, registry: pl.DataFrame) -> pl.LazyFrame:
    """Wider blocks, cheap because only a few rows come here: the same resolved commune and birth year and at least
    one shared folded name word (any name error but a fully rewritten name, any ID error); the same surname, given
    name and birth year (a wrong or missing commune); the same commune and date of birth (no word left intact, as
    with words run together plus a wrong letter in the third)."""
    sector = sector.with_columns(s_first=pl.col("s_key").str.split(" ").list.first())
    places = sector.select(pl.col(N_COMMUNE).alias(R.COMMUNE_CODE), pl.col("s_year").alias("r_year")).drop_nulls()
    words = (
        registry.lazy()
        .join(places.lazy().unique(), on=[R.COMMUNE_CODE, "r_year"], how="semi")  # only the places asked about
        .select(R.PERSON_ID, R.COMMUNE_CODE, "r_year", "r_words")
        .explode("r_words")
    )
    left = sector.lazy().select(ROW, N_COMMUNE, "s_year", "s_words").drop_nulls().explode("s_words")
    by_place = left.join(
        words, left_on=[N_COMMUNE, "s_year", "s_words"], right_on=[R.COMMUNE_CODE, "r_year", "r_words"]
    ).select(ROW, R.PERSON_ID)
    registry_first = registry.select(
        R.PERSON_ID, "r_last", "r_year", r_first=pl.col(R.NAME_KEY).str.split(" ").list.first()
    )
    by_name = _pairs(sector, registry_first, ["s_first", "s_last", "s_year"], ["r_first", "r_last", "r_year"])
    by_date = _pairs(sector, registry, [N_COMMUNE, N_DOB], [R.COMMUNE_CODE, R.DATE_OF_BIRTH])
    return pl.concat([by_place, by_name, by_date]).unique()


def _encode_names(sector: pl.DataFrame, registry: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Number the distinct folded names and the distinct names of both frames, so that millions of candidate pairs
    carry two integers each instead of four strings; returns the frames with the codes and the folded-name table."""
    keys = pl.concat([sector["s_key"], registry[R.NAME_KEY]]).drop_nulls().unique().alias("key").to_frame()
    keys = keys.with_row_index("key_code")
    names = pl.concat([sector[N_NAME], registry[R.FULL_NAME]]).drop_nulls().unique().alias("name").to_frame()
    names = names.with_row_index("name_code")

    def coded(frame: pl.DataFrame, key: str, name: str, prefix: str) -> pl.DataFrame:
        return frame.join(
            keys.rename({"key": key, "key_code": f"{prefix}_key_code"}), on=key, how="left", maintain_order="left"
        ).join(
            names.rename({"name": name, "name_code": f"{prefix}_name_code"}), on=name, how="left", maintain_order="left"
        )

    return coded(sector, "s_key", N_NAME, "s"), coded(registry, R.NAME_KEY, R.FULL_NAME, "r"), keys


# The columns the first, cheap scoring step reads: all but the names, which come as codes after the floor filter.
_SCORE_SECTOR: Final = (ROW, N_DOB, N_YEAR, Q_DOB, "s_swapped", N_ID, N_OLD_ID, Q_ID, N_GENDER, N_COMMUNE, N_ERA)
_SCORE_REGISTRY: Final = (R.PERSON_ID, R.DATE_OF_BIRTH, R.GENDER, R.COMMUNE_CODE, R.PERSONAL_ID, R.OLD_ID)


def _score(
    pairs: pl.LazyFrame, sector: pl.DataFrame, registry: pl.DataFrame, keys: pl.DataFrame, config: MatchConfig
) -> pl.DataFrame:
    """Per-field agreement and the weighted score of each distinct (row, candidate) pair."""
    rest = (
        pl.col("p_dob") * config.weight_dob
        + pl.col("p_gender") * config.weight_gender
        + pl.col("p_commune") * config.weight_commune
    )
    # A candidate that stays under `floor` even with a perfect name and a one-digit ID typo can neither be chosen nor
    # make a row ambiguous: drop it before the costly per-pair comparisons (most of a big block goes here).
    frame = (
        pairs.unique()
        .join(sector.lazy().select(_SCORE_SECTOR), on=ROW)
        .join(registry.lazy().select(_SCORE_REGISTRY), on=R.PERSON_ID)
        .with_columns(*_dob(), *_gender(), *_commune(), _id_points(pl.col(N_ID).is_not_null()))
        .filter(rest + config.weight_name + pl.col("p_id") * config.weight_id >= config.floor)
        .join(sector.lazy().select(ROW, Q_NAME, "s_key_code", "s_name_code"), on=ROW)
        .join(registry.lazy().select(R.PERSON_ID, "r_key_code", "r_name_code"), on=R.PERSON_ID)
        .collect(engine="streaming")
    )
    # rapidfuzz's bulk cdist needs numpy, which the project does not ship: loop over the distinct pairs of differing
    # folded names only (names repeat, and most candidates found by ID carry the registry's name).
    codes = (
        frame.select("s_key_code", "r_key_code")
        .drop_nulls()
        .filter(pl.col("s_key_code") != pl.col("r_key_code"))
        .unique()
        .join(keys.rename({"key_code": "s_key_code", "key": "typed"}), on="s_key_code")
        .join(keys.rename({"key_code": "r_key_code", "key": "registered"}), on="r_key_code")
    )
    similarity = [_name_similarity(a, b) for a, b in zip(codes["typed"], codes["registered"], strict=True)]
    codes = codes.select("s_key_code", "r_key_code", name_sim=pl.Series(similarity, dtype=pl.Float64()))
    ids = frame.select(N_ID, R.PERSONAL_ID).drop_nulls().filter(pl.col(N_ID) != pl.col(R.PERSONAL_ID)).unique()
    distance = [DamerauLevenshtein.distance(a, b) for a, b in zip(ids[N_ID], ids[R.PERSONAL_ID], strict=True)]
    ids = ids.with_columns(id_distance=pl.Series(distance, dtype=pl.Int64()))
    frame = (
        frame.join(codes, on=["s_key_code", "r_key_code"], how="left")
        .join(ids, on=[N_ID, R.PERSONAL_ID], how="left")
        .with_columns(
            name_sim=pl.when(pl.col("s_key_code") == pl.col("r_key_code"))
            .then(1.0)
            .otherwise(pl.col("name_sim").fill_null(0.0)),
            id_distance=pl.when(pl.col(N_ID) == pl.col(R.PERSONAL_ID)).then(0).otherwise(pl.col("id_distance")),
        )
    )
    frame = frame.with_columns(*_name(config), *_id())
    total = rest + pl.col("p_name") * config.weight_name + pl.col("p_id") * config.weight_id
    # A few digits off still reads as the candidate's ID mistyped, not as somebody else's (`_choose`'s second chance).
    close = (pl.col("id_distance") <= config.second_id_digits).fill_null(value=False).alias("id_close")
    return frame.with_columns(score=total.round(4)).select(
        ROW, R.PERSON_ID, "score", *AGREE_COLUMNS, "dob_issue", "id_issue", close
    )


def _name_similarity(typed: str, registered: str) -> float:
    """Word order is ignored (given name first) and so are spaces (two words run together, also with the given
    name first); the plain ratio keeps a wrong first letter from reordering the sorted words."""
    if typed == registered:
        return 1.0
    similarity = max(fuzz.ratio(typed, registered), fuzz.token_sort_ratio(typed, registered))
    if typed.count(" ") != registered.count(" "):
        joined = registered.replace(" ", "")
        words = typed.split(" ")
        similarity = max(
            similarity,
            fuzz.ratio(typed.replace(" ", ""), joined),
            fuzz.ratio("".join(words[1:] + words[:1]), joined),
        )
    return similarity / 100


def _form_or_agree(q_column: str) -> pl.Expr:
    return pl.when(pl.col(q_column).is_in(["form", "ambiguous_date"])).then(pl.lit(FORM)).otherwise(pl.lit(AGREE))


def _name(config: MatchConfig) -> list[pl.Expr]:
    same = pl.col("s_name_code") == pl.col("r_name_code")
    scaled = ((pl.col("name_sim") - config.name_candidate) / (1 - config.name_candidate)).clip(0, 1)
    # Identical content beats identical fold, so "Minh" and "Mạnh" (twins) stay apart even when typed without marks.
    points = pl.when(same).then(1.0).when(pl.col("s_name_code").is_null()).then(0.0).otherwise(0.95 * scaled)
    agree = pl.when(pl.col("s_name_code").is_null()).then(pl.lit(MISSING)).when(same).then(_form_or_agree(Q_NAME))
    return [points.alias("p_name"), agree.otherwise(pl.lit(DIFFERS)).alias("agree_name")]


def _dob() -> list[pl.Expr]:
    reg = pl.col(R.DATE_OF_BIRTH)
    same = pl.col(N_DOB) == reg
    swapped = pl.col("s_swapped") == reg
    year_only = pl.col(N_DOB).is_null() & (pl.col(N_YEAR) == reg.dt.year())
    missing = pl.col(N_DOB).is_null() & pl.col(N_YEAR).is_null()
    # The right date read from a two-digit year or in month-first order still counts as wrong content (the
    # definitions in docs/cleansing.md): the list must be corrected even though the matcher read it right.
    two_digits = same & (pl.col(Q_DOB) == "partial")
    month_first = same & (pl.col(Q_DOB) == "swapped")
    points = pl.when(same).then(1.0).when(swapped).then(0.8).when(year_only).then(0.7).otherwise(0.0)
    agree = (
        pl.when(missing)
        .then(pl.lit(MISSING))
        .when(two_digits | month_first)
        .then(pl.lit(DIFFERS))
        .when(same)
        .then(_form_or_agree(Q_DOB))
        .otherwise(pl.lit(DIFFERS))
    )
    issue = (
        pl.when(two_digits)
        .then(pl.lit(DOB_YEAR_TWO_DIGITS))
        .when(month_first)
        .then(pl.lit(DOB_MONTH_FIRST))
        .when(same)
        .then(None)
        .when(swapped)
        .then(pl.lit(DOB_SWAPPED))
        .when(year_only)
        .then(pl.lit(DOB_YEAR_ONLY))
    )
    return [points.alias("p_dob"), agree.alias("agree_dob"), issue.alias("dob_issue")]


def _gender() -> list[pl.Expr]:
    missing = pl.col(N_GENDER).is_null()
    same = pl.col(N_GENDER) == pl.col(R.GENDER)
    points = pl.when(missing).then(0.5).when(same).then(1.0).otherwise(0.0)
    agree = pl.when(missing).then(pl.lit(MISSING)).when(same).then(pl.lit(AGREE)).otherwise(pl.lit(DIFFERS))
    return [points.alias("p_gender"), agree.alias("agree_gender")]


def _id_points(digit: pl.Expr) -> pl.Expr:
    same = pl.col(N_ID) == pl.col(R.PERSONAL_ID)
    old = pl.col(N_ID).is_null() & (pl.col(N_OLD_ID) == pl.col(R.OLD_ID))
    missing = pl.col(N_ID).is_null() & pl.col(N_OLD_ID).is_null()
    points = pl.when(same).then(1.0).when(old).then(0.9).when(digit).then(0.7).when(missing).then(0.5).otherwise(0.0)
    return points.alias("p_id")


def _id() -> list[pl.Expr]:
    same = pl.col(N_ID) == pl.col(R.PERSONAL_ID)
    old = pl.col(N_ID).is_null() & (pl.col(N_OLD_ID) == pl.col(R.OLD_ID))
    digit = pl.col(N_ID).is_not_null() & (pl.col("id_distance") == 1)
    missing = pl.col(N_ID).is_null() & pl.col(N_OLD_ID).is_null()
    agree = pl.when(same).then(_form_or_agree(Q_ID)).when(missing).then(pl.lit(MISSING)).otherwise(pl.lit(DIFFERS))
    issue = pl.when(same).then(None).when(old).then(pl.lit(ID_OLD)).when(digit).then(pl.lit(ID_DIGIT))
    return [_id_points(digit), agree.alias("agree_id"), issue.alias("id_issue")]


def _commune() -> list[pl.Expr]:
    missing = pl.col(N_COMMUNE).is_null()
    same = pl.col(N_COMMUNE) == pl.col(R.COMMUNE_CODE)
    # Naming the right commune with pre-2025 units still locates the person, but the address needs rewriting.
    old_era = (pl.col(N_ERA) == "pre2025").fill_null(value=False)
    points = pl.when(missing).then(0.5).when(same).then(1.0).otherwise(0.0)
    agree = pl.when(missing).then(pl.lit(MISSING)).when(same & ~old_era).then(pl.lit(AGREE)).otherwise(pl.lit(DIFFERS))
    return [points.alias("p_commune"), agree.alias("agree_commune")]


def _choose(scored: pl.DataFrame, resolved: pl.DataFrame, second: pl.DataFrame, config: MatchConfig) -> pl.DataFrame:
    """Best candidate per row, if it clears `accept` and leads the second by `margin` (an accepted ID hit needs
    no margin: the typed ID already singles the person out). A row of the second chance (`second`) whose best
    stays under `accept` is still matched from `second_accept` when that candidate is the only one reaching `floor`
    and no typed ID contradicts it."""
    ranked = scored.sort([ROW, "score", R.PERSON_ID], descending=[False, True, False])
    summary = ranked.group_by(ROW).agg(
        pl.col("score").first(),
        pl.col("score").get(1, null_on_oob=True).alias("second_score"),
        (pl.col("score") >= config.floor).sum().cast(pl.Int64()).alias("n_candidates"),
        pl.exclude("score", ROW).first(),
    )
    by_id = pl.col(ROW).is_in(resolved[ROW].implode())
    lead = pl.col("second_score").is_null() | (pl.col("score") - pl.col("second_score") >= config.margin)
    accepted = (pl.col("score") >= config.accept) & (by_id | lead)
    alone = pl.col("n_candidates") <= 1  # no other candidate reaches `floor`: a lead over `second_accept - floor`
    # Only when no typed ID contradicts the candidate (`second_id_digits` off do not): an absent person's ID differs
    # from the candidate's, and so does a namesake's.
    no_contrary_id = (pl.col("agree_id") != DIFFERS) | pl.col("id_issue").is_not_null() | pl.col("id_close")
    relaxed = (
        pl.col(ROW).is_in(second[ROW].implode()) & (pl.col("score") >= config.second_accept) & alone & no_contrary_id
    )
    accepted = accepted | relaxed
    outcome = (
        pl.when(accepted)
        .then(pl.lit(MATCHED))
        .when(pl.col("n_candidates") >= 2)
        .then(pl.lit(AMBIGUOUS))
        .otherwise(pl.lit(NOT_FOUND))
    )
    summary = summary.with_columns(outcome=outcome)
    person_columns = [R.PERSON_ID, *AGREE_COLUMNS, "dob_issue", "id_issue"]
    return summary.with_columns(pl.when(pl.col("outcome") == MATCHED).then(pl.col(c)).alias(c) for c in person_columns)


def _review_candidates(
    scored: pl.DataFrame, chosen: pl.DataFrame, registry: pl.DataFrame, config: MatchConfig
) -> pl.DataFrame:
    """The best candidates of the few rows needing review; filtering the pairs to those rows first keeps this a
    small sort, however many pairs were scored."""
    unsure = (pl.col("outcome") == MATCHED) & (pl.col("score") < config.review_below)
    rows = chosen.filter((pl.col("outcome") == AMBIGUOUS) | unsure).select(ROW)
    ranked = (
        scored.join(rows, on=ROW, how="semi")
        .filter(pl.col("score") >= config.floor)
        .sort([ROW, "score", R.PERSON_ID], descending=[False, True, False])  # `_choose`'s order
        .with_columns(rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int64()).over(ROW))
        .filter(pl.col("rank") <= config.review_candidates)
    )
    return (
        ranked.join(registry.select(R.PERSON_ID, R.PERSONAL_ID), on=R.PERSON_ID, how="left")
        .rename({R.PERSONAL_ID: "personal_id"})
        .select(list(CANDIDATES_SCHEMA))
        .cast(CANDIDATES_SCHEMA)
        .sort(ROW, "rank")
    )


def _mark_duplicates(result: pl.DataFrame) -> pl.DataFrame:
    """A later row matched to the same person as an earlier row duplicates the earliest one."""
    first = pl.col(ROW).min().over(R.PERSON_ID)
    return result.with_columns(
        duplicate_of=pl.when(pl.col(R.PERSON_ID).is_not_null() & (pl.col(ROW) != first)).then(first)
    )


def sector_frame(records: list[dict[str, object]]) -> pl.DataFrame:
    """A sector frame in the input contract from partial records (tests, benchmarks): absent values are null and
    an absent quality flag is "exact" when the value is present, else "missing"."""
    flagged = {Q_NAME: N_NAME, Q_DOB: N_DOB, Q_ID: N_ID}
    rows = []
    for record in records:
        full = {column: record.get(column) for column in SECTOR_SCHEMA}
        for flag, value in flagged.items():
            if full[flag] is None:
                full[flag] = "exact" if full[value] is not None else "missing"
        rows.append(full)
    return pl.DataFrame(rows, schema=SECTOR_SCHEMA)
