"""The coordinator's routing rules screen: who may open it, add/change/delete a rule, the rules
a rule must follow, bad input, and the "test the routing" helper."""
from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from portal.directory.models import Theme
from portal.errors import DomainError
from portal.extensions import db
from portal.wishes import routing, rules_service
from portal.wishes.models import RoutingRule, Wish, WishStatus
from tests.directory.conftest import field_error, is_dutch
from tests.directory.factories import create_theme
from tests.wishes.factories import create_rule, create_wish

LIST = "/beheer/routering/"
NEW = "/beheer/routering/nieuw"
LONG = "x" * 10_000
SCRIPT = "<script>alert(1)</script>"


def _theme(key: str) -> Theme:
    return db.session.scalars(sa.select(Theme).where(Theme.key == key)).one()


def _rules() -> list[tuple[str, str | None, str]]:
    """Every rule as (theme key, municipality or None, organisation), read after the test's own
    transaction ends, so it sees what the requests committed."""
    db.session.commit()
    return [(r.theme.key, r.municipality.name if r.municipality else None, r.organisation.name)
            for r in db.session.scalars(sa.select(RoutingRule).order_by(RoutingRule.id))]


def _selected(page: str, field_id: str) -> str | None:
    """The value of the chosen option of a select, as the page shows it again."""
    select = re.search(rf'<select[^>]*id="{re.escape(field_id)}"[^>]*>(.*?)</select>', page,
                       re.DOTALL)
    assert select, f"no select {field_id}"
    chosen = re.search(r'<option selected value="([^"]*)"', select.group(1))
    return chosen.group(1) if chosen else None


