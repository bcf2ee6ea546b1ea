import pytest


@pytest.fixture
def make_series(factories):
    """make_series(**overrides) → a committed published series of four weekly meetings."""
    from portal.extensions import db
    from tests.series import factories as series_factories

    def make(**overrides):
        series = series_factories.create_series(**overrides)
        db.session.commit()
        return series

    return make
