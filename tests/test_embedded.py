"""The embedded server's guards: stale handles from killed processes, unsafe data dirs."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from app import embedded


def test_dead_processes_are_dropped_from_the_handle_list(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    handles = tmp_path / ".handle_pids.json"
    handles.write_text(json.dumps([os.getpid(), dead.pid]))
    embedded._drop_dead_handles(tmp_path)
    assert json.loads(handles.read_text()) == [os.getpid()]


def test_root_refuses_a_data_dir_under_a_home_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    with pytest.raises(embedded.EmbeddedDatabaseError, match="CLAIMTRACKER_DATA_DIR"):
        embedded.check_data_dir(Path("/root/claimtracker/var/pg"))
    embedded.check_data_dir(Path("/tmp/claimtracker/var/pg"))
