"""Issue 18, finding 17: a private database file, access logs without personal data,
no caching of private pages, Secure cookies when served over HTTPS."""
from __future__ import annotations

import logging
import os
import runpy
import stat
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from portal import config
from portal.web.access_log import redact

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_the_sqlite_file_is_readable_by_its_owner_only(app, tmp_path):
    mode = stat.S_IMODE(os.stat(tmp_path / "portal.sqlite3").st_mode)
    assert mode == 0o600


@pytest.mark.parametrize("line, secret", [
    ("GET /search?q=%E5%8F%91%E7%A5%A8+138.0013.8000 HTTP/1.1", "0013"),
    ("GET /api/v1/search?q=zhang.san@example.com&page=2 HTTP/1.1", "zhang.san"),
    ("GET /tickets/Xq3_kPz9-LmN0aBcDeFgHiJkLmNoPqRs?new=1 HTTP/1.1", "Xq3_kPz9"),
    ("POST /tickets/Xq3_kPz9-LmN0aBcDeFgHiJkLmNoPqRs HTTP/1.1", "LmN0"),
])
def test_request_lines_are_redacted(line, secret):
    redacted = redact(line)
    assert secret not in redacted and redacted.startswith(line.split()[0])


def test_ordinary_request_lines_are_kept():
    for line in ("GET /search?q=%E9%80%80%E6%AC%BE&page=2 HTTP/1.1", "GET /agent/tickets/12 HTTP/1.1"):
        assert redact(line) == line


def test_the_gunicorn_access_log_is_redacted():
    settings = runpy.run_path(str(GUNICORN_CONF))
    config = Config()
    config.set("logger_class", settings["logger_class"])
    logger = config.logger_class(config)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/tickets/Xq3_kPz9-LmN0aBcDeFg?q=13800138000",
               "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": "/tickets/Xq3_kPz9-LmN0aBcDeFg",
               "QUERY_STRING": "q=13800138000", "HTTP_REFERER": "https://h.example/s?q=13800138000"}
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=3))
    line = " ".join(str(atoms[key]) for key in ("r", "U", "q", "f", "{referer}i"))
    assert "Xq3_kPz9" not in line and "13800138000" not in line and "[token]" in line


def test_the_development_server_log_is_redacted(app, caplog):
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('"%s" %s %s', "GET /search?q=13800138000 HTTP/1.1",
                                           "200", "-")
    assert "13800138000" not in caplog.text and "[phone]" in caplog.text


def test_staff_login_and_ticket_pages_are_never_cached(client, make_user, login, sample_articles):
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(make_user("admin"))
    for path in ("/editor/", "/ops/queue", "/agent/tickets", "/admin/users"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_a_ticket_page_is_never_cached(app, client, sample_articles):
    response = client.post("/ask", data={"subject": "发票开错了", "body": "请帮我重开发票，谢谢。",
                                         "email": "c@example.com", "category": "other"})
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"


def test_cookies_are_secure_by_default_when_served_over_https(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAL_SECURE_COOKIES", raising=False)
    monkeypatch.setenv("PORTAL_BASE_URL", "https://help.example.com")
    settings = config.from_environment(str(tmp_path))
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]
    monkeypatch.setenv("PORTAL_BASE_URL", "http://127.0.0.1:5000")
    assert not config.from_environment(str(tmp_path))["SESSION_COOKIE_SECURE"]
    monkeypatch.setenv("PORTAL_SECURE_COOKIES", "1")
    assert config.from_environment(str(tmp_path))["SESSION_COOKIE_SECURE"]
