"""The package as a user gets it: a wheel built from the checkout, installed in a fresh virtual environment.

The wheel must hold every subpackage, py.typed and the corpus (as `assistant/_corpus`), and the installed
`assistant` command must answer from that copy alone: run outside the checkout, with the checkout not
importable, without the `st` extra (no torch) and with the default embedder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = (
    "We are a pharmaceutical company registered in the Beijing FTZ. Can we send clinical-trial data for "
    "40,000 patients to our headquarters abroad?"
)
NOT_BUILT = (".git", ".venv", "data", "build", "dist", "artifacts", "*.egg-info", "__pycache__", ".*_cache")
"""What a build never reads (.gitignore's entries and the repository itself), left out of the build's copy."""


def run(command: list[str | Path], cwd: Path, env: dict[str, str], timeout: float) -> str:
    """Run a command; its standard output, or a failure showing both streams."""
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (
        f"{command} exited {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


def clean_env(home: Path) -> dict[str, str]:
    """The caller's environment without anything that points Python or the assistant at the checkout."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ASSISTANT_", "PYTHON", "VIRTUAL_ENV", "CONDA"))
    }
    env.update(HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False", GRADIO_ANALYTICS_ENABLED="False")
    env["XDG_DATA_HOME"] = str(home / "xdg-data")  # the installed default data folder, kept in tmp too
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built the way a user builds one (`pip wheel .`), from a copy of the checkout so no build/ or
    *.egg-info folder is left in it (and no stale build/ in it leaks into the wheel)."""
    work = tmp_path_factory.mktemp("wheel-build")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_BUILT))
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", work / "dist", source],
        cwd=work,
        env=clean_env(work),
        timeout=600,
    )
    (built,) = (work / "dist").glob("*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment outside the checkout with the wheel installed, without the `st` extra; pip
    resolves the other dependencies from the configured registry (fast from pip's cache)."""
    where = tmp_path_factory.mktemp("wheel-venv")
    assert not where.is_relative_to(ROOT)
    env = clean_env(where)
    run([sys.executable, "-m", "venv", where / "venv"], cwd=where, env=env, timeout=300)
    python = where / "venv" / "bin" / "python"
    run([python, "-m", "pip", "install", "--quiet", "--no-compile", wheel], cwd=where, env=env, timeout=900)
    return where / "venv"


def test_the_wheel_holds_every_subpackage_py_typed_and_the_corpus(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "assistant").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert modules <= names, f"modules missing from the wheel: {sorted(modules - names)}"
    subpackages = {name.rsplit("/", 1)[0] for name in modules if name.endswith("/__init__.py")}
    assert {"assistant/answer", "assistant/model", "assistant/casefile", "assistant/cli"} <= subpackages
    assert "assistant/py.typed" in names
    corpus = {
        "assistant/_corpus/" + path.relative_to(ROOT / "corpus").as_posix()
        for path in (ROOT / "corpus").rglob("*")
        if path.is_file()
    }
    assert {"assistant/_corpus/documents.yaml", "assistant/_corpus/rules/beijing-2025.yaml"} <= corpus
    assert corpus <= names, f"corpus files missing from the wheel: {sorted(corpus - names)}"
    assert not any(name.startswith(("corpus/", "tests/", "data/")) for name in names)


def test_the_installed_command_answers_from_the_packaged_corpus(venv: Path, tmp_path: Path) -> None:
    env = clean_env(tmp_path)
    python, command = venv / "bin" / "python", venv / "bin" / "assistant"
    where = json.loads(
        run(
            [
                python,
                "-c",
                "import importlib.util, json, assistant, assistant.settings as s; st = s.Settings(); "
                "print(json.dumps({'file': assistant.__file__, 'corpus': str(st.corpus_dir), "
                "'data': str(st.data_dir), 'official': st.official_path() and str(st.official_path()), "
                "'checkout': s.in_checkout(), 'torch': importlib.util.find_spec('torch') is not None}))",
            ],
            cwd=tmp_path,
            env=env,
            timeout=120,
        )
    )
    assert Path(where["file"]).is_relative_to(venv) and not Path(where["file"]).is_relative_to(ROOT)
    assert Path(where["corpus"]).is_relative_to(venv) and Path(where["corpus"], "documents.yaml").is_file()
    assert where["data"] == str(tmp_path / "xdg-data" / "beijing-ftz-assistant")
    assert where["official"] is None and where["checkout"] is False
    assert where["torch"] is False, "torch came in without the st extra"

    env["ASSISTANT_DATA_DIR"] = str(tmp_path / "data")
    answer = json.loads(run([command, "ask", FLAGSHIP, "--json"], cwd=tmp_path, env=env, timeout=300))
    assert answer["determination"]["outcome"] == "outside_negative_list"
    assert answer["sources"]

    packs = run([command, "rules"], cwd=tmp_path, env=env, timeout=120)
    for pack in sorted((ROOT / "corpus" / "rules").glob("*.yaml")):
        assert pack.stem in packs
