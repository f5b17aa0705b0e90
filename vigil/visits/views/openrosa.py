"""The OpenRosa server for ODK Collect and Enketo (docs/collect.md): `/openrosa/formList`,
the forms and their manifests, `/openrosa/submission`. Each request is authenticated with
the account's e-mail and a Collect app password (HTTP Basic; a 401 challenge otherwise) and
sees only the capture forms of the visits the account is on while checklists are filled
(`permissions.collect_visits_for`); any other form is a 404, as if it did not exist."""

from collections.abc import Iterator

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from vigil.accounts.models import User
from vigil.audit.context import RequestContext
from vigil.registry.models import Institution

from ..models import SubmissionSource, Visit
from ..openrosa.auth import collect_user
from ..openrosa.instance import InstanceError, read_instance
from ..openrosa.protocol import (
    ListedForm,
    challenge,
    envelope,
    form_list_xml,
    manifest_xml,
    openrosa_response,
)
from ..permissions import collect_visits_for
from ..selectors.checklists import template_for_institution
from ..services.submissions import submission_receive
from ..xlsform.capture import (
    CaptureForm,
    capture_form,
    capture_form_id,
    capture_title,
    parse_capture_form_id,
)

INSTANCE_PART = "xml_submission_file"


def _capture(visit: Visit, institution: Institution) -> CaptureForm | None:
    template = template_for_institution(institution)
    if template is None:
        return None
    title = capture_title(template, institution.name, visit.reference)
    form_id = capture_form_id(visit.public_id, institution.public_id)
    return capture_form(template, form_id=form_id, title=title)


def _forms_of(user: User) -> Iterator[tuple[Visit, Institution, CaptureForm]]:
    visits = collect_visits_for(user).prefetch_related("institutions__type").order_by("reference")
    for visit in visits:
        for institution in visit.institutions.all():
            form = _capture(visit, institution)
            if form is not None:
                yield visit, institution, form


def _form_of(user: User, form_id: str) -> tuple[Visit, Institution, CaptureForm] | None:
    ids = parse_capture_form_id(form_id)
    if ids is None:
        return None
    visit = collect_visits_for(user).filter(public_id=ids[0]).first()
    institution = visit.institutions.filter(public_id=ids[1]).first() if visit else None
    if visit is None or institution is None:
        return None
    form = _capture(visit, institution)
    return (visit, institution, form) if form else None


def _authenticated(view):  # type: ignore[no-untyped-def]
    """Basic auth with a Collect app password, else the 401 challenge."""

    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        user = collect_user(request)
        if user is None:
            return challenge(_("Sign in with your e-mail and an ODK Collect app password."))
        request.user = user
        return view(request, user, *args, **kwargs)  # type: ignore[no-any-return]

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_not_required(csrf_exempt(wrapped))


@require_safe
@_authenticated
def form_list(request: HttpRequest, user: User) -> HttpResponse:
    """The Form Discovery API: the capture forms of the user's visits (`?formID=` one)."""
    wanted = request.GET.get("formID")
    listed = []
    for visit, institution, form in _forms_of(user):
        if wanted and form.form_id != wanted:
            continue
        download = reverse("openrosa:form", args=[form.form_id])
        manifest = reverse("openrosa:manifest", args=[form.form_id])
        dates = visit.planned_start.isoformat()
        listed.append(
            ListedForm(
                form_id=form.form_id,
                name=form.title,
                version=form.version,
                md5=form.md5,
                description=" ".join(filter(None, [visit.reference, dates, institution.name])),
                download_url=request.build_absolute_uri(download),
                manifest_url=request.build_absolute_uri(manifest),
            )
        )
    return openrosa_response(form_list_xml(listed))


@require_safe
@_authenticated
def form_download(request: HttpRequest, user: User, form_id: str) -> HttpResponse:
    found = _form_of(user, form_id)
    if found is None:
        return openrosa_response(envelope(_("There is no such form for you.")), status=404)
    return openrosa_response(found[2].xform)


@require_safe
@_authenticated
def form_manifest(request: HttpRequest, user: User, form_id: str) -> HttpResponse:
    if _form_of(user, form_id) is None:
        return openrosa_response(envelope(_("There is no such form for you.")), status=404)
    return openrosa_response(manifest_xml())


def _error(message: str, status: int) -> HttpResponse:
    return openrosa_response(envelope(message, "submit_error"), status=status)


@require_http_methods(["HEAD", "POST"])
@_authenticated
def submission(request: HttpRequest, user: User) -> HttpResponse:
    """The Form Submission API: HEAD answers 204 (the device learns the size accepted and
    that its credentials work); POST is a multipart body with `xml_submission_file` and the
    photos it names. 201 for a new instance, 202 for one received before."""
    if request.method == "HEAD":
        return openrosa_response(status=204)
    part = request.FILES.get(INSTANCE_PART)
    if part is None:
        return _error(_("The submission has no form (xml_submission_file)."), 400)
    try:
        instance = read_instance(part.read())
    except InstanceError as exc:
        return _error(str(exc), 400)
    found = _form_of(user, instance.form_id)
    if found is None:
        return _error(
            _(
                "This form is not open to you: the visit is not yours, or its checklists are closed."
            ),
            403,
        )
    visit, institution, _form = found
    files: dict[str, File] = {  # type: ignore[type-arg]
        name: upload
        for name in request.FILES
        if name != INSTANCE_PART and isinstance(upload := request.FILES[name], File)
    }
    try:
        outcome = submission_receive(
            actor=user,
            visit=visit,
            institution=institution,
            instance=instance,
            source=SubmissionSource.OPENROSA,
            files=files,
            context=RequestContext.from_request(request),
        )
    except PermissionDenied as exc:
        return _error(str(exc) or _("You may not fill in checklists on this visit."), 403)
    except ValidationError as exc:
        problems = (
            [f"{k}: {'; '.join(v)}" for k, v in exc.message_dict.items()]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
        return _error(" ".join(problems), 400)
    record = outcome.submission
    if not outcome.created:
        return openrosa_response(
            envelope(_("This form was received before; nothing changed."), "submit_success"),
            status=202,
        )
    message = ngettext(
        "Received: %(count)d answer saved.",
        "Received: %(count)d answers saved.",
        record.answers_saved,
    ) % {"count": record.answers_saved}
    if record.conflicts:
        message += " " + ngettext(
            "%(count)d change was not applied: it was changed on Vigil meanwhile.",
            "%(count)d changes were not applied: they were changed on Vigil meanwhile.",
            len(record.conflicts),
        ) % {"count": len(record.conflicts)}
    response = openrosa_response(envelope(message, "submit_success"), status=201)
    response["Location"] = request.build_absolute_uri(reverse("openrosa:submission"))
    return response
