"""Accessibility checks for browser tests, written once: axe-core in the page, and no
sideways scrolling on a phone.

axe-core comes from the npm registry (pinned by AXE_VERSION in scripts/fetch_assets.sh,
unpacked into var/npm). Without it the tests that use it are
skipped, except under CI=true where that is a failure.

    violations = axe_violations(page)            # serious and critical, WCAG 2.1 A/AA + best practice
    assert not violations, describe(violations)
    no_sideways_scroll(page)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tests.needs import missing

AXE = Path(__file__).resolve().parents[2] / "var" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
# What the pages must meet (WCAG 2.1 AA), and axe's best practices (landmarks, headings,
# a scrollable region reachable by keyboard...).
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
BLOCKING = frozenset({"serious", "critical"})

# Runs in the page: the CSP forbids inline scripts and eval, so axe is defined by the
# evaluation itself (Playwright's evaluate runs outside the page's CSP).
_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"""

# The elements that reach past the window's right edge, outermost first (to name the
# culprit when a page scrolls sideways).
_WIDE = """() => {
  const limit = window.innerWidth;
  const wide = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > limit + 0.5);
  const outermost = wide.filter(e => !wide.includes(e.parentElement) || e.parentElement === document.body);
  return outermost.slice(0, 8).map(e => {
    const id = e.id ? '#' + e.id : '', cls = e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
    return `${e.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(e.getBoundingClientRect().right)} px)`;
  });
}"""


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, impacts: frozenset[str] = BLOCKING) -> list[dict]:
    """axe-core's violations on the open page whose impact is in `impacts`."""
    if not AXE.exists():
        missing(f"axe-core is not installed ({AXE}): run scripts/fetch_assets.sh (needs npm)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source() + "\n;undefined")
    results = page.evaluate(_RUN, list(TAGS))
    return [v for v in results["violations"] if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """A readable account of axe's violations: rule, impact, what fails, where."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl'].split('?')[0]})")
        for node in v["nodes"][:6]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary[:300]}")
        if len(v["nodes"]) > 6:
            lines.append(f"    … and {len(v['nodes']) - 6} more")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violation on the open page."""
    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n{describe(violations)}"


def no_sideways_scroll(page) -> None:
    """Nothing makes the page scroll sideways at the window's width (WCAG 1.4.10 reflow)."""
    scroll, width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    if scroll > width:
        culprits = "\n    ".join(page.evaluate(_WIDE))
        raise AssertionError(f"{page.url}: {scroll} px wide in a {width} px window; too wide:\n    {culprits}")
