"""The API tested against its own OpenAPI schema by an outside client (schemathesis): every
operation is called with generated data, as a controller authenticated with an API token, on a
small populated organisation. Not one answer may be a server error (5xx) or break the schema.

The number of generated cases is printed and written to ``SCHEMATHESIS_CASES_FILE`` when that
variable is set (CI keeps it as a record).
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.conftest import make_token

EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def in_process_wsgi(settings):
    """Call the WSGI application in the test's own transaction: the Django test client does the
    same (a request must not close the connection that holds the test's data)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        from config.wsgi import application

        yield application
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_every_operation_answers_without_server_errors_and_within_the_schema(world, controller, in_process_wsgi):
    _token, key = make_token(controller)
    headers = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", in_process_wsgi, headers=headers)
    counts, failures = {}, []

    def exercise(operation):
        label = operation.label
        counts[label] = 0

        @given(case=operation.as_strategy(headers=headers))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def call(case):
            counts[label] += 1
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

        try:
            call()
        except Exception as error:  # noqa: BLE001 - collect every operation's failure, then fail once
            failures.append(f"{label}: {str(error)[:3000]}")

    for result in schema.get_all_operations():
        exercise(result.ok())

    total = sum(counts.values())
    print(f"\nschemathesis: {total} generated cases over {len(counts)} operations")
    if os.environ.get("SCHEMATHESIS_CASES_FILE"):
        with open(os.environ["SCHEMATHESIS_CASES_FILE"], "w", encoding="utf-8") as record:
            record.write(f"{total} cases, {len(counts)} operations\n")
            record.writelines(f"{label}\t{n}\n" for label, n in sorted(counts.items()))
    assert len(counts) >= 40, sorted(counts)
    assert all(n > 0 for n in counts.values()), counts
    assert not failures, "\n\n".join(failures)
