"""An anonymous visitor's walk through the portal: every link under /portail/, every choice of its
GET filter forms (and a sample value for each text field), pagination and downloads; and the portal's
API under /api/v1/portail/: every address its JSON answers give (pages, records), and each list page's
query asked of the matching API list, so every filter value is tried there too."""

import json
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

PREFIX = "/portail/"
API_PREFIX = "/api/v1/portail/"
# The portal's list pages and their API lists: same rows, same filters.
API_OF_PAGE = {
    "/portail/achats-prevus/": "/api/v1/portail/achats-prevus/",
    "/portail/consultations/": "/api/v1/portail/consultations/",
    "/portail/marches/": "/api/v1/portail/marches/",
}
# A value to try in each free-text filter; anything else gets "a".
SAMPLES = {"q": "entretien", "cpv": "77", "quarter": "2027-T2", "year": "2026"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []  # {"action", "fields": {name: [values]}}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and attrs.get("method", "get").lower() == "get":
            self.forms.append({"action": attrs.get("action", ""), "fields": {}})
        elif self.forms and tag == "select":
            self._select = attrs.get("name")
            self.forms[-1]["fields"].setdefault(self._select, [])
        elif self.forms and tag == "option" and self._select and attrs.get("value"):
            self.forms[-1]["fields"][self._select].append(attrs["value"])
        elif self.forms and tag == "input" and attrs.get("name"):
            name = attrs["name"]
            self.forms[-1]["fields"][name] = [SAMPLES.get(name, "a")]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _local(url: str, base: str) -> str | None:
    parts = urlsplit(urljoin(base, url))
    if parts.netloc not in ("", "testserver") or not parts.path.startswith((PREFIX, API_PREFIX)):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links_of(html: str, base: str) -> list[str]:
    page = _Page()
    page.feed(html)
    found = [_local(href, base) for href in page.links]
    for form in page.forms:
        action = urljoin(base, form["action"] or urlsplit(base).path)
        for name, values in form["fields"].items():
            found += [_local(f"{action}?{urlencode({name: value})}", base) for value in values]
    return [url for url in found if url]


def links_in_json(value) -> list[str]:
    """Every local address in a JSON answer (next and previous pages, a record's own and its page)."""
    if isinstance(value, dict):
        return [link for item in value.values() for link in links_in_json(item)]
    if isinstance(value, list):
        return [link for item in value for link in links_in_json(item)]
    local = _local(value, "http://testserver/") if isinstance(value, str) and "://" in value else None
    return [local] if local else []


def api_twin(url: str) -> str | None:
    """The API list asked with a list page's query."""
    path, _, query = url.partition("?")
    api = API_OF_PAGE.get(path)
    return f"{api}?{query}" if api and query else api


def crawl(client, start: str = PREFIX, limit: int = 600) -> dict[str, str]:
    """Every page reached from `start`, as text, by its URL; each must answer 200."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        assert len(seen) < limit, f"more than {limit} portal URLs: a link loop?"
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seen[url] = body.decode()
        if response["Content-Type"].startswith("text/html"):
            queue += [link for link in links_of(seen[url], url) if link not in seen]
            queue += [twin] if (twin := api_twin(url)) else []
        elif response["Content-Type"].startswith("application/json"):
            queue += [link for link in links_in_json(json.loads(seen[url])) if link not in seen]
    return seen
