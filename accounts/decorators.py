"""Access rules as decorators, so that a view's rules are visible at a glance."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from accounts.states import Role


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


organiser_required = role_required(Role.ORGANISER)
jury_required = role_required(Role.JURY, Role.ORGANISER)
