"""Declarative rules from rules/*.yaml (and plugins' files): loading, validation, compilation.

A rule file holds `area` and `rules`. Each rule has an id, the subject it binds, the fact kind it
reads, a condition (`when`), exactly one outcome: a sanction (a KoAP code, or grades chosen by
conditions), an obligation (its kind and the fact field holding the due date), or a finding (its kind,
e.g. `permit_blocked`: a condition of issuing permits is not met, which is no offence in itself), its
legal basis, effective period, `verified`, and its message in ru, kk and en. Loading fails naming the
file and rule id.

A rule's effective period is matched against the fact's `on_day` (the date the duty arose: a trip's
entry, a stay's arrival, a job's start), so conduct is judged by the law in force when it happened.
Each rule (and each sanction grade) compiles to one engine rule named ``<rule id>#<grade>``.
`Rulebook.fire` asks its engine through a decision memo (engines/memo.py): the engine decides each
class of facts the conditions cannot tell apart once per process; `Rulebook.engine` is the engine itself.
"""

from __future__ import annotations

import string
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Literal, Optional, Sequence, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .conditions import ConditionError, validate
from .dates import FAR_FUTURE, Period, parse_iso
from .engines import Engine, build_engine
from .engines.fired import fired
from .engines.memo import MemoEngine
from .errors import RuleFileError, format_loc, problem
from .facts import FACT_FIELDS
from .i18n import LANGS
from .i18n.messages import UNITS
from .resources import load_yaml
from .seeds import ReferenceData, reference
from .writing import Writing



class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Grade(_Model):
    """One sanction grade: the code applies when `when` holds (no `when`: the fallback, last)."""

    when: Optional[dict[str, Any]] = None
    code: str


class Effective(_Model):
    start: date = Field(alias="from")
    until: Optional[date] = None

    @field_validator("start", "until", mode="before")
    @classmethod
    def _iso(cls, v: object) -> object:
        return None if v is None else parse_iso(v)

    @model_validator(mode="after")
    def _order(self) -> "Effective":
        if self.until is not None and self.until < self.start:
            raise ValueError("until: is before from")
        return self


