"""Login, CSRF and response headers: nothing about an applicant leaves without a session.

- Every endpoint but the login form and static files requires a logged-in user
  (302 to the login page for a browser, 401 JSON for the status endpoints).
- Every POST carries the session's CSRF token (form field or X-CSRF-Token header),
  compared in constant time; a missing or wrong token is a 400, whatever the route.
- Responses say nosniff, no framing, a strict CSP (no inline script) and no-store, so
  applicant data is not cached by a shared browser.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from worker.store import get_store
from worker.web import sessions, throttle
from worker.web.users import ROLE_LABELS, check_login, load_users, may

bp = Blueprint("auth", __name__)

PUBLIC_ENDPOINTS = {"auth.login", "static", "views.health"}
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _check_csrf() -> None:
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf") or ""
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(400, description="Güvenlik belirteci (CSRF) eksik ya da geçersiz; sayfayı yenileyip yeniden deneyin.")


def _before() -> Response | None:
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        _check_csrf()
    g.user = session.get("user")
    g.role = None
    g.address = client_address()
    accounts = load_users(current_app.config["EVRAK"].users_file) if g.user else {}
    if g.user and not (sessions.is_live(session.get("sid"), g.user) and g.user in accounts):
        session.clear()  # logged out elsewhere, expired, or the account was removed or disabled
        g.user = None
    if g.user:
        g.role = accounts[g.user]["role"]  # read each request: a changed role applies at once
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if not g.user:
        if _wants_json():
            return jsonify({"error": "oturum açılmamış"}), 401  # type: ignore[return-value]
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


def _after(resp: Response) -> Response:
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("X-Frame-Options", "DENY")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    resp.headers.setdefault("Content-Security-Policy", CSP)
    if request.endpoint != "static":
        resp.headers.setdefault("Cache-Control", "no-store")
    return resp


def _safe_next(target: str | None) -> str:
    """Only a local path: a login link must not send the user on to another site."""
    if not target:
        return url_for("views.applications")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("views.applications")
    return target


def client_address() -> str:
    """The client's address (X-Forwarded-For only from a proxy in EVRAK_TRUSTED_PROXIES)."""
    return throttle.client_address(request.remote_addr, request.headers.get("X-Forwarded-For"),
                                   current_app.config["EVRAK_PROXIES"])


def _wait_text(seconds: int) -> str:
    return f"{seconds} saniye" if seconds < 120 else f"{seconds // 60 + 1} dakika"


@bp.route("/giris", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "POST":
        username = (request.form.get("username") or "").strip().lower()
        password = request.form.get("password") or ""
        address = g.address
        wait_s = throttle.wait_seconds(username, address)
        if wait_s:
            flash(f"Çok sayıda hatalı deneme: {_wait_text(wait_s)} sonra yeniden deneyin.", "error")
            return render_template("login.html", next=request.form.get("next", "")), 429
        if check_login(current_app.config["EVRAK"].users_file, username, password):
            throttle.succeeded(username, address)
            get_store().audit(username, "login", address=address)
            nxt = _safe_next(request.form.get("next"))
            session.clear()  # a fresh session (and CSRF token) after login: no fixation
            session.permanent = True
            session["user"] = username
            session["sid"] = sessions.open_session(username)
            users = load_users(current_app.config["EVRAK"].users_file)
            session["user_name"] = users.get(username, {}).get("name", username)
            csrf_token()
            return redirect(nxt)
        wait_s = throttle.failed(username, address)
        get_store().audit(username or "?", "login_failed", address=address)
        flash("Kullanıcı adı ya da parola yanlış."
              + (f" Sonraki deneme {_wait_text(wait_s)} sonra." if wait_s else ""), "error")
        return render_template("login.html", next=request.form.get("next", "")), 401
    if not load_users(current_app.config["EVRAK"].users_file):
        flash("Henüz hesap yok: sunucuda `evrak users add AD` ile bir hesap ekleyin.", "error")
    return render_template("login.html", next=request.args.get("next", ""))


@bp.route("/cikis", methods=["POST"])
def logout() -> Any:
    sessions.close_session(session.get("sid"))
    session.clear()
    flash("Oturum kapatıldı.", "info")
    return redirect(url_for("auth.login"))


def require(action: str) -> None:
    """403 unless the logged-in user's role may do `action` (users.PERMISSIONS)."""
    if not may(g.get("role"), action):
        abort(403, description=f"Bu işlem için yetkiniz yok ({ROLE_LABELS.get(g.get('role') or '', 'rol yok')}).")


def install(app: Flask) -> None:
    app.config.setdefault("EVRAK_PROXIES", throttle.trusted_proxies())
    app.register_blueprint(bp)
    app.before_request(_before)
    app.after_request(_after)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["may"] = lambda action: may(g.get("role"), action)
    app.jinja_env.globals["ROLE_LABELS"] = ROLE_LABELS
