"""Many people using a running site at once: N clients for T seconds, reads and writes mixed.

Run it against the development server (`make run`, or `scripts/run-dev.sh` with another PORT):

    .venv/bin/python benchmarks/concurrent_clients.py --base-url http://127.0.0.1:8731 \
        [--clients 50] [--seconds 60] [--think 1.0] [--accounts user1,user2 --password PW]

Each client signs in as a demo account (round-robin over the clinical practitioners and team
leaders and the carers' keyworkers that `manage.py seed_demo --list-accounts` prints), then,
until the time is up, repeats a weighted mix of what those people do most:

- clinical accounts: a name search (POST), a person page, the worklist, an episode page and
  recording a screening (the form, then its POST); team leaders also open the reports page;
- keyworkers: the carers' home page, a sharing relationship and a contact log entry (the form,
  then its POST).

Clients first sign in, `--sign-in-concurrency` (5) at a time, as people arriving at work do
rather than all in the same instant; the sign-ins are reported apart. The clock starts when all
of them are signed in: for `--seconds` all of them work at once. Between actions a client waits a
random 0 to 2 x `--think` seconds (a person reading the page; `--think 0` is a closed loop, as
fast as the server answers). Before the load, one client alone times the same GETs: that
floor is printed beside the loaded figures.

It prints requests, errors by kind (HTTP status, a form sent back with errors, a network
error) and the 50th, 95th and 99th percentiles per action and overall. The exit status is 1 if
any request failed. Loopback only: it refuses any other host. Against the production settings
(gunicorn as in docs/deployment.md), pass --behind-proxy: requests then carry what nginx adds
(X-Forwarded-Proto: https) and secure cookies are sent back over loopback HTTP. It writes
screenings and contact log entries to the database it runs against, so point it at a copy of
the demo database.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The published demo sign-in (healthjustice/demo/accounts.py),
# or HJ_DEMO_PASSWORD as seed_demo used.
DEMO_PASSWORD = os.environ.get("HJ_DEMO_PASSWORD", "lantern-orchard-pebble")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
REQUEST_TIMEOUT = 30.0  # seconds; a page slower than this counts as failed
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


# HTTP ---------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Failure(Exception):
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    error_examples: dict[str, str] = field(default_factory=dict)

    def add(self, action: str, seconds: float, error: str | None, detail: str = "") -> None:
        with self.lock:
            self.times[action].append(seconds)
            if error:
                key = f"{action}: {error}"
                self.errors[key] += 1
                self.error_examples.setdefault(key, detail[:300])


# --behind-proxy: requests arrive as from nginx terminating HTTPS (X-Forwarded-Proto), so the
# production settings (secure cookies, HTTPS redirect) can be measured on loopback HTTP.
BEHIND_PROXY = False


class _ProxiedCookies(http.cookiejar.DefaultCookiePolicy):
    def return_ok_secure(self, cookie, request):
        return True


class Client:
    """One browser: its own cookies, CSRF token and no automatic redirects."""

    def __init__(self, base_url: str, results: Results | None):
        self.base = base_url.rstrip("/")
        self.jar = http.cookiejar.CookieJar(_ProxiedCookies() if BEHIND_PROXY else None)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )
        self.results = results
        self.last_status = 0

    def _csrf(self) -> str:
        for cookie in self.jar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def request(
        self,
        action: str,
        path: str,
        data: list[tuple[str, str]] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> str:
        url = self.base + path
        body = None
        headers = {"User-Agent": "hj-concurrent-clients"}
        if BEHIND_PROXY:
            headers["X-Forwarded-Proto"] = "https"
        if data is not None:
            body = urllib.parse.urlencode([("csrfmiddlewaretoken", self._csrf()), *data]).encode()
            headers["Referer"] = url.replace("http://", "https://", 1) if BEHIND_PROXY else url
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 (loopback http only)
        started = time.perf_counter()
        error, detail, text = None, "", ""
        try:
            try:
                with self.opener.open(req, timeout=REQUEST_TIMEOUT) as resp:
                    status, text = resp.status, resp.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as exc:
                status, text = exc.code, exc.read().decode("utf-8", "replace")
            self.last_status = status
            if status not in expect:
                error = f"HTTP {status}"
                detail = _error_text(text)
            elif status == 200 and data is not None and 'class="nhsuk-error-summary' in text:
                error = "form sent back with errors"
                detail = _error_text(text)
        except (OSError, urllib.error.URLError) as exc:
            error = f"network: {type(exc).__name__}"
            detail = str(exc)
        elapsed = time.perf_counter() - started
        if self.results is not None:
            self.results.add(action, elapsed, error, detail)
        if error:
            raise Failure(error)
        return text

    def sign_in(self, username: str, password: str) -> None:
        # A sign-in that timed out here may have finished on the server; the form then sends
        # the signed-in person on, as it would someone trying again in a browser.
        self.request("sign in (form)", "/accounts/sign-in/", expect=(200, 302))
        if self.last_status == 302:
            return
        self.request(
            "sign in",
            "/accounts/sign-in/",
            [("username", username), ("password", password)],
            expect=(302,),
        )


def _error_text(html: str) -> str:
    found = re.search(
        r"<(?:h1|ul class=\"nhsuk-list nhsuk-error-summary__list)[^>]*>(.*?)</", html, re.S
    )
    text = found.group(1) if found else html[:200]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()


class _FormFields(HTMLParser):
    """The default values of the page's main form, as a browser would send them untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.in_form = False
        self.done = False
        self.fields: list[tuple[str, str]] = []
        self.radios: dict[str, str] = {}
        self.radio_checked: set[str] = set()
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if self.done:
            return
        if tag == "form" and a.get("method", "").lower() == "post":
            self.in_form = "sign-out" not in a.get("action", "")
            return
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            if kind == "radio":
                self.radios.setdefault(name, a.get("value", ""))
                if "checked" in a:
                    self.radios[name] = a.get("value", "")
                    self.radio_checked.add(name)
            elif kind == "checkbox":
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, None
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in a:
                self.select_chosen = value
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True
        elif tag == "select" and self.select:
            chosen = self.select_chosen if self.select_chosen is not None else self.select_first
            self.fields.append((self.select, chosen or ""))
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text.strip()))
            self.textarea = None


