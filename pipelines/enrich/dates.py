"""Publication dates: parse a written date into ISO 8601, refusing what cannot be true.

A date is kept only if it is plausible: not in the future (beyond a day of clock skew) and
not before 1990 (the web news era; older dates on pages are almost always something else).
Day/month order is taken from `dayfirst` when the caller knows the outlet's locale; when it
does not and both orders are valid, the result is flagged ambiguous instead of guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from dateutil import parser as dateparser

EARLIEST = date(1990, 1, 1)
# Month names as written in German, French, Spanish, Italian, Portuguese and Dutch (the languages of most
# non-English outlets in config/outlets.yaml), then Swedish, Danish, Norwegian, Finnish, Polish, Czech, Russian,
# Ukrainian and Turkish (in the form a date uses: "12 marca", "12. března", "12 марта", "12. maaliskuuta"), then
# Indonesian, Hungarian, Greek (genitive: "12 Μαρτίου"), Arabic (Egyptian and Gulf names, and the one-word Levantine
# ones), Hebrew (also with the prefix ב: "12 במרץ") and Hindi, read as their English name before dateutil parses
# a date.
_MONTHS_ABROAD = (
    ("January", "januar jänner janvier enero gennaio janeiro januari janv "
                "tammikuuta stycznia ledna января січня ocak január ιανουαρίου يناير ינואר בינואר जनवरी"),
    ("February", "februar feber février fevrier febrero febbraio fevereiro februari févr fevr "
                 "helmikuuta lutego února февраля лютого şubat február febr φεβρουαρίου فبراير شباط פברואר "
                 "בפברואר फ़रवरी फरवरी"),
    ("March", "märz maerz mars marzo março maart mrz marts maaliskuuta marca března марта березня mart "
              "maret március márc μαρτίου مارس آذار מרץ מרס במרץ במרס मार्च"),
    ("April", "avril abril aprile avr huhtikuuta kwietnia dubna апреля квітня nisan április ápr απριλίου أبريل "
              "إبريل نيسان אפריל באפריל अप्रैल"),
    ("May", "mai mayo maggio maio mei maj toukokuuta maja května мая травня mayıs május máj μαΐου مايو أيار מאי "
            "במאי मई"),
    ("June", "juni juin junio giugno junho kesäkuuta czerwca června июня червня haziran június jún ιουνίου يونيو "
             "يونيه حزيران יוני ביוני जून"),
    ("July", "juli juillet julio luglio julho juil heinäkuuta lipca července июля липня temmuz július júl "
             "ιουλίου يوليو يوليه تموز יולי ביולי जुलाई"),
    ("August", "août aout agosto augustus augusti elokuuta sierpnia srpna августа серпня ağustos agustus augusztus "
               "αυγούστου أغسطس آب אוגוסט באוגוסט अगस्त"),
    ("September", "septembre septiembre settembre setembro syyskuuta września září сентября вересня eylül "
                  "szeptember szept σεπτεμβρίου سبتمبر أيلول ספטמבר בספטמבר सितंबर सितम्बर"),
    ("October", "oktober octobre octubre ottobre outubro okt lokakuuta października října октября жовтня ekim "
                "október οκτωβρίου أكتوبر אוקטובר באוקטובר अक्टूबर"),
    ("November", "novembre noviembre novembro marraskuuta listopada listopadu ноября листопада kasım "
                 "νοεμβρίου نوفمبر נובמבר בנובמבר नवंबर नवम्बर"),
    ("December", "dezember décembre decembre diciembre dicembre dezembro déc dez dic desember "
                 "joulukuuta grudnia prosince декабря грудня aralık δεκεμβρίου ديسمبر דצמבר בדצמבר दिसंबर दिसम्बर"),
)
_ENGLISH_MONTH = {name: english for english, names in _MONTHS_ABROAD for name in names.split()}
_ABROAD = "|".join(sorted(_ENGLISH_MONTH, key=len, reverse=True))
# Month names and their abbreviations, English first, as a regex alternation (wrap it in a group to use it).
MONTH_NAMES = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
               rf"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|{_ABROAD}")
_MONTH_ABROAD = re.compile(rf"(?<!\w)({_ABROAD})\.?(?!\w)", re.IGNORECASE)
_WEEKDAY_ABROAD = re.compile(
    r"(?<!\w)(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|"
    r"samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|"
    r"venerdì|sabato|domenica|segunda|terça|quarta|quinta|sexta|maandag|dinsdag|woensdag|donderdag|"
    r"vrijdag|zaterdag|zondag|måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag|mandag|tirsdag|lørdag|søndag|"
    r"senin|selasa|rabu|kamis|jumat|sabtu|minggu|hétfő|kedd|szerda|csütörtök|péntek|szombat|vasárnap|"
    r"δευτέρα|τρίτη|τετάρτη|πέμπτη|παρασκευή|σάββατο|κυριακή|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد|"
    r"יום|ראשון|שני|שלישי|רביעי|חמישי|שישי|שבת|सोमवार|मंगलवार|बुधवार|गुरुवार|शुक्रवार|शनिवार|रविवार|"
    r"thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)"
    r"(?:-feira)?,?(?!\w)",
    re.IGNORECASE,
)
# Words between a date's parts abroad: "12 de marzo de 2024", "12 mars 2024 à 14h30", "12. März 2024, 14:30 Uhr".
# Polish "r." and Russian "г." (roku, года) after the year: "12 marca 2024 r.", "12 марта 2024 г.". Indonesian
# "pukul" (at), Vietnamese "ngày" (day) and "lúc" (at), Arabic morning/evening marks and Hindi "बजे" (o'clock) go
# too: without a zone only the day is kept.
_JOINERS = re.compile(r"(?<!\w)(?:de|del|do|da|à|a las|às|alle|ore|um|om|uhr|r\.?|roku|г\.?|года|pukul|ngày|lúc|"
                      r"صباحا|صباحًا|مساء|مساءً|بجے|बजे)(?!\w)", re.IGNORECASE)
# Vietnamese dates name the month by its number: "12 tháng 3, 2024", "ngày 12 tháng 3 năm 2024".
VI_DATE = r"(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s*,\s*|\s+năm\s+|\s+)((?:19|20)\d{2})"
_VI_PARTS = re.compile(VI_DATE, re.IGNORECASE)
# Digits of other scripts (Arabic-Indic, Persian, Devanagari) as the ASCII digits dateutil reads.
# Every written date has a digit: the cheap test callers run before a scan for month names.
HAS_DIGIT = re.compile(r"\d")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९", "0123456789" * 3)
# Chinese, Japanese and Korean dates: "2024年3月12日", "2024년 3월 12일".
CJK_DATE = r"((?:19|20)\d{2})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?"
_CJK_PARTS = re.compile(CJK_DATE)
# Their weekdays: "星期二", "周二", "(火)", "火曜日", "화요일".
_CJK_WEEKDAY = re.compile(r"[（(]?(?:星期|週|周)[一二三四五六日天][）)]?|[（(][月火水木金土日](?:曜日?)?[）)]"
                          r"|[月火水木金土日]曜日|[월화수목금토일]요일")
_H_TIME = re.compile(r"\b(\d{1,2})\s?h\s?(\d{2})\b")  # 14h30
_KL_TIME = re.compile(r"(?<!\w)(?:kl\.?|klo)\s*(\d{1,2})[.:](\d{2})\b", re.IGNORECASE)  # "kl. 14.30", "klo 14.30"
_FIRST = re.compile(r"\b(\d{1,2})(?:er|º)(?!\w)")  # "1er février", "1º de março"
# Labels of a dateline abroad ("Veröffentlicht am", "Publié le", "Mis à jour le", "Aktualisiert am", "Stand:"), as
# regex alternations for the HTML and plain-text rules; the words after a label ("am", "le") go in ON_ABROAD.
# Then Swedish, Danish, Norwegian, Finnish, Polish, Czech, Russian, Ukrainian and Turkish ("Publicerad", "Opublikowano",
# "Опубликовано", "Uppdaterad", "Zaktualizowano", "Обновлено", "Güncellendi"), Chinese, Japanese and Korean, and
# Indonesian, Hungarian, Vietnamese, Greek, Arabic, Hebrew and Hindi ("Diterbitkan", "Közzétéve", "Cập nhật",
# "Δημοσιεύθηκε", "تاريخ النشر", "פורסם", "प्रकाशित").
PUBLISHED_ABROAD = (r"veröffentlicht|erschienen|publiée?|publicad[oa]|pubblicat[oa]|gepubliceerd|publicerad|publiceret|"
                    r"publisert|julkaistu|opublikowano|publikováno|опубликовано|опубліковано|yayınlanma|yayımlandı|"
                    "发布|發布|公開|公开|発行|입력|등록|게시|"
                    r"diterbitkan|dipublikasikan|közzétéve|publikálva|ngày đăng|xuất bản|δημοσιεύθηκε|δημοσίευση|"
                    r"تاريخ النشر|نشر|نُشر|פורסם|प्रकाशित")
UPDATED_ABROAD = (r"(?:zuletzt\s+)?aktualisiert|geändert|mise? à jour|actualizad[oa]|atualizad[oa]|aggiornat[oa]|"
                  r"bijgewerkt|uppdaterad|opdateret|oppdatert|päivitetty|zaktualizowano|aktualizováno|обновлено|"
                  r"оновлено|güncellendi|güncelleme|更新|수정|업데이트|"
                  r"diperbarui|frissítve|módosítva|cập nhật|ενημερώθηκε|ενημέρωση|آخر تحديث|تحديث|עודכן|अपडेट|अद्यतन")
ON_ABROAD = r"am|le|el|em|il|op|den|pada|في"
_NUMERIC = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ParsedDate:
    value: str  # ISO 8601: YYYY-MM-DD, or a datetime with its offset when the time is known
    ambiguous: bool = False  # day/month order could not be decided


def _today(now: datetime | None) -> date:
    return (now or datetime.now(UTC)).date()


def plausible(day: date, now: datetime | None = None) -> bool:
    return EARLIEST <= day <= _today(now) + timedelta(days=1)


def parse_date(text: str | None, *, dayfirst: bool | None = None, now: datetime | None = None) -> ParsedDate | None:
    """Parse one written date; None when it is not a date or not plausible."""
    if not text:
        return None
    text = text.strip()
    if not text or len(text) > 80 or not HAS_DIGIT.search(text):
        return None
    text = in_english(text.translate(_DIGITS))
    ambiguous = False
    numeric = _NUMERIC.match(text)
    if not numeric:
        dayfirst = False  # the locale only orders DD/MM vs MM/DD; "2024-03-04" is always year-month-day
    elif dayfirst is None:
        first, second = int(numeric.group(1)), int(numeric.group(2))
        if first <= 12 and second <= 12 and first != second:
            ambiguous = True  # 03/04/2024: March 4 or 3 April; prefer US order, but say so
        dayfirst = first > 12
    parsed = _parse(text, bool(dayfirst))
    if parsed is None or parsed.year < 100:
        return None
    if not plausible(parsed.date(), now):
        return None
    has_time = bool(re.search(r"\d{1,2}:\d{2}", text))
    if has_time and parsed.tzinfo is not None:
        try:
            return ParsedDate(parsed.isoformat(), ambiguous)
        except ValueError:  # a zone offset of a day or more ("0:00-3000"): not a real time zone
            return None
    if has_time:
        # A time without a zone cannot be placed on the timeline; keep the day only.
        return ParsedDate(parsed.date().isoformat(), ambiguous)
    return ParsedDate(parsed.date().isoformat(), ambiguous)


def in_english(text: str) -> str:
    """A date written in another language, in the words dateutil reads: "Dienstag, 12. März 2024, 14:30 Uhr" ->
    "12. March 2024, 14:30", "2024年3月12日 14:30" -> "2024-03-12 14:30"; English text is returned as it is."""
    if not (_MONTH_ABROAD.search(text) or _H_TIME.search(text) or _KL_TIME.search(text) or _CJK_PARTS.search(text)
            or _VI_PARTS.search(text)):
        return text
    text = _KL_TIME.sub(r" \1:\2", text)
    text = _CJK_WEEKDAY.sub(" ", _CJK_PARTS.sub(lambda m: f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d} ",
                                                text))
    text = _VI_PARTS.sub(lambda m: f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d} ", text)
    text = _MONTH_ABROAD.sub(lambda m: _ENGLISH_MONTH[m.group(1).lower()], text)
    text = _JOINERS.sub(" ", _WEEKDAY_ABROAD.sub(" ", _FIRST.sub(r"\1", _H_TIME.sub(r"\1:\2", text))))
    return " ".join(text.split()).strip(" ,")


# Zone abbreviations dateutil does not know, written after a time abroad: Indonesia's "14:30 WIB".
_ZONES = {"WIB": 7 * 3600, "WITA": 8 * 3600, "WIT": 9 * 3600}


@lru_cache(maxsize=4096)
def _parse(text: str, dayfirst: bool) -> datetime | None:
    """dateutil's reading of `text`, or None. Cached: dateutil is slow, and a page gives the same date to several
    rules (JSON-LD, meta tags, the date shown), which each parse it; plausibility is checked afresh by the caller."""
    try:
        return dateparser.parse(text, dayfirst=dayfirst, fuzzy=False, default=datetime(1, 1, 1), tzinfos=_ZONES)
    except (ValueError, OverflowError, TypeError):
        return None


def is_day(value: str) -> bool:
    return bool(_ISO_DAY.match(value))
