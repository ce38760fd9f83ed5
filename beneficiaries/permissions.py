from reintegration.models import User


def can_register(user: User) -> bool:
    """Coordinators open case files for their centre; administrators for any centre."""
    return user.is_coordinator or user.is_administrator


def can_export(user: User) -> bool:
    """Everyone who sees case files may export the ones they see (analysts never see them)."""
    return user.sees_case_files
