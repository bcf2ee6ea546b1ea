"""Where an organisation works: one rule, in Python and in SQL, that routing and practices use."""
import sqlalchemy as sa

from portal.directory.models import Organisation
from portal.extensions import db


def test_serves_and_serving_agree(factories):
    here, elsewhere = factories.create_municipality(), factories.create_municipality()
    local = factories.create_organisation(municipalities=[here])
    national = factories.create_organisation(municipalities=[])
    other = factories.create_organisation(municipalities=[elsewhere])
    db.session.flush()

    assert local.serves(here.id) and national.serves(here.id) and not other.serves(here.id)
    found = set(db.session.scalars(sa.select(Organisation.id).where(
        Organisation.serving(here.id))))
    assert found == {local.id, national.id}
