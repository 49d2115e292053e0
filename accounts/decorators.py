"""Access rules as decorators, so that a view's rules are visible at a glance. What each role
may do is decided in one place: `accounts.permissions.can`."""

from functools import wraps

from flask import abort, request
from flask_login import current_user, login_required

from accounts.permissions import WRITE_OF, can, find_event
from accounts.states import Permission, Role

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def role_required(*roles: str):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def permission_required(action: Permission, *, event_arg: str | None = None):
    """The view needs `action` (on the event whose slug is the URL argument `event_arg`): 403
    when the role may not, 404 for an unknown event, 403 for an event out of the user's reach.
    A write (POST...) on a page that needs only reading needs the right to manage."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            needed = action
            if request.method not in SAFE_METHODS:
                needed = WRITE_OF.get(action, action)
            if not can(current_user, needed):
                abort(403)
            if event_arg is not None:
                event = find_event(kwargs[event_arg]) or abort(404)
                if not can(current_user, needed, event):
                    abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def require(action: Permission, event) -> None:
    """Inside a view whose record names its event (a sheet, an export): 403 out of reach."""
    if not can(current_user, action, event):
        abort(403)


def event_permission(action: Permission):
    """`permission_required(action)` on the event of the URL's `slug`."""
    return permission_required(action, event_arg="slug")


organiser_required = permission_required(Permission.MANAGE_TOUR)
staff_required = role_required(*Role.STAFF)  # pages that list only what the account may reach
jury_required = role_required(Role.JURY, Role.ORGANISER, Role.COORDINATOR)
