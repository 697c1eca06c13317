"""The fact-field glossary stays in step with FACT_FIELDS, and the generated docs and schemas with the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kzcompliance.cli import main, schema_files
from kzcompliance.facts import FACT_FIELDS
from kzcompliance.i18n import LANGS
from kzcompliance.glossary import GLOSSARY_FILE, glossary, glossary_markdown, stale_entries
from kzcompliance.resources import bundled_dir, load_yaml
from kzcompliance.rulebook import RuleFile
from kzcompliance.seeds import SEED_FILE_MODELS

ROOT = Path(__file__).resolve().parent.parent
UNITS = {"code", "id", "text", "date", "ordinal", "days", "working_days", "bool", "count", "percent", "mrp"}
UNIT_TYPES = {"date": {"date"}, "ordinal": {"int"}, "days": {"int"}, "working_days": {"int"}, "count": {"int"},
              "percent": {"int"}, "mrp": {"int"}, "bool": {"bool"}, "code": {"str"}, "id": {"str"}, "text": {"str"}}


def test_every_fact_field_has_a_meaning_and_a_unit_that_fits_its_type() -> None:
    entries = glossary()
    assert [(e.kind, e.name) for e in entries] == [(k, n) for k, fs in FACT_FIELDS.items() for n in fs]
    for e in entries:
        assert e.unit in UNITS, f"{e.kind}.{e.name}: unit {e.unit!r}"
        assert e.type in UNIT_TYPES[e.unit], f"{e.kind}.{e.name}: a {e.type} cannot be measured in {e.unit}"
        assert e.meaning["en"].strip().endswith("."), f"{e.kind}.{e.name}: a meaning is a sentence"


def test_every_meaning_is_in_every_language_keeping_its_identifiers() -> None:
    for e in glossary():
        where = f"{e.kind}.{e.name}"
        assert set(e.meaning) == set(LANGS) and all(v.strip() for v in e.meaning.values()), where
        assert re.search("[а-яё]", e.meaning["ru"]) and re.search("[әғқңөұүһі]", e.meaning["kk"]), where
        for ident in re.findall(r"\b[a-z]+(?:_[a-z]+)+\b|\b[A-Z][a-z]+\.[a-z_]+\b|\w+\[\]?[\w.]*", e.meaning["en"]):
            assert ident in e.meaning["ru"] and ident in e.meaning["kk"], f"{where}: {ident} not kept"


@pytest.mark.parametrize("lang", LANGS)
def test_rules_fields_prints_the_meanings_in_the_language_asked(lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--fields", "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert all(f"  {e.name} ({e.type}, {e.unit}): {e.meaning[lang]}" in out for e in glossary())


def test_the_glossary_keeps_no_entry_for_a_field_that_is_gone() -> None:
    assert stale_entries() == []


def test_a_named_parameter_exists_in_the_seeds() -> None:
    with open(bundled_dir("seeds") / "parameters.yaml", encoding="utf-8") as f:
        names = set(load_yaml(f)["parameters"])
    for e in glossary():
        if e.parameter and e.parameter.startswith("seeds/"):  # a figure of another seed file, named by its path
            assert (ROOT / e.parameter.split()[0]).is_file(), f"{e.kind}.{e.name}: {e.parameter}"
            continue
        for part in (e.parameter or "").split(", "):
            if part:
                assert part in names, f"{e.kind}.{e.name}: no seeds parameter {part!r}"


def test_docs_facts_md_is_the_generated_glossary() -> None:
    """Regenerate with: kzcompliance rules --fields --format markdown > docs/facts.md"""
    assert (ROOT / "docs" / "facts.md").read_text(encoding="utf-8") == glossary_markdown() + "\n"


def test_docs_schemas_are_the_generated_schemas() -> None:
    """Regenerate with: kzcompliance schema --write docs/schemas"""
    folder = ROOT / "docs" / "schemas"
    assert sorted(p.name for p in folder.glob("*.schema.json")) == sorted(schema_files())
    for name, text in schema_files().items():
        assert (folder / name).read_text(encoding="utf-8") == text, f"docs/schemas/{name} is stale"


@pytest.mark.parametrize("name", sorted(SEED_FILE_MODELS))
def test_each_bundled_seed_file_fits_its_schema_model(name: str) -> None:
    with open(bundled_dir("seeds") / name, encoding="utf-8") as f:
        SEED_FILE_MODELS[name].model_validate(load_yaml(f))


def test_the_seed_file_models_cover_every_yaml_seed_file() -> None:
    assert sorted(p.name for p in bundled_dir("seeds").glob("*.yaml")) == sorted(SEED_FILE_MODELS)


def test_each_bundled_rule_file_fits_the_rule_file_model_and_names_its_schema() -> None:
    for path in sorted(bundled_dir("rules").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        with open(path, encoding="utf-8") as f:
            RuleFile.model_validate(load_yaml(f))
        assert "$schema=../docs/schemas/rule.schema.json" in text.splitlines()[0], path.name


def test_each_yaml_seed_file_names_its_schema() -> None:
    for path in sorted(bundled_dir("seeds").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert f"$schema=../docs/schemas/seeds-{path.stem}.schema.json" in first, path.name


def test_the_rule_schema_rejects_what_the_loader_rejects() -> None:
    schema = json.loads(schema_files()["rule.schema.json"])
    rule = schema["$defs"]["Rule"]
    assert rule["additionalProperties"] is False
    assert {"id", "subject", "fact", "when", "legal_basis", "effective", "verified", "message"} <= set(rule["required"])


def test_glossary_file_is_packaged_beside_the_module() -> None:
    assert GLOSSARY_FILE.is_file()
