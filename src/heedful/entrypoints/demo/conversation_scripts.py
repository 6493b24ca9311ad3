"""The demo's conversations as scripts: who writes, where, in which language, and what follows.

A dozen threads across the four locations, by e-mail and chat, in Ukrainian, Russian and English,
chosen so that the inbox shows every state an agent meets: one about to breach, one breached, one
waiting on the customer, resolved ones, one with an internal note and an assignment, one where
the customer wrote again after our answer (a next-response clock), and fresh ones still running.

Offsets are wall-clock time after the thread's first message. Where a state depends on business
time (about to breach, breached), the first message is placed from the location's own calendar at
load time instead (``Start.due_in``), so the state holds whatever hour the demo is loaded at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from heedful.core.conversations.model import Channel, ThreadStatus

from .data import BANK, BOUTIQUE, HOTEL, RESTAURANT
from .stories import BANK_VIP, SPARKLING_WATER_GUEST, StoryCustomer

EMAIL, CHAT = Channel.EMAIL, Channel.CHAT
WAITING, RESOLVED = ThreadStatus.WAITING_ON_CUSTOMER, ThreadStatus.RESOLVED


@dataclass(frozen=True)
class Start:
    """When the first message came: ``ago`` on the wall clock, or so that the first-response
    clock is due ``due_in`` after the demo's now (negative: breached that long ago)."""

    ago: timedelta | None = None
    due_in: timedelta | None = None


@dataclass(frozen=True)
class Write:
    text: str  # the customer writes again (an e-mail answers our last reply)


@dataclass(frozen=True)
class Answer:
    login: str
    text: str


@dataclass(frozen=True)
class Note:
    login: str
    text: str


@dataclass(frozen=True)
class Assign:
    login: str  # who assigns
    assignee: str | None  # a staff login
    team: str | None  # a team key of TEAMS


@dataclass(frozen=True)
class SetStatus:
    login: str
    status: ThreadStatus


Step = Write | Answer | Note | Assign | SetStatus


@dataclass(frozen=True)
class Script:
    key: str
    location: str
    channel: Channel
    language: str
    subject: str  # an e-mail's subject; a chat is named by its first words
    first: str  # the first message
    start: Start
    steps: tuple[tuple[timedelta, Step], ...] = ()
    story: StoryCustomer | None = None  # a named customer of the seeds' stories
    vip: bool = False  # pick a VIP customer of the location (their stricter policy applies)


@dataclass(frozen=True)
class TeamSpec:
    key: str
    name: str
    location: str
    members: tuple[str, ...]  # staff logins


TEAMS = (
    TeamSpec("front-desk", "Front desk", HOTEL, ("pavel.kuznetsov", "olivia.grant")),
    TeamSpec("private-banking", "Private banking", BANK, ("yurii.bondar", "iryna.tkachenko")),
)


def _m(minutes: float) -> timedelta:
    return timedelta(minutes=minutes)


def _h(hours: float) -> timedelta:
    return timedelta(hours=hours)


