"""What each app contributes to pages it does not own: menu entries, home blocks and sections
of another app's detail pages (e.g. the visits of a participant on the participant's page).

The shell (`vigil.site`) renders whatever is registered here; core and the shell know nothing of
the domain apps. Each app registers its entries in its `AppConfig.ready()` (see
`vigil/<app>/contributions.py`), so a new app plugs in without editing core or the site.
Who sees an entry or a block is decided by the contributing app's permission functions.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise


@dataclass(frozen=True)
class MenuEntry:
    """One item of the main menu; `visible(user)` decides whether the user gets it."""

    key: str
    label: str | Promise
    url_name: str
    order: int
    visible: Callable[[Any], bool]
    # Entries of one group (next to each other by `order`) show as one drop-down menu.
    group: str | Promise = ""


@dataclass(frozen=True)
class HomeBlock:
    """One block of the home page: `context(user)` gives the template's variables, or None to
    leave the block out for this user. `template` is included with those variables."""

    key: str
    template: str
    order: int
    context: Callable[[Any], Mapping[str, Any] | None]


@dataclass(frozen=True)
class PageSection:
    """A section of another app's detail page: `context(user, obj)` gives the template's
    variables, or None to leave the section out for this user and object."""

    key: str
    template: str
    order: int
    context: Callable[[Any, Any], Mapping[str, Any] | None]


@dataclass(frozen=True)
class RowBadges:
    """Badges another app puts on the rows of a list page (e.g. a flag on institutions):
    `badges(user, rows)` gives, for the rows of one page, {row's pk: [badge text, ...]}, in
    one query or a few whatever the page size."""

    key: str
    order: int
    badges: Callable[[Any, Sequence[Any]], Mapping[Any, Sequence[str | Promise]]]


@dataclass
class _Registry:
    menu: dict[str, MenuEntry] = field(default_factory=dict)
    home: dict[str, HomeBlock] = field(default_factory=dict)
    sections: dict[str, dict[str, PageSection]] = field(default_factory=dict)
    badges: dict[str, dict[str, RowBadges]] = field(default_factory=dict)


_registry = _Registry()


def register_menu_entry(entry: MenuEntry) -> None:
    known = _registry.menu.get(entry.key)
    if known is not None and known != entry:
        raise ImproperlyConfigured(f"Two menu entries named {entry.key!r}.")
    _registry.menu[entry.key] = entry


def register_home_block(block: HomeBlock) -> None:
    known = _registry.home.get(block.key)
    if known is not None and known != block:
        raise ImproperlyConfigured(f"Two home blocks named {block.key!r}.")
    _registry.home[block.key] = block


def register_page_section(page: str, section: PageSection) -> None:
    """Add `section` to the detail page named `page` (e.g. "people.participant")."""
    sections = _registry.sections.setdefault(page, {})
    known = sections.get(section.key)
    if known is not None and known != section:
        raise ImproperlyConfigured(f"Two sections named {section.key!r} on {page!r}.")
    sections[section.key] = section


def register_row_badges(page: str, badges: RowBadges) -> None:
    """Add `badges` to the rows of the list page named `page` (e.g. "registry.institutions")."""
    known_page = _registry.badges.setdefault(page, {})
    known = known_page.get(badges.key)
    if known is not None and known != badges:
        raise ImproperlyConfigured(f"Two row badges named {badges.key!r} on {page!r}.")
    known_page[badges.key] = badges


def row_badges(page: str, user: Any, rows: Sequence[Any]) -> dict[Any, list[str | Promise]]:
    """The badges `user` gets on these rows of `page`: {row's pk: [badge text, ...]}."""
    found: dict[Any, list[str | Promise]] = {}
    if not rows:
        return found
    for source in sorted(_registry.badges.get(page, {}).values(), key=lambda b: (b.order, b.key)):
        for pk, texts in source.badges(user, rows).items():
            found.setdefault(pk, []).extend(texts)
    return found


def menu_entries() -> list[MenuEntry]:
    return sorted(_registry.menu.values(), key=lambda entry: (entry.order, entry.key))


def home_blocks() -> list[HomeBlock]:
    return sorted(_registry.home.values(), key=lambda block: (block.order, block.key))


def page_sections(page: str, user: Any, obj: Any) -> tuple[dict[str, Any], list[str]]:
    """The sections of `page` that `user` gets for `obj`: their merged template variables and
    their templates in order (the page includes each template)."""
    context: dict[str, Any] = {}
    templates: list[str] = []
    for section in sorted(
        _registry.sections.get(page, {}).values(), key=lambda s: (s.order, s.key)
    ):
        section_context = section.context(user, obj)
        if section_context is not None:
            context.update(section_context)
            templates.append(section.template)
    return context, templates
