"""Where the law tables begin and end: what a check says about a case item judged on an assumption (before
the law's start, past a table's `known_until`), and the MRP carried forward past its table's end."""

from __future__ import annotations

from datetime import date
from typing import Optional

from .seeds import MrpRow, ReferenceData

# What the report says about a case item judged on an assumption (Context.assume), by kind.
ASSUMPTION_TEXT = {
    "before_law_start": {
        "en": "The trip entered on {entry}, before {start}, where this library's law starts: the days from {start} "
              "on are judged under the earliest law it holds, as if the person had entered on {start}; what rests "
              "on that is unverified.",
        "ru": "Въезд {entry} был до {start}, с которого начинается право этой библиотеки: дни с {start} оценены по "
              "самому раннему известному ей праву, как если бы въезд был {start}; выводы на этом основании не "
              "проверены.",
        "kk": "{entry} келуі осы кітапхананың құқығы басталатын {start} күнінен бұрын болды: {start} бастап күндер "
              "ол білетін ең ерте құқық бойынша, келу {start} болғандай бағаланды; осыған негізделгені расталмаған.",
    },
    "calendar_carried_forward": {
        "en": "Working days after {until} are counted without the Government's day-off transfers, which the tables "
              "know only until {until}; the deadline is unverified.",
        "ru": "Рабочие дни после {until} посчитаны без переносов выходных дней Правительством: таблицы известны "
              "только до {until}; срок не проверен.",
        "kk": "{until} кейінгі жұмыс күндері Үкіметтің демалыс күндерін ауыстыруынсыз есептелді: кестелер тек "
              "{until} дейін белгілі; мерзім расталмаған.",
    },
}

_MRP_CARRIED = {
    "en": "the {year} MRP ({mrp} KZT) used for {on_year}: the MRP table is known until {until}",
    "ru": "МРП {year} г. ({mrp} тг) применён к {on_year} г.: таблица МРП известна до {until}",
    "kk": "{year} жылғы АЕК ({mrp} теңге) {on_year} жылға қолданылды: АЕК кестесі {until} дейін белгілі",
}


def assumption_text(kind: str, lang: str, fields: dict[str, str]) -> str:
    """The report's text for an assumption of `kind`, in `lang`, its fields filled in."""
    texts = ASSUMPTION_TEXT[kind]
    return texts.get(lang, texts["en"]).format(**fields)


def mrp_carried(ref: ReferenceData, on: date, lang: str) -> tuple[MrpRow, Optional[str]]:
    """The MRP row for `on` and, when `on` is past the table's end, the text saying which MRP was carried forward."""
    row = ref.mrp(on)
    until = ref.known_until("mrp")
    if on <= until:
        return row, None
    text = _MRP_CARRIED.get(lang, _MRP_CARRIED["en"])
    return row, text.format(year=row.start.year, mrp=f"{row.mrp:,}".replace(",", " "), on_year=on.year,
                            until=until.isoformat())
