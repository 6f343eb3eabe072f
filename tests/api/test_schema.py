"""A property-based run against the served OpenAPI document: no request the schema allows (or breaks) gets a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from assistant.api import create_api
from assistant.pipeline import Assistant
from assistant.settings import Settings

from .conftest import FakeAudit, serve, wait_ready
from .test_wecom import SETTINGS as WECOM

pytestmark = pytest.mark.slow

EXAMPLES = 25
"""Examples per operation: with ten operations the run stays well under a minute."""


@pytest.fixture(scope="module")
def schema_server(assistant: Assistant, base_settings: Settings) -> Iterator[str]:
    """A server with the WeCom adapter configured, so its routes run past the configuration check."""
    with serve(create_api(assistant, FakeAudit(), base_settings.model_copy(update=WECOM))) as base:
        wait_ready(base)
        yield base


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_no_server_errors(schema_server: str, mode: GenerationMode) -> None:
    # Driven through Hypothesis directly: schemathesis's pytest loader for fixtures breaks on pytest 9.2.
    api = schemathesis.openapi.from_url(f"{schema_server}/openapi.json")
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def no_5xx(case: Any) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        try:
            no_5xx()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE  # an operation without inputs has no invalid request
        except Exception as exc:
            exc.add_note(f"operation: {operation.label}")
            raise
