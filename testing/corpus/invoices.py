"""Proforma and e-Fatura layouts, modelled on what suppliers and e-Fatura integrators send:
letterheads with the VKN under the name, "Sayın" buyer blocks, info boxes on the right,
iskonto columns, KDV per rate, labels wrapped on two lines, "Yalnız ..." in words."""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal

from evrak.money import amount_in_words
from evrak.text import tr_upper
from testing.corpus.data import invoice
from testing.corpus.render import Sheet, day, qty, tl

Layout = Callable[[random.Random], tuple[bytes, dict]]


def _id_label(i: str, short: bool = False) -> str:
    if len(i) == 11:
        return "TCKN" if short else "T.C. Kimlik No"
    return "VKN" if short else "Vergi Kimlik No"


def _words(v: Decimal) -> str:
    return amount_in_words(v, joined=True, prefix="Yalnız")


# --- proforma ----------------------------------------------------------------------------

def pf_letterhead_table(rng: random.Random) -> tuple[bytes, dict]:
    """Letterhead left, date and number right on the same lines, Sayın block, grid table,
    totals right-aligned below it, Yalnız line."""
    inv = invoice(rng, kind="proforma")
    s = Sheet("sans")
    s.text(50, 50, tr_upper(inv.supplier), 12, True)
    s.text(50, 64, inv.supplier_addr[0], 8.5)
    s.text(50, 75, inv.supplier_addr[1] + f"   Tel: 0{rng.randint(212, 488)} {rng.randint(200, 999)} 45 67", 8.5)
    s.text(50, 86, f"{inv.supplier_office} - {_id_label(inv.supplier_id, True)}: {inv.supplier_id}", 8.5)
    s.text(545, 64, f"Tarih : {day(inv.issued_on, 'dot')}", 9.5, align="r")
    s.text(545, 77, f"No : {inv.number}", 9.5, align="r")
    s.y = 120
    s.line("PROFORMA FATURA", 15, True, "c")
    s.gap(6)
    s.line("Sayın", 10, True)
    s.line(inv.buyer, 10)
    s.line(f"{inv.buyer_addr[0]} {inv.buyer_addr[1]}", 8.5)
    s.line(f"V.D.: {rng.choice(['Antakya', 'Ziyapaşa', 'Tarsus', 'Kadirli'])}   {_id_label(inv.buyer_id, True)}: "
           f"{inv.buyer_id}", 8.5)
    s.gap(8)
    rows = [["No", "Malzeme / Hizmet", "Miktar", "Birim", "Birim Fiyat", "Tutar"]]
    for i, ln in enumerate(inv.lines, 1):
        rows.append([str(i), ln.description, qty(ln.quantity), ln.unit, tl(ln.unit_price) + " TL",
                     tl(ln.amount) + " TL"])
    s.table(rows, [50, 75, 275, 325, 370, 455, 545], "llrlrr")
    xs = [340, 455, 545]
    tot = [["Toplam", tl(inv.net) + " TL"]]
    for r, a in inv.kdv.items():
        tot.append([f"KDV (%{r})", tl(a) + " TL"])
    tot.append(["Genel Toplam", tl(inv.total) + " TL"])
    s.table(tot, xs, "lr", header=False)
    s.para(_words(inv.total), 8.5)
    if inv.valid_until:
        s.line(f"Teklif geçerlilik tarihi: {day(inv.valid_until, 'dot')}", 8.5)
    s.line("Teslim: Sipariş onayından itibaren 60 gün. Ödeme: %30 peşin, bakiye teslimatta.", 8.5)
    return s.pdf(), inv.truth("proforma")


