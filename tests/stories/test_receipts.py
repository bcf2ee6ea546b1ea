"""Receipt codes: readable, at least 80 bits, forgiving input, stored only as hashes."""
import math

import pytest

from portal.stories import receipts


def test_code_is_four_groups_of_four_without_look_alikes():
    code = receipts.generate_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4, 4]
    assert not set("ILOU") & set(code)
    assert set(code.replace("-", "")) <= set(receipts.ALPHABET)


def test_code_carries_at_least_80_bits():
    assert len(set(receipts.ALPHABET)) == 32
    assert receipts.CODE_LENGTH * math.log2(len(receipts.ALPHABET)) >= 80
    assert len({receipts.generate_code() for _ in range(500)}) == 500


@pytest.mark.parametrize("typed", [
    "7kq2-m9xd-4hpt-b3rw", " 7KQ2 M9XD 4HPT B3RW ", "7KQ2M9XD4HPTB3RW", "7kq2—m9xd–4hpt_b3rw",
])
def test_typed_variants_normalise_to_the_same_code(typed):
    assert receipts.normalise_code(typed) == "7KQ2M9XD4HPTB3RW"


def test_look_alike_letters_are_read_as_digits():
    assert receipts.normalise_code("OOOO-IIII-LLLL-0000") == "0000111111110000"


@pytest.mark.parametrize("typed", ["", "ABC", "7KQ2-M9XD-4HPT-B3R", "7KQ2-M9XD-4HPT-B3RWX",
                                   "UUUU-UUUU-UUUU-UUUU", "<script>", "\x00" * 16, "x" * 5000])
def test_impossible_codes_are_refused(typed):
    assert receipts.normalise_code(typed) is None


def test_slow_hash_verifies_and_is_salted():
    code = receipts.normalise_code(receipts.generate_code())
    first, second = receipts.hash_code(code), receipts.hash_code(code)
    assert first != second  # a salt per row
    assert first.startswith("scrypt$")
    assert code not in first
    assert receipts.verify_code(code, first)
    assert not receipts.verify_code("0" * 16, first)
    assert not receipts.verify_code(code, "garbage")


def test_lookup_key_depends_on_the_secret_key():
    code = "7KQ2M9XD4HPTB3RW"
    assert receipts.lookup_key(code, "a") == receipts.lookup_key(code, "a")
    assert receipts.lookup_key(code, "a") != receipts.lookup_key(code, "b")
    assert code not in receipts.lookup_key(code, "a")


def test_only_hashes_of_the_code_are_stored(app_context, story_factories):
    import sqlalchemy as sa

    from portal.extensions import db
    from portal.stories.models import Story

    story, code = story_factories.create_story()
    db.session.commit()
    row = db.session.execute(sa.select(Story.__table__)).one()._mapping
    plain = code.replace("-", "")
    for value in row.values():
        assert code not in str(value) and plain not in str(value)
