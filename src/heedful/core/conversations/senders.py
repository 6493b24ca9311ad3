"""Whether the sender of a chat or an e-mail is who the customer card says.

Anyone can type a customer's address into the chat, or put it in an e-mail's From. Such a thread
is filed on her card as "unverified sender" until one of these shows the address is really
theirs:

- the e-mail answers a message we sent to that address (its In-Reply-To or References name our
  Message-ID): only someone who received our mail knows it;
- the receiving mail server checked the sender and said so in an Authentication-Results header
  (RFC 8601) under its own name (``inbound_authserv_id``): DKIM passed for the From domain, or
  SPF passed for an envelope sender in the From domain. Heedful checks no signatures itself, and
  believes no such header unless the server that wrote it is the one configured;
- a staff member accepts the thread (an audited action in the console or the API).

An e-mail from an address no customer has yet is a first contact: there is no one to pretend
to be, so it is filed as verified. A chat proves nothing: every new chat starts unverified.

An unverified thread has its SLA clocks (the inbox still sorts it by what is due) but no reply
promise: flooding the chat must not drag the promise-kept rate down. Once verified or accepted,
the reply still owed becomes a promise, due when the first-response clock is due. Its clocks
warn and breach (the inbox shows it) without paging anyone until then, and the responsiveness
report leaves them out until staff accept or answer her (ADR 0029); acceptance tells the
manager of a breach she already suffered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from heedful.core.access import Actor, Permission
from heedful.core.conversations.access import load_thread
from heedful.core.conversations.model import Direction, Thread, ThreadMessage
from heedful.core.customers import audit
from heedful.core.shared.clock import Clock
from heedful.core.sla import ThreadClocks, tell_breaches_on_acceptance
from heedful.core.unit_of_work import UnitOfWork

MAX_AUTHENTICATION = 500  # what is kept of the receiving server's header


class SenderProof(StrEnum):
    FIRST_CONTACT = "first_contact"  # no customer had this address: nobody to pretend to be
    REPLY = "reply"  # answers a message we sent to this address
    DKIM = "dkim"  # the receiving server: DKIM pass for the From domain
    SPF = "spf"  # the receiving server: SPF pass for an envelope sender in the From domain
    STAFF = "staff"  # a staff member accepted the thread


@dataclass(frozen=True)
class MailCheck:
    """What the receiving server said of one e-mail, as far as Heedful believes it."""

    proof: SenderProof | None
    authentication: str  # the trusted Authentication-Results, kept on the message; "" if none


_COMMENT = re.compile(r"\([^()]*\)")


def _domain(address: str) -> str:
    return address.rpartition("@")[2].strip().strip(">").lower().rstrip(".")


def _aligned(domain: str, from_domain: str) -> bool:
    # Relaxed alignment, as DMARC has it: mail from shop.example.com signed by example.com.
    return bool(domain) and (from_domain == domain or from_domain.endswith(f".{domain}"))


def check_mail(
    from_address: str, authentication_results: Iterable[str], trusted_authserv_id: str
) -> MailCheck:
    """DKIM or SPF pass for the From domain, as said by the trusted receiving server."""
    trusted = trusted_authserv_id.strip().lower()
    from_domain = _domain(from_address)
    if not trusted or not from_domain:
        return MailCheck(None, "")
    for header in authentication_results:
        text = " ".join(_COMMENT.sub(" ", header).split())
        parts = [part.strip() for part in text.split(";")]
        if not parts or not parts[0] or parts[0].split()[0].lower() != trusted:
            continue  # written by someone else, perhaps the sender: not believed
        kept = " ".join(header.split())[:MAX_AUTHENTICATION]
        for part in parts[1:]:
            proof = _result_proof(part, from_domain)
            if proof is not None:
                return MailCheck(proof, kept)
        return MailCheck(None, kept)
    return MailCheck(None, "")


def _result_proof(result: str, from_domain: str) -> SenderProof | None:
    words = result.split()
    if not words or "=" not in words[0]:
        return None
    method, _, outcome = words[0].lower().partition("=")
    properties = dict(w.lower().partition("=")[::2] for w in words[1:] if "=" in w)
    if outcome != "pass":
        return None
    if method == "dkim" and _aligned(_domain(properties.get("header.d", "")), from_domain):
        return SenderProof.DKIM
    if method == "spf" and _aligned(_domain(properties.get("smtp.mailfrom", "")), from_domain):
        return SenderProof.SPF
    return None


def answers_our_mail(from_address: str, ours: Sequence[ThreadMessage]) -> bool:
    """Whether one of the messages it names is ours, sent to the address it comes from."""
    address = from_address.strip().lower()
    return any(m.direction is Direction.OUT and m.address.lower() == address for m in ours)


def verify(uow: UnitOfWork, thread: Thread, proof: SenderProof, at: datetime) -> None:
    """Marks the sender verified; the reply still owed becomes a promise in the ledger."""
    thread.sender_verified, thread.sender_proof = True, proof.value
    clocks = ThreadClocks(uow, thread)
    clocks.sender_verified(at)
    tell_breaches_on_acceptance(uow, clocks, at)
    uow.threads.update(thread)


def accept_sender(thread_id: str, uow: UnitOfWork, clock: Clock, actor: Actor) -> Thread:
    """A staff member vouches for the sender: the thread counts like any other from now on."""
    actor.require(Permission.ANSWER_CONVERSATIONS)
    now = clock.now()
    with uow:
        thread = load_thread(uow, actor, thread_id, for_change=True)
        if thread.sender_verified:
            return thread  # accepting twice (two staff at once, a retried click) changes nothing
        verify(uow, thread, SenderProof.STAFF, now)
        audit(
            uow,
            actor,
            now,
            "conversation.sender_accepted",
            customer_id=thread.customer_id,
            entity="conversation",
            entity_id=thread.id,
            before={"sender_verified": False},
            after={"sender_verified": True, "sender_proof": SenderProof.STAFF.value},
        )
        uow.commit()
    return thread