def pf_letter(rng: random.Random) -> tuple[bytes, dict]:
    """A letter: date on top, 'Sayın Yetkili', one item described in prose with the unit price,
    quantity and amounts on their own labelled lines (issue 11's case), signature at the end."""
    inv = invoice(rng, kind="proforma", n_lines=1)
    ln = inv.lines[0]
    s = Sheet("serif")
    s.line(day(inv.issued_on, "long"), 10, align="r")
    s.gap(10)
    s.line(inv.buyer, 10, True)
    s.line(f"{inv.buyer_addr[0]}, {inv.buyer_addr[1]}", 9)
    s.gap(8)
    s.line("Konu: Fiyat teklifimiz", 10, True)
    s.line("Sayın Yetkili,", 10)
    s.para(f"Tarafınızca talep edilen {ln.description} için hazırladığımız proforma faturamız aşağıdadır. "
           f"Teklif numaramız {inv.number} olup, yazışmalarınızda bu numarayı belirtmenizi rica ederiz.", 10, indent=20)
    s.gap(4)
    s.line(f"Birim fiyat (KDV hariç): ₺{tl(ln.unit_price)}", 10, x=70)
    s.line(f"Miktar: {qty(ln.quantity)} {ln.unit.lower()}", 10, x=70)
    s.line(f"Tutar (KDV hariç): ₺{tl(ln.amount)}", 10, x=70)
    for r, a in inv.kdv.items():
        s.line(f"KDV %{r}: ₺{tl(a)}", 10, x=70)
    s.line(f"Ödenecek Tutar: ₺{tl(inv.total)}", 10, True, x=70)
    s.gap(4)
    if inv.valid_until:
        s.para(f"Teklifimiz {day(inv.valid_until, 'long')} tarihine kadar geçerlidir. Fiyatlara nakliye dahildir.", 10)
    s.line("Bilgilerinize sunar, iyi çalışmalar dileriz.", 10)
    s.gap(20)
    s.line(inv.supplier, 10, True, "r")
    s.line(f"{inv.supplier_office} {_id_label(inv.supplier_id)}: {inv.supplier_id}", 9, align="r")
    s.line(f"{inv.supplier_addr[0]} {inv.supplier_addr[1]}", 8, align="r")
    truth = inv.truth("proforma")
    truth["buyer_id"] = None  # the letter names the buyer and its address, not its tax id
    return s.pdf(), truth


def pf_two_columns(rng: random.Random) -> tuple[bytes, dict]:
    """Seller and buyer side by side (their lines interleave in the text layer), ISO date."""
    inv = invoice(rng, kind="proforma", rates=(20, 10))
    s = Sheet("cond")
    s.text(297, 50, "PROFORMA FATURA", 14, True, "c")
    s.text(50, 80, "SATICI", 9, True)
    s.text(310, 80, "ALICI", 9, True)
    left = [f"Unvan: {inv.supplier}", f"Adres: {inv.supplier_addr[0]}", inv.supplier_addr[1],
            f"Vergi Dairesi: {inv.supplier_office}", f"{_id_label(inv.supplier_id)}: {inv.supplier_id}"]
    right = [f"Unvan: {inv.buyer}", f"Adres: {inv.buyer_addr[0]}", inv.buyer_addr[1], "Vergi Dairesi: Antakya V.D.",
             f"{_id_label(inv.buyer_id)}: {inv.buyer_id}"]
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        s.text(50, 94 + i * 12, a, 8.5)
        s.text(310, 94 + i * 12, b, 8.5)
    s.y = 170
    s.line(f"Proforma No: {inv.number}     Düzenleme Tarihi: {day(inv.issued_on, 'iso')}", 9)
    if inv.valid_until:
        s.line(f"Son Geçerlilik: {day(inv.valid_until, 'iso')}", 9)
    s.gap(4)
    rows = [["Açıklama", "Miktar", "Birim Fiyat (TL)", "KDV", "Tutar (TL)"]]
    for ln in inv.lines:
        rows.append([ln.description, f"{qty(ln.quantity)} {ln.unit}", tl(ln.unit_price), f"%{ln.rate}", tl(ln.amount)])
    s.table(rows, [50, 270, 330, 420, 460, 545], "lrrcr")
    tot = [["KDV Hariç Tutar", tl(inv.net)]]
    for r, a in inv.kdv.items():
        tot.append([f"KDV %{r} Tutarı", tl(a)])
    tot.append(["KDV Dahil Toplam", tl(inv.total)])
    s.table(tot, [330, 460, 545], "lr", header=False)
    s.line("Tutarlar Türk Lirası cinsindendir.", 8)
    return s.pdf(), inv.truth("proforma")


