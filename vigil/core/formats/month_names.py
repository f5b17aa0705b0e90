"""Month names inside a Kazakh date are written in lower case ("2 желтоқсан 2026 ж.").

Django's kk catalog capitalises the "alt. month" forms that the `E` date format uses
(DATE_FORMAT "j E Y ж."), so the project's catalog, which Django reads first, carries these
entries with the Kazakh spelling; the English texts here only put them into the catalog.
"""

from django.utils.translation import pgettext_lazy

MONTHS_IN_A_DATE = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
