"""Languages: every message, rule text and seed text exists in en, ru and kk; the ru and kk screens print no English.

A missing translation is a failure here, not a fallback at run time: the message ids are extracted from the
source with Babel's extractor (the calls `t`, `tn`, `N_` and `ctx.skip`), the legal bases and acts are read
from the rule and seed files, and the CLI's text output is scanned for English words.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from kzcompliance import Case, CaseError, check
from kzcompliance.cli import main
from kzcompliance.i18n import LANGS, check_lang, long_date, tenge, tn
from kzcompliance.i18n.catalog import CHECK, PAGE, po_text
from kzcompliance.errors import PROBLEMS, problem
from kzcompliance.i18n.errors import ERROR, case_error_text, match, problem_text, template_id
from kzcompliance.i18n.legal import LEGAL_BASIS, acts, acts_cited, has_translation, legal_basis
from kzcompliance.i18n.messages import fill
from kzcompliance.limits import loads
from kzcompliance.rulebook import default_rulebook
from kzcompliance.seeds import reference

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "kzcompliance"
OTHER = [lang for lang in LANGS if lang != "en"]
FIELD = re.compile(r"\{(\w+)\}")


def catalog(lang: str) -> Any:
    return read_po(io.StringIO(po_text(lang)), locale=lang)


def extracted(keywords: dict[str, Any]) -> dict[str | tuple[str, ...], str]:
    """Message ids in the source for the given call names, each with the file it was found in."""
    out: dict[str | tuple[str, ...], str] = {}
    for fn, _line, msg, _comments, _ctx in extract_from_dir(str(PKG), method_map=[("**.py", "python")],
                                                            keywords=keywords):
        out.setdefault(msg, fn)
    return out


# Message ids are read from the sources; the run against the compiled wheel removes them from its copy.
SOURCES_HERE = (PKG / "__init__.py").is_file()
needs_sources = pytest.mark.skipif(not SOURCES_HERE, reason="no source tree beside the tests")
FRAME = extracted({"t": (2,), "tn": (2, 3), "N_": None}) if SOURCES_HERE else {}
CHECKS = extracted({"skip": (1,)}) if SOURCES_HERE else {}
PAGE_TEXTS = extracted({"P_": None}) if SOURCES_HERE else {}  # the service page's texts (server/page_texts.py)


@needs_sources
@pytest.mark.parametrize("lang", OTHER)
def test_every_frame_text_check_name_and_page_text_is_translated_and_every_entry_is_used(lang: str) -> None:
    cat = catalog(lang)
    for ids, context in ((FRAME, None), (CHECKS, CHECK), (PAGE_TEXTS, PAGE)):
        entries = {m.id if isinstance(m.id, str) else m.id[0]: m for m in cat if m.id and m.context == context}
        for msgid, where in ids.items():
            m = entries.get(msgid if isinstance(msgid, str) else msgid[0])
            assert m is not None, f"{lang}.po has no {msgid!r} (used in {where})"
            forms = m.string if isinstance(m.string, tuple) else (m.string,)
            assert all(forms), f"{lang}.po: {msgid!r} is not translated"
        used = {i if isinstance(i, str) else i[0] for i in ids}
        assert sorted(set(entries) - used) == [], f"{lang}.po: entries no code uses (context {context})"


@pytest.mark.parametrize("lang", OTHER)
def test_translations_keep_the_fields_of_their_message(lang: str) -> None:
    for m in catalog(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        want = set(FIELD.findall(ids[-1]))
        for form in forms:
            assert set(FIELD.findall(form)) == want, f"{lang}.po: {m.id!r} -> {form!r}"


def test_kazakh_is_not_a_copy_of_russian() -> None:
    ru = {(m.context, m.id): m.string for m in catalog("ru") if m.id}
    kk = {(m.context, m.id): m.string for m in catalog("kk") if m.id}
    same = {"{rate}/с", "режим", "субъект"}  # words the two languages share
    copies = [k for k, v in kk.items() if v == ru[k] and re.search("[а-яё]", str(v)) and str(v) not in same]
    assert copies == []


@pytest.mark.parametrize("lang", OTHER)
def test_plural_forms_are_cldr(lang: str) -> None:
    assert f"Plural-Forms: {get_plural(lang).plural_forms}" in po_text(lang)


def test_plural_and_number_forms() -> None:
    years = [tn("ru", "for {n} year", "for {n} years", n) for n in (1, 2, 5, 11, 21, 22)]
    assert years == ["на 1 год", "на 2 года", "на 5 лет", "на 11 лет", "на 21 год", "на 22 года"]
    assert [tn("kk", "for {n} year", "for {n} years", n) for n in (1, 5)] == ["1 жылға", "5 жылға"]
    assert [tn("en", "for {n} year", "for {n} years", n) for n in (1, 5)] == ["for 1 year", "for 5 years"]
    assert (tenge(43250, "en"), tenge(43250, "ru"), tenge(43250, "kk")) == ("43,250 KZT", "43\xa0250 ₸", "43\xa0250 ₸")
    d = date(2012, 1, 21)
    assert (long_date(d, "en"), long_date(d, "ru"), long_date(d, "kk")) == \
        ("January 21, 2012", "21 января 2012\u202fг.", "2012\u202fж. 21 қаңтар")


@needs_sources
def test_one_language_check() -> None:
    assert [check_lang(x) for x in LANGS] == list(LANGS)
    with pytest.raises(CaseError) as e:
        check_lang("de")
    assert e.value.field == "lang"
    sources = "\n".join(p.read_text(encoding="utf-8") for p in PKG.rglob("*.py"))
    assert sources.count("LANGS: tuple") == 1 and "lang not in" not in sources.replace("if lang not in LANGS", "") \
        and sources.count("if lang not in LANGS") == 1
    spelled = re.findall(r"""\(\s*["'](?:en|ru|kk)["'],\s*["'](?:en|ru|kk)["'],\s*["'](?:en|ru|kk)["']""", sources)
    assert len(spelled) == 1  # the definition of LANGS


def rule_texts() -> Iterator[tuple[str, str]]:
    for rule in default_rulebook().rules:
        for basis in rule.legal_basis:
            yield rule.id, basis


@pytest.mark.parametrize("lang", OTHER)
def test_every_legal_basis_is_translated_naming_its_acts_as_the_catalogue_does(lang: str) -> None:
    for rule_id, basis in rule_texts():
        assert has_translation(basis, lang), f"{rule_id}: legal basis not translated into {lang}: {basis!r}"
        cited = acts_cited(basis)
        assert cited, f"{rule_id}: {basis!r} names no act of seeds/legal_acts.yaml"
        text = legal_basis(basis, lang)
        for act in cited:
            assert act.short[lang] in text, f"{rule_id}: {lang} basis does not name {act.id} as {act.short[lang]!r}"
    entries = {m.id for m in catalog(lang) if m.context == LEGAL_BASIS}
    assert entries == {b for _, b in rule_texts()}, "legal-basis entries no rule uses"


def test_every_act_has_its_names_and_source_and_is_cited() -> None:
    cited = {a.id for _, b in rule_texts() for a in acts_cited(b)}
    for act in acts():
        assert set(act.short) == set(act.name) == set(LANGS) and all(act.short.values()) and all(act.name.values())
        assert act.source and act.id in cited, act.id
        assert re.search("[әғқңөұүһі]", act.name["kk"]), f"{act.id}: the Kazakh name has no Kazakh letter"


def test_every_rule_message_and_sanction_title_in_every_language() -> None:
    for rule in default_rulebook().rules:
        assert set(rule.message) == set(LANGS) and all(rule.message.values()), rule.id
    for row in reference().sanction_rows:
        assert set(row.title) == set(LANGS) and all(row.title.values()), row.code


def test_a_report_in_russian_cites_the_law_in_russian() -> None:
    c = json.loads((ROOT / "examples" / "uzbek-overstay.json").read_text(encoding="utf-8"))
    v = check(c, lang="ru").violations[0]
    assert all("КоАП РК" in b or "Правила" in b for b in v.legal_basis), v.legal_basis


BAD_CASES = [
    {"person": {"citizenship": "KZ"}},
    {"person": {"citizenship": "XX"}},
    {"person": {"citizenship": "UZ"}, "trips": [{"entry": "2026-02-30"}]},
    {"person": {"citizenship": "UZ"}, "trips": [{"entry": "01.02.2026"}]},
    {"person": {"citizenship": "UZ"}, "trips": [{"entry": "2026-02-01", "exit": "2026-01-01"}]},
    {"person": {"citizenship": "UZ"}, "trips": [{"entry": "2026-02-01", "purpose": "fun"}]},
    {"person": {"citizenship": "UZ"}, "trips": "none"},
    {"person": {"citizenship": "UZ"}, "colour": "red"},
    {"person": {}},
    {"person": {"citizenship": "UZ"}, "documents": [{"type": "visa", "valid_from": "2026-01-01"}]},
    {"person": {"citizenship": "UZ"}, "hosts": [{"id": "h", "type": "hotel"}]},
    {"person": {"citizenship": "UZ"}, "trips": [{"entry": "2026-01-01", "exit": "2026-01-10"},
                                                {"entry": "2026-01-05", "exit": "2026-01-12"}]},
    {"person": {"citizenship": "UZ"}, "trips": [{"entry": "2026-01-01"}],
     "stays": [{"host": "h2", "from": "2026-01-01"}], "hosts": []},
    ["not", "a", "case"],
    {"person": {"citizenship": "UZ"}, "trips": [{"entry": "1800-01-01"}]},
    {"person": {"citizenship": "UZ"}, "trips": [{"entry": 20260201}]},
    {"person": {"citizenship": "UZ"}, "colour": json.loads("[" * 40 + "]" * 40)},
]
# Texts the JSON boundary (limits.loads) refuses before a case exists.
BAD_TEXTS = [b'{"person": "\xff"}', '{"person": }', '{"n": ' + "1" * 5000 + "}",
             '{"person": {"citizenship": "UZ"}, "person": {}}']


@pytest.mark.parametrize("bad", BAD_CASES, ids=lambda b: json.dumps(b)[:60])
def test_error_sentences_are_translated_and_keep_the_field(bad: Any) -> None:
    with pytest.raises(CaseError) as e:
        check(bad, as_of=date(2026, 3, 1))
    assert match(e.value.problem) is not None, f"no error template for {e.value.problem!r}"
    for lang in OTHER:
        text = case_error_text(e.value, lang)
        assert text.startswith(f"{e.value.field}: " if e.value.field else ""), text
        allowed = words_of(strings(bad), identifiers_only=False) | enum_words() | {"stateless"}
        assert not english_words(text.removeprefix(e.value.field), allowed), text


@pytest.mark.parametrize("bad", BAD_TEXTS, ids=lambda b: repr(b)[:40])
def test_boundary_errors_are_translated_and_keep_the_field(bad: str | bytes) -> None:
    with pytest.raises(CaseError) as e:
        loads(bad)
    assert match(e.value.problem) is not None, f"no error template for {e.value.problem!r}"
    for lang in OTHER:
        text = case_error_text(e.value, lang)
        assert text.startswith(f"{e.value.field}: " if e.value.field else ""), text
        quoted = words_of(iter([bad.decode("latin-1") if isinstance(bad, bytes) else bad]), identifiers_only=False)
        assert not english_words(text.removeprefix(e.value.field), quoted | {"JSON", "UTF"}), text


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_every_boundary_problem_is_an_error_template(name: str) -> None:
    """A new entry of errors.PROBLEMS without its translations fails here (the sentence must match its own
    template, not a looser one, and read in ru and kk without English words beyond the values filled in)."""
    fields = sorted(set(re.findall(r"\{(\w+)(?:![rsa])?\}", PROBLEMS[name])))
    values = [str(7001 + i) for i in range(len(fields))]  # whole numbers, as a plural template counts one
    sentence = problem(name, **dict(zip(fields, values, strict=True)))
    found = match(sentence)
    assert found is not None and template_id(PROBLEMS[name]) in ((found[0],) if isinstance(found[0], str)
                                                                  else found[0]), (sentence, found)
    for lang in OTHER:
        entry = catalog(lang).get(found[0], context=ERROR)
        assert entry is not None and all(entry.string), f"{lang}.po has no error template for {name}"
        text = problem_text(sentence, lang)
        assert text != sentence and all(v in text for v in values), text
        assert not english_words(text, {"JSON", "UTF"}), text


def test_a_plural_error_template_takes_the_plural_form_of_its_count() -> None:
    """A counted noun in an error sentence agrees with the number, as the language's plural rule says."""
    deeper = [problem_text(problem("too_deep", limit=n), "ru") for n in (1, 2, 5, 21, 32)]
    assert [d.removeprefix("вложенность JSON превышает допустимую (не более ") for d in deeper] == \
        ["1 уровня)", "2 уровней)", "5 уровней)", "21 уровня)", "32 уровней)"]
    assert problem_text("over the limit of 1 byte", "ru") == "больше допустимого предела в 1 байт"
    assert problem_text("over the limit of 1024 bytes", "ru") == "больше допустимого предела в 1024 байта"
    assert problem_text("over the limit of 65536 bytes", "kk") == "рұқсат етілген 65536 байт шегінен көп"
    assert problem_text("line longer than many bytes", "ru") == "line longer than many bytes"  # a count is a number


def test_cli_error_in_the_language_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"person": {"citizenship": "UZ"}, "trips": [{"entry": "2026-02-30"}]}', encoding="utf-8")
    assert main(["check", str(path), "--lang", "kk"]) == 2
    assert capsys.readouterr().err == \
        "kzcompliance: қате кіріс деректер: trips[0].entry: '2026-02-30' — күнтізбеде жоқ күн\n"
    assert main(["check", str(tmp_path / "missing.json"), "--lang", "ru"]) == 2
    assert "не удаётся прочитать: нет такого файла или каталога" in capsys.readouterr().err


