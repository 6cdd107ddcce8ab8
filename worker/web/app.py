"""The Flask app: configuration, cookie settings, error pages in Turkish."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from worker.web import fmt, security
from worker.web.config import WebConfig, load_config
from worker.web.ranking_page import bp as ranking_bp
from worker.web.views import bp


def create_app(config: WebConfig | None = None) -> Flask:
    """One app per process; settings come from EVRAK_* (worker.settings, web.config)."""
    cfg = config or load_config()
    cfg.web_dir.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__)
    app.config.update(
        EVRAK=cfg,
        SECRET_KEY=cfg.secret_key,
        SESSION_COOKIE_NAME="evrak_oturum",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=cfg.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        MAX_CONTENT_LENGTH=cfg.max_upload_bytes + 1024 * 1024,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.jinja_env.autoescape = True
    fmt.install(app)
    security.install(app)
    app.register_blueprint(bp)
    app.register_blueprint(ranking_bp)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        messages = {400: "İstek geçersiz.", 401: "Oturum açmanız gerekiyor.", 403: "Bu işlem için yetkiniz yok.",
                    404: "Aradığınız kayıt bulunamadı.", 409: "İşlem henüz bitmedi.",
                    413: "Dosya çok büyük.", 405: "Bu işlem bu adreste yapılamaz."}
        own = exc.description if exc.description != type(exc).description else None  # our Turkish text
        text = own or messages.get(exc.code or 500)
        if request.path.startswith("/api/"):
            return {"error": text or exc.name}, exc.code
        return render_template("error.html", code=exc.code, message=text or exc.name), exc.code

    return app
