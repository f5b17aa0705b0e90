"""The participants list (`vigil.core.listing`): the page and its export.

The export is the list's people as the page shows them (name, e-mail, profession, region,
organisation, accreditation, whether the account is active), with codes for references and
ISO dates. Notes, training and declared conflicts of interest stay on each participant's
page.
"""

from collections.abc import Sequence

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from vigil.accounts.models import User
from vigil.core.listing import Column, Filtered, Listing, from_filterset

from .models import Participant
from .permissions import can_list_participants
from .selectors import participant_listing

PARTICIPANT_COLUMNS: tuple[Column[Participant], ...] = (
    Column("full_name", lambda p: p.user.full_name),
    Column("email", lambda p: p.user.email),
    Column("profession", lambda p: p.profession),
    Column("region", lambda p: p.region.code if p.region else ""),
    Column("organisation", lambda p: p.organisation),
    Column("accredited_from", lambda p: p.accredited_from),
    Column("accredited_to", lambda p: p.accredited_to),
    Column("active", lambda p: p.user.is_active),
)


class ParticipantListing(Listing[Participant]):
    name = "participants"
    count_label = ngettext_lazy("%(count)s participant", "%(count)s participants", "n")

    def allowed(self, user: User) -> bool:
        return can_list_participants(user)

    def filtered(self, user: User, params: QueryDict) -> Filtered[Participant]:
        return from_filterset(participant_listing(user, params), params)

    def columns(self, user: User) -> Sequence[Column[Participant]]:
        return PARTICIPANT_COLUMNS

    def export_note(self, user: User) -> str | None:
        return _("Notes, training and declared conflicts of interest are not exported.")


PARTICIPANT_LIST = ParticipantListing()
