"""Scheduled backups: written atomically into PORTAL_BACKUP_DIR, the oldest pruned beyond
PORTAL_BACKUP_KEEP, failures recorded and shown on the admin page."""
from __future__ import annotations

import os

import pytest

from portal.backup import scheduled
from portal.backup.archive import default_name
from portal.backup.restore import read_archive


def test_a_run_writes_an_archive_and_prunes_the_oldest(make_app, sample_articles, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    old = [folder / f"portal-backup-2020010{day}T000000Z.tar.gz" for day in range(1, 5)]
    for path in old:
        path.write_bytes(b"old")
    (folder / "notes.txt").write_text("not a backup")
    app = make_app(BACKUP_DIR=str(folder), BACKUP_KEEP=3)
    with app.app_context():
        written = scheduled.run_scheduled_backup(app)
    assert written.parent == folder and written.name.startswith("portal-backup-")
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([old[2].name, old[3].name, written.name, "notes.txt",
                            scheduled.STATUS_FILE])  # no temporary file left behind
    assert os.stat(written).st_mode & 0o777 == 0o600
    manifest = read_archive(written, tmp_path / "check")
    assert manifest["articles"] == 7
    with app.app_context():
        view = scheduled.overview(app)
    assert view.last_success["name"] == written.name and not view.failing
    assert [b.name for b in view.backups][0] == written.name


def test_off_without_a_folder(app):
    with app.app_context():
        assert scheduled.run_scheduled_backup(app) is None


def test_a_failure_is_recorded_and_shown(make_app, tmp_path, make_user, login):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    app = make_app(BACKUP_DIR=str(blocker / "backups"))  # cannot be created
    with app.app_context(), pytest.raises(OSError):
        scheduled.run_scheduled_backup(app)
    with app.app_context():
        view = scheduled.overview(app)
    assert view.failing and "a-file" in view.last_failure["error"]
    assert (tmp_path / "instance" / scheduled.STATUS_FILE).exists()  # the fallback


def test_admin_page_lists_backups_and_the_last_failure(app, client, make_user, login, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / default_name()).write_bytes(b"x" * 2048)
    app.config["BACKUP_DIR"] = str(folder)
    scheduled.record_status(app, {"last_failure": {"at": "2030-01-01T00:00:00+00:00",
                                                   "error": "OSError: disk full"}})
    login(make_user("admin"))
    page = client.get("/admin/backups").get_data(as_text=True)
    assert default_name()[:20] in page and "2.0 kB" in page
    assert "disk full" in page and 'role="alert"' in page
    assert "<code>portal backup restore FILE</code>" in page and "`" not in page


def test_only_admins_see_the_page(client, make_user, login):
    login(make_user("editor"))
    assert client.get("/admin/backups").status_code == 403


def test_the_job_for_portal_worker(make_app, tmp_path):
    from portal.jobs.runner import JobRunner

    folder = tmp_path / "backups"
    app = make_app(BACKUP_DIR=str(folder), BACKUP_INTERVAL=3600)
    jobs = scheduled.scheduled_jobs(app)
    assert [(job.name, job.interval) for job in jobs] == [("backup", 3600)]
    leftover = folder / ".portal-backup-20200101T000000Z.tar.gz.abc.tmp"
    folder.mkdir()
    leftover.write_bytes(b"half")
    os.utime(leftover, (0, 0))
    assert JobRunner(app, jobs).run_pending() == ["backup"]
    assert [b.name for b in scheduled.list_backups(folder)] and not leftover.exists()
    assert scheduled.scheduled_jobs(make_app(BACKUP_DIR="")) == []
    assert scheduled.scheduled_jobs(make_app(BACKUP_DIR=str(folder), BACKUP_INTERVAL=0)) == []


def test_backup_list_and_the_default_output(make_app, tmp_path):
    folder = tmp_path / "backups"
    app = make_app(BACKUP_DIR=str(folder))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", "create"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(args=["backup", "list"])
    assert listed.exit_code == 0 and listed.output.startswith("portal-backup-")
    assert len(listed.output.splitlines()) == 1


def test_portal_worker_runs_the_backup_job_only_when_a_folder_is_set(make_app, tmp_path):
    from portal.jobs.schedule import scheduled_jobs

    with_folder = make_app(BACKUP_DIR=str(tmp_path / "backups"))
    assert "backup" in [job.name for job in scheduled_jobs(with_folder)]
    assert "backup" not in [job.name for job in scheduled_jobs(make_app(BACKUP_DIR=""))]
