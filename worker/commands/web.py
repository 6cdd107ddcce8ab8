"""`evrak serve` (the staff web page) and `evrak users add|list|disable|enable|remove` (its accounts)."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys

from evrak.errors import UserError


def _cmd_serve(args: argparse.Namespace) -> int:
    # lazy here and below: Flask and the web app load only for the web commands
    from worker.web.app import create_app
    from worker.web.users import load_users

    if not 0 < args.port < 65536:
        raise UserError("--port 1 ile 65535 arasında olmalı")
    app = create_app()
    cfg = app.config["EVRAK"]
    if not load_users(cfg.users_file):
        print(f"uyarı: hesap yok ({cfg.users_file}); `evrak users add AD` ile ekleyin", file=sys.stderr)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        from waitress import serve
    except ImportError:  # no production server installed: Flask's own, single process
        print(f"evrak: http://{args.host}:{args.port}/ (Flask sunucusu)", file=sys.stderr, flush=True)
        app.run(host=args.host, port=args.port, threaded=True, use_reloader=False)
        return 0
    print(f"evrak: http://{args.host}:{args.port}/ (waitress, {args.threads} iş parçacığı)",
          file=sys.stderr, flush=True)
    # waitress drops X-Forwarded-* unless told otherwise; the page itself trusts the header only
    # from EVRAK_TRUSTED_PROXIES (worker/web/throttle.py), so keep it when proxies are configured
    serve(app, host=args.host, port=args.port, threads=args.threads, ident="evrak",
          max_request_body_size=cfg.max_upload_bytes + 1024 * 1024,
          clear_untrusted_proxy_headers=not app.config["EVRAK_PROXIES"])
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin or not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise UserError("standart girdiden parola okunamadı")
        return line.rstrip("\r\n")
    first = getpass.getpass("Parola: ")
    if getpass.getpass("Parola (yeniden): ") != first:
        raise UserError("parolalar aynı değil")
    return first


def _cmd_users_add(args: argparse.Namespace) -> int:
    # lazy: see _cmd_serve
    from worker.web.config import users_file
    from worker.web.users import add_user

    path = users_file()
    add_user(path, args.name.strip().lower(), _read_password(args), display_name=args.display_name,
             role=args.role)
    print(f"hesap kaydedildi: {args.name.strip().lower()} -> {path}")
    return 0


def _cmd_users_disable(args: argparse.Namespace) -> int:
    """Disable (or enable) an account: it cannot log in and its open sessions end at their next request."""
    # lazy: see _cmd_serve
    from worker.web import throttle
    from worker.web.config import users_file
    from worker.web.users import set_disabled

    name = args.name.strip().lower()
    set_disabled(users_file(), name, args.disable)
    throttle.forget_user(name)
    print(f"hesap {'kapatıldı' if args.disable else 'açıldı'}: {name}")
    return 0


def _cmd_users_remove(args: argparse.Namespace) -> int:
    # lazy: see _cmd_serve
    from worker.web import throttle
    from worker.web.config import users_file
    from worker.web.users import remove_user

    name = args.name.strip().lower()
    remove_user(users_file(), name)
    throttle.forget_user(name)
    print(f"hesap silindi: {name} (kararları ve denetim kayıtları saklanır)")
    return 0


def _cmd_users_list(args: argparse.Namespace) -> int:
    # lazy: see _cmd_serve
    from worker.web.config import users_file
    from worker.web.users import load_users

    users = load_users(users_file(), include_disabled=True)
    if not users:
        print("hesap yok")
    for name, entry in sorted(users.items()):
        print(f"{name}\t{entry['role']}\t{entry['name']}" + ("\tkapalı" if entry.get("disabled") else ""))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="personel web sayfasını sun (başvurular, kararlar, yüklemeler, toplu üretim)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--threads", type=int, default=8, help="waitress iş parçacığı sayısı")
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("users", help="web sayfası hesapları")
    usub = p.add_subparsers(dest="users_command", metavar="ALTKOMUT")
    usub.required = True
    a = usub.add_parser("add", help="hesap ekle ya da parolasını değiştir (parola sorulur ya da stdin'den)")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--display-name", help="sayfada görünen ad")
    a.add_argument("--password-stdin", action="store_true", help="parolayı standart girdiden oku")
    a.add_argument("--role", help="salt_okuma | uzman | onaylayan | yonetici (varsayılan: uzman; "
                   "var olan hesabın rolü korunur)")
    a.set_defaults(func=_cmd_users_add)
    lst = usub.add_parser("list", help="hesapları listele")
    lst.set_defaults(func=_cmd_users_list)
    d = usub.add_parser("disable", help="hesabı kapat (giriş yapamaz, açık oturumları biter)")
    d.add_argument("name", metavar="NAME")
    d.set_defaults(func=_cmd_users_disable, disable=True)
    e = usub.add_parser("enable", help="kapatılmış hesabı yeniden aç")
    e.add_argument("name", metavar="NAME")
    e.set_defaults(func=_cmd_users_disable, disable=False)
    r = usub.add_parser("remove", help="hesabı sil (kararları ve denetim kayıtları kalır)")
    r.add_argument("name", metavar="NAME")
    r.set_defaults(func=_cmd_users_remove)
