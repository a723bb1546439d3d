"""The PDOK client against a real local HTTP server: paging, retries and every checked fault."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import shapely

from loaders.pdok import (
    RD_CRS_URI,
    USER_AGENT,
    PageInfo,
    PdokClient,
    PdokConnectionError,
    PdokDataError,
    PdokError,
    PdokHTTPError,
    PdokResponseError,
    RetryPolicy,
    collection_name,
    parse_retry_after,
)
from tests.pdok_server import closed_port_url, served_frames

GEMEENTEN = "gemeente_gegeneraliseerd"


class Sleeps(list):
    """Records the waits the client asks for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(base_url: str, sleeps: Sleeps, *, attempts: int = 3, read_timeout: float = 5.0, **retry) -> PdokClient:
    policy = RetryPolicy(attempts=attempts, backoff_s=0.5, backoff_max_s=4.0, **retry)
    return PdokClient(base_url, timeout=(1.0, read_timeout), retry=policy, page_limit=100, sleep=sleeps)


def assert_one_line(exc: PdokError, *fragments: str) -> None:
    message = str(exc)
    assert "\n" not in message and message.strip() == message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


# -- success ---------------------------------------------------------------------------------


def test_gemeenten_are_fetched_over_four_pages_following_next_links(pdok):
    pages: list[PageInfo] = []
    with make_client(pdok.base_url, Sleeps()) as client:
        layer = client.fetch_layer("gemeente", 2025, on_page=pages.append)
    assert layer.pages == 4 and layer.number_matched == 342 and len(layer.frame) == 342
    assert [p.features for p in pages] == [100, 200, 300, 342]
    served = served_frames()[GEMEENTEN].sort_values("code")
    frame = layer.frame.sort_values("code")
    assert list(frame["code"]) == list(served["code"])
    assert list(frame["name"]) == list(served["name"])
    assert frame.crs.to_epsg() == 28992
    assert shapely.equals(frame.geometry.values, served.geometry.values).all()
    assert len(pdok.item_requests(GEMEENTEN)) == 4


def test_every_request_asks_rd_for_the_year_with_json_and_the_page_limit(pdok):
    with make_client(pdok.base_url, Sleeps()) as client:
        client.fetch_layer("gemeente", 2025)
    first, *rest = pdok.item_requests(GEMEENTEN)
    assert first.params == {"f": "json", "jaarcode": "2025", "limit": "100", "crs": RD_CRS_URI}
    assert all(r.params["crs"] == RD_CRS_URI and "cursor" in r.params for r in rest)


def test_next_links_that_drop_crs_and_year_still_page_in_rd_for_the_year(pdok):
    pdok.inject("bare_next")
    with make_client(pdok.base_url, Sleeps()) as client:
        layer = client.fetch_layer("gemeente", 2025)
    assert len(layer.frame) == 342 and layer.pages == 4
    for seen in pdok.item_requests(GEMEENTEN):
        assert seen.params["crs"] == RD_CRS_URI and seen.params["jaarcode"] == "2025"


def test_requests_identify_the_project_without_machine_paths(pdok):
    with make_client(pdok.base_url, Sleeps()) as client:
        client.fetch_layer("landsdeel", 2025)
    agent = pdok.item_requests()[0].user_agent
    assert agent == USER_AGENT
    assert agent.startswith("kenniskaart-sociaal-domein/")
    assert "/work" not in agent and "/home" not in agent and "/tmp" not in agent


def test_region_layer_maps_statcode_and_statnaam_to_code_and_name(pdok):
    with make_client(pdok.base_url, Sleeps()) as client:
        layer = client.fetch_layer("landsdeel", 2025)
    assert list(layer.frame.columns) == ["code", "name", "geometry"]
    assert sorted(layer.frame["code"]) == ["LD01", "LD02", "LD03", "LD04"]
    assert "Noord-Nederland" in set(layer.frame["name"])
    assert layer.collection == "landsdeel_gegeneraliseerd" and layer.repaired == []


