"""Demo escalations: refused or unanswered recommendations taken to the next level up."""

import datetime
import random

from django.utils import translation
from django.utils.translation import gettext as _

from vigil.recommendations.enums import Level, Source
from vigil.recommendations.forms.escalation import default_request
from vigil.recommendations.models import Recommendation
from vigil.reference.models import Agency

from .material import CLAIM_OF_STATE, ESCALATED_FROM, Context, S, higher, language_of, pick


def escalation_rows(
    originals: list[Recommendation], ctx: Context, base: int, share: float
) -> list[tuple[Recommendation, Recommendation]]:
    """A few individualised recommendations to the next level up, for refused or unanswered
    recommendations at least two years old: (new escalation, original)."""
    chosen: list[tuple[Recommendation, Agency, random.Random]] = []
    for rec in originals:
        if rec.state not in ESCALATED_FROM or rec.issued_on is None:
            continue
        if ctx.today.year - rec.issued_on.year < 2:
            continue
        rng = random.Random(f"{base}:escalate:{rec.external_ref}")  # noqa: S311 - demo data
        target = higher(rec.addressee, ctx)
        if target is not None and rng.random() < share:
            chosen.append((rec, target, rng))
    pairs: list[tuple[Recommendation, Recommendation]] = []
    for rec, target, rng in chosen:
        assert rec.issued_on is not None  # noqa: S101 (filtered above)
        issued_on = min(
            ctx.today - datetime.timedelta(days=1),
            rec.state_changed_on or rec.issued_on,
        ) + datetime.timedelta(days=rng.randint(0, 30))
        issued_on = min(issued_on, ctx.today - datetime.timedelta(days=1))
        state = pick(
            rng,
            {
                S.AWAITING_RESPONSE: 1,
                S.IN_IMPLEMENTATION: 3,
                S.IMPLEMENTED_CLAIMED: 4,
                S.NOT_ACCEPTED: 1,
            },
        )
        # In the language of the original, worded as the escalation form words it.
        with translation.override(language_of(rec.text)):
            source_document = _("Escalation of %(references)s") % {"references": rec.reference}
            text = default_request([rec])
        escalation = Recommendation(
            external_ref=f"DEMO-ESC-{rec.external_ref}",
            source=Source.ESCALATION,
            source_document=source_document,
            addressee=target,
            institution=rec.institution,
            theme=rec.theme,
            level=Level.SYSTEMIC,
            text=text,
            issued_on=issued_on,
            deadline=ctx.calendar.add_working_days(issued_on, 30),
            state=state,
            state_changed_on=issued_on,
            claimed_status=CLAIM_OF_STATE.get(state, ""),
            created_by=ctx.coordinator,
        )
        pairs.append((escalation, rec))
    return pairs
