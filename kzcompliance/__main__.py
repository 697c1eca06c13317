"""`python -m kzcompliance`: the command line."""

from .cli import run

run()