def pf_discount(rng: random.Random) -> tuple[bytes, dict]:
    """Iskonto per line (rate and amount columns), gross, total discount, KDV matrahı."""
    inv = invoice(rng, kind="proforma", discount=True)
    s = Sheet("sans")
    s.line(inv.supplier, 13, True)
    s.line(f"{inv.supplier_addr[0]} - {inv.supplier_addr[1]}", 8)
    s.line(f"{inv.supplier_office} / {inv.supplier_id}", 8)
    s.gap(10)
    s.line("FİYAT TEKLİFİ / PROFORMA", 13, True, "c")
    s.line(f"Teklif Tarihi: {day(inv.issued_on, 'upper')}", 9, align="r")
    s.line(f"Teklif No: {inv.number}", 9, align="r")
    s.line(f"Müşteri: {inv.buyer}  ({_id_label(inv.buyer_id, True)} {inv.buyer_id})", 9)
    s.gap(6)
    rows = [["Ürün", "Miktar", "Birim Fiyat", "İsk. %", "İskonto", "Net Tutar"]]
    for ln in inv.lines:
        rate = f"%{qty(ln.discount_rate)}" if ln.discount_rate else "-"
        rows.append([ln.description, qty(ln.quantity), tl(ln.unit_price), rate,
                     tl(ln.discount) if ln.discount else "-", tl(ln.amount)])
    s.table(rows, [50, 240, 290, 370, 410, 470, 545], "lrrrrr", size=8)
    tot = [["Brüt Toplam", tl(inv.gross) + " TL"], ["Toplam İskonto", tl(inv.discount) + " TL"],
           ["KDV Matrahı", tl(inv.net) + " TL"]]
    for r, a in inv.kdv.items():
        tot.append([f"Hesaplanan KDV %{r}", tl(a) + " TL"])
    tot.append(["Genel Toplam", tl(inv.total) + " TL"])
    s.table(tot, [330, 450, 545], "lr", header=False)
    if inv.valid_until:
        s.line(f"Opsiyon: {(inv.valid_until - inv.issued_on).days} gün", 8.5)
    return s.pdf(), inv.truth("proforma")  # "Opsiyon: N gün" from the date: the validity date


def pf_multi_rate(rng: random.Random) -> tuple[bytes, dict]:
    """Several KDV rates with a per-rate summary, slashed dates, ₺ after the amount."""
    inv = invoice(rng, kind="proforma", rates=(20, 10, 1), n_lines=3)
    s = Sheet("serif")
    s.line(tr_upper(inv.supplier), 11, True, "c")
    s.line(f"{inv.supplier_addr[0]} {inv.supplier_addr[1]}", 8, align="c")
    s.line(f"Vergi D.: {inv.supplier_office}  Vergi No: {inv.supplier_id}", 8, align="c")
    s.gap(10)
    s.line("PROFORMA", 14, True)
    s.line(f"Belge No: {inv.number}", 9)
    s.line(f"Tarih: {day(inv.issued_on, 'slash')}", 9)
    s.gap(4)
    s.line("Alıcı Firma:", 9, True)
    s.line(inv.buyer, 9)
    s.line(f"Vergi No: {inv.buyer_id}", 9)
    s.gap(6)
    rows = [["Sıra", "Cinsi", "Miktarı", "Birim Fiyatı", "KDV Oranı", "Tutarı"]]
    for i, ln in enumerate(inv.lines, 1):
        rows.append([str(i), ln.description, qty(ln.quantity), tl(ln.unit_price) + " ₺", f"%{ln.rate}",
                     tl(ln.amount) + " ₺"])
    s.table(rows, [50, 80, 270, 320, 405, 455, 545], "llrrcr", size=8)
    tot = [["Ara Toplam", tl(inv.net) + " ₺"]]
    for r, a in inv.kdv.items():
        tot.append([f"KDV %{r}", tl(a) + " ₺"])
    tot.append(["TOPLAM", tl(inv.total) + " ₺"])
    s.table(tot, [350, 455, 545], "lr", header=False, grid=False)
    if inv.valid_until:
        s.line(f"Bu proforma {day(inv.valid_until, 'slash')} tarihine kadar geçerlidir.", 8.5)
    return s.pdf(), inv.truth("proforma")


