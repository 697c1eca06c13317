"""Generated registers shaped like real ones, for the benchmarks: a national flow and an enforcement register.

Both spread their check dates over 2023-2026, a third of them close to a switch of the law (the
90/180 cap of 2023-01-27, China's visa-free regime of 2023-11-10, the Uzbek registration exemption of
2024-04, Turkey's 90 days of 2025-09, online registration from 2026-07-01), so regime, parameter and
calendar look-ups meet many distinct dates. Each person has 0-3 earlier trips, one stay per trip
(two on some current trips: an address change), hosts of every kind and size, and, on work trips,
jobs for legal entities or households with permits that cover them, or not.
Nationalities follow the seed documents (brief s.7): 90% of arrivals from CIS states, EAEU included.

- `national`: the flow at the border; a few percent of cases break a rule.
- `enforcement`: an administrative register; most cases break several rules (overstays, late or
  missing registrations, work without a valid permit, repeat host offences), so reports carry
  several violations, sanctions and obligations each.

Cases are deterministic for a profile and a seed, and every one is a valid case.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any, Callable, Iterator

# citizenship: weight (per mille). CIS + EAEU = 900 (brief s.7).
COUNTRIES = {
    "UZ": 330, "RU": 230, "KG": 120, "TJ": 90, "AZ": 40, "AM": 25, "BY": 25, "UA": 15, "GE": 15, "MD": 10,
    "CN": 35, "TR": 15, "IN": 10, "KR": 7, "DE": 7, "US": 6, "AE": 4, "IR": 3, "PK": 6, "AF": 4, "NG": 3,
}
EAEU = {"RU", "KG", "AM", "BY"}
CIS = {"UZ", "TJ", "AZ", "UA", "GE", "MD"}
VISA_REQUIRED = {"PK", "AF", "NG"}
SWITCHES = [date(2023, 1, 27), date(2023, 11, 10), date(2024, 4, 6), date(2025, 9, 1), date(2026, 7, 1)]
FIRST, LAST = date(2023, 1, 1), date(2026, 11, 30)
PURPOSES = ["private", "private", "tourism", "business", "work", "work", "work", "family", "study"]
REGIONS = ["Almaty", "Astana", "Shymkent", "Atyrau", "Karaganda"]
CATEGORIES = ["1", "2", "3", "4", "4", "seasonal"]
SIZES = ["small", "small", "medium", "large", "nonprofit", "official"]

_codes = list(COUNTRIES)
_weights = list(COUNTRIES.values())


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _as_of(rng: random.Random) -> date:
    """Uniform over 2023-2026, or within 60 days of a switch of the law (a third of cases)."""
    if rng.random() < 1 / 3:
        day = rng.choice(SWITCHES) + timedelta(days=rng.randint(-60, 60))
        return min(max(day, FIRST), LAST)
    return FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1))


def _term(country: str, on: date) -> int:
    """A visa-free term per entry near the seeds' (the generator needs only a length to aim at)."""
    if country in EAEU or (country == "TR" and on >= date(2025, 9, 1)):
        return 90
    if country in ("IN", "IR"):
        return 14
    return 30


def _host(rng: random.Random, hid: str) -> dict[str, Any]:
    kind = rng.choices(("individual", "hotel", "legal_entity"), (5, 3, 2))[0]
    return {"id": hid, "type": kind, **({} if kind == "individual" else {"size": rng.choice(SIZES)})}


