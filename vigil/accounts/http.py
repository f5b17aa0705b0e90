"""The signed-in user of a page request, typed: one helper for every page view.

`LoginRequiredMiddleware` sends anonymous visitors to the login page before a view runs, and
the authentication backend turns a deactivated account into an anonymous one, so a view
always has a `User`. Should a view marked `login_not_required` ask anyway, it is refused.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import User


def user_of(request: HttpRequest) -> User:
    """The request's signed-in user; PermissionDenied (403) if there is none."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