def pf_bilingual(rng: random.Random) -> tuple[bytes, dict]:
    """An importer's bilingual proforma: 'Date / Tarih', TRY, Subtotal / Ara Toplam."""
    inv = invoice(rng, kind="proforma")
    s = Sheet("sans")
    s.line(inv.supplier, 12, True)
    s.line(f"{inv.supplier_addr[0]}, {inv.supplier_addr[1]}, Türkiye", 8)
    s.line(f"Tax Office / Vergi Dairesi: {inv.supplier_office}   Tax No / VKN: {inv.supplier_id}", 8)
    s.gap(8)
    s.line("PROFORMA INVOICE / PROFORMA FATURA", 13, True, "c")
    s.line(f"Date / Tarih: {day(inv.issued_on, 'dot')}", 9)
    s.line(f"Invoice No / Fatura No: {inv.number}", 9)
    if inv.valid_until:
        s.line(f"Valid until / Geçerlilik: {day(inv.valid_until, 'dot')}", 9)
    s.line(f"Bill to / Alıcı: {inv.buyer}", 9)
    s.line(f"Tax No / VKN: {inv.buyer_id}", 9)
    s.gap(6)
    rows = [["Description / Açıklama", "Qty / Adet", "Unit Price / Birim Fiyat", "Amount / Tutar"]]
    for ln in inv.lines:
        rows.append([ln.description, qty(ln.quantity), f"{tl(ln.unit_price)} TRY", f"{tl(ln.amount)} TRY"])
    s.table(rows, [50, 260, 320, 440, 545], "lrrr", size=8)
    tot = [["Subtotal / Ara Toplam", f"{tl(inv.net)} TRY"]]
    for r, a in inv.kdv.items():
        tot.append([f"VAT / KDV ({r}%)", f"{tl(a)} TRY"])
    tot.append(["Grand Total / Genel Toplam", f"{tl(inv.total)} TRY"])
    s.table(tot, [300, 440, 545], "lr", header=False)
    s.line("Payment: 100% in advance / Ödeme: peşin", 8)
    return s.pdf(), inv.truth("proforma")


def pf_wrapped_labels(rng: random.Random) -> tuple[bytes, dict]:
    """Narrow totals box whose labels wrap on two lines, weekday in the date."""
    inv = invoice(rng, kind="proforma", discount=rng.random() < 0.5)
    s = Sheet("cond")
    s.text(50, 50, inv.supplier, 11, True)
    s.text(50, 63, f"{_id_label(inv.supplier_id)}: {inv.supplier_id}", 8)
    s.text(545, 50, "PROFORMA FATURA", 12, True, "r")
    s.text(545, 64, day(inv.issued_on, "dot_wd"), 9, align="r")
    s.text(545, 76, f"Ref: {inv.number}", 9, align="r")
    s.y = 105
    s.line(f"Sayın {inv.buyer}", 9.5, True)
    s.line(f"{_id_label(inv.buyer_id)}: {inv.buyer_id}", 8.5)
    s.gap(6)
    rows = [["Mal / Hizmet", "Miktar", "Birim\nFiyat", "İskonto\nTutarı", "Mal Hizmet\nTutarı"]]
    for ln in inv.lines:
        rows.append([ln.description, f"{qty(ln.quantity)} {ln.unit}", tl(ln.unit_price), tl(ln.discount),
                     tl(ln.amount)])
    s.table(rows, [50, 260, 320, 400, 470, 545], "lrrrr", size=8)
    tot = [["Mal Hizmet\nToplam Tutarı", tl(inv.gross) + " TL"]]
    if inv.discount:
        tot.append(["Toplam\nİskonto", tl(inv.discount) + " TL"])
    for r, a in inv.kdv.items():
        tot.append([f"Katma Değer\nVergisi (%{r})", tl(a) + " TL"])
    tot.append(["Vergiler Dahil\nToplam Tutar", tl(inv.total) + " TL"])
    s.table(tot, [400, 470, 545], "rr", header=False)
    if inv.valid_until:
        s.line(f"Geçerlilik: {day(inv.valid_until, 'dot_wd')}", 8.5)
    return s.pdf(), inv.truth("proforma")


