"""The batch over a Dask cluster (`pip install 'kzcompliance[dask]'`): the same checks, many machines.

Each Dask worker process builds the rulebook and its engine once, on its first task (the library's
process-wide singletons), and reuses them for every later partition; worker threads share them
safely (see "Speed and scale" in the README). Two entry points:

- `check_bag(bag)`: a bag of cases (JSON dicts or JSON text) to a bag of results in the same order,
  each the report as a JSON dict or `{"error": "..."}`;
- `run_batch(urlpath, sink, client=...)`: `kzcompliance batch` over a cluster. Workers read the
  JSON Lines input (a path they can all reach, or an fsspec URL such as ``s3://...``) in blocks; the
  client writes the output lines in input order and sums the run's Summary. Only a few blocks'
  results are in flight at once, so the client's memory stays flat.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from datetime import date
from typing import IO, Any, Optional, Union

import dask.bag as db
from dask import delayed
from distributed import Client, Future, default_client

from .batch import Chunk, Options, ProgressHook, Summary, check_lines, check_one
from .settings import Settings

BLOCKSIZE = "8MiB"  # input bytes per task: about 12,000 cases, a few seconds of work
WINDOW_PER_THREAD = 2


def _result(case: Union[str, Mapping[str, Any]], options: Options) -> dict[str, Any]:
    report, error = check_one(case, options)
    return report.model_dump(mode="json") if report is not None else {"error": error}


def check_bag(cases: db.Bag, *, as_of: Optional[date] = None, lang: str = "en", engine: Optional[str] = None,
              settings: Optional[Settings] = None) -> db.Bag:
    """A bag with, for each case in `cases`, its report as a JSON dict or `{"error": "..."}`."""
    options = Options(as_of, lang, engine, settings).resolved()
    return cases.map(_result, options)


def run_batch(urlpath: Union[str, list[str]], sink: IO[str], *, client: Optional[Client] = None,
              as_of: Optional[date] = None, lang: str = "en", engine: Optional[str] = None,
              settings: Optional[Settings] = None, blocksize: Union[str, int] = BLOCKSIZE,
              progress: Optional[ProgressHook] = None) -> Summary:
    """Check JSON Lines file(s) of cases on a Dask cluster, writing one output line per input line to `sink`.

    `client` defaults to the current `distributed` client. Output and Summary are those of
    `kzcompliance.batch.run_batch` on the same input, except that bytes that are not UTF-8 are
    replaced (U+FFFD) when the workers read the text, not reported as such. Several files are
    numbered on, line after line, in the order given.
    """
    client = client or default_client()
    options = Options(as_of, lang, engine, settings).resolved()
    blocks = db.read_text(urlpath, blocksize=blocksize, errors="replace").to_delayed()
    window = max(1, sum(client.nthreads().values())) * WINDOW_PER_THREAD
    pending: deque[Future] = deque()
    summary = Summary()

    def write(future: Future) -> None:
        chunk: Chunk = future.result()
        sink.write(chunk.text(summary.cases + 1))
        summary.merge(chunk.summary)
        future.release()
        if progress is not None:
            progress(0, summary.cases)

    for block in blocks:
        pending.append(client.compute(delayed(check_lines)(block, options)))
        if len(pending) >= window:
            write(pending.popleft())
    while pending:
        write(pending.popleft())
    return summary
