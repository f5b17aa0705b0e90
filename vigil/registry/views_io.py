# Import/export views: being written (helper).
from django.http import Http404


def institution_export(request, fmt):  # type: ignore[no-untyped-def]
    raise Http404


def import_upload(request):  # type: ignore[no-untyped-def]
    raise Http404


def import_template(request, fmt):  # type: ignore[no-untyped-def]
    raise Http404


def import_preview(request, public_id):  # type: ignore[no-untyped-def]
    raise Http404