def _text(page: str) -> str:
    """The page as a person reads it: tags gone, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


# Access --------------------------------------------------------------------------------------

@pytest.mark.parametrize("role, expected", [("coordinator", 200), ("facilitator", 403),
                                            ("member", 403), ("other_member", 403)])
def test_only_coordinators_manage_routing_rules(client, login_as, world, role, expected):
    housing = _theme("housing")
    rule_id = create_rule(housing, world.organisation, world.municipality).id
    test = f"{LIST}?test-theme_id={housing.id}&test-municipality_id={world.municipality.id}"
    db.session.commit()
    login_as(getattr(world, role))
    for url in (LIST, NEW, f"/beheer/routering/{rule_id}", test):
        assert client.get(url).status_code == expected, url
    # Someone without access takes a token from a page they may open.
    response = client.post_form(f"/beheer/routering/{rule_id}/verwijderen",
                                token_from=LIST if expected == 200 else "/")
    assert response.status_code == (302 if expected == 200 else 403)


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for url in (LIST, NEW):
        response = client.get(url)
        assert response.status_code == 302 and "/account/inloggen" in response.location


def test_the_management_overview_links_to_the_rules_with_a_count(client, login_as, world):
    create_rule(_theme("housing"), world.organisation, world.municipality)
    create_rule(_theme("health"), world.other_organisation)
    db.session.commit()
    login_as(world.coordinator)
    page = client.get("/beheer/").get_data(as_text=True)
    assert 'href="/beheer/routering/"' in page and "Doorstuurregels" in page
    assert "2 in totaal" in _text(page)


def test_an_unknown_rule_is_not_found(client, login_as, world):
    login_as(world.coordinator)
    for url in ("/beheer/routering/99999", "/beheer/routering/99999999999999999999"):
        assert client.get(url).status_code == 404
    response = client.post_form("/beheer/routering/99999/verwijderen", token_from=LIST)
    assert response.status_code == 404


# Add, change, delete -------------------------------------------------------------------------

def test_a_coordinator_adds_a_rule_and_sees_it_in_the_list(client, login_as, world):
    login_as(world.coordinator)
    housing = _theme("housing")
    response = client.post_form(NEW, {"theme_id": housing.id,
                                      "municipality_id": world.municipality.id,
                                      "organisation_id": world.organisation.id})
    assert response.status_code == 302 and response.location.endswith(LIST)
    assert _rules() == [("housing", "Lingewaard", "Woonstichting Betuwe Thuis")]
    page = _text(client.get(LIST).get_data(as_text=True))
    assert "De doorstuurregel is bewaard." in page
    assert "Wonen Lingewaard Woonstichting Betuwe Thuis" in page

    # Empty municipality means: all municipalities.
    response = client.post_form(NEW, {"theme_id": housing.id, "municipality_id": "",
                                      "organisation_id": world.other_organisation.id})
    assert response.status_code == 302
    assert _rules()[1] == ("housing", None, "Energie Oost")
    page = _text(client.get(LIST).get_data(as_text=True))
    # The rule for all municipalities comes first, with where the organisation works.
    assert "Wonen Alle gemeenten Energie Oost Alleen waar de organisatie werkt: Oldenzaal " \
           "Wonen Lingewaard Woonstichting Betuwe Thuis" in page


def test_a_coordinator_changes_a_rule(client, login_as, world):
    rule = create_rule(_theme("housing"), world.organisation, world.municipality)
    rule_id = rule.id
    db.session.commit()
    login_as(world.coordinator)
    form = client.get(f"/beheer/routering/{rule_id}").get_data(as_text=True)
    assert _selected(form, "theme_id") == str(_theme("housing").id)
    assert _selected(form, "organisation_id") == str(world.organisation.id)
    response = client.post_form(f"/beheer/routering/{rule_id}", {
        "theme_id": _theme("health").id, "municipality_id": world.other_municipality.id,
        "organisation_id": world.other_organisation.id})
    assert response.status_code == 302
    assert _rules() == [("health", "Oldenzaal", "Energie Oost")]


def test_saving_a_rule_unchanged_is_no_duplicate(client, login_as, world):
    rule_id = create_rule(_theme("housing"), world.organisation).id
    db.session.commit()
    login_as(world.coordinator)
    response = client.post_form(f"/beheer/routering/{rule_id}", {
        "theme_id": _theme("housing").id, "municipality_id": "",
        "organisation_id": world.organisation.id})
    assert response.status_code == 302


def test_a_coordinator_deletes_a_rule_and_routed_wishes_keep_their_organisation(
        client, login_as, world):
    housing = _theme("housing")
    rule_id = create_rule(housing, world.organisation, world.municipality).id
    wish_id = create_wish(WishStatus.ROUTED, municipality=world.municipality,
                          organisation=world.organisation, themes=[housing]).id
    db.session.commit()
    login_as(world.coordinator)
    page = client.get(f"/beheer/routering/{rule_id}").get_data(as_text=True)
    assert "Regel verwijderen" in page
    response = client.post_form(f"/beheer/routering/{rule_id}/verwijderen",
                                token_from=f"/beheer/routering/{rule_id}")
    assert response.status_code == 302
    assert _rules() == []
    assert db.session.get(Wish, wish_id).organisation_id == world.organisation.id
    assert "De doorstuurregel is verwijderd." in client.get(LIST).get_data(as_text=True)


def test_deleting_without_a_csrf_token_changes_nothing(client, login_as, world):
    rule_id = create_rule(_theme("housing"), world.organisation).id
    db.session.commit()
    login_as(world.coordinator)
    client.post(f"/beheer/routering/{rule_id}/verwijderen")
    assert len(_rules()) == 1


# The rules of a rule -------------------------------------------------------------------------

def test_a_second_rule_for_the_same_theme_and_municipality_is_refused(client, login_as, world):
    housing = _theme("housing")
    create_rule(housing, world.organisation, world.municipality)
    create_rule(housing, world.organisation)
    db.session.commit()
    login_as(world.coordinator)
    for municipality_id, message in (
            (world.municipality.id, ("Er is al een regel voor dit thema in Lingewaard. "
                                     "Pas die regel aan.")),
            ("", "Er is al een regel voor dit thema voor alle gemeenten. Pas die regel aan.")):
        response = client.post_form(NEW, {"theme_id": housing.id,
                                          "municipality_id": municipality_id,
                                          "organisation_id": world.organisation.id})
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert field_error(page, "municipality_id") == message
        assert _selected(page, "theme_id") == str(housing.id)
        assert _selected(page, "organisation_id") == str(world.organisation.id)
    assert len(_rules()) == 2


def test_an_organisation_that_does_not_work_in_the_municipality_is_refused(
        client, login_as, world, factories):
    login_as(world.coordinator)
    response = client.post_form(NEW, {"theme_id": _theme("housing").id,
                                      "municipality_id": world.municipality.id,
                                      "organisation_id": world.other_organisation.id})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "organisation_id") == (
        "Energie Oost werkt niet in Lingewaard. Kies een andere organisatie. "
        "Of voeg eerst Lingewaard toe bij de organisatie.")
    assert _selected(page, "municipality_id") == str(world.municipality.id)
    assert _selected(page, "organisation_id") == str(world.other_organisation.id)
    assert 'id="error-summary"' in page and "Kijk het formulier na" in page
    assert _rules() == []
    # An organisation without municipalities works everywhere.
    everywhere = factories.create_organisation(name="Landelijke Woonbond")
    db.session.commit()
    response = client.post_form(NEW, {"theme_id": _theme("housing").id,
                                      "municipality_id": world.municipality.id,
                                      "organisation_id": everywhere.id})
    assert response.status_code == 302


def test_deactivated_themes_organisations_and_municipalities_cannot_be_chosen(
        client, login_as, world):
    housing, health = _theme("housing"), _theme("health")
    rule_id = create_rule(housing, world.organisation, world.municipality).id
    health.is_active = False
    db.session.commit()
    login_as(world.coordinator)
    form = client.get(NEW).get_data(as_text=True)
    assert f'value="{health.id}"' not in re.search(
        r'<select[^>]*id="theme_id".*?</select>', form, re.DOTALL).group(0)
    response = client.post_form(NEW, {"theme_id": health.id, "municipality_id": "",
                                      "organisation_id": world.organisation.id})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "theme_id") == "Kies een thema."

    # A rule keeps showing what it has, marked; saving asks for an active choice.
    db.session.commit()  # a fresh snapshot: the requests wrote since this session last read
    housing.is_active = False
    world.organisation.is_active = False
    world.municipality.is_active = False
    db.session.commit()
    url = f"/beheer/routering/{rule_id}"
    form = client.get(url).get_data(as_text=True)
    assert "Wonen (staat uit)" in form and "Woonstichting Betuwe Thuis (staat uit)" in form
    assert "Lingewaard (staat uit)" in form
    data = {"theme_id": housing.id, "municipality_id": world.municipality.id,
            "organisation_id": world.organisation.id}
    for field, message, fix in (
            ("theme_id", "Dit thema staat uit. Kies een ander thema.",
             _theme("letters_contact").id),
            ("municipality_id", ("Deze gemeente staat uit. Kies een andere gemeente, of "
                                 "“Alle gemeenten”."), ""),
            ("organisation_id", "Deze organisatie staat uit. Kies een andere organisatie.",
             None)):
        response = client.post_form(url, data)
        assert response.status_code == 422
        assert field_error(response.get_data(as_text=True), field) == message
        data[field] = fix
    page = _text(client.get(LIST).get_data(as_text=True))
    assert "Staat uit: deze regel wordt overgeslagen." in page and "Thema staat uit" in page


def test_the_service_refuses_bad_rules_with_field_names(world):
    housing = _theme("housing")
    cases = [
        ({"theme_id": None}, "theme_id"), ({"theme_id": 10**30}, "theme_id"),
        ({"municipality_id": 99999}, "municipality_id"),
        ({"organisation_id": "abc"}, "organisation_id"),
        ({"organisation_id": world.other_organisation.id}, "organisation_id"),
    ]
    for change, field in cases:
        values = {"theme_id": housing.id, "municipality_id": world.municipality.id,
                  "organisation_id": world.organisation.id} | change
        with pytest.raises(DomainError) as refused:
            rules_service.save_rule(None, **values)
        assert refused.value.field == field, change
    rule = rules_service.save_rule(None, theme_id=housing.id, municipality_id=None,
                                   organisation_id=world.organisation.id)
    assert rule.id and rule.municipality is None
    with pytest.raises(DomainError) as refused:
        rules_service.save_rule(None, theme_id=housing.id, municipality_id=None,
                                organisation_id=world.other_organisation.id)
    assert refused.value.field == "municipality_id"


# Bad input -----------------------------------------------------------------------------------

BAD_CHOICES = ["", "abc", "99999", "a\x00b", LONG, "9" * 10_000, SCRIPT, "-1", "1.5"]


def _bad_cases():
    for mode in ("create", "edit"):
        for field in ("theme_id", "municipality_id", "organisation_id"):
            for value in BAD_CHOICES:
                if field == "municipality_id" and value == "":
                    continue  # empty is "all municipalities": a valid choice
                yield pytest.param(mode, field, value, id=f"{mode}-{field}-{value[:8]!r}")


@pytest.mark.parametrize("mode, field, value", list(_bad_cases()))
def test_bad_input_gets_a_dutch_message_at_the_field_and_keeps_the_rest(
        client, login_as, world, mode, field, value):
    rule_id = create_rule(_theme("health"), world.organisation).id
    db.session.commit()
    login_as(world.coordinator)
    data = {"theme_id": str(_theme("housing").id), "municipality_id": str(world.municipality.id),
            "organisation_id": str(world.organisation.id)}
    data[field] = value
    url = NEW if mode == "create" else f"/beheer/routering/{rule_id}"
    response = client.post_form(url, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:1000]
    assert SCRIPT not in page
    message = field_error(page, field)
    assert message and is_dutch(message), message
    for other, chosen in data.items():
        if other != field:
            assert _selected(page, other) == chosen, f"{other} was not kept"
    assert _rules() == [("health", None, "Woonstichting Betuwe Thuis")]


# The routing tester --------------------------------------------------------------------------

def _test_routing(client, theme: Theme, municipality) -> str:
    response = client.get(LIST, query_string={"test-theme_id": theme.id,
                                              "test-municipality_id": municipality.id})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    result = re.search(r'class="[^"]*portal-routing-result[^"]*"[^>]*>(.*?)</div>', page,
                       re.DOTALL)
    assert result, "no answer shown"
    return _text(result.group(1))


def test_the_tester_prefers_a_rule_for_the_municipality_over_a_general_rule(
        client, login_as, world, factories):
    housing = _theme("housing")
    general = factories.create_organisation(name="Landelijke Woonbond")
    create_rule(housing, general)
    create_rule(housing, world.organisation, world.municipality)
    db.session.commit()
    login_as(world.coordinator)

    answer = _test_routing(client, housing, world.municipality)
    assert answer.startswith("Voorstel: Woonstichting Betuwe Thuis")
    assert "Dat komt door de regel voor Wonen in Lingewaard." in answer

    answer = _test_routing(client, housing, world.other_municipality)
    assert answer.startswith("Voorstel: Landelijke Woonbond")
    assert "Dat komt door de regel voor Wonen in alle gemeenten. Er is geen bruikbare regel " \
           "voor Wonen in Oldenzaal zelf." in answer

    # The tester says the same as what a facilitator sees when routing a wish.
    db.session.commit()  # a fresh snapshot: the requests wrote since this session last read
    wish = create_wish(municipality=world.other_municipality, themes=[housing])
    assert routing.suggest_organisation(wish) == general


def test_the_tester_says_which_rules_were_skipped_and_why(client, login_as, world):
    housing = _theme("housing")
    create_rule(housing, world.organisation, world.municipality)
    create_rule(housing, world.other_organisation)  # works in Oldenzaal only
    world.organisation.is_active = False
    db.session.commit()
    login_as(world.coordinator)
    answer = _test_routing(client, housing, world.municipality)
    assert answer.startswith("Geen voorstel")
    assert "Er is geen bruikbare regel voor Wonen in Lingewaard. De begeleider kiest zelf de " \
           "organisatie voor zo'n wens." in answer
    assert "Lingewaard: Woonstichting Betuwe Thuis — Woonstichting Betuwe Thuis staat uit." \
        in answer
    assert "Alle gemeenten: Energie Oost — Energie Oost werkt niet in Lingewaard." in answer
    # Without any rule for the theme: no suggestion, nothing skipped.
    answer = _test_routing(client, _theme("health"), world.municipality)
    assert answer.startswith("Geen voorstel") and "overgeslagen" not in answer


def test_the_tester_keeps_its_choice_and_the_list_shows_without_a_test(client, login_as, world):
    login_as(world.coordinator)
    page = client.get(LIST).get_data(as_text=True)
    assert "Test het doorsturen" in page and "portal-routing-result" not in page
    assert "Er zijn nog geen doorstuurregels." in page
    page = client.get(LIST, query_string={"test-theme_id": _theme("health").id,
                                          "test-municipality_id": world.municipality.id}
                      ).get_data(as_text=True)
    assert _selected(page, "test-theme_id") == str(_theme("health").id)
    assert _selected(page, "test-municipality_id") == str(world.municipality.id)


@pytest.mark.parametrize("theme, municipality", [
    ("", "{m}"), ("{t}", ""), ("abc", "{m}"), ("{t}", "99999"), (LONG, "{m}"),
    ("9" * 10_000, "{m}"), (SCRIPT, SCRIPT), ("-1", "{m}")])
def test_bad_tester_input_gets_dutch_messages_never_a_500(client, login_as, world, theme,
                                                         municipality):
    login_as(world.coordinator)
    values = {"{t}": str(_theme("housing").id), "{m}": str(world.municipality.id)}
    args = {"test-theme_id": values.get(theme, theme),
            "test-municipality_id": values.get(municipality, municipality)}
    response = client.get(LIST, query_string=args)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert SCRIPT not in page and "portal-routing-result" not in page
    for name, value in args.items():
        message = field_error(page, name)
        if value in values.values():
            assert message is None and _selected(page, name) == value
        else:
            assert message and is_dutch(message), (name, message)


def test_a_nul_byte_in_the_tester_is_refused_politely(client, login_as, world):
    login_as(world.coordinator)
    response = client.get(LIST, query_string={"test-theme_id": "a\x00b",
                                              "test-municipality_id": "1"})
    assert response.status_code == 400


# Lists ---------------------------------------------------------------------------------------

def _add_rules(factories, count: int) -> None:
    """count rules, each with its own theme, municipality and organisation (working in two
    municipalities), so a lazy load per row would show up."""
    for _ in range(count):
        municipality = factories.create_municipality()
        organisation = factories.create_organisation(
            municipalities=[municipality, factories.create_municipality()])
        theme = create_theme()
        create_rule(theme, organisation, municipality)
        create_rule(theme, organisation)
    db.session.commit()


def test_the_list_takes_as_many_queries_for_30_rules_as_for_3(client, login_as, world,
                                                              factories, count_queries):
    _add_rules(factories, 2)  # 4 rules
    url = f"{LIST}?test-theme_id={_theme('housing').id}&test-municipality_id=" \
          f"{world.municipality.id}"
    login_as(world.coordinator)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    db.session.commit()  # a fresh snapshot: the requests wrote since this session last read
    _add_rules(factories, 13)  # 30 rules: more than a page
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= 12


def test_the_list_is_paged_and_paging_keeps_the_test(client, login_as, world, factories):
    _add_rules(factories, 15)
    login_as(world.coordinator)
    args = {"test-theme_id": _theme("housing").id, "test-municipality_id": world.municipality.id}
    page = client.get(LIST, query_string=args).get_data(as_text=True)
    assert "Pagina 1 van 2" in page
    assert page.count("/beheer/routering/") >= 25
    next_link = re.search(r'rel="next" href="([^"]+)"', page).group(1)
    assert "pagina=2" in next_link and f"test-theme_id={args['test-theme_id']}" in next_link
    second = client.get(html.unescape(next_link))
    assert second.status_code == 200
    assert "portal-routing-result" in second.get_data(as_text=True)
    for odd in ("abc", "-1", "99999999999999999999"):
        assert client.get(LIST, query_string={"pagina": odd}).status_code == 200
