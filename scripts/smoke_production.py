"""Smoke test of a running production server, over HTTP, as the reverse proxy would send it.

Usage: smoke_production.py BASE_URL USERNAME LEADER_USERNAME PASSWORD

Signs in as a practitioner (CSRF token from the form), opens the worklist and a person page,
issues a report and downloads its PDF, opens a page that does not exist, fetches every static
file the pages name (and the modules they import), then signs in as a team leader and has the
background worker build a data return. Exits 1 on any 5xx, missing asset or unexpected answer.
Standard library only; `scripts/smoke-production.sh` starts the server and calls this.
"""

from __future__ import annotations

import http.client
import json
import re
import sys
import time
import urllib.parse
from html.parser import HTMLParser

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


class SmokeFailure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Client:
    """One browser: its own cookies (sent although they are Secure, as the proxy speaks HTTPS
    to the user), and every request marked as having arrived over HTTPS unless told not to."""

    def __init__(self, base: str) -> None:
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.origin = f"https://{self.host}:{self.port}"
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | list[tuple[str, str]] | None = None,
        *,
        https: bool = True,
        expect: int | tuple[int, ...] = 200,
    ) -> Response:
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "healthjustice-smoke"}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = f"{self.origin}{path}"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            conn.close()
        for cookie in raw.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in cookie.lower() or not value or value == '""':
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        expected = expect if isinstance(expect, tuple) else (expect,)
        print(f"  {method} {path} -> {response.status}")
        check(response.status < 500, f"{method} {path}: server error {response.status}")
        check(
            response.status in expected,
            f"{method} {path}: got {response.status}, expected {expected}",
        )
        return response

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, form, **kw) -> Response:
        return self.request("POST", path, form, **kw)


class FormParser(HTMLParser):
    """The fields of every <form method="post"> in a page, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs_list) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "fields": [], "radios": {}})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind == "radio":
                form["radios"].setdefault(name, []).append(attrs.get("value", ""))
            elif kind == "checkbox":
                if "checked" in attrs:
                    form["fields"].append([name, attrs.get("value", "on")])
            elif kind not in ("submit", "button"):
                form["fields"].append([name, attrs.get("value", "")])
        elif tag == "select" and name:
            self._select = name
            form["fields"].append([name, None])
        elif tag == "option" and self._select:
            field = next(f for f in form["fields"] if f[0] == self._select)
            if field[1] is None or "selected" in attrs:
                field[1] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"].append([name, ""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            field = next(f for f in self.forms[-1]["fields"] if f[0] == self._textarea)
            field[1] += data


def form_in(page: Response, action_pattern: str) -> dict:
    parser = FormParser()
    parser.feed(page.text)
    for form in parser.forms:
        if re.search(action_pattern, form["action"]):
            return form
    raise SmokeFailure(f"no form posting to {action_pattern!r}")


def fill(form: dict, values: dict[str, str]) -> list[tuple[str, str]]:
    fields = {name: value or "" for name, value in form["fields"]}
    fields.update(values)
    return list(fields.items())


class Assets:
    """Every static file a page names, fetched once; JavaScript modules' imports too."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.seen: set[str] = set()

    def from_page(self, page: Response, page_path: str) -> None:
        for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text):
            self.fetch(urllib.parse.urljoin(page_path, url))

    def fetch(self, path: str) -> None:
        if path in self.seen:
            return
        self.seen.add(path)
        response = self.client.get(path)
        check(len(response.body) > 0, f"{path}: empty")
        if path.endswith(".js"):
            for target in re.findall(r"""(?:import|from)\s*['"]([^'"]+\.js)['"]""", response.text):
                self.fetch(urllib.parse.urljoin(path, target))


def sign_in(client: Client, username: str, password: str) -> Response:
    page = client.get("/accounts/sign-in/")
    check("Strict-Transport-Security" in page.headers, "no HSTS header on an HTTPS page")
    check("Permissions-Policy" in page.headers, "no Permissions-Policy header")
    form = form_in(page, r"^$")  # the form posts to its own page
    check(
        any(name == "csrfmiddlewaretoken" and value for name, value in form["fields"]),
        "the sign-in form has no CSRF token",
    )
    answer = client.post(
        "/accounts/sign-in/", fill(form, {"username": username, "password": password}), expect=302
    )
    check("/accounts/sign-in/" not in answer.headers["Location"], f"{username} could not sign in")
    return client.get(answer.headers["Location"])


