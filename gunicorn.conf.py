"""gunicorn settings for Help Portal: `gunicorn -c gunicorn.conf.py 'portal:create_app()'`.

The app is built once in the master (preload_app) so the large read-only dictionaries
(jieba, OpenCC, pinyin) are shared copy-on-write by every worker; nothing built there
holds a database connection, a search index handle or a thread (all opened on first use,
in the worker). Before forking, the master refuses to start when the schema is behind,
SECRET_KEY is missing on PostgreSQL or the instance folder is not writable, then parses
every article once (workers inherit them and read only later changes). A worker
that exits gives its queued search log writes until PORTAL_EXIT_FLUSH_SECONDS to reach
the database. Scheduled jobs never run here: run `portal worker` beside gunicorn.
Access-log lines go through a logger that masks query values and cuts ticket tokens
(see portal.web.access_log). Set WEB_CONCURRENCY rather than -w: without Redis the
app divides its rate limits by PORTAL_WORKERS, which follows WEB_CONCURRENCY.
"""
import gc
import os

from gunicorn.glogging import Logger

from portal.web.access_log import URL_ATOMS, redact

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:5000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
preload_app = True
timeout = 60
graceful_timeout = 30


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


def when_ready(server):
    """In the master, after the app is loaded and before any worker is forked."""
    from portal import serving

    app = server.app.wsgi()
    serving.refuse_unless_fit(app)
    server.log.info("loaded %d articles before forking the workers",
                    serving.load_articles_before_forking(app))
    gc.freeze()  # keep the preloaded objects out of collections that would copy their pages


def worker_exit(server, worker):
    """A worker leaves (restart, SIGTERM): store the searches it still holds in memory."""
    worker.wsgi.extensions["portal.signals"].shutdown()
