"""An anonymous visitor's walk through the portal: every link under /portail/, every choice of its
GET filter forms (and a sample value for each text field), pagination and downloads."""

from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

PREFIX = "/portail/"
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
    if parts.netloc not in ("", "testserver") or not parts.path.startswith(PREFIX):
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
    return seen
