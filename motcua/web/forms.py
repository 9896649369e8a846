"""The posted form as a dependency, so that page routes can be plain `def` functions.

Reading the body must be awaited; a database call must never run on the event loop. A
route that takes `form: PageForm` gets the form read on the loop (by this dependency)
and itself runs in the thread pool with its database work. Uploaded files in the form
are read synchronously there with `upload.file.read(n)`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData


async def read_form(request: Request) -> FormData:
    return await request.form()


PageForm = Annotated[FormData, Depends(read_form)]
