"""Shared fixtures: every test writes its state (index, audit log) under temporary folders, never the checkout.

A session-wide sandbox sets the environment before anything is collected (test modules that build a model at
import, module- and session-scoped fixtures all see it); each test then gets its own data folder under its tmp_path. The
session fails if the checkout's `data/` folder changes while it runs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKOUT_DATA = ROOT / "data"
"""The checkout's own state folder (an index built by hand, the audit log of `assistant serve`): tests keep out."""

Snapshot = dict[str, tuple[int, int] | None]
"""Relative path -> (mtime_ns, size) of a file, None for a folder."""

_SNAPSHOT = pytest.StashKey[Snapshot]()
_STATE = pytest.StashKey[Path]()


def snapshot(folder: Path) -> Snapshot:
    """Every file and folder under `folder` (empty when it does not exist)."""
    found: Snapshot = {}
    if not folder.is_dir():
        return found
    for path in folder.rglob("*"):
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed while we walked: not there
            continue
        found[path.relative_to(folder).as_posix()] = None if path.is_dir() else (stat.st_mtime_ns, stat.st_size)
    return found


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    """What differs between two snapshots, one line each, sorted by path."""
    lines = []
    for path in sorted(before.keys() | after.keys()):
        if path not in after:
            lines.append(f"removed   {path}")
        elif path not in before:
            lines.append(f"created   {path}")
        elif before[path] != after[path]:
            lines.append(f"modified  {path}")
    return lines


SANDBOX = {
    "ASSISTANT_EMBEDDER": "fake",
    "HF_HUB_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
}
"""The session's environment besides its data folder: the fake embedder, every hub offline."""


def pytest_sessionstart(session: pytest.Session) -> None:
    """Before anything is collected (test modules may build models at import): note what the checkout's data/
    holds, and sandbox the environment for the whole session: state under a temporary folder, no ASSISTANT_*
    setting from the caller's shell (ASSISTANT_TEST_* kept), no Chroma server."""
    session.stash[_SNAPSHOT] = snapshot(CHECKOUT_DATA)
    for name in list(os.environ):
        if name.startswith("ASSISTANT_") and not name.startswith("ASSISTANT_TEST_"):
            del os.environ[name]
    state = Path(tempfile.mkdtemp(prefix="assistant-tests-"))
    session.stash[_STATE] = state
    os.environ.update(SANDBOX, ASSISTANT_DATA_DIR=str(state / "data"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove the session's state folder; fail the session, naming the paths, when a test wrote into the
    checkout's data/."""
    state = session.stash.get(_STATE, None)
    if state is not None:
        shutil.rmtree(state, ignore_errors=True)
    before = session.stash.get(_SNAPSHOT, None)
    if before is None:
        return
    changed = changes(before, snapshot(CHECKOUT_DATA))
    if not changed:
        return
    shown = changed[:50] + ([f"... and {len(changed) - 50} more"] if len(changed) > 50 else [])
    message = "\n".join(
        [
            f"the test session changed the checkout's {CHECKOUT_DATA} (tests must write only under temporary "
            "folders; a fixture probably built Settings() outside the sandbox):",
            *(f"  {line}" for line in shown),
        ]
    )
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("")
        reporter.write_sep("=", "checkout data/ changed", red=True)
        reporter.write_line(message)
    else:
        print(message)
    if session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point Settings.data_dir at this test's tmp_path, default to the fake embedder, and keep every hub offline."""
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "fake")
    monkeypatch.delenv("ASSISTANT_CHROMA_URL", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
