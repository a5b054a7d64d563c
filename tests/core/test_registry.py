import pytest

from healthjustice.core.registry import Registry


def first():
    return 1


def second():
    return 2


def third():
    return 3


def test_entries_come_in_order_then_in_the_order_added():
    registry: Registry = Registry("parts")
    registry.add(first, order=20)
    registry.register(order=10)(second)
    registry.register(third)
    assert list(registry) == [second, first, third]


def test_adding_the_same_item_twice_keeps_the_first_entry():
    registry: Registry = Registry("parts")
    registry.add(first, order=5, flag=True)
    registry.add(first, order=1, flag=False)
    (entry,) = registry.entries()
    assert (entry.order, entry.options) == (5, {"flag": True})


def test_a_keyed_registry_refuses_a_second_item_under_a_key_and_a_reserved_key():
    registry: Registry = Registry("sections", keyed=True, reserved=("request",))
    registry.add(first, key="one")
    registry.add(first, key="one")
    with pytest.raises(ValueError, match="'one' already exists among the sections"):
        registry.add(second, key="one")
    with pytest.raises(ValueError, match="reserved"):
        registry.add(second, key="request")
    with pytest.raises(ValueError, match="needs a key"):
        registry.add(second)
    assert registry.keys() == ["one"] and registry.get("one") is first


def test_removing_and_copying():
    registry: Registry = Registry("parts")
    registry.add(first)
    registry.add(second)
    copy = registry.copy()
    registry.remove(first)
    assert list(registry) == [second]
    assert list(copy) == [first, second]
    assert len(registry.copy(empty=True)) == 0
