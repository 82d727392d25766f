"""Collection against local news sites (tests/newssite.py), on both store backends: every source kind,
safety, politeness, failures by reason, deduplication, resuming. No real site is contacted."""

from __future__ import annotations

import threading
import time
import zipfile
from datetime import UTC, datetime

import pytest

from analysis.collect.fetch import Fetcher, FetchError, FetchPolicy, check_host
from analysis.collect.runner import Collector
from analysis.collect.sources import read_sources
from analysis.errors import BadInput
from analysis.store import Store
from tests.support.newssite import NewsServer, Site, article_page, gzip_bomb, paragraphs

POLICY = FetchPolicy(delay=0.0, backoff=0.05, read_timeout=1.0, allow_hosts=frozenset({"localhost"}))


@pytest.fixture
def sites():
    made: list[NewsServer] = []

    def make(name: str, **kw) -> NewsServer:
        server = NewsServer(Site(name, **kw), host_name="localhost")
        made.append(server)
        return server

    yield make
    for s in made:
        s.close()


def collect(store: Store, policy: FetchPolicy = POLICY, **kw):
    return Collector(store, policy, batch=kw.pop("batch", 25), progress=kw.pop("progress", None)).run(**kw)


def stored(store: Store) -> dict[str, dict]:
    rows = store.execute("SELECT * FROM articles").fetchall()
    return {r["url"]: dict(r) for r in rows}


def test_every_feed_kind_and_home_page_discovery(store, sites):
    rss, atom, jsonf, smap, home = (
        sites(n) for n in ("Daily Rss", "Atom Times", "Json Post", "Map Herald", "Home Gazette")
    )
    summary = collect(
        store,
        feeds=[
            rss.url("/feed.xml"),
            atom.url("/atom.xml"),
            jsonf.url("/feed.json"),
            smap.url("/sitemap.xml"),
            home.url("/"),
        ],
    )
    assert summary.failures == []
    assert summary.stored == 5 * 6 and summary.fetched == 30 and summary.near_duplicates == 0
    rows = stored(store)
    first = rows[rss.url("/news/0")]
    assert first["title"] == "Storm floods coastal towns as river bursts its banks"
    assert first["outlet"] == "Daily Rss" and first["published"] == "2026-11-20T08:00:00Z"
    assert first["authors"] == "Maria Lopez"
    assert "storm" in first["text"] and len(first["text"].split()) > 150
    assert "Share this story" not in first["text"] and "Most read" not in first["text"]
    assert '"top_image": "http://localhost' in first["extra"]
    # The feed's tracking parameters (utm_*) are not part of the stored URL.
    assert all("utm_" not in u for u in rows)
    feeds = {r[0] for r in store.execute("SELECT url FROM feeds")}
    assert home.url("/feed.xml") in feeds and len(feeds) == 5  # 4 given + the one the home page announces


def test_feed_collected_again_fetches_nothing_new(store, sites):
    site = sites("Daily Rss")
    collect(store, feeds=[site.url("/feed.xml")])
    hits = sum(site.site.hits[f"/news/{i}"] for i in range(6))
    again = collect(store, feeds=[site.url("/feed.xml")])
    assert again.not_modified == 1 and again.fetched == 0 and again.stored == 0
    assert sum(site.site.hits[f"/news/{i}"] for i in range(6)) == hits == 6


def test_urls_as_list_csv_and_arguments(store, sites, tmp_path):
    site = sites("Listed")
    (tmp_path / "urls.txt").write_text(f"# my list\n{site.url('/news/0')}\n\n{site.url('/news/1')}\n")
    (tmp_path / "urls.csv").write_text(f"title,url\nA,{site.url('/news/2')}\nB,{site.url('/news/3')}\n")
    (tmp_path / "bad.csv").write_text("title,address\nA,x\n")
    _, a = read_sources(None, str(tmp_path / "urls.txt"))
    _, b = read_sources(None, str(tmp_path / "urls.csv"))
    assert a == [site.url("/news/0"), site.url("/news/1")] and b == [site.url("/news/2"), site.url("/news/3")]
    with pytest.raises(BadInput, match="none named url or link"):
        read_sources(None, str(tmp_path / "bad.csv"))
    assert collect(store, urls=a + b).stored == 4


