"""The batch over a Dask LocalCluster of worker processes matches the local batch and check()."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

db = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

from .test_batch import CASES, jsonl_with_errors  # noqa: E402

from kzcompliance import check  # noqa: E402
from kzcompliance.batch import run_batch  # noqa: E402
from kzcompliance.cli import main  # noqa: E402
from kzcompliance.dask_batch import check_bag  # noqa: E402
from kzcompliance.dask_batch import run_batch as run_on_cluster  # noqa: E402

# distributed warns when creating a worker's scratch directory takes over a second, as on a loaded
# CI machine; with warnings as errors that would fail the cluster's start.
pytestmark = pytest.mark.filterwarnings("ignore:Creating scratch directories is taking:UserWarning")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster, distributed.Client(cluster) as c:
        yield c


def test_check_bag_keeps_order_and_matches_check(client: Any) -> None:
    items = [CASES[0], json.dumps(CASES[1]), "{oops", *CASES[2:]]
    out = check_bag(db.from_sequence(items, npartitions=4)).compute()
    assert out[0] == check(CASES[0]).model_dump(mode="json") and out[1] == check(CASES[1]).model_dump(mode="json")
    assert "invalid JSON" in out[2]["error"]
    assert out[3:] == [check(c).model_dump(mode="json") for c in CASES[2:]]


def test_run_batch_on_cluster_equals_local_batch(client: Any, tmp_path: Path) -> None:
    data, _ = jsonl_with_errors()
    src = tmp_path / "cases.jsonl"
    src.write_bytes(data)
    local, remote = io.StringIO(), io.StringIO()
    expected = run_batch(io.BytesIO(data), local)
    summary = run_on_cluster(str(src), remote, client=client, blocksize=1500)  # several blocks
    assert remote.getvalue() == local.getvalue()
    assert summary == expected


def test_cli_batch_with_scheduler(client: Any, tmp_path: Path) -> None:
    src, dst = tmp_path / "cases.jsonl", tmp_path / "reports.jsonl"
    src.write_text("".join(json.dumps(c) + "\n" for c in CASES[:6]), encoding="utf-8")
    code = main(["batch", str(src), str(dst), "--scheduler", client.scheduler.address])
    lines = dst.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x) for x in lines] == [json.loads(check(c).to_json()) for c in CASES[:6]]
    assert code == (0 if all(check(c).compliant for c in CASES[:6]) else 1)
