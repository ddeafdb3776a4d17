"""Every role's menu at 390 px (phone) and 1366 px (laptop): no error, no sideways scrolling, axe clean.

One test per demo role; one browser context per width. axe-core runs on every page at 390 px, and at
1366 px on the home page only (the other journeys already run it on their pages at 1280 px): the file
stays within its budget of 4 minutes on 2 cores. A page is too wide when the document scrolls
sideways (`scrollWidth > innerWidth`); the failure names the page and the elements that stick out the
most (elements inside a region that scrolls on its own, such as a wide table, are not counted).
"""

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, log_in

ROLES = [
    "admin",
    "acheteur",
    "juriste",
    "referent",
    "correspondant",
    "prescripteur",
    "gouvernance",
    "controleur",
]
WIDTHS = {"téléphone": (390, 844), "portable": (1366, 768)}

# The elements whose right edge passes the window, outside any region that scrolls or clips on its own
# (or, when none, all of them: an absolutely positioned one escapes a scrolling parent not positioned).
WIDEST = """() => {
  const width = window.innerWidth;
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const all = [];
  for (const el of document.body.querySelectorAll('*')) {
    const right = el.getBoundingClientRect().right;
    if (right > width + 1) all.push([Math.round(right), name(el), el]);
  }
  const unclipped = all.filter((entry) => !clipped(entry[2]));
  const wide = (unclipped.length ? unclipped : all).map((entry) => [entry[0], entry[1]]);
  wide.sort((a, b) => b[0] - a[0]);
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, widest: wide.slice(0, 3)};
}"""


def _menu_links(page) -> list[str]:
    hrefs = page.locator("#navigation .nav-link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return list(dict.fromkeys(hrefs))


def _open_menu_with_the_keyboard(page) -> None:
    """On a phone the menu is folded behind its button; Enter unfolds it."""
    toggler = page.get_by_role("button", name="Menu")
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_hidden()
    toggler.focus()
    page.keyboard.press("Enter")
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#navigation .nav-link").first).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def _check(page, path: str, width_name: str, problems: list[str], *, axe: bool) -> None:
    response = page.goto(path)
    if response is None or response.status >= 400:
        problems.append(f"{width_name} {path}: réponse {response and response.status}")
        return
    measure = page.evaluate(WIDEST)
    if measure["scrollWidth"] > measure["innerWidth"]:
        problems.append(
            f"{width_name} {path}: {measure['scrollWidth']} px pour {measure['innerWidth']} px ; "
            f"dépassent : {measure['widest']}"
        )
    if not axe:
        return
    try:
        assert_accessible(page)
    except AssertionError as error:
        problems.append(f"{width_name} {path}: {error}")


@pytest.mark.parametrize("username", ROLES)
def test_every_menu_page_reflows_at_phone_and_laptop_widths(browser, live_server, demo, username):
    problems: list[str] = []
    csp_violations: list[str] = []
    paths: list[str] = []
    for width_name, (width, height) in WIDTHS.items():
        context = browser.new_context(
            base_url=live_server.url, locale="fr-FR", viewport={"width": width, "height": height}
        )
        page = context.new_page()
        page.on(
            "console",
            lambda message: "Content Security Policy" in message.text and csp_violations.append(message.text),
        )
        try:
            log_in(page, username)
            if width < 992:
                _open_menu_with_the_keyboard(page)
            if not paths:
                paths = ["/", *(href for href in _menu_links(page) if href != "/")]
            for path in paths:
                _check(page, path, width_name, problems, axe=width < 992 or path == "/")
        finally:
            context.close()
    assert len(paths) > 1, "le menu principal est vide"
    assert not problems, f"{username} :\n" + "\n".join(problems)
    assert csp_violations == []
