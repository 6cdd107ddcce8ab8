"""İmza sirküleri reader: (usually OCR'd) text -> evrak.facts.SignatureCircular.

A person is anchored on their T.C. Kimlik No (11 digits); the name is the run of name words
just before it (or after an "Adı Soyadı" label), and what follows up to the next person
(title, münferiden/müştereken, "... ile", a limit in TL, "... tarihine kadar") belongs to
that person. Table rows, narrative paragraphs and labelled lists all reduce to that. Persons
joined by "ile" share the signing mode written after the last of them ("A ile B müştereken").
A TCKN that fails its checksum is kept out (tckn=None) and reported, never "corrected".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from evrak.dates import find_dates
from evrak.facts import AuthorizedPerson, SignatureCircular, SigningMode
from evrak.findings import Certainty, Evidence, Finding
from evrak.identifiers import is_valid_tckn, is_valid_vkn
from evrak.text import fold_aligned
from verifiers.fields import Doc, company_at, date_role, issue_date, money_in
from verifiers.idread import digit_choices, repair_ids_in_place

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
    if doc.ocr:
        text = repair_ids_in_place(text)
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
        name = company_at(doc, ln)  # a trade name that wrapped onto the next line is joined
        if name and "bank" not in ln.folded:
            circ.company = name
            circ.evidence.append(doc.evidence(ln, name))
            break
    vm = _VKN.search(folded)
    if vm and (not doc.ocr or is_valid_vkn(vm.group(1) or vm.group(2))):  # on a scan an invalid one is a misread
        circ.vkn = vm.group(1) or vm.group(2)
        circ.evidence.append(ev_at(vm.start(), circ.vkn))
    # notary, yevmiye, date
    nm = re.search(r"([A-ZÇĞİÖŞÜa-zçğıöşü]+\s+\d{1,3}\s*\.\s*noterli[gğ]i)", text, re.IGNORECASE)
    if nm:
        circ.notary = re.sub(r"\s+", " ", nm.group(1)).strip()
        circ.evidence.append(ev_at(nm.start(), circ.notary))
    ym = re.search(r"yevmiye\w*\s*(?:no|numarasi|nr)?\.?\s*:?\s*(\d[0-9a-z]{1,6})(?![0-9a-z])", folded)
    if ym:
        # digits only; on a scan a look-alike letter inside ("52O44") is read as its digit when
        # it has one reading, else the number is unread (never cut short to "52")
        choices = digit_choices(text[ym.start(1): ym.end(1)]) if doc.ocr else []
        number = ym.group(1) if ym.group(1).isdigit() else (choices[0] if len(choices) == 1 else None)
        if number is not None:
            circ.yevmiye_no = number
            circ.evidence.append(ev_at(ym.start(), circ.yevmiye_no))
    person_spans = [(m.start(1), m.group(1)) for m in _TCKN.finditer(text)]
    issue = issue_date(doc)
    if issue:
        circ.issued_on = issue[0]
        circ.evidence.append(doc.evidence(issue[1], issue[0]))
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
    # where the collective clauses stand: the preamble before the first person and, inside a
    # person's block, from a collective cue ("Yukarıda isimleri yazılı kişiler ...") on
    collective: list[tuple[int, int]] = []
    if starts:
        collective.append((0, starts[0]))
    persons: list[AuthorizedPerson] = []
    segments: list[str] = []
    groups_of: list[str | None] = []
    for i, (s, number) in enumerate(person_spans):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        cue = _COLLECTIVE.search(folded, s + 11, end)
        if cue:
            sentence_start = max(folded.rfind(". ", s + 11, cue.start()) + 1, folded.rfind("\n", s + 11, cue.start()),
                                 s + 11)
            collective.append((sentence_start, end))
            end = sentence_start
        seg = text[s + 11: end]
        name = names[i]
        ev = ev_at(s, number)
        if not name:
            findings.append(Finding("DOC_UNREADABLE", f"İmza sirkülerinde {number[:2]}… kimlik numaralı yetkilinin adı "
                                    "okunamadı", evidence=[ev], certainty=Certainty.UNREAD))
            continue
        tckn = number if is_valid_tckn(number) else None
        if tckn is None:
            findings.append(Finding("TCKN_INVALID", f"{name} için okunan T.C. Kimlik No ({number}) sağlama "
                                    "hesabını tutmuyor; elle doğrulanmalı", evidence=[ev]))
        npos = name_pos.get(i, starts[i])
        title = _title(seg, text[max(0, npos - 60): npos].replace("\n", " "))
        person = AuthorizedPerson(name=name, tckn=tckn, title=title, evidence=[ev])
        terms = _terms(seg, circ.issued_on)
        person.limit, person.valid_until, person.valid_from = terms.limit, terms.until, terms.since
        person.term, person.min_signers = terms.term, terms.min_signers
        persons.append(person)
        segments.append(seg)
        # listed under a group header until the next one
        groups_of.append(_group_before(folded, starts[i], starts[i - 1] if i else 0)
                         or (groups_of[-1] if groups_of else None))
    for p, g in zip(persons, groups_of, strict=True):
        p.group = g
    # own modes, with "A (TC) ile B (TC) müştereken" groups sharing mode, date and limit
    group: list[int] = []
    mode_found: list[SigningMode | None] = [None] * len(persons)
    joint_names: list[list[str]] = [[] for _ in persons]
    for i, seg in enumerate(segments):
        fseg = fold_aligned(seg)
        group.append(i)
        mode = _mode(fseg)
        if doc.ocr and _ALONE_RX.search(fseg) and _JOINT_RX.search(fseg):
            mode = None  # a scan's reading order mixed table cells: both modes after one person
        if mode is None and re.search(r"(?<![a-z])(ile|ve)\W*$", fseg.strip()):
            continue
        last = persons[i]
        for g in group:
            mode_found[g] = mode
            if mode is not None:
                persons[g].valid_until = persons[g].valid_until or last.valid_until
                persons[g].limit = persons[g].limit or last.limit
                persons[g].min_signers = persons[g].min_signers or last.min_signers
        if mode == SigningMode.JOINT:
            in_seg = [p.name for p in persons if _mentions(seg, p.name)]
            for g in group:
                others = [persons[h].name for h in group if h != g]
                joint_names[g] = others + [n for n in in_seg if n != persons[g].name and n not in others]
        group = []
    # clauses that name the persons they are about ("Ilgın Ağaoğlu ile İsmail Değirmenci ...
    # müştereken"), wherever they stand
    for region in [*segments, *(text[a:b] for a, b in collective)]:
        for clause in re.split(r"(?<=[.;])\s+", region):
            fclause = fold_aligned(clause)
            mode = _mode(fclause)
            if mode is None or (_ALONE_RX.search(fclause) and _JOINT_RX.search(fclause)):
                continue  # no mode, or both: not one statement about the persons it names
            named = [i for i, p in enumerate(persons) if _mentions(clause, p.name)]
            if not named:
                continue
            terms = _terms(clause, circ.issued_on)
            for i in named:
                if mode_found[i] is not None:
                    continue
                mode_found[i] = mode
                persons[i].valid_until = persons[i].valid_until or terms.until
                persons[i].limit = persons[i].limit if persons[i].limit is not None else terms.limit
                if mode == SigningMode.JOINT:
                    joint_names[i] = [persons[h].name for h in named if h != i]
    # collective clauses: for a group ("A grubu ... müştereken") or for everyone
    clause_text = [(a, b) for a, b in collective if _mode(folded[a:b]) is not None]
    for a, b in clause_text:
        for groups, terms in _collective_terms(text[a:b], circ.issued_on):
            for i, p in enumerate(persons):
                if mode_found[i] is not None:
                    continue
                if groups and p.group not in groups:
                    continue
                mode_found[i] = terms.mode
                p.valid_until = p.valid_until or terms.until
                p.valid_from = p.valid_from or terms.since
                p.limit = p.limit if p.limit is not None else terms.limit
                p.term = p.term or terms.term
                p.min_signers = p.min_signers or terms.min_signers
                if terms.mode == SigningMode.JOINT and len(groups) > 1:
                    joint_names[i] = [f"{g} grubu" for g in groups if g != p.group]
                p.evidence.append(ev_at(a + (len(text[a:b]) - len(text[a:b].lstrip())), terms.mode.value))
    for p, mode, jn in zip(persons, mode_found, joint_names, strict=True):
        if mode is None:
            p.mode = SigningMode.UNKNOWN
            findings.append(Finding("DOC_UNREADABLE", f"{p.name} için temsil şekli (münferiden/müştereken) okunamadı; "
                                    "varsayılmadı, elle doğrulanmalı", evidence=p.evidence,
                                    certainty=Certainty.UNREAD))
        else:
            p.mode = mode
        p.joint_with = jn
    circ.persons = persons
    if not persons:
        findings.append(Finding("DOC_UNREADABLE", "İmza sirkülerinde yetkili kişi (ad ve T.C. Kimlik No) okunamadı",
                                evidence=[Evidence(file=doc.file)]))
    return circ, findings


_ALONE_RX = re.compile(r"munferid|munferit|mustakil|tek basina|tek imza|ayri ayri|yalniz basina|"
                       r"herhangi biri(?:nin)? imza|her biri(?! ile)")
_JOINT_RX = re.compile(r"musterek|birlikte|iki(?:si|sinin|) (?:nin )?(?:imza|birlikte)|ikisinin|cift imza|"
                       r"en az (?:iki|uc|2|3)")
_COLLECTIVE = re.compile(r"yukarida|asagida|isimleri yazili|adlari yazili|adi gecen|adi yazili|"
                         r"(?:imza )?yetkilileri?(?:nin|nden)?(?![a-z])|kisiler|sahislar|her biri|herbiri|"
                         r"en az (?:iki|uc|2|3)|herhangi (?:iki|biri)|[a-d] grubu")
_MIN = {"iki": 2, "2": 2, "uc": 3, "3": 3, "dort": 4, "4": 4}


@dataclass
class _Terms:
    mode: SigningMode | None = None
    limit: Decimal | None = None
    until: date | None = None
    since: date | None = None
    term: str | None = None
    min_signers: int | None = None


def _mode(folded: str) -> SigningMode | None:
    """The mode a text states: "münferiden" (also "her biri tek başına", "ayrı ayrı") wins
    over "müştereken" when both stand ("münferiden veya müştereken": either suffices);
    "münferiden ... TL'ye kadar, üzeri müştereken" is alone with a limit."""
    alone, joint = _ALONE_RX.search(folded), _JOINT_RX.search(folded)
    if alone:
        return SigningMode.ALONE
    if joint:
        return SigningMode.JOINT
    return None


def _terms(text: str, issued_on: date | None) -> _Terms:
    """Mode, limit, dates and duration written in a text about one person or a group."""
    text = re.sub(r"\s+", " ", text)
    f = fold_aligned(text)
    t = _Terms(mode=_mode(f))
    for amount, a_s, a_e in money_in(text):
        ctx = fold_aligned(text[max(0, a_s - 30): a_e + 30])
        if re.search(r"kadar|sinir|limit|asmamak|asmayan|dahil", ctx):
            t.limit = amount
            break
    plain = decided = None
    for d, d_s, d_e in find_dates(text):
        role = date_role(fold_aligned(text[max(0, d_s - 40): d_s]), fold_aligned(text[d_e: d_e + 40]))
        if role in ("until", "validity") and t.until is None:
            t.until = d
        elif role == "from" and t.since is None:
            t.since = d
        elif role == "reference" and decided is None:
            decided = d  # "19 Aralık 2024 tarihli kararı ile ... 2 yıl süre ile": the term runs from it
        elif role == "" and plain is None and d != issued_on:
            plain = d  # a "Yetki Süresi" column: the date in the person's own row
    if t.until is None and plain is not None and re.search(r"(?<![a-z])(tarih|sure)", f) is None:
        t.until = plain
    m = re.search(r"(\d{1,2}|bir|iki|uc|dort|bes)\s*\(?\w*\)?\s*(yil|ay)(?:lik)?\s*(?:sure\s*ile|sureyle|suresince|"
                  r"icin|gorev)", f)
    if m:
        t.term = f"{m.group(1)} {'yıl' if m.group(2) == 'yil' else 'ay'}"
        n = int(m.group(1)) if m.group(1).isdigit() else {"bir": 1, "iki": 2, "uc": 3, "dort": 4, "bes": 5}[m.group(1)]
        start = t.since or decided
        if t.until is None and start is not None:
            # a term in months or years ends on the same day of its last month (TBK m. 92)
            months = n * 12 if m.group(2) == "yil" else n
            y, mo = divmod(start.month - 1 + months, 12)
            day = min(start.day, calendar.monthrange(start.year + y, mo + 1)[1])
            t.until = date(start.year + y, mo + 1, day)
    elif re.search(r"yeni (?:bir )?karar (?:alin|verilin)\w*\s*(?:a )?kadar|aksi karar\w* (?:alin|verilin)\w*", f):
        t.term = "yeni bir karar alınıncaya kadar"
    m = re.search(r"en az (iki|uc|dort|2|3|4)|herhangi (iki|uc|2|3)|(iki|uc)sinin", f)
    if m:
        t.min_signers = _MIN[next(g for g in m.groups() if g)]
    elif t.mode == SigningMode.JOINT and re.search(r"(?<![a-z])ikisi(?:nin)?(?![a-z])|iki imza|cift imza", f):
        t.min_signers = 2
    return t


def _group_before(folded: str, start: int, prev: int) -> str | None:
    """The signer group a person is listed under ("A Grubu İmza Yetkilileri"), if any."""
    hits = list(re.finditer(r"(?<![a-z])([a-d])\s*grubu", folded[prev:start]))
    return hits[-1].group(1).upper() if hits else None


def _collective_terms(text: str, issued_on: date | None) -> list[tuple[list[str], _Terms]]:
    """A collective clause cut at its group mentions: "A grubundan biri ile B grubundan
    birinin müşterek imzası" -> ([A, B], joint); "B grubu münferiden" -> ([B], alone); a
    clause naming no group -> ([], terms) for everyone."""
    f = fold_aligned(text)
    marks = list(re.finditer(r"(?<![a-z])([a-d])\s*grubu", f))
    if not marks:
        return [([], _terms(text, issued_on))]
    out: list[tuple[list[str], _Terms]] = []
    pending: list[str] = []
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        pending.append(m.group(1).upper())
        piece = text[m.start(): end]
        terms = _terms(piece, issued_on)
        if terms.mode is None:
            continue
        out.append((list(pending), terms))
        pending = []
    return out


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


