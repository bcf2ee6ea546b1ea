"""The XSS corpus: known payloads sent as title, story text, wish and reply never come back
executable on any page, in the notification mail or in the export."""
from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import sqlalchemy as sa

from portal.extensions import db
from portal.stories import service
from portal.stories.models import Story, StoryStatus
from tests.stories.conftest import code_from

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<scRipt>alert(1)</scRipt>",
    "<script>alert(1)//",
    "<<script>alert(1);//<</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=`x`onerror=alert(1)>",
    '<img """><script>alert(1)</script>">',
    '<img src="jav&#x0A;ascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x></svg>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>">',
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JaVaScRiPt:alert(1)">klik</a>',
    '<a href="&#106;avascript:alert(1)">klik</a>',
    '<a href="&#x6A;avascript:alert(1)">klik</a>',
    '<a href="java&#x09;script:alert(1)">klik</a>',
    '<a href=" javascript:alert(1)">klik</a>',
    '<a href="vbscript:msgbox(1)">klik</a>',
    '<ol><li><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a></li></ol>',
    "<body onload=alert(1)>",
    "<b onmouseover=alert(1)>vet</b>",
    '<p onclick="alert(1)">klik</p>',
    "<strong/onmouseover=alert(1)>x</strong>",
    "<div/onmouseover='alert(1)'>x</div>",
    "<ul><li onclick=alert(1)>a</li></ul>",
    "<x onclick=alert(1)>x</x>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<p style="behavior: url(xss.htc)">x</p>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "<isindex action=javascript:alert(1) type=image>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "<b>vet <i>schuin</b> niet gesloten",
]

FORBIDDEN_TAGS = {"svg", "iframe", "object", "embed", "style", "math", "frame", "frameset",
                  "applet", "base", "video", "audio", "source", "marquee", "isindex"}
# Forms, buttons and inputs are the pages' own; with an on*= or javascript: they are caught.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background",
                  "srcdoc", "content"}
ALLOWED_SCRIPTS = {"/static/js/print.js"}


class ExecutableFinder(HTMLParser):
    """Collects anything in a page that a browser could run."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and (attributes.get("src") not in ALLOWED_SCRIPTS or len(attrs) != 1):
            self.problems.append(f"<script {attrs}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "img" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append(f"<img {attrs}>")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append(f"<meta {attrs}>")
        if tag == "link" and not (attributes.get("href") or "").startswith("/static/"):
            self.problems.append(f"<link {attrs}>")
        if tag == "form" and not (attributes.get("action") or "/").startswith("/"):
            self.problems.append(f"<form {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                squashed = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
                if squashed.startswith(("javascript:", "vbscript:", "data:text/html")) or \
                        "url=javascript:" in squashed:
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag


def executable_parts(html: str) -> list[str]:
    finder = ExecutableFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def test_the_checker_itself_finds_what_it_must():
    for bad in ("<script>x</script>", '<a href=" JAVA\tscript:x">', "<b onclick=x>",
                "<svg></svg>", "<iframe>", "<object>", "<style>", '<p style="x">',
                '<img src=x>', '<a href="&#106;avascript:x">'):
        assert executable_parts(bad), bad
    assert executable_parts('<p><b>vet</b> &lt;script&gt;</p>') == []


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def test_no_payload_comes_back_executable_anywhere(app, client, factories, login_as, outbox):
    municipality = factories.create_municipality(name="Lingewaard", slug="lingewaard")
    facilitator = factories.create_user("facilitator", municipalities=[municipality])
    db.session.commit()
    problems: list[str] = []

    def check(where: str, html: str):
        problems.extend(f"{where}: {p}" for p in executable_parts(html))

    codes = []
    for n, payload in enumerate(PAYLOADS):
        response = client.post_form("/vertel", {
            "kind": "story", "title": payload[:200], "body": f"Verhaal {n}: {payload}",
            "wish_text": payload, "municipality": str(municipality.id), "consent": "public",
            "notify_email": f"lezer{n}@example.org",
        }, environ_base={"REMOTE_ADDR": f"198.51.100.{n % 250}"})
        assert response.status_code == 200, (n, payload, response.status_code)
        page = response.get_data(as_text=True)
        check(f"confirmation #{n}", page)
        codes.append(code_from(page))

    db.session.rollback()  # end the test's read transaction: see what the requests committed
    stories = db.session.scalars(sa.select(Story).order_by(Story.id)).all()
    assert len(stories) == len(PAYLOADS)
    for story in stories:
        # The reply carries the payload as well: the thread is rich text too.
        service.reply(story, facilitator, f"Antwoord: {story.wish_text}",
                      receipt_url="http://localhost/bon")
        service.moderate(story, facilitator, StoryStatus.PUBLISHED)
    db.session.commit()
    story_ids = [s.id for s in stories]

    # What the sender sees with the code, answering with the payload too.
    for n, (code, payload) in enumerate(zip(codes, PAYLOADS)):
        client.post_form("/bon/bericht", {"code": code, "body": payload}, token_from="/bon")
        page = client.post_form("/bon", {"code": code}).get_data(as_text=True)
        assert f"Verhaal {n}:" in page
        check(f"receipt page #{n}", page)

    login_as(facilitator)
    for pagina in range(1, len(PAYLOADS) // 25 + 2):
        check(f"queue page {pagina}", client.get(
            f"/begeleiding/verhalen/?filter=alle&pagina={pagina}").get_data(as_text=True))
    for story_id in story_ids:
        check(f"detail {story_id}", client.get(
            f"/begeleiding/verhalen/{story_id}").get_data(as_text=True))
        check(f"edit {story_id}", client.get(
            f"/begeleiding/verhalen/{story_id}/bewerken").get_data(as_text=True))

    for pagina in range(1, len(PAYLOADS) // 20 + 2):
        check(f"published page {pagina}", client.get(
            f"/verhalen/lingewaard?pagina={pagina}").get_data(as_text=True))

    mails = outbox()
    assert len(mails) == len(PAYLOADS)
    for mail in mails:
        check(f"mail to {mail.to_address}", mail.html_body)

    export = client.get("/begeleiding/verhalen/export.csv")
    assert export.mimetype == "text/csv"
    assert export.headers["Content-Disposition"].startswith("attachment")
    assert export.headers["X-Content-Type-Options"] == "nosniff"
    for row in csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff")),
                          delimiter=";"):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell

    assert problems == [], "\n".join(problems[:40])


def test_rich_text_is_sanitised_again_on_output(app, client, factories):
    """Even markup that reached the database some other way is cleaned when shown."""
    municipality = factories.create_municipality(slug="huissen")
    story, _ = service.submit_anonymous(municipality=municipality, kind=service.StoryKind.STORY,
                                        consent=service.ConsentLevel.PUBLIC, body="Netjes")
    service.moderate(story, None, StoryStatus.PUBLISHED)
    story.body = '<p>Oud</p><script>alert(1)</script><img src=x onerror=alert(1)>'
    db.session.commit()
    page = client.get("/verhalen/huissen").get_data(as_text=True)
    assert "Oud" in page
    assert executable_parts(page) == []
