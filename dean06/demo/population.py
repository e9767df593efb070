"""Deterministic synthetic population of the new Vĩnh Long province (86), generated as a stream.

Pure Python, no Django: `population_generate(geography, persons=N, seed=S)` yields one household at a time
with its members and keeps nothing once yielded, so memory stays flat whatever N is. The same geography,
N and seed always give the same rows (one `random.Random(seed)`, no set or dict iteration order involved).

What it imitates:
- a household lives in a pre-2025 commune (`legacy_commune`) and so in the 2025 commune that absorbed it;
  its address is written sometimes with the old units, sometimes with the new ones, as real records are;
- ethnicity follows the commune: about 30 % Khmer families in former Trà Vinh (84), few elsewhere;
- 12-digit IDs: province of birth registration, sex/century digit, birth year, 6 digits unique per prefix;
  a 9-digit CMND for about 60 % of people born before 1995; about 0.7 % deceased, more among the old.
"""

from __future__ import annotations

import zlib
from bisect import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from random import Random

from dean06.demo import names
from dean06.text import fold, name_collation_key

AS_OF = date(2026, 11, 27)  # "today" of the demo data, fixed so a seed gives the same rows on any day
REFORM_DATE = date(2025, 7, 1)
NEW_PROVINCE_ID_PREFIX = "086"  # births registered in the merged province (prefix rule for 2025+ unconfirmed)

MALE, FEMALE = "Nam", "Nữ"  # = registry Gender values
ALIVE, DECEASED = "alive", "deceased"  # = registry LifeStatus values
HEAD, WIFE, HUSBAND, CHILD = "Chủ hộ", "Vợ", "Chồng", "Con"
DAUGHTER_IN_LAW, SON_IN_LAW, GRANDCHILD, FATHER, MOTHER = "Con dâu", "Con rể", "Cháu", "Cha", "Mẹ"

# Khmer share of the population by pre-2025 district: rough figures in the order of magnitude of the 2019
# census, not checked against it (unconfirmed). Averaged over its communes Trà Vinh comes out at ~30 %.
KHMER_SHARE_BY_PROVINCE = {"83": 0.002, "84": 0.30, "86": 0.015}
KHMER_SHARE_BY_DISTRICT = {
    ("84", "Thành phố Trà Vinh"): 0.18,
    ("84", "Huyện Càng Long"): 0.08,
    ("84", "Huyện Cầu Kè"): 0.27,
    ("84", "Huyện Tiểu Cần"): 0.30,
    ("84", "Huyện Châu Thành"): 0.35,
    ("84", "Huyện Cầu Ngang"): 0.40,
    ("84", "Huyện Trà Cú"): 0.62,
    ("84", "Huyện Duyên Hải"): 0.15,
    ("84", "Thị xã Duyên Hải"): 0.10,
    ("86", "Huyện Trà Ôn"): 0.07,
    ("86", "Huyện Tam Bình"): 0.04,
}
# 2-digit CMND prefixes of the issuing province, from commonly published tables (unconfirmed, §2.3).
CMND_PREFIX = {"83": "32", "84": "33", "86": "33"}
OLD_ADDRESS_SHARE = 0.35  # addresses still written with the pre-2025 units


