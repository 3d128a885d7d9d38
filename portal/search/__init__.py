"""Chinese-first full-text search behind a small interface.

`base` holds the interface and its plain dataclasses, `whoosh` the embedded engine,
`indexing` turns articles into documents, `service` is the one search used by the page
and the API. Nothing here imports Flask or SQLAlchemy.
"""
