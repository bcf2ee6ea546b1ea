"""The six roles of the access matrices (wishes, learning) and the answers they expect.

anonymous, a member of another organisation, a member of the organisation concerned, a
facilitator of another municipality, a facilitator of the object's municipality, a coordinator.
"""
from __future__ import annotations

ROLES = ("anonymous", "other_member", "member", "other_facilitator", "facilitator",
         "coordinator")


def expect(anonymous, other_member, member, other_facilitator, facilitator, coordinator):
    return dict(zip(ROLES, (anonymous, other_member, member, other_facilitator, facilitator,
                            coordinator)))


STAFF_PAGE = expect(302, 403, 403, 200, 200, 200)
STAFF_OBJECT = expect(302, 403, 403, 404, 200, 200)
PUBLIC = expect(200, 200, 200, 200, 200, 200)
