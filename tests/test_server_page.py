"""The page in a real headless browser (Debian's chromium): a case in the URL fragment is loaded and
checked on opening, the verdict banner says what the report says, in the chosen language, and text from
the case is never interpreted as HTML."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the server extra is not installed: pip install '.[server]'")

from kzcompliance import check  # noqa: E402
from kzcompliance.server import ServerSettings  # noqa: E402
from kzcompliance.server.app import STATIC  # noqa: E402
from serving import running  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium here (CI installs it: apt-get install chromium)")
ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
CATALOGUE = json.loads((STATIC / "messages.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running(ServerSettings()) as url:
        yield url


def fragment(case: Any, **more: str) -> str:
    packed = base64.urlsafe_b64encode(json.dumps(case).encode("utf-8")).decode().rstrip("=")
    return "#" + "&".join([f"{k}={v}" for k, v in more.items()] + [f"case={packed}"])


def rendered(url: str) -> str:
    """The DOM at `url` once its scripts have run (virtual time waits for the fetches), in a fresh profile."""
    with tempfile.TemporaryDirectory() as profile:
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
