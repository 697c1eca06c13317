"""Hypothesis's `hypothesis` entry point: `st.from_type()` on the case models draws valid data.

Hypothesis calls `register_strategies` while it is being imported, perhaps because `kzcompliance.testing`
(or this module) is importing it: so nothing here imports Hypothesis at module level, and the kit's
strategies are looked up only when a test first draws one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from .case import Case, Employer, Host, Person, Trip

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


def _lazy(build: Callable[[Any], "SearchStrategy[Any]"]) -> Callable[[type], "SearchStrategy[Any]"]:
    def resolve(_type: type) -> "SearchStrategy[Any]":
        from . import testing

        return build(testing)

    return resolve


def register_strategies() -> None:
    """Register the kit's strategies for Case, Person, Trip, Host and Employer."""
    from hypothesis import strategies as st

    st.register_type_strategy(Case, _lazy(lambda t: t.cases(complete=False)))
    st.register_type_strategy(Person, _lazy(lambda t: t.citizenships().map(lambda c: Person(citizenship=c))))
    st.register_type_strategy(Trip, _lazy(lambda t: t.trip_lists(min_trips=1, max_trips=1).map(lambda ts: ts[0])))
    st.register_type_strategy(Host, _lazy(lambda t: t.hosts(max_size=1).map(lambda hs: hs[0])))
    st.register_type_strategy(Employer, _lazy(lambda t: t.employers(max_size=1).map(lambda es: es[0])))
