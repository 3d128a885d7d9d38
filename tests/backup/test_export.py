"""`portal export searches|tickets`: rows since a day, CSV or JSON Lines, personal data
masked and spreadsheet formulas defused as in the insights reports."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

from portal.extensions import db
from tests.factories import new_ticket, search_row, ticket_row

OLD = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
NEW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def fill(app):
    with app.app_context():
        search_row("旧的搜索", OLD)
        search_row("=HYPERLINK(1) 电话 13800138000", NEW, opened="refunds")
        search_row("wang@example.com 退款", NEW, results=0)
        db.session.commit()
    new_ticket(app, subject="退款 13912345678", body="我的邮箱 li@example.com，身份证 11010519491231002X")


def test_searches_as_csv_since_a_day(app, runner, tmp_path):
    fill(app)
    out = tmp_path / "searches.csv"
    result = runner.invoke(args=["export", "searches", "--since", "2026-03-01",
                                 "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["query"] for row in rows] == ["'=HYPERLINK(1) 电话 [phone]", "[email] 退款"]
    assert "session_id" not in rows[0] and rows[0]["opened_slug"] == "refunds"
    assert "13800138000" not in text and "wang@example.com" not in text


def test_tickets_as_json_lines(app, runner):
    fill(app)
    with app.app_context():
        ticket_row(OLD, searched=True)
        db.session.commit()
    everything = runner.invoke(args=["export", "tickets", "--format", "jsonl"])
    assert [json.loads(line)["searches_before"] for line in everything.stdout.splitlines()
            if line.startswith("{")] == [0, 1]
    result = runner.invoke(args=["export", "tickets", "--format", "jsonl",
                                 "--since", datetime.now(timezone.utc).strftime("%Y-%m-%d")])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1
    ticket = lines[0]
    assert ticket["subject"] == "退款 [phone]" and "[email]" in ticket["question"]
    assert "[id]" in ticket["question"] and ticket["messages"] >= 1
    assert ticket["searches_before"] == 0 and ticket["status"] == "open"
    assert not {"email", "customer_name", "token", "session_id"} & set(ticket)
    assert "li@example.com" not in result.stdout
