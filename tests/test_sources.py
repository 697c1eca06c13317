"""docs/sources.md and the data cite the same acts: every act of seeds/legal_acts.yaml has its row there, with
the same URL, and every URL a seed row gives is one of those acts'."""

from __future__ import annotations

import re
from pathlib import Path

from kzcompliance.i18n.legal import acts
from kzcompliance.seeds import reference

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")


def act_rows() -> dict[str, str]:
    """The acts table of docs/sources.md: each backticked id in a row, with the row's text."""
    table = SOURCES.split("## Acts", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in table.splitlines():
        if line.startswith("| `"):
            for ident in re.findall(r"`([a-z0-9_]+)`", line):
                rows[ident] = line
    return rows


def test_every_act_the_rules_name_is_listed_with_its_url() -> None:
    rows = act_rows()
    for act in acts():
        assert act.id in rows, f"docs/sources.md has no row for the act {act.id!r}"
        if act.url:
            assert act.url in rows[act.id], f"docs/sources.md gives {act.id!r} another URL than {act.url}"


def test_every_seed_url_is_an_act_listed_in_the_sources() -> None:
    ref = reference()
    rows = [*ref.mrp_rows, *ref.overrides, *ref.members, *ref.sanction_rows, *ref.permit_rows, *ref.quota_rows,
            *(r for rs in ref.parameters.values() for r in rs), *(t for g in ref.groups.values() for t in g.terms)]
    urls = {r.url for r in rows if r.url}
    assert urls, "no seed row names where its act can be read"
    listed = set(re.findall(r"https://\S+?(?=[ |;)]|$)", SOURCES))
    assert urls <= listed, sorted(urls - listed)


def test_the_brief_the_sources_cite_is_in_the_repository() -> None:
    brief = (ROOT / "docs" / "legal-brief.md").read_text(encoding="utf-8")
    assert "## 8. Corrections" in brief and "| C15 |" in brief
    cited = re.findall(r"brief s\.(\d+)", (ROOT / "seeds" / "sanctions.yaml").read_text(encoding="utf-8"))
    for section in sorted({int(n) for n in cited}):
        assert f"\n## {section}." in brief, f"seeds cite brief s.{section}, which docs/legal-brief.md lacks"
