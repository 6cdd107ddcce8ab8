"""İmza sirküleri reader: (usually OCR'd) text -> evrak.facts.SignatureCircular.

A person is anchored on their T.C. Kimlik No (11 digits); the name is the run of name words
just before it (or after an "Adı Soyadı" label), and what follows up to the next person
(title, münferiden/müştereken, "... ile", a limit in TL, "... tarihine kadar") belongs to
that person. Table rows, narrative paragraphs and labelled lists all reduce to that. Persons
joined by "ile" share the signing mode written after the last of them ("A ile B müştereken").
A TCKN that fails its checksum is kept out (tckn=None) and reported, never "corrected".
"""

from __future__ import annotations

import re
from datetime import date

from evrak.dates import find_dates
from evrak.facts import AuthorizedPerson, SignatureCircular, SigningMode
from evrak.findings import Evidence, Finding
from evrak.identifiers import is_valid_tckn
from evrak.text import fold_aligned, match_names
from verifiers.fields import Doc, company_from_line, money_in

_TCKN = re.compile(r"(?<!\d)(\d{11})(?!\d)")
_VKN = re.compile(r"(?:vergi|vkn|v\.k\.n)[^0-9]{0,40}?(\d{10})(?!\d)|(?<!\d)(\d{10})(?!\d)\s*(?:vergi|vkn)")
TITLES = [
    "Yönetim Kurulu Başkan Yardımcısı", "Yönetim Kurulu Başkanı", "Yönetim Kurulu Üyesi",
    "Genel Müdür Yardımcısı", "Genel Müdür", "Şirket Müdürü", "Müdür", "Murahhas Üye",
    "Şirket Ortağı", "Ortak", "İşletme Sahibi",
]
_TITLE_KEYS = [(fold_aligned(t), t) for t in TITLES]
_NAME_WORD = r"[A-ZÇĞİÖŞÜ][A-Za-zÇĞİÖŞÜçğıöşüâî]+"
_NAME_RUN = re.compile(
    rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})\s*[(:,-]?\s*(?:\(?\s*(?:T\.?\s?C\.?|TC)[^0-9]{{0,25}})?$"
)
_STOP_WORDS = {fold_aligned(w) for w in (
    "Yönetim", "Kurulu", "Başkanı", "Başkan", "Yardımcısı", "Üyesi", "Müdürü", "Müdür", "Genel",
    "Şirket", "Ortağı", "Kimlik", "No", "Adı", "Soyadı", "Sayın", "Murahhas", "Üye", "İşletme", "Sahibi",
    "Ve", "İle", "Görevi", "Unvanı", "Temsil", "Şekli", "Yetki", "Süresi",
)}
_ALONE = re.compile(r"munferid|mustakil|tek basina|tek imza")
_JOINT = re.compile(r"musterek|birlikte|mustereken")


def _name_before(text: str) -> str | None:
    """The name words right before a TCKN (labels, titles and "T.C. Kimlik No" dropped)."""
    m = _NAME_RUN.search(text.rstrip())
    if not m:
        return None
    words = m.group(1).split()
    while words and fold_aligned(words[0]) in _STOP_WORDS:
        words.pop(0)
    while words and fold_aligned(words[-1]) in _STOP_WORDS:
        words.pop()
    if len(words) < 2:
        return None
    # keep at most "given names + surname" from the end of the run
    return " ".join(words[-3:]) if len(words) > 3 else " ".join(words)


def read_circular(doc: Doc) -> tuple[SignatureCircular, list[Finding]]:
    findings: list[Finding] = []
    flat_lines = [ln.text for ln in doc.lines]
    text = "\n".join(flat_lines)
    folded = fold_aligned(text)
    offsets = []
    pos = 0
    for ln in doc.lines:
        offsets.append(pos)
        pos += len(ln.text) + 1

    def ev_at(index: int, value: object) -> Evidence:
        li = max(i for i, o in enumerate(offsets) if o <= index) if offsets else 0
        ln = doc.lines[li]
        return doc.evidence(ln, value)

    circ = SignatureCircular()
    # company and VKN
    for ln in doc.lines:
        name = company_from_line(ln.text)
        if name and "bank" not in ln.folded:
            circ.company = name
            circ.evidence.append(doc.evidence(ln, name))
            break
    vm = _VKN.search(folded)
    if vm:
        circ.vkn = vm.group(1) or vm.group(2)
        circ.evidence.append(ev_at(vm.start(), circ.vkn))
    # notary, yevmiye, date
    nm = re.search(r"([A-ZÇĞİÖŞÜa-zçğıöşü]+\s+\d{1,3}\s*\.\s*noterli[gğ]i)", text, re.IGNORECASE)
    if nm:
        circ.notary = re.sub(r"\s+", " ", nm.group(1)).strip()
        circ.evidence.append(ev_at(nm.start(), circ.notary))
    ym = re.search(r"yevmiye\w*\s*(?:no|numarasi|nr)?\.?\s*:?\s*(\d{2,7})", folded)
    if ym:
        circ.yevmiye_no = ym.group(1)
        circ.evidence.append(ev_at(ym.start(), circ.yevmiye_no))
    person_spans = [(m.start(1), m.group(1)) for m in _TCKN.finditer(text)]
    labelled, unlabelled = None, None
    for d, ds, de in find_dates(text):
        after = folded[de: de + 25]
        before = folded[max(0, ds - 40): ds]
        if "kadar" in after or re.search(r"bitis|sure|gecerli", before):
            continue
        if labelled is None and re.search(r"tarih", before):
            labelled = (d, ds)
        if unlabelled is None:
            unlabelled = (d, ds)
    issue = labelled or unlabelled
    if issue:
        circ.issued_on = issue[0]
        circ.evidence.append(ev_at(issue[1], issue[0]))
    # persons
    starts: list[int] = []
    names: list[str | None] = []
    name_pos: dict[int, int] = {}
    for i, (s, _num) in enumerate(person_spans):
        prev_end = person_spans[i - 1][0] + 11 if i else 0
        window = text[prev_end:s]
        nl = window.rfind("\n", 0, max(0, len(window) - 1))
        line_part = window
        name = _name_before(window[nl + 1:] if nl >= 0 else window) or _name_before(line_part)
        if name is None:
            labels = list(re.finditer(r"ad[ıi]\s*soyad[ıi]\s*:?\s*([^\n]+)", window, re.IGNORECASE))
            lm = labels[-1] if labels else None
            if lm:
                name = _name_before(lm.group(1).strip() + " ") or lm.group(1).strip()
        names.append(name)
        # a person's block starts at their name (or label) so that the previous person's
        # text ends there
        start = s
        if name:
            k = text.rfind(name.split()[0], prev_end, s)
            if k >= 0:
                start = k
                name_pos[i] = k
                head = fold_aligned(text[max(prev_end, k - 50): k].replace("\n", " "))
                for key, _t in _TITLE_KEYS:
                    if head.rstrip().endswith(key):
                        start = k - (len(head) - head.rstrip().rfind(key))
                        break
            lab = list(re.finditer(r"\d+\s*[.)]\s*ad[ıi]\s*soyad[ıi]|ad[ıi]\s*soyad[ıi]", text[prev_end:start],
                                   re.IGNORECASE))
            if lab:
                start = prev_end + lab[-1].start()
        starts.append(start)
    persons: list[AuthorizedPerson] = []
    segments: list[str] = []
    for i, (s, number) in enumerate(person_spans):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        seg = text[s + 11: end]
        segments.append(seg)
        name = names[i]
        ev = ev_at(s, number)
        if not name:
            findings.append(Finding("DOC_UNREADABLE", f"İmza sirkülerinde {number[:2]}… kimlik numaralı yetkilinin adı "
                                    "okunamadı", evidence=[ev]))
            continue
        tckn = number if is_valid_tckn(number) else None
        if tckn is None:
            findings.append(Finding("TCKN_INVALID", f"{name} için okunan T.C. Kimlik No ({number}) sağlama "
                                    "hesabını tutmuyor; elle doğrulanmalı", evidence=[ev]))
        npos = name_pos.get(i, starts[i])
        title = _title(seg, text[max(0, npos - 60): npos].replace("\n", " "))
        person = AuthorizedPerson(name=name, tckn=tckn, title=title, evidence=[ev])
        lim = None
        for amount, a_s, a_e in money_in(seg):
            ctx = fold_aligned(seg[max(0, a_s - 30): a_e + 30])
            if re.search(r"kadar|sinir|limit|asmamak", ctx):
                lim = amount
                break
        person.limit = lim
        until = None
        for d, d_s, _d_e in find_dates(seg):
            ctx_before = fold_aligned(seg[max(0, d_s - 30): d_s])
            if d == circ.issued_on or "dogum" in ctx_before:
                continue
            until = d
            break
        person.valid_until = until
        persons.append(person)
    # signing modes, with "A (TC) ile B (TC) müştereken" groups sharing mode, date and limit
    group: list[int] = []
    mode_found: list[SigningMode | None] = [None] * len(persons)
    joint_names: list[list[str]] = [[] for _ in persons]
    for i, seg in enumerate(segments[: len(persons)]):
        fseg = fold_aligned(seg)
        group.append(i)
        mj, ma = _JOINT.search(fseg), _ALONE.search(fseg)
        if not (mj or ma) and re.search(r"(?<![a-z])(ile|ve)\W*$", fseg.strip()):
            continue
        mode = None
        if mj and (not ma or mj.start() < ma.start()):
            mode = SigningMode.JOINT
        elif ma:
            mode = SigningMode.ALONE
        last = persons[i]
        for g in group:
            mode_found[g] = mode
            persons[g].valid_until = persons[g].valid_until or last.valid_until
            persons[g].limit = persons[g].limit or last.limit
        if mode == SigningMode.JOINT:
            in_seg = [p.name for p in persons if _mentions(seg, p.name)]
            for g in group:
                others = [persons[h].name for h in group if h != g]
                joint_names[g] = others + [n for n in in_seg if n != persons[g].name and n not in others]
        group = []
    for p, mode, jn in zip(persons, mode_found, joint_names, strict=True):
        if mode is None:
            p.mode = SigningMode.JOINT  # the stricter reading; a person must confirm
            findings.append(Finding("DOC_UNREADABLE", f"{p.name} için temsil şekli (münferiden/müştereken) okunamadı; "
                                    "müştereken sayıldı, elle doğrulanmalı", evidence=p.evidence))
        else:
            p.mode = mode
        p.joint_with = jn
    circ.persons = persons
    if not persons:
        findings.append(Finding("DOC_UNREADABLE", "İmza sirkülerinde yetkili kişi (ad ve T.C. Kimlik No) okunamadı",
                                evidence=[Evidence(file=doc.file)]))
    return circ, findings


def _title(after: str, before: str) -> str | None:
    """The title written with a person: in their own row/list after the TCKN (before any
    mode word), or just before the name in a sentence ("Yönetim Kurulu Başkanı Ali ...")."""
    fa = fold_aligned(after)
    cut = min([m.start() for m in (_ALONE.search(fa), _JOINT.search(fa)) if m] + [len(fa)])
    for key, t in _TITLE_KEYS:
        if key in fa[:cut]:
            return t
    tail = re.split(r"[;)\n]", before)[-1]
    ft = fold_aligned(tail)
    for key, t in _TITLE_KEYS:
        if key in ft:
            return t
    return None


def _mentions(text: str, name: str) -> bool:
    words = name.split()
    ftext = fold_aligned(text)
    return all(fold_aligned(w) in ftext for w in words[-2:])


def person_names_match(a: str, b: str) -> bool:
    return match_names(a, b).accepted


def first_issue_date(doc: Doc) -> date | None:
    for ln in doc.lines:
        hits = find_dates(ln.text)
        if hits:
            return hits[0][0]
    return None
