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


def _is_label(par: str) -> bool:
    """A short line without sentence punctuation: a name, a caption stub or a section label."""
    return len(par) < 80 and len(par.split()) <= 8 and not _ENDS_SENTENCE.search(par)


def clean_text(text: str, title: str | None = None) -> str:
    """Article text without the boilerplate paragraphs that news pages wrap around the story."""
    if not text:
        return ""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text) if p.strip()]
    title_norm = (title or "").strip().lower()
    kept: list[str] = []
    for i, par in enumerate(paragraphs):
        if _ANYWHERE.match(par) or _BYLINE.match(par):
            continue
        lead = i < 3 and not kept
        if lead and (_LEAD.match(par) or _is_label(par)):
            continue
        if title_norm and lead:
            low = par.lower()
            if low == title_norm or (len(par) < 500 and low.endswith(title_norm)):
                continue
        kept.append(par)
    while kept and (_TAIL.match(kept[-1]) or (len(kept[-1]) < 400 and _BIO.match(kept[-1])) or _is_label(kept[-1])):
        kept.pop()
    kept = [p for p in kept if not _TAIL.match(p) or len(p) > 300]
    return "\n\n".join(kept)
