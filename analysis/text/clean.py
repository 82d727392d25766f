"""Remove news-page boilerplate (bylines, captions, share bars, copyright lines) from article text."""

from __future__ import annotations

import re

_ANYWHERE = re.compile(
    r"^(Image copyright|Image caption|Media playback is unsupported|Enlarge this image|toggle caption|"
    r"Hide caption|Share This Story|SHARE THIS ARTICLE|Share All sharing options|Advertisement$|"
    r"poster=\"|next Image \d+ of|Photo$|Photos?:|Sign up for|Subscribe to|Click here to|"
    r"\*\*Want FOX News|Get all the latest news on|Read More$|Read more:|RELATED:|Related:|"
    r"This article is more than \d+ \w+ old|Watch:|WATCH:|CLOSE\b|ADVERTISEMENT)",
)
_LEAD = re.compile(
    r"^(ANALYSIS/OPINION:?$|\d+ (years?|months?|weeks?|days?|hours?|minutes?) ago$|USA TODAY$|"
    r"The opinions expressed by|Story highlights|From the (Left|Right|Center)$|Editor'?s note:|"
    r"Updated \d|Published \d|Last updated)",
    re.IGNORECASE,
)
_TAIL = re.compile(
    r"^(Copyright ©|©|The Associated Press contributed|Associated Press writers? .* contributed|"
    r"Read or Share this story|Content created by The Daily Caller|Follow @|Follow us on|Join us on|"
    r"Every day at Vox|This story has been updated|This article has been updated|Contributing:|"
    r"Click for more from|NPR transcripts are created|Please include a contact number|"
    r"Something to Consider|Other opinions below|Editor’s note: As a public service|Reporting by|"
    r"Additional reporting by|Editing by|Want more|Like us on Facebook|All rights reserved|Copyright \d{4}|"
    r"This article first appeared|Also see:|Take me back to the top|CORRECTION:|-+ ?Check out|"
    r".{0,120}contributed to this (report|story)\.?$|.{0,80}can be reached at)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(By|BY|Written by)\s+[A-Z][\w.'’\-]+(\s+[A-Z][\w.'’\-]+){0,4}([,|].{0,60})?$")
_BIO = re.compile(
    r"^[A-Z][\w.'’\-]+(\s+[A-Z.][\w.'’\-]*){0,4},? (is|was) (a|an|the)?\s?.{0,120}"
    r"(editor|columnist|contributor|author|writer|fellow|professor|host|correspondent|reporter|president)",
    re.IGNORECASE,
)
_ENDS_SENTENCE = re.compile(r"[.!?…:;\"”’')\]]$")
# An embedded tweet: its link, or its attribution line "— Name (@handle) March 3, 2020".
_TWEET = re.compile(
    r"pic\.twitter\.com/|twitter\.com/\w+/status|[—–-]\s*[^\n]{0,80}\(@\w{1,30}\)\s*\w*\s*\d{0,2},?\s*\d{0,4}\s*$"
)
# A dateline at the start of a story: "WASHINGTON (Reuters) -", "Washington (CNN)", "NEW YORK, N.Y. —", "(CNN) -".
_PLACE = r"[A-Z][A-Za-z.'\-]*(?:(?:[ ,/]+|\s+and\s+)[A-Z][A-Za-z.'\-]*){0,8}"
_AGENCY = r"\((?:CNN|AP|Reuters|AFP|UPI|CNN Business|CNSNews\.com|The Hill|Bloomberg)\)"
DATELINE = re.compile(
    r"^(?:(?:" + _PLACE + r"\s*)?" + _AGENCY + r"\s*(?:[-—–]+\s*)?"
    r"|[A-Z][A-Z.'\-]+(?:[ /][A-Z][A-Z.'\-]+){0,3}(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?\s+[—–-]{1,2}\s+)"
)
_CORRECTION = re.compile(r"^\((?:This|Updates|Corrects|Adds|Recasts|Refiles|Language)\b[^)]{0,300}\)\s*")
# A dateline after a caption in the same paragraph: "...October 19, 2015. WASHINGTON (Reuters) - The".
_INNER_DATELINE = re.compile(
    r"(?<=[.!?)”\"])\s+(?:" + _PLACE + r"\s*)?\((?:AP|Reuters|AFP|UPI|CNN)\)(?:\s*[-—–]+\s*|\s+(?=[A-Z]))"
)
# A photo caption: a paragraph that ends with its credit ("(AP Photo/Evan Vucci)", "(Photo: ...)").
_CAPTION_END = re.compile(r"\((?:AP Photo|Photo|REUTERS|Reuters|Getty Images|AFP)[^)]{0,80}\)\s*$")
# A caption run into the story with its credit after a bar (Politico): "Trump has given Rep. Jim Jordan a boost by
# pushing him for a top committee spot. | J. Scott Applewhite/AP Photo Lawmakers are ...".
_BAR_CAPTION = re.compile(
    r"^[^|\n]{0,400}?\|\s*[A-Z][\w.'’\- ]{1,60}?"
    r"(?:/(?:AP Photo|AP|Getty Images|Reuters|AFP|Bloomberg)|Getty Images|AP Photo)\s+"
)
# The Hill's hover box, pasted into its article text after a name: the full name glued to related
# headlines, ending in "MORE" ("President Trump Donald John TrumpGOP senators balk at ... votes MORE and"), or glued
# to "MORE" alone ("John Kelly John Francis KellyMORE's departure"), or the headlines after a space ("Speaker Paul
# Ryan Paul Davis Ryan Retirees should say ... MORE").
_HOVER = re.compile(
    r"(?P<name>(?:(?:[A-Z][\w'’.\-]+|\([A-Z][\w'’.\-]+\))\s){1,4}(?P<last>[A-Z](?:[a-z'’.\-]*[a-z'’.])?(?:[A-Z][a-z'’\-]*[a-z'’])?))"
    r"(?=(?!MORE)[A-Z0-9‘\"“]|['’](?!s\b))[^\n]{0,600}?\sMORE\b"
)
_HOVER_GLUED = re.compile(r"(?P<last>[A-Z][a-z'’\-]+)\s(?:[A-Z(][\w'’.()\-]+\s){1,3}(?P=last)MORE\b")
_HOVER_SPACED = re.compile(
    r"(?P<last>[A-Z][a-z'’\-]+)\s(?:[A-Z(][\w'’.()\-]+\s){1,3}(?P=last)\s(?=[A-Z0-9])[^\n]{0,600}?\sMORE\b"
)
_AUDIO = re.compile(r"\bListen\s*·\s*\d+:\d\d(?:\s*\d+:\d\d)?")


