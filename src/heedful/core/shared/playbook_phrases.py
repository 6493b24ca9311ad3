"""The English of what a playbook's firing and dry-run say, by key (ADR 0054).

A firing keeps why it fired and what it did, and a dry-run says what it would do: staff read
both on the playbook's page in their own language, so each line is a phrase (ADR 0047), its
English here, its values the event's and the customer's. A comparison that held
("data.amount 1200 > 300") has no words to translate and stays as it is. Words inside the
sentences (a category, a segment, a kind of promise) reuse the console's labels for them, so
their translations already exist.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention pybabel looks for
    return message


PLAYBOOK_ENGLISH: dict[str, str] = {
    # Why a playbook fired for a customer: the conditions that held.
    "why.present": N_("%(field)s is present"),
    "why.absent": N_("%(field)s is absent"),
    "why.named": N_("named by the event"),
    "why.bought_at": N_("bought or stayed at %(location)s in the last %(days)s days"),
    "why.likes": N_("likes: %(subject)s (%(category)s)"),
    "why.dislikes": N_("dislikes: %(subject)s (%(category)s)"),
    "why.never": N_("never: %(subject)s (%(category)s)"),
    "why.fits_item": N_("%(liked)s (%(wished)s), which %(code)s fits"),
    "why.segment": N_("segment is %(segment)s"),
    "why.reads": N_("reads %(language)s"),
    "why.agreed": N_("agreed to %(purpose)s messages by %(channel)s"),
    "why.history": N_("purchases: %(purchases)s, visits: %(visits)s"),
    "why.history_here": N_("at the event's location, purchases: %(purchases)s, visits: %(visits)s"),
    "why.history_recent": N_(
        "in the last %(days)s days, purchases: %(purchases)s, visits: %(visits)s"
    ),
    "why.history_here_recent": N_(
        "at the event's location in the last %(days)s days, purchases: %(purchases)s,"
        " visits: %(visits)s"
    ),
    "why.branch": N_("branch %(name)s"),
    "why.no_branch": N_("no branch held"),
    "why.already_fired": N_("already fired live"),
    "why.tonight": N_("the night of %(day)s at %(location)s"),
    "why.ahead": N_("%(subject)s: %(reference)s, %(horizon)s"),
    # How far ahead a look-ahead playbook looks.
    "horizon.within": N_("within %(hours)s h"),
    "horizon.today": N_("today"),
    "horizon.tomorrow": N_("tomorrow"),
    "horizon.in_days": N_("in %(days)s days"),
    "horizon.before": N_("before %(time)s %(day)s"),
    # What a firing did.
    "did.task": N_("task %(id)s for %(who)s"),
    "did.message": N_("message %(id)s (%(template)s, %(purpose)s)"),
    "did.promise": N_("promise %(id)s (%(kind)s)"),
    "did.survey": N_("survey invitation %(id)s"),
    "did.no_survey": N_("no survey: %(why)s"),
    "did.kept": N_("kept %(ids)s"),
    "did.nothing_to_keep": N_("no open promise (%(kind)s) for %(reference)s"),
    "did.no_reference": N_("no %(field)s to close a promise (%(kind)s) by"),
    "did.tonight": N_("tonight's book"),
    # What a dry-run says a firing would do.
    "would.no_task": N_("no task: the customer is known at no location"),
    "would.task": N_("task “%(title)s” for %(who)s"),
    "would.task_due": N_("task “%(title)s” for %(who)s, due %(due)s"),
    "would.task_goodwill": N_("task “%(title)s” for %(who)s, goodwill up to %(goodwill)s"),
    "would.task_goodwill_due": N_(
        "task “%(title)s” for %(who)s, goodwill up to %(goodwill)s, due %(due)s"
    ),
    "would.message": N_("message %(template)s (%(purpose)s)"),
    "would.promise": N_("open a promise: %(kind)s"),
    "would.promise_due": N_("open a promise: %(kind)s, due %(due)s"),
    "would.survey": N_("send survey %(survey)s (if consent and the weekly cap allow)"),
    "would.hold": N_("hold %(count)s %(kind)s %(starts)s–%(until)s"),
    "would.keep": N_("keep the open promise (%(kind)s) %(reference)s"),
    "would.keep_unreferenced": N_("keep the open promise (%(kind)s): the event has no reference"),
    # To whom a task goes when no one by name.
    "who.managers": N_("the location's managers"),
    "who.agents": N_("the location's front-line staff"),
    "who.role": N_("the location's staff with the role %(role)s"),
    # Why a survey was not sent.
    "survey_skip.off": N_("the survey is switched off"),
    "survey_skip.elsewhere": N_("the survey is for another location"),
    "survey_skip.recently": N_("surveyed recently: no survey before %(next)s"),
    # Words inside the sentences above: the console's labels, so translated already.
    "channel.phone": N_("phone"),
    "purpose.surveys": N_("surveys"),
    "category.drink": N_("Drinks"),
    "category.food": N_("Food"),
    "category.room": N_("Room"),
    "category.size": N_("Sizes"),
    "category.brand": N_("Brands"),
    "category.product": N_("Products"),
    "category.seating": N_("Seating"),
    "category.communication": N_("Communication"),
    "category.service": N_("Service"),
    "category.other": N_("Other"),
    "segment.new": N_("New"),
    "segment.regular": N_("Regular"),
    "segment.vip": N_("VIP"),
    "segment.at_risk": N_("At risk"),
    "promise_kind.tell_when_available": N_("Tell when available"),
    "promise_kind.call_back": N_("Call back"),
    "promise_kind.reply_by": N_("Reply by a deadline"),
    "promise_kind.refund_by": N_("Refund by a deadline"),
    "promise_kind.deliver_by": N_("Deliver by a deadline"),
    "promise_kind.other": N_("Another promise"),
    "promise_kind.recover": N_("Win the customer back"),
    "hold_kind.tables": N_("tables"),
    "hold_kind.rooms": N_("rooms"),
    "subject.stays": N_("Stays, by arrival"),
    "subject.tables": N_("Table reservations"),
    "subject.orders": N_("Orders on their way"),
    "subject.charges": N_("Scheduled charges"),
    "subject.pickups": N_("Parcels at pick-up points"),
    "subject.tonight": N_("Tonight's book"),
}