class Weighted[T]:
    """Items with relative weights; `pick` is one bisect over precomputed cumulative weights."""

    __slots__ = ("_cumulative", "_items", "_total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        items, weights = zip(*pairs, strict=True)
        self._items: tuple[T, ...] = items
        self._cumulative = list(accumulate(weights))
        self._total = self._cumulative[-1]

    def pick(self, rng: Random) -> T:
        return self._items[bisect(self._cumulative, rng.random() * self._total, 0, len(self._items) - 1)]


# Births registered outside the three merged provinces (HCMC and Mekong neighbours first).
OTHER_BIRTH_PREFIX_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("079", 30), ("092", 15), ("094", 12), ("087", 10), ("082", 10), ("080", 6), ("089", 6), ("074", 4),
    ("075", 4), ("001", 3),
)  # fmt: skip
OTHER_BIRTH_PREFIXES = Weighted(OTHER_BIRTH_PREFIX_WEIGHTS)
PHONE_PREFIXES = Weighted(
    [(p, 4.0) for p in ("032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098")]
    + [(p, 3.0) for p in ("070", "076", "077", "078", "079", "089", "090", "093")]
    + [(p, 3.0) for p in ("081", "082", "083", "084", "085", "088", "091", "094")]
    + [(p, 1.0) for p in ("052", "056", "058", "092", "059", "099")]
)
CHILD_COUNTS = Weighted(((1, 30), (2, 42), (3, 20), (4, 8)))
KINH_SURNAMES = Weighted(names.KINH_SURNAMES)
KHMER_SURNAMES = Weighted(names.KHMER_SURNAMES)
# (born 1985 or later, female) → (middle names, given names)
KINH_NAMES = {
    (False, False): (Weighted(names.MIDDLE_OLDER_MALE), Weighted(names.GIVEN_OLDER_MALE)),
    (False, True): (Weighted(names.MIDDLE_OLDER_FEMALE), Weighted(names.GIVEN_OLDER_FEMALE)),
    (True, False): (Weighted(names.MIDDLE_YOUNGER_MALE), Weighted(names.GIVEN_YOUNGER_MALE)),
    (True, True): (Weighted(names.MIDDLE_YOUNGER_FEMALE), Weighted(names.GIVEN_YOUNGER_FEMALE)),
}
KHMER_NAMES = {
    False: (Weighted(names.MIDDLE_KHMER_MALE), Weighted(names.KHMER_GIVEN_MALE)),
    True: (Weighted(names.MIDDLE_KHMER_FEMALE), Weighted(names.KHMER_GIVEN_FEMALE)),
}


@dataclass(frozen=True, slots=True)
class NewCommune:
    id: int
    code: str
    name: str  # "Phường Long Đức"


@dataclass(frozen=True, slots=True)
class LegacyCommune:
    """A pre-2025 commune and the 2025 commune(s) that took it over (several when it was split)."""

    id: int
    province_code: str  # pre-2025 province: "83" Bến Tre, "84" Trà Vinh, "86" Vĩnh Long
    name: str  # "Xã Long Đức"
    district: str  # "Thành phố Trà Vinh"
    province: str  # "Tỉnh Trà Vinh"
    urban: bool  # ward or township: hamlets are khóm, not ấp
    successors: tuple[NewCommune, ...]


@dataclass(frozen=True, slots=True)
class Geography:
    province: str  # the 2025 province, as written in new-style addresses: "Tỉnh Vĩnh Long"
    communes: tuple[LegacyCommune, ...]


@dataclass(frozen=True, slots=True)
class PersonRow:
    personal_id: str
    old_id: str
    full_name: str
    name_key: str
    sort_name: str
    date_of_birth: date
    gender: str
    commune_id: int
    legacy_commune_id: int
    address: str
    is_household_head: bool
    status: str
    death_date: date | None
    phone: str
    relation: str  # to the household head; the generator's ground truth, not a registry column


@dataclass(frozen=True, slots=True)
class HouseholdRow:
    number: int  # 1, 2, 3… in generation order; the loader turns it into a primary key
    code: str
    commune_id: int
    address: str
    khmer: bool  # naming tradition of the family; ground truth for tests, not a registry column
    members: tuple[PersonRow, ...]


@dataclass(frozen=True, slots=True)
class _Place:
    commune: LegacyCommune
    khmer_share: float
    hamlets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Member:
    relation: str
    gender: str
    age: int  # completed years on AS_OF
    surname: str


class _UniqueDigits:
    """Numbers that never repeat under one key: the k-th number issued is (a·k + b) mod 10^width, a bijection
    because a is coprime to 10. They look random and need no set of issued numbers (flat memory)."""

    def __init__(self, seed: int, width: int) -> None:
        self._seed, self._width, self._modulus = seed, width, 10**width
        self._state: dict[str, list[int]] = {}  # key → [issued so far, a, b]; at most a few thousand keys

    def _affine(self, key: str) -> list[int]:
        mix = zlib.crc32(f"{self._seed}/{key}".encode())  # stable across runs, unlike hash()
        a = (mix >> 3) % self._modulus | 1
        if a % 5 == 0:
            a = (a + 2) % self._modulus
        return [0, a, mix % self._modulus]

    def issue(self, key: str) -> str:
        state = self._state.get(key)
        if state is None:
            state = self._state[key] = self._affine(key)
        k, a, b = state
        if k >= self._modulus:
            raise OverflowError(f"more than {self._modulus} numbers under {key}")
        state[0] = k + 1
        return f"{key}{(a * k + b) % self._modulus:0{self._width}d}"