def test_invalid_region_polygon_is_repaired_with_make_valid_and_noted(pdok):
    pdok.inject("invalid_geometry", collection="landsdeel_gegeneraliseerd")
    with make_client(pdok.base_url, Sleeps()) as client:
        layer = client.fetch_layer("landsdeel", 2025)
    assert layer.repaired == ["LD01"]
    assert layer.source_info()["repaired_with_make_valid"] == ["LD01"]
    assert layer.frame.is_valid.all()
    served = served_frames()["landsdeel_gegeneraliseerd"].set_index("code").geometry
    repaired = layer.frame.set_index("code").geometry["LD01"]
    assert repaired.symmetric_difference(served["LD01"]).area < 1.0


def test_invalid_gemeente_polygon_is_an_error(pdok):
    pdok.inject("invalid_geometry")
    with make_client(pdok.base_url, Sleeps()) as client, pytest.raises(PdokDataError) as err:
        client.fetch_layer("gemeente", 2025)
    assert_one_line(err.value, GEMEENTEN, "invalid polygon", "Self-intersection")


# -- retries ---------------------------------------------------------------------------------


def test_connection_refused_gives_up_after_bounded_retries():
    sleeps = Sleeps()
    with make_client(closed_port_url(), sleeps) as client, pytest.raises(PdokConnectionError) as err:
        client.fetch_layer("gemeente", 2025)
    assert_one_line(err.value, GEMEENTEN, "page 1", "connection refused", "gave up after 3 attempts", "http://127.0.0.1:")
    assert sleeps == [0.5, 1.0]


def test_read_timeout_is_retried_and_then_succeeds(pdok):
    pdok.inject("delay", collection="landsdeel_gegeneraliseerd", times=1, seconds=1.0)
    sleeps = Sleeps()
    with make_client(pdok.base_url, sleeps, read_timeout=0.2) as client:
        layer = client.fetch_layer("landsdeel", 2025)
    assert len(layer.frame) == 4
    assert sleeps == [0.5]
    assert len(pdok.item_requests("landsdeel_gegeneraliseerd")) == 2


def test_read_timeout_every_time_fails_with_a_timeout_message(pdok):
    pdok.inject("delay", collection="landsdeel_gegeneraliseerd", seconds=1.0)
    sleeps = Sleeps()
    with make_client(pdok.base_url, sleeps, attempts=2, read_timeout=0.2) as client, \
            pytest.raises(PdokConnectionError) as err:
        client.fetch_layer("landsdeel", 2025)
    assert_one_line(err.value, "landsdeel_gegeneraliseerd", "no response within 0.2 s (read timeout)", "gave up after 2 attempts")
    assert sleeps == [0.5]


def test_429_with_retry_after_waits_as_told_then_succeeds(pdok):
    pdok.inject("status", times=1, status=429, retry_after=7)
    sleeps = Sleeps()
    with make_client(pdok.base_url, sleeps) as client:
        layer = client.fetch_layer("gemeente", 2025)
    assert len(layer.frame) == 342
    assert sleeps == [7.0]
    assert [r.status for r in pdok.item_requests(GEMEENTEN)][:2] == [429, 200]


def test_retry_after_is_capped(pdok):
    pdok.inject("status", collection="landsdeel_gegeneraliseerd", times=1, status=429, retry_after=3600)
    sleeps = Sleeps()
    with make_client(pdok.base_url, sleeps, retry_after_max_s=5.0) as client:
        client.fetch_layer("landsdeel", 2025)
    assert sleeps == [5.0]


def test_500_is_retried_with_exponential_backoff_then_succeeds(pdok):
    pdok.inject("status", times=2, status=500)
    sleeps = Sleeps()
    with make_client(pdok.base_url, sleeps) as client:
        layer = client.fetch_layer("gemeente", 2025)
    assert len(layer.frame) == 342 and sleeps == [0.5, 1.0]


def test_503_forever_gives_up_after_the_bounded_number_of_attempts(pdok):
    pdok.inject("status", status=503)
    sleeps = Sleeps()
    with make_client(pdok.base_url, sleeps, attempts=4) as client, pytest.raises(PdokHTTPError) as err:
        client.fetch_layer("gemeente", 2025)
    assert err.value.status == 503
    assert_one_line(err.value, GEMEENTEN, "page 1", "HTTP 503 Service Unavailable", "gave up after 4 attempts")
    assert len(pdok.item_requests(GEMEENTEN)) == 4
    assert sleeps == [0.5, 1.0, 2.0]


