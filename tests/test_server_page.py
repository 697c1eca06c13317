"""The page in a real headless browser (Debian's chromium): a case in the URL fragment is loaded and
checked on opening, the verdict banner says what the report says, in the chosen language, text from
the case is never interpreted as HTML, and the form (driven over the DevTools protocol) sends the case
it shows."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the server extra is not installed: pip install '.[server]'")
httpx = pytest.importorskip("httpx", reason="httpx (test extra) is not installed")

from kzcompliance import check  # noqa: E402
from kzcompliance.server import ServerSettings  # noqa: E402
from kzcompliance.server.page_texts import page_catalogue  # noqa: E402
from .serving import running  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium here (CI installs it: apt-get install chromium)")
ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
CATALOGUE = page_catalogue()


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running(ServerSettings()) as url:
        yield url


def fragment(case: Any, **more: str) -> str:
    packed = base64.urlsafe_b64encode(json.dumps(case).encode("utf-8")).decode().rstrip("=")
    return "#" + "&".join([f"{k}={v}" for k, v in more.items()] + [f"case={packed}"])


def rendered(url: str) -> str:
    """The DOM at `url` once its scripts have run (virtual time waits for the fetches), in a fresh profile."""
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        done = subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                               "--disable-background-networking", "--disable-component-update", "--disable-sync",
                               "--no-first-run", f"--user-data-dir={profile}", "--virtual-time-budget=15000",
                               "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert done.stdout, done.stderr[-2000:]
    return done.stdout


def dom(url: str) -> str:
    """The page's DOM once it has loaded and checked the case in its fragment."""
    page = rendered(url)
    assert 'data-ready="1"' in page
    return page


def banner(page: str) -> tuple[str, str]:
    """The verdict element's data-verdict and its first line of text."""
    tag = re.search(r'<div[^>]*\bid="verdict"[^>]*>', page)
    assert tag, "no #verdict"
    verdict = re.search(r'data-verdict="([a-z]*)"', tag.group())
    assert verdict
    text = page[tag.end():].split("<", 1)[0]
    return verdict.group(1), text


def expected(case: Any) -> str:
    compliant = check(case).compliant
    return "compliant" if compliant is True else "violations" if compliant is False else "undetermined"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_a_shared_link_is_checked_on_opening(base: str, path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    verdict, text = banner(dom(base + "/" + fragment(case, lang="en")))
    assert verdict == expected(case)
    assert text == CATALOGUE["en"]["v." + verdict]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_page_speaks_the_chosen_language(base: str, lang: str) -> None:
    case = json.loads((ROOT / "examples" / "uzbek-overstay.json").read_text(encoding="utf-8"))
    page = dom(base + "/" + fragment(case, lang=lang))
    assert banner(page) == ("violations", CATALOGUE[lang]["v.violations"])
    assert f'<html lang="{lang}">' in page
    assert CATALOGUE[lang]["h.violations"] in page and "<svg" in page  # the lists and the timeline are drawn
    assert check(case, lang=lang).violations[0].message in page  # the report's own text, in that language


def test_text_from_the_case_is_never_html(base: str) -> None:
    hostile = '<img src=x onerror="document.body.dataset.pwned=1"><b id="injected">x</b>'
    case = json.loads((ROOT / "examples" / "uzbek-overstay.json").read_text(encoding="utf-8"))
    case["hosts"][0]["id"] = case["stays"][0]["host"] = hostile
    case["person"]["name"] = hostile
    page = dom(base + "/" + fragment(case, lang="en"))
    assert banner(page)[0] == "violations"
    assert '<b id="injected">' not in page and "<img" not in page
    assert "pwned" not in page.split("<body", 1)[1].split(">", 1)[0]  # the handler never ran
    assert "&lt;b id=\"injected\"&gt;" in page  # shown as text (the host's id in the violation)


def test_a_case_the_service_refuses_shows_its_error(base: str) -> None:
    page = dom(base + "/" + fragment({"person": {"citizenship": "UZ"}, "trips": [{"entry": "2026-02-30"}]}))
    assert re.search(r'<div id="error" class="error">[^<]*trips\[0\]\.entry', page)
    assert banner(page)[0] == ""


def test_the_interactive_docs_render_offline(base: str) -> None:
    """Swagger UI draws every operation from the locally served assets (this machine reaches no CDN)."""
    page = rendered(base + "/docs")
    for path in ("/v1/check", "/v1/batch", "/v1/plan", "/healthz"):
        assert f'data-path="{path}"' in page, path


class DevTools:
    """One chromium page driven over the DevTools protocol (its WebSocket), for what --dump-dom cannot do."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.n = 0

    def eval(self, js: str) -> Any:
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": "Runtime.evaluate",
                                 "params": {"expression": js, "returnByValue": True, "awaitPromise": True}}))
        while True:
            answer = json.loads(self.ws.recv(timeout=60))
            if answer.get("id") == self.n:
                return answer["result"]["result"].get("value")

    def wait(self, js: str) -> Any:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if value := self.eval(js):
                return value
            time.sleep(0.05)
        raise AssertionError(f"never true: {js}")


@pytest.fixture()
def devtools(base: str) -> Iterator[DevTools]:
    ws_client = pytest.importorskip("websockets.sync.client", reason="websockets (with uvicorn[standard])")
    # chromium's helper processes may still write to the profile as the browser exits: the whole process group
    # is stopped and waited for, and a file written after that does not fail the clean-up
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                 "--no-first-run", f"--user-data-dir={profile}", "--remote-debugging-port=0",
                                 "--remote-allow-origins=*", base + "/"], stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            assert proc.stderr is not None
            port = None
            while port is None:
                line = proc.stderr.readline()
                assert line, "chromium exited"
                if "DevTools listening on ws://" in line:
                    port = int(line.split("ws://")[1].split("/")[0].rsplit(":", 1)[1])
            deadline = time.monotonic() + 30
            while True:
                pages = [t for t in httpx.get(f"http://127.0.0.1:{port}/json/list").json() if t["type"] == "page"]
                if pages or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            with ws_client.connect(pages[0]["webSocketDebuggerUrl"], max_size=None) as ws:
                tools = DevTools(ws)
                tools.wait("document.body && document.body.dataset.ready === '1'")
                yield tools
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # helpers that outlived the browser
            if proc.stderr:
                proc.stderr.close()


def test_the_form_builds_the_case_checks_it_and_links_it(devtools: DevTools) -> None:
    devtools.eval("""(() => {
        document.getElementById('lang').value = 'en';
        document.getElementById('citizenship').value = 'UZ';
        document.getElementById('as_of').value = '2026-03-06';
        const trips = document.querySelector('[data-section=trips]');
        trips.querySelector('.actions button').click();
        trips.querySelector('[data-field=entry]').value = '2026-02-01';
        trips.querySelector('[data-field=purpose]').value = 'private';
        document.getElementById('case-form').requestSubmit();
        return true; })()""")
    verdict = devtools.wait("document.getElementById('verdict').dataset.verdict")
    sent = json.loads(base64.urlsafe_b64decode(
        devtools.eval("location.hash").split("case=", 1)[1] + "==").decode("utf-8"))
    # the known-by-default lists are sent empty (none), the others left out (not known)
    assert sent == {"person": {"citizenship": "UZ"}, "as_of": "2026-03-06",
                    "trips": [{"entry": "2026-02-01", "purpose": "private"}], "documents": []}
    assert verdict == expected(sent)
