"""A small corpus with clear topics, for topic-engine tests."""

from __future__ import annotations

import random

SUBJECTS = {
    "hurricane": "hurricane storm flooding coast evacuation rain wind landfall shelters damage",
    "election": "election ballots voters polls candidates campaign turnout precinct results recount",
    "vaccine": "vaccine doses trial immunity clinic virus shots pharmacy efficacy booster",
    "football": "football match goal striker league coach penalty stadium season transfer",
    "budget": "budget deficit spending congress appropriations shutdown treasury taxes debt bill",
    "wildfire": "wildfire blaze firefighters acres containment smoke drought evacuations forest embers",
}
OUTLETS = ["Daily Planet", "Gotham Gazette", "Star City Star", "Metropolis Mirror"]


def topic_rows(per_subject: int = 30, seed: int = 3, subjects: list[str] | None = None) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for s_index, subject in enumerate(subjects or list(SUBJECTS)):
        vocab = SUBJECTS[subject].split()
        for i in range(per_subject):
            words = rng.sample(vocab, 6) + rng.sample(vocab, 4)
            outlet = OUTLETS[(i + s_index) % len(OUTLETS)]
            month = 1 + (i % 6)
            rows.append(
                {
                    "url": f"https://{outlet.split()[0].lower()}.example/{subject}/{i}",
                    "title": f"{subject.title()} update {i}: {' '.join(words[:3])}",
                    "text": " ".join(words) + ". " + " ".join(rng.sample(vocab, 8)) + ".",
                    "outlet": outlet,
                    "date": f"2020-{month:02d}-{1 + i % 27:02d}",
                    "subject": subject,
                }
            )
    return rows


# Four outlets reporting one event within a day: a story across outlets for page and browser tests.
STORY_ROWS = [
    {
        "url": f"https://{o.split()[0].lower()}.example/zeta",
        "title": f"Hurricane Zeta makes landfall near the coast ({o})",
        "text": "Hurricane Zeta made landfall on the coast with strong wind and heavy rain, forcing evacuation "
        f"of coastal towns and opening shelters; flooding and damage were reported. {extra}",
        "outlet": o,
        "date": f"2020-03-{d}T{h:02d}:00:00Z",
        "subject": "hurricane",
    }
    for o, d, h, extra in (
        ("Gotham Gazette", 10, 6, "Officials urged calm."),
        ("Daily Planet", 10, 9, "More soon."),
        ("Star City Star", 10, 15, "Power was cut."),
        ("Metropolis Mirror", 11, 8, "Roads closed."),
    )
]
BIAS = {"Daily Planet": "Left", "Gotham Gazette": "Right", "Star City Star": "Center", "Metropolis Mirror": "Left"}
