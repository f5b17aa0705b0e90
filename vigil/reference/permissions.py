"""Who may read reference data: every active account. Nobody writes it through the site
(the data files and `seed_reference_data` do). Default is deny."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser


def can_view_reference_data(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)