def _is_label(par: str) -> bool:
    """A short line without sentence punctuation: a name, a caption stub or a section label."""
    return len(par) < 80 and len(par.split()) <= 8 and not _ENDS_SENTENCE.search(par)


_FOLD = str.maketrans("’‘“”", "''\"\"")  # curly and straight quotes compare alike (same length)


def _without_dateline(par: str) -> str:
    """A paragraph without a leading correction note, a caption run into the dateline, and the dateline
    itself ("WASHINGTON (Reuters) -", "Washington (CNN)", "NEW YORK —")."""
    par = _CORRECTION.sub("", par, count=1)
    inner = _INNER_DATELINE.search(par[:800])
    if inner:  # a caption, then the story's dateline: the story starts after it
        par = par[inner.end() :]
    return DATELINE.sub("", par, count=1).lstrip()


def _is_insert(par: str) -> bool:
    """An editor's bracketed insert ("[Struggling to keep up? Sign up for our newsletter.]")."""
    return par.startswith("[") and len(par) < 400


def _without_run_in_title(par: str, title_norm: str) -> str:
    """A lead paragraph without the headline glued to its start ("Headline The president said..." or a
    headline with a few words of subheading); a lead that merely starts with the headline's words as its
    own sentence ("The tyranny of the administrative state is real") is kept."""
    if len(title_norm.split()) < 4 or not par.lower().translate(_FOLD).startswith(title_norm.translate(_FOLD)):
        return par
    rest = par[len(title_norm) :]
    if re.match(r"\s+[“\"‘'(]?[A-Z0-9]", rest):
        return rest.strip()
    if len(rest.split()) <= 8 and not _ENDS_SENTENCE.search(rest.strip()):
        return ""  # the headline and a short subheading: not text
    return par


def without_hover_boxes(text: str) -> str:
    """The text without The Hill's pasted hover boxes, keeping the name the article itself used ("President Trump
    Donald John TrumpGOP senators balk at ... MORE said" -> "President Trump said")."""
    if "MORE" not in text:
        return text
    # the name glued to the first headline first ("Joe Biden Joe BidenGOP ..."); a box repeats the name, so a
    # name with a capital inside ("John McCain's") that looks glued is left as it is
    kept, at = [], 0
    while (m := _HOVER.search(text, at)) is not None:
        words = m["name"].split()[:-1]
        if m["last"] in words:
            kept += [text[at : m.start()], " ".join(words[: words.index(m["last"]) + 1])]
            at = m.end()
        else:
            kept.append(text[at : m.start() + 1])
            at = m.start() + 1
    text = "".join([*kept, text[at:]])
    return _HOVER_SPACED.sub(lambda m: m["last"], _HOVER_GLUED.sub(lambda m: m["last"], text))


def clean_text(text: str, title: str | None = None) -> str:
    """Article text without the boilerplate paragraphs that news pages wrap around the story."""
    if not text:
        return ""
    paragraphs = [_AUDIO.sub("", p).strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text)]
    paragraphs = [p for p in paragraphs if p]
    title_norm = (title or "").strip().rstrip(".!?").lower()
    kept: list[str] = []
    for i, par in enumerate(paragraphs):
        if _ANYWHERE.match(par) or _BYLINE.match(par) or _TWEET.search(par) or _is_insert(par):
            continue
        if _CAPTION_END.search(par) and len(par) < 600:
            continue
        lead = i < 3 and not kept
        if lead and (_LEAD.match(par) or _is_label(par)):
            continue
        if title_norm and lead:
            low = par.lower()
            if low.rstrip(".!?") == title_norm or (len(par) < 500 and low.endswith(title_norm)):
                continue
        if i < 3:  # a caption run into the story with its credit after a bar, before the headline it precedes
            par = _BAR_CAPTION.sub("", par)
        if title_norm and i < 3:  # the headline glued to the text (after a subheading, too)
            par = _without_run_in_title(par, title_norm)
            if not par:
                continue
        if len(kept) < 3:  # the story's dateline sits in its first paragraphs, often after a caption
            par = _without_dateline(par)
            if not par:
                continue
        kept.append(par)
    while kept and (_TAIL.match(kept[-1]) or (len(kept[-1]) < 400 and _BIO.match(kept[-1])) or _is_label(kept[-1])):
        kept.pop()
    kept = [p for p in kept if not _TAIL.match(p) or len(p) > 300]
    return "\n\n".join(kept)
