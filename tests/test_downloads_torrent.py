"""The torrent backend in this process, against a real libtorrent seeder on
127.0.0.1: .torrent links and magnets, file selection in batches, the
address rules, stalls, cancel, and links that are not torrents."""

from __future__ import annotations

import hashlib
import time
import uuid
from pathlib import Path

import pytest

from downloads.backends import DownloadRequest, get_backend
from downloads.errors import Cancelled, PermanentError, TransientError
from downloads.torrent import download as torrent_download
from tests.support.download_fixtures import MemorySink
from tests.support.torrent_files import make_torrent

pytestmark = pytest.mark.django_db


def request(download_dir: Path, url: str, name: str = "Show - S01E05.mkv", **extra) -> DownloadRequest:
    job_id = extra.pop("job_id", str(uuid.uuid5(uuid.NAMESPACE_URL, url)))
    return DownloadRequest(
        job_id=job_id,
        url=url,
        destination=download_dir / "alice" / "Show" / name,
        temp_dir=download_dir / ".tmp" / job_id,
        **extra,
    )


def library_files(download_dir: Path) -> list[str]:
    return sorted(str(p.relative_to(download_dir)) for p in (download_dir / "alice").rglob("*") if p.is_file())


def test_a_torrent_link_downloads_to_its_library_name(
    http_server, seeder, tracker, download_dir, torrent_settings, tmp_path
):
    made = make_torrent(tmp_path / "seed", {"[Group] Show - 05 (1080p).mkv": 700_000}, trackers=[tracker.url])
    seeder.seed(made, upload_rate=300_000)  # slow enough for the swarm to be seen
    url = http_server.add("/t/5.torrent", made.torrent, content_type="application/x-bittorrent")
    sink = MemorySink()

    result = get_backend("torrent").download(request(download_dir, url, "Show - S01E05.bin"), sink)

    # The planned ".bin" (the link said nothing) becomes the torrent file's own extension.
    assert result.path == download_dir / "alice" / "Show" / "Show - S01E05.mkv"
    assert result.sha256 == made.files[0].sha256 == hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert result.size == 700_000
    assert library_files(download_dir) == ["alice/Show/Show - S01E05.mkv"]
    assert sink.calls[-1] == (700_000, 700_000)
    assert any(peers >= 1 for peers, _ in sink.swarms)
    assert sink.state["infohash"] == made.infohash
    assert not torrent_download.job_folder(request(download_dir, url).job_id).exists()  # moved, not left behind


def test_a_batch_downloads_only_the_wanted_episode(
    http_server, seeder, tracker, download_dir, torrent_settings, tmp_path
):
    names = {f"[Group] Show - {n:02d} [1080p].mkv": 400_000 for n in (1, 2, 3)}
    made = make_torrent(tmp_path / "seed", names, name="[Group] Show (01-03)", trackers=[tracker.url])
    seeder.seed(made)
    url = http_server.add("/t/batch.torrent", made.torrent)

    result = get_backend("torrent").download(
        request(download_dir, url, "Show - S01E02.mkv", episodes=(2,)), MemorySink()
    )

    assert result.sha256 == made.file("- 02 [1080p].mkv").sha256
    assert library_files(download_dir) == ["alice/Show/Show - S01E02.mkv"]
    # Episodes 1 and 3 were not fetched: at most the pieces they share with episode 2.
    assert seeder.uploaded(made) < 400_000 + 2 * made.piece_length


