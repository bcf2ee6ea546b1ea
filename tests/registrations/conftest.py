import pytest


@pytest.fixture
def reg(factories):
    """Registration factories, inside an app context (like `factories`)."""
    from tests.registrations import factories as module

    return module
