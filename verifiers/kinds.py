"""Document kind from content, so that files a manifest does not name can be classified.

Kinds are the `documents` keys of package-format.md, plus "vergi_borcu_yazisi" and
"sgk_borcu_yazisi" (tax/SGK "borcu yoktur" letters, which the guides date-limit but the
package format has no key for yet). Each kind has title phrases (strong, near the top) and
body phrases (weak); the best score wins, and nothing is returned below a threshold rather
than a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from evrak.text import fold
from verifiers.text import Page

KINDS = (
    "taahhutname", "imza_sirkuleri", "yetki_karari", "vekaletname", "kredi_uygunluk_belgesi",
    "kobi_beyannamesi", "sicil_gazetesi", "faaliyet_belgesi", "mali_tablolar", "sgk_calisan_listesi",
    "isletme_mevcut_durum_tablosu", "es_finansman_taahhutnamesi", "teknik_sartname", "proforma",
    "kapasite_raporu", "ced_belgesi", "ilave_puan_beyani", "proje_ozeti", "yatirim_tesvik_belgesi",
    "isyeri_ruhsati", "is_plani", "basvuru_sahibi_beyannamesi", "yerli_mali_belgesi", "e_fatura",
    "vergi_borcu_yazisi", "sgk_borcu_yazisi",
)

# kind -> (title patterns, body patterns), on folded text
_SIGNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "imza_sirkuleri": (("imza sirkuleri", "imza beyannamesi"), ("noterligi", "yevmiye", "temsil ve ilzam",
                                                                "munferiden", "mustereken")),
    "kredi_uygunluk_belgesi": (("kredi uygunluk", "kredi degerlendirme"), ("bankamiz", "subesi", "kredi talebi",
                                                                          "kredi tutari", "kullandirilmasi",
                                                                          "kredisi talebi", "kredi basvurusu",
                                                                          "kredisi basvurusu",
                                                                          "yatirim kredisi", "musterimiz", "musterisi",
                                                                          "kullandirilabilecegi", "uygun gorul",
                                                                          "kalkinma ajans")),
    "proforma": (("proforma", "fiyat teklifi", "teklif mektubu"), ("birim fiyat", "genel toplam", "kdv",
                                                                   "odenecek tutar", "ara toplam", "teklif no")),
    # an integrator's rendering of an e-Fatura / e-Arşiv: GİB's fields, whatever the layout
    "e_fatura": (("e-fatura", "e-arsiv fatura", "e-arsiv", "efatura", "e fatura"),
                 ("ettn", "fatura no", "fatura tarihi", "fatura tipi", "senaryo", "ozellestirme no",
                  "vergiler dahil toplam", "mal hizmet toplam", "temelfatura", "ticarifatura", "earsivfatura")),
    "faaliyet_belgesi": (("faaliyet belgesi", "oda kayit belgesi", "sicil tasdiknamesi"),
                         ("odamiza kayitli", "nace", "meslek grubu", "ticaret ve sanayi odasi")),
    "sgk_calisan_listesi": (("sigortali calisan listesi", "hizmet listesi", "sigortali listesi"),
                            ("sosyal guvenlik kurumu", "ise giris", "isyeri sicil")),
    "vergi_borcu_yazisi": (("vergi borcu yoktur", "borc durum belgesi", "vergi borcu olmadigina"),
                           ("vergi dairesi", "vadesi gecmis vergi borcu")),
    "sgk_borcu_yazisi": (("prim borcu yoktur", "borcu yoktur belgesi", "sgk borcu yoktur"),
                         ("prim", "idari para cezasi", "gecikme zammi")),
    "kobi_beyannamesi": (("kobi bilgi beyannamesi", "kobi beyannamesi"), ("net satis hasilati", "calisan sayisi",
                                                                          "isletme olcegi")),
    "sicil_gazetesi": (("ticaret sicili gazetesi", "ticaret sicil gazetesi"), ("ilan", "tescil edilmistir")),
    "taahhutname": (("taahhutname",), ("taahhut ederim", "taahhut ederiz", "basvuru")),
    "es_finansman_taahhutnamesi": (("es finansman taahhut",), ("es finansman",)),
    "isletme_mevcut_durum_tablosu": (("isletme mevcut durum",), ("mevcut durum",)),
    "yetki_karari": (("yonetim kurulu karari", "ortaklar kurulu karari", "mudurler kurulu karari"),
                     ("karar no", "toplanan", "oybirligi")),
    "vekaletname": (("vekaletname",), ("vekil tayin", "vekalet")),
    "teknik_sartname": (("teknik sartname", "teknik ozellikler"), ("asgari teknik", "ozellik")),
    "mali_tablolar": (("bilanco", "gelir tablosu", "kurumlar vergisi beyannamesi"), ("aktif", "pasif",
                                                                                      "donem net kari")),
    "yatirim_tesvik_belgesi": (("yatirim tesvik belgesi",), ("tesvik", "yatirim")),
    "ced_belgesi": (("cevresel etki degerlendirmesi", "ced gerekli degildir", "ced kapsam"), ("ced",)),
    "kapasite_raporu": (("kapasite raporu",), ("kapasite",)),
    "isyeri_ruhsati": (("isyeri acma ve calisma ruhsati", "isyeri acma"), ("ruhsat",)),
    "is_plani": (("is plani",), ("pazar analizi",)),
    "basvuru_sahibi_beyannamesi": (("basvuru sahibinin beyannamesi", "basvuru sahibi beyannamesi"), ("beyan",)),
    "yerli_mali_belgesi": (("yerli mali belgesi",), ("yerli mali",)),
    "ilave_puan_beyani": (("ilave puan",), ("puan",)),
    "proje_ozeti": (("proje ozeti",), ("proje",)),
}
THRESHOLD = 4


def kind_scores(pages: Iterable[Page]) -> dict[str, int]:
    pages = list(pages)
    text = "\n".join(p.text for p in pages)
    folded = re.sub(r"\s+", " ", fold(text))
    top = re.sub(r"\s+", " ", fold("\n".join(text.split("\n")[:12])))
    scores: dict[str, int] = {}
    for kind, (titles, body) in _SIGNS.items():
        s = 0
        for t in titles:
            if t in top:
                s += 6
            elif t in folded:
                s += 3
        s += sum(1 for b in body if b in folded)
        if s:
            scores[kind] = s
    # an application receipt is still filed under the KUB key (KUB_PENDING decides)
    if "kredi uygunluk basvuru" in folded:
        scores["kredi_uygunluk_belgesi"] = scores.get("kredi_uygunluk_belgesi", 0) + 6
    return scores


def detect_kind(pages: Iterable[Page]) -> str | None:
    """The most likely kind of a document from its text, or None when nothing is convincing."""
    scores = kind_scores(pages)
    if not scores:
        return None
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= THRESHOLD else None
