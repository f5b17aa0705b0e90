"""The simulated users of `make soak` (bench/soak.py): one thread each, signed in as a demo
account of its role, reading pages and the API and writing rows that can be counted
afterwards, with think time between requests. Every answer is recorded (time, kind, status,
duration), and every write answered 2xx keeps the public id it returned."""

import random
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests

# The role mix of 50 users: monitors and liaisons are the many, administrators the few.
ROLE_MIX = {
    "monitor": 14,
    "liaison": 12,
    "coordinator": 8,
    "regional": 8,
    "auditor": 5,
    "admin": 3,
}
EMAILS = {role: f"{role}@demo.vigil" for role in ROLE_MIX}

PAGES = {
    "admin": ["/", "/accounts/users/", "/audit/", "/audit/access/", "/registry/institutions/"],
    "coordinator": [
        "/",
        "/registry/institutions/",
        "/registry/institutions/?search=№",
        "/registry/institutions/?region={region}",
        "/visits/",
        "/visits/plan/",
        "/recommendations/",
        "/recommendations/tallies/",
        "/appeals/",
        "/appeals/funnel/",
        "/analysis/",
        "/people/",
    ],
    "regional": [
        "/",
        "/registry/institutions/?region={region}",
        "/visits/",
        "/visits/mine/",
        "/recommendations/",
        "/appeals/",
    ],
    "monitor": ["/", "/visits/mine/", "/visits/", "/registry/institutions/?search=а"],
    "liaison": [
        "/",
        "/recommendations/portal/",
        "/registry/institutions/",
        "/recommendations/tallies/",
    ],
    "auditor": ["/", "/audit/", "/audit/access/", "/visits/", "/recommendations/"],
}
API_LISTS = {
    "admin": ["/api/v1/institutions/", "/api/v1/regions/"],
    "coordinator": [
        "/api/v1/institutions/?region={region}",
        "/api/v1/visits/",
        "/api/v1/recommendations/",
        "/api/v1/appeals/",
        "/api/v1/statistics/",
    ],
    "regional": ["/api/v1/institutions/?region={region}", "/api/v1/visits/"],
    "monitor": ["/api/v1/visits/", "/api/v1/notes/", "/api/v1/findings/"],
    "liaison": ["/api/v1/recommendations/", "/api/v1/institutions/?search=а"],
    "auditor": ["/api/v1/visits/", "/api/v1/recommendations/"],
}
# The share of a user's actions that are writes, per role (the others read).
WRITE_SHARE = {"coordinator": 0.2, "regional": 0.15, "monitor": 0.25}


@dataclass
class Answer:
    at: float  # seconds since the start of the load
    role: str
    kind: str  # page, detail, api, write:<what>
    path: str
    status: int  # 0: no answer (the connection failed)
    ms: float
    error: str = ""


@dataclass
class Writes:
    """A write kind's acknowledged public ids, and the markers of those answered otherwise."""

    acknowledged: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)  # no 2xx: saved or not, both are fine


@dataclass
class Scenario:
    """What the users need, gathered before the load starts."""

    base: str
    run_id: str
    tokens: dict[str, str]
    region: dict[str, str]  # role -> a region code in its scope
    institution_template: dict[str, dict[str, Any]]  # writer role -> type, agency, region
    note_visits: dict[str, list[str]]  # writer role -> visits it may add notes to
    details: dict[str, list[str]]  # role -> detail pages (html_url of its API lists)


class Recorder:
    def __init__(self, started: float, run_id: str) -> None:
        self.started, self.run_id = started, run_id
        self.lock = threading.Lock()
        self.answers: list[Answer] = []
        self.writes: dict[str, Writes] = {"institution": Writes(), "note": Writes()}
        self.resends: list[float] = []  # when a request was sent again on a new connection

    def add(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)

    def resent(self, at: float) -> None:
        with self.lock:
            self.resends.append(at)

    def write(self, what: str, *, acknowledged: str | None, marker: str) -> None:
        with self.lock:
            if acknowledged:
                self.writes[what].acknowledged.append(acknowledged)
            else:
                self.writes[what].unanswered.append(marker)


