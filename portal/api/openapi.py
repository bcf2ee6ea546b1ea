"""The OpenAPI 3.1 description of /api/v1, as data. tests/api/test_openapi.py checks the
running API against it, so what is written here is what the API does."""
from __future__ import annotations

from portal.wishes.models import ActorKind, WishStatus
from portal.wishes.workflow import TRANSITIONS

STATUSES = [s.value for s in WishStatus if s is not WishStatus.MERGED]
ORGANISATION_ACTIONS = ["acknowledge", "answer", "mark_changed", "decline", "hand_back"]


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _json(ref: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


WISH_ID = {"name": "wish_id", "in": "path", "required": True,
           "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}}

NULLABLE_STRING = {"type": ["string", "null"]}

SPEC: dict = {
    "openapi": "3.1.0",
    "info": {
        "title": "Ontmoetingen portal API",
        "version": "1.0.0",
        "description": (
            "For an organisation's own systems: the wishes for change sent to the "
            "organisation, their timelines, and the organisation's steps (acknowledge, answer, "
            "mark changed, decline, hand back). A token belongs to one organisation and can do "
            "exactly what the organisation's members can do on screen. Coordinators make and "
            "revoke tokens. Send it as `Authorization: Bearer <token>`."),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "paths": {
        "/wishes": {
            "get": {
                "operationId": "listWishes",
                "summary": "The organisation's wishes, newest first, a page at a time",
                "parameters": [
                    {"name": "status", "in": "query", "schema": {"type": "string",
                                                                 "enum": STATUSES}},
                    {"name": "theme", "in": "query", "description": "A theme key",
                     "schema": {"type": "string", "maxLength": 60,
                                "pattern": "^[a-z0-9_-]*$"}},
                    {"name": "overdue", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "page", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 10000,
                                "default": 1}},
                    {"name": "per_page", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 100,
                                "default": 25}},
                ],
                "responses": {
                    "200": _json("WishPage", "A page of wishes"),
                    "400": _error("A parameter has a wrong value"),
                    "401": _error("No valid token"),
                },
            },
        },
        "/wishes/{wish_id}": {
            "get": {
                "operationId": "getWish",
                "summary": "One wish with its timeline and the steps the organisation may take",
                "parameters": [WISH_ID],
                "responses": {
                    "200": _json("WishWithTimeline", "The wish"),
                    "401": _error("No valid token"),
                    "404": _error("No such wish for this organisation"),
                },
            },
        },
        "/wishes/{wish_id}/transitions": {
            "post": {
                "operationId": "transitionWish",
                "summary": "Take one step of the wish workflow",
                "parameters": [WISH_ID],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/TransitionRequest"}}}},
                "responses": {
                    "200": _json("WishWithTimeline", "The step was taken"),
                    "400": _error("The body is not a JSON object of the right shape"),
                    "401": _error("No valid token"),
                    "403": _error("Only staff may take this step"),
                    "404": _error("No such wish for this organisation"),
                    "409": _error("The step is not possible in the wish's status"),
                    "422": _error("A note, outcome or date is missing or wrong"),
                },
            },
        },
        "/wishes/{wish_id}/answer": {
            "post": {
                "operationId": "answerWish",
                "summary": "Publish an answer (the wish stays in progress)",
                "parameters": [WISH_ID],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/AnswerRequest"}}}},
                "responses": {
                    "200": _json("WishWithTimeline", "The answer was published"),
                    "400": _error("The body is not a JSON object of the right shape"),
                    "401": _error("No valid token"),
                    "404": _error("No such wish for this organisation"),
                    "409": _error("The wish cannot be answered in its status"),
                    "422": _error("The answer is empty or too long"),
                },
            },
        },
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {
                "type": "object", "required": ["error"],
                "properties": {"error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                                   "field": NULLABLE_STRING}}},
            },
            "Actor": {
                "type": "object", "required": ["kind"],
                "properties": {"kind": {"type": "string",
                                        "enum": [kind.value for kind in ActorKind]},
                               "name": NULLABLE_STRING, "organisation": NULLABLE_STRING},
            },
            "Event": {
                "type": "object",
                "required": ["id", "at", "action", "from_status", "to_status", "note", "actor"],
                "properties": {
                    "id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"},
                    "action": {"type": "string"},
                    "from_status": NULLABLE_STRING, "to_status": NULLABLE_STRING,
                    "note": {"type": "string"}, "detail": {"type": "string"},
                    "actor": {"$ref": "#/components/schemas/Actor"}},
            },
            "Wish": {
                "type": "object",
                "required": ["id", "status", "what", "municipality", "themes", "public_answer"],
                "properties": {
                    "id": {"type": "integer"},
                    "status": {"type": "string", "enum": [s.value for s in WishStatus]},
                    "what": {"type": "string"}, "why": {"type": "string"},
                    "for_whom": {"type": "string"}, "supporters": {"type": "integer"},
                    "municipality": NULLABLE_STRING,
                    "themes": {"type": "array", "items": {"type": "string"}},
                    "routed_at": NULLABLE_STRING, "acknowledge_due_on": NULLABLE_STRING,
                    "acknowledged_at": NULLABLE_STRING, "public_answer": {"type": "string"},
                    "answered_at": NULLABLE_STRING, "outcome": {"type": "string"},
                    "changed_from": NULLABLE_STRING, "created_at": NULLABLE_STRING,
                    "is_overdue": {"type": "boolean"},
                },
            },
            "WishWithTimeline": {
                "allOf": [{"$ref": "#/components/schemas/Wish"}, {
                    "type": "object", "required": ["timeline", "allowed_actions"],
                    "properties": {
                        "timeline": {"type": "array",
                                     "items": {"$ref": "#/components/schemas/Event"}},
                        "allowed_actions": {"type": "array", "items": {
                            "type": "string", "enum": ORGANISATION_ACTIONS}}}}],
            },
            "WishPage": {
                "type": "object", "required": ["data", "pagination"],
                "properties": {
                    "data": {"type": "array", "items": {"$ref": "#/components/schemas/Wish"}},
                    "pagination": {"type": "object",
                                   "required": ["page", "per_page", "total", "pages"],
                                   "properties": {"page": {"type": "integer"},
                                                  "per_page": {"type": "integer"},
                                                  "total": {"type": "integer"},
                                                  "pages": {"type": "integer"}}}},
            },
            "TransitionRequest": {
                "type": "object", "required": ["action"], "additionalProperties": False,
                "properties": {
                    "action": {"type": "string", "enum": sorted(TRANSITIONS)},
                    "note": {"type": "string", "maxLength": 5000,
                             "description": "Required for answer, mark_changed, decline and "
                                            "hand_back: the answer or reason people read."},
                    "data": {"type": "object", "additionalProperties": False, "properties": {
                        "outcome": {"type": "string", "maxLength": 5000,
                                    "description": "mark_changed: what has changed"},
                        "changed_from": {"type": "string", "format": "date",
                                         "description": "mark_changed: from when"}}},
                },
            },
            "AnswerRequest": {
                "type": "object", "required": ["answer"], "additionalProperties": False,
                "properties": {"answer": {"type": "string", "maxLength": 5000}},
            },
        },
    },
}
