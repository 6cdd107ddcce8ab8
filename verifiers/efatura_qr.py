"""GİB's QR payload of an e-Fatura/e-Arşiv rendering -> the same EInvoice facts the XML gives.

The QR code states the totals (malhizmettoplam, kdvmatrah and hesaplanankdv per rate,
vergidahil, odenecek), the profile (senaryo), the type (tip), the ETTN and the currency. It
has no lines, allowances or seal; those stay empty. Withholding is not itemised in the payload,
so under a withholding type it is the difference between the tax-inclusive and the payable
amounts, and its share is that difference over the KDV (90 % -> "9/10"). A PDF reader that
sets InvoiceFacts.einvoice from here runs verifiers.efatura_checks.check_efatura and
einvoice_notes on the facts, as the XML reader does.
"""

from __future__ import annotations

from decimal import Decimal

from evrak.facts import EInvoice, MonetaryTotal, TaxPart, Withholding
from verifiers import gib_codes
from verifiers.qrcode import GibQr


def einvoice_from_qr(qr: GibQr) -> EInvoice:
    ein = EInvoice(profile=qr.profile, invoice_type=qr.invoice_type, uuid=qr.ettn, currency=qr.currency)
    if qr.profile in gib_codes.PROFILES:
        ein.profile_name = gib_codes.PROFILES[qr.profile].name
        ein.archive = gib_codes.PROFILES[qr.profile].archive
    itype = gib_codes.INVOICE_TYPES.get(qr.invoice_type or "")
    if itype is not None:
        ein.invoice_type_name = itype.name
    ein.totals = MonetaryTotal(line_extension=qr.gross, tax_exclusive=qr.net, tax_inclusive=qr.tax_inclusive,
                               payable=qr.payable)
    if qr.gross is not None and qr.net is not None:
        # the payload has no discount field: malhizmettoplam - kdvmatrah is the discount it implies
        diff = qr.gross - qr.net
        ein.totals.allowance_total = diff if diff > 0 else Decimal("0.00")
        ein.totals.charge_total = -diff if diff < 0 else Decimal("0.00")
    for rate, amount in sorted(qr.kdv.items()):
        ein.taxes.append(TaxPart(gib_codes.KDV, gib_codes.tax_name(gib_codes.KDV), amount,
                                 base=qr.bases.get(rate), percent=rate))
    kdv = qr.kdv_total
    if itype is not None and itype.withholding and qr.tax_inclusive is not None and qr.payable is not None \
            and qr.payable < qr.tax_inclusive:
        withheld = qr.tax_inclusive - qr.payable
        percent = (withheld / kdv * 100).quantize(Decimal(1)) if kdv else None
        share = gib_codes.withholding_share(percent) if percent is not None else None
        ein.withholdings.append(Withholding(None, "KDV tevkifatı (karekoddan: vergiler dahil − ödenecek)", withheld,
                                            percent=percent, share=share, base=kdv))
        ein.withholding_total = withheld
        ein.withholding_share = share
    return ein
