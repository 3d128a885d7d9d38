"""The cluster suite's parts: a node (gunicorn with 2 workers and a `portal worker`, its own
index, instance and articles folders), a loopback SMTP sink, and polling helpers."""
from __future__ import annotations

import os
import re
import signal
import socketserver
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..factories import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "correct horse battery"
START_SECONDS = 90
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Node:
    """One node: its folders, settings, and the processes it runs."""

    name: str
    base: Path
    env: dict
    port: int = 0
    processes: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def articles(self) -> Path:
        return Path(self.env["PORTAL_ARTICLES_DIR"])

    def portal(self, *args, stdin: str | None = None, check: bool = True):
        """Run a `portal` command on this node."""
        return subprocess.run([str(BIN / "portal"), *args], env=self.env, cwd=ROOT, input=stdin,
                              capture_output=True, text=True, check=check, timeout=120)

    def start(self) -> None:
        """gunicorn with 2 workers and a `portal worker`, logs in the node's folder."""
        self.port = free_port()
        env = {**self.env, "PORTAL_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "2"}
        for name, command in (("web", [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py",
                                       "portal:create_app()"]),
                              ("worker", [str(BIN / "portal"), "worker", "--tick", "0.2"])):
            with open(self.base / f"{name}.log", "ab") as log:  # the child keeps its copy
                self.processes.append(subprocess.Popen(command, env=env, cwd=ROOT, stdout=log,
                                                       stderr=subprocess.STDOUT,
                                                       start_new_session=True))
        wait_for(lambda: _answers(self.url + "/readyz"), START_SECONDS,
                 f"node {self.name} did not become ready: see {self.base}")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def restart(self) -> None:
        self.stop()
        self.start()


def _answers(url: str) -> bool:
    import requests

    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def wait_for(condition, seconds: float, message: str):
    """Poll `condition` until it holds (returning its value) or fail with `message`."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.2)


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


class SmtpSink(socketserver.ThreadingTCPServer):
    """A loopback SMTP server that keeps every message it accepts (the mail test's peer)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpSession)
        self.messages: list[str] = []
        self.lock = threading.Lock()


class _SmtpSession(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self):
        self.wfile.write(b"220 sink ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                data = []
                while (row := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(row)
                with self.server.lock:
                    self.server.messages.append(b"".join(data).decode("utf-8", "replace"))
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


