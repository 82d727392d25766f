"""How long a pipeline run will take, said before it starts: from the rates this machine measured on its last runs
(the store keeps them: store.outputs.rates), else from rates measured on a 2-core machine by `bench stages` and the
demo's fit. Shared by the command line and the Collect page; the pipeline records the rates when a run ends."""

from __future__ import annotations

from dataclasses import dataclass

# Articles per second on a 2-core machine: the per-article stages (bench/results/stages.json), the topic fit (the
# demo's 7,998 articles: 80 s alone, 145 s beside other work), and what a run does over the whole corpus whatever
# it adds (stories and entities regrouped; a refit's tags).
DEFAULT_RATES = {"stages": 20.0, "topics": 60.0, "corpus": 1000.0}
START_SECONDS = 15.0  # a run's start: the process, the models, the articles read


@dataclass(frozen=True)
class Estimate:
    seconds: float
    articles: int
    measured: bool  # from this machine's own runs (else the defaults)

    def text(self) -> str:
        """Like "about 4 minutes for 3,170 articles, at the rates of this machine's last run"."""
        if not self.articles:
            return "nothing to do"
        if self.seconds < 90:
            span = "under a minute" if self.seconds < 50 else "about a minute"
        else:
            span = f"about {round(self.seconds / 60):,} minutes"
        source = "at the rates of this machine's last run" if self.measured else "at the rates of a 2-core machine"
        return f"{span} for {self.articles:,} articles, {source}"


def estimate(measured: dict[str, float], to_do: int, corpus: int, refit: bool) -> Estimate:
    """The time of a run: its start, the stages on to_do articles, what it does over the whole corpus, and (refit)
    the topic fit, at the measured rates (articles per second: "stages", "topics", "corpus") where there are some,
    else the defaults."""
    r = DEFAULT_RATES | measured
    if not to_do and not refit:
        return Estimate(0.0, 0, bool(measured))
    seconds = START_SECONDS + to_do / r["stages"] + corpus / r["corpus"] + (corpus / r["topics"] if refit else 0.0)
    return Estimate(seconds, corpus if refit else to_do, bool(measured))