def test_404_is_reported_at_once_without_retries(pdok):
    sleeps = Sleeps()
    with make_client(pdok.root + "/not/the/api", sleeps) as client, pytest.raises(PdokHTTPError) as err:
        client.fetch_layer("gemeente", 2025)
    assert err.value.status == 404
    assert_one_line(err.value, GEMEENTEN, "HTTP 404 Not Found", "no such path")
    assert sleeps == [] and len(pdok.requests) == 1


def test_backoff_doubles_up_to_its_cap_and_retry_after_overrides_it():
    policy = RetryPolicy(attempts=6, backoff_s=1.0, backoff_max_s=5.0, retry_after_max_s=60.0)
    assert [policy.delay(n) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert policy.delay(1, retry_after=30.0) == 30.0
    assert policy.delay(1, retry_after=600.0) == 60.0


def test_retry_after_accepts_seconds_and_http_dates():
    now = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now=now) == 90.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


# -- checked faults in the served data -----------------------------------------------------------

DATA_FAULTS = [
    pytest.param("truncate", {}, PdokResponseError, ["page 1", "invalid JSON", "truncated response?"], id="truncated-json"),
    pytest.param("html", {}, PdokResponseError, ["page 1", "got an HTML page titled 'Onderhoud - PDOK'", "text/html"], id="html-with-200"),
    pytest.param("missing_statcode", {}, PdokDataError, ["page 1", "feature 1 (id 1) has no statcode"], id="missing-statcode"),
    pytest.param("duplicate_code", {}, PdokDataError, ["page 2", "duplicate statcode", "(first seen on page 1)"], id="duplicate-code"),
    pytest.param("short", {}, PdokDataError, ["got 341 features in 4 pages but numberMatched is 342"], id="fewer-than-numberMatched"),
    pytest.param("wrong_crs", {}, PdokDataError, ["look like longitude/latitude (CRS84)", "wrong CRS"], id="crs84-when-rd-asked"),
    pytest.param("empty", {}, PdokDataError, ["no features for jaarcode 2025"], id="empty-collection"),
    pytest.param("loop", {}, PdokDataError, ["page 2", "next link loops back to page 1"], id="next-link-loop"),
]


@pytest.mark.parametrize(("fault", "options", "error", "fragments"), DATA_FAULTS)
def test_broken_page_fails_with_its_own_one_line_message(pdok, fault, options, error, fragments):
    pdok.inject(fault, **options)
    sleeps = Sleeps()
    with make_client(pdok.base_url, sleeps) as client, pytest.raises(error) as err:
        client.fetch_layer("gemeente", 2025)
    assert_one_line(err.value, GEMEENTEN, *fragments)
    assert sleeps == []  # a broken answer is not a transient error: no retries


def test_duplicate_code_names_the_repeated_statcode(pdok):
    pdok.inject("duplicate_code")
    first_served = served_frames()[GEMEENTEN]["code"].iloc[0]
    with make_client(pdok.base_url, Sleeps()) as client, pytest.raises(PdokDataError) as err:
        client.fetch_layer("gemeente", 2025)
    assert f"duplicate statcode {first_served} (first seen on page 1)" in str(err.value)


def test_a_year_the_server_does_not_have_is_an_empty_collection_error(pdok):
    with make_client(pdok.base_url, Sleeps()) as client, pytest.raises(PdokDataError) as err:
        client.fetch_layer("landsdeel", 2031)
    assert_one_line(err.value, "landsdeel_gegeneraliseerd", "no features for jaarcode 2031")


def test_unknown_layer_and_page_limit_above_pdoks_cap_are_rejected():
    with pytest.raises(ValueError, match="unknown layer 'wijk'"):
        collection_name("wijk")
    with pytest.raises(ValueError, match="between 1 and 1000"):
        PdokClient("http://127.0.0.1:9", page_limit=5000)