def test_a_batch_places_each_wanted_episode_at_its_own_name(
    http_server, seeder, tracker, download_dir, torrent_settings, tmp_path
):
    names = {f"[Group] Show - {n:02d} [1080p].mkv": 300_000 + n for n in (1, 2, 3, 4)}
    made = make_torrent(tmp_path / "seed", names, name="[Group] Show (01-04)", trackers=[tracker.url], seed=14)
    seeder.seed(made)
    url = http_server.add("/t/batch4.torrent", made.torrent)
    folder = download_dir / "alice" / "Show"
    # planned ".bin": each file keeps its own extension
    wanted = tuple((n, folder / f"Show - S01E{n:02d}.bin") for n in (1, 3, 4))
    req = request(download_dir, url, "Show - S01E01.bin", episodes=(1, 3, 4), episode_destinations=wanted)
    sink = MemorySink()

    result = get_backend("torrent").download(req, sink)

    assert library_files(download_dir) == ["alice/Show/Show - S01E01.mkv", "alice/Show/Show - S01E03.mkv",
                                           "alice/Show/Show - S01E04.mkv"]  # fmt: skip
    assert [(f.episode, f.path.name) for f in result.files] == [
        (1, "Show - S01E01.mkv"), (3, "Show - S01E03.mkv"), (4, "Show - S01E04.mkv")
    ]  # fmt: skip
    for placed in result.files:
        expected = made.file(f"- {placed.episode:02d} [1080p].mkv")
        assert placed.sha256 == expected.sha256 == hashlib.sha256(placed.path.read_bytes()).hexdigest()
        assert placed.size == expected.size
    assert (result.path, result.sha256) == (result.files[0].path, result.files[0].sha256)
    assert result.size == sum(f.size for f in result.files)
    # one progress for the whole batch (libtorrent counts the wanted pieces, which overlap episode 2's edges)
    done, total = sink.calls[-1]
    assert done == total and result.size <= total < result.size + 2 * made.piece_length
    # episode 2 (not wanted) was not fetched: at most the pieces it shares with 1 and 3
    assert seeder.uploaded(made) < result.size + 2 * made.piece_length


def test_a_stray_file_at_the_torrents_real_extension_is_kept(
    http_server, seeder, tracker, download_dir, torrent_settings, tmp_path
):
    made = make_torrent(tmp_path / "seed", {"[Group] Show - 06 (1080p).mp4": 250_000}, trackers=[tracker.url], seed=6)
    seeder.seed(made)
    url = http_server.add("/t/6.torrent", made.torrent)
    # Planned ".mkv" (the name was checked free when queued); the torrent holds an ".mp4",
    # and a file of someone else's is at that name.
    stray = download_dir / "alice" / "Show" / "Show - S01E06.mp4"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"someone else's episode 6")

    result = get_backend("torrent").download(request(download_dir, url, "Show - S01E06.mkv"), MemorySink())

    assert result.path == download_dir / "alice" / "Show" / "Show - S01E06 (2).mp4"
    assert result.sha256 == made.files[0].sha256 == hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert stray.read_bytes() == b"someone else's episode 6"


def test_a_batch_keeps_files_that_appeared_at_its_names_and_its_own_earlier_one(
    http_server, seeder, tracker, download_dir, torrent_settings, tmp_path
):
    names = {f"[Group] Show - {n:02d} [1080p].mkv": 200_000 + n for n in (1, 2, 3)}
    made = make_torrent(tmp_path / "seed", names, name="[Group] Show (01-03)", trackers=[tracker.url], seed=15)
    seeder.seed(made)
    url = http_server.add("/t/batch3.torrent", made.torrent)
    folder = download_dir / "alice" / "Show"
    wanted = tuple((n, folder / f"Show - S01E{n:02d}.mkv") for n in (1, 2, 3))
    folder.mkdir(parents=True)
    # After queueing: episode 1's own bytes (an earlier attempt placed it), and a stranger's file at episode 3.
    (folder / "Show - S01E01.mkv").write_bytes((made.root / made.file("- 01 [1080p].mkv").path).read_bytes())
    (folder / "Show - S01E03.mkv").write_bytes(b"a file that appeared at episode 3's name")
    req = request(download_dir, url, "Show - S01E01.mkv", episodes=(1, 2, 3), episode_destinations=wanted)

    result = get_backend("torrent").download(req, MemorySink())

    assert [(f.episode, f.path.name) for f in result.files] == [
        (1, "Show - S01E01.mkv"), (2, "Show - S01E02.mkv"), (3, "Show - S01E03 (2).mkv")
    ]  # fmt: skip
    assert [name.rsplit("/", 1)[1] for name in library_files(download_dir)] == [
        "Show - S01E01.mkv", "Show - S01E02.mkv", "Show - S01E03 (2).mkv", "Show - S01E03.mkv"
    ]  # fmt: skip
    for placed in result.files:
        assert placed.sha256 == made.file(f"- {placed.episode:02d} [1080p].mkv").sha256
    assert (folder / "Show - S01E03.mkv").read_bytes() == b"a file that appeared at episode 3's name"


