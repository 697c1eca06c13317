"""The command line on the bundled examples: the legally expected answer, spec field names, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC_REPORT = {"as_of", "law_version", "regime", "compliant", "unchecked", "violations", "obligations"}
SPEC_VIOLATION = {"rule", "subject", "subject_id", "since", "message", "facts", "legal_basis", "sanction"}
SPEC_SANCTION = {"code", "article", "part", "item", "warning", "fine_mrp", "fine_kzt", "mrp", "expulsion",
                 "entry_ban_years", "verified"}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kzcompliance", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)


def report(path: str, *extra: str) -> tuple[int, dict]:
    p = cli("check", path, "--format", "json", *extra)
    assert p.stderr == ""
    return p.returncode, json.loads(p.stdout)


def test_uzbek_overstay_is_517_3_2_and_the_host_is_warned() -> None:
    code, r = report("examples/uzbek-overstay.json")
    assert code == 1 and r["regime"] == "cis" and not r["compliant"]
    found = {(v["rule"], v["sanction"]["code"], v["since"]) for v in r["violations"]}
    assert found == {("stay.visa-free-term", "517-3.2", "2026-03-03"), ("host.ensure-departure", "518-1", "2026-03-03")}
    stay = next(v for v in r["violations"] if v["rule"] == "stay.visa-free-term")
    assert stay["facts"]["overstay_days"] == 4 and stay["sanction"]["fine_kzt"] == 43250
    assert r["obligations"][0]["kind"] == "leave_by" and r["obligations"][0]["due"] == "2026-03-06"


def test_eaeu_worker_is_compliant_past_90_days() -> None:
    code, r = report("examples/eaeu-worker.json")
    assert code == 0 and r["compliant"] and r["regime"] == "eaeu" and r["violations"] == []


def test_hotel_notifying_on_the_fourth_working_day_is_fined_as_medium() -> None:
    code, r = report("examples/hotel-late-notice.json")
    assert code == 1
    [v] = r["violations"]
    assert (v["rule"], v["subject"], v["subject_id"]) == ("registration.host-notice-late", "host", "hotel-astana")
    assert (v["sanction"]["fine_mrp"], v["sanction"]["fine_kzt"]) == (15, 15 * 4325)


def test_hire_without_permit_expels_the_worker_and_fines_the_employer() -> None:
    code, r = report("examples/hire-without-permit.json")
    assert code == 1
    by_rule = {v["rule"]: v for v in r["violations"]}
    assert by_rule["labour.work-without-permit"]["sanction"]["expulsion"] is True
    assert by_rule["labour.work-without-permit"]["sanction"]["entry_ban_years"] == 5
    employer = by_rule["labour.employer-without-permit"]
    assert employer["subject_id"] == "build-1" and employer["sanction"]["code"] == "519-1"
    assert employer["sanction"]["fine_mrp"] is None and employer["sanction"]["verified"] is False


@pytest.mark.parametrize("path", sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("*.json")))
def test_reports_keep_the_spec_field_names(path: str) -> None:
    _code, r = report(path)
    assert SPEC_REPORT <= set(r)
    for v in r["violations"]:
        assert SPEC_VIOLATION <= set(v) and SPEC_SANCTION <= set(v["sanction"])
    for o in r["obligations"]:
        assert {"kind", "subject", "due"} <= set(o) and o["due"] >= r["as_of"]


def test_as_of_flag_overrides_the_case() -> None:
    code, r = report("examples/uzbek-overstay.json", "--as-of", "2026-03-02")
    assert code == 0 and r["as_of"] == "2026-03-02"


def test_text_output_in_russian() -> None:
    p = cli("check", "examples/uzbek-overstay.json", "--lang", "ru")
    assert p.returncode == 1 and "НАРУШЕНИЯ" in p.stdout and "Пребывание 34 дня" in p.stdout


def test_schema_prints_both_schemas() -> None:
    p = cli("schema")
    schemas = json.loads(p.stdout)
    assert p.returncode == 0
    assert {"as_of", "person", "trips", "prior_offences"} <= set(schemas["case"]["properties"])
    assert "from" in schemas["case"]["$defs"]["Stay"]["properties"]
    assert SPEC_REPORT <= set(schemas["report"]["properties"])


def test_rules_in_force_follow_the_2026_07_01_switch() -> None:
    def ids(day: str) -> set[str]:
        p = cli("rules", "--as-of", day, "--format", "json")
        assert p.returncode == 0
        return {r["id"] for r in json.loads(p.stdout)}

    assert "registration.host-notice-late" in ids("2026-06-30")
    assert "registration.online-late" not in ids("2026-06-30")
    assert {"registration.online-late", "registration.host-notice-late-other"} <= ids("2026-07-01")
    assert "registration.host-notice-late" not in ids("2026-07-01")


def test_rules_text_lists_sources() -> None:
    p = cli("rules", "--as-of", "2026-03-01")
    assert p.returncode == 0 and "KoAP art. 517 p.3-4" in p.stdout and "[unverified]" in p.stdout


def test_the_program_ends_with_its_output_whole_and_its_exit_code() -> None:
    """`kzcompliance` ends without tearing its heap down (cli.run): what it wrote to a pipe must still all arrive,
    after the same exit code main() returns, with and without worker processes."""
    case = json.loads((ROOT / "examples" / "uzbek-overstay.json").read_text(encoding="utf-8"))
    lines = "".join(json.dumps(case) + "\n" for _ in range(700))  # several chunks of the batch
    for jobs in ("1", "2"):
        p = subprocess.run([sys.executable, "-m", "kzcompliance", "batch", "--jobs", jobs, "-", "-"], input=lines,
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
        out = p.stdout.splitlines()
        assert p.returncode == 1 and len(out) == 700
        assert all(json.loads(line)["violations"] for line in out)
        assert "cases: 700" in p.stderr and p.stderr.endswith("\n")
    code, r = report("examples/eaeu-worker.json")
    assert code == 0 and r["compliant"] is True


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """A pipe closed after the first line (`| head -1`): the program ends quietly, without a traceback."""
    source = tmp_path / "cases.jsonl"
    case = json.loads((ROOT / "examples" / "uzbek-overstay.json").read_text(encoding="utf-8"))
    source.write_text((json.dumps(case) + "\n") * 3000, encoding="utf-8")  # more than a pipe holds
    proc = subprocess.Popen([sys.executable, "-m", "kzcompliance", "batch", "--jobs", "1", str(source), "-"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert json.loads(proc.stdout.readline())["regime"] == "cis"
    proc.stdout.close()
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and b"Traceback" not in err and b"Exception ignored" not in err
    # a reader gone before the report is written, its output buffered as a pipe's is by default: the loss shows
    # only at the final flush, which must end the program as quietly (it printed "Exception ignored", exit 120)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.Popen([sys.executable, "-m", "kzcompliance", "check", "examples/uzbek-overstay.json"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    proc.stdout.close()
    _out, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (0, b"")
