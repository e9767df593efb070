"""The one way code reads scoped rows (ADR-0003).

`visible_to` narrows any queryset of a `ScopedModel` to the administrative units where the actor holds a
role granting the permission; units are matched on their materialized path, so a role over a province
covers every commune inside it. `access_by_id` answers "not found" alike for a missing row and a row
outside the actor's scope, so URLs do not reveal which records exist (Zulip's `access_*_by_id`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet

from dean06.core.errors import NotFoundError, PermissionDeniedError
from dean06.core.models import RoleAssignment, ScopedModel
from dean06.core.roles import ROLE_PERMISSIONS, Permission

if TYPE_CHECKING:
    from dean06.core.models import User


def granted_unit_paths(actor: User | AnonymousUser, permission: Permission) -> list[str]:
    """Materialized paths of the units over which `actor` holds `permission` (cached per request)."""
    if not actor.is_authenticated or not actor.is_active:
        return []
    cache: dict[Permission, list[str]] = actor.__dict__.setdefault("_dean06_unit_paths", {})
    if permission not in cache:
        roles = [role for role, perms in ROLE_PERMISSIONS.items() if permission in perms]
        paths = (
            RoleAssignment.objects.filter(user_id=actor.pk, role__in=roles)
            .values_list("unit__path", flat=True)
            .distinct()
        )
        cache[permission] = sorted(set(paths))
    return cache[permission]


def has_permission(actor: User | AnonymousUser, permission: Permission) -> bool:
    """True if the actor holds `permission` over at least one unit."""
    return bool(granted_unit_paths(actor, permission))


def require_permission(actor: User | AnonymousUser, permission: Permission, *, unit_path: str = "") -> None:
    """Raise PermissionDeniedError unless the actor holds `permission` (over `unit_path`, if given)."""
    paths = granted_unit_paths(actor, permission)
    if not paths or (unit_path and not any(unit_path.startswith(path) for path in paths)):
        raise PermissionDeniedError()


def scope_path_of(model: type[Model]) -> str:
    path = getattr(model, "scope_path", "")
    if not issubclass(model, ScopedModel) or not path:
        raise ImproperlyConfigured(f"{model.__name__} is not a ScopedModel with a scope_path")
    return str(path)


def visible_to[M: Model](queryset: QuerySet[M], *, actor: User | AnonymousUser, permission: Permission) -> QuerySet[M]:
    """`queryset` narrowed to the rows inside the units where `actor` holds `permission`."""
    lookup = f"{scope_path_of(queryset.model)}__path__startswith"
    condition = Q()
    for path in granted_unit_paths(actor, permission):
        condition |= Q(**{lookup: path})
    if not condition:
        return queryset.none()
    return queryset.filter(condition)


def access_by_id[M: Model](queryset: QuerySet[M], *, actor: User | AnonymousUser, permission: Permission, pk: Any) -> M:
    """One row by primary key, or NotFoundError whether it is missing or outside the actor's scope."""
    if not has_permission(actor, permission):
        raise PermissionDeniedError()
    try:
        return visible_to(queryset, actor=actor, permission=permission).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise NotFoundError() from exc