def test_a_batch_with_one_video_for_several_episodes_is_refused(
    http_server, seeder, tracker, download_dir, torrent_settings, tmp_path
):
    made = make_torrent(tmp_path / "seed", {"[Group] Show - 01-04 [1080p].mkv": 200_000}, trackers=[tracker.url])
    seeder.seed(made)
    url = http_server.add("/t/one-video.torrent", made.torrent)
    folder = download_dir / "alice" / "Show"
    wanted = tuple((n, folder / f"Show - S01E{n:02d}.mkv") for n in (1, 2))

    with pytest.raises(PermanentError, match="not one for each of episodes 1, 2"):
        get_backend("torrent").download(
            request(download_dir, url, "Show - S01E01.mkv", episodes=(1, 2), episode_destinations=wanted),
            MemorySink(),
        )
    assert library_files(download_dir) == []


def test_a_magnet_gets_its_metadata_from_the_peer(seeder, download_dir, torrent_settings, tmp_path):
    made = make_torrent(tmp_path / "seed", {"Show 07.mp4": 300_000})
    seeder.seed(made)

    result = get_backend("torrent").download(
        request(download_dir, made.magnet(peers=[seeder.endpoint]), "Show - S01E07.mkv"), MemorySink()
    )

    assert result.path.name == "Show - S01E07.mp4"
    assert result.sha256 == made.files[0].sha256


def test_a_magnet_without_peers_fails_clearly_after_the_metadata_timeout(download_dir, torrent_settings, tmp_path):
    torrent_settings.TORRENT_METADATA_TIMEOUT_SECONDS = 1
    made = make_torrent(tmp_path / "seed", {"x.mkv": 10_000})

    with pytest.raises(TransientError, match="metadata within 1 seconds"):
        get_backend("torrent").download(request(download_dir, made.magnet()), MemorySink())


def test_a_web_page_instead_of_a_torrent_is_named(http_server, download_dir, torrent_settings):
    url = http_server.add("/t/login.torrent", "<!DOCTYPE html><html>Please log in</html>")

    with pytest.raises(PermanentError, match="web page"):
        get_backend("torrent").download(request(download_dir, url), MemorySink())


def test_junk_and_oversized_torrent_files_are_refused(http_server, download_dir, torrent_settings):
    junk = http_server.add("/t/junk.torrent", b"\x00\x01 not bencode", content_type="application/octet-stream")
    with pytest.raises(PermanentError, match="not a .torrent"):
        get_backend("torrent").download(request(download_dir, junk), MemorySink())

    torrent_settings.TORRENT_MAX_FILE_BYTES = 1000
    big = http_server.add("/t/big.torrent", b"d" + b"x" * 5000, content_type="application/x-bittorrent")
    with pytest.raises(PermanentError, match="larger than the 1000 bytes"):
        get_backend("torrent").download(request(download_dir, big), MemorySink())