class _Person:
    """One generated case, built trip by trip."""

    def __init__(self, rng: random.Random, bad: Callable[[float], bool]) -> None:
        self.rng, self.bad = rng, bad
        self.as_of = _as_of(rng)
        self.country = rng.choices(_codes, _weights)[0]
        self.trips: list[dict[str, Any]] = []
        self.stays: list[dict[str, Any]] = []
        self.hosts: list[dict[str, Any]] = []
        self.documents: list[dict[str, Any]] = []
        self.employment: list[dict[str, Any]] = []
        self.employers: list[dict[str, Any]] = []
        self.prior: list[dict[str, Any]] = []

    def registration(self, arrival: date, host_id: str) -> dict[str, Any]:
        """A stay's registration fields: on time, late, or missing."""
        rng = self.rng
        if self.bad(0.5):
            reg = arrival + timedelta(days=rng.randint(6, 45)) if rng.random() < 0.6 else None
        else:
            reg = arrival + timedelta(days=rng.randint(0, 2))
        out = {"registered_on": _iso(reg) if reg and reg <= self.as_of else None}
        if reg and arrival >= date(2026, 7, 1) and rng.random() < 0.7:
            confirmed = reg + timedelta(days=rng.randint(20, 50) if self.bad(0.3) else rng.randint(0, 2))
            if confirmed <= self.as_of:
                out["host_confirmed_on"] = _iso(confirmed)
        if self.bad(0.25):  # the host was fined for this before, within a year or so
            self.prior.append({"code": "518-1", "subject_id": host_id,
                               "decided_on": _iso(arrival - timedelta(days=rng.randint(30, 420)))})
        return out

    def stay(self, start: date, end: date | None, hid: str) -> None:
        if not any(h["id"] == hid for h in self.hosts):
            self.hosts.append(_host(self.rng, hid))
        self.stays.append({"host": hid, "from": _iso(start), "to": _iso(end), **self.registration(start, hid)})

    def job(self, entry: date, until: date | None, purpose: str, current: bool) -> None:
        """A job on this trip (an earlier trip's ended with it), with its permit held, missing or wrong."""
        rng = self.rng
        start = entry + timedelta(days=rng.randint(0, 6))
        if start > self.as_of or (until is not None and start > until):
            return
        eid = f"e{len(self.employers) + 1}"
        household = rng.random() < 0.3
        employer: dict[str, Any] = {"id": eid, "type": "individual" if household else "legal_entity"}
        if not household:
            employer["size"] = rng.choice(SIZES)
            if rng.random() < 0.2:
                local = rng.randint(5, 200)
                foreign = rng.randint(0, local // (2 if self.bad(0.5) else 9))
                employer["staff"] = {rng.choice(("1", "3", "4")): {"local": local, "foreign": foreign}}
        self.employers.append(employer)
        category, region = rng.choice(CATEGORIES), rng.choice(REGIONS)
        end = until if until is not None and (not current or rng.random() < 0.5) else None
        job: dict[str, Any] = {"employer": eid, "start": _iso(start), "end": _iso(end), "category": category,
                               "region": region}
        if not household and rng.random() < 0.15:
            posted = start + timedelta(days=rng.randint(0, 20))
            if posted <= (end or self.as_of):
                back = posted + timedelta(days=rng.randint(5, 60))
                job["secondments"] = [{"region": rng.choice(REGIONS), "from": _iso(posted),
                                       "to": _iso(back if end is None or back <= end else end)}]
        self.employment.append(job)
        if self.country in EAEU and rng.random() < 0.8:
            return  # EAEU citizens need no permit (most hold none)
        if self.bad(0.6):
            fault = rng.choice(("none", "none", "expired", "employer", "category", "region", "tax", "purpose"))
        else:
            fault = "ok"
        if fault == "none":
            return
        if fault == "purpose" and purpose == "work":
            self.trips[-1]["purpose"] = "business"
            return
        valid_until = start + timedelta(days=rng.randint(2, 30) if fault == "expired" else rng.randint(200, 400))
        if household:
            tax = valid_until if fault != "tax" else start + timedelta(days=rng.randint(1, 30))
            self.documents.append({"type": "labour_immigrant_permit", "valid_from": _iso(start),
                                   "valid_until": _iso(valid_until), "tax_paid_until": _iso(tax)})
            return
        self.documents.append({
            "type": "work_permit", "valid_from": _iso(start), "valid_until": _iso(valid_until),
            "employer": "x9" if fault == "employer" else eid,
            "category": rng.choice([c for c in CATEGORIES if c != category]) if fault == "category" else category,
            "region": rng.choice([r for r in REGIONS if r != region]) if fault == "region" else region})

    def trip(self, entry: date, length: int, current: bool) -> date:
        """A trip of `length` days from `entry` (the current one may go on); returns its last day."""
        rng = self.rng
        last = entry + timedelta(days=length - 1)
        ongoing = current and rng.random() < 0.7
        if current and not ongoing:
            last = min(last, self.as_of)
        purpose = rng.choice(PURPOSES)
        self.trips.append({"entry": _iso(entry), "exit": None if ongoing else _iso(last), "purpose": purpose})
        if self.country in VISA_REQUIRED or (self.country == "CN" and entry < date(2023, 11, 10)):
            visa_end = last + timedelta(days=rng.randint(-20, -1) if self.bad(0.4) else rng.randint(0, 60))
            self.documents.append({"type": "visa", "visa_type": "B3" if purpose == "work" else "A3",
                                   "purpose": purpose, "valid_from": _iso(entry - timedelta(days=10)),
                                   "valid_until": _iso(max(visa_end, entry))})
        hid = f"h{len(self.hosts) + 1}" if not self.hosts or rng.random() < 0.7 else self.hosts[-1]["id"]
        end = None if ongoing else last
        stop = min(last, self.as_of)
        if current and (stop - entry).days > 10 and rng.random() < 0.25:  # moved to another address
            move = entry + timedelta(days=rng.randint(3, (stop - entry).days))
            self.stay(entry, move - timedelta(days=1), hid)
            self.stay(move, end, f"h{len(self.hosts) + 1}")
        else:
            self.stay(entry, end, hid)
        if purpose in ("work", "business") and rng.random() < (0.75 if purpose == "work" else 0.15):
            self.job(entry, end, purpose, current)
        return last

    def build(self) -> dict[str, Any]:
        rng = self.rng
        term = _term(self.country, self.as_of)
        cap = 42 if term == 14 else 90
        # Earlier trips: within the rolling cap, or (a fault) using most of it.
        history = [rng.randint(term // 2 + 1, term) if self.bad(0.4) else rng.randint(1, max(1, term // 4))
                   for _ in range(rng.choice((0, 1, 1, 2, 2, 3)))]
        if self.bad(0.6):  # overstayed the current entry, or the cap through the earlier trips
            length = term + rng.randint(1, 40)
        else:
            length = rng.randint(1, max(1, min(term, cap - sum(history))))
        entry = self.as_of - timedelta(days=length - 1 if rng.random() < 0.7 else rng.randint(0, length - 1))
        starts, cursor = [], entry
        for size in history:
            cursor -= timedelta(days=rng.randint(3, 60) + size)
            starts.append((cursor, size))
        for first, size in reversed(starts):
            self.trip(first, size, current=False)
        self.trip(entry, length, current=True)
        case: dict[str, Any] = {"as_of": _iso(self.as_of), "person": {"citizenship": self.country},
                                "trips": self.trips, "documents": self.documents, "stays": self.stays,
                                "hosts": self.hosts, "employment": self.employment, "employers": self.employers}
        if self.prior or rng.random() < 0.5:
            case["prior_offences"] = self.prior
        if rng.random() < 0.03:  # the register does not know the hosts: their sanction tier is unchecked
            del case["hosts"]
        return case


PROFILES: dict[str, float] = {"national": 0.01, "enforcement": 0.85}  # the chance that a given fault is made


def cases(profile: str, n: int, seed: int = 2025) -> Iterator[dict[str, Any]]:
    """`n` cases of `profile` (national or enforcement), deterministic for `seed`."""
    rate = PROFILES[profile]
    rng = random.Random(f"{profile}:{seed}")
    for _ in range(n):
        yield _Person(rng, lambda weight: rng.random() < rate * weight * 2).build()
