"""Reply and resolution times in business hours (PORTAL_BUSINESS_HOURS, Monday to Friday in
the portal's time zone): exact values on SQLite and PostgreSQL, by the database for a zone
with one UTC offset and ticket by ticket across a daylight-saving change."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from portal import create_app
from portal.extensions import db
from portal.insights import tickets
from portal.insights.businesshours import BusinessHours
from portal.insights.periods import Filters

from ..factories import INSIGHTS_TZ, ticket_row

pytestmark = pytest.mark.db

NINE_TO_SIX = BusinessHours.parse("09:00-18:00")
BERLIN = ZoneInfo("Europe/Berlin")  # clocks went back in the night of 24–25 October 2026


def at(day: str, clock: str, tz: ZoneInfo = INSIGHTS_TZ) -> datetime:
    """A local time as the UTC instant the database stores."""
    local = datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=tz)
    return local.astimezone(timezone.utc)


def test_the_setting_is_read_strictly():
    assert BusinessHours.parse("09:00-18:00") == BusinessHours(9 * 3600, 18 * 3600)
    assert BusinessHours.parse(" 8:30 - 17:30 ").label() == "08:30–17:30"
    assert BusinessHours.parse("") is None and BusinessHours.parse(None) is None
    for wrong in ("18:00-09:00", "9-18", "09:00", "09:60-18:00", "00:00-24:01"):
        with pytest.raises(ValueError):
            BusinessHours.parse(wrong)


def test_working_time_between_two_instants():
    def hours(start, end, tz=INSIGHTS_TZ):
        return NINE_TO_SIX.between(start, end, tz) / 3600

    assert hours(at("2026-11-20", "17:00"), at("2026-11-23", "10:00")) == 2       # Fri → Mon
    assert hours(at("2026-11-21", "10:00"), at("2026-11-22", "20:00")) == 0       # a weekend
    assert hours(at("2026-11-16", "09:00"), at("2026-11-23", "09:00")) == 45      # a week
    assert hours(at("2026-11-18", "08:00"), at("2026-11-18", "20:00")) == 9       # a whole day
    assert hours(at("2026-11-17", "12:00"), at("2026-11-17", "12:45")) == 0.75
    assert hours(at("2026-10-23", "17:00", BERLIN), at("2026-10-26", "10:00", BERLIN), BERLIN) == 2


def test_first_response_and_resolution_in_business_hours(make_app):
    app = make_app(BUSINESS_HOURS="09:00-18:00")
    period = Filters(start=date(2026, 11, 16), end=date(2026, 11, 23), tz=INSIGHTS_TZ,
                     preset="custom")
    with app.app_context():
        ticket_row(at("2026-11-20", "17:00"), first_reply=at("2026-11-23", "10:00"),   # 2 h
                   solved=at("2026-11-23", "18:30"))                                   # 10 h
        ticket_row(at("2026-11-21", "10:00"), first_reply=at("2026-11-23", "09:30"))   # 0.5 h
        ticket_row(at("2026-11-18", "08:00"), first_reply=at("2026-11-18", "20:00"))   # 9 h
        ticket_row(at("2026-11-17", "12:00"), first_reply=at("2026-11-17", "12:45"))   # 0.75 h
        db.session.commit()
        times = tickets.times(period)
    assert times["business_hours"] == "09:00–18:00"
    assert times["first_response_count"] == 4
    assert times["first_response_median"] == 1.375   # (0.75 + 2) / 2
    assert times["first_response_p90"] == 9.0
    assert (times["resolution_median"], times["resolution_p90"], times["resolution_count"]) == (
        10.0, 10.0, 1)


def test_business_hours_across_a_daylight_saving_change(make_app):
    app = make_app(BUSINESS_HOURS="09:00-18:00")
    autumn = Filters(start=date(2026, 10, 23), end=date(2026, 10, 26), tz=BERLIN, preset="custom")
    with app.app_context():
        ticket_row(at("2026-10-23", "17:00", BERLIN), first_reply=at("2026-10-26", "10:00", BERLIN))
        ticket_row(at("2026-10-25", "01:30", BERLIN), first_reply=at("2026-10-25", "04:00", BERLIN))
        ticket_row(at("2026-10-26", "08:00", BERLIN), first_reply=at("2026-10-26", "09:15", BERLIN))
        db.session.commit()
        times = tickets.times(autumn)
    # 2 h (65 calendar hours and the hour the clocks went back), 0 h (a Sunday night), 0.25 h
    assert (times["first_response_median"], times["first_response_p90"]) == (0.25, 2.0)


def test_calendar_hours_without_the_setting(app):
    period = Filters(start=date(2026, 11, 20), end=date(2026, 11, 20), tz=INSIGHTS_TZ,
                     preset="custom")
    with app.app_context():
        ticket_row(at("2026-11-20", "17:00"), first_reply=at("2026-11-23", "10:00"))
        db.session.commit()
        times = tickets.times(period)
    assert times["business_hours"] is None and times["first_response_median"] == 65.0


def test_a_wrong_setting_stops_the_portal_from_starting(app_config, instance_dir):
    with pytest.raises(ValueError, match="PORTAL_BUSINESS_HOURS"):
        create_app({**app_config, "BUSINESS_HOURS": "nine to six"}, instance_path=instance_dir)


def test_the_page_says_which_hours_it_counts(make_app):
    from portal.accounts import users as accounts

    for setting, said in (
            ("09:00-18:00", "响应和解决时间只计工作时间：周一至周五 09:00–18:00（Asia/Shanghai）"),
            ("", "响应和解决时间按自然小时计算，包括夜间和周末。")):
        app = make_app(BUSINESS_HOURS=setting, BABEL_DEFAULT_TIMEZONE="Asia/Shanghai")
        with app.app_context():
            if not accounts.find_by_email("hours@example.com"):
                accounts.create_user("hours@example.com", "correct horse battery", "editor")
        client = app.test_client()
        assert client.post("/login", data={"email": "hours@example.com",
                                           "password": "correct horse battery"}).status_code == 302
        assert said in client.get("/ops/insights?lang=zh-Hans").get_data(as_text=True)