def page_session(base: str, email: str, password: str) -> requests.Session:
    """A browser-like session signed in through the login page."""
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    answer = session.post(
        f"{base}/accounts/login/",
        data={
            "username": email,
            "password": password,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=60,
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"{email} could not sign in ({answer.status_code})")
    return session


class SimulatedUser(threading.Thread):
    def __init__(
        self,
        number: int,
        role: str,
        scenario: Scenario,
        recorder: Recorder,
        password: str,
        deadline: float,
    ) -> None:
        super().__init__(name=f"user-{number}", daemon=True)
        self.number, self.role, self.scenario = number, role, scenario
        self.recorder, self.password, self.deadline = recorder, password, deadline
        self.random = random.Random(number)
        self.writes = 0

    def run(self) -> None:
        session = page_session(self.scenario.base, EMAILS[self.role], self.password)
        api = requests.Session()
        api.headers["Authorization"] = f"Token {self.scenario.tokens[self.role]}"
        while time.monotonic() < self.deadline:
            self.act(session, api)
            time.sleep(self.random.uniform(0.5, 3.0))  # think time

    def act(self, session: requests.Session, api: requests.Session) -> None:
        roll = self.random.random()
        region = self.scenario.region.get(self.role, "")
        if roll < WRITE_SHARE.get(self.role, 0):
            self.write(api)
        elif roll < 0.55:
            path = self.random.choice(PAGES[self.role]).format(region=region)
            self.request(session, "page", "GET", path)
        elif roll < 0.7 and self.scenario.details.get(self.role):
            self.request(
                session, "detail", "GET", self.random.choice(self.scenario.details[self.role])
            )
        else:
            path = self.random.choice(API_LISTS[self.role]).format(region=region)
            self.request(api, "api", "GET", path)

    def write(self, api: requests.Session) -> None:
        self.writes += 1
        marker = f"SOAK {self.scenario.run_id} u{self.number} w{self.writes}"
        visits = self.scenario.note_visits.get(self.role)
        if self.role in self.scenario.institution_template and (not visits or self.writes % 2):
            body = {**self.scenario.institution_template[self.role], "name_en": marker}
            body["name_ru"] = body["name_kk"] = marker
            what, path = "institution", "/api/v1/institutions/"
        elif visits:
            body = {"visit": self.random.choice(visits), "kind": "observation", "text": marker}
            what, path = "note", "/api/v1/notes/"
        else:
            return
        answer = self.request(api, f"write:{what}", "POST", path, json=body)
        acknowledged = None
        if answer is not None and 200 <= answer.status_code < 300:
            acknowledged = answer.json()["id"]
        self.recorder.write(what, acknowledged=acknowledged, marker=marker)

    def request(
        self, session: requests.Session, kind: str, method: str, path: str, **kwargs: Any
    ) -> requests.Response | None:
        url = path if path.startswith("http") else f"{self.scenario.base}{path}"
        start = time.monotonic()
        try:
            try:
                response = session.request(
                    method, url, timeout=120, allow_redirects=False, **kwargs
                )
            except requests.ConnectionError as exc:
                if "Connection aborted" not in str(exc):
                    raise
                # As a browser does: a kept-alive connection the server closed meanwhile (or a
                # worker that died) is answered by sending the request once more, on a new one.
                self.recorder.resent(start - self.recorder.started)
                response = session.request(
                    method, url, timeout=120, allow_redirects=False, **kwargs
                )
        except requests.RequestException as exc:
            self.recorder.add(
                Answer(
                    start - self.recorder.started,
                    self.role,
                    kind,
                    path,
                    0,
                    (time.monotonic() - start) * 1000,
                    f"{type(exc).__name__}: {str(exc)[-90:]}",
                )
            )
            return None
        self.recorder.add(
            Answer(
                start - self.recorder.started,
                self.role,
                kind,
                path,
                response.status_code,
                (time.monotonic() - start) * 1000,
                response.headers.get("Retry-After", ""),
            )
        )
        return response
