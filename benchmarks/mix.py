"""A generated mix of cases shaped like the seed statistics, for the benchmarks.

About 90% of arrivals are from CIS and EAEU states (Uzbekistan, Russia, Kyrgyzstan and Tajikistan
lead), the rest from visa-free and visa-required states; most stays are short and registered in
time, and a few percent of cases break a rule (overstay, late notice, work without a permit),
roughly as the Interior Ministry's 2025 figures suggest (over 200,000 foreigners fined against
several million entries). Cases are deterministic for a given seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any, Iterator

# citizenship: weight (per mille). CIS + EAEU = 900.
COUNTRIES = {
    "UZ": 330, "RU": 230, "KG": 120, "TJ": 90, "AZ": 40, "AM": 25, "BY": 25, "UA": 15, "GE": 15, "MD": 10,
    "CN": 40, "TR": 15, "IN": 10, "KR": 8, "DE": 7, "US": 6, "AE": 4, "PK": 6, "AF": 4,
}
EAEU = {"RU", "KG", "AM", "BY"}
VISA_REQUIRED = {"PK", "AF"}
PURPOSES = ["private", "private", "tourism", "business", "work", "work", "family", "study"]
DAY0 = date(2025, 1, 1)
SPAN_DAYS = 700  # as_of dates run from 2025-01-01 to late 2026, across the 2026-07-01 change

_codes = list(COUNTRIES)
_weights = list(COUNTRIES.values())


def _iso(d: date) -> str:
    return d.isoformat()


def one_case(rng: random.Random) -> dict[str, Any]:
    """One random case as the spec's JSON dict."""
    as_of = DAY0 + timedelta(days=rng.randrange(SPAN_DAYS))
    country = rng.choices(_codes, _weights)[0]
    violating = rng.random() < 0.04
    term = 90 if country in EAEU else (14 if country == "IN" else 30)
    # Earlier, closed trips, then the current one.
    trips: list[dict[str, Any]] = []
    cursor = as_of - timedelta(days=rng.randrange(200, 400))
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        entry = cursor + timedelta(days=rng.randrange(5, 60))
        exit_ = entry + timedelta(days=rng.randrange(1, min(term, 20)))
        if exit_ >= as_of - timedelta(days=term + 60):
            break
        trips.append({"entry": _iso(entry), "exit": _iso(exit_), "purpose": rng.choice(PURPOSES)})
        cursor = exit_
    length = term + rng.randrange(1, 15) if violating and rng.random() < 0.5 else rng.randrange(1, term)
    entry = as_of - timedelta(days=length - 1)
    ongoing = rng.random() < 0.7
    purpose = rng.choice(PURPOSES)
    trips.append({"entry": _iso(entry), "exit": None if ongoing else _iso(as_of), "purpose": purpose})

    documents: list[dict[str, Any]] = []
    if country in VISA_REQUIRED:
        documents.append({"type": "visa", "visa_type": "B3", "purpose": purpose,  # multiple entry
                          "valid_from": _iso(date.fromisoformat(trips[0]["entry"]) - timedelta(days=10)),
                          "valid_until": _iso(entry + timedelta(days=length + rng.randrange(0, 60)))})

    host_type = rng.choice(("individual", "individual", "hotel", "legal_entity"))
    size = None if host_type == "individual" else rng.choice(("small", "medium", "large"))
    host = {"id": "h1", "type": host_type, "size": size}
    late = violating and rng.random() < 0.5
    delay = rng.randrange(8, 20) if late else rng.randrange(0, 3)
    registered = entry + timedelta(days=delay)
    stays = [{"host": "h1", "from": _iso(entry), "to": None,
              "registered_on": _iso(registered) if registered <= as_of else None}]

    employment: list[dict[str, Any]] = []
    employers: list[dict[str, Any]] = []
    if purpose == "work":
        start = entry + timedelta(days=rng.randrange(0, 5))
        if start <= as_of:
            employers.append({"id": "e1", "type": "legal_entity", "size": rng.choice(("small", "medium", "large"))})
            employment.append({"employer": "e1", "start": _iso(start), "end": None, "category": "4"})
            if country not in EAEU and not (violating and rng.random() < 0.3):
                documents.append({"type": "work_permit", "category": "4", "employer": "e1",
                                  "valid_from": _iso(start), "valid_until": _iso(start + timedelta(days=365))})
    return {"as_of": _iso(as_of), "person": {"citizenship": country}, "trips": trips, "documents": documents,
            "stays": stays, "hosts": [host], "employment": employment, "employers": employers}


def cases(n: int, seed: int = 2025) -> Iterator[dict[str, Any]]:
    """`n` cases of the mix, deterministic for `seed`."""
    rng = random.Random(seed)
    for _ in range(n):
        yield one_case(rng)
