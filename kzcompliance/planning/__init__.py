"""Planning: how long may the person stay if they enter on a day, when may they come back for N days,
does a travel plan keep the stay limits - asked of `check`'s own stay-limit derivation (`plan`)."""

from .answer import plan
from .models import PlanReport

__all__ = ["PlanReport", "plan"]