def pf_sole_trader(rng: random.Random) -> tuple[bytes, dict]:
    """A sole trader's quote: TCKN, 'Alıcı:' label, d.m.yyyy date, signature block first."""
    inv = invoice(rng, kind="proforma", sole_trader=True)
    s = Sheet("mono")
    s.line("FİYAT TEKLİFİ (PROFORMA)", 12, True)
    s.line(f"Düzenleyen : {inv.supplier}", 8.5)
    s.line(f"TC Kimlik  : {inv.supplier_id}", 8.5)
    s.line(f"Adres      : {inv.supplier_addr[0]} {inv.supplier_addr[1]}", 8.5)
    s.line(f"Alıcı      : {inv.buyer}", 8.5)
    s.line(f"Alıcı VKN  : {inv.buyer_id}", 8.5)
    s.line(f"Tarih      : {day(inv.issued_on, 'dot1')}", 8.5)
    s.line(f"Teklif No  : {inv.number}", 8.5)
    s.gap(6)
    s.line("-" * 78, 8)
    s.line(f"{'Kalem':<34}{'Adet':>6}{'Birim Fiyat':>18}{'Tutar':>18}", 8)
    s.line("-" * 78, 8)
    for ln in inv.lines:
        s.line(f"{ln.description[:33]:<34}{qty(ln.quantity):>6}{tl(ln.unit_price):>18}{tl(ln.amount):>18}", 8)
    s.line("-" * 78, 8)
    s.line(f"{'Toplam':<58}{tl(inv.net):>18} ₺", 8)
    for r, a in inv.kdv.items():
        s.line(f"{'KDV %' + str(r):<58}{tl(a):>18} ₺", 8)
    s.line(f"{'Genel Toplam':<58}{tl(inv.total):>18} ₺", 8, True)
    if inv.valid_until:
        s.line(f"Geçerlilik tarihi: {day(inv.valid_until, 'dot1')}", 8.5)
    return s.pdf(), inv.truth("proforma")


PROFORMA: dict[str, Layout] = {
    "antet_tablo": pf_letterhead_table, "mektup": pf_letter, "iki_sutun": pf_two_columns,
    "iskontolu": pf_discount, "cok_oranli": pf_multi_rate, "iki_dilli": pf_bilingual,
    "iki_satir_etiket": pf_wrapped_labels, "sahis_firmasi": pf_sole_trader,
}


# --- e-Fatura renderings ------------------------------------------------------------------

