import pytest

from analysis.ingest.schema import Article, ArticleError, canonical_url, content_hash, domain_of


def test_canonical_url_strips_tracking_and_normalises():
    assert (
        canonical_url("HTTP://www.Example.com/news/story/?utm_source=tw&utm_medium=x&id=5&fbclid=abc#top")
        == "https://example.com/news/story?id=5"
    )
    assert canonical_url("https://example.com:443/a") == "https://example.com/a"
    assert canonical_url("ftp://example.com/a") is None
    assert canonical_url("") is None


def test_domain_of():
    assert domain_of("https://www.cnn.com/2020/01/01/x") == "cnn.com"
    assert domain_of("money.cnn.com") == "money.cnn.com"
    assert domain_of(None) is None


def test_content_hash_ignores_spacing_and_case():
    assert content_hash("Title", "Some  text\nhere") == content_hash("title", "some text here")
    assert content_hash("Title", "Some text") != content_hash("Title", "Other text")


def test_article_without_url_gets_stable_id_from_content():
    a = Article(title="T", text="Body").finalise()
    b = Article(title="T", text="Body").finalise()
    assert a.canonical.startswith("urn:sha1:")
    assert a.id == b.id and len(a.id) == 16
    assert a.outlet == "Unknown outlet"


def test_article_needs_title_or_text():
    with pytest.raises(ArticleError, match="neither a title nor a text"):
        Article(title="  ", text="").finalise()
    a = Article(title="", text="First line of the story.\nMore.").finalise()
    assert a.title == "First line of the story."


def test_outlet_defaults_to_domain():
    a = Article(title="T", text="x", url="https://www.reuters.com/a").finalise()
    assert a.outlet == "reuters.com" and a.outlet_domain == "reuters.com"