def test_failures_are_grouped_by_reason(store, sites):
    site = sites("Trouble Times")
    calls = {"flaky": 0}

    def flaky(h):
        calls["flaky"] += 1
        if calls["flaky"] == 1:
            h.send(500, "oops")
        else:
            h.send(200, site.site.page(1))

    def slow(h):
        time.sleep(2.5)
        h.send(200, site.site.page(2))

    site.site.extra.update(
        {
            "/flaky": flaky,
            "/slow": slow,
            "/huge": lambda h: h.send(200, "<html><body>" + "<p>word </p>" * 40_000 + "</body></html>"),
            "/bomb": lambda h: h.send(200, gzip_bomb(), Content_Encoding="gzip"),
            "/report.pdf": lambda h: h.send(200, b"%PDF-1.4 ...", "application/pdf"),
            "/section": lambda h: h.send(200, "<html><body><h1>World</h1><p>Latest headlines.</p></body></html>"),
        }
    )
    policy = FetchPolicy(
        delay=0.0, backoff=0.05, read_timeout=1.0, max_bytes=200_000, allow_hosts=frozenset({"localhost"})
    )
    paths = ["/flaky", "/missing", "/slow", "/huge", "/bomb", "/report.pdf", "/section", "/private/leak"]
    summary = collect(store, policy, urls=[site.url(p) for p in paths])
    reasons = {f["url"].rsplit("/", 1)[-1]: f["reason"] for f in summary.failures}
    assert reasons == {
        "missing": "HTTP 404",
        "slow": "timeout",
        "huge": "too large",
        "bomb": "too large",
        "report.pdf": "not a web page",
        "section": "too short to be an article",
        "leak": "disallowed by robots.txt",
    }
    assert summary.stored == 1 and calls["flaky"] == 2  # 500, then success on the retry
    assert site.site.hits["/private/leak"] == 0  # robots.txt was asked first
    assert "HTTP 404: 1 (e.g. http://localhost" in summary.text()
    # Failures are recorded per URL, with the reason, for the page's table.
    assert store.execute("SELECT count(*) FROM collect_urls WHERE state = 'failed'").fetchone()[0] == 7


def test_malformed_feed_and_page_without_feed(store, sites):
    site = sites("Broken Feeds")
    site.site.extra["/bad.xml"] = lambda h: h.send(200, "<rss><channel><item><title>cut", "application/rss+xml")
    site.site.extra["/plain"] = lambda h: h.send(200, "<html><head></head><body>Hello</body></html>")
    summary = collect(store, feeds=[site.url("/bad.xml"), site.url("/plain")])
    assert [f["reason"] for f in summary.failures] == ["malformed feed", "no feed found"]
    assert summary.stored == 0 and store.count() == 0


