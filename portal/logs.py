"""Logging set-up: no IP addresses in log lines, from the app or the development server."""
from __future__ import annotations

import ipaddress
import logging
import re

from flask import Flask

_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
# Candidates only; ipaddress decides, so times like 07:31:12 stay.
_IPV6_CANDIDATE = re.compile(r"(?<![\w:])[0-9a-fA-F:]*:[0-9a-fA-F:]*(?:\.\d{1,3}){0,3}(?![\w:])")


def _drop_address(match: re.Match) -> str:
    candidate = match.group(0)
    try:
        address = ipaddress.ip_address(candidate.strip("[]"))
    except ValueError:
        return candidate
    # Loopback and "any" addresses identify nobody ("Running on http://127.0.0.1:5000").
    return candidate if address.is_loopback or address.is_unspecified else "-"


def scrub(text: str) -> str:
    """Replace IPv4 and IPv6 addresses of people with '-'."""
    return _IPV6_CANDIDATE.sub(_drop_address, _IPV4.sub(_drop_address, text))


class DropAddresses(logging.Filter):
    """Replace anything that looks like an IP address in the formatted record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_filter(logger: logging.Logger) -> None:
    if not any(isinstance(f, DropAddresses) for f in logger.filters):
        logger.addFilter(DropAddresses())
    for handler in logger.handlers:
        if not any(isinstance(f, DropAddresses) for f in handler.filters):
            handler.addFilter(DropAddresses())


def configure_logging(app: Flask) -> None:
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error", "portal", app.logger.name):
        install_filter(logging.getLogger(name))
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, DropAddresses) for f in handler.filters):
            handler.addFilter(DropAddresses())
