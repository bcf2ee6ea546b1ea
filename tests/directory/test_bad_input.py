"""Bad input on every coordinator form: a Dutch message at the field, the rest kept, never a 500.

Each case posts a valid form with one field replaced. "error" cases must answer 422 with a Dutch
message under that field and every other text field still filled in; "stored" cases must save
the text as typed and show it escaped, never as markup.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from portal.auth.models import User
from portal.directory.models import Municipality, Organisation, Theme, Venue
from portal.extensions import db
from tests.directory.conftest import field_error, is_dutch
from tests.directory.factories import create_theme

LONG = "x" * 10_000
SCRIPT = "<script>alert(1)</script>"
NUL = "a\x00b"
ERROR, STORED = "error", "stored"

TEXT_REQUIRED = [("", ERROR), (LONG, ERROR), (SCRIPT, STORED), (NUL, ERROR), ("   ", ERROR)]
TEXT_OPTIONAL = [("", STORED), (LONG, ERROR), (SCRIPT, STORED), (NUL, ERROR)]
FORMATTED_OPTIONAL = [("", STORED), (LONG, ERROR), (SCRIPT, ERROR), (NUL, ERROR)]
FORMATTED_REQUIRED = [("", ERROR), (LONG, ERROR), (SCRIPT, ERROR), (NUL, ERROR)]
NUMBER_REQUIRED = [("", ERROR), ("abc", ERROR), ("0", ERROR), ("366", ERROR), ("1.5", ERROR),
                   ("-3", ERROR), ("9" * 10_000, ERROR), (NUL, ERROR), (SCRIPT, ERROR)]
NUMBER_OPTIONAL = [("", STORED), ("abc", ERROR), ("-1", ERROR), ("1000", ERROR),
                   ("99999999999999999999999", ERROR), (NUL, ERROR)]
CHOICE_REQUIRED = [("", ERROR), ("abc", ERROR), ("99999", ERROR), (NUL, ERROR), (SCRIPT, ERROR)]
CHOICE_OPTIONAL = [("abc", ERROR), ("99999", ERROR), (NUL, ERROR)]
CHECKBOXES = [("abc", ERROR), ("99999", ERROR), (NUL, ERROR)]


@dataclass
class FormCase:
    name: str
    model: type
    create_url: str
    edit_section: str
    valid: dict  # values; "{m}" is replaced by the municipality's id
    fields: dict[str, list] = field(default_factory=dict)
    editable: bool = True


FORMS = [
    FormCase("municipality", Municipality, "/beheer/gemeenten/nieuw", "gemeenten",
             {"name": "Gemeente Zonnedal", "slug": "zonnedal"},
             {"name": TEXT_REQUIRED, "slug": FORMATTED_OPTIONAL}),
    FormCase("venue", Venue, "/beheer/locaties/nieuw", "locaties",
             {"municipality_id": "{m}", "name": "Buurthuis De Linde", "street": "Dorpsstraat 12",
              "postcode": "6851 GH", "city": "Huissen", "is_wheelchair_accessible": "y",
              "accessibility_notes": "Lift bij de ingang", "notes": "Sleutel bij Truus"},
             {"municipality_id": CHOICE_REQUIRED, "name": TEXT_REQUIRED,
              "street": TEXT_REQUIRED, "postcode": FORMATTED_OPTIONAL, "city": TEXT_REQUIRED,
              "accessibility_notes": TEXT_OPTIONAL, "notes": TEXT_OPTIONAL}),
    FormCase("organisation", Organisation, "/beheer/organisaties/nieuw", "organisaties",
             {"name": "Woonstichting Zonnedal", "kind": "welfare", "municipality_ids": ["{m}"],
              "response_target_days": "7", "response_target_unit": "calendar_days",
              "contact_email": "wensen@zonnedal.example"},
             {"name": TEXT_REQUIRED, "kind": CHOICE_REQUIRED, "municipality_ids": CHECKBOXES,
              "response_target_days": NUMBER_REQUIRED, "response_target_unit": CHOICE_REQUIRED,
              "contact_email": FORMATTED_OPTIONAL}),
    FormCase("theme", Theme, "/beheer/themas/nieuw", "themas",
             {"name_nl": "Vervoer en reizen", "name_en": "Transport and travel",
              "group": "life_domain", "position": "4"},
             {"name_nl": TEXT_REQUIRED, "name_en": TEXT_REQUIRED, "group": CHOICE_REQUIRED,
              "position": NUMBER_OPTIONAL}),
    FormCase("user", User, "/beheer/gebruikers/nieuw", "gebruikers",
             {"email": "nina@zonnedal.example", "display_name": "Nina Nieuwenhuis",
              "role": "facilitator", "organisation_id": "", "municipality_ids": ["{m}"],
              "facilitator_kind": "social_worker"},
             {"email": FORMATTED_REQUIRED, "display_name": TEXT_REQUIRED,
              "role": CHOICE_REQUIRED, "organisation_id": CHOICE_OPTIONAL,
              "municipality_ids": CHECKBOXES, "facilitator_kind": CHOICE_OPTIONAL}),
]
TEXT_KINDS = (TEXT_REQUIRED, TEXT_OPTIONAL, FORMATTED_OPTIONAL, FORMATTED_REQUIRED)


def _cases():
    for form in FORMS:
        for mode in ("create", "edit"):
            for name, values in form.fields.items():
                if mode == "edit" and form.name == "user" and name == "email":
                    continue  # the address is fixed once the account exists
                for value, expected in values:
                    yield pytest.param(form, mode, name, value, expected,
                                       id=f"{form.name}-{mode}-{name}-{value[:12]!r}")


@pytest.fixture
def world(app, factories):
    """A municipality to choose, and one existing record of each kind to edit."""
    municipality = factories.create_municipality(name="Zonnedal")
    existing = {
        "gemeenten": factories.create_municipality(name="Te wijzigen").id,
        "locaties": factories.create_venue(municipality=municipality).id,
        "organisaties": factories.create_organisation().id,
        "themas": create_theme().id,
        "gebruikers": factories.create_user("facilitator", municipalities=[municipality],
                                            password=None).id,
    }
    db.session.commit()
    return municipality.id, existing


def _fill(values: dict, municipality_id: int) -> dict:
    def one(value):
        return str(municipality_id) if value == "{m}" else value
    return {k: [one(v) for v in value] if isinstance(value, list) else one(value)
            for k, value in values.items()}


def _text_values(form: FormCase, data: dict, skip: str) -> list[str]:
    return [data[name] for name, kinds in form.fields.items()
            if kinds in TEXT_KINDS and name != skip and data.get(name)]


@pytest.mark.parametrize("form, mode, name, value, expected", list(_cases()))
def test_bad_input(app, client, quick_coordinator, world, form, mode, name, value, expected):
    municipality_id, existing = world
    data = _fill(form.valid, municipality_id)
    if mode == "edit":
        data.pop("email", None)
    data[name] = [value] if isinstance(data.get(name), list) else value
    url = form.create_url if mode == "create" else \
        f"/beheer/{form.edit_section}/{existing[form.edit_section]}"

    response = client.post_form(url, data)
    page = response.get_data(as_text=True)
    assert SCRIPT not in page

    if expected == ERROR:
        assert response.status_code == 422, page[:2000]
        message = field_error(page, name)
        assert message, f"no message at {name}"
        assert is_dutch(message), message
        for other in _text_values(form, data, skip=name):
            assert html.escape(other, quote=False) in page, f"{other!r} was not kept"
        return

    assert response.status_code == 302, field_error(page, name) or page[:2000]
    with app.app_context():
        item_id = existing[form.edit_section] if mode == "edit" else \
            db.session.scalar(sa.select(sa.func.max(form.model.id)))
        item = db.session.get(form.model, item_id)
        if value.strip():  # an empty optional field may be filled in for you (a slug)
            assert getattr(item, name) == value, f"{value!r} was not stored in {name}"
    for shown in (client.get(f"/beheer/{form.edit_section}"),
                  client.get(f"/beheer/{form.edit_section}/{item_id}")):
        assert shown.status_code == 200
        assert SCRIPT not in shown.get_data(as_text=True)
    if value == SCRIPT:
        edit_page = client.get(f"/beheer/{form.edit_section}/{item_id}").get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in edit_page