@pytest.mark.parametrize(
    "target, expected",
    [
        ("http://127.0.0.1:{port}/news/0", "a loopback address"),
        ("http://10.0.0.1/news/0", "a private network address"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:{port}/news/0", "a loopback address"),
        ("file:///etc/passwd", "Only http and https"),
    ],
)
def test_redirects_to_private_addresses_and_files_are_refused(sites, target, expected):
    site = sites("Redirector")
    site.site.extra["/go"] = lambda h: h.send(302, "", Location=target.format(port=site.port))
    fetcher = Fetcher(POLICY)
    with pytest.raises(FetchError, match=expected):
        fetcher.get(site.url("/go"))


def test_private_addresses_are_refused_without_the_allow_list(sites):
    site = NewsServer(Site("Local"))  # served as http://127.0.0.1:PORT
    try:
        with pytest.raises(FetchError, match="loopback") as err:
            Fetcher(FetchPolicy(delay=0.0)).get(site.url("/news/0"))
        assert err.value.reason == "blocked address" and site.site.hits["/news/0"] == 0
    finally:
        site.close()
    for host in (
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "0.0.0.0",
        "fe80::1",
        "fc00::1",
    ):
        with pytest.raises(FetchError):
            check_host(host, 80, FetchPolicy())
    assert check_host("93.184.215.14", 80, FetchPolicy()) == "93.184.215.14"


def test_tracking_parameters_and_known_urls_are_not_fetched_twice(store, sites):
    site = sites("Dup Daily")
    collect(store, urls=[site.url("/news/0")])
    again = collect(store, urls=[site.url("/news/0?utm_source=twitter&fbclid=abc"), site.url("/news/0#comments")])
    assert again.stored == 0 and again.fetched == 0 and again.already == 1
    assert site.site.hits["/news/0"] == 1


def test_a_url_that_failed_before_is_tried_again_when_asked_for_and_says_why(store, sites):
    site = sites("Flaky Daily")
    first = collect(store, urls=[site.url("/gone")])
    again = collect(store, urls=[site.url("/gone")])  # typed again: not a silent "0 failed"
    assert len(first.failures) == 1 and len(again.failures) == 1 and again.failures[0]["reason"] == "HTTP 404"
    assert site.site.hits["/gone"] == 2


def test_syndicated_copy_is_stored_and_linked_to_the_first(store, sites):
    wire, paper = sites("Wire Service"), sites("Town Paper")
    original = paragraphs(0, "Wire Service", 10)
    edited = ["Town Paper readers along the river were among the first to see the water rise.", *original[1:]]
    when = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
    wire.site.extra["/wire"] = lambda h: h.send(200, article_page("Wire Service", "Storm floods towns", original, when))
    paper.site.extra["/copy"] = lambda h: h.send(
        200, article_page("Town Paper", "Storm floods coastal towns", edited, when)
    )
    first = collect(store, urls=[wire.url("/wire")])
    second = collect(store, urls=[paper.url("/copy"), paper.url("/news/3")])
    assert first.stored == 1 and second.stored == 2 and second.near_duplicates == 1
    rows = {(r["outlet"], r["url"].rsplit("/", 1)[-1]): r for r in stored(store).values()}
    wire_id = rows["Wire Service", "wire"]["id"]
    assert rows["Town Paper", "copy"]["duplicate_of"] == wire_id
    assert rows["Town Paper", "3"]["duplicate_of"] is None  # a different story by the same paper
    # The topic model's corpus leaves the copy out; the outlet's count keeps it.
    assert len(store.fits.corpus_frame()) == 2 and store.count() == 3


def test_interrupted_run_is_finished_by_the_next(store, sites):
    site = sites("Resumed", n_articles=8, latency=0.3)  # slow enough that the interrupt comes mid-run
    urls = [site.url(f"/news/{i}") for i in range(8)]

    def stop_after_four(stage, done, total):
        if done >= 4:
            raise KeyboardInterrupt

    first = collect(store, urls=urls, batch=2, progress=stop_after_four)
    assert first.interrupted and 0 < first.stored < 8
    states = dict(store.execute("SELECT state, count(*) FROM collect_urls GROUP BY state").fetchall())
    assert states.get("fetching", 0) == 0 and states["queued"] + states["stored"] == 8
    done_first = {r[0] for r in store.execute("SELECT url FROM articles")}
    rest = collect(store)  # nothing given: the queue left by the interrupted run is finished
    assert first.stored + rest.stored == 8 and store.count() == 8
    # What the first run stored was not fetched again.
    assert all(site.site.hits[u.split(str(site.port))[1]] == 1 for u in done_first)


def test_run_that_died_is_requeued(store, sites):
    site = sites("Crashed")
    store.execute(
        "INSERT INTO collect_runs(id, started, heartbeat, status) VALUES (99, '2020-01-01T00:00:00Z',"
        " '2020-01-01T00:00:00Z', 'running')"
    )
    store.execute(
        "INSERT INTO collect_urls(url, requested, state, run_id, updated) VALUES (?, ?, 'fetching', 99, '')",
        (site.url("/news/1").replace("http://", "https://"), site.url("/news/1")),
    )
    assert collect(store).stored == 1


def test_two_runs_at_once_store_each_article_once(tmp_path, sites):
    site = sites("Busy", n_articles=8, latency=0.05)
    urls = [site.url(f"/news/{i}") for i in range(8)]
    Store(tmp_path / "news.db").close()
    results = []

    def go():
        with Store(tmp_path / "news.db") as s:
            results.append(collect(s, urls=urls))

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with Store(tmp_path / "news.db") as s:
        assert s.count() == 8
    assert sum(r.stored for r in results) == 8
    assert all(site.site.hits[f"/news/{i}"] == 1 for i in range(8))


def test_saved_pages_files_folders_and_zip(store, tmp_path):
    when = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    folder = tmp_path / "saved"
    folder.mkdir()
    page = article_page(
        "Saved Post", "Budget passes", paragraphs(1, "Saved Post"), when, canonical="https://savedpost.example/b"
    )
    (folder / "budget.html").write_text(page)
    og = article_page("Og Daily", "Rates rise", paragraphs(2, "Og Daily"), when).replace(
        "<head>", '<head><meta property="og:url" content="https://og.example/rates?utm_campaign=x">'
    )
    with zipfile.ZipFile(tmp_path / "pages.zip", "w") as zf:
        zf.writestr("pages/rates.htm", og)
        zf.writestr("pages/front.html", "<html><body><h1>Home</h1></body></html>")
        zf.writestr("notes.txt", "not a page")
    (tmp_path / "notes.txt").write_text("x")
    summary = collect(store, html=[folder, tmp_path / "pages.zip", tmp_path / "notes.txt", tmp_path / "gone.html"])
    assert summary.stored == 2
    urls = set(stored(store))
    assert urls == {"https://savedpost.example/b", "https://og.example/rates"}
    assert sorted(f["reason"] for f in summary.failures) == [
        "file not found",
        "not an HTML file",
        "too short to be an article",
    ]


def test_command_line_collects_and_explains_bad_input(tmp_path, sites, capsys):
    from analysis.cli import main

    site = sites("Cli Courier")
    db = str(tmp_path / "cli.db")
    code = main(["collect", "--db", db, "--allow-host", "localhost", "--delay", "0", site.url("/feed.xml")])
    out = capsys.readouterr().out
    assert code == 0 and "Fetched 6 pages; stored 6 new articles" in out
    assert main(["collect", "--db", db]) == 1
    assert "Nothing to collect" in capsys.readouterr().err
    assert main(["collect", "--db", db, "--urls", str(tmp_path / "none.txt")]) == 1
    assert "none.txt does not exist." in capsys.readouterr().err
    (tmp_path / "empty.txt").write_text("# nothing\n")
    assert main(["collect", "--db", db, "--urls", str(tmp_path / "empty.txt")]) == 1
    assert "lists no URLs" in capsys.readouterr().err
    # Without --allow-host the same local server is refused, and nothing stored is lost.
    code = main(["collect", "--db", db, "--delay", "0", site.url("/news/5").replace("localhost", "127.0.0.1")])
    assert code == 0 and "blocked address: 1" in capsys.readouterr().out
    with Store(db) as s:
        assert s.count() == 6


def test_429_with_retry_after_and_sitemap_index(store, sites):
    site = sites("Index Times")
    calls = {"n": 0}

    def busy(h):
        calls["n"] += 1
        if calls["n"] == 1:
            h.send(429, "slow down", Retry_After="1")
        else:
            h.send(200, site.site.page(4))

    site.site.extra["/busy"] = busy
    site.site.extra["/sitemap_index.xml"] = lambda h: h.send(
        200,
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.url('/sitemap.xml')}</loc></sitemap></sitemapindex>",
        "application/xml",
    )
    t = time.perf_counter()
    summary = collect(store, feeds=[site.url("/sitemap_index.xml")], urls=[site.url("/busy")])
    assert calls["n"] == 2 and time.perf_counter() - t >= 1.0  # waited as Retry-After asked
    # 6 from the child sitemap; the busy page carries /news/4's text (and its canonical link): a duplicate.
    assert summary.failures == [] and summary.stored == 6 and summary.duplicates == 1


