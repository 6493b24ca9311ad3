"""Refusals staff meet in the console's forms, by key: their words for people (ADR 0054).

A refusal's ``message`` stays English for programs; the phrase beside it (``said=``) is what
the console says in the staff member's language. The English here is the console's earlier
wording for each, so the catalogs' translations carry over: from ``refusal.choose_option`` on,
byte for byte the msgids of the pattern table ``console/messages.py`` kept until every refusal
it matched said its own phrase. A key names the refusal, not its words; a value a msgid names
(``%(value)s``) is a param of the phrase. Keys the playbook reader already has with the same
words are reused, not repeated (``refusal.number``, ``refusal.decimals``, ``refusal.currency``).
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention pybabel looks for
    return message


REFUSALS: dict[str, str] = {
    "refusal.customer_name": N_("Enter the customer's name."),
    "refusal.name_length": N_("A name is at most 200 characters."),
    "refusal.identity_value": N_("Enter a value."),
    "refusal.preference_subject": N_("Say what the preference is about."),
    "refusal.note_length": N_("A note is at most 1000 characters."),
    "refusal.preference_retracted": N_("This preference was already retracted."),
    "refusal.merge_itself": N_("A customer cannot be merged with itself."),
    "refusal.merge_undone": N_("This merge was already undone."),
    "refusal.promise_text": N_("Say what was promised."),
    "refusal.deadline_passed": N_("This deadline has already passed."),
    "refusal.cancel_reason": N_("Say why the promise is cancelled."),
    "refusal.task_done": N_("This task is already done."),
    "refusal.time": N_("Give the time as HH:MM."),
    "refusal.password_length": N_("A password is at least 8 characters."),
    # Forms in general, locations, customers and their contacts.
    "refusal.choose_option": N_("Choose one of the options."),
    "refusal.no_location": N_("This location does not exist."),
    "refusal.not_your_location": N_("You do not work at that location."),
    "refusal.customer_location": N_("Choose the location where the customer is known."),
    "refusal.identity_taken": N_(
        "This contact already belongs to another customer. Merge the two records, or ask"
        " an administrator to link that customer to your location."
    ),
    "refusal.hidden_character": N_(
        "This contains an invisible or direction-changing character (%(code)s). Type it"
        " again without it."
    ),
    "refusal.at_most_200": N_("At most 200 characters."),
    "refusal.date": N_("Give the date as YYYY-MM-DD."),
    "refusal.email": N_("%(value)s is not an e-mail address."),
    "refusal.phone": N_(
        "%(value)s is not a phone number with its country code, such as +7 916 123-45-67."
    ),
    "refusal.language": N_("Choose Russian, Ukrainian or English."),
    "refusal.time_zone": N_(
        "%(value)s is not a time zone. Use a name such as Europe/Moscow or Europe/Kyiv."
    ),
    "refusal.identity_gone": N_("This contact is no longer on the card."),
    "refusal.consent_how": N_("Say how the customer gave or withdrew consent."),
    "refusal.no_customer": N_("There is no such customer, or not at your locations."),
    "refusal.preference_length": N_("Keep it under 200 characters; put the details in the note."),
    "refusal.preference_gone": N_("This preference is no longer on the card."),
    "refusal.customer_merged": N_("That record was already merged into another."),
    "refusal.customer_erased": N_("That record was erased."),
    "refusal.merge_absorbed_gone": N_("The merged record is no longer there to restore."),
    "refusal.merge_survivor_changed": N_(
        "This record has since been merged or erased; undo that first."
    ),
    "refusal.no_merge": N_("There is no such merge."),
    "refusal.erasure_reason": N_(
        "Record why the customer is erased: their request, or a retention rule."
    ),
    "refusal.already_erased": N_("This customer was already erased."),
    # API tokens, promises, messages, tasks.
    "refusal.token_name": N_("Name the token after the system that will use it."),
    "refusal.token_locations": N_("A manager or front-line token needs at least one location."),
    "refusal.no_token": N_("There is no such token."),
    "refusal.product": N_("Say which product."),
    "refusal.promise_length": N_("A promise is at most 1000 characters."),
    "refusal.promise_deadline": N_("This kind of promise needs a deadline."),
    "refusal.deadline_format": N_("Give the deadline as a date and a time."),
    "refusal.promise_closed": N_("This promise is already closed."),
    "refusal.not_dead": N_("This message is no longer dead; it was already sent again."),
    "refusal.task_elsewhere": N_("This task is in someone else's queue."),
    "refusal.token_expiry": N_("Choose a day still to come."),
    # Setting up without a shell (ADR 0043): templates, contact rules, staff, SLA.
    "refusal.message_variable": N_(
        "This message has no %(name)s. Use a name from the list below the form."
    ),
    "refusal.quiet_hours_same": N_("Quiet hours must end at another time than they start."),
    "refusal.quiet_hours_both": N_("Give both ends of her quiet hours, or neither."),
    "refusal.channel_once": N_("Choose each channel at most once."),
    "refusal.give_whole_number": N_("Give a whole number."),
    "refusal.cap_range": N_("A cap is from 0 to 1000 messages."),
    "refusal.window_range": N_("A window is from 1 to 90 days."),
    "refusal.own_admin_role": N_("You cannot take your own admin role away."),
    "refusal.login_taken": N_("The login %(login)s is taken."),
    "refusal.staff_locations": N_(
        "Managers and front-line staff work at one or more locations: choose them."
    ),
    "refusal.opening_hours": N_(
        "Write opening hours like 09:00-18:00, several separated by commas."
    ),
    "refusal.country": N_("Give the country as two letters, such as UA or RU."),
    "refusal.location_name": N_("Give the location a name."),
    "refusal.name_required": N_("Give it a name."),
    "refusal.target_minutes": N_("A target is a positive number of minutes."),
    "refusal.template_syntax": N_("This cannot be read as a template: check the braces and tags."),
    "refusal.template_unknown_name": N_(
        "This uses a name the message does not have. Use a name from the list."
    ),
    "refusal.no_email_channel": N_("No e-mail channel is set up for sending."),
    # Goodwill (ADR 0041).
    "refusal.allowance_left_week": N_("Your allowance has %(left)s left this week."),
    "refusal.allowance_left_month": N_("Your allowance has %(left)s left this month."),
    "refusal.no_allowance": N_("You have no allowance for this here; ask a manager."),
    "refusal.spend_reason": N_("Say why."),
    "refusal.amount_positive": N_("The amount must be above zero."),
    "refusal.amount_number": N_("Give the amount as a number."),
    "refusal.items_whole": N_("Items are counted whole: 1, 2, 3."),
    "refusal.own_spend": N_("Another manager approves your own spend."),
    "refusal.spend_decided": N_("This spend was already decided."),
    "refusal.approval_threshold": N_("The approval threshold must be below the allowance."),
    "refusal.kind_name": N_("Name the new kind as staff will see it."),
    "refusal.kind_code": N_(
        "A kind is 2 to 40 lower-case Latin letters, digits or _, such as spa_voucher."
    ),
    # Dead letters; an evaluator's visit and its photos (ADR 0045).
    "refusal.unreadable_record": N_(
        "This version of Heedful cannot read this record. Discard it, or retry it after an upgrade."
    ),
    "refusal.answer_every_item": N_("Answer every item, or mark it not applicable."),
    "refusal.file_empty": N_("The file is empty."),
    "refusal.file_size": N_("The file is larger than 8 MB."),
    "refusal.file_type": N_("The file is not a JPEG, PNG, WebP or HEIC image."),
    # Capacity per service or room type (ADR 0055).
    "refusal.capacity_name": N_("Give a name of 1 to 60 characters."),
    "refusal.service_hours": N_("Give the service's hours, such as 12:00-16:00."),
    "refusal.room_type_hours": N_("A room type has no hours."),
    "refusal.service_twice": N_("Two services have the same name."),
    "refusal.service_overlap": N_(
        "Overlaps %(name)s: each reservation must belong to one service."
    ),
    "refusal.no_service": N_("The location has no service %(name)s."),
    "refusal.service_or_room": N_("Choose the service or room type."),
    "refusal.service_line": N_(
        "Write one service a line: its name, hours and tables, such as Lunch 12:00-16:00 8."
    ),
    "refusal.room_type_line": N_(
        "Write one room type a line: its name and rooms, such as Deluxe 20."
    ),
}
