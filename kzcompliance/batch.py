"""Checking many cases: `check_many()` streams reports, `run_batch()` checks a JSON Lines file.

Both keep input order and stream: memory stays flat however long the input. With `jobs > 1` the
cases go in chunks to `jobs - 1` worker processes, and the calling process, which has the rulebook and
its engine built already, checks a chunk itself whenever the workers have WINDOW_PER_JOB chunks each in
flight: one process fewer to start. A worker is forked from the calling process where that is safe (see
`start_method`), so it starts with the seeds, calendar, rulebook, engine and Babel's data built (the calling
process builds them, in `_build`, before it forks); else it is started with `spawn` and builds
them once, in `_init_worker` (importing and building cost what checking a thousand cases does). Each
worker checks chunk after chunk and leaves without tearing its heap down. At most `jobs * WINDOW_PER_JOB`
chunks are read ahead of the output, which is what bounds memory when the reader is faster than the checks.

The batch runner writes one output line per input line: the report (the JSON of
`Report.to_json(indent=None)`, as `check --format json` prints it on one line), or
`{"line": N, "error": "..."}` for a line that is not a valid case
(N counts from 1, blank lines included). A bad line never stops the run.
"""

from __future__ import annotations

import atexit
import json
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import IO, TYPE_CHECKING, Any, Literal, Optional, TypeVar, Union, overload

from .calendar import calendar
from .case import Case
from .pipeline import check
from .engines import default_engine_name
from . import limits
from .errors import CaseError, KzComplianceError, problem
from .limits import MAX_LINE_BYTES
from .i18n import check_lang, number, t, tenge, tn
from .i18n.errors import case_error_text, problem_text
from .plugins import plugin_manager
from .report import Report
from .rulebook import default_rulebook
from .seeds import reference
from .settings import Settings

if TYPE_CHECKING:
    from concurrent.futures import Future

CHUNK_LINES = 256   # cases per task: large enough to amortise the hand-off to a worker
WINDOW_PER_JOB = 4  # chunks in flight per worker: keeps workers busy, bounds memory

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Options:
    """How every case of a run is checked (picklable: sent once to each worker)."""

    as_of: Optional[date] = None
    lang: str = "en"
    engine: Optional[str] = None
    settings: Optional[Settings] = None

    def resolved(self) -> "Options":
        """The options with the engine named, so every worker uses the same one.

        Raises here, once, before any worker starts: CaseError for an unknown language,
        KzComplianceError for an unknown engine or a rule file that does not load.
        """
        check_lang(self.lang)
        name = self.engine or default_engine_name()
        default_rulebook().engine(name)
        return Options(self.as_of, self.lang, name, self.settings)

    def check(self, case: Union[Case, Mapping[str, Any]]) -> Report:
        """check() with these options."""
        return check(case, as_of=self.as_of, lang=self.lang, engine=self.engine, settings=self.settings)


