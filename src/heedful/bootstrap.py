"""The composition root: builds adapters from Settings and hands them to the entry points."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import structlog
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from heedful.adapters.channels.composer import JinjaComposer
from heedful.adapters.channels.senders import ChannelSettings, build_senders, close_senders
from heedful.adapters.clock import SystemClock
from heedful.adapters.generated_secrets import data_dir_for, kept_secrets
from heedful.adapters.storage.engine import make_engine
from heedful.adapters.storage.migrate import upgrade
from heedful.adapters.storage.queue_statistics import QueueStatistics
from heedful.adapters.storage.throttle_rows import SqlRateLimits
from heedful.adapters.storage.unit_of_work import SqlUnitOfWork
from heedful.adapters.survey_links import SurveyLinkSigner, WithSurveyLinks
from heedful.adapters.text import LazyReader
from heedful.adapters.unsubscribe import UnsubscribeLinks
from heedful.config import SECRET_SETTINGS, Settings
from heedful.core.conversations.reply_templates import REPLY_TEMPLATES
from heedful.core.engine.relay import RELAY_BATCH, Relay
from heedful.core.engine.write_budget import CLAIM_MOST
from heedful.core.events.registering import refresh_custom_types
from heedful.core.feedback.message_templates import SURVEY_TEMPLATES
from heedful.core.feedback.reading import CommentReader
from heedful.core.outreach.default_templates import DEFAULT_TEMPLATES
from heedful.core.outreach.templates import MessageTemplate
from heedful.core.playbooks.message_templates import PLAYBOOK_TEMPLATES
from heedful.core.shared.clock import Clock
from heedful.core.shared.throttle import RateLimits
from heedful.core.unit_of_work import UnitOfWork

log = structlog.get_logger("heedful.bootstrap")
# How stale another process's view of the event vocabulary may be after a change (ADR 0042).
EVENT_TYPES_CHECK_SECONDS = 5.0


@dataclass
class Container:
    settings: Settings
    engine: Engine
    clock: Clock
    uow_factory: Callable[[], UnitOfWork] = field(repr=False)
    relay: Relay = field(repr=False)
    unsubscribe: UnsubscribeLinks = field(repr=False)
    survey_links: SurveyLinkSigner = field(repr=False)
    # Set when new events are stored, so an in-process worker reacts now rather than at its
    # next poll.
    wake: threading.Event = field(default_factory=threading.Event, repr=False)
    # Reads survey comments (the text model, loaded on the first); None: answers are stored unread.
    comment_reader: CommentReader | None = field(default=None, repr=False)
    # The built-in message templates, which a business's own wording replaces per language.
    built_in_templates: tuple[MessageTemplate, ...] = field(default=(), repr=False)

    # How many events this process's worker claims for its next batch (ADR 60, ``next_claim``).
    event_claim: int = field(default=CLAIM_MOST, repr=False)
    # How many messages its relay claims for its next batch (ADR 76, ``next_batch``).
    relay_claim: int = field(default=RELAY_BATCH, repr=False)
    # Set by a job of the worker's pass that left work behind (a full claim): the loop goes
    # again at once instead of letting a trickle gather (ADR 85).
    work_left: bool = field(default=False, repr=False)
    # Reads the inbox's and the outbox's statistics again when this worker falls behind (ADR 86);
    # None: a store without kept plans to mend (a test's fake).
    queue_statistics: QueueStatistics | None = field(default=None, repr=False)
    # When this process last asked whether the business's event types changed (monotonic s).
    event_types_checked: float | None = field(default=None, repr=False)

    # Read paths' units of work (ADR 70); None: the writing ones serve reads too (a test's fake).
    reader_factory: Callable[[], UnitOfWork] | None = field(default=None, repr=False)

    def uow(self, *, read_only: bool = False) -> UnitOfWork:
        """``read_only``: a read path's (the card, a list, a search, a GET). On SQLite it reads
        beside the worker's write instead of waiting for the write lock; a write in it fails."""
        if read_only and self.reader_factory is not None:
            return self.reader_factory()
        return self.uow_factory()

    def know_event_types(self) -> None:
        """Hold the business's own event types as stored (ADR 0042); asked at most every few
        seconds, one small query, so a type registered by another process is known soon after.

        A database not migrated yet has no such table: its types are simply none yet.
        """
        now = time.monotonic()
        checked = self.event_types_checked
        if checked is not None and now - checked < EVENT_TYPES_CHECK_SECONDS:
            return
        self.event_types_checked = now
        try:
            refresh_custom_types(self.uow(read_only=True))
        except SQLAlchemyError:
            log.warning("event types not read", exc_info=True)

    def rate_limits(self) -> RateLimits:
        """The public faces' rate-limit windows, shared by every process through the database."""
        return SqlRateLimits(self.engine)

    def close(self) -> None:
        close_senders(dict(self.relay.senders))
        self.engine.dispose()


def build(
    settings: Settings | None = None, *, clock: Clock | None = None, migrate: bool = False
) -> Container:
    settings = with_secrets(settings or Settings())
    if migrate:
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    clock = clock or SystemClock()
    unsubscribe = UnsubscribeLinks(settings.secret_key, settings.public_url)
    survey_links = SurveyLinkSigner(settings.secret_key, settings.public_url)
    templates = (*DEFAULT_TEMPLATES, *PLAYBOOK_TEMPLATES, *SURVEY_TEMPLATES, *REPLY_TEMPLATES)
    relay = Relay(
        senders=build_senders(_channel_settings(settings), clock),
        composer=WithSurveyLinks(JinjaComposer(templates), survey_links),
        unsubscribe_link=unsubscribe.link,
    )
    return Container(
        settings=settings,
        engine=engine,
        clock=clock,
        uow_factory=lambda: SqlUnitOfWork(engine),
        reader_factory=lambda: SqlUnitOfWork(engine, read_only=True),
        relay=relay,
        unsubscribe=unsubscribe,
        survey_links=survey_links,
        # Loads the text model on the first comment, not here: most processes never read one.
        comment_reader=LazyReader(),
        built_in_templates=templates,
        queue_statistics=QueueStatistics(engine),
    )


def with_secrets(settings: Settings) -> Settings:
    """Settings whose secrets are all set: development ones left empty are generated and kept."""
    unset = [name for name in SECRET_SETTINGS if not getattr(settings, name)]
    if not unset:
        return settings
    # Settings refuses empty secrets outside development, so only development gets here.
    directory = data_dir_for(settings.data_dir, settings.database_url)
    return settings.model_copy(update=kept_secrets(directory, unset))


def _channel_settings(settings: Settings) -> ChannelSettings:
    return ChannelSettings(
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        smtp_starttls=settings.smtp_starttls,
        smtp_username=settings.smtp_username,
        smtp_password=settings.smtp_password,
        mail_from=settings.mail_from,
        mail_domain=settings.mail_domain,
        sms_webhook_url=settings.sms_webhook_url,
        messenger_webhook_url=settings.messenger_webhook_url,
        webhooks=settings.webhook_channels,
        webhook_secret=settings.webhook_secret,
    )
