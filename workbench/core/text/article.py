"""Article structure: paragraphs, title, date, and what to translate.

Scraped news text carries the article and the page around it: a logo's alt
text, the headline (sometimes twice), a date line with reading time and a view
counter, photo credits, "subscribe to our channel" calls and source credits.
``parse_article`` keeps all of it, in order, but labels each line so that only
the body (split into sentences) and the title need translating:

- ``title``: the headline, the first substantive line;
- ``meta``: dates, times, reading time, view counters, bylines;
- ``boilerplate``: navigation, share/subscribe calls, photo and source credits,
  and a repeated headline;
- ``body``: everything else, one segment per sentence.

The rules look at the shape of a line (patterns, length, final punctuation) and
at its position (before the title, after the last body paragraph), not at any
particular site's wording.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from workbench.core.model import SegmentKind
from workbench.core.text.segmenter import split_sentences
from workbench.core.text.decoding import detect_language


@dataclass(frozen=True)
class ParsedSegment:
    paragraph: int        # 0-based index of the paragraph (non-empty block) it belongs to
    kind: SegmentKind
    text: str


@dataclass(frozen=True)
class ParsedArticle:
    language: str         # detected unless given
    title: str | None
    date: str | None      # "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM" when a time is given
    segments: tuple[ParsedSegment, ...]


# Zero-width characters scraped pages leave on otherwise empty lines.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_TERMINAL = ".!?…"
_CLOSERS = "\"'»”’)]"
_BULLET = re.compile(r"^(?:[-–—•*·▪►]\s|\d{1,3}[.)]\s)")
_MAX_TITLE_CHARS = 300
_MAX_TRAILER_CHARS = 80      # a credit or call to action after the body
_MAX_EXCLAIMING_TRAILER = 60  # "Stay up to date with all the news!"

# Boilerplate: (pattern matched against the whole line, ignoring case; the
# longest line it may be).  The short-line limits keep a pattern like
# "по материалам ..." from swallowing a body sentence that starts the same way.
_SOCIAL = (r"(?:facebook|twitter|x|telegram|whatsapp|viber|vk|vkontakte|вконтакте|вк|одноклассники"
           r"|ok|linkedin|instagram|youtube|tiktok|reddit|pinterest|дзен|яндекс\.?дзен|rutube"
           r"|e-?mail|copy link|копировать ссылку)")
_BOILERPLATE_PATTERNS: tuple[tuple[str, int], ...] = (
    # page furniture, English
    (r"(?:site )?logo|menu|search|home|main menu|skip to (?:main )?content|back to top"
     r"|share|share this(?: article| story)?|tweet|print|e-?mail|comments?(?: \(\d+\))?"
     r"|advertisement|advertising|sponsored(?: content)?|related(?: articles| news| stories)?"
     r"|read (?:more|also|next)\b.*|see also\b.*|more (?:news|stories|on this)\b.*"
     r"|recommended|trending|most read|popular|next article|previous article|loading\.*"
     r"|click here\b.*|tags?:.*|topics?:.*|filed under\b.*", 120),
    # Calls to action are buttons and slogans: they never end with a full stop,
    # which keeps "Подписание соглашения состоится в мае." in the body.
    (r"(?!.*\.$)(?:subscribe|sign up|follow us|join (?:us|our)|download (?:our|the) app"
     r"|stay (?:up to date|informed|tuned))\b.*", 120),
    (r"all rights reserved\b.*|©.*|\(c\) \d{4}.*|copyright\b.*", 200),
    (r"(?:photos?|images?|pictures?|video|illustration|cover)(?: by| credit)?\s*[:/©—–-].*"
     r"|photo by .*|credits?:.*|sources?:.*", 200),
    (r"(?:based on|according to|with) (?:materials|reports?|information) (?:from|of|by)\b.*", 80),
    (r"(?:(?:additional )?reporting|writing|editing|compiled|translated|text|words) by"
     r"\s+(?-i:[A-Z]).*", 200),
    (_SOCIAL + r"(?:[\s,|/•·]+" + _SOCIAL + r")*", 200),
    # page furniture, Russian
    (r"логотип|лого|меню|поиск|главная|печать|распечатать|версия для печати|реклама"
     r"|на правах рекламы|комментари(?:и|й|ев)(?: \(\d+\))?|поделиться\b.*|поделитесь\b.*"
     r"|читайте (?:также|еще|ещё|нас)\b.*|читать (?:далее|также|еще|ещё|полностью)\b.*"
     r"|смотрите (?:также)?\b.*|см\. также\b.*|теги:.*|метки:.*|рубрика:.*|ключевые слова:.*"
     r"|(?:нашли )?ошибк[ау] в тексте\b.*|.*ctrl\s*\+\s*enter.*", 120),
    (r"(?!.*\.$)(?:подпиш\w*|подписыва\w*|подписаться|перейти|присоединяйтесь|следите за"
     r"|будь(?:те)? в курсе|узнавайте|скачивайте|читайте нас)\b.*", 120),
    (r"все права защищены\b.*", 200),
    (r"(?:фото(?:графия)?|изображение|иллюстрация|видео|кадр)(?:\s*(?:[:/©—–-]|предоставлено)).*"
     r"|фото\s+(?!.*\.$)(?:из открытых источников|\S+ ?\S*)|источник(?:и)?\s*:.*", 200),
    (r"(?:по материалам|по информации|по данным|с использованием материалов)\s+[^.,]{1,40}", 60),
)
_BOILERPLATE = [(re.compile(pattern, re.IGNORECASE), limit)
                for pattern, limit in _BOILERPLATE_PATTERNS]

# Bylines: "By John Smith", "By Jane Doe and Ivan Petrov, Reuters", "Автор: Иван Петров".
_BYLINE = re.compile(
    r"(?i:by|written by|reported by|story by|words by|author|authors|автор|авторы|текст"
    r"|корреспондент|обозреватель)\s*:?\s+"
    r"[A-ZА-ЯЁ][\w.'’\-]*(?:\s+(?:[A-ZА-ЯЁ][\w.'’\-]*|and|и|de|van|von|bin|ibn|al-\w+))*"
    r"(?:\s*[,|/—–-]\s*[\w .'’\-]{1,40})?",
)


def parse_article(text: str, lang: str | None = None) -> ParsedArticle:
    """Split an article into classified segments and find its title and date."""
    paragraphs = split_paragraphs(text)
    language = lang or detect_language(text)
    kinds = classify_paragraphs(paragraphs)
    title_index = next((i for i, kind in enumerate(kinds) if kind is SegmentKind.TITLE), None)
    segments: list[ParsedSegment] = []
    for index, (paragraph, kind) in enumerate(zip(paragraphs, kinds)):
        if kind is SegmentKind.BODY:
            segments.extend(ParsedSegment(index, kind, sentence)
                            for sentence in split_sentences(paragraph, language))
        else:
            segments.append(ParsedSegment(index, kind, paragraph))
    return ParsedArticle(
        language=language,
        title=paragraphs[title_index] if title_index is not None else None,
        date=_publication_date(paragraphs, kinds, language),
        segments=tuple(segments),
    )


# --- paragraphs ---------------------------------------------------------------

def split_paragraphs(text: str) -> list[str]:
    """Non-empty paragraphs, stripped, in order.

    Blank lines (whitespace of any kind, NBSP and zero-width characters
    included) separate blocks.  Inside a block a single newline also starts a
    new paragraph, because scraped pages put one item per line (a view counter
    above a repeated headline, a date under a title); lines are joined only
    when the break is visibly inside a sentence (the next line starts in lower
    case, or the line ends with a comma, hyphen or the like) or when the whole
    block is hard-wrapped prose.
    """
    paragraphs: list[str] = []
    block: list[str] = []
    if _HAS_INVISIBLE.search(text):
        text = text.translate(_INVISIBLE)
    for line in text.split("\n") + [""]:
        stripped = line.strip()
        if stripped:
            block.append(stripped)
        elif block:
            paragraphs.extend(_split_block(block))
            block = []
    return paragraphs


def _split_block(lines: list[str]) -> list[str]:
    if len(lines) == 1:
        return lines
    if _is_hard_wrapped(lines):
        return [" ".join(lines)]
    paragraphs = [lines[0]]
    for line in lines[1:]:
        if _continues(paragraphs[-1], line):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
    return paragraphs


def _continues(previous: str, line: str) -> bool:
    """Is ``line`` the rest of a sentence that ``previous`` breaks off?"""
    if _BULLET.match(line) or is_meta_line(line) or is_meta_line(previous):
        return False
    if previous.rstrip(_CLOSERS)[-1:] in _TERMINAL:
        return False
    first = line[0]
    return first.islower() or previous[-1] in ",;:-–—(" or first in ",;)"


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Three or more lines cut at a fixed width: the last may be shorter."""
    if len(lines) < 3:
        return False
    widths = [len(line) for line in lines[:-1]]
    return (min(widths) >= 50 and max(widths) - min(widths) <= 20
            and len(lines[-1]) <= max(widths) + 2
            and not any(_BULLET.match(line) for line in lines))