@dataclass
class Summary:
    """Totals of a run: cases (input lines), outcomes, violations by KoAP code, fines."""

    cases: int = 0
    compliant: int = 0
    with_violations: int = 0
    undetermined: int = 0
    errors: int = 0
    violations_by_code: Counter[str] = field(default_factory=Counter)
    fines_total_kzt: int = 0
    fines_unknown: int = 0

    def add(self, report: Report) -> None:
        """Count one report. Called per line of a batch: a plain loop over the violations, where
        Counter.update(generator) cost most of a microsecond a report even when there were none."""
        self.cases += 1
        compliant = report.compliant
        if compliant is None:
            self.undetermined += 1
        elif compliant:
            self.compliant += 1
        else:
            self.with_violations += 1
        if report.violations:
            codes = self.violations_by_code
            for v in report.violations:
                codes[v.sanction.code] += 1
        self.fines_total_kzt += report.fines_total_kzt
        self.fines_unknown += report.fines_unknown

    def add_error(self) -> None:
        self.cases += 1
        self.errors += 1

    def merge(self, other: "Summary") -> None:
        self.cases += other.cases
        self.compliant += other.compliant
        self.with_violations += other.with_violations
        self.undetermined += other.undetermined
        self.errors += other.errors
        self.violations_by_code.update(other.violations_by_code)
        self.fines_total_kzt += other.fines_total_kzt
        self.fines_unknown += other.fines_unknown

    @property
    def all_compliant(self) -> bool:
        return self.with_violations == 0 and self.errors == 0 and self.undetermined == 0

    @property
    def exit_code(self) -> int:
        """The CLI's: 1 when a case has violations or a line is no valid case, else 3 when a case is
        undetermined, else 0."""
        return 1 if self.with_violations or self.errors else 3 if self.undetermined else 0

    def to_text(self, lang: str = "en") -> str:
        """The summary the CLI prints at the end of a run, in `lang`."""
        lines = [t(lang, "cases: {cases}, compliant: {compliant}, with violations: {violations}, undetermined: "
                   "{undetermined}, errors: {errors}",
                   cases=number(self.cases, lang), compliant=number(self.compliant, lang),
                   violations=number(self.with_violations, lang), undetermined=number(self.undetermined, lang),
                   errors=number(self.errors, lang))]
        if self.violations_by_code:
            lines.append(t(lang, "violations by code") + ": " + ", ".join(
                f"{code} x {number(n, lang)}" for code, n in sorted(self.violations_by_code.items())))
        unknown = (" (+" + tn(lang, "{n} fine of unknown amount", "{n} fines of unknown amount", self.fines_unknown)
                   + ")") if self.fines_unknown else ""
        lines.append(t(lang, "fines total") + ": " + tenge(self.fines_total_kzt, lang) + unknown)
        return "\n".join(lines) + "\n"


@dataclass
class Chunk:
    """A worker's answer for consecutive input lines: report JSON or, at `failed` positions, the error."""

    results: list[str]
    failed: list[int]
    summary: Summary

    def text(self, first_line: int) -> str:
        """The output lines, error records numbered from `first_line` (the chunk's first input line)."""
        out = self.results
        if self.failed:
            out = list(out)
            for i in self.failed:
                out[i] = json.dumps({"line": first_line + i, "error": out[i]}, ensure_ascii=False)
        # one copy of each report: `s + "\n"` per line copied it twice, the megabytes of a chunk through the cache
        return "\n".join([*out, ""])


def check_one(item: Union[bytes, str, Case, Mapping[str, Any]], options: Options) -> tuple[Optional[Report], str]:
    """The report of one case (a JSON Lines line, or a case already parsed), or why there is none.

    A line is parsed within the limits of limits.py (so a bad line gets the same message as the same
    text given to `check`); nothing a line holds makes this raise.
    """
    try:
        case: Any = item
        if isinstance(item, (bytes, str)):
            if len(item) > MAX_LINE_BYTES:
                return None, problem_text(problem("line_too_long", limit=MAX_LINE_BYTES), options.lang)
            if not item.strip():
                return None, problem_text(problem("empty_line"), options.lang)
            case = limits.loads(item.rstrip(b"\r\n") if isinstance(item, bytes) else item.rstrip("\r\n"))
        return options.check(case), ""
    except CaseError as e:
        return None, case_error_text(e, options.lang)
    except KzComplianceError as e:
        return None, problem_text(str(e), options.lang)
    except Exception as e:  # noqa: BLE001 - one bad case must not end a run over millions
        return None, f"internal error: {type(e).__name__}: {e}"


def check_lines(lines: Iterable[Union[bytes, str]], options: Options) -> Chunk:
    """Check JSON Lines lines (bytes or text, line ends allowed): the Chunk of their results."""
    results: list[str] = []
    failed: list[int] = []
    summary = Summary()
    for i, line in enumerate(lines):
        report, error = check_one(line, options)
        if report is None:
            failed.append(i)
            results.append(error)
            summary.add_error()
        else:
            results.append(report.to_json(indent=None))
            summary.add(report)
    return Chunk(results, failed, summary)


