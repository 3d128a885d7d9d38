"""SQL models. Articles live on disk; the database holds people, history and signals."""
from .agent import (FLAG_REASONS, LINK_SOURCES, TOKEN_SCOPES, ApiToken, ArticleFlag,
                    ArticleLink, OutboxMessage)
from .revision import Revision
from .signals import (FAILURES, CandidateQuery, DailyQueryCount, Deflection, SearchLog,
                      Vote)
from .suggestion import SuggestionDismissal, SuggestionRun
from .ticket import TICKET_CATEGORIES, TICKET_STATUSES, Ticket, TicketMessage
from .user import ROLES, User

__all__ = ["FAILURES", "FLAG_REASONS", "LINK_SOURCES", "ROLES", "TICKET_CATEGORIES",
           "TICKET_STATUSES", "TOKEN_SCOPES", "ApiToken", "ArticleFlag", "ArticleLink",
           "CandidateQuery", "DailyQueryCount", "Deflection", "OutboxMessage", "Revision",
           "SearchLog", "SuggestionDismissal", "SuggestionRun", "Ticket", "TicketMessage",
           "User", "Vote"]
