"""gunicorn settings read from the working directory: access-log lines go through a
logger that masks query values and cuts ticket tokens (see portal.web.access_log)."""
from gunicorn.glogging import Logger

from portal.web.access_log import URL_ATOMS, redact


class RedactingLogger(Logger):
    """gunicorn's logger with every URL-bearing access-log atom redacted."""

    def atoms(self, resp, req, environ, request_time):
        """The standard atoms, URL parts redacted."""
        atoms = super().atoms(resp, req, environ, request_time)
        for key in URL_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms


logger_class = RedactingLogger