# -- worker processes --------------------------------------------------------------------------

_worker_options: Optional[Options] = None


def _build(options: Options) -> None:
    """Build everything a check needs: seeds, working calendar, plugins, rulebook, engine, and Babel's data
    for the language, which reports format numbers and dates with (each once per process; the calendar alone,
    which imports every country's module of `holidays`, costs ~0.1 s of CPU, Babel's pickles ~15 ms)."""
    reference()
    calendar()
    plugin_manager()
    default_rulebook().engine(str(options.engine))
    number(0, options.lang)


def _init_worker(options: Options) -> None:
    """Build everything a check needs once per worker process (a forked worker has it built already: the
    calling process builds it before it forks).

    The worker then ends with os._exit once multiprocessing has sent its last result and flushed its
    streams (atexit runs after that): tearing down an interpreter's heap, which nothing reads again,
    took 0.1-0.3 s of CPU per worker (processes started by `fork` end the same way)."""
    global _worker_options
    _build(options)
    _worker_options = options
    atexit.register(os._exit, 0)


def _in_worker(task: Callable[[list[T], Options], R], chunk: list[T]) -> R:
    assert _worker_options is not None
    return task(chunk, _worker_options)


def _check_cases(cases: list[Union[Case, Mapping[str, Any]]], options: Options) -> list[Union[Report, CaseError]]:
    out: list[Union[Report, CaseError]] = []
    for case in cases:
        try:
            out.append(options.check(case))
        except CaseError as e:
            out.append(e)
    return out


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(jobs: int) -> int:
    """The processes used for `jobs` (this one and the workers): at most one per core (more only compete for
    the cores: --jobs 64 on 2 cores was 5.7 times slower than --jobs 1)."""
    return max(1, min(jobs, default_jobs()))


def bounded_lines(source: IO[bytes]) -> Iterator[bytes]:
    """The lines of `source`, each read at most MAX_LINE_BYTES + 1 bytes far: a longer line is cut there
    (check_one rejects it) and the rest of it skipped, so one huge line cannot fill the memory."""
    while line := source.readline(MAX_LINE_BYTES + 1):
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := source.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
        yield line


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _done(result: R) -> "Future[R]":
    from concurrent.futures import Future

    future: Future[R] = Future()
    future.set_result(result)
    return future


