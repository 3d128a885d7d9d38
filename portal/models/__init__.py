"""SQL models. Articles live on disk; the database holds people, history and signals."""
from .revision import Revision
from .user import ROLES, User

__all__ = ["ROLES", "Revision", "User"]
