"""Reference data from seeds/: MRP, regime groups, sanctions, parameters, documents, calendar overrides,
the permit each employer type needs and the annual foreign-labour quotas.

Every row carries its effective period, `source` and `verified`; loading validates them and fails
naming the file and the row. Lookups pick the row in force on a date.
"""

from __future__ import annotations

import csv
from bisect import bisect_right
import threading
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Sequence, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .dates import ByDate, ByKey, ValueByDate, in_period, parse_iso
from .errors import SeedError, format_loc
from .i18n import LANGS, Lang
from .i18n.legal import ActsFile
from .resources import bundled_dir, load_yaml

Tier = Literal["individual", "official", "small", "nonprofit", "medium", "large"]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    start: date = Field(alias="from")
    until: date | None = None
    verified: bool
    source: str = Field(min_length=1)
    url: str | None = Field(default=None, pattern=r"^https://")  # where the act cited can be read (docs/sources.md)
    note: str | None = None

    @field_validator("start", "until", mode="before")
    @classmethod
    def _iso(cls, v: object) -> object:
        return None if v is None or v == "" else parse_iso(v)

    @model_validator(mode="after")
    def _order(self) -> "_Row":
        if self.until is not None and self.until < self.start:
            raise ValueError("until: is before from")
        return self

    def in_force(self, on: date) -> bool:
        """Whether the row applies on `on`."""
        return in_period(on, self.start, self.until)


class MrpRow(_Row):
    mrp: int = Field(gt=0)


class TermRow(_Row):
    per_entry_days: int | None = Field(default=None, gt=0)
    cap_days: int | None = Field(default=None, gt=0)
    window_days: int | None = Field(default=None, gt=0)
    cap_from: date | None = None  # the cap counts stays begun since then (default: the row's `from`)

    @model_validator(mode="after")
    def _cap_pair(self) -> "TermRow":
        if (self.cap_days is None) != (self.window_days is None):
            raise ValueError("cap_days: cap_days and window_days go together")
        if self.cap_from is not None and (self.cap_days is None or self.cap_from > self.start):
            raise ValueError("cap_from: only for a row with a cap, and not after the row's `from`")
        return self


