"""Dashboard: the stats page (tiles and the server-side SVG chart)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from downloads.models import DownloadJob, JobStatus
from tests.factories import make_item
from watchlist.models import ItemStatus
from watchlist.web.charts import WIDTH, bar_chart
from watchlist.web.labels import provider_name

pytestmark = pytest.mark.django_db


def tile(html: str, label: str) -> int:
    match = re.search(r'tile__value">(\d+)</span>\s*<span class="tile__label">' + re.escape(label) + "<", html)
    assert match, f"no tile {label!r}"
    return int(match.group(1))


def test_stats_tiles_match_the_api(alice_web, alice, bob):
    make_item(alice, provider_id="feed")
    make_item(alice, provider_id="feed", auto_download=False)
    make_item(alice, provider_id="directory", status=ItemStatus.PAUSED)
    make_item(bob, provider_id="ytdlp")
    response = alice_web.get("/stats/")
    assert response.status_code == 200
    html = response.content.decode()
    api = alice_web.get("/api/watchlist/stats").json()
    assert tile(html, "Total") == api["total"] == 3
    assert tile(html, "Active") == api["active"] == 2
    assert tile(html, "Paused") == api["paused"] == 1
    assert tile(html, "Completed") == 0
    assert tile(html, "Auto-download on") == api["auto_download_enabled"] == 2
    assert 'href="/?status=paused"' in html


def test_provider_chart_is_inline_svg(alice_web, alice):
    make_item(alice, provider_id="feed")
    make_item(alice, provider_id="feed")
    make_item(alice, provider_id="directory")
    html = alice_web.get("/stats/").content.decode()
    svg = html[html.index('<svg class="chart"') : html.index("</svg>", html.index('<svg class="chart"'))]
    # The accessible description, largest first, with the providers' names.
    assert f"{provider_name('feed')}: 2; {provider_name('directory')}: 1" in svg
    bars = re.findall(r'<rect class="chart__bar"[^>]*width="([\d.]+)"', svg)
    assert len(bars) == 2
    assert float(bars[0]) == pytest.approx(2 * float(bars[1]))
    assert provider_name("ytdlp") not in svg  # only providers in use


def test_stats_without_items(alice_web):
    html = alice_web.get("/stats/").content.decode()
    assert tile(html, "Total") == 0
    assert "No series yet" in html
    assert '<svg class="chart"' not in html


def test_bar_chart_geometry():
    chart = bar_chart({"b": 1, "a": 4, "c": 0}, {"a": "Alpha"})
    assert [bar.label for bar in chart.bars] == ["Alpha", "b", "c"]
    assert chart.bars[0].width > chart.bars[1].width > chart.bars[2].width > 0
    assert all(bar.value_x < WIDTH for bar in chart.bars)
    assert chart.bars[1].label_y > chart.bars[0].bar_y
    assert chart.total == 5
    assert bar_chart({}).bars == []


def test_ago_says_one_unit():
    from datetime import timedelta

    from django.utils import timezone

    from watchlist.templatetags.watchlist_ui import ago

    now = timezone.now()
    assert ago(None) == ""
    assert ago(now) == "just now"
    assert ago(now - timedelta(hours=3, minutes=2)) == "3\xa0hours ago"
    assert ago(now + timedelta(hours=5, minutes=1)) == "in 5\xa0hours"


# --- Downloads ------------------------------------------------------------------


def _completed(owner, tmp_path, item, finished_at, n: int = 1):
    for _ in range(n):
        DownloadJob.objects.create(
            owner=owner,
            url="http://127.0.0.1/x.mkv",
            destination=str(tmp_path / f"{DownloadJob.objects.count()}.mkv"),
            status=JobStatus.COMPLETED,
            finished_at=finished_at,
            metadata={"item_id": str(item.pk)} if item else {},
        )


def _svg(html: str, title_id: str) -> str:
    start = html.rindex("<svg", 0, html.index(f'id="{title_id}"'))
    return html[start : html.index("</svg>", start)]


def test_downloads_per_day_chart(alice_web, alice, bob, tmp_path):
    item = make_item(alice)
    now = timezone.now()
    _completed(alice, tmp_path, item, now, n=3)
    _completed(alice, tmp_path, item, now - timedelta(days=2), n=1)
    _completed(alice, tmp_path, item, now - timedelta(days=40), n=5)  # outside the window
    _completed(bob, tmp_path, make_item(bob), now, n=7)  # someone else's
    DownloadJob.objects.create(
        owner=alice, url="http://x/y", destination=str(tmp_path / "f.mkv"), status=JobStatus.FAILED, finished_at=now
    )
    html = alice_web.get("/stats/").content.decode()
    svg = _svg(html, "days-title")
    columns = re.findall(r'<rect class="chart__bar[^"]*" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"', svg)
    assert len(columns) == 30
    assert float(columns[-1]) == pytest.approx(3 * float(columns[-3]))  # today is 3x the day before yesterday
    assert "4 in the last 30 days" in html
    assert "peak 3 a day" in svg


def test_downloads_per_provider_chart(alice_web, alice, tmp_path):
    feed = make_item(alice, provider_id="feed")
    directory = make_item(alice, provider_id="directory")
    gone = make_item(alice, provider_id="ytdlp")
    now = timezone.now()
    _completed(alice, tmp_path, feed, now, n=4)
    _completed(alice, tmp_path, directory, now, n=2)
    _completed(alice, tmp_path, gone, now, n=1)
    gone.delete()
    svg = _svg(alice_web.get("/stats/").content.decode(), "dl-chart-title")
    assert f"{provider_name('feed')}: 4; {provider_name('directory')}: 2; Deleted or unknown series: 1" in svg


def test_download_charts_empty_state(alice_web):
    html = alice_web.get("/stats/").content.decode()
    assert "No downloads finished in the last 30 days." in html
    assert "No finished downloads yet." in html


def test_the_charts_stay_in_the_page_body(alice_web):
    html = alice_web.get("/stats/").content.decode()
    assert "<title>Stats · Watchlist</title>" in html
    head = html[: html.index("</head>")]
    assert "Downloads per day" not in head