# fmt: off
SCRIPTS: tuple[Script, ...] = (
    Script(
        "transfer-near-breach", HOTEL, EMAIL, "ru", "Трансфер из Шереметьево",
        "Здравствуйте! Прилетаю завтра в 23:40 рейсом SU 1403. Можно ли заказать трансфер "
        "из Шереметьево до отеля? Нас двое, один большой чемодан.",
        Start(due_in=_m(12)),
    ),
    Script(
        "card-blocked-breached", BANK, EMAIL, "uk", "Картку заблоковано за кордоном",
        "Добрий день. Я у Варшаві, картку заблокували під час оплати в готелі. Що робити? "
        "Потрібно розрахуватися сьогодні.",
        Start(due_in=-_h(3)),
    ),
    Script(
        "dress-waiting", BOUTIQUE, EMAIL, "uk", "Сукня Amaro, розмір 38",
        "Вітаю! Чи є у вас сукня Amaro темно-синя в розмірі 38? Хочу приміряти в суботу.",
        Start(ago=_h(27)),
        (
            (_m(40), Answer("daryna.koval",
                            "Доброго дня! Так, 38 є, відклали для вас до суботи. Підкажіть, "
                            "будь ласка, о котрій вам зручно прийти на примірку?")),
            (_m(41), SetStatus("daryna.koval", WAITING)),
        ),
    ),
    Script(
        "table-resolved", RESTAURANT, CHAT, "en", "Table for four tonight",
        "Hi! Do you have a table for four tonight at 8pm? Ideally by the window.",
        Start(ago=_h(50)),
        (
            (_m(2), Answer("sofiia.lysenko",
                           "Good evening! Yes, a window table for four at 20:00 is yours. "
                           "May I have a name for the booking?")),
            (_m(4), Write("Grant, thank you!")),
            (_m(5), Answer("sofiia.lysenko", "Booked for Grant at 20:00. See you tonight!")),
            (_m(6), SetStatus("sofiia.lysenko", RESOLVED)),
        ),
    ),
    Script(
        "limit-note-assigned", BANK, EMAIL, "uk", "Ліміт на картці перед поїздкою",
        "Пане Юрію, добрий день. Наступного тижня лечу до Відня, планую великі покупки. "
        "Чи можна тимчасово підняти ліміт на картці?",
        Start(ago=_m(50)), (
            (_m(8), Assign("iryna.tkachenko", "yurii.bondar", "private-banking")),
            (_m(10), Note("iryna.tkachenko",
                          "VIP-клієнт. Ліміт піднімаємо лише після дзвінка: зателефонуйте "
                          "сьогодні й запропонуйте підняти до кінця поїздки (як у історії з "
                          "відхиленою оплатою).")),
            (_m(25), Answer("yurii.bondar",
                            "Андрію, доброго дня! Зателефоную вам сьогодні до 17:00, щоб "
                            "погодити новий ліміт на час поїздки.")),
        ),
        story=BANK_VIP,
    ),
    Script(
        "late-checkout-next", HOTEL, EMAIL, "en", "Late check-out on Sunday",
        "Hello, we are in room 512 until Sunday. Could we have a late check-out?",
        Start(ago=_h(6)),
        (
            (_m(25), Answer("olivia.grant",
                            "Dear guest, we can offer a late check-out until 14:00 at no charge. "
                            "Would that suit you?")),
            (_h(5), Write("Thank you! Could it be 16:00? Our flight is only at 21:00.")),
        ),
    ),
    Script(
        "selene-chat-new", BOUTIQUE, CHAT, "ru", "Отложить сумку Selene",
        "Здравствуйте! Сумку Selene в чёрном можно отложить до субботы?",
        Start(ago=_m(2)),
    ),
    Script(
        "flowers-resolved", HOTEL, CHAT, "ru", "Цветы в номер",
        "Добрый вечер! Можно заказать букет в номер к 19:00? У жены день рождения.",
        Start(ago=_h(29)),
        (
            (_m(2), Answer("pavel.kuznetsov",
                           "Добрый вечер! Конечно: пионы или розы? Поставим в номер к 18:45.")),
            (_m(4), Write("Пионы, спасибо большое!")),
            (_m(5), Answer("pavel.kuznetsov", "Будут пионы к 18:45. Поздравляем!")),
            (_m(6), SetStatus("pavel.kuznetsov", RESOLVED)),
        ),
    ),
    Script(
        "banquet-open", RESTAURANT, EMAIL, "uk", "Банкет на 20 осіб, 12 грудня",
        "Доброго дня! Хочемо зробити корпоратив на 20 осіб 12 грудня ввечері. Надішліть, "
        "будь ласка, банкетне меню і умови.",
        Start(ago=_h(20)),
        (
            (_h(1), Answer("taras.hnatyshyn",
                           "Доброго дня! Дякуємо, що обрали нас. Надсилаю банкетне меню; 12 "
                           "грудня зала вільна. Підтвердимо бронь після вашого вибору страв.")),
        ),
    ),
    Script(
        "vat-refund-resolved", BOUTIQUE, EMAIL, "en", "Tax-free form for my purchase",
        "Hello, I bought a coat on Saturday and forgot the tax-free form. Can you send it?",
        Start(ago=_h(75)),
        (
            (_h(2), Answer("artem.bondarenko",
                           "Good afternoon! The form is attached; please show it at the "
                           "airport with the receipt.")),
            (_h(24), Write("Got it, thank you very much!")),
            (_h(25), SetStatus("artem.bondarenko", RESOLVED)),
        ),
    ),
    Script(
        "terrace-dog-waiting", RESTAURANT, CHAT, "uk", "Тераса з собакою",
        "Привіт! Чи можна прийти на терасу з собакою? Вона невелика і спокійна.",
        Start(ago=_h(4)),
        (
            (_m(3), Answer("sofiia.lysenko",
                           "Вітаємо! Так, на терасі з собаками можна, принесемо мисочку з "
                           "водою. На котру годину вас чекати?")),
            (_m(4), SetStatus("sofiia.lysenko", WAITING)),
        ),
    ),
    Script(
        "arrival-chat-team", HOTEL, CHAT, "ru", "Приезд в пятницу",
        "Добрый день, приезжаю в пятницу на три ночи, бронь на Соколова.",
        Start(ago=_h(3)),
        (
            # A VIP on chat: two minutes to a first answer, five to the next.
            (_m(1), Answer("pavel.kuznetsov",
                           "Виктор, рады вас снова видеть! Мини-бар подготовим без газированной "
                           "воды, как вы просили.")),
            (_m(3), Assign("elena.vorontsova", "pavel.kuznetsov", "front-desk")),
            (_m(5), Write("Отлично, спасибо. И номер повыше, если можно.")),
            (_m(7), Answer("pavel.kuznetsov", "Конечно: отметили номер на верхнем этаже.")),
        ),
        story=SPARKLING_WATER_GUEST,
    ),
)
# fmt: on
