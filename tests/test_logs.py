"""Log lines never carry the address of a person."""
import logging

import pytest

from portal.logs import scrub


@pytest.mark.parametrize("line, expected", [
    ('203.0.113.7 - - [24/Nov/2026 07:31:12] "GET / HTTP/1.1" 200',
     '- - - [24/Nov/2026 07:31:12] "GET / HTTP/1.1" 200'),
    ("from 2001:db8::1 at 12:00:01", "from - at 12:00:01"),
    ("a 2001:0db8:0000:0000:0000:ff00:0042:8329 b", "a - b"),
    (" * Running on http://127.0.0.1:5000", " * Running on http://127.0.0.1:5000"),
    ("version 1.2.3 at 10:15", "version 1.2.3 at 10:15"),
])
def test_scrub(line, expected):
    assert scrub(line) == expected


def test_app_logger_drops_addresses(app, caplog):
    caplog.set_level(logging.INFO)
    with app.app_context():
        app.logger.warning("client %s did something", "198.51.100.23")
    assert "198.51.100.23" not in caplog.text
    assert "client - did something" in caplog.text