def test_a_peer_on_a_refused_address_gets_nothing_and_the_attempt_stalls(
    http_server, seeder, tracker, download_dir, torrent_settings, tmp_path
):
    # The .torrent host is allowed by port; a port entry does not open the
    # address for torrents, so the loopback seeder stays refused.
    torrent_settings.ALLOW_PRIVATE_SOURCES = False
    torrent_settings.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{http_server.port}"]
    made = make_torrent(tmp_path / "seed", {"Show - 05.mkv": 300_000}, trackers=[tracker.url])
    seeder.seed(made)
    url = http_server.add("/t/refused.torrent", made.torrent)

    req = request(download_dir, url)
    # TORRENT_STALL_MINUTES is 0.1 here: said as the 6 seconds it is.
    with pytest.raises(PermanentError, match=r"^Stalled: .* for 6 seconds[.;]"):
        get_backend("torrent").download(req, MemorySink())

    assert seeder.uploaded(made) == 0
    # The tracker is on a refused address too: only the seeder announced.
    assert {a["port"][0] for a in tracker.announces} <= {str(seeder.port)}
    assert library_files(download_dir) == []
    assert not torrent_download.job_folder(req.job_id).exists()  # a failed release leaves no partial files


@pytest.mark.parametrize(
    ("language", "seconds", "peers", "said"),
    [
        ("en", 60, 0, "Stalled: no peer for 1 minute; the release seems to have no seeders."),
        ("en", 600, 1, "Stalled: 1 peer sent nothing for 10 minutes."),
        ("en", 90, 3, "Stalled: 3 peers sent nothing for 1 minute."),
        ("en", 1, 0, "Stalled: no peer for 1 second; the release seems to have no seeders."),
        ("fr", 60, 1, "Bloqué : 1 pair n'a rien envoyé depuis 1 minute."),
        ("fr", 120, 2, "Bloqué : 2 pairs n'ont rien envoyé depuis 2 minutes."),
        ("fr", 45, 0, "Bloqué : aucun pair depuis 45 secondes ; la version ne semble plus avoir de sources."),
    ],
)
def test_the_stall_message_uses_the_languages_plural_forms(language, seconds, peers, said):
    from django.utils import translation

    with translation.override(language):
        assert torrent_download._stalled_message(seconds, peers) == said


def test_cancel_stops_the_torrent_and_discard_removes_its_files(
    http_server, seeder, tracker, download_dir, torrent_settings, tmp_path
):
    made = make_torrent(tmp_path / "seed", {"Show - 05.mkv": 4_000_000}, trackers=[tracker.url])
    seeder.seed(made, upload_rate=1_000_000)
    url = http_server.add("/t/cancel.torrent", made.torrent)
    req = request(download_dir, url)

    with pytest.raises(Cancelled):
        get_backend("torrent").download(req, MemorySink(cancel_after=500_000))
    get_backend("torrent").discard(req)

    assert not torrent_download.job_folder(req.job_id).exists()
    assert library_files(download_dir) == []


def test_the_live_queue_shows_a_torrents_swarm(alice_web, alice, settings):
    from downloads.models import DownloadJob, JobStatus

    DownloadJob.objects.create(
        owner=alice,
        url="magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567",
        backend="torrent",
        destination=str(settings.DOWNLOAD_DIR / "alice" / "Show" / "Show - S01E01.mkv"),
        status=JobStatus.RUNNING,
        bytes_total=1000,
        bytes_done=400,
        speed=100,
        peers=3,
        seeds=1,
    )

    html = alice_web.get("/downloads/active/").content.decode()

    assert "3 peers · 1 seed" in html


def test_a_seeding_torrent_is_hard_linked_and_stops_at_its_seeding_time(
    http_server, seeder, tracker, download_dir, torrent_settings, tmp_path
):
    from downloads.torrent.engine import engine

    torrent_settings.TORRENT_SEED_RATIO = 1.0
    torrent_settings.TORRENT_SEED_MINUTES = 60
    made = make_torrent(tmp_path / "seed", {"Show - 08.mkv": 200_000}, trackers=[tracker.url], seed=8)
    seeder.seed(made)
    url = http_server.add("/t/seed.torrent", made.torrent)
    req = request(download_dir, url, "Show - S01E08.mkv")

    result = get_backend("torrent").download(req, MemorySink())

    seeded = torrent_download.job_folder(req.job_id) / "Show - 08.mkv"
    assert result.path.samefile(seeded)  # the library's name is a hard link: the engine's file never moved
    assert made.infohash in [t.infohash for t in engine().seeding()]
    assert engine().apply_seeding_policy() == []  # neither ratio nor time reached

    torrent_settings.TORRENT_SEED_MINUTES = 0.0001
    time.sleep(0.1)  # seeded for 6 ms now
    engine().apply_seeding_policy()  # (the engine's own thread applies it every few seconds too)
    assert made.infohash not in [t.infohash for t in engine().seeding()]
    assert result.path.read_bytes() == made.payload_path().read_bytes()  # the library copy stays