def _khmer_share(rng: Random, commune: LegacyCommune) -> float:
    base = KHMER_SHARE_BY_DISTRICT.get(
        (commune.province_code, commune.district), KHMER_SHARE_BY_PROVINCE.get(commune.province_code, 0.0)
    )
    return min(0.95, base * rng.uniform(0.5, 1.5))  # communes of one district differ too


def _hamlets(rng: Random, urban: bool, khmer_share: float) -> tuple[str, ...]:
    count = rng.randint(5, 12)
    if urban:
        return tuple(f"Khóm {i}" for i in range(1, count + 1))
    if rng.random() < 0.3:
        return tuple(f"Ấp {i}" for i in range(1, count + 1))
    pool = names.HAMLET_NAMES + (names.KHMER_HAMLET_NAMES if khmer_share > 0.2 else ())
    return tuple(f"Ấp {name}" for name in rng.sample(pool, count))


def _places(rng: Random, geography: Geography) -> Weighted[_Place]:
    """Each pre-2025 commune with its Khmer share, hamlets and a population weight (towns a little larger)."""
    weighted = []
    for commune in geography.communes:
        share = _khmer_share(rng, commune)
        place = _Place(commune, share, _hamlets(rng, commune.urban, share))
        weighted.append((place, (1.3 if commune.urban else 1.0) * rng.uniform(0.6, 1.4)))
    return Weighted(weighted)


def _age(rng: Random, low: int, high: int, mode: int) -> int:
    return int(rng.triangular(low, high, mode))


def _gender(rng: Random) -> str:
    return MALE if rng.random() < 0.51 else FEMALE


def _wife_age(rng: Random, husband_age: int) -> int:
    return max(18, husband_age - round(rng.gauss(3, 3)))


