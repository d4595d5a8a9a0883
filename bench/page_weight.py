"""Page weight (issue 21): the bytes that reach the browser on a first load of sign-in and of the
session screen, compressed (what a browser asks for) and not, and a set-log round trip with its
headers. The demo practice under gunicorn, served by metpwa.wsgi as in production, read over raw
HTTP/1.1 sockets so every byte of the status lines, headers and bodies is counted.

A first load is the page and what a browser fetches for it with an empty cache: the stylesheet,
the scripts in its head, the favicon and the scripts its screens ask for with data-needs (core.js
loads those). The service worker's background install of the shell, once per version, is not
counted. Targets: each first load < 60 KB, a logged set < 2 KB with headers.

Run by `python -m bench`, or alone: `python -m bench.page_weight`.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from html import unescape
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
# What an iPad's Safari sends on every request, so the request side is counted as it is.
USER_AGENT = ("Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
              "Version/18.1 Mobile/15E148 Safari/604.1")
COMPRESSED = "gzip, deflate, br, zstd"
TARGET_PAGE = 60 * 1024
TARGET_SET = 2048


class Wire:
    """HTTP/1.1 over a raw socket, one connection per request, counting the bytes both ways."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                body: str = "", encoding: str = COMPRESSED) -> tuple[int, int, dict[str, str], bytes]:
        """(bytes sent, bytes received, response headers, decoded body)."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}", f"User-Agent: {USER_AGENT}",
                 "Accept-Language: en-US,en;q=0.9", f"Accept-Encoding: {encoding}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body:
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body.encode())}"]
        raw_request = ("\r\n".join(lines) + "\r\n\r\n" + body).encode()
        with socket.create_connection(("127.0.0.1", self.port)) as sock:
            sock.sendall(raw_request)
            received = b""
            while True:
                head_end = received.find(b"\r\n\r\n")
                if head_end >= 0:
                    head = received[:head_end].decode("latin-1")
                    length = re.search(r"(?im)^content-length:\s*(\d+)", head)
                    chunked = re.search(r"(?im)^transfer-encoding:\s*chunked", head)
                    if length and len(received) >= head_end + 4 + int(length.group(1)):
                        break
                    if chunked and received.endswith(b"0\r\n\r\n"):
                        break
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
        head, _, payload = received.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        response_headers: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                self.cookies[cookie_name] = rest.split(";", 1)[0]
            response_headers[name] = value
        if "chunked" in response_headers.get("transfer-encoding", ""):
            payload = _unchunk(payload)
        response_headers[":status"] = status_line.split()[1]
        return len(raw_request), len(received), response_headers, _decode(payload, response_headers)


def _unchunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, data = out + data[:size], data[size + 2:]
    return out


def _decode(payload: bytes, headers: dict[str, str]) -> bytes:
    encoding = headers.get("content-encoding")
    if encoding == "gzip":
        import gzip

        return gzip.decompress(payload)
    if encoding == "deflate":
        import zlib

        return zlib.decompress(payload)
    if encoding == "br":
        import brotli

        return brotli.decompress(payload)
    if encoding == "zstd":
        from backports import zstd

        return zstd.decompress(payload)
    return payload


def _assets(html: str) -> list[str]:
    """What a browser fetches for this page with an empty cache (see the module's docstring)."""
    urls = re.findall(r'<script src="([^"]+)"', html)
    urls += re.findall(r'<link rel="(?:stylesheet|icon)"[^>]* href="([^"]+)"', html)
    on_demand = dict(re.findall(r'<meta name="metpwa-script-(\w+)" content="([^"]+)"', html))
    for needs in re.findall(r'data-needs="([^"]+)"', html):
        urls += [on_demand[name] for name in needs.split() if name in on_demand]
    return list(dict.fromkeys(unescape(url) for url in urls))


def first_load(wire: Wire, path: str, encoding: str) -> tuple[int, int, str]:
    """(bytes received, responses, the page's HTML) for the page and its assets."""
    _, received, _, body = wire.request("GET", path, encoding=encoding)
    html = body.decode()
    total, count = received, 1
    for url in _assets(html):
        _, size, headers, _ = wire.request("GET", url, encoding=encoding)
        assert headers[":status"] == "200", (url, headers)
        total, count = total + size, count + 1
    return total, count, html


def _session_under_way(env: dict[str, str]) -> tuple[int, str]:
    """The demo's longest plan with a session started (the demo leaves one only on weekdays): its id, and
    the email of its trainer."""
    os.environ.update(env)
    from sqlalchemy import func, select

    from metpwa import create_app
    from metpwa.extensions import db
    from metpwa.models import Client, PlanExercise, PlanVersion, SessionLog, User
    from metpwa.services import sessions

    app = create_app()
    with app.app_context():
        plan = db.session.scalar(select(PlanVersion).join(PlanExercise, PlanExercise.plan_id == PlanVersion.id)
                                 .where(PlanVersion.superseded_at.is_(None)).group_by(PlanVersion.id)
                                 .order_by(func.count(PlanExercise.id).desc(), PlanVersion.id))
        running = db.session.scalar(select(SessionLog).where(SessionLog.plan_id == plan.id,
                                                             SessionLog.signed_at.is_(None)))
        trainer = db.session.scalar(select(User).where(User.email == "marcus@riverside.example"))
        if running is None:
            running = sessions.open_session(trainer, db.session.get(Client, plan.client_id), plan=plan)
            db.session.commit()
        return running.id, trainer.email


def measure(env: dict[str, str], port: int) -> dict:
    from metpwa import demo

    session_id, email = _session_under_way(env)
    figures: dict = {}
    for label, encoding in (("compressed", COMPRESSED), ("identity", "identity")):
        figures[f"signin_{label}"] = first_load(Wire(port), "/login", encoding)[:2]
    wire = Wire(port)
    _, _, _, login = wire.request("GET", "/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login.decode()).group(1)
    _, _, headers, _ = wire.request("POST", "/login", body=f"email={quote(email)}&password={quote(demo.DEMO_PASSWORD)}"
                                                        f"&csrf_token={quote(token)}")
    assert headers[":status"] == "303" and not headers["location"].startswith("/login"), headers
    page_path = f"/sessions/{session_id}"
    html = ""
    for label, encoding in (("compressed", COMPRESSED), ("identity", "identity")):
        size, count, html = first_load(wire, page_path, encoding)
        figures[f"session_{label}"] = (size, count)
    # A set as htmx sends it from the session screen: the token in X-CSRFToken, not in the body too.
    token = re.search(r'"X-CSRFToken": "([^"]+)"', unescape(html)).group(1)
    item = re.search(r'name="session_exercise_id" value="(\d+)"', html).group(1)
    target = re.search(r'hx-target="#(sets-\d+)"', html)
    origin = f"http://{wire.host}"
    sent, received, headers, fragment = wire.request(
        "POST", f"{page_path}/sets", encoding=COMPRESSED,
        headers={"Accept": "*/*", "HX-Request": "true", "HX-Current-URL": origin + page_path,
                 "HX-Target": target.group(1) if target else f"sets-{item}", "X-CSRFToken": token,
                 "Origin": origin, "Referer": origin + page_path},
        body=f"session_exercise_id={item}&idempotency_key=bench-page-weight-{os.getpid()}"
             f"&performed_at=1796614263197&load_unit=kg&reps=12&load=&rpe=7")
    assert headers[":status"] == "200", (headers, fragment[:300])
    figures["set"] = (sent, received, headers.get("content-encoding", "none"))
    return figures


def lines(figures: dict) -> list[str]:
    def load(key: str) -> str:
        size, count = figures[f"{key}_compressed"]
        plain, _ = figures[f"{key}_identity"]
        met = "met" if size < TARGET_PAGE else "NOT met"
        return (f"{size / 1024:.1f} KB in {count} responses compressed (target < 60 KB: {met}); "
                f"{plain / 1024:.1f} KB uncompressed")

    sent, received, encoding = figures["set"]
    total = sent + received
    return [
        "page weight (first load with an empty cache, headers included; the demo under gunicorn via metpwa.wsgi)",
        f"  sign-in:        {load('signin')}",
        f"  session screen: {load('session')}",
        f"  set logged:     {total} bytes with headers ({sent} sent, {received} received, {encoding}; "
        f"target < 2048: {'met' if total < TARGET_SET else 'NOT met'})",
    ]


def main() -> list[str]:
    from bench import __main__ as runner
    from bench import report

    with tempfile.TemporaryDirectory(prefix="metpwa-bench-weight-") as tmp:
        env = report.prepare(Path(tmp))
        port = runner.free_port()
        # --preload warms the app (metpwa.wsgi) before gunicorn listens: a busy machine takes a while.
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--preload", "--bind",
                                   f"127.0.0.1:{port}", "--log-level", "warning", "metpwa.wsgi:app"],
                                  cwd=ROOT, env={**os.environ, **env})
        try:
            for _ in range(600):
                if server.poll() is not None:
                    raise RuntimeError("gunicorn stopped")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            result = lines(measure(env, port))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print("\n".join(main()))
