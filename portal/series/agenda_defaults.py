"""The four default agenda templates of the method, in Dutch and English (seed data)."""
from __future__ import annotations

from dataclasses import dataclass

from portal.series.models import Lead

SW, EE, BOTH = Lead.SOCIAL_WORKER, Lead.EXPERIENCE_EXPERT, Lead.BOTH


@dataclass(frozen=True)
class DefaultItem:
    minutes: int
    lead: Lead
    title: dict[str, str]
    purpose: dict[str, str]
    materials: dict[str, str]


@dataclass(frozen=True)
class DefaultTemplate:
    key: str
    meeting_number: int
    name: dict[str, str]
    description: dict[str, str]
    items: tuple[DefaultItem, ...]


def _item(minutes, lead, nl: tuple[str, str, str], en: tuple[str, str, str]) -> DefaultItem:
    return DefaultItem(minutes, lead, {"nl": nl[0], "en": en[0]}, {"nl": nl[1], "en": en[1]},
                       {"nl": nl[2], "en": en[2]})


DEFAULT_TEMPLATES: tuple[DefaultTemplate, ...] = (
    DefaultTemplate(
        key="kennismaken", meeting_number=1,
        name={"nl": "Kennismaken en verhalen delen",
              "en": "Getting to know each other and sharing stories"},
        description={
            "nl": "De eerste ontmoeting. Iedereen leert elkaar kennen en deelt een eigen verhaal.",
            "en": "The first meeting. Everyone gets to know each other and shares a story."},
        items=(
            _item(15, BOTH,
                  ("Welkom en afspraken",
                   "Iedereen voelt zich welkom. We spreken af: we oordelen niet en wat hier "
                   "gezegd wordt, blijft hier.",
                   "Koffie en thee, naamkaartjes, flap met de afspraken"),
                  ("Welcome and house rules",
                   "Everyone feels welcome. We agree: no judgement, and what is said here "
                   "stays here.",
                   "Coffee and tea, name cards, flip chart with the house rules")),
            _item(20, SW,
                  ("Kennismaken in tweetallen",
                   "In tweetallen vertel je wie je bent en wat je hoopt. Daarna stel je elkaar "
                   "voor aan de groep.",
                   "Kaartjes met vragen"),
                  ("Getting to know each other in pairs",
                   "In pairs, tell who you are and what you hope for. Then introduce each other "
                   "to the group.",
                   "Cards with questions")),
            _item(45, EE,
                  ("Ronde met eigen verhalen",
                   "Wie wil, vertelt een eigen verhaal. De begeleider met ervaring begint. "
                   "De anderen luisteren.",
                   "Praatstok of ander voorwerp"),
                  ("Round of personal stories",
                   "Whoever wants to tells a story of their own. The experience expert starts. "
                   "The others listen.",
                   "Talking stick or another object")),
            _item(25, BOTH,
                  ("Wat viel je op?",
                   "We zoeken samen wat ons raakte en wat terugkomt in de verhalen.",
                   "Flap, stiften"),
                  ("What struck you?",
                   "Together we look for what touched us and what comes back in the stories.",
                   "Flip chart, markers")),
            _item(10, BOTH,
                  ("Afsluiten",
                   "Hoe ging het vandaag? We vertellen wat de volgende keer gebeurt.",
                   "Datum van de volgende ontmoeting"),
                  ("Closing",
                   "How did today go? We say what happens next time.",
                   "Date of the next meeting")),
        ),
    ),
    DefaultTemplate(
        key="verdiepen", meeting_number=2,
        name={"nl": "Verdiepen: leefwereld en systeemwereld",
              "en": "Going deeper: life as lived and the world of institutions"},
        description={
            "nl": "We kijken op twee manieren naar de verhalen: hoe het leven is, en hoe "
                  "instanties werken.",
            "en": "We look at the stories in two ways: life as it is lived, and how "
                  "institutions work."},
        items=(
            _item(10, BOTH,
                  ("Welkom en terugblik",
                   "We halen op wat we de vorige keer hoorden.",
                   "Flap van de vorige keer"),
                  ("Welcome and looking back",
                   "We recall what we heard last time.",
                   "Flip chart from last time")),
            _item(30, EE,
                  ("Leefwereld: hoe is het voor jou?",
                   "We kijken naar de verhalen vanuit het dagelijks leven. Wat maakt het "
                   "zwaar?",
                   "Verhalen van de vorige keer op kaartjes"),
                  ("Life as lived: what is it like for you?",
                   "We look at the stories from daily life. What makes it hard?",
                   "Stories from last time on cards")),
            _item(30, SW,
                  ("Systeemwereld: hoe werkt de instantie?",
                   "We kijken naar dezelfde verhalen vanuit regels en organisaties.",
                   "Voorbeelden van brieven en formulieren"),
                  ("World of institutions: how does the organisation work?",
                   "We look at the same stories through rules and organisations.",
                   "Sample letters and forms")),
            _item(25, BOTH,
                  ("Worstelingen en eye-openers",
                   "We schrijven op waar mensen tegenaan lopen en wat ons de ogen opende.",
                   "Gele en groene kaartjes, stiften"),
                  ("Struggles and eye-openers",
                   "We write down what people struggle with and what opened our eyes.",
                   "Yellow and green cards, markers")),
            _item(15, SW,
                  ("Blik van een professional",
                   "Een professional vertelt hoe zij of hij naar deze verhalen kijkt.",
                   "Uitnodiging aan de professional"),
                  ("A professional's view",
                   "A professional tells how they see these stories.",
                   "Invitation to the professional")),
            _item(10, BOTH,
                  ("Afsluiten",
                   "Wat nemen we mee naar de volgende keer?",
                   ""),
                  ("Closing",
                   "What do we take to next time?",
                   "")),
        ),
    ),
    DefaultTemplate(
        key="veranderwensen", meeting_number=3,
        name={"nl": "Veranderwensen formuleren", "en": "Formulating wishes for change"},
        description={
            "nl": "Van worsteling naar wens: wat moet er anders, en wie kan dat veranderen?",
            "en": "From struggle to wish: what should change, and who can change it?"},
        items=(
            _item(10, BOTH,
                  ("Welkom en terugblik",
                   "We kijken naar de worstelingen en eye-openers van de vorige keer.",
                   "Kaartjes van de vorige keer"),
                  ("Welcome and looking back",
                   "We look at the struggles and eye-openers from last time.",
                   "Cards from last time")),
            _item(35, EE,
                  ("Van worsteling naar wens",
                   "We maken van elke worsteling een concrete wens: wat moet er anders, en "
                   "voor wie?",
                   "Werkblad veranderwens"),
                  ("From struggle to wish",
                   "We turn each struggle into a concrete wish: what should change, and for "
                   "whom?",
                   "Wish for change worksheet")),
            _item(25, SW,
                  ("Wie kan dit veranderen?",
                   "Bij elke wens zoeken we de organisatie die er iets aan kan doen.",
                   "Lijst met organisaties in de gemeente"),
                  ("Who can change this?",
                   "For each wish we find the organisation that can do something about it.",
                   "List of organisations in the municipality")),
            _item(20, BOTH,
                  ("Kiezen",
                   "We kiezen welke wensen we naar welke organisatie brengen.",
                   "Stickers om te stemmen"),
                  ("Choosing",
                   "We choose which wishes we bring to which organisation.",
                   "Stickers for voting")),
            _item(20, BOTH,
                  ("Het gesprek voorbereiden",
                   "Wie vertelt wat in het gesprek met de organisaties?",
                   "Flap, stiften"),
                  ("Preparing the conversation",
                   "Who says what in the conversation with the organisations?",
                   "Flip chart, markers")),
            _item(10, BOTH,
                  ("Afsluiten",
                   "We vertellen wie we uitnodigen voor de laatste ontmoeting.",
                   ""),
                  ("Closing",
                   "We say whom we invite to the last meeting.",
                   "")),
        ),
    ),
    DefaultTemplate(
        key="in-gesprek", meeting_number=4,
        name={"nl": "In gesprek en vervolg", "en": "In conversation and next steps"},
        description={
            "nl": "Organisaties reageren op de wensen. We spreken af wat er nu gebeurt.",
            "en": "Organisations respond to the wishes. We agree what happens next."},
        items=(
            _item(10, BOTH,
                  ("Welkom",
                   "Welkom aan de groep en aan de gasten van de organisaties.",
                   "Naamkaartjes voor de gasten"),
                  ("Welcome",
                   "Welcome to the group and to the guests from the organisations.",
                   "Name cards for the guests")),
            _item(40, EE,
                  ("Organisaties reageren",
                   "De groep vertelt de wensen. De organisaties zeggen wat zij ervan vinden.",
                   "Lijst met gekozen wensen"),
                  ("Organisations respond",
                   "The group presents the wishes. The organisations say what they think.",
                   "List of chosen wishes")),
            _item(25, SW,
                  ("Afspraken maken",
                   "Wie doet wat, en wanneer horen we terug?",
                   "Afsprakenlijst"),
                  ("Agreeing next steps",
                   "Who does what, and when do we hear back?",
                   "List of agreements")),
            _item(25, BOTH,
                  ("Evaluatie",
                   "We kijken terug op de reeks: voelde je je gehoord, welkom en erkend?",
                   "Evaluatiekaartjes"),
                  ("Evaluation",
                   "We look back on the series: did you feel heard, welcome and recognised?",
                   "Evaluation cards")),
            _item(15, BOTH,
                  ("Contact houden",
                   "Hoe blijven we in contact? Hoe horen jullie wat er met de wensen gebeurt?",
                   "Lijst voor wie op de hoogte wil blijven"),
                  ("Staying in touch",
                   "How do we stay in touch? How do you hear what happens with the wishes?",
                   "List for people who want to stay informed")),
        ),
    ),
)

LANGUAGES = ("nl", "en")
