"""The search box finds people as receptionists type them: either alphabet, any phone form,
part of an e-mail or a card number; and never someone the staff member may not see."""

from __future__ import annotations

from builders import Shop, an_agent

from heedful.core.customers.handlers import search_customers
from heedful.core.customers.spelling import sound_key


def names(shop: Shop, text: str) -> list[str]:
    return sorted(c.full_name for c in search_customers(text, shop.uow, shop.admin))


def test_a_cyrillic_name_is_found_by_its_latin_spelling_and_back(shop: Shop) -> None:
    shop.customer("Марина Морозова", at=shop.kyiv)
    shop.customer("Ольга Петренко", at=shop.kyiv)
    shop.customer("Юлия Смирнова", at=shop.kyiv)
    shop.customer("John Smith", at=shop.kyiv)
    shop.customer("Олександр Шевченко", at=shop.kyiv)

    assert names(shop, "morozova") == ["Марина Морозова"]
    assert names(shop, "moroz") == ["Марина Морозова"]
    assert names(shop, "Olha") == names(shop, "Olga") == ["Ольга Петренко"]
    for spelling in ("Iuliia", "Yulia", "Julija", "Yuliya smirnova"):
        assert names(shop, spelling) == ["Юлия Смирнова"], spelling
    assert names(shop, "Смит") == ["John Smith"]
    assert names(shop, "Shevchenko") == names(shop, "Oleksandr") == ["Олександр Шевченко"]
    assert names(shop, "Sergei") == []


def test_a_sound_key_never_stands_for_a_shorter_name(shop: Shop) -> None:
    # "Anna" must not find Anastasia: keys keep double letters, and never mix with folded words.
    shop.customer("Anna Kovalenko", at=shop.kyiv)
    shop.customer("Anastasia Koval", at=shop.kyiv)
    assert names(shop, "anna") == ["Anna Kovalenko"]
    assert sound_key("анна") == "~anna" != sound_key("ана")


def test_a_phone_typed_without_its_country_code_is_found(shop: Shop) -> None:
    shop.customer("Irina Volkova", phone="+79161234567", at=shop.kyiv)
    shop.customer("Taras Bondar", phone="+380671234567", at=shop.kyiv)

    for typed in ("9161234567", "916 123-45-67", "8 916 123 45 67", "+7 (916) 123-45-67"):
        assert names(shop, typed) == ["Irina Volkova"], typed
    for typed in ("671234567", "067 123 45 67", "+380 67 123 45 67", "380671234567"):
        assert names(shop, typed) == ["Taras Bondar"], typed


def test_part_of_an_email_finds_her_and_shows_who_she_is(shop: Shop) -> None:
    shop.customer("Anna Kovalenko", email="anna.kovalenko@example.com", at=shop.kyiv)
    shop.customer("Anna Kovalenko", email="a.kovalenko@work.example", at=shop.kyiv)

    assert names(shop, "anna.kov") == ["Anna Kovalenko"]
    assert names(shop, "A.KOVALENKO") == ["Anna Kovalenko"]
    assert names(shop, "Anna Kovalenko") == ["Anna Kovalenko", "Anna Kovalenko"]


def test_a_part_of_an_email_finds_nobody_at_another_location(shop: Shop) -> None:
    shop.customer("Anna Kovalenko", email="anna.kovalenko@example.com", at=shop.lviv)
    assert search_customers("anna.kov", shop.uow, an_agent(shop.kyiv)) == []
    assert search_customers("anna.kov", shop.uow, an_agent(shop.lviv)) != []
