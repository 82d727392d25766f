"""How long a pipeline run will take, said before it starts: from the rates this machine measured on its last runs
(the store keeps them: store.outputs.rates), else from rates measured on a 2-core machine by `bench stages` and the
demo's fit. Shared by the command line and the Collect page; the pipeline records the rates when a run ends."""

from __future__ import annotations

from dataclasses import dataclass

# Articles per second on a 2-core machine (bench/results/stages.json; the demo's fit of 7,998 articles).
DEFAULT_RATES = {"stages": 20.0, "topics": 150.0}


@dataclass(frozen=True)
class Estimate:
    seconds: float
    articles: int
    measured: bool  # from this machine's own runs (else the defaults)

    def text(self) -> str:
        """ "about 4 minutes for 3,170 articles (at the rates of this machine's last run)"."""
        minutes = self.seconds / 60
        if self.seconds < 90:
            span = "under a minute" if self.seconds < 50 else "about a minute"
        else:
            span = f"about {round(minutes):,} minutes"
        source = "at the rates of this machine's last run" if self.measured else "at the rates of a 2-core machine"
        return f"{span} for {self.articles:,} articles ({source})"


def estimate(measured: dict[str, float], to_do: int, corpus: int, refit: bool) -> Estimate:
    """The time for the stages on to_do articles, plus (refit) the topic fit on the whole corpus, at the measured
    rates (articles per second: "stages", "topics") where there are some, else the defaults."""
    r = DEFAULT_RATES | measured
    seconds = to_do / r["stages"] + (corpus / r["topics"] if refit else 0.0)
    return Estimate(seconds, corpus if refit else to_do, bool(measured))
