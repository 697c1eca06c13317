"""Every human-readable string of the plan, by message id, in en, ru and kk (one place, to move into catalogues).

`DAYS` holds the plural forms of "day": English one/other, Russian one/few/many (1 день, 2 дня, 5 дней),
Kazakh one form (a noun after a numeral stays singular: 5 күн).
"""

from __future__ import annotations

DAYS: dict[str, tuple[str, ...]] = {
    "en": ("day", "days"),
    "ru": ("день", "дня", "дней"),
    "kk": ("күн",),
}

MESSAGES: dict[str, dict[str, str]] = {
    "title": {"en": "Plan as of {as_of}, regime {regime}",
              "ru": "План на {as_of}, режим {regime}",
              "kk": "{as_of} күнгі жоспар, режим {regime}"},
    "history.compliant": {"en": "History: no violation found",
                          "ru": "История: нарушений не найдено",
                          "kk": "Тарих: бұзушылық табылмады"},
    "history.violations": {"en": "History: {count} violation(s) found (see `kzcompliance check`)",
                           "ru": "История: найдено нарушений: {count} (см. `kzcompliance check`)",
                           "kk": "Тарих: табылған бұзушылықтар: {count} (`kzcompliance check` қараңыз)"},
    "history.undetermined": {"en": "History: not fully checked, data missing: {needs}",
                             "ru": "История: проверена не полностью, нет данных: {needs}",
                             "kk": "Тарих: толық тексерілмеді, дерек жоқ: {needs}"},
    "now.heading": {"en": "NOW", "ru": "СЕЙЧАС", "kk": "ҚАЗІР"},
    "now.in_country": {"en": "In the country; last lawful day {leave_by}",
                       "ru": "В стране; последний законный день {leave_by}",
                       "kk": "Елде; соңғы заңды күн {leave_by}"},
    "now.in_country_unlimited": {"en": "In the country; no end to the lawful stay ({detail})",
                                 "ru": "В стране; срок законного пребывания не ограничен ({detail})",
                                 "kk": "Елде; заңды болу мерзімі шектелмеген ({detail})"},
    "now.in_country_undetermined": {"en": "In the country; last lawful day not known (data missing)",
                                    "ru": "В стране; последний законный день неизвестен (нет данных)",
                                    "kk": "Елде; соңғы заңды күн белгісіз (дерек жоқ)"},
    "now.unknown": {"en": "Whereabouts not known: the case leaves out trips",
                    "ru": "Местонахождение неизвестно: в деле нет поездок",
                    "kk": "Қайда екені белгісіз: істе сапарлар жоқ"},
    "now.abroad": {"en": "Not in the country", "ru": "Не в стране", "kk": "Елде емес"},
    "now.window": {"en": "Visa-free days in the {window} ending {as_of}: {used} used of {cap}, {left} left",
                   "ru": "Дни безвизового пребывания за {window} по {as_of}: использовано {used}, лимит {cap}, "
                         "осталось {left}",
                   "kk": "{as_of} дейінгі {window} ішіндегі визасыз күндер: пайдаланылды {used}, шек {cap}, "
                         "қалды {left}"},
    "now.frees_on": {"en": "the next day frees up on {date}",
                     "ru": "следующий день освобождается {date}",
                     "kk": "келесі күн {date} босайды"},
    "now.no_cap": {"en": "No rolling cap applies on {as_of}",
                   "ru": "Скользящий лимит на {as_of} не применяется",
                   "kk": "{as_of} күні жылжымалы шек қолданылмайды"},
    "entry.heading": {"en": "ENTRY ON {date}", "ru": "ВЪЕЗД {date}", "kk": "{date} КІРУ"},
    "entry.days": {"en": "{days} lawful, last lawful day {leave_by} (limit: {reason})",
                   "ru": "{days} законно, последний законный день {leave_by} (предел: {reason})",
                   "kk": "{days} заңды, соңғы заңды күн {leave_by} (шек: {reason})"},
    "entry.unlimited": {"en": "no visa-free limit to plan: {detail}",
                        "ru": "безвизового лимита нет: {detail}",
                        "kk": "визасыз шек жоқ: {detail}"},
    "entry.none": {"en": "0 days: {reason}", "ru": "0 дней: {reason}", "kk": "0 күн: {reason}"},
    "entry.possible_from": {"en": "an entry gives at least one lawful day from {date}",
                            "ru": "въезд даёт хотя бы один законный день с {date}",
                            "kk": "{date} бастап кіру кемінде бір заңды күн береді"},
    "entry.never": {"en": "no later entry gives a lawful day without a visa or permit",
                    "ru": "без визы или разрешения более поздний въезд законного дня не даёт",
                    "kk": "визасыз не рұқсатсыз кейінгі кіру заңды күн бермейді"},
    "earliest.heading": {"en": "EARLIEST ENTRY FOR {days} FROM {start}", "ru": "САМЫЙ РАННИЙ ВЪЕЗД НА {days} С {start}",
                         "kk": "{start} БАСТАП {days} ҮШІН ЕҢ ЕРТЕ КІРУ"},
    "earliest.found": {"en": "enter on {date}; lawful until {leave_by}",
                       "ru": "въезд {date}; законно до {leave_by}",
                       "kk": "{date} кіру; {leave_by} дейін заңды"},
    "earliest.found_unlimited": {"en": "enter on {date}; no end to the lawful stay",
                                 "ru": "въезд {date}; срок законного пребывания не ограничен",
                                 "kk": "{date} кіру; заңды болу мерзімі шектелмеген"},
    "earliest.never": {"en": "no entry gives {days} in a row: {reason}",
                       "ru": "ни один въезд не даёт {days} подряд: {reason}",
                       "kk": "ешбір кіру қатарынан {days} бермейді: {reason}"},
    "itinerary.heading": {"en": "ITINERARY", "ru": "МАРШРУТ", "kk": "МАРШРУТ"},
    "itinerary.lawful": {"en": "lawful", "ru": "законно", "kk": "заңды"},
    "itinerary.overstay": {"en": "OVERSTAY {days} from {since}", "ru": "ПРЕВЫШЕНИЕ {days} с {since}",
                           "kk": "{since} бастап АСЫРУ {days}"},
    "itinerary.open": {"en": "open-ended: lawful until {leave_by}", "ru": "без даты выезда: законно до {leave_by}",
                       "kk": "шығу күні жоқ: {leave_by} дейін заңды"},
    "itinerary.undetermined": {"en": "not known (data missing)", "ru": "неизвестно (нет данных)",
                               "kk": "белгісіз (дерек жоқ)"},
    "itinerary.columns": {"en": "entry|exit|answer|last lawful day|sanction",
                          "ru": "въезд|выезд|ответ|последний законный день|санкция",
                          "kk": "кіру|шығу|жауап|соңғы заңды күн|санкция"},
    "timeline.heading": {"en": "TIMELINE: visa-free days in the window ending each day (highest of each week, cap {cap})",
                         "ru": "ГРАФИК: дни безвизового пребывания в окне по каждый день (максимум за неделю, лимит {cap})",
                         "kk": "КЕСТЕ: әр күнге дейінгі терезедегі визасыз күндер (апта ең көбі, шек {cap})"},
    "timeline.no_cap": {"en": "TIMELINE: no rolling cap applies", "ru": "ГРАФИК: скользящий лимит не применяется",
                        "kk": "КЕСТЕ: жылжымалы шек қолданылмайды"},
    "assumption.leaves": {"en": "assumed: the stay under way ends on {date} (the planned entries come after it)",
                          "ru": "допущение: текущее пребывание заканчивается {date} (планируемые въезды после него)",
                          "kk": "болжам: қазіргі болу {date} аяқталады (жоспарланған кірулер одан кейін)"},
    "reason.visa_free_entry": {"en": "the visa-free term per entry", "ru": "безвизовый срок одного въезда",
                               "kk": "бір кірудің визасыз мерзімі"},
    "reason.visa_free_cap": {"en": "the rolling cap of {cap} days in {window}",
                             "ru": "скользящий лимит {cap} дней за {window}",
                             "kk": "{window} күнде {cap} күн жылжымалы шегі"},
    "reason.cap_used_up": {"en": "the rolling cap of {cap} days in {window} is used up",
                           "ru": "скользящий лимит {cap} дней за {window} исчерпан",
                           "kk": "{window} күнде {cap} күн жылжымалы шегі таусылды"},
    "reason.visa_required": {"en": "no visa-free stay for this citizenship: a visa is needed",
                             "ru": "безвизового пребывания для этого гражданства нет: нужна виза",
                             "kk": "бұл азаматтық үшін визасыз болу жоқ: виза қажет"},
    "reason.document": {"en": "the document {detail}", "ru": "документ {detail}", "kk": "{detail} құжаты"},
    "reason.eaeu_contract": {"en": "the EAEU employment contract", "ru": "трудовой договор ЕАЭС",
                             "kk": "ЕАЭО еңбек шарты"},
    "reason.unlimited": {"en": "no limit", "ru": "без ограничения", "kk": "шектеусіз"},
    "reason.longer_than_term": {"en": "longer than the visa-free term of {term} per entry",
                                "ru": "дольше безвизового срока одного въезда ({term})",
                                "kk": "бір кірудің визасыз мерзімінен ({term}) ұзақ"},
    "reason.undetermined": {"en": "not known: data missing", "ru": "неизвестно: нет данных",
                            "kk": "белгісіз: дерек жоқ"},
}


def plural_days(n: int, lang: str) -> str:
    """`n` with the right form of "day": 1 day, 2 days; 1 день, 2 дня, 5 дней, 11 дней, 21 день; 5 күн."""
    forms = DAYS[lang]
    if lang == "ru":
        if n % 10 == 1 and n % 100 != 11:
            word = forms[0]
        elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            word = forms[1]
        else:
            word = forms[2]
    elif lang == "en":
        word = forms[0] if n == 1 else forms[1]
    else:
        word = forms[0]
    return f"{n} {word}"


def say(key: str, lang: str, **values: object) -> str:
    """The message `key` in `lang`, filled in with `values`."""
    return MESSAGES[key][lang].format(**values)
