"""ASGI entry point for uvicorn: `motcua.main:app`."""

from motcua.app import create_app

app = create_app()
