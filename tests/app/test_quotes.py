"""Who is quoted on the Article, Story and Entities pages."""

from __future__ import annotations

from analysis.store import Store
from tests.explore.test_quotes import quoted_db  # noqa: F401  (the shared store)


def test_the_article_page_says_who_is_quoted(app, quoted_db):  # noqa: F811
    db, _ = quoted_db
    with Store(db, readonly=True) as s:
        aid = s.execute("SELECT id FROM articles WHERE url = 'https://planet.test/q1'").fetchone()[0]
    at = app(db, "views/article.py", article=aid)
    at.run()
    assert not at.exception
    assert "Who is quoted" in [h.value for h in at.subheader]
    table = next(d.value for d in at.dataframe if "quote" in d.value.columns)
    assert table["speaker"].tolist() == ["Angela Merkel", "(not named)"]


def test_the_entities_page_says_where_a_person_is_quoted(app, quoted_db):  # noqa: F811
    db, merkel = quoted_db
    at = app(db, "views/entities.py", entity=str(merkel), part="Quoted")
    at.run()
    assert not at.exception
    said = " ".join(m.value for m in at.markdown).replace("\\", "")  # outlet names are escaped for markdown
    assert "Quoted in **5** articles of the selection, by 2 outlets: Daily Planet (3); Gotham Gazette (2)." in said
