"""Seeing what the server does, on real uvicorn servers: /metrics, JSON logs with request ids, `assistant doctor`."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from assistant.api import create_api
from assistant.cli.db import db_command
from assistant.cli.doctor import doctor_command
from assistant.logs import LOGGERS, log_config
from assistant.pipeline import Assistant
from assistant.settings import PROJECT_ROOT, Settings

from .conftest import KEY, KEY_ENTRIES, FakeAudit, Serve, serve, wait_ready

pytestmark = pytest.mark.slow

FACTS = {"zone": "beijing_ftz", "industry": "pharmaceutical", "scenario": "clinical_trial", "sensitive_info_count": 120}
QUESTION = "A logistics firm in the Beijing FTZ wants to send staff records of 500 employees abroad: what applies?"


def samples(base: str, headers: dict[str, str] | None = None) -> dict[str, list[tuple[dict[str, str], float]]]:
    """The /metrics samples by name: (labels, value) pairs."""
    reply = httpx.get(f"{base}/metrics", headers=headers or {})
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith("text/plain")
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(reply.text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((dict(sample.labels), sample.value))
    return found


def value(found: dict[str, list[tuple[dict[str, str], float]]], name: str, **labels: str) -> float:
    """The sum of a metric's samples whose labels include `labels`."""
    return sum(v for have, v in found.get(name, []) if labels.items() <= have.items())


def test_metrics_count_requests_outcomes_and_refusals(start: Serve) -> None:
    base = start(rate_limit_per_minute=4)
    before = samples(base)
    for _ in range(3):
        assert httpx.post(f"{base}/api/check", json=FACTS, timeout=30).status_code == 200
    statuses = [httpx.post(f"{base}/api/check", json=FACTS, timeout=30).status_code for _ in range(3)]
    assert statuses[0] == 200 and 429 in statuses
    httpx.get(f"{base}/healthz")
    after = samples(base)
    route = {"route": "/api/check", "method": "POST"}
    assert value(after, "assistant_http_requests_total", status="200", **route) == 4
    assert value(after, "assistant_http_requests_total", status="429", **route) == statuses.count(429)
    assert value(after, "assistant_http_requests_total", route="/healthz", status="200") >= 1
    assert value(after, "assistant_rate_limited_total", limit="api") == statuses.count(429)
    assert value(before, "assistant_rate_limited_total", limit="api") == 0
    outcomes = {labels["outcome"] for labels, _ in after["assistant_answer_seconds_count"]}
    assert len(outcomes) == 1 and outcomes <= {"allowed", "not_allowed", "needs_more_information"} | outcomes
    assert value(after, "assistant_answer_seconds_count", route="/api/check") == 4
    assert value(after, "assistant_http_request_seconds_count", route="/api/check") == 4 + statuses.count(429)
    assert value(after, "assistant_index_state", state="ready") == 1
    assert value(after, "assistant_index_state", state="loading") == 0
    assert "assistant_model_calls_total" not in after  # no model configured: nothing to count


def test_metrics_count_model_calls_when_a_model_is_configured(base_settings: Settings) -> None:
    settings = base_settings.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1", "llm_budget": 1.0})
    with serve(create_api(Assistant(settings), FakeAudit(), settings)) as base:
        wait_ready(base)
        reply = httpx.post(f"{base}/api/ask", json={"question": QUESTION}, timeout=60)
        assert reply.status_code == 200
        found = samples(base)
    assert value(found, "assistant_model_calls_total", result="failed") >= 1
    assert value(found, "assistant_model_calls_total", result="ok") == 0
    assert sum(v for _, v in found["assistant_model_breaker_state"]) == 1


