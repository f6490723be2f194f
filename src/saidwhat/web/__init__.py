"""saidwhat's web app: REST API under ``/api`` and server-rendered pages (``saidwhat serve``).

``create_app(db_url, token=None)`` returns the FastAPI app; see ``web/app.py``.
"""

from saidwhat.web.app import TOKEN_ENV, create_app

__all__ = ["TOKEN_ENV", "create_app"]
