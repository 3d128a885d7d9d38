"""Where an app keeps its own files: the instance folder it is given, not the project's."""
from __future__ import annotations

from pathlib import Path


def test_an_app_keeps_its_secret_key_in_its_instance_folder(make_app, instance_dir, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = make_app(SECRET_KEY=None)  # generate one, as a first start does
    assert app.instance_path == instance_dir
    assert (Path(instance_dir) / "secret_key").read_text() == app.config["SECRET_KEY"]