def form_data(html: str, overrides: dict[str, str]) -> list[tuple[str, str]]:
    parser = _FormFields()
    parser.feed(html)
    fields = [(k, v) for k, v in parser.fields if k not in overrides]
    fields += [(k, v) for k, v in parser.radios.items() if k not in overrides]
    fields += list(overrides.items())
    return fields


def links(html: str, prefix: str) -> list[str]:
    return sorted(set(re.findall(rf'href="({re.escape(prefix)}{UUID}/)"', html)))


# What the clients do --------------------------------------------------------------------------


@dataclass
class Account:
    username: str
    password: str
    keyworker: bool
    leader: bool = False


def demo_accounts() -> list[Account]:
    """Clinical practitioners and team leaders, and keyworkers, from the demo's own list."""
    env = {**os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", "healthjustice.config.settings.local")
    out = subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--list-accounts"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    accounts = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 4 or parts[2] not in ("practitioner", "team_leader"):
            continue
        accounts.append(
            Account(
                parts[0],
                parts[1],
                keyworker="carers" in parts[3],
                leader=parts[2] == "team_leader",
            )
        )
    return accounts


class Scenario:
    def __init__(self, client: Client, account: Account, think: float, rng: random.Random):
        self.client, self.account, self.think, self.rng = client, account, think, rng
        self.episodes: list[str] = []
        self.people: list[str] = []
        self.names: list[str] = []
        self.relationships: list[str] = []

    def discover(self) -> None:
        c = self.client
        if self.account.keyworker:
            home = c.request("carers home", "/carers/")
            self.relationships = links(home, "/carers/sharing/")
            return
        worklist = c.request("worklist", "/episodes/worklist/")
        self.episodes = links(worklist, "/episodes/")
        for path in self.rng.sample(self.episodes, min(2, len(self.episodes))):
            with contextlib.suppress(Failure):
                page = c.request("episode page", path)
                self.people += links(page, "/people/")
                heading = re.search(r"<h1[^>]*>\s*([^<]+?)\s*<", page)
                if heading:
                    self.names.append(heading.group(1))

    def actions(self):
        if self.account.keyworker:
            acts = [(self.carers_home, 3), (self.relationship, 3)]
            if self.relationships:
                acts.append((self.contact_log, 2))
            return acts
        acts = [(self.worklist, 3)]
        if self.names:
            acts.append((self.search, 3))
        if self.people:
            acts.append((self.person_page, 3))
        if self.episodes:
            acts += [(self.episode_page, 2), (self.screening, 2)]
        if self.account.leader:
            acts.append((self.reports, 1))
        return acts

    def run_until(self, deadline: float) -> None:
        acts = self.actions()
        funcs, weights = [a for a, _ in acts], [w for _, w in acts]
        while time.monotonic() < deadline:
            with contextlib.suppress(Failure):
                self.rng.choices(funcs, weights)[0]()
            if self.think:
                pause = self.rng.uniform(0, 2 * self.think)
                time.sleep(max(0.0, min(pause, deadline - time.monotonic())))

    # clinical
    def worklist(self) -> None:
        self.client.request("worklist", "/episodes/worklist/")

    def search(self) -> None:
        name = self.rng.choice(self.names)
        self.client.request("search (POST)", "/people/", [("name", name)])

    def person_page(self) -> None:
        self.client.request("person page", self.rng.choice(self.people))

    def episode_page(self) -> None:
        self.client.request("episode page", self.rng.choice(self.episodes))

    def screening(self) -> None:
        episode_id = self.rng.choice(self.episodes).rstrip("/").rsplit("/", 1)[1]
        path = f"/screening/episode/{episode_id}/record/"
        page = self.client.request("screening (form)", path)
        data = form_data(page, {"none_found": "on", "notes": "Load test screening."})
        self.client.request("screening (POST)", path, data, expect=(302,))

    def reports(self) -> None:
        self.client.request("reports", "/reports/")

    # keyworker
    def carers_home(self) -> None:
        self.client.request("carers home", "/carers/")

    def relationship(self) -> None:
        if self.relationships:
            self.client.request("sharing relationship", self.rng.choice(self.relationships))
        else:
            self.carers_home()

    def contact_log(self) -> None:
        path = self.rng.choice(self.relationships) + "contacts/add/"
        page = self.client.request("contact log (form)", path)
        data = form_data(page, {"summary": "Load test: a short phone call about visiting."})
        self.client.request("contact log (POST)", path, data, expect=(302,))


# Running and reporting --------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def wait_for_server(base: str, seconds: float) -> None:
    """A server just started (`make run`) may still be running its checks."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            Client(base, None).request("ready", "/accounts/sign-in/")
            return
        except Failure:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def measure_floor(base: str, account: Account, repeats: int) -> dict[str, list[float]]:
    results = Results()
    client = Client(base, None)
    client.sign_in(account.username, account.password)
    scenario = Scenario(client, account, 0, random.Random(0))
    scenario.discover()
    client.results = results
    for _ in range(repeats):
        scenario.worklist()
        if scenario.people:
            scenario.person_page()
        if scenario.episodes:
            scenario.episode_page()
        if scenario.names:
            scenario.search()
    return results.times


SIGN_IN_TRIES = 3


def client_thread(
    n: int,
    base: str,
    account: Account,
    think: float,
    gate: threading.Semaphore,
    ready: threading.Barrier,
    deadline_box: list[float],
    sign_ins: Results,
    results: Results,
) -> None:
    """Sign in and find some records (a few clients at a time), then wait for the others; the
    timed, measured part begins when every client is signed in."""
    client = Client(base, sign_ins)
    scenario = Scenario(client, account, think, random.Random(n))
    signed_in = False
    with gate:
        for _ in range(SIGN_IN_TRIES):
            try:
                if not signed_in:
                    client.sign_in(account.username, account.password)
                    signed_in = True
                scenario.discover()
                break
            except Exception:  # every client must reach the barrier below
                time.sleep(1)  # as a person would, try again
    ready.wait()
    client.results = results
    scenario.run_until(deadline_box[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between actions, s")
    parser.add_argument(
        "--sign-in-concurrency", type=int, default=5, help="clients signing in at the same time"
    )
    parser.add_argument("--accounts", help="comma-separated usernames (default: the demo's)")
    parser.add_argument("--keyworkers", default="", help="which of --accounts are keyworkers")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--floor-repeats", type=int, default=10)
    parser.add_argument(
        "--behind-proxy",
        action="store_true",
        help="send X-Forwarded-Proto: https and secure cookies, as nginx in front of the "
        "production settings does (docs/deployment.md)",
    )
    args = parser.parse_args()
    global BEHIND_PROXY
    BEHIND_PROXY = args.behind_proxy

    host = urllib.parse.urlsplit(args.base_url).hostname
    if host not in LOOPBACK:
        parser.error("only a server on this machine (127.0.0.1, localhost or ::1)")
    if not 1 <= args.clients <= 500 or not 0 < args.seconds <= 3600:
        parser.error("--clients must be 1 to 500 and --seconds at most 3600")

    if args.accounts:
        keyworkers = set(filter(None, args.keyworkers.split(",")))
        accounts = [
            Account(u, args.password, u in keyworkers) for u in args.accounts.split(",") if u
        ]
    else:
        accounts = demo_accounts()
    clinical = [a for a in accounts if not a.keyworker]
    if not clinical:
        parser.error("no clinical account to measure the floor with")

    wait_for_server(args.base_url, 60)
    floor = measure_floor(args.base_url, clinical[0], args.floor_repeats)

    sign_ins, results = Results(), Results()
    deadline_box = [0.0]
    timing: dict[str, float] = {}

    def start_the_clock() -> None:
        timing["began"] = time.monotonic()
        deadline_box[0] = timing["began"] + args.seconds

    ready = threading.Barrier(args.clients, action=start_the_clock)
    gate = threading.Semaphore(max(1, args.sign_in_concurrency))
    threads = [
        threading.Thread(
            target=client_thread,
            args=(
                n,
                args.base_url,
                accounts[n % len(accounts)],
                args.think,
                gate,
                ready,
                deadline_box,
                sign_ins,
                results,
            ),
            daemon=True,
        )
        for n in range(args.clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - timing["began"]

    report(args, accounts, floor, sign_ins, results, wall)
    return 1 if results.errors or sign_ins.errors else 0


def _ms(values: list[float], pct: float) -> str:
    return f"{percentile(values, pct) * 1000:,.0f}" if values else "-"


def _table(results: Results, floor: dict[str, list[float]], title: str) -> None:
    header = f"{title:<24}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    print(header + f"{'floor p50':>11}{'floor p95':>11}")
    for action in sorted(results.times):
        times = results.times[action]
        failed = sum(n for k, n in results.errors.items() if k.startswith(action + ":"))
        alone = floor.get(action, [])
        print(
            f"{action:<24}{len(times):>9}{failed:>8}{_ms(times, 50):>9}{_ms(times, 95):>9}"
            f"{_ms(times, 99):>9}{_ms(alone, 50):>11}{_ms(alone, 95):>11}"
        )


def _errors(results: Results) -> None:
    for key, n in results.errors.most_common():
        print(f"  {n:>6}  {key}  e.g. {results.error_examples[key]!r}")


def report(args, accounts, floor, sign_ins: Results, results: Results, wall: float) -> None:
    every = [t for times in results.times.values() for t in times]
    errors = sum(results.errors.values())
    print(
        f"{args.clients} clients for {args.seconds:g} s against {args.base_url}, "
        f"think time 0-{2 * args.think:g} s, accounts: "
        + ", ".join(sorted({a.username for a in accounts}))
    )
    print()
    print(f"Signing in, {args.sign_in_concurrency} at a time (before the clock starts):")
    _table(sign_ins, {}, "action")
    _errors(sign_ins)
    print()
    print(
        f"All {args.clients} signed in, for {wall:.1f} s: requests {len(every)}, "
        f"errors {errors}, {len(every) / wall:.1f} requests/s"
    )
    _table(results, floor, "action")
    floor_all = [t for times in floor.values() for t in times]
    print(
        f"{'overall':<24}{len(every):>9}{errors:>8}{_ms(every, 50):>9}{_ms(every, 95):>9}"
        f"{_ms(every, 99):>9}{_ms(floor_all, 50):>11}{_ms(floor_all, 95):>11}"
    )
    if results.errors:
        print("\nerrors by kind:")
        _errors(results)


if __name__ == "__main__":
    sys.exit(main())
