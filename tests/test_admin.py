"""The chat's admin action: token checked in constant time, uploads kept inside the reports
folder whatever their names, and the index re-synced."""

from __future__ import annotations

import shutil

from conftest import SAMPLES
from index.api import open_index
from ui.admin import make_admin
from ui.settings import Settings


class Upload:
    def __init__(self, name: str):
        self.name = name


def test_admin_upload_and_resync(tmp_path, embedder):
    reports = tmp_path / "reports"
    index = open_index(tmp_path / "index", embedder)
    admin = make_admin(Settings(index_dir=str(tmp_path / "index"), admin_token="s3cret",
                                reports_dir=str(reports)), index)
    src = tmp_path / "incoming"
    src.mkdir()
    shutil.copy(SAMPLES / "millbrook-primary-school-2024.md", src / "millbrook.md")
    assert admin("wrong", [Upload(str(src / "millbrook.md"))]) == "The admin token is not right."
    assert not reports.exists() and index.catalog.counts() == (0, 0)

    evil = src / "..%2F..%2Fevil.md"
    shutil.copy(SAMPLES / "millbrook-primary-school-2024.md", evil)
    out = admin("s3cret", [Upload(str(src / "millbrook.md")), Upload(str(evil))])
    assert "added" in out
    # a dot-name is skipped like any hidden file; nothing lands outside the reports folder
    assert sorted(p.name for p in reports.iterdir()) == ["millbrook.md"]
    assert not (tmp_path / "evil.md").exists()
    assert index.catalog.counts()[0] == 1


def test_admin_needs_a_configured_token(tmp_path, embedder):
    index = open_index(tmp_path / "index", embedder)
    admin = make_admin(Settings(index_dir=str(tmp_path / "index"), reports_dir=str(tmp_path / "r")), index)
    assert "not enabled" in admin("", []) and "INSPECTBOT_ADMIN_TOKEN" in admin("", [])
