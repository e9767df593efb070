"""Parse the province's Đề án 06 plan (a plain-text copy of the official document) into groups and tasks.

Pure Python (no Django): `plan_parse(text)` → `ParsedPlan`. The document numbers tasks "(1)", "(2)", …
restarting in every subsection, so a task's key is its position (`code`, e.g. "B.2.4.(3)"), while `number`
keeps the marker as written. What counts as a task:

- every "(n)" item in section II (groups A and B; the document has no group C);
- a numbered heading of section II that is itself assigned ("1. Về pháp lý: …", "6. …", "7. …": it carries an
  "Đơn vị tham mưu" line but no "(n)" items);
- every "- " duty in section III (Tổ chức thực hiện), led by the heading it sits under.

The lead unit, coordinating units and the deadline are kept as written; `recurrence` and `deadline` are
parsed only where the wording is unambiguous (one date expression), otherwise left `once` / None.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

SEED_PATH = Path(__file__).resolve().parent / "seeds" / "ke-hoach-de-an-06-tra-vinh-2023.txt"

PLAN_CODE = "KH-DA06-TV-2023"
PLAN_TITLE = (
    "Kế hoạch triển khai Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử phục vụ "
    "chuyển đổi số quốc gia giai đoạn 2022 - 2025, tầm nhìn đến năm 2030 trên địa bàn tỉnh Trà Vinh năm 2023"
)

ONCE, MONTHLY, QUARTERLY, YEARLY, ONGOING = "once", "monthly", "quarterly", "yearly", "ongoing"

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}

_SECTION = re.compile(r"^(?P<roman>I|II|III|IV|V)\.\s+(?P<title>\S.*)$")
_GROUP = re.compile(r"^(?P<letter>[A-Z])\.\s+(?P<title>\S.*)$")
_HEADING = re.compile(r"^(?P<number>\d+(?:\.\d+)*)\.\s+(?P<title>\S.*)$")
_ITEM = re.compile(r"^\((?P<n>\d+)\)\s*(?P<title>\S.*)$")
_BULLET = re.compile(r"^[-+]\s*(?P<text>\S.*)$")
_RESPONSIBILITY = re.compile(r"^-?\s*Đơn vị tham mưu,?\s*thực hiện\s*:\s*(?P<text>.*)$")
# Plans written as forms (the 2026–2030 programme may be) label each field on its own line instead.
_LABELLED = re.compile(
    r"^-?\s*(?P<label>(?:đơn vị\s+)?chủ trì|(?:đơn vị\s+)?phối hợp|thời gian thực hiện|thời hạn(?:\s+hoàn thành)?"
    r"|sản phẩm(?:\s+dự kiến)?)\s*:\s*(?P<text>\S.*)$",
    re.IGNORECASE,
)
_END = re.compile(r"^(Trên đây là|Nơi nhận)")

# Words that end the unit names at the start of a responsibility sentence.
_LEAD_STOP = re.compile(
    r"\s+(?:chủ trì|phối hợp|chỉ đạo|tập huấn|triển khai|thực hiện|tham mưu|hướng dẫn)\b|[,.]?\s*$|\.\s"
)
_COORD_STOP = re.compile(r"\s+(?:thực hiện|triển khai|tổ chức)\b.*$")
# A new unit name starts after ", " or " và " only with one of these words (so "Sở Kế hoạch và Đầu tư" and
# "các sở, ban, ngành có liên quan" stay whole).
_UNIT_SPLIT = re.compile(r"(?:,\s*|\s+và\s+)(?=(?:Sở|Văn phòng|Công an|UBND|Ủy ban|Tổ công tác|Đài|các sở|Các sở)\b)")
_TIME_MARKER = re.compile(
    r"tháng\s+\d|qu[ýí]\s+[IV]+/|năm\s+\d{4}|thường xuyên|h[àằ]ng\s+(?:tháng|quý|năm)|trước ngày|từ\s+\d",
    re.IGNORECASE,
)
_TIME_VERB = re.compile(r"thực hiện|hoàn thành|bắt đầu|triển khai", re.IGNORECASE)
_MONTH = re.compile(r"(?P<before>trước\s+)?tháng\s+(?P<m>\d{1,2})/(?P<y>\d{4})", re.IGNORECASE)
_QUARTER = re.compile(r"qu[ýí]\s+(?P<q>I{1,3}|IV)/(?P<y>\d{4})", re.IGNORECASE)
_YEAR = re.compile(r"năm\s+(?P<y>\d{4})", re.IGNORECASE)
_DAY = re.compile(r"ngày\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})", re.IGNORECASE)
_III_DEADLINE = re.compile(r"(?:Định kỳ\s+)?trước\s+ngày\s+\d{1,2}(?:/\d{1,2}/\d{4}|\s+h[àằ]ng\s+tháng)")


@dataclass
class ParsedGroup:
    code: str  # "A", "B", "III"
    title: str
    order: int


@dataclass
class ParsedTask:
    code: str  # unique within the plan: "A.1.(1)", "B.1", "B.2.4.(3)", "III.2.1"
    group: str
    number: str  # as written: "(3)", "1." or "-"
    heading: str  # the numbered heading the task sits under ("2.4. Nhiệm vụ cần thực hiện"), "" if none
    title: str
    content: str = ""  # the task's further lines (conditions, steps), as written
    responsibility: str = ""  # the whole "Đơn vị tham mưu, thực hiện: …" text
    lead: str = ""
    coordinating: list[str] = field(default_factory=list)
    deadline_text: str = ""
    expected_output: str = ""
    deadline: date | None = None
    recurrence: str = ONCE
    order: int = 0


@dataclass
class ParsedPlan:
    code: str
    title: str
    year: int
    issued_by: str
    document_number: str
    groups: list[ParsedGroup]
    tasks: list[ParsedTask]


def _clean(line: str) -> str:
    # The document is a copy of a .docx: tabs, runs of spaces, NBSPs. Collapse them; keep the words as written.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", line)).strip()


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def deadline_parse(text: str) -> tuple[date | None, str]:
    """(deadline date or None, recurrence) from a deadline as written; a date only when exactly one is given."""
    lowered = text.lower()
    if re.search(r"h[àằ]ng\s+tháng", lowered):
        recurrence = MONTHLY
    elif re.search(r"h[àằ]ng\s+quý", lowered):
        recurrence = QUARTERLY
    elif re.search(r"h[àằ]ng\s+năm", lowered):
        recurrence = YEARLY
    elif "thường xuyên" in lowered or re.search(r"\btừ\b|bắt đầu", lowered):
        # "từ Quý I/2023", "bắt đầu triển khai trong …": a start, not an end — the work goes on.
        recurrence = ONGOING
    else:
        recurrence = ONCE
    if re.search(r"\btừ\b|bắt đầu", lowered):
        return None, recurrence
    # Each expression is removed once read, so "ngày 15/02/2023" is not read again as a month or a year.
    found: list[date] = [date(int(m["y"]), int(m["m"]), int(m["d"])) for m in _DAY.finditer(text)]
    rest = _DAY.sub("", text)
    for match in _MONTH.finditer(rest):
        year, month = int(match["y"]), int(match["m"])
        if match["before"]:  # "trước tháng 3/2023": by the end of February
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        found.append(_end_of_month(year, month))
    rest = _MONTH.sub("", rest)
    found.extend(_end_of_month(int(m["y"]), 3 * _ROMAN[m["q"].upper()]) for m in _QUARTER.finditer(rest))
    rest = _QUARTER.sub("", rest)
    found.extend(date(int(m["y"]), 12, 31) for m in _YEAR.finditer(rest))
    return (found[0] if len(found) == 1 else None), recurrence


def _deadline_text(responsibility: str) -> str:
    """The time clauses of a responsibility text, as written ("Thực hiện hoàn thành trong tháng 01/2023")."""
    parts: list[str] = []
    for sentence in re.split(r"(?:\.|;)\s+", responsibility.rstrip(" .;:")):
        sentence = sentence.strip()
        if sentence.startswith(("Thực hiện", "Hoàn thành")):
            parts.append(sentence)
            continue
        marker = _TIME_MARKER.search(sentence)
        if marker is None:
            continue
        # From the clause holding the first time word, starting at its first verb ("hoàn thành trong Quý I/2023").
        clause_start = sentence.rfind(", ", 0, marker.start())
        clause_start = 0 if clause_start < 0 else clause_start + 2
        verb = _TIME_VERB.search(sentence, clause_start, marker.start())
        parts.append(sentence[verb.start() if verb else clause_start :])
    return "; ".join(parts)


def _units(text: str) -> list[str]:
    return [unit.strip(" ,.;") for unit in _UNIT_SPLIT.split(text) if unit.strip(" ,.;")]


def _lead_and_coordination(responsibility: str) -> tuple[str, list[str]]:
    first = re.split(r"(?:\.|;)\s+", responsibility.strip())[0]
    if first.lower().startswith("chủ trì"):  # section III: "Chủ trì, phối hợp với …" (the lead is the heading)
        lead = ""
    else:
        stop = _LEAD_STOP.search(first)
        lead = first[: stop.start() if stop else len(first)].strip(" ,.")
    coordinating: list[str] = []
    partner = re.search(r"phối hợp\s+(?:với\s+)?(?P<rest>.*)$", first)
    if partner:
        coordinating = _units(_COORD_STOP.sub("", partner["rest"]).split(". ")[0])
    return lead, coordinating


def _labelled(task: ParsedTask, label: str, text: str) -> None:
    label = label.lower()
    if "chủ trì" in label:
        task.lead = text.rstrip(" .;")
    elif "phối hợp" in label:
        task.coordinating = [unit for part in text.split(";") for unit in _units(part)]
    elif label.startswith("thời"):
        task.deadline_text = text.rstrip(" .;")
    else:
        task.expected_output = text.rstrip(" ;")


# The district and commune level named in a 2023 duty: since July 2025 the communes carry both.
_LOCAL_LEVEL = re.compile(r"cấp huyện|cấp xã|các huyện|huyện, thị xã|công an xã|tổ công tác cấp xã", re.IGNORECASE)


def communes_report(task: ParsedTask) -> bool:
    """Whether the communes report on `task` every month: its units name the district or commune level."""
    return bool(_LOCAL_LEVEL.search(" ".join([task.lead, task.responsibility, *task.coordinating])))


def _finish(task: ParsedTask) -> None:
    # A labelled line ("Chủ trì: …") says it outright; the "Đơn vị tham mưu" sentence only fills what is missing.
    if task.responsibility:
        lead, coordinating = _lead_and_coordination(task.responsibility)
        task.lead = task.lead or lead
        task.coordinating = task.coordinating or coordinating
        task.deadline_text = task.deadline_text or _deadline_text(task.responsibility)
    task.deadline, task.recurrence = deadline_parse(task.deadline_text)


def plan_parse(text: str) -> ParsedPlan:
    """Groups and tasks of the plan, in document order."""
    lines = [_clean(line) for line in text.splitlines()]
    groups: list[ParsedGroup] = []
    tasks: list[ParsedTask] = []
    section = ""
    group = ""
    heading_number, heading_title = "", ""
    heading_task: ParsedTask | None = None  # a heading not yet known to be a task itself
    current: ParsedTask | None = None

    def add(task: ParsedTask) -> ParsedTask:
        task.order = len(tasks) + 1
        tasks.append(task)
        return task

    for line in lines:
        if not line:
            continue
        if _END.match(line):
            break
        if match := _SECTION.match(line):
            section, group, current, heading_task = match["roman"], "", None, None
            if section == "III":
                group = "III"
                groups.append(ParsedGroup("III", match["title"], len(groups) + 1))
            continue
        if section == "II" and (match := _GROUP.match(line)):
            group, current, heading_task = match["letter"], None, None
            groups.append(ParsedGroup(group, match["title"], len(groups) + 1))
            continue
        if not group:
            continue
        if match := _HEADING.match(line):
            heading_number, heading_title = match["number"], match["title"]
            current = None
            # A heading becomes a task when an "Đơn vị tham mưu" line follows before any "(n)" item.
            heading_task = ParsedTask(
                code=f"{group}.{heading_number}",
                group=group,
                number=f"{heading_number}.",
                heading="",
                title=heading_title,
            )
            continue
        heading = f"{heading_number}. {heading_title}" if heading_number else ""
        if section == "II" and (match := _ITEM.match(line)):
            heading_task = None
            current = add(
                ParsedTask(
                    code=f"{group}.{heading_number}.({match['n']})",
                    group=group,
                    number=f"({match['n']})",
                    heading=heading,
                    title=match["title"],
                )
            )
            continue
        if section == "II" and (match := _RESPONSIBILITY.match(line)):
            if current is None and heading_task is not None:
                current, heading_task = add(heading_task), None
            if current is not None:
                current.responsibility = match["text"]
            continue
        if section == "II" and (match := _LABELLED.match(line)):
            if current is None and heading_task is not None:
                current, heading_task = add(heading_task), None
            if current is not None:
                _labelled(current, match["label"], match["text"])
            continue
        if section == "III" and (match := _BULLET.match(line)):
            index = sum(1 for task in tasks if task.code.startswith(f"III.{heading_number}.")) + 1
            duty = ParsedTask(
                code=f"III.{heading_number}.{index}",
                group="III",
                number="-",
                heading=heading,
                title=match["text"],
                lead=heading_title,
            )
            if partner := re.match(r"Chủ trì,\s*phối hợp\s+(?:với\s+)?(?P<rest>.*)$", duty.title):
                duty.coordinating = _units(_COORD_STOP.sub("", partner["rest"]))
            if deadline := _III_DEADLINE.search(duty.title):
                duty.deadline_text = deadline.group(0)
            add(duty)
            continue
        # Any other line is the body of the current task (or of a heading that may still become one); lines after
        # the responsibility line too ("cụ thể:" and its steps).
        target = current if current is not None else heading_task
        if target is not None:
            target.content = f"{target.content}\n{line}".strip()
    for task in tasks:
        _finish(task)
    return ParsedPlan(
        code=PLAN_CODE,
        title=PLAN_TITLE,
        year=2023,
        issued_by="Ủy ban nhân dân tỉnh Trà Vinh",
        document_number="/KH-UBND-NC",  # a draft: the number was left blank in the document
        groups=groups,
        tasks=tasks,
    )


def plan_read(path: Path | None = None) -> ParsedPlan:
    return plan_parse((path or SEED_PATH).read_text(encoding="utf-8"))
