from analysis.ingest.dates import DateParser, parse_one


def test_common_formats_to_utc():
    values = [
        "2019-03-01T10:00:00+02:00",
        "Tue, 10 Jun 2003 04:00:00 GMT",
        "Mon, 4 Mar 2019 09:00:00 EST",
        "1/21/18",
        "2017/3/9 7:11",
        "March 3, 2020 5:00 PM PST",
        1551434400,
        "1551434400000",
        "2020-01-02",
    ]
    out, problems = DateParser().parse_many(values)
    assert problems == {}
    assert out == [
        "2019-03-01T08:00:00Z",
        "2003-06-10T04:00:00Z",
        "2019-03-04T14:00:00Z",
        "2018-01-21T00:00:00Z",
        "2017-03-09T07:11:00Z",
        "2020-03-04T01:00:00Z",
        "2019-03-01T10:00:00Z",
        "2019-03-01T10:00:00Z",
        "2020-01-02T00:00:00Z",
    ]


def test_bad_and_placeholder_dates_are_reported():
    out, problems = DateParser().parse_many(["garbage", "0001-11-30", "2999-01-01", "", None])
    assert out == [None] * 5
    assert problems[0] == "date 'garbage' could not be parsed"
    assert "out of range" in problems[1] and "out of range" in problems[2]
    assert 3 not in problems and 4 not in problems  # empty is simply missing


def test_default_time_zone_and_dayfirst():
    assert parse_one("2020-06-01 12:00", default_tz="America/New_York") == "2020-06-01T16:00:00Z"
    assert parse_one("03/04/2020", dayfirst=True) == "2020-04-03T00:00:00Z"
    assert parse_one("03/04/2020") == "2020-03-04T00:00:00Z"
