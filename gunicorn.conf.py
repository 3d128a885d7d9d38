"""gunicorn settings read from the working directory: access-log lines go through the
portal's redacting logger (queries masked, ticket tokens cut; see portal.web.access_log)."""
logger_class = "portal.web.access_log.RedactingGunicornLogger"