class Rule(_Model):
    id: str = Field(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
    subject: Literal["foreigner", "host", "employer"]
    fact: Literal["trip", "stay", "job", "staff"]
    when: dict[str, Any]
    sanction: Optional[Union[str, list[Grade]]] = None
    since: Optional[str] = None
    obligation: Optional[str] = Field(default=None, pattern=r"^[a-z_]+$")
    due: Optional[str] = None
    finding: Optional[str] = Field(default=None, pattern=r"^[a-z_]+$")
    facts: list[str] = Field(default_factory=list)
    legal_basis: list[str] = Field(min_length=1)
    effective: Effective
    verified: bool
    message: dict[str, str]
    note: Optional[str] = None

    @model_validator(mode="after")
    def _shape(self) -> "Rule":
        if sum(x is not None for x in (self.sanction, self.obligation, self.finding)) != 1:
            raise ValueError("a rule carries either a sanction (a violation), an obligation or a finding: exactly one")
        if (self.sanction is not None or self.finding is not None) and not self.since:
            raise ValueError("since: a violation or finding rule names the date field it starts on")
        if self.obligation is not None and not self.due:
            raise ValueError("due: an obligation rule names the date field it is due on")
        if set(self.message) != set(LANGS):
            raise ValueError(f"message: needs exactly {', '.join(LANGS)}")
        return self

    @property
    def period(self) -> Period:
        return Period(self.effective.start, self.effective.until)

    @property
    def grades(self) -> list[Grade]:
        if isinstance(self.sanction, str):
            return [Grade(code=self.sanction)]
        return list(self.sanction or [])


class RuleFile(_Model):
    """A rule file (rules/*.yaml, a plugin's, or one under development): its area and its rules."""

    area: str
    rules: list[Rule]


@dataclass(frozen=True)
class CompiledRule:
    """One engine rule: the source rule, its grade (sanction code or None), and its full condition."""

    name: str
    rule: Rule
    code: Optional[str]
    condition: dict[str, Any]
    path: str

    @cached_property
    def writing(self) -> Writing:
        """What the write-up reads of this rule, read off its pydantic models once (two threads reading it first
        build equal ones)."""
        r = self.rule
        return Writing(r.id, r.subject, r.message, r.obligation, r.finding,
                       str(r.due if r.obligation is not None else r.since), tuple(r.facts), tuple(r.legal_basis),
                       r.verified, self.code)


def _check_field(name: Optional[str], kind: str, want: str, what: str) -> None:
    if name is None:
        return
    ftype = FACT_FIELDS[kind].get(name)
    if ftype is None:
        raise ValueError(f"{what}: unknown {kind} field {name!r}")
    if want and ftype != want:
        raise ValueError(f"{what}: {name!r} is a {ftype}, not a {want}")


def _compile(rule: Rule, path: str, ref: ReferenceData) -> list[CompiledRule]:
    fields = FACT_FIELDS[rule.fact]
    try:
        when = validate(rule.when, fields)
        _check_field(rule.since, rule.fact, "date", "since")
        _check_field(rule.due, rule.fact, "date", "due")
        for f in rule.facts:
            _check_field(f, rule.fact, "", "facts")
        for lang, text in rule.message.items():
            for _lit, name, spec, _conv in string.Formatter().parse(text):
                if name is not None:
                    _check_field(name, rule.fact, "", f"message.{lang}")
                if spec and spec.isalpha() and spec not in UNITS:
                    raise ValueError(f"message.{lang}: unknown unit {spec!r} (units: {', '.join(UNITS)})")
    except (ConditionError, ValueError) as e:
        raise RuleFileError(path, rule.id, str(e)) from None
    until = rule.effective.until or FAR_FUTURE
    guard = [{"kind": rule.fact},
             {"$gte": {"on_day": rule.effective.start.toordinal()}},
             {"$lte": {"on_day": until.toordinal()}}]
    if rule.sanction is None:
        return [CompiledRule(f"{rule.id}#0", rule, None, {"$and": [*guard, when]}, path)]
    out = []
    grades = rule.grades
    for i, grade in enumerate(grades):
        try:
            if grade.code not in ref.sanction_codes():
                raise ValueError(f"sanction: unknown code {grade.code!r} (not in seeds/sanctions.yaml)")
            last = i == len(grades) - 1
            start = rule.effective.start
            if not any(r.code == grade.code and r.start <= until and (r.until is None or r.until >= start)
                       for r in ref.sanction_rows):
                raise ValueError(f"sanction[{i}]: {grade.code} is never in force in the rule's period")
            if last and not ref.sanction_covers(grade.code, start):
                raise ValueError(f"sanction[{i}]: {grade.code}, the last grade, must be in force from the rule's "
                                 "start on (conduct may go on past its end)")
            if grade.when is None and not last:
                raise ValueError(f"sanction[{i}]: only the last grade may omit `when`")
            parts = [*guard, when]
            if grade.when is not None:
                parts.append(validate(grade.when, fields, f"sanction[{i}].when"))
        except (ConditionError, ValueError, LookupError) as e:
            raise RuleFileError(path, rule.id, str(e)) from None
        out.append(CompiledRule(f"{rule.id}#{i}", rule, grade.code, {"$and": parts}, path))
    return out


def load_rule_file(path: Path, ref: ReferenceData) -> list[tuple[Rule, str]]:
    """The rules of one file, each validated; RuleFileError names the file and rule id."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = load_yaml(fh)
    except OSError as e:  # the message names the path once: OSError's own text repeats it
        raise RuleFileError(str(path), None, f"cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise RuleFileError(str(path), None, problem("not_utf8")) from None
    except (yaml.YAMLError, RecursionError, ValueError) as e:
        raise RuleFileError(str(path), None, f"cannot read: {e}") from None
    if not isinstance(data, dict) or set(data) - {"area", "rules"} or not isinstance(data.get("rules"), list):
        raise RuleFileError(str(path), None, "expected a mapping with `area` and a list `rules`")
    out = []
    for i, raw in enumerate(data["rules"]):
        rid = raw.get("id") if isinstance(raw, dict) else None
        try:
            rule = Rule.model_validate(raw)
        except ValidationError as e:
            first = e.errors(include_url=False)[0]
            loc = format_loc(first["loc"])
            msg = str(first["msg"]).removeprefix("Value error, ")
            raise RuleFileError(str(path), str(rid or f"#{i}"), f"{loc}: {msg}" if loc else msg) from None
        out.append((rule, str(path)))
    return out


class Rulebook:
    """The rules in use, compiled once; engines (and their memos) are built from it lazily and cached.
    `memoise=False` makes `fire` ask the engine for every fact (tests comparing the engines use it)."""

    def __init__(self, files: list[Path], ref: ReferenceData | None = None, builtin_dir: Path | None = None,
                 memoise: bool = True) -> None:
        self.ref = ref or reference()
        by_id: dict[str, tuple[Rule, str]] = {}
        self.overridden: dict[str, str] = {}
        builtin = sorted(f for f in files if builtin_dir is None or f.parent == builtin_dir)
        extra = [f for f in files if f not in builtin]
        for path in builtin + extra:
            for rule, p in load_rule_file(path, self.ref):
                if rule.id in by_id:
                    if path in builtin:
                        raise RuleFileError(p, rule.id, f"duplicate rule id (also in {by_id[rule.id][1]})")
                    self.overridden[rule.id] = p
                by_id[rule.id] = (rule, p)
        self.rules: list[Rule] = [r for r, _ in by_id.values()]
        self.paths: dict[str, str] = {r.id: p for r, p in by_id.values()}
        self.compiled: list[CompiledRule] = [c for r, p in by_id.values() for c in _compile(r, p, self.ref)]
        self.by_name: dict[str, CompiledRule] = {c.name: c for c in self.compiled}
        self.memoise = memoise
        self._engines: dict[str, Engine] = {}
        self._memos: dict[str, Engine] = {}
        self._lock = threading.Lock()

    def in_force(self, on: date) -> list[Rule]:
        return [r for r in self.rules if r.period.contains(on)]

    def fire(self, facts: Iterable[dict[str, Any]], engine: str) -> list[tuple[dict[str, Any], list[CompiledRule]]]:
        """Each fact with the compiled rules the named engine fires on it, in declaration order (a list of facts is
        not copied)."""
        return fired(self.memo(engine), facts if isinstance(facts, list) else list(facts), self.by_name)

    def engine(self, name: str) -> Engine:
        """The named engine ('durable' or 'python') over these rules, built once: every fact asked of it."""
        found = self._engines.get(name)
        if found is None:
            with self._lock:
                found = self._engines.get(name)
                if found is None:
                    found = build_engine(name, self.compiled)
                    self._engines[name] = found
        return found

    def memo(self, name: str) -> Engine:
        """The named engine behind its decision memo (engines/memo.py), built once: what `fire` asks.
        Without `memoise`, the engine itself."""
        found = self._memos.get(name)
        if found is None:
            raw = self.engine(name)
            with self._lock:
                found = self._memos.get(name)
                if found is None:
                    found = MemoEngine(raw, self.compiled) if self.memoise else raw
                    self._memos[name] = found
        return found


_default: Rulebook | None = None
_lock = threading.Lock()


def rule_files() -> list[Path]:
    """The bundled rule files and every plugin's, each once."""
    from .plugins import plugin_manager

    files: list[Path] = []
    for group in plugin_manager().hook.kzc_rule_files():
        for f in group:
            if f not in files:
                files.append(f)
    return files


def default_rulebook() -> Rulebook:
    """The bundled rules plus every plugin's rule files, loaded once per process."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                from .resources import bundled_dir

                _default = Rulebook(rule_files(), builtin_dir=bundled_dir("rules"))
    return _default


EXTENDED_KEPT = 8  # rulebook_with: rulebooks kept, the most recently used
_extended: "OrderedDict[tuple[tuple[Path, int, int], ...], Rulebook]" = OrderedDict()


def _file_key(path: Path) -> tuple[Path, int, int]:
    """A rule file as a cache key: its path, and its modification time and size, so an edited file is re-read."""
    try:
        st = path.stat()
    except OSError:
        return (path, -1, -1)  # loading it names the file and why it cannot be read
    return (path, st.st_mtime_ns, st.st_size)


def rulebook_with(extra: Sequence[Path]) -> Rulebook:
    """The default rules plus the rule files `extra` (a rule with a built-in rule's id replaces it), built once
    per list of files as they are now (an edited file is re-read): how a rule author tries a new rule file
    before it joins rules/ or a plugin. The EXTENDED_KEPT most recently used rulebooks are kept."""
    paths = tuple(Path(p).resolve() for p in extra)
    if not paths:
        return default_rulebook()
    key = tuple(_file_key(p) for p in paths)
    with _lock:
        found = _extended.get(key)
        if found is None:
            from .resources import bundled_dir

            found = Rulebook(rule_files() + list(paths), builtin_dir=bundled_dir("rules"))
            _extended[key] = found
            while len(_extended) > EXTENDED_KEPT:
                _extended.popitem(last=False)
        _extended.move_to_end(key)
    return found
