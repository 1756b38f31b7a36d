"""Admin actions: upload a report, re-sync, delete a report. For the JSON API and the chat's tab.

Every action needs the admin token (``INSPECTBOT_ADMIN_TOKEN``), compared in constant time;
with no token configured, admin is off. Uploads are limited in size (``INSPECTBOT_MAX_UPLOAD_MB``)
and in type (taken from the content: PDF, HTML, DOCX, text), and are stored under their bare
file name inside the reports folder (``INSPECTBOT_REPORTS``): never anywhere else.
"""

from __future__ import annotations

import hmac
import logging
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from fastapi import File, Header, UploadFile
from fastapi.responses import JSONResponse

from index.errors import InspectbotError
from ingest.load import SUFFIXES, sniff

log = logging.getLogger(__name__)

ALLOWED_KINDS = {"pdf", "html", "zip", "text"}  # zip: DOCX (checked when it is read)


class AdminError(InspectbotError):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class Admin:
    def __init__(self, settings, index):
        self.token = settings.admin_token
        self.folder = Path(settings.reports_dir).resolve() if settings.reports_dir else None
        self.max_bytes = int(settings.max_upload_mb * 2**20)
        self.index = index
        self.settings = settings

    def check(self, token: str | None) -> None:
        if not self.token:
            raise AdminError("Admin is not enabled on this server (set INSPECTBOT_ADMIN_TOKEN).", 403)
        if not hmac.compare_digest(str(token or "").encode(), self.token.encode()):
            raise AdminError("The admin token is not right.", 401)
        if self.folder is None:
            raise AdminError("No reports folder is configured: set INSPECTBOT_REPORTS.", 503)

    def safe_name(self, name: str) -> str:
        """The bare file name; refuses anything that is not a plain, visible report name."""
        bare = Path(str(name).replace("\\", "/")).name
        if not bare or bare.startswith(".") or bare != str(name).replace("\\", "/").split("/")[-1]:
            raise AdminError(f"{name!r} is not a usable file name: give a plain name such as report.pdf.", 400)
        if Path(bare).suffix.lower() not in SUFFIXES:
            raise AdminError(f"{bare}: only {', '.join(sorted(SUFFIXES))} files can be uploaded.", 415)
        return bare

    def store(self, name: str, stream: BinaryIO) -> Path:
        """Copy an upload into the reports folder, checking size and type as it goes; on any
        refusal nothing is left behind and an existing report of that name is untouched."""
        bare = self.safe_name(name)
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".upload-", dir=self.folder)
        size, head = 0, b""
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(1 << 20):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise AdminError(f"{bare} is larger than the upload limit of "
                                         f"{self.max_bytes // 2**20} MB.", 413)
                    if len(head) < 8192:
                        head += chunk[: 8192 - len(head)]
                    out.write(chunk)
            if size == 0:
                raise AdminError(f"{bare} is empty.", 400)
            kind = sniff(head)
            if kind not in ALLOWED_KINDS:
                raise AdminError(f"{bare} is not a PDF, HTML, DOCX or text file (its content is {kind}).", 415)
            target = self.folder / bare
            if target.resolve().parent != self.folder:
                raise AdminError(f"{name!r} would be stored outside the reports folder.", 400)
            os.replace(tmp, target)
            log.info("admin: stored upload %s (%d bytes)", bare, size)
            return target
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def sync(self, prune: bool = True):
        from bot.prefill import prefill_synced
        from ingest.sync import sync
        from ui.settings import sentence_cache

        summary = sync(self.index, [self.folder], prune=prune, workers=0, progress=False)
        # answers about the new reports then embed no sentence
        prefill_synced(self.index.catalog, self.index.sentences(sentence_cache(self.settings)), summary)
        return summary

    def delete(self, name: str):
        bare = self.safe_name(name)
        path = self.folder / bare
        if not path.is_file():
            raise AdminError(f"There is no report called {bare} in the reports folder.", 404)
        path.unlink()
        log.info("admin: deleted %s", bare)
        return self.sync(prune=True)


def add_admin_routes(app, settings, index) -> None:
    admin = Admin(settings, index)

    def bearer(authorization: str | None) -> str | None:
        if authorization and authorization.lower().startswith("bearer "):
            return authorization[7:].strip()
        return None

    def refuse(exc: AdminError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=headers)

    @app.post("/api/admin/reports", status_code=201, tags=["admin"])
    def upload(file: UploadFile = File(...), authorization: str | None = Header(None)):
        """Upload one report (multipart field ``file``), then re-sync. Bearer token needed."""
        try:
            admin.check(bearer(authorization))
            stored = admin.store(file.filename or "", file.file)
            summary = admin.sync()
        except AdminError as exc:
            return refuse(exc)
        return JSONResponse({"stored": stored.name, "summary": summary.lines()}, status_code=201)

    @app.post("/api/admin/sync", tags=["admin"])
    def resync(authorization: str | None = Header(None)):
        """Re-sync the reports folder (adds, replaces, prunes). Bearer token needed."""
        try:
            admin.check(bearer(authorization))
            return {"summary": admin.sync().lines()}
        except AdminError as exc:
            return refuse(exc)

    @app.delete("/api/admin/reports/{name}", tags=["admin"])
    def delete(name: str, authorization: str | None = Header(None)):
        """Delete a report from the reports folder and from the index. Bearer token needed."""
        try:
            admin.check(bearer(authorization))
            return {"removed": admin.safe_name(name), "summary": admin.delete(name).lines()}
        except AdminError as exc:
            return refuse(exc)


def make_admin(settings, index, limit=None):
    """The chat tab's action: upload files and re-sync; returns Markdown lines. ``limit``
    (ui.guard.gradio_limit): token checks cost from the client's rate-limit budget."""
    import html

    admin = Admin(settings, index)

    def run(token: str, files, request=None) -> str:
        if limit and (over := limit(request)):
            return over
        try:
            admin.check(token)
        except AdminError as exc:
            return exc.message
        lines = []
        for f in files or []:
            src = Path(getattr(f, "name", f))
            try:
                with open(src, "rb") as fh:
                    admin.store(src.name, fh)
            except AdminError as exc:
                lines.append(f"not stored: {exc.message}")
        lines += admin.sync(prune=False).lines()
        return "\n".join(f"- {html.escape(line)}" for line in lines)

    return run