# Words a ru or kk screen may show: the case's own data, identifiers (JSON keys and space-free values of the
# same command's JSON output), the seed `source` citations (kept in English: see README, "Languages"), and these.
ALLOWED = {"ISO", "JSON", "URL", "null", "true", "false"}
WORD = re.compile(r"(?<![\w\-./\[])[A-Za-z]{3,}(?![\w\-./\]])")


def english_words(text: str, allowed: set[str]) -> list[str]:
    return sorted({w for w in WORD.findall(text) if w not in allowed and w not in ALLOWED})


def strings(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield str(k)
            yield from strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from strings(v)
    elif isinstance(data, str):
        yield data


def words_of(texts: Iterator[str], identifiers_only: bool) -> set[str]:
    return {w for s in texts if not (identifiers_only and " " in s) for w in re.findall(r"[A-Za-z]+", s)}


def seed_sources() -> set[str]:
    """The `source` citations of the seed rows (explain shows them as the seeds write them)."""
    out: set[str] = set()
    for path in (ROOT / "seeds").glob("*.yaml"):
        out |= set(re.findall(r'source: "([^"]*)"', path.read_text(encoding="utf-8")))
    for path in (ROOT / "seeds").glob("*.csv"):
        with path.open(encoding="utf-8") as f:
            out |= {row.get("source") or "" for row in csv.DictReader(f)}
    return out


def enum_words() -> set[str]:
    """The enumerated values of the case format (identifiers an error sentence may name)."""
    schema = json.dumps(Case.model_json_schema(by_alias=True))
    return {w for values in re.findall(r'"enum": \[([^\]]*)\]', schema) for w in re.findall(r"[A-Za-z]+", values)}


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    """The CLI run in this process (as `kzcompliance ARGS` from the checkout): its stdout and stderr."""
    main([str(ROOT / a) if a.startswith(EX) else a for a in args])
    out = capsys.readouterr()
    return out.out, out.err


EX = "examples/"
SCREENS = [
    ("check", EX + "uzbek-overstay.json"), ("check", EX + "hotel-late-notice.json"),
    ("check", EX + "eaeu-worker.json"), ("check", EX + "hire-without-permit.json"),
    ("explain", EX + "uzbek-overstay.json"), ("explain", EX + "hire-without-permit.json"),
    ("roster", EX + "roster/construction-roster.json"),
    ("hire", EX + "hire/chinese-engineer.json", "--start", "2026-05-04", "--end", "2026-12-31",
     "--employer", "almaty-tech", "--category", "3"),
    ("hire", EX + "hire/eaeu-welder.json", "--start", "2026-04-01", "--end", "2026-09-30",
     "--employer", "karaganda-steel", "--category", "4"),
    ("hire", EX + "hire/household-nanny.json", "--start", "2026-04-06", "--employer", "family-abenov"),
    ("rules",),
]


@pytest.mark.parametrize("lang", OTHER)
@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: "-".join(Path(a).stem for a in s[:2]))
def test_ru_and_kk_screens_print_no_english_word(screen: tuple[str, ...], lang: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    text, err = cli(capsys, *screen, "--lang", lang)
    as_json, json_err = cli(capsys, *screen, "--lang", lang, "--format", "json")
    assert err == json_err == "", err + json_err
    allowed = words_of(strings(json.loads(as_json)), identifiers_only=True)
    if len(screen) > 1:
        allowed |= words_of(strings(json.loads((ROOT / screen[1]).read_text(encoding="utf-8"))),
                            identifiers_only=False)
    if screen[0] == "explain":
        allowed |= words_of(iter(seed_sources()), identifiers_only=False)
    assert english_words(text, allowed) == []
    assert re.search("[әғқңөұүһі]" if lang == "kk" else "[а-яё]", text)


def test_counted_days_in_rule_messages() -> None:
    assert [fill("{n:days} late", {"n": n}, "en") for n in (1, 2)] == ["1 day late", "2 days late"]
    assert [fill("{n:days}", {"n": n}, "ru") for n in (1, 4, 5, 21)] == ["1 день", "4 дня", "5 дней", "21 день"]
    assert fill("{n:days}, {m}", {"n": 5}, "kk") == "5 күн, ?"
    for rule in default_rulebook().rules:
        assert not re.search(r"\} days\b", rule.message["en"]) and not re.search(r"\} дн\.", rule.message["ru"]), \
            f"{rule.id}: a count of days written without :days"
