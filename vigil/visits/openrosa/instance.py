"""A filled capture form as data: what a device sends (an XForm instance) or a row of an
export of submissions, read into one shape that `services.submissions` saves."""

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from django.utils.translation import gettext as _

from ..xlsform.capture import FINDINGS, PHOTOS

MAX_INSTANCE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class FindingEntry:
    theme: str
    severity: str
    title: str
    description: str
    photo: str = ""


@dataclass(frozen=True)
class PhotoEntry:
    photo: str
    description: str = ""


@dataclass(frozen=True)
class SubmittedInstance:
    """`answers` by the question's name in the form (`xlsform.format.xml_name` of its code),
    as the form writes them: "yes", "a c" for several options, "12", a text."""

    form_id: str
    instance_id: str
    deprecated_id: str = ""
    form_version: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    findings: list[FindingEntry] = field(default_factory=list)
    photos: list[PhotoEntry] = field(default_factory=list)

    @property
    def files(self) -> set[str]:
        """The names of the files the instance refers to."""
        return {f.photo for f in self.findings if f.photo} | {p.photo for p in self.photos}


class InstanceError(ValueError):
    """An instance that cannot be read; the message says why, for the device's user."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: Element) -> str:
    return (element.text or "").strip()


def _children(element: Element) -> dict[str, str]:
    return {_local(child.tag): _text(child) for child in element if len(child) == 0}


def read_instance(content: bytes) -> SubmittedInstance:
    """The instance an OpenRosa submission carries (`xml_submission_file`)."""
    if len(content) > MAX_INSTANCE_BYTES:
        raise InstanceError(_("The submitted form is too large."))
    try:
        root = ElementTree.fromstring(content, forbid_dtd=True)
    except Exception:  # defusedxml raises ParseError and its own refusals
        raise InstanceError(_("The submitted form is not well-formed XML.")) from None
    form_id = root.get("id") or ""
    if not form_id:
        raise InstanceError(_("The submitted form does not say which form it is (no id)."))
    meta: dict[str, str] = {}
    answers: dict[str, str] = {}
    findings: list[FindingEntry] = []
    photos: list[PhotoEntry] = []

    def walk(element: Element) -> None:
        for child in element:
            name = _local(child.tag)
            if name == "meta":
                meta.update(_children(child))
            elif name == FINDINGS:
                values = _children(child)
                if any(values.values()):
                    findings.append(
                        FindingEntry(
                            **{k: values.get(k, "") for k in FindingEntry.__dataclass_fields__}
                        )
                    )
            elif name == PHOTOS:
                values = _children(child)
                if values.get("photo"):
                    photos.append(
                        PhotoEntry(photo=values["photo"], description=values.get("description", ""))
                    )
            elif len(child):
                walk(child)
            else:
                answers[name] = _text(child)

    walk(root)
    instance_id = meta.get("instanceID") or root.get("instanceID") or ""
    if not instance_id:
        raise InstanceError(_("The submitted form has no instance id (meta/instanceID)."))
    return SubmittedInstance(
        form_id=form_id,
        instance_id=instance_id,
        deprecated_id=meta.get("deprecatedID", ""),
        form_version=root.get("version") or "",
        answers=answers,
        findings=findings,
        photos=photos,
    )