def start_method() -> str:
    """How worker processes start: `fork` on Linux while this process runs a single thread, else `spawn`.

    A forked worker begins with everything this process built (seeds, plugins, rulebook, engine), where a
    spawned one imports the package and builds them again, about half a second of CPU. A fork beside other
    threads could copy a lock one of them holds, and is unsafe on macOS, so there it is `spawn`: it inherits
    no threads, locks or durable-rules handles. The pool forks its workers before it starts its own threads.
    """
    import multiprocessing

    try:
        alone = len(os.listdir("/proc/self/task")) == 1  # the kernel's count: threads of C code included
    except OSError:  # no /proc: not Linux
        alone = False
    return "fork" if alone and "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _ordered_map(task: Callable[[list[T], Options], R], chunks: Iterable[list[T]], jobs: int,
                 options: Options) -> Iterator[R]:
    """task(chunk, options) for each chunk, results in input order: in `jobs - 1` worker processes, and here
    whenever WINDOW_PER_JOB chunks per worker are in flight; at most `jobs * WINDOW_PER_JOB` chunks pending."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = jobs - 1
    method = start_method()
    if method == "fork":
        _build(options)  # once here, inherited by every worker, rather than once in each and again here
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                               initializer=_init_worker, initargs=(options,))
    try:
        pending: deque[Future[R]] = deque()
        for chunk in chunks:
            while pending and (pending[0].done() or len(pending) >= jobs * WINDOW_PER_JOB):
                yield pending.popleft().result()
            if sum(not f.done() for f in pending) < workers * WINDOW_PER_JOB:
                pending.append(pool.submit(_in_worker, task, chunk))
            else:
                pending.append(_done(task(chunk, options)))
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@overload
def check_many(cases: Iterable[Union[Case, Mapping[str, Any]]], *, as_of: Optional[date] = None, lang: str = "en",
               engine: Optional[str] = None, settings: Optional[Settings] = None, jobs: int = 1,
               errors: Literal["raise"] = "raise") -> Iterator[Report]: ...


@overload
def check_many(cases: Iterable[Union[Case, Mapping[str, Any]]], *, as_of: Optional[date] = None, lang: str = "en",
               engine: Optional[str] = None, settings: Optional[Settings] = None, jobs: int = 1,
               errors: Literal["yield"]) -> Iterator[Union[Report, CaseError]]: ...


def check_many(cases: Iterable[Union[Case, Mapping[str, Any]]], *, as_of: Optional[date] = None, lang: str = "en",
               engine: Optional[str] = None, settings: Optional[Settings] = None, jobs: int = 1,
               errors: Literal["raise", "yield"] = "raise") -> Iterator[Union[Report, CaseError]]:
    """Check many cases, yielding one report per case in input order, as a stream.

    `jobs > 1` checks in that many processes, this one and `jobs - 1` workers, at most one per core (cases and
    reports must then be picklable, as Case models and JSON dicts are; the calling script needs the usual
    `if __name__ == "__main__"` guard of `spawn`). An invalid case raises its CaseError (`errors="raise"`) or
    is yielded in place of its report (`errors="yield"`).
    """
    if jobs < 1:
        raise ValueError(f"jobs: must be at least 1, not {jobs}")
    if errors not in ("raise", "yield"):
        raise ValueError(f"errors: {errors!r} is not 'raise' or 'yield'")
    options = Options(as_of, lang, engine, settings).resolved()
    jobs = worker_count(jobs)
    if jobs == 1:
        for case in cases:
            try:
                yield options.check(case)
            except CaseError as e:
                if errors == "raise":
                    raise
                yield e
        return
    for results in _ordered_map(_check_cases, _chunks(cases, CHUNK_LINES), jobs, options):
        for result in results:
            if isinstance(result, CaseError) and errors == "raise":
                raise result
            yield result


ProgressHook = Callable[[int, int], None]  # (input bytes done, cases done)


def run_batch(source: IO[bytes], sink: IO[str], *, as_of: Optional[date] = None, lang: str = "en",
              engine: Optional[str] = None, settings: Optional[Settings] = None, jobs: int = 1,
              progress: Optional[ProgressHook] = None) -> Summary:
    """Check every line of a JSON Lines stream of cases; write one output line per input line to `sink`.

    Returns the run's Summary. `progress`, if given, is called after each chunk is written.
    """
    if jobs < 1:
        raise ValueError(f"jobs: must be at least 1, not {jobs}")
    options = Options(as_of, lang, engine, settings).resolved()
    jobs = worker_count(jobs)
    chunks = _chunks(bounded_lines(source), CHUNK_LINES)
    sizes: deque[int] = deque()  # input bytes of the chunks read but not yet written

    def measured(chunks: Iterator[list[bytes]]) -> Iterator[list[bytes]]:
        for chunk in chunks:
            sizes.append(sum(len(line) for line in chunk))
            yield chunk

    results: Iterable[Chunk]
    if jobs == 1:
        results = (check_lines(chunk, options) for chunk in measured(chunks))
    else:
        results = _ordered_map(check_lines, measured(chunks), jobs, options)
    summary = Summary()
    done_bytes = 0
    for chunk in results:
        sink.write(chunk.text(summary.cases + 1))
        summary.merge(chunk.summary)
        done_bytes += sizes.popleft()
        if progress is not None:
            progress(done_bytes, summary.cases)
    return summary
