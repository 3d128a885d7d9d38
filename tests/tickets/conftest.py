"""Ticket tests: a real SMTP server on 127.0.0.1 that keeps every message it accepts, the
English interface texts, and one public address to link to."""
from __future__ import annotations

import email
import threading

import pytest
from aiosmtpd.controller import Controller

from ..factories import BASE, free_port


class SinkHandler:
    """Accepts every message and keeps it, parsed."""

    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_sink():
    """(handler, port) of a live loopback SMTP server for one test."""
    handler = SinkHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture(autouse=True)
def english_interface(client):
    """Assertions read the English source texts, whatever the translators do."""
    client.set_cookie("portal_lang", "en")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BASE_URL": BASE}