def test_watch_collects_the_feeds_again_until_stopped(tmp_path, sites, capsys, monkeypatch):
    from analysis.cli import main

    server = sites("Watch Weekly", n_articles=3)
    real_sleep, naps = time.sleep, []

    def nap(seconds: float) -> None:
        if seconds != 30:  # politeness waits etc. go on as usual
            real_sleep(seconds)
            return
        naps.append(seconds)
        if len(naps) == 1:
            server.site.n_articles = 5  # two new stories appear in the feed
            return
        raise KeyboardInterrupt  # Ctrl-C while waiting for the third round

    monkeypatch.setattr(time, "sleep", nap)
    db = tmp_path / "watch.db"
    code = main(
        [
            "collect",
            "--db",
            str(db),
            "--allow-host",
            "localhost",
            "--delay",
            "0",
            "--watch",
            "0.5",
            "--feeds",
            str(_write(tmp_path / "feeds.txt", server.url("/feed.json") + "\n")),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and naps == [30, 30]
    assert "Next collection of 1 feeds in 0.5 minutes (Ctrl-C stops)." in out
    assert "stored 3 new articles" in out and "stored 2 new articles" in out
    with Store(db) as s:
        assert len(stored(s)) == 5
    assert all(server.site.hits[f"/news/{i}"] == 1 for i in range(5))  # nothing fetched twice


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_typed_line_that_is_no_web_address_says_so():
    from analysis.collect.runner import _an_address, _not_collected

    assert not _an_address("not") and not _an_address("example") and _an_address("example.com/a")
    assert _an_address("http://intranet/a")  # written as an address: the host rules decide, not the dot
    assert _not_collected("not")["reason"] == "not a web address"
    assert _not_collected("ftp://files.example/a")["reason"] == "unsupported scheme"
    assert _not_collected("javascript:alert(1)")["reason"] == "unsupported scheme"