def run(base: str, username: str, leader: str, password: str) -> None:
    anonymous = Client(base)
    print("health and HTTPS")
    health = anonymous.get("/healthz", https=False)
    check(json.loads(health.body)["status"] == "ok", f"healthz: {health.text}")
    # Without the proxy's header the request is plain HTTP: production sends it to HTTPS.
    plain = anonymous.get("/accounts/sign-in/", https=False, expect=301)
    check(plain.headers["Location"].startswith("https://"), "plain HTTP not sent to HTTPS")

    print(f"practitioner ({username})")
    client = Client(base)
    assets = Assets(client)
    home = sign_in(client, username, password)
    assets.from_page(home, "/")
    worklist = client.get("/episodes/worklist/")
    assets.from_page(worklist, "/episodes/worklist/")
    episodes = re.findall(rf'href="(/episodes/{UUID}/)"', worklist.text)
    check(bool(episodes), "the worklist links to no episode")
    episode = client.get(episodes[0])
    assets.from_page(episode, episodes[0])
    people = re.findall(rf'href="(/people/{UUID}/)"', episode.text)
    check(bool(people), "the episode links to no person")
    person = client.get(people[0])
    assets.from_page(person, people[0])

    episode_id = re.search(UUID, episodes[0]).group(0)
    write = f"/assessments/episode/{episode_id}/reports/new/custody_advice/"
    page = client.get(write)
    form = form_in(page, r"^$")
    values = {
        "recipient": "police",
        "lawful_basis": "administration_of_justice",
        "article6_basis": "6_1_e",
        "article9_condition": "9_2_g_s1_7",
        "article10_condition": "",
        "confirm": "on",
    }
    values["justification"] = (
        "A synthetic report issued by the production smoke test to check the PDF route works."
    )
    for name, value in form["fields"]:
        if name.startswith("section_") and not (value or "").strip():
            values[name] = "Written by the production smoke test with synthetic data only."
    issued = client.post(write, fill(form, values), expect=(200, 302))
    if issued.status == 200 and 'name="article10_condition"' in issued.text:
        # The report carries criminal-offence data, so it needs its Article 10 condition too.
        values["article10_condition"] = "s1_7"
        issued = client.post(write, fill(form, values), expect=302)
    report = issued.headers["Location"]
    check(re.search(rf"/assessments/reports/{UUID}/$", report) is not None, f"no report: {report}")
    client.get(report)
    pdf = client.get(f"{report}pdf/")
    check(pdf.headers.get("Content-Type") == "application/pdf", "the report is not a PDF")
    check(pdf.body.startswith(b"%PDF"), "the PDF does not start with %PDF")

    missing = client.get("/no-such-page/", expect=404)
    check("Page not found" in missing.text, "the 404 is not the service's own page")
    assets.from_page(missing, "/no-such-page/")
    check(any(p.endswith(".css") for p in assets.seen), "no stylesheet was named")
    check(
        all(re.search(r"\.[0-9a-f]{12}\.", p) for p in assets.seen if "/web/" in p),
        "the service's own static files are not served under hashed names",
    )

    print(f"team leader ({leader}) and the background worker")
    leader_client = Client(base)
    sign_in(leader_client, leader, password)
    dashboard = leader_client.get("/reports/")
    form = form_in(dashboard, r"/reports/exports/$")
    requested = leader_client.post("/reports/exports/", fill(form, {}), expect=302)
    export = requested.headers["Location"]
    deadline = time.monotonic() + 45
    while True:
        status = leader_client.get(f"{export}status/")
        if "/download/" in status.text:
            break
        check("nhsuk-tag--red" not in status.text, "the background worker failed the export")
        check(time.monotonic() < deadline, "the background worker did not build the export")
        time.sleep(1)
    csv = leader_client.get(f"{export}download/")
    check("text/csv" in csv.headers.get("Content-Type", ""), "the data return is not a CSV file")


def main() -> int:
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        run(*sys.argv[1:])
    except SmokeFailure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    print("production smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