def test_metrics_need_the_key_when_keys_are_set_unless_public(start: Serve) -> None:
    keyed = start(api_keys=KEY_ENTRIES)
    refused = httpx.get(f"{keyed}/metrics")
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert httpx.get(f"{keyed}/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert "assistant_index_state" in samples(keyed, {"Authorization": f"Bearer {KEY}"})
    public = start(api_keys=KEY_ENTRIES, metrics_public=True)
    assert "assistant_index_state" in samples(public)


def test_each_app_counts_its_own_requests(start: Serve) -> None:
    first, second = start(), start()
    for _ in range(2):
        httpx.get(f"{first}/healthz")
    assert value(samples(first), "assistant_http_requests_total", route="/healthz") == 2
    assert value(samples(second), "assistant_http_requests_total", route="/healthz") == 0


@pytest.fixture
def json_log(tmp_path: Path) -> Iterator[Path]:
    """The JSON log configuration of `assistant serve`, written to a file; the loggers restored afterwards."""
    saved = {
        name: (logger.handlers[:], logger.filters[:], logger.level, logger.propagate, logger.disabled)
        for name in LOGGERS
        for logger in [logging.getLogger(name)]
    }
    path = tmp_path / "server.log"
    config = log_config("json")
    config["handlers"]["default"] = {**config["handlers"]["default"], "class": "logging.FileHandler"}
    config["handlers"]["default"].pop("stream")
    config["handlers"]["default"]["filename"] = str(path)
    logging.config.dictConfig(config)
    from assistant.accesslog import install

    install()
    try:
        yield path
    finally:
        for name, (handlers, filters, level, propagate, disabled) in saved.items():
            logger = logging.getLogger(name)
            for handler in logger.handlers:
                if handler not in handlers:
                    handler.close()
            logger.handlers, logger.filters, logger.level = handlers, filters, level
            logger.propagate, logger.disabled = propagate, disabled


def log_lines(path: Path) -> list[dict[str, Any]]:
    """Every line of the log, each parsed as one JSON object."""
    for handler in logging.getLogger("uvicorn.access").handlers:
        handler.flush()
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_json_log_lines_carry_the_request_id_of_the_response(
    json_log: Path, assistant: Assistant, base_settings: Settings
) -> None:
    with serve(create_api(assistant, FakeAudit(), base_settings), log_config=None) as base:
        wait_ready(base)
        logging.getLogger("uvicorn.access").setLevel(logging.INFO)  # the fixture server asked for warnings only
        asked = httpx.post(f"{base}/api/ask", json={"question": QUESTION}, timeout=30)
        given = httpx.get(
            f"{base}/healthz", params={"session_hash": "s3cr3t-session"}, headers={"X-Request-ID": "trace-42.a"}
        )
        unsafe = httpx.get(f"{base}/healthz", headers={"X-Request-ID": "x" * 200})
        secret_path = httpx.get(f"{base}/gradio_api/heartbeat/s3cr3t-session")
        logging.getLogger("assistant.test").warning("a line outside any request")
    assert asked.status_code == 200
    rid = asked.headers["x-request-id"]
    assert rid and asked.json()["request_id"] == rid
    assert given.headers["x-request-id"] == "trace-42.a"
    assert unsafe.headers["x-request-id"] != "x" * 200 and len(unsafe.headers["x-request-id"]) <= 64
    lines = log_lines(json_log)
    for line in lines:
        assert {"time", "level", "logger", "message", "request_id"} <= set(line)
    access = {line["request_id"]: line for line in lines if line["logger"] == "uvicorn.access"}
    ask_line = access[rid]
    assert ask_line["method"] == "POST" and ask_line["path"] == "/api/ask" and ask_line["status"] == 200
    assert isinstance(ask_line["duration_ms"], float) and ask_line["duration_ms"] >= 0
    health_line = access["trace-42.a"]
    assert health_line["path"] == "/healthz" and "?" not in health_line["path"]
    assert access[secret_path.headers["x-request-id"]]["path"] == "/gradio_api/heartbeat/[redacted]"
    assert "s3cr3t" not in json_log.read_text("utf-8")  # redacted in the message too, in the JSON format
    outside = [line for line in lines if line["logger"] == "assistant.test"]
    assert outside and outside[0]["request_id"] is None and outside[0]["level"] == "warning"


def test_text_log_config_keeps_the_access_lines_readable() -> None:
    config = log_config("text")
    assert config["loggers"]["uvicorn.access"]["handlers"] == ["access"]
    assert config["loggers"]["assistant"]["propagate"] is False


# ---- assistant doctor ----


@pytest.fixture
def healthy(shared_server: str, base_settings: Settings, tmp_path: Path) -> Settings:
    """The API tests' settings (their index built by the shared server) with an upgraded audit database."""
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    assert db_command("upgrade", url, io.StringIO()) == 0
    return base_settings.model_copy(update={"audit_url": url})


def doctor(settings: Settings) -> tuple[int, dict[str, Any]]:
    """Run the doctor with --json; its exit code and its report."""
    out = io.StringIO()
    code = doctor_command(settings, True, out)
    return code, json.loads(out.getvalue())


def test_doctor_passes_a_healthy_sandbox(healthy: Settings) -> None:
    code, report = doctor(healthy)
    assert code == 0 and report["ok"] is True
    statuses = {check["name"]: check["status"] for check in report["checks"]}
    assert statuses == {
        "rules": "ok", "corpus": "ok", "data_dir": "ok", "index": "ok", "audit": "ok", "model": "ok",
    }  # fmt: skip
    text = io.StringIO()
    assert doctor_command(healthy, False, text) == 0
    assert len(text.getvalue().splitlines()) == len(statuses)


def test_doctor_names_a_broken_audit_database(healthy: Settings, tmp_path: Path) -> None:
    broken = tmp_path / "not-a-database.db"
    broken.write_bytes(b"this is no SQLite file at all" * 100)
    code, report = doctor(healthy.model_copy(update={"audit_url": f"sqlite:///{broken}"}))
    assert code == 1 and report["ok"] is False
    failed = [check for check in report["checks"] if check["status"] == "fail"]
    assert [check["name"] for check in failed] == ["audit"] and failed[0]["fix"]
    code, report = doctor(healthy.model_copy(update={"audit_url": "postgresql+psycopg://nobody@127.0.0.1:9/none"}))
    assert code == 1 and [c["name"] for c in report["checks"] if c["status"] == "fail"] == ["audit"]


def test_doctor_names_an_unreachable_model_and_chroma_server(healthy: Settings) -> None:
    code, report = doctor(healthy.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1"}))
    assert code == 1 and [c["name"] for c in report["checks"] if c["status"] == "fail"] == ["model"]
    code, report = doctor(healthy.model_copy(update={"chroma_url": "http://127.0.0.1:9"}))
    assert code == 1 and [c["name"] for c in report["checks"] if c["status"] == "fail"] == ["index"]


def test_doctor_command_names_a_broken_rule_pack(healthy: Settings, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(healthy.rules_path(), rules)
    (rules / "zz-broken.yaml").write_text("pack: [this is not a pack\n", "utf-8")
    env = {
        **os.environ,
        "ASSISTANT_RULES_DIR": str(rules),
        "ASSISTANT_DATA_DIR": str(healthy.data_dir),
        "ASSISTANT_EMBEDDER": "fake",
        "ASSISTANT_AUDIT_URL": str(healthy.audit_url),
    }
    run = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "doctor"], env=env, capture_output=True, text=True, cwd=PROJECT_ROOT
    )
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("fail") and "rules" in lines[0] and "zz-broken.yaml" in lines[0]
    assert "fix: run `assistant rules validate" in lines[1]
    assert all(not line.startswith("fail") for line in lines[2:])
