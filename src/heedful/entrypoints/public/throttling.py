"""Rate limits at the public faces: who is knocking, which rules count it, and the 429.

The client is the address the connection came from. Behind a reverse proxy every request comes
from the proxy, so ``HEEDFUL_TRUSTED_PROXIES`` names the proxies whose ``X-Forwarded-For`` is
believed; never by default, since anyone can send that header. The rules and their windows are
in core/shared/throttle.py; the counts are in the database so every web worker shares them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from functools import lru_cache

from fastapi import Request
from fastapi.responses import JSONResponse

from heedful.bootstrap import Container
from heedful.config import Settings
from heedful.core.shared.throttle import Rule, Verdict, spend
from heedful.entrypoints.api.problems import problem

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
HOUR, MINUTE = 3600, 60


@lru_cache(maxsize=16)
def _networks(setting: str) -> tuple[Network, ...]:
    parts = (part.strip() for part in setting.split(","))
    return tuple(ipaddress.ip_network(part, strict=False) for part in parts if part)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: Request, trusted_proxies: str) -> str:
    """The connecting address; past trusted proxies, the nearest address they did not add."""
    peer = request.client.host if request.client is not None else ""
    networks = _networks(trusted_proxies)
    if not networks or not _trusted(peer, networks):
        return peer
    # X-Forwarded-For grows to the right, each proxy appending who called it: read from the
    # right and stop at the first address that is not one of ours (the left part is the
    # client's own say, which she can write anything into).
    headers = request.headers.getlist("x-forwarded-for")
    chain = [hop.strip() for value in headers for hop in value.split(",")]
    for hop in reversed([hop for hop in chain if hop]):
        if not _trusted(hop, networks):
            return hop
    return peer


def chat_start_rules(settings: Settings) -> tuple[Rule, Rule]:
    return (
        Rule("chat.start.address", settings.chats_per_address_per_hour, HOUR),
        Rule("chat.start.identity", settings.chats_per_identity_per_hour, HOUR),
    )


def chat_message_rules(settings: Settings) -> tuple[Rule, Rule]:
    return (
        Rule("chat.message.address", settings.chat_messages_per_address_per_minute, MINUTE),
        Rule("chat.message.visitor", settings.chat_messages_per_visitor_per_minute, MINUTE),
    )


def chat_read_rule(settings: Settings) -> Rule:
    return Rule("chat.read.address", settings.chat_reads_per_address_per_minute, MINUTE)


def survey_rules(settings: Settings) -> tuple[Rule, Rule]:
    return (
        Rule("survey.page.address", settings.survey_pages_per_address_per_minute, MINUTE),
        Rule("survey.answer.link", settings.survey_answers_per_link_per_hour, HOUR),
    )


def check(container: Container, asks: Sequence[tuple[Rule, str]]) -> Verdict:
    return spend(container.rate_limits(), asks, container.clock.now())


def too_many(verdict: Verdict) -> JSONResponse:
    return problem(
        429,
        f"too many requests; try again in {verdict.retry_after} seconds",
        headers={"Retry-After": str(verdict.retry_after)},
    )