def test_seeding_is_skipped_when_ratio_or_time_is_zero(settings):
    from downloads.torrent.engine import wants_seeding

    settings.TORRENT_KEEP_SEEDING = False
    settings.TORRENT_SEED_RATIO, settings.TORRENT_SEED_MINUTES = 1.0, 60
    assert wants_seeding()
    settings.TORRENT_SEED_RATIO = 0
    assert not wants_seeding()
    settings.TORRENT_SEED_RATIO, settings.TORRENT_SEED_MINUTES = 1.0, 0
    assert not wants_seeding()
    settings.TORRENT_KEEP_SEEDING = True
    assert wants_seeding()


def test_a_web_seed_on_the_loopback_serves_the_torrent(media, http_server, download_dir, torrent_settings, tmp_path):
    # BEP 19: no peer at all, the bytes come over HTTP ranges; pieces are still verified.
    made = make_torrent(tmp_path / "seed", {"Show.09.mkv": 500_000}, web_seed=media.url("/ws/Show.09.mkv"), seed=9)
    media.add("/ws/Show.09.mkv", path=made.payload_path())
    url = http_server.add("/t/ws.torrent", made.torrent)

    result = get_backend("torrent").download(request(download_dir, url, "Show - S01E09.mkv"), MemorySink())

    assert result.sha256 == made.files[0].sha256
    assert any(r.range_start is not None for r in media.requests_for("/ws/Show.09.mkv"))


def test_a_web_seed_on_a_refused_address_is_not_asked(media, http_server, download_dir, torrent_settings, tmp_path):
    torrent_settings.ALLOW_PRIVATE_SOURCES = False
    torrent_settings.PRIVATE_SOURCE_ALLOWLIST = [f"127.0.0.1:{http_server.port}"]  # the .torrent's host only
    made = make_torrent(tmp_path / "seed", {"Show.10.mkv": 200_000}, web_seed=media.url("/ws/Show.10.mkv"), seed=10)
    media.add("/ws/Show.10.mkv", path=made.payload_path())
    url = http_server.add("/t/ws-refused.torrent", made.torrent)

    with pytest.raises(PermanentError, match="Stalled"):
        get_backend("torrent").download(request(download_dir, url), MemorySink())

    assert media.requests_for("/ws/Show.10.mkv") == []


def test_a_follower_of_a_batch_places_each_of_its_episodes_from_the_leaders_files(alice, bob, download_dir):
    from downloads import sharing
    from downloads.models import DownloadJob, JobStatus
    from downloads.torrent.selection import library_path

    def place(destination, source):
        return library_path(destination, source.name)

    theirs = download_dir / "alice" / "Show"
    theirs.mkdir(parents=True)
    entries = []
    for n in (1, 2, 3):
        (theirs / f"Show - S01E0{n}.mkv").write_bytes(b"episode %d" % n)
        entries.append({"episode": n, "destination": str(theirs / f"Show - S01E0{n}.mkv"), "size": 9, "sha256": ""})
    leader = DownloadJob.objects.create(
        owner=alice, url="magnet:?xt=urn:btih:" + "b" * 40, backend="torrent", destination=entries[0]["destination"],
        status=JobStatus.COMPLETED, episodes=[1, 2, 3], files=entries,
    )  # fmt: skip
    ours = download_dir / "bob" / "Show"
    wanted = tuple((n, ours / f"Show - S01E0{n}.mkv") for n in (2, 3))
    batch = request(download_dir, leader.url, "x.mkv", episodes=(2, 3), episode_destinations=wanted)

    result = sharing.follow(batch, MemorySink(), sharing.Leader(str(leader.pk)), place)

    assert [(f.episode, f.path.read_bytes()) for f in result.files] == [(2, b"episode 2"), (3, b"episode 3")]
    assert result.files[0].path.samefile(theirs / "Show - S01E02.mkv")  # hard-linked, not fetched again
    # one episode of the batch: its own file, not the leader's first one
    one = request(download_dir, leader.url, "y.mkv", episodes=(3,), job_id=str(uuid.uuid4()))
    assert sharing.follow(one, MemorySink(), sharing.Leader(str(leader.pk)), place).path.read_bytes() == b"episode 3"
    # an episode the leader did not fetch: this job downloads it itself
    other = request(download_dir, leader.url, "z.mkv", episodes=(4,), job_id=str(uuid.uuid4()))
    assert sharing.follow(other, MemorySink(), sharing.Leader(str(leader.pk)), place) is None


