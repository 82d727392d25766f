from tests.support.fixtures import fixture_rows


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_overview_numbers_on_fixture_store(app, fixture_db):
    at = app(fixture_db).run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert metric(at, "Articles") == f"{len(fixture_rows()):,}"
    assert metric(at, "Outlets") == "4"
    assert metric(at, "Without a date") == "2"
    dates = sorted(r["date"][:10] for r in fixture_rows() if r["date"][:1] == "2")
    assert metric(at, "First article") == dates[0][:7]
    assert metric(at, "Last article") == dates[-1][:7]
    at = app(fixture_db, view="Outlets").run()
    table = at.dataframe[0].value
    assert list(table["outlet"]) == ["Metropolis Mirror", "Star City Star", "Gotham Gazette", "Daily Planet"]
    assert table["articles"].sum() == len(fixture_rows())


def test_outlet_filter_changes_the_numbers_and_the_url(app, fixture_db):
    at = app(fixture_db).run()
    at.multiselect(key="outlet").select("Gotham Gazette").run()
    assert not at.exception
    gotham = sum(1 for r in fixture_rows() if r["outlet"] == "Gotham Gazette")
    assert metric(at, "Articles") == str(gotham)
    assert metric(at, "Outlets") == "1"
    # (Writing the bound widget back into the address is the browser's job; tests/e2e checks it.)


def test_url_state_round_trip(app, fixture_db):
    at = app(fixture_db, outlet=["Daily Planet", "Star City Star"], q="storm").run()
    assert not at.exception
    assert at.multiselect(key="outlet").value == ["Daily Planet", "Star City Star"]
    assert at.text_input(key="q").value == "storm"
    expected = sum(
        1 for r in fixture_rows() if r["outlet"] in ("Daily Planet", "Star City Star") and "storm" in r["text"]
    )
    assert metric(at, "Articles") == str(expected)


def test_search_that_matches_nothing_says_so(app, fixture_db):
    at = app(fixture_db, q="zzzunknownword").run()
    assert not at.exception
    assert "No article matches the filters" in at.warning[0].value


def test_malformed_search_syntax_does_not_crash(app, fixture_db):
    at = app(fixture_db, q='storm AND ("coastal').run()
    assert not at.exception
    storms = sum(1 for r in fixture_rows() if "coastal" in r["text"])
    assert metric(at, "Articles") == str(storms)


def test_empty_store_explains_how_to_load_data(app, tmp_path):
    at = app(tmp_path / "empty.db").run()
    assert not at.exception
    assert "holds no articles yet" in at.info[0].value
    assert "python -m analysis demo" in at.info[0].value


def test_a_team_store_that_cannot_be_reached_says_why_without_its_password(app):
    at = app("postgresql://news:secret@127.0.0.1:9/news?connect_timeout=2").run()  # type: ignore[arg-type]
    assert not at.exception
    message = at.error[0].value
    assert "no PostgreSQL server answered there" in message and "Check NEWS_DB" in message
    assert "secret" not in message and "news:***@" in message