class _Family:
    """Builds the members of one household: who lives with whom, ages and surnames (children take the
    father's surname). The head comes first."""

    def __init__(self, rng: Random, surnames: Weighted[str]) -> None:
        self.rng, self.surnames = rng, surnames

    def _children(self, parent_age: int, surname: str, relation: str) -> list[_Member]:
        """Children of a couple whose younger member is `parent_age`: the first born 19–31 years after them."""
        rng, children = self.rng, []
        age = parent_age - rng.randint(19, 31)
        for _ in range(CHILD_COUNTS.pick(rng)):
            if age < 0:
                break
            if age < 25 or rng.random() < 0.35:  # most grown-up children have left home
                children.append(_Member(relation, _gender(rng), age, surname))
            age -= rng.randint(2, 6)
        return children

    def _couple(self, husband_age: int, *, children: bool) -> list[_Member]:
        husband = _Member(HEAD, MALE, husband_age, self.surnames.pick(self.rng))
        wife = _Member(WIFE, FEMALE, _wife_age(self.rng, husband_age), self.surnames.pick(self.rng))
        kids = self._children(min(husband.age, wife.age), husband.surname, CHILD) if children else []
        if self.rng.random() < 0.25:  # the wife is registered as head
            return [
                _Member(HEAD, FEMALE, wife.age, wife.surname),
                _Member(HUSBAND, MALE, husband.age, husband.surname),
                *kids,
            ]
        return [husband, wife, *kids]

    def single(self) -> list[_Member]:
        gender = FEMALE if self.rng.random() < 0.6 else MALE
        return [_Member(HEAD, gender, _age(self.rng, 18, 95, 70), self.surnames.pick(self.rng))]

    def couple(self) -> list[_Member]:
        return self._couple(_age(self.rng, 22, 92, 62), children=False)

    def nuclear(self) -> list[_Member]:
        return self._couple(_age(self.rng, 22, 68, 38), children=True)

    def single_parent(self) -> list[_Member]:
        rng = self.rng
        gender = FEMALE if rng.random() < 0.75 else MALE
        parent = _Member(HEAD, gender, _age(rng, 22, 75, 42), self.surnames.pick(rng))
        father_surname = parent.surname if gender == MALE else self.surnames.pick(rng)
        other_parent_age = _wife_age(rng, parent.age) if gender == MALE else parent.age + rng.randint(-2, 6)
        return [parent, *self._children(min(parent.age, other_parent_age), father_surname, CHILD)]

    def extended(self) -> list[_Member]:
        """Three generations, built from the middle one so every age gap holds."""
        rng = self.rng
        family_surname = self.surnames.pick(rng)
        married = _Member(CHILD, MALE if rng.random() < 0.75 else FEMALE, _age(rng, 20, 55, 32), family_surname)
        in_law = _Member(
            DAUGHTER_IN_LAW if married.gender == MALE else SON_IN_LAW,
            FEMALE if married.gender == MALE else MALE,
            max(18, married.age + (-2 if married.gender == MALE else 3) + rng.randint(-3, 3)),
            self.surnames.pick(rng),
        )
        grandmother_age = min(100, married.age + rng.randint(20, 34))
        grandparents = [
            _Member(HUSBAND, MALE, min(102, grandmother_age + rng.randint(0, 6)), family_surname),
            _Member(WIFE, FEMALE, grandmother_age, self.surnames.pick(rng)),
        ]
        grandparents = [g for g in grandparents if rng.random() < 0.82] or grandparents[1:]
        parent_age = min(married.age, in_law.age)
        father_surname = married.surname if married.gender == MALE else in_law.surname
        if married.gender == MALE and rng.random() < 0.4:  # the son has taken over as head
            elders = [_Member(FATHER if g.gender == MALE else MOTHER, g.gender, g.age, g.surname) for g in grandparents]
            head = _Member(HEAD, MALE, married.age, married.surname)
            return [
                head,
                _Member(WIFE, FEMALE, in_law.age, in_law.surname),
                *elders,
                *self._children(parent_age, father_surname, CHILD),
            ]
        head, *spouse = grandparents
        members = [_Member(HEAD, head.gender, head.age, head.surname), *spouse, married, in_law]
        if married.age >= 24 and rng.random() < 0.3:  # an unmarried younger sibling still at home
            members.append(_Member(CHILD, _gender(rng), married.age - rng.randint(2, 8), family_surname))
        return members + self._children(parent_age, father_surname, GRANDCHILD)


# Household kinds, roughly as in the Mekong delta (gives about 3.4 persons per household).
HOUSEHOLD_KINDS = Weighted(
    (
        (_Family.single, 9),
        (_Family.couple, 14),
        (_Family.nuclear, 48),
        (_Family.single_parent, 9),
        (_Family.extended, 20),
    )
)
MAX_MEMBERS = 7


@lru_cache(maxsize=2**14)
def _name_keys(full_name: str) -> tuple[str, str]:
    """(name_key, sort_name). Names repeat a lot and the collation key is slow (~50 µs), so a bounded
    cache pays off several times over without letting memory grow with N."""
    return fold(full_name), name_collation_key(full_name)


def _death_risk(age: int) -> float:
    """Chance that a record is marked deceased: rises steeply with age; ~0.7 % over the population.
    Not under one year, so a death date always fits strictly between birth and AS_OF."""
    if age < 1:
        return 0.0
    if age < 40:
        return 0.004
    if age < 60:
        return 0.011
    if age < 75:
        return 0.05
    return 0.14


def _phone_share(age: int) -> float:
    if age < 15:
        return 0.0
    if age < 18 or age >= 75:
        return 0.5
    return 0.9