# --- classification ---------------------------------------------------------

def classify_paragraphs(paragraphs: list[str]) -> list[SegmentKind]:
    """The kind of each paragraph (see the module docstring)."""
    kinds: list[SegmentKind | None] = [_kind_by_pattern(p) for p in paragraphs]

    # The title: the first line that is neither meta nor boilerplate and looks
    # like a headline.  Single words before it are a logo, a rubric or a menu.
    title_index = None
    for index, paragraph in enumerate(paragraphs):
        if kinds[index] is not None:
            continue
        if len(paragraph.split()) < 2:
            kinds[index] = SegmentKind.BOILERPLATE
            continue
        if _is_rubric(paragraphs, kinds, index):
            kinds[index] = SegmentKind.BOILERPLATE
            continue
        if _looks_like_headline(paragraph):
            title_index = index
            kinds[index] = SegmentKind.TITLE
        break

    # A repeated headline is boilerplate, not a second title: translating it
    # twice is wasted work and would put the same pair in the corpus twice.
    if title_index is not None:
        title_key = _comparable(paragraphs[title_index])
        for index in range(title_index + 1, len(paragraphs)):
            if kinds[index] is None and _comparable(paragraphs[index]) == title_key:
                kinds[index] = SegmentKind.BOILERPLATE

    # After the last body paragraph, short lines that do not end a sentence
    # are credits, sources and calls to action ('GSV "Russia - Islamic World"').
    first_body = next((i for i, k in enumerate(kinds)
                       if k is None and (title_index is None or i > title_index)), None)
    if first_body is not None:
        for index in range(len(paragraphs) - 1, first_body, -1):
            if kinds[index] is not None:
                continue
            if _looks_like_trailer(paragraphs[index]):
                kinds[index] = SegmentKind.BOILERPLATE
            else:
                break

    return [kind if kind is not None else SegmentKind.BODY for kind in kinds]


