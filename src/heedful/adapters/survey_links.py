"""Survey links: a signed token naming one invitation, so it cannot be made for anyone else.

The signature (itsdangerous, the secret key, a salt of its own) only says the token is ours;
whether it may still be answered (one answer, before it expires) is the invitation's row's to
say, read against the injected clock, so a test can move time and a link expires on its date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from itsdangerous import BadSignature, URLSafeSerializer

from heedful.core.outreach.envelope import Composed, Composer
from heedful.core.outreach.templates import MessageTemplate

_SALT = "heedful.survey"


class SurveyLinkSigner:
    def __init__(self, secret: str, public_url: str) -> None:
        self._signer = URLSafeSerializer(secret, salt=_SALT)
        self._base = public_url.rstrip("/")

    def token(self, invitation_id: str) -> str:
        return str(self._signer.dumps(invitation_id))

    def link(self, invitation_id: str) -> str:
        return f"{self._base}/s/{self.token(invitation_id)}"

    def read(self, token: str) -> str | None:
        try:
            invitation_id = self._signer.loads(token)
        except (BadSignature, ValueError, TypeError):
            return None
        return invitation_id if isinstance(invitation_id, str) else None


class WithSurveyLinks:
    """A composer that signs the survey link into an invitation's message as it is written.

    The core queues the invitation's id; the signature is made here, at send time, so the core
    never holds the secret and a playbook can send a survey with nothing but the outbox.
    """

    def __init__(self, inner: Composer, signer: SurveyLinkSigner) -> None:
        self._inner = inner
        self._signer = signer

    def compose(
        self,
        template_key: str,
        languages: Sequence[str],
        context: Mapping[str, object],
        own: Sequence[MessageTemplate] = (),
    ) -> Composed:
        survey = context.get("survey")
        if isinstance(survey, Mapping) and survey.get("invitation_id"):
            signed = {**survey, "url": self._signer.link(str(survey["invitation_id"]))}
            context = {**context, "survey": signed}
        return self._inner.compose(template_key, languages, context, own)