def test_only_a_leader_fetching_our_episodes_is_followed(alice, bob, download_dir):
    from downloads import sharing
    from downloads.models import DownloadJob, JobStatus
    from downloads.share_keys import torrent_key

    infohash = "c" * 40
    key = torrent_key(infohash)
    DownloadJob.objects.create(
        owner=alice, url=f"magnet:?xt=urn:btih:{infohash}", backend="torrent", infohash=infohash,
        destination=str(download_dir / "a.mkv"), status=JobStatus.RUNNING, episodes=[1, 2, 3],
        backend_state={sharing.SHARED: key, sharing.LEADS: True},
    )  # fmt: skip

    assert sharing.elect(str(uuid.uuid4()), key, MemorySink(), (2, 3)) is not None
    assert sharing.elect(str(uuid.uuid4()), key, MemorySink(), (3, 4)) is None  # 4 is not in it
    assert sharing.elect(str(uuid.uuid4()), key, MemorySink(), ()) is None  # the largest file: not in it either


def test_after_a_crash_the_pieces_on_disk_are_rechecked_not_fetched_again(
    http_server, seeder, tracker, download_dir, torrent_settings, tmp_path
):
    """A worker killed mid-download leaves pieces on disk newer than its last
    resume data (saved every TORRENT_RESUME_SAVE_SECONDS). The next attempt
    checks them instead of trusting the resume data: without the recheck,
    7/8 of the file would be fetched again here."""
    import libtorrent as lt

    from downloads.torrent import resume

    size = 4 * 1024 * 1024
    made = make_torrent(tmp_path / "seed", {"[Group] Show - 06 [1080p].mkv": size}, trackers=[tracker.url])
    seeder.seed(made)
    url = http_server.add("/t/crashed.torrent", made.torrent)
    req = request(download_dir, url, "Show - S01E06.mkv")
    # What the killed attempt left: three quarters of the file on disk, and
    # resume data saved when an eighth had arrived (no clean marker).
    on_disk = torrent_download.job_folder(req.job_id) / made.files[0].path
    on_disk.parent.mkdir(parents=True, exist_ok=True)
    kept = made.payload_path().read_bytes()[: size * 3 // 4]
    on_disk.write_bytes(kept + bytes(size - len(kept)))
    stale = lt.add_torrent_params()
    stale.ti = made.torrent_info()
    stale.save_path = str(on_disk.parent)
    stale.trackers = [tracker.url]
    pieces = stale.ti.num_pieces()
    stale.have_pieces = [n < pieces // 8 for n in range(pieces)]  # saved when an eighth had come
    resume.write(resume.path_for(req.job_id), stale)

    result = get_backend("torrent").download(req, MemorySink())

    assert result.sha256 == made.files[0].sha256
    # Only the missing quarter came from the seeder (and at most a piece
    # on each side of it), not the whole file again.
    assert seeder.uploaded(made) <= size // 4 + 2 * made.piece_length
