"""Regime plugins: the built-ins decide regimes by date, and a third-party package adds its own through
the `kzcompliance.regimes` entry-point group."""

from __future__ import annotations

import importlib
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from kzcompliance.plugins import ENTRY_POINT_GROUP, new_plugin_manager
from kzcompliance.seeds import reference


@pytest.mark.parametrize(("country", "day", "regime"), [
    ("KG", "2015-08-11", "cis"), ("KG", "2015-08-12", "eaeu"), ("AM", "2015-01-01", "cis"),
    ("AM", "2015-01-02", "eaeu"), ("CN", "2022-07-07", "visa_required"), ("CN", "2022-07-08", "visa_free"),
    ("CN", "2023-11-09", "visa_free"), ("CN", "2023-11-10", "visa_free"),
    ("IN", "2022-07-07", "visa_required"), ("IN", "2022-07-08", "visa_free"), ("TM", "2026-01-01", "visa_required"),
    ("GE", "2026-01-01", "cis"), ("stateless", "2026-01-01", "visa_required"), ("RU", "2015-01-01", "eaeu"),
])
def test_builtin_regimes_by_date(country: str, day: str, regime: str) -> None:
    pm = new_plugin_manager(load_entry_points=False)
    decision = pm.hook.kzc_regime(country=country, on=date.fromisoformat(day), ref=reference())
    assert decision.regime == regime


def test_turkey_switches_to_90_days_per_entry_unverified() -> None:
    pm = new_plugin_manager(load_entry_points=False)
    before = pm.hook.kzc_regime(country="TR", on=date(2025, 9, 7), ref=reference())  # start 2025-09-08 (brief C14, U)
    after = pm.hook.kzc_regime(country="TR", on=date(2025, 9, 8), ref=reference())
    assert before.terms.per_entry_days == 30 and after.terms.per_entry_days == 90 and not after.verified


PLUGIN = textwrap.dedent('''
    """A bilateral agreement: Mongolian citizens visa-free for 90 days per entry."""
    from kzcompliance.plugins import RegimeDecision, StayTerms, hookimpl

    @hookimpl
    def kzc_regime(country, on, ref):
        if country != "MN":
            return None
        terms = StayTerms(per_entry_days=90, cap_days=None, window_days=None, cap_from=None,
                          source="KZ-MN agreement", verified=False, valid_from=on)
        return RegimeDecision(regime="bilateral_mn", group="mn", terms=terms, plugin="mn",
                              source="KZ-MN agreement", verified=False)
''')


def test_third_party_plugin_from_an_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "kzc_mongolia.py").write_text(PLUGIN)
    dist = tmp_path / "kzc_mongolia-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: kzc-mongolia\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nmongolia = kzc_mongolia\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    pm = new_plugin_manager()
    assert "mongolia" in dict(pm.list_name_plugin())
    decision = pm.hook.kzc_regime(country="MN", on=date(2026, 1, 1), ref=reference())
    assert decision.regime == "bilateral_mn" and decision.terms.per_entry_days == 90
    # the built-ins still answer for everyone else
    assert pm.hook.kzc_regime(country="UZ", on=date(2026, 1, 1), ref=reference()).regime == "cis"
    sys.modules.pop("kzc_mongolia", None)


def test_third_party_plugin_drives_a_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kzcompliance import check, plugins

    (tmp_path / "kzc_mongolia2.py").write_text(PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("kzc_mongolia2")
    pm = plugins.plugin_manager()
    pm.register(module, name="mongolia-test")
    try:
        case = {"as_of": "2026-03-31", "person": {"citizenship": "MN"}, "trips": [{"entry": "2026-01-01"}],
                "documents": [], "employment": [], "stays": []}
        assert check(case).regime == "bilateral_mn" and check(case).compliant  # day 90
        late = check({**case, "as_of": "2026-04-01"})
        assert [v.rule for v in late.violations] == ["stay.visa-free-term"]
    finally:
        pm.unregister(name="mongolia-test")
        sys.modules.pop("kzc_mongolia2", None)


def test_uzbek_exemption_starts_with_the_protocol_in_force() -> None:
    # Brief C14 (P): the protocol took effect on the last notification, reported as about 2024-04-14.
    pm = new_plugin_manager(load_entry_points=False)
    ref = reference()

    def exempt(day: date) -> object:
        regime = pm.hook.kzc_regime(country="UZ", on=day, ref=ref)
        return pm.hook.kzc_registration_exempt_days(country="UZ", regime=regime, on=day, ref=ref)

    assert exempt(date(2024, 4, 13)) is None
    found = exempt(date(2024, 4, 14))
    assert isinstance(found, tuple) and found[0] == 30 and "2024-04-14" in found[1]