class Group(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    regime: str
    plugin: str
    terms: tuple[TermRow, ...]


class MemberRow(_Row):
    country: str = Field(pattern=r"^[A-Z]{2}$")
    group: str


class TierFine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fine_mrp: int | None = Field(ge=0)
    warning: bool = False
    invitation_ban_years: int = Field(default=0, ge=0)  # a ban on inviting foreigners (518 p.3, businesses)


class SanctionRow(_Row):
    code: str = Field(pattern=r"^\d{3}-\d+(\.\d+)?$")
    article: int
    part: int
    item: int | None = None
    title: dict[Lang, str]
    tiers: dict[Tier, TierFine]
    expulsion: bool = False
    expulsion_possible: bool = False
    entry_ban_years: int = 0
    entry_ban_years_if_expelled: int = 0
    arrest_days_max: int | None = Field(default=None, gt=0)  # administrative arrest the source names as possible

    def fine_for(self, tier: str | None) -> TierFine | None:
        """The fine of `tier` (None when the tier is unknown or the catalogue has no row for it)."""
        tiers: dict[Any, TierFine] = self.tiers
        return tiers.get(tier)

    def title_in(self, lang: str) -> str:
        titles: dict[Any, str] = self.title
        return titles.get(lang) or self.title["en"]

    @model_validator(mode="after")
    def _code_matches(self) -> "SanctionRow":
        expected = f"{self.article}-{self.part}" + (f".{self.item}" if self.item is not None else "")
        if expected != self.code:
            raise ValueError(f"code: {self.code} does not match article/part/item {expected}")
        if set(self.title) != set(LANGS):
            raise ValueError(f"title: needs {', '.join(LANGS)}")
        return self


class ParameterRow(_Row):
    value: int


class DocumentKind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    stay_basis: bool
    work: Literal["none", "same_employer", "household", "any", "exempt"]
    permanent: bool
    verified: bool
    source: str


class PermitRow(_Row):
    """The permit a foreign worker needs for an employer type, and the documents that also allow the work."""

    employer_type: Literal["individual", "legal_entity"]
    permit: str
    alternatives: tuple[str, ...] = ()


class QuotaRow(_Row):
    """The annual foreign-labour quota in force: shares of the labour force, IRS permits by category."""

    irs_pct: Decimal = Field(ge=0)
    labour_immigrant_pct: Decimal = Field(ge=0)
    irs_by_category: dict[str, int] | None = None

    @property
    def series(self) -> str:
        """One series of rows: their periods must not overlap."""
        return "quota"


class Coverage(BaseModel):
    """Until when a dated table is known (seeds/coverage.yaml): past it, its last figure is carried forward."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    known_until: date
    source: str = Field(min_length=1)
    rows_ahead: bool = False  # rows may stand past known_until: law announced ahead of a table not yet complete


Table = Literal["mrp", "calendar_overrides", "quotas"]


class _CoverageFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    tables: dict[Table, Coverage]


class OverrideRow(_Row):
    """One day of the calendar on `date` (a one-day period): `holiday` a public holiday, `day_off` a
    moved or transferred day off, `working_day` a day worked (a transfer, or a former holiday). A year
    with `holiday` rows is listed whole: its calendar is the table's alone (calendar.py)."""

    kind: Literal["holiday", "day_off", "working_day"]

    @property
    def series(self) -> str:
        """One series of days: a date is listed once."""
        return "calendar"


R = TypeVar("R", bound=_Row)


def _by_date(groups: dict[str, list[R]]) -> dict[str, ByDate[R]]:
    """Each group of rows (from `_no_overlaps`) answering by date."""
    return {name: ByDate(group) for name, group in groups.items()}


def _no_overlaps(rows: Sequence[Any], key: str, path: Path) -> dict[str, list[Any]]:
    """The rows grouped by `key`, each group in date order; SeedError where two periods of a group overlap."""
    by: dict[str, list[Any]] = {}
    for r in rows:
        by.setdefault(str(getattr(r, key)), []).append(r)
    for name, items in by.items():
        items.sort(key=lambda r: r.start)
        for a, b in zip(items, items[1:], strict=False):
            if a.until is None or a.until >= b.start:
                raise SeedError(f"{path}: {key} {name}: periods from {a.start} and {b.start} overlap")
    return by


class ReferenceData:
    """All seeds, validated, with date-versioned lookups."""

    def __init__(self, seeds_dir: Path | None = None) -> None:
        self.dir = seeds_dir or bundled_dir("seeds")
        self.mrp_rows: tuple[MrpRow, ...] = tuple(self._csv("mrp.csv", MrpRow))
        self._mrp_starts = [r.start for r in self.mrp_rows]
        self.law_start: date = self.mrp_rows[0].start  # the first day of the law the tables hold (read by each check)
        self.overrides: tuple[OverrideRow, ...] = tuple(
            self._csv("calendar_overrides.csv", OverrideRow, date_col="date"))
        _no_overlaps(self.overrides, "series", self.dir / "calendar_overrides.csv")
        reg = self._yaml("regimes.yaml")
        try:
            self.groups: dict[str, Group] = {k: Group.model_validate(v) for k, v in reg["groups"].items()}
        except ValidationError as e:
            raise self._err("regimes.yaml", e) from None
        self.members: tuple[MemberRow, ...] = tuple(self._rows("regimes.yaml", reg["members"], MemberRow))
        for m in self.members:
            if m.group not in self.groups:
                raise SeedError(f"{self.dir / 'regimes.yaml'}: member {m.country}: unknown group {m.group!r}")
        self._members_of: dict[str, list[MemberRow]] = _no_overlaps(self.members, "country", self.dir / "regimes.yaml")
        self._member_on = _by_date(self._members_of)
        self._terms_on = {name: ByDate(g.terms) for name, g in self.groups.items()}
        self.sanction_rows: tuple[SanctionRow, ...] = tuple(
            self._rows("sanctions.yaml", self._yaml("sanctions.yaml")["sanctions"], SanctionRow))
        self._sanctions_of: dict[str, list[SanctionRow]] = _no_overlaps(self.sanction_rows, "code",
                                                                        self.dir / "sanctions.yaml")
        # by code, the rows answering by date (a compiled look-up: the write-up reads it directly)
        self.sanction_on: ByKey[SanctionRow] = ByKey(self._sanctions_of)
        codes = {r.code for r in self.sanction_rows}
        self.offence_codes = frozenset(codes | {c.split(".")[0] for c in codes})  # also ARTICLE-PART of an item
        self.parameters: dict[str, tuple[ParameterRow, ...]] = {
            name: tuple(self._rows("parameters.yaml", rows, ParameterRow, prefix=name))
            for name, rows in self._yaml("parameters.yaml")["parameters"].items()
        }
        # by name, the rows answering by date (a compiled look-up: the per-check Context reads it directly)
        self.parameter_on: dict[str, ByDate[ParameterRow]] = {
            name: ByDate(rows) for name, rows in self.parameters.items()}
        # and their values alone (a row's field is a generic getattr from compiled code, asked ~9 times a check)
        self.parameter_values: dict[str, ValueByDate] = {
            name: ValueByDate(table) for name, table in self.parameter_on.items()}
        try:
            self.documents: dict[str, DocumentKind] = {
                k: DocumentKind.model_validate(v) for k, v in self._yaml("documents.yaml")["documents"].items()}
        except ValidationError as e:
            raise self._err("documents.yaml", e) from None
        self.permit_rows: tuple[PermitRow, ...] = tuple(
            self._rows("permits.yaml", self._yaml("permits.yaml")["permits"], PermitRow))
        self._permit_on = _by_date(_no_overlaps(self.permit_rows, "employer_type", self.dir / "permits.yaml"))
        for p in self.permit_rows:
            for doc in (p.permit, *p.alternatives):
                if doc not in self.documents:
                    raise SeedError(f"{self.dir / 'permits.yaml'}: {p.employer_type}: unknown document type {doc!r}")
        self.quota_rows: tuple[QuotaRow, ...] = tuple(
            self._rows("quotas.yaml", self._yaml("quotas.yaml")["quotas"], QuotaRow))
        _no_overlaps(self.quota_rows, "series", self.dir / "quotas.yaml")
        self._quota_on = ByDate(self.quota_rows)
        try:
            self.coverage: dict[Table, Coverage] = _CoverageFile.model_validate(self._yaml("coverage.yaml")).tables
        except ValidationError as e:
            raise self._err("coverage.yaml", e) from None
        for table, rows in (("mrp", self.mrp_rows), ("calendar_overrides", self.overrides),
                            ("quotas", self.quota_rows)):
            if table not in self.coverage:
                raise SeedError(f"{self.dir / 'coverage.yaml'}: tables: {table} is missing")
            beyond = [r for r in rows if r.start > self.coverage[table].known_until]
            if beyond and not self.coverage[table].rows_ahead:
                raise SeedError(f"{self.dir / 'coverage.yaml'}: {table}: a row starts on {beyond[0].start}, after "
                                f"known_until {self.coverage[table].known_until}: move known_until")

    # -- loading -------------------------------------------------------------------------------
    def _err(self, name: str, e: ValidationError, prefix: str = "") -> SeedError:
        first = e.errors(include_url=False)[0]
        loc = format_loc(first["loc"])
        return SeedError(f"{self.dir / name}: {prefix}{loc}: {first['msg']}")

    def _yaml(self, name: str) -> dict[str, Any]:
        path = self.dir / name
        try:
            with open(path, encoding="utf-8") as fh:
                data = load_yaml(fh)
        except (OSError, yaml.YAMLError) as e:
            raise SeedError(f"{path}: {e}") from None
        if not isinstance(data, dict):
            raise SeedError(f"{path}: expected a mapping at the top")
        return data

    def _rows(self, name: str, rows: list[Any], model: type[Any], prefix: str = "") -> list[Any]:
        out = []
        for i, raw in enumerate(rows):
            try:
                out.append(model.model_validate(raw))
            except ValidationError as e:
                raise self._err(name, e, prefix=f"{prefix}[{i}].") from None
        return out

    def _csv(self, name: str, model: type[Any], date_col: str | None = None) -> list[Any]:
        path = self.dir / name
        out = []
        with open(path, encoding="utf-8", newline="") as fh:
            for lineno, row in enumerate(csv.DictReader(fh), start=2):
                raw: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
                if date_col:
                    raw["from"] = raw["until"] = raw.pop(date_col)
                raw["verified"] = (raw.get("verified") or "").lower() == "true"
                try:
                    out.append(model.model_validate(raw))
                except ValidationError as e:
                    first = e.errors(include_url=False)[0]
                    raise SeedError(f"{path}:{lineno}: {format_loc(first['loc'])}: {first['msg']}") from None
        return sorted(out, key=lambda r: r.start)

    # -- lookups -------------------------------------------------------------------------------
    def known_until(self, table: Table) -> date:
        """The last day `table` is known for (seeds/coverage.yaml)."""
        return self.coverage[table].known_until

    def mrp(self, on: date) -> MrpRow:
        """The MRP row in force on `on` (the latest row starting on or before it), found by bisection."""
        i = bisect_right(self._mrp_starts, on)
        if i == 0:
            raise LookupError(f"no MRP before {self.mrp_rows[0].start}: {on.isoformat()} is outside the data")
        return self.mrp_rows[i - 1]

    def sanction_row(self, code: str, on: date) -> SanctionRow | None:
        """The catalogue's row of `code` in force on `on`, or None."""
        return self.sanction_on.at(code, on)

    def sanction(self, code: str, on: date) -> SanctionRow:
        found = self.sanction_row(code, on)
        if found is None:
            raise LookupError(f"no sanction {code} in force on {on.isoformat()}")
        return found

    def sanction_in_force(self, code: str, on: date) -> bool:
        """Whether the catalogue has a row of `code` in force on `on`."""
        return self.sanction_row(code, on) is not None

    def sanction_covers(self, code: str, start: date) -> bool:
        """Whether rows of `code` are in force on every day from `start` on, without a gap or an end."""
        day = start
        for r in self._sanctions_of.get(code, ()):
            if r.start <= day and (r.until is None or r.until >= day):
                if r.until is None:
                    return True
                day = r.until + timedelta(days=1)
        return False

    def sanction_codes(self) -> set[str]:
        return {r.code for r in self.sanction_rows}

    def parameter(self, name: str, on: date) -> ParameterRow | None:
        """The parameter row in force on `on`, or None when the figure did not exist then."""
        table = self.parameter_on.get(name)
        return table.at(on) if table is not None else None

    def permit_for(self, employer_type: str, on: date) -> PermitRow | None:
        """The permit row for `employer_type` in force on `on`."""
        table = self._permit_on.get(employer_type)
        return table.at(on) if table is not None else None

    def quota(self, on: date) -> QuotaRow | None:
        """The quota row in force on `on`; past the table's `known_until` the last row carried forward;
        None before the first row or in a gap."""
        row = self._quota_on.at(on)
        if row is None and self.quota_rows and on > self.known_until("quotas"):
            return max(self.quota_rows, key=lambda r: r.start)
        return row

    def memberships(self, country: str) -> Sequence[MemberRow]:
        """Every membership row of `country`, in date order."""
        return self._members_of.get(country, ())

    def membership(self, country: str, on: date) -> MemberRow | None:
        table = self._member_on.get(country)
        return table.at(on) if table is not None else None

    def terms(self, group: str, on: date) -> TermRow | None:
        return self._terms_on[group].at(on)


_lock = threading.Lock()
_default: ReferenceData | None = None


def reference() -> ReferenceData:
    """The bundled reference data, loaded once per process."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = ReferenceData()
    return _default


class _SeedFile(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RegimesFile(_SeedFile):
    """seeds/regimes.yaml: the groups with their stay terms, and the member states by period."""

    groups: dict[str, Group]
    members: list[MemberRow]


class SanctionsFile(_SeedFile):
    """seeds/sanctions.yaml: the KoAP sanctions catalogue by code and period."""

    sanctions: list[SanctionRow]


class ParametersFile(_SeedFile):
    """seeds/parameters.yaml: named figures of law (deadlines, thresholds, allowances) by period."""

    parameters: dict[str, list[ParameterRow]]


class DocumentsFile(_SeedFile):
    """seeds/documents.yaml: what each document type does in law."""

    documents: dict[str, DocumentKind]


class PermitsFile(_SeedFile):
    """seeds/permits.yaml: the permit each employer type needs, by period."""

    permits: list[PermitRow]


class QuotasFile(_SeedFile):
    """seeds/quotas.yaml: the annual foreign-labour quotas."""

    quotas: list[QuotaRow]


# The YAML seed files and the models their JSON Schemas come from (`kzcompliance schema seeds`); the
# CSV tables (mrp.csv, calendar_overrides.csv) are described by their row models.
SEED_FILE_MODELS: dict[str, type[BaseModel]] = {
    "regimes.yaml": RegimesFile, "sanctions.yaml": SanctionsFile, "parameters.yaml": ParametersFile,
    "documents.yaml": DocumentsFile, "permits.yaml": PermitsFile, "quotas.yaml": QuotasFile,
    "coverage.yaml": _CoverageFile, "legal_acts.yaml": ActsFile,
}