def _gib(rng: random.Random, *, scenario: str = "TICARIFATURA", title: str = "e-FATURA", date_style: str = "dash",
         discount: bool = False, rates: tuple[int, ...] = (20,), split_name: bool = False, long_kdv: bool = False,
         words: str = "hash", face: str = "sans", info_left: bool = False, buyer_person: bool = False,
         label_set: int = 0) -> tuple[bytes, dict]:
    """The GİB default stylesheet's arrangement, which most integrators follow with small
    changes: supplier block top left, logo title centre, info table right, SAYIN buyer block,
    ETTN, a wide line table with iskonto and KDV columns, a totals table bottom right."""
    inv = invoice(rng, kind="e_fatura", discount=discount, rates=rates, buyer_person=buyer_person)
    s = Sheet(face)
    y = 45
    name = tr_upper(inv.supplier)
    if split_name and len(name.split()) > 3:
        w = name.split()
        for part in (" ".join(w[: len(w) // 2 + 1]), " ".join(w[len(w) // 2 + 1:])):
            s.text(40, y, part, 9, True)
            y += 11
    else:
        s.text(40, y, name, 9, True)
        y += 11
    for ln in (inv.supplier_addr[0], inv.supplier_addr[1], f"Tel: 0{rng.randint(212, 488)} {rng.randint(200, 999)} "
               f"{rng.randint(10, 99)} {rng.randint(10, 99)}", f"Vergi Dairesi: {tr_upper(inv.supplier_office[:-5])}",
               f"{'TCKN' if len(inv.supplier_id) == 11 else 'VKN'}: {inv.supplier_id}"):
        s.text(40, y, ln, 8)
        y += 10
    s.text(300, 60, title, 13, True, "c")
    s.text(300, 74, "e-Arşiv" if "Arşiv" in title else "GİB", 7, align="c")
    dates = day(inv.issued_on, date_style)
    labels = [("Özelleştirme No:", "TR1.2"), ("Senaryo:", scenario), ("Fatura Tipi:", "SATIS"),
              ("Fatura No:", inv.number), ("Fatura Tarihi:", dates), ("Düzenleme Tarihi:", dates),
              ("Düzenleme Saati:", f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}:00")]
    ix = 40 if info_left else 395
    iy = 175 if info_left else 110
    for lab, val in labels:
        s.text(ix, iy, lab, 8, True)
        s.text(ix + 88, iy, val, 8)
        iy += 11
    by = y + 12 if not info_left else 110
    bx = 40 if not info_left else 330
    s.text(bx, by, "SAYIN", 8.5, True)
    office = tr_upper(rng.choice(["Antakya", "Şükrüpaşa", "Seyhan", "Toros"]))
    for ln in (inv.buyer, inv.buyer_addr[0], inv.buyer_addr[1], f"Vergi Dairesi: {office}",
               f"{'TCKN' if len(inv.buyer_id) == 11 else 'VKN'}: {inv.buyer_id}"):
        by += 10
        s.text(bx, by, ln, 8)
    s.y = max(by, iy) + 16
    s.line(f"ETTN: {inv.ettn}", 8, x=40)
    s.gap(4)
    head = ["Sıra\nNo", "Mal Hizmet", "Miktar", "Birim Fiyat", "İskonto\nOranı", "İskonto\nTutarı", "KDV\nOranı",
            "KDV Tutarı", "Mal Hizmet\nTutarı"]
    if label_set == 1:
        head[1], head[-1] = "Malzeme/Hizmet\nAçıklaması", "Malzeme/Hizmet\nTutarı"
    rows = [head]
    for i, ln in enumerate(inv.lines, 1):
        rows.append([str(i), ln.description, f"{qty(ln.quantity)} {ln.unit}", f"{tl(ln.unit_price)} TL",
                     f"%{qty(ln.discount_rate)}" if ln.discount_rate else "",
                     f"{tl(ln.discount)} TL" if ln.discount else "",
                     f"%{ln.rate},00", f"{tl(cents_rate(ln.amount, ln.rate))} TL", f"{tl(ln.amount)} TL"])
    s.table(rows, [40, 62, 190, 240, 305, 345, 395, 430, 490, 555], "llrrrrrrr", size=7)
    kname = "Mal Hizmet Toplam Tutarı" if label_set == 0 else "Malzeme/Hizmet Toplam Tutarı"
    tot = [[kname, f"{tl(inv.gross)} TL"], ["Toplam İskonto", f"{tl(inv.discount)} TL"]]
    if label_set == 1:
        tot.append(["KDV Matrahı", f"{tl(inv.net)} TL"])
    for r, a in inv.kdv.items():
        lab = f"Hesaplanan GERÇEK USÜLDE KATMA\nDEĞER VERGİSİ(%{r})" if long_kdv else f"Hesaplanan KDV(%{r}.00)"
        tot.append([lab, f"{tl(a)} TL"])
    tot += [["Vergiler Dahil Toplam Tutar", f"{tl(inv.total)} TL"], ["Ödenecek Tutar", f"{tl(inv.total)} TL"]]
    s.table(tot, [290, 470, 555], "rr", header=False, size=8)
    if words == "hash":
        s.line(tr_upper(amount_in_words(inv.total, joined=True, prefix="Yalnız")), 7.5, x=40)
    elif words == "plain":
        s.para(amount_in_words(inv.total, joined=False, prefix="Yalnız"), 8, x=40)
    s.line(f"Bu fatura {rng.choice(['İZİBİZ', 'Uyumsoft', 'Logo', 'QNB eSolutions'])} altyapısı ile oluşturulmuştur.",
           7, x=40)
    t = inv.truth("e_fatura")
    return s.pdf(), t


def cents_rate(amount: Decimal, rate: int) -> Decimal:
    return (amount * rate / 100).quantize(Decimal("0.01"))


EFATURA: dict[str, Layout] = {
    "gib_temel": lambda r: _gib(r, scenario="TEMELFATURA"),
    "gib_ticari_iskonto": lambda r: _gib(r, discount=True),
    "uzun_kdv_etiketi": lambda r: _gib(r, rates=(10,), long_kdv=True, split_name=True),
    "iki_oran": lambda r: _gib(r, rates=(20, 10), date_style="dot", words="plain", face="cond"),
    "e_arsiv": lambda r: _gib(r, title="e-Arşiv Fatura", scenario="EARSIVFATURA", buyer_person=True, words="plain"),
    "bilgi_solda": lambda r: _gib(r, info_left=True, date_style="iso", face="serif"),
    "matrahli": lambda r: _gib(r, label_set=1, discount=True, date_style="slash", words="none"),
    "unvan_iki_satir": lambda r: _gib(r, split_name=True, date_style="dot", face="scond"),
}
