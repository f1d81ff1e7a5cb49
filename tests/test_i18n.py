"""English and French: the language follows the browser (Accept-Language)
unless one is chosen in the account menu; the French catalogue translates
every message and its compiled .mo says the same as the .po; no template
shows text that is not marked for translation."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.template_text import untranslated

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _unquote(lines: list[str]) -> str:
    text = "".join(re.match(r'^\s*(?:msg\w+(?:\[\d\])?\s+)?"(.*)"\s*$', line).group(1) for line in lines)
    return bytes(text, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def read_po(path: Path) -> tuple[dict[str, str], list[str]]:
    """msgid → msgstr (plural forms keyed "msgid\\x00plural" → first form; a
    context as "context\\x04msgid"), and the fuzzy msgids."""
    catalogue: dict[str, str] = {}
    fuzzy: list[str] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#")]
        fields: dict[str, list[str]] = {}
        current = ""
        for line in lines:
            if match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?)\s", line):
                current = match.group(1)
                fields[current] = [line]
            elif current:
                fields[current].append(line)
        if "msgid" not in fields:
            continue
        msgid = _unquote(fields["msgid"])
        if "msgid_plural" in fields:
            msgid = f"{msgid}\x00{_unquote(fields['msgid_plural'])}"
            msgstr = _unquote(fields.get("msgstr[0]", ['""']))
        else:
            msgstr = _unquote(fields.get("msgstr", ['""']))
        if "msgctxt" in fields:
            msgid = f"{_unquote(fields['msgctxt'])}\x04{msgid}"
        if "#, fuzzy" in block or (msgid and "fuzzy" in "".join(x for x in block.splitlines() if x.startswith("#,"))):
            fuzzy.append(msgid)
        catalogue[msgid] = msgstr
    return catalogue, fuzzy


def test_every_message_is_translated_and_compiled():
    catalogue, fuzzy = read_po(PO)
    messages = {k: v for k, v in catalogue.items() if k}
    assert len(messages) > 300
    assert [k for k, v in messages.items() if not v] == []
    assert fuzzy == []
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in messages.items():
        if "\x04" in msgid:
            context, text = msgid.split("\x04")
            assert compiled.pgettext(context, text) == msgstr, f"{text!r}: .mo is stale, run compilemessages"
        elif "\x00" in msgid:
            singular, plural = msgid.split("\x00")
            assert compiled.ngettext(singular, plural, 1) == msgstr, f"{singular!r}: .mo is stale, run compilemessages"
        else:
            assert compiled.gettext(msgid) == msgstr, f"{msgid!r}: .mo is stale, run compilemessages"


def test_no_template_shows_untranslated_text():
    templates = ROOT / "templates"
    found = [
        f"{hit.path.relative_to(templates)}: {hit.text!r}"
        for path in sorted(templates.rglob("*.html"))
        if "drf_spectacular" not in path.parts
        for hit in untranslated(path, path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_scanner_sees_plain_text():
    # The check above must be able to fail.
    sample = (
        '<p>Hello there</p><button title="Close it">{% translate "Ok" %}</button><code>ls -l</code>'
        "<p>Page {{ n }}</p><p>{% blocktranslate %}Page {{ n }}{% endblocktranslate %}</p>"
        '<a aria-label="Add {{ title }}" title="{{ when }}" href="/">x</a>'
        """<b>{{ on|yesno:"On,Off" }}</b><i class="{{ on|yesno:'on,off' }}"></i>"""
    )
    found = [hit.text for hit in untranslated(Path("x.html"), sample)]
    assert found == ["On,Off", "Hello there", "Close it", "Page", "Add {{ title }}"]


def test_languages():
    assert dict(settings.LANGUAGES) == {"en": "English", "fr": "Français"}


@pytest.mark.django_db
def test_the_browser_language_is_followed(alice_web):
    french = alice_web.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="fr">' in french
    assert "Votre liste de suivi est vide" in french
    assert "Raccourcis clavier" in french
    english = alice_web.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="en">' in english and "Your watchlist is empty" in english


@pytest.mark.django_db
def test_the_sign_in_page_in_french(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Se connecter" in page
    assert "Nom d\u2019utilisateur" in page or "Nom d'utilisateur" in page  # Django's own form labels


@pytest.mark.django_db
def test_the_menu_switch_overrides_the_browser(alice_web):
    before = alice_web.get("/downloads/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="browser" class="language-switch__choice language-switch__browser" aria-pressed="true"' in before
    response = alice_web.post("/language/", {"language": "fr", "next": "/downloads/"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == "/downloads/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = alice_web.get("/downloads/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Aucun téléchargement pour l'instant" in page.replace("&#x27;", "'")
    assert 'value="fr" lang="fr" class="language-switch__choice" aria-pressed="true"' in page

    assert 'language-switch__browser" aria-pressed="false"' in page
    back = alice_web.post("/language/", {"language": "browser"})
    assert back.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # deleted
    assert "Your watchlist is empty" in alice_web.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.django_db
def test_an_unknown_language_is_a_400_naming_the_field(alice_web):
    response = alice_web.post("/language/", {"language": "de"})
    assert response.status_code == 400
    assert b"language" in response.content


@pytest.mark.django_db
def test_next_off_site_is_ignored(alice_web):
    response = alice_web.post("/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_times_follow_the_language():
    from datetime import timedelta

    from django.utils import timezone, translation

    from watchlist.templatetags.watchlist_ui import ago, clock, countdown, duration_text, milliseconds

    now = timezone.now()
    with translation.override("fr"):
        assert ago(now - timedelta(hours=3, minutes=2)) == "il y a 3\xa0heures"
        assert ago(now) == "à l'instant"
        assert countdown(now + timedelta(days=2, hours=4, seconds=30)) == "dans 2 j 4 h"
        assert duration_text(65) == "1 min 05 s"
        assert milliseconds(1234) == "1,2 s"
        # A date beyond this week: French month abbreviation, day first.
        assert clock(timezone.make_aware(timezone.datetime(2025, 2, 3, 14, 5))) == "3 Fév 2025 14:05"
    with translation.override("en"):
        assert clock(timezone.make_aware(timezone.datetime(2025, 2, 3, 14, 5))) == "3 Feb 2025 14:05"
        assert countdown(now + timedelta(days=2, hours=4, seconds=30)) == "in 2 d 4 h"


@pytest.mark.django_db
def test_messages_and_labels_in_french(alice, alice_web):
    from tests.factories import make_item

    make_item(alice, anime_title="Frieren")
    page = alice_web.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert ">Active</span>" in page and "Flux RSS/Atom" in page and "Meilleure disponible" in page
    assert "Vérifier" in page and "Mettre en pause" in page
    response = alice_web.post("/settings/", {}, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Vérifier toutes les (heures)" in response.content.decode()


@pytest.mark.django_db
def test_action_messages_in_french(alice, alice_web):
    from tests.factories import make_item

    item = make_item(alice, anime_title="Frieren")
    alice_web.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = alice_web.post("/items/bulk/", {"action": "pause", "ids": [str(item.pk)]}, follow=True)
    assert "1 série en pause." in response.content.decode()
    response = alice_web.post("/downloads/bulk/", {"action": "clear"}, follow=True)
    assert "0 téléchargement retiré de l&#x27;historique (le fichier reste)." in response.content.decode()


def test_check_verdicts_are_built_in_the_readers_language():
    from django.utils import translation

    from watchlist.check_words import verdict

    with translation.override("fr"):
        assert verdict(new=2, queued=1, error=None).text == "2 nouveaux épisodes, 1 en file"
        assert verdict(new=0, queued=0, error="HTTP 404").text == "La vérification a échoué : HTTP 404"
    with translation.override("en"):
        assert verdict(new=1, queued=0, error=None).text == "1 new episode"


@pytest.mark.django_db(transaction=True)  # as in production: no transaction around the request
def test_queue_down_messages_in_french_while_the_api_keeps_english(alice, alice_api, alice_web):
    from tests.factories import make_item
    from tests.support.broker import unreachable_broker
    from watchlist import checkqueue

    make_item(alice, anime_title="Frieren")
    alice_web.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    with unreachable_broker():
        page = alice_web.post("/items/check-all/", follow=True).content.decode()
        answer = alice_api.post("/api/watchlist/check-all?force=true", HTTP_ACCEPT_LANGUAGE="fr")
    assert "La file des tâches (broker) est injoignable" in page and "mis en file. Réessayez" in page
    assert answer.status_code == 503
    assert answer.json()["detail"] == checkqueue.UNAVAILABLE_MESSAGE  # scripts read English


@pytest.mark.django_db
def test_indexer_states_in_french_on_the_dashboard_in_english_in_the_api(admin_user, client):
    from django.utils import timezone
    from rest_framework.test import APIClient

    from watchlist.indexers.models import Indexer
    from watchlist.indexers.status import state_words

    failing = Indexer.objects.create(name="Nyaa", url="http://127.0.0.1:9/api")
    Indexer.objects.filter(pk=failing.pk).update(last_error="HTTP 401", last_error_at=timezone.now())
    Indexer.objects.create(name="Quiet", url="http://127.0.0.1:9/other")
    client.force_login(admin_user)
    page = client.get("/indexers/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "En échec : HTTP 401" in page and "Pas encore interrogé." in page
    assert "failing:" not in page and "not asked yet" not in page
    failing.refresh_from_db()
    assert state_words(failing) == "failing: HTTP 401"
    api = APIClient()
    api.force_authenticate(admin_user)
    listed = api.get("/api/indexers", HTTP_ACCEPT_LANGUAGE="fr").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {row["name"]: row.get("state") for row in rows}["Nyaa"] == "failing: HTTP 401"


@pytest.mark.django_db
def test_pick_messages_in_french_on_the_item_page_and_in_the_api(alice, alice_web, alice_api, settings, tmp_path):
    from tests.release_feeds import feed_item, store_results
    from watchlist.checker import check_item
    from watchlist.models import ReleaseDecision

    settings.DOWNLOAD_DIR = tmp_path
    names = [
        "[SubsPlease] Sousou no Frieren - 05 (1080p) [AAAA0001].mkv",
        "[Erai-raws] Sousou no Frieren - 05 [720p][Multiple Subtitle]",
        "[SubsPlease] Frieren Mini Anime - 05 (1080p)",
    ]
    item = feed_item(alice, "https://indexer.example.org/api?q=frieren-fr", anime_title="Sousou no Frieren")
    store_results(item.source, [{"name": name, "seeders": 100} for name in names])
    check_item(item)
    first, other, mini = (ReleaseDecision.objects.get(item=item, release_name=name) for name in names)
    alice_web.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    def said(decision) -> str:
        page = alice_web.post(f"/items/{item.pk}/releases/{decision.pk}/pick/", follow=True).content.decode()
        return page.replace("&#x27;", "'")

    assert "Épisode 5 : cette version est en file d'attente de téléchargement." in said(other)
    assert "Non téléchargé : l'épisode 5 est en cours de téléchargement ; annulez d'abord ce téléchargement." in said(
        first
    )
    refused = said(mini)
    assert ": ce n'est pas un des épisodes de cette série." in refused
    assert "series' episodes" not in refused
    assert "Non téléchargé : c'est déjà la version de l'épisode 5 (en file d'attente)." in said(other)

    # The API: its words follow Accept-Language too; its fields and codes do not change.
    answer = alice_api.post(f"/api/watchlist/{item.pk}/releases/{other.pk}/pick", HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.status_code == 409
    assert answer.json() == {"detail": "c'est déjà la version de l'épisode 5 (en file d'attente)"}
    english = alice_api.post(f"/api/watchlist/{item.pk}/releases/{other.pk}/pick")
    assert english.json() == {"detail": "this is already the release of episode 5 (queued)"}