def _kind_by_pattern(paragraph: str) -> SegmentKind | None:
    if not any(ch.isalnum() for ch in paragraph):  # "* * *", "—", "|"
        return SegmentKind.BOILERPLATE
    if is_meta_line(paragraph) or _is_byline(paragraph):
        return SegmentKind.META
    for pattern, limit in _BOILERPLATE:
        if len(paragraph) <= limit and pattern.fullmatch(paragraph):
            return SegmentKind.BOILERPLATE
    return None


def _is_byline(paragraph: str) -> bool:
    return len(paragraph) <= 100 and _BYLINE.fullmatch(paragraph) is not None and (
        # "By" must be followed by a name, not "By the end of the year, ..."
        not paragraph[:3].casefold() == "by " or paragraph[3:4].isupper())


def _is_rubric(paragraphs: list[str], kinds: list[SegmentKind | None], index: int) -> bool:
    """A short section name ("World News") right above a longer headline."""
    paragraph = paragraphs[index]
    if len(paragraph.split()) > 3 or paragraph.rstrip(_CLOSERS)[-1:] in _TERMINAL:
        return False
    following = next((i for i in range(index + 1, len(paragraphs)) if kinds[i] is None), None)
    if following is None:
        return False
    headline = paragraphs[following]
    return _looks_like_headline(headline) and len(headline.split()) > len(paragraph.split())


def _looks_like_headline(paragraph: str) -> bool:
    """Short, one line, and not ending with a full stop (headlines rarely do)."""
    if len(paragraph) > _MAX_TITLE_CHARS:
        return False
    return paragraph.rstrip(_CLOSERS)[-1:] != "."


def _looks_like_trailer(paragraph: str) -> bool:
    if _BULLET.match(paragraph):
        return False
    last = paragraph.rstrip(_CLOSERS)[-1:]
    if last == "!":
        return len(paragraph) <= _MAX_EXCLAIMING_TRAILER
    return len(paragraph) <= _MAX_TRAILER_CHARS and last not in _TERMINAL


def _comparable(paragraph: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", paragraph.casefold()).split())


def _publication_date(paragraphs: list[str], kinds: list[SegmentKind],
                      language: str) -> str | None:
    """The first full date in a meta line, else in the first body paragraph's dateline.

    Dates elsewhere in the body are about events, not the publication.
    """
    for paragraph, kind in zip(paragraphs, kinds):
        if kind is SegmentKind.META:
            found = find_date(paragraph, language)
            if found:
                return found
    first_body = next((p for p, k in zip(paragraphs, kinds) if k is SegmentKind.BODY), None)
    dateline = _DATELINE_PREFIX.match(first_body) if first_body else None
    return find_date(dateline.group(1), language) if dateline else None


# --- dates and meta lines -----------------------------------------------------

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
        "january jan|январь января янв",
        "february feb|февраль февраля фев февр",
        "march mar|март марта мар",
        "april apr|апрель апреля апр",
        "may|май мая",
        "june jun|июнь июня июн",
        "july jul|июль июля июл",
        "august aug|август августа авг",
        "september sep sept|сентябрь сентября сен сент",
        "october oct|октябрь октября окт",
        "november nov|ноябрь ноября нояб ноя",
        "december dec|декабрь декабря дек"), start=1):
    for _name in _names.replace("|", " ").split():
        _MONTHS[_name] = _number
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"

