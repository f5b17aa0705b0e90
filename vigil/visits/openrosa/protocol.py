"""The OpenRosa 1.0 documents and headers (docs.getodk.org/openrosa): the form list
(Form Discovery API), the manifest (no media files), and the response envelope of the Form
Submission API. Every answer carries `X-OpenRosa-Version: 1.0`, a `Date`, and the largest
POST body accepted (`X-OpenRosa-Accept-Content-Length`): a device splits larger submissions."""

from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import http_date

VERSION = "1.0"
FORM_LIST_NS = "http://openrosa.org/xforms/xformsList"
MANIFEST_NS = "http://openrosa.org/xforms/xformsManifest"
RESPONSE_NS = "http://openrosa.org/http/response"
REALM = "Vigil"
XML = "text/xml; charset=utf-8"


@dataclass(frozen=True)
class ListedForm:
    form_id: str
    name: str
    version: str
    md5: str
    description: str
    download_url: str
    manifest_url: str


def max_body_bytes() -> int:
    return int(settings.VIGIL_ATTACHMENT_MAX_BYTES)


def openrosa_response(body: str = "", status: int = 200, content_type: str = XML) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["X-OpenRosa-Version"] = VERSION
    response["X-OpenRosa-Accept-Content-Length"] = str(max_body_bytes())
    response["Date"] = http_date()
    response["Cache-Control"] = "no-store"
    return response


def _element(name: str, text: str) -> str:
    return f"<{name}>{escape(text)}</{name}>"


def form_list_xml(forms: Iterable[ListedForm]) -> str:
    items = "".join(
        "<xform>"
        + _element("formID", form.form_id)
        + _element("name", form.name)
        + _element("version", form.version)
        + _element("hash", f"md5:{form.md5}")
        + _element("descriptionText", form.description)
        + _element("downloadUrl", form.download_url)
        + _element("manifestUrl", form.manifest_url)
        + "</xform>"
        for form in forms
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<xforms xmlns="{FORM_LIST_NS}">{items}</xforms>'
    )


def manifest_xml() -> str:
    """The capture forms use no media files: an empty manifest."""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<manifest xmlns="{MANIFEST_NS}"></manifest>'


def envelope(message: str, nature: str = "") -> str:
    """The response envelope a device shows its user (`nature`: submit_success, …)."""
    attribute = f" nature={quoteattr(nature)}" if nature else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<OpenRosaResponse xmlns="{RESPONSE_NS}">'
        f"<message{attribute}>{escape(message)}</message></OpenRosaResponse>"
    )


def challenge(message: str) -> HttpResponse:
    """401 asking for the account's e-mail and a Collect app password (HTTP Basic)."""
    response = openrosa_response(envelope(message), status=401)
    response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response
