"""What is in the store as a whole: span, outlets, groups, imports, collection runs, pipeline state."""

from __future__ import annotations

from datetime import date

from analysis.explore import corpus
from analysis.pipeline.load import import_file
from tests.support.fixtures import write_csv


def test_an_empty_store_says_it_is_empty(store):
    assert corpus.bounds(store) == (None, None, [], 0)
    assert corpus.outlet_groups(store) == {"bias": [], "country": []}
    assert corpus.imports(store).empty and corpus.collect_runs(store).empty
    assert corpus.pipeline_state(store) == corpus.PipelineState(0, 0, 0, False)


def test_span_outlets_imports_and_runs_of_a_small_store(store, tmp_path):
    rows = [
        {
            "title": f"T{i}",
            "text": f"Body {i} about things.",
            "outlet": o,
            "published": d,
            "url": f"https://{o[0].lower()}.test/{i}",
        }
        for i, (o, d) in enumerate([("Alpha", "2024-01-03"), ("Alpha", "2024-02-01"), ("Beta", "2024-01-10")])
    ]
    import_file(store, write_csv(tmp_path / "a.csv", rows))
    store.outlets.update_outlet("Alpha", bias="left", country="US")
    store.outlets.update_outlet("Beta", bias="right", country="UK")
    assert corpus.bounds(store) == (date(2024, 1, 3), date(2024, 2, 1), ["Alpha", "Beta"], 3)
    assert corpus.outlet_groups(store) == {"bias": ["left", "right"], "country": ["UK", "US"]}
    imports = corpus.imports(store)
    assert list(imports[["status", "stored", "rejected"]].iloc[0]) == ["done", 3, 0]
    run = store.collection.start_run({"urls": 1})
    store.collection.finish_run(run, "finished", {"fetched": 2, "stored": 1, "failures": [{"url": "x"}]})
    runs = corpus.collect_runs(store)
    assert runs.iloc[0][["run", "status", "fetched", "stored", "failed"]].tolist() == [run, "finished", 2, 1, 1]
    assert corpus.pipeline_state(store).articles == 3
    assert list(corpus.outlet_meta(store)["name"]) == ["Alpha", "Beta"]