_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\s*,?\s*(\d{{4}})\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(\d{{4}})\b",
                             re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")
_DOTTED_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_SLASHED_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::\d{2})?\s*([ap]\.?m\.?)?(?![\d:])", re.IGNORECASE)

# A meta line is made of nothing but these: dates, times, reading times,
# counters, a few words like "Updated" or "просмотров", and separators.
_META_TOKEN = re.compile(
    rf"""\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s*[ap]\.?m\.?)?
    |\d{{4}}-\d{{2}}-\d{{2}}(?:T[\d:.]+(?:Z|[+-]\d{{2}}:?\d{{2}})?)?
    |\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}
    |\d+\s*(?:min|mins|minutes?|мин|минут[аы]?|hours?|hrs?|h|ч|час(?:а|ов)?|сек\w*|seconds?)\b\.?
    |{_MONTH}
    |\d+(?:[\s,.]\d{{3}})*[kк]?
    |\b(?:updated|published|posted|modified|last|on|at|ago|today|yesterday|read|reading|time
        |views?|comments?|shares?|обновлено|опубликовано|изменено|дата|публикации|вчера
        |сегодня|назад|в|г|год|года|время|чтения|просмотр\w*|коммент\w*|utc|gmt|msk|мск
        |et|est|edt|pst|pdt|bst|cet|cest)\b\.?
    |[\s•·|/,.:;\-–—()\[\]👁]+
    """,
    re.IGNORECASE | re.VERBOSE,
)
_MAX_META_CHARS = 100
# "LONDON, Sept. 24, 2023 (Reuters) - ...": the place, then the date up to the agency.
_DATELINE_PREFIX = re.compile(r"[A-ZА-ЯЁ][A-ZА-ЯЁ'’\- ]{1,40},\s*(.{4,40}?)\s(?:[—–(/-]|$)")
_DIGIT = re.compile(r"\d")


def is_meta_line(line: str) -> bool:
    """A date, time, reading time or view counter line ("Апрель 24, 2025. 14:26 • 2 мин")."""
    if len(line) > _MAX_META_CHARS or not _DIGIT.search(line):
        return False
    return _META_TOKEN.sub("", line) == ""


def find_date(text: str, language: str = "en") -> str | None:
    """The first full date (with a year) in ``text`` as ISO 8601, with the time if given."""
    candidates: list[tuple[int, int, int, int]] = []  # (position, year, month, day)
    for match in _DAY_MONTH_YEAR.finditer(text):
        month = _MONTHS[match.group(2).rstrip(".").casefold()]
        candidates.append((match.start(), int(match.group(3)), month, int(match.group(1))))
    for match in _MONTH_DAY_YEAR.finditer(text):
        month = _MONTHS[match.group(1).rstrip(".").casefold()]
        candidates.append((match.start(), int(match.group(3)), month, int(match.group(2))))
    for match in _ISO_DATE.finditer(text):
        candidates.append((match.start(), int(match.group(1)), int(match.group(2)), int(match.group(3))))
    for match in _DOTTED_DATE.finditer(text):
        candidates.append((match.start(), int(match.group(3)), int(match.group(2)), int(match.group(1))))
    for match in _SLASHED_DATE.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        # 04/24/2025 is American; 24/04/2025 everyone else's.  Ambiguous ones
        # follow the article's language.
        month_first = second > 12 or (first <= 12 and language == "en")
        month, day = (first, second) if month_first else (second, first)
        candidates.append((match.start(), int(match.group(3)), month, day))
    for _, year, month, day in sorted(candidates):
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        time = _TIME.search(text)
        if time:
            hour, minute = int(time.group(1)), int(time.group(2))
            suffix = (time.group(3) or "").casefold().replace(".", "")
            if suffix == "pm" and hour < 12:
                hour += 12
            elif suffix == "am" and hour == 12:
                hour = 0
            if hour < 24 and minute < 60:
                return f"{found.isoformat()}T{hour:02d}:{minute:02d}"
        return found.isoformat()
    return None