class _Generator:
    """Holds the one random stream and the ID counters; turns family plans into registry rows."""

    def __init__(self, geography: Geography, seed: int) -> None:
        self.rng = Random(seed)
        self.province = geography.province
        self.merged = sorted({c.province_code for c in geography.communes})
        self.places = _places(self.rng, geography)
        self.personal_ids = _UniqueDigits(seed, 6)
        self.cmnd = _UniqueDigits(seed, 7)

    def household(self, number: int, limit: int) -> HouseholdRow:
        rng = self.rng
        place = self.places.pick(rng)
        new = rng.choice(place.commune.successors)
        khmer = rng.random() < place.khmer_share
        family = _Family(rng, KHMER_SURNAMES if khmer else KINH_SURNAMES)
        members = HOUSEHOLD_KINDS.pick(rng)(family)[: min(MAX_MEMBERS, limit)]
        address = self._address(place, new)
        rows = tuple(self._person(m, place.commune, new, address, khmer) for m in members)
        return HouseholdRow(number, f"HGD{new.code}{number:07d}", new.id, address, khmer, rows)

    def _address(self, place: _Place, new: NewCommune) -> str:
        rng, old = self.rng, place.commune
        spot = rng.choice(place.hamlets)
        if old.urban and rng.random() < 0.5:
            spot = f"Số {rng.randint(1, 350)}, {spot}"
        if rng.random() < OLD_ADDRESS_SHARE:
            return f"{spot}, {old.name}, {old.district}, {old.province}"
        return f"{spot}, {new.name}, {self.province}"

    def _birth_date(self, age: int) -> date:
        return AS_OF - timedelta(days=int(age * 365.2425) + self.rng.randrange(365))

    def _birth_prefix(self, legacy_province: str, born: date) -> str:
        if born >= REFORM_DATE:
            return NEW_PROVINCE_ID_PREFIX
        roll = self.rng.random()
        if roll < 0.93:
            return "0" + legacy_province
        if roll < 0.96:
            return "0" + self.rng.choice(self.merged)
        return OTHER_BIRTH_PREFIXES.pick(self.rng)

    def _personal_id(self, legacy_province: str, born: date, gender: str) -> str:
        sex_century = 2 * (born.year // 100 - 19) + (gender == FEMALE)
        key = f"{self._birth_prefix(legacy_province, born)}{sex_century}{born.year % 100:02d}"
        return self.personal_ids.issue(key)

    def _full_name(self, member: _Member, born: date, khmer: bool) -> str:
        rng, female = self.rng, member.gender == FEMALE
        if khmer and (born.year < 1990 or rng.random() < 0.6):  # young Khmer often get Kinh-style names
            middle, given = KHMER_NAMES[female]
        else:
            middle, given = KINH_NAMES[(born.year >= 1985, female)]
        words = [member.surname, middle.pick(rng), given.pick(rng)]
        if rng.random() < 0.2:  # the new tone-mark style: Hoà, Thuỷ
            words = [names.NEW_TONE_STYLE.get(w, w) for w in " ".join(words).split(" ")]
        return " ".join(w for w in words if w)

    def _death_date(self, born: date) -> date:
        earliest = max(born + timedelta(days=1), AS_OF - timedelta(days=5 * 365))
        span = (AS_OF - earliest).days  # ≥ 364: only people aged one or more die (_death_risk)
        return earliest + timedelta(days=self.rng.randrange(span))

    def _person(self, member: _Member, old: LegacyCommune, new: NewCommune, address: str, khmer: bool) -> PersonRow:
        rng = self.rng
        born = self._birth_date(member.age)
        is_head = member.relation == HEAD
        full_name = self._full_name(member, born, khmer)
        name_key, sort_name = _name_keys(full_name)
        old_id = self.cmnd.issue(CMND_PREFIX[old.province_code]) if born.year < 1995 and rng.random() < 0.6 else ""
        deceased = not is_head and rng.random() < _death_risk(member.age)  # a dead head would have been replaced
        phone = (
            f"{PHONE_PREFIXES.pick(rng)}{rng.randrange(10**7):07d}" if rng.random() < _phone_share(member.age) else ""
        )
        return PersonRow(
            personal_id=self._personal_id(old.province_code, born, member.gender),
            old_id=old_id,
            full_name=full_name,
            name_key=name_key,
            sort_name=sort_name,
            date_of_birth=born,
            gender=member.gender,
            commune_id=new.id,
            legacy_commune_id=old.id,
            address=address,
            is_household_head=is_head,
            status=DECEASED if deceased else ALIVE,
            death_date=self._death_date(born) if deceased else None,
            phone=phone,
            relation=member.relation,
        )


def population_generate(geography: Geography, *, persons: int, seed: int) -> Iterator[HouseholdRow]:
    """Yield households (members inside) until exactly `persons` people exist; the last one may be cut short."""
    generator = _Generator(geography, seed)
    made = number = 0
    while made < persons:
        number += 1
        household = generator.household(number, persons - made)
        made += len(household.members)
        yield household
