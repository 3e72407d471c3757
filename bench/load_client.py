"""A visitor that speaks Streamlit's own protocol, for ``python -m bench.load``.

Like a browser: it loads the page over HTTP (keeping the cookies it is given: Streamlit's XSRF
cookie, the proxy's node cookie), opens the websocket ``/_stcore/stream`` with the XSRF token as
Streamlit's frontend does, sends ``BackMsg`` protobufs (``rerun_script`` with the query string,
the page and the widget states) and reads every ``ForwardMsg`` until the run's
``script_finished``, parsing each one in full. It finds widgets the way the frontend does, from
the elements the server sends (their ids and options), follows the query string the page sets
(``page_info_changed``), keeps the messages it was sent so the server may answer with a
reference (``ref_hash``), and fetches the images a step shows and the file a download button
names. Only addresses on this machine are accepted.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
STEP_TIMEOUT_S = 60.0  # a step that takes longer counts as an error and ends the visit
CACHE_LIMIT = 400  # messages kept per visitor for the server's ref_hash answers


class StepError(Exception):
    """A step that failed: the page showed an error, the connection broke, or it took too long."""


@dataclass
class Step:
    name: str
    seconds: float
    messages: int
    bytes: int
    ok: bool
    detail: str = ""


@dataclass
class Widget:
    kind: str
    id: str
    proto: Any


async def http_get(base: str, path: str, cookies: dict[str, str], timeout: float = 30.0) -> tuple[int, bytes]:
    """GET ``path`` of ``base`` over HTTP/1.1 on a fresh connection, keeping Set-Cookie in ``cookies``."""
    parts = urlsplit(base)
    host, port = parts.hostname or "", parts.port or 80
    if host not in LOCAL_HOSTS:
        raise ValueError(f"{base}: the load client reaches this machine only")
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        request = f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\nUser-Agent: cityplus-load\r\n"
        writer.write((request + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n").encode())
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(-1), timeout)
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "set-cookie":
            pair = value.strip().split(";", 1)[0]
            key, _, val = pair.partition("=")
            cookies[key.strip()] = val.strip()
    if any(line.lower().startswith("transfer-encoding: chunked") for line in lines):
        body = _unchunk(body)
    return status, body


def _unchunk(body: bytes) -> bytes:
    out, rest = bytearray(), body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2 :]
    return bytes(out)


@dataclass
class Visitor:
    """One visitor's browser: its cookies, its websocket session and what its page shows."""

    base: str  # http://127.0.0.1:PORT
    cookies: dict[str, str] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # page name -> page_script_hash
    page_hash: str = ""
    query: str = ""
    widgets: dict[str, Widget] = field(default_factory=dict)  # by user key (the id's last part)
    states: dict[str, WidgetState] = field(default_factory=dict)  # by widget id, this page's
    cache: dict[str, ForwardMsg] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    record: Any = None  # called with each Step as it ends
    ws: Any = None
    _requests: int = 0  # backend operation requests sent (deferred downloads)
    session_id: str = ""  # the server's id of this session, which such a request names

    async def open(self, query: str) -> Step:
        """Load the page as a browser does (``/``, then its health and host-config probes) and
        open the session: the first run of Explore."""
        started = time.perf_counter()
        for path in ("/", "/_stcore/health", "/_stcore/host-config"):
            status, _ = await http_get(self.base, path, self.cookies)
            if status != 200:
                raise StepError(f"GET {path}: {status}")
        xsrf = self.cookies.get("_streamlit_xsrf", "")
        ws_url = "ws" + self.base[4:] + "/_stcore/stream"
        self.ws = await connect(
            ws_url,
            subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],  # type: ignore[list-item]
            origin=self.base,  # type: ignore[arg-type]
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())},
            max_size=None,
            open_timeout=STEP_TIMEOUT_S,
            ping_interval=None,
        )
        self.query = query
        return await self._run("open_explore", started=started)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    def abandon(self) -> None:
        """Drop the connection without a closing handshake, as a closed laptop lid would."""
        if self.ws is not None:
            self.ws.transport.abort()
            self.ws = None

    def widget(self, key: str) -> Widget:
        for name, w in self.widgets.items():
            if name == key or name.endswith("-" + key):
                return w
        raise StepError(f"no widget {key!r} on the page")

    def has(self, key: str) -> bool:
        return any(name == key or name.endswith("-" + key) for name in self.widgets)

    async def set(self, name: str, key: str, **value: Any) -> Step:
        """Change widget ``key`` (``string_value=...``, ``string_array_value=[...]``,
        ``trigger_value=True``, ``json_value=...``) and run the page, as a click or a keystroke does."""
        w = self.widget(key)
        state = WidgetState(id=w.id)
        for kind, v in value.items():
            if kind == "string_array_value":
                state.string_array_value.data.extend(v)
            else:
                setattr(state, kind, v)
        self.states[w.id] = state
        step = await self._run(name)
        if "trigger_value" in value:  # a button's click lasts one run, as in the frontend
            self.states.pop(w.id, None)
        return step

    async def navigate(self, name: str, page: str, query: str) -> Step:
        """Follow a link to another page of the app (a page link: same session, new page)."""
        self.page_hash = self.pages[page]
        self.query = query
        self.states.clear()
        self.widgets.clear()
        return await self._run(name)

    async def fetch(self, name: str, url: str) -> Step:
        started = time.perf_counter()
        status, body = await http_get(self.base, url if url.startswith("/") else "/" + url, self.cookies)
        step = Step(
            name,
            time.perf_counter() - started,
            1,
            len(body),
            status == 200,
            "" if status == 200 else str(status),
        )
        return self._done(step)

    async def download(self, name: str, key: str) -> Step:
        """Click download button ``key`` as the browser does: a file made when it is asked for
        (a deferred ``data``, as Plan's exports are) is first requested over the websocket, which
        answers with its URL; then the file is fetched. The step covers both."""
        proto = self.widget(key).proto
        if not proto.HasField("deferred_file_id"):
            return await self.fetch(name, proto.url)
        started = time.perf_counter()
        self._requests += 1
        msg = BackMsg()
        msg.backend_operation_request.request_id = f"{name}-{self._requests}"
        msg.backend_operation_request.session_id = self.session_id
        msg.backend_operation_request.deferred_file.file_id = proto.deferred_file_id
        await self.ws.send(msg.SerializeToString())
        try:
            async with asyncio.timeout(STEP_TIMEOUT_S):
                while True:
                    answer = ForwardMsg()
                    answer.ParseFromString(await self.ws.recv())
                    response = answer.backend_operation_response
                    if answer.WhichOneof("type") == "backend_operation_response" and (
                        response.request_id == msg.backend_operation_request.request_id
                    ):
                        break
        except TimeoutError as exc:
            raise StepError(f"{name}: no file URL in {STEP_TIMEOUT_S:.0f} s") from exc
        if response.error_msg:
            return self._done(Step(name, time.perf_counter() - started, 1, 0, False, response.error_msg))
        url = response.deferred_file.url
        status, body = await http_get(self.base, url if url.startswith("/") else "/" + url, self.cookies)
        ok = status == 200
        return self._done(
            Step(name, time.perf_counter() - started, 2, len(body), ok, "" if ok else str(status))
        )

    def _done(self, step: Step) -> Step:
        self.steps.append(step)
        if self.record is not None:
            self.record(step)
        return step

    def _rerun_message(self) -> BackMsg:
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query
        rerun.page_script_hash = self.page_hash
        rerun.widget_states.widgets.extend(self.states.values())
        rerun.cached_message_hashes.extend(self.cache)
        info = rerun.context_info
        info.timezone, info.timezone_offset, info.locale = "UTC", 0, "en-US"
        info.url = f"{self.base}/?{self.query}"
        info.is_embedded, info.color_scheme = False, "light"
        return msg

    async def _run(self, name: str, *, started: float | None = None) -> Step:
        started = time.perf_counter() if started is None else started
        await self.ws.send(self._rerun_message().SerializeToString())
        messages, size, problems, images = 0, 0, [], []
        try:
            async with asyncio.timeout(STEP_TIMEOUT_S):
                while True:
                    raw = await self.ws.recv()
                    messages, size = messages + 1, size + len(raw)
                    msg = ForwardMsg()
                    msg.ParseFromString(raw)
                    if msg.ref_hash:
                        if msg.ref_hash not in self.cache:
                            raise StepError(f"the server referred to a message never sent: {msg.ref_hash}")
                        msg = self.cache[msg.ref_hash]
                    elif msg.hash and len(self.cache) < CACHE_LIMIT:
                        self.cache[msg.hash] = msg
                    if self._take(msg, problems, images):
                        break
        except TimeoutError as exc:
            raise StepError(f"{name}: no end of the run in {STEP_TIMEOUT_S:.0f} s") from exc
        for url in images:  # the browser shows them: part of the answer
            status, body = await http_get(self.base, url if url.startswith("/") else "/" + url, self.cookies)
            size += len(body)
            if status != 200:
                problems.append(f"image {url}: {status}")
        return self._done(
            Step(name, time.perf_counter() - started, messages, size, not problems, "; ".join(problems))
        )

    def _take(self, msg: ForwardMsg, problems: list[str], images: list[str]) -> bool:
        """Take one message in; True once the run is over."""
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            for page in msg.new_session.app_pages:
                self.pages[page.page_name] = page.page_script_hash
        elif kind == "navigation":
            for page in msg.navigation.app_pages:
                self.pages[page.page_name] = page.page_script_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            inner = getattr(element, which) if which else None
            if which == "exception":
                problems.append(f"exception: {element.exception.message[:200]}")
            elif which == "alert" and element.alert.format == 1:  # ERROR
                problems.append(f"error: {element.alert.body[:200]}")
            elif which == "imgs":
                images.extend(img.url for img in element.imgs.imgs if img.url.startswith("/media/"))
            if inner is not None and getattr(inner, "id", "").startswith("$$ID-"):
                self.widgets[inner.id] = Widget(which, inner.id, inner)
        elif kind == "script_finished":
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                problems.append("script error")
            return status != ForwardMsg.FINISHED_EARLY_FOR_RERUN
        return False


def selection(row: int) -> str:
    return json.dumps({"selection": {"rows": [row], "columns": [], "cells": []}})


def plan_query(city: str, stops: list[str]) -> str:
    return f"city={city}&stops={quote(','.join(stops), safe=',')}"
