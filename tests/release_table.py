"""The project's own table of release names, by family: what each name must
parse to. Used by tests/test_release_table.py and by bench/parse_bench.py
(accuracy per family). Every name here was written for this table; the
fields not listed for a row are not checked.

Families:

* ``fansub``: ``[Group] Title - 05 [1080p][CRC].mkv`` and its variants;
* ``cjk``: Chinese/Japanese fansub names (brackets, ``第05话``, ``[12END]``);
* ``scene``: ``Title.S01E05.1080p.WEB.x264-GRP``, ``1x05``, ``S2009E09``;
* ``multi``: multi-episode names and batches (ranges, never one episode);
* ``title``: numbers and season/year markers in titles;
* ``special``: OVAs, specials, recaps, split episodes (flagged, still numbered);
* ``no_episode``: movies and extras that must not get an invented episode;
* ``quality``: resolution and version.
"""

from __future__ import annotations

from typing import Any

Row = tuple[str, str, dict[str, Any]]

ROWS: list[Row] = []


def _add(family: str, rows: list[tuple[str, dict[str, Any]]]) -> None:
    ROWS.extend((family, name, expected) for name, expected in rows)


_add("fansub", [
    ("[SubsPlease] Dandadan - 07 (1080p) [5E2D9A10].mkv", {"title": "Dandadan", "episode": 7, "resolution": 1080, "group": "SubsPlease"}),
    ("[SubsPlease] Kusuriya no Hitorigoto - 29 (720p) [0F3C11AB].mkv", {"title": "Kusuriya no Hitorigoto", "episode": 29, "resolution": 720}),
    ("[Erai-raws] Ore dake Level Up na Ken - 11 [1080p][HEVC][Multiple Subtitle][9A8B7C6D].mkv", {"title": "Ore dake Level Up na Ken", "episode": 11, "language": "multi"}),
    ("[Erai-raws] Blue Lock 2nd Season - 03 [720p][Multiple Subtitle].mkv", {"title": "Blue Lock", "season": 2, "episode": 3}),
    ("[ASW] Tsuki ga Michibiku Isekai Douchuu - 18 [1080p HEVC][A1B2C3D4].mkv", {"title": "Tsuki ga Michibiku Isekai Douchuu", "episode": 18}),
    ("[Judas] Vinland Saga - 24 [1080p][HEVC x265 10bit][Eng-Subs].mkv", {"title": "Vinland Saga", "episode": 24, "language": "en"}),
    ("[EMBER] Jujutsu Kaisen - 41 [1080p] [HEVC WEBRip DDP] (Shibuya Incident)", {"title": "Jujutsu Kaisen", "episode": 41}),
    ("[Tsundere-Raws] Oshi no Ko - 14 [WEB 1080p x264 AAC].mkv", {"title": "Oshi no Ko", "episode": 14}),
    ("[Anime Time] Naruto Shippuden - 500 [1080p][HEVC 10bit x265][AAC][Eng Sub].mkv", {"title": "Naruto Shippuden", "episode": 500}),
    ("[Yameii] Kaiju No. 8 - 09 [English Dub] [CR WEB-DL 1080p] [A9F0E1D2]", {"title": "Kaiju No. 8", "episode": 9, "language": "en-dub"}),
    ("[DKB] Bocchi the Rock! - 06 [1080p][HEVC x265 10bit][Multi-Subs]", {"title": "Bocchi the Rock!", "episode": 6}),
    ("[Cleo] Horimiya - 13 [Dual Audio 10bit 1080p][HEVC-x265]", {"title": "Horimiya", "episode": 13, "language": "multi"}),
    ("[SubsPlease] One Piece - 1110 (1080p) [C3D4E5F6].mkv", {"title": "One Piece", "episode": 1110}),
    ("[SubsPlease] Detective Conan - 1142 (480p) [77AA88BB].mkv", {"title": "Detective Conan", "episode": 1142, "resolution": 480}),
    ("[Erai-raws] Boruto - Naruto Next Generations - 293 [1080p][Multiple Subtitle].mkv", {"title": "Boruto - Naruto Next Generations", "episode": 293}),
    ("[SubsPlease] Kimetsu no Yaiba - Hashira Geiko-hen - 05 (1080p) [12345678].mkv", {"title": "Kimetsu no Yaiba - Hashira Geiko-hen", "episode": 5}),
    ("[ASW] Bleach - Sennen Kessen-hen - Soukoku-tan - 08 [1080p HEVC][EEFF0011].mkv", {"title": "Bleach - Sennen Kessen-hen - Soukoku-tan", "episode": 8}),
    ("[SubsPlease] Shangri-La Frontier - 21 (1080p) [ABCDEF12].mkv", {"title": "Shangri-La Frontier", "episode": 21}),
    ("[SubsPlease] Re Zero kara Hajimeru Isekai Seikatsu - 55 (1080p) [AB12CD34].mkv", {"title": "Re Zero kara Hajimeru Isekai Seikatsu", "episode": 55}),
    ("[Erai-raws] Dr. Stone - Science Future - 04 [1080p][Multiple Subtitle].mkv", {"title": "Dr. Stone - Science Future", "episode": 4}),
    ("[SubsPlease] Mushoku Tensei S2 - 12 (1080p) [FFEE0011].mkv", {"title": "Mushoku Tensei", "season": 2, "episode": 12}),
    ("[SubsPlease] Spy x Family S2 - 08 (720p).mkv", {"title": "Spy x Family", "season": 2, "episode": 8}),
    ("[Erai-raws] Tensei shitara Slime Datta Ken 3rd Season - 10 [1080p].mkv", {"title": "Tensei shitara Slime Datta Ken", "season": 3, "episode": 10}),
    ("[Group] Shingeki no Kyojin Season 3 - 05 [1080p].mkv", {"title": "Shingeki no Kyojin", "season": 3, "episode": 5}),
    ("[HorribleSubs] Sword Art Online - Alicization - 12 [720p].mkv", {"title": "Sword Art Online - Alicization", "episode": 12}),
    ("[HorribleSubs] Kaguya-sama wa Kokurasetai S2 - 07 [1080p].mkv", {"title": "Kaguya-sama wa Kokurasetai", "season": 2, "episode": 7}),
    ("[Commie] Steins;Gate 0 - 05 [BD 720p AAC] [C0FFEE00].mkv", {"title": "Steins;Gate 0", "episode": 5}),
    ("[Coalgirls] Clannad After Story - 09 (1920x1080 Blu-ray FLAC) [ABCD0000].mkv", {"title": "Clannad After Story", "episode": 9, "resolution": 1080}),
    ("[Kametsu] Monogatari Series - 03 (BD 1080p Hi10 FLAC) [DEADBEEF].mkv", {"title": "Monogatari Series", "episode": 3}),
    ("[neoHEVC] Hunter x Hunter (2011) - 131 [BD 1080p x265 10bit AAC].mkv", {"title": "Hunter x Hunter", "episode": 131}),
    ("[Beatrice-Raws] Violet Evergarden 05 [BDRip 1920x1080 HEVC FLAC].mkv", {"title": "Violet Evergarden", "episode": 5}),
    ("[Moozzi2] Made in Abyss - 07 (BD 1920x1080 x.264 Flac).mkv", {"title": "Made in Abyss", "episode": 7}),
    ("[VCB-Studio] Cowboy Bebop [17][Ma10p_1080p][x265_flac].mkv", {"title": "Cowboy Bebop", "episode": 17}),
    ("[Nekomoe kissaten][Kimi no Koto ga Daidaidaidaidaisuki na 100-nin no Kanojo][08][1080p][JPSC].mp4", {"episode": 8}),
    ("[Ohys-Raws] Sousou no Frieren - 20 (NTV 1280x720 x264 AAC).mp4", {"title": "Sousou no Frieren", "episode": 20, "resolution": 720}),
    ("[Ohys-Raws] Dungeon Meshi - 11 (TX 1920x1080 x264 AAC).mp4", {"title": "Dungeon Meshi", "episode": 11, "resolution": 1080}),
    ("[NC-Raws] Tonikaku Kawaii S2 - 03 (B-Global 1920x1080 HEVC AAC MKV)", {"title": "Tonikaku Kawaii", "episode": 3, "season": 2}),
    ("[SubsPlease] Ragna Crimson - 12v2 (1080p) [A0B1C2D3].mkv", {"title": "Ragna Crimson", "episode": 12, "version": 2}),
    ("Sousou no Frieren - 05 [1080p].mkv", {"title": "Sousou no Frieren", "episode": 5}),
    ("Sousou no Frieren 05 VOSTFR 1080p", {"title": "Sousou no Frieren", "episode": 5, "language": "vostfr"}),
    ("[Team Arcedo] Sousou no Frieren - 05 VOSTFR [1080p].mkv", {"episode": 5, "language": "vostfr"}),
    ("[Anime-Ultime] Dandadan 03 VOSTFR HD", {"title": "Dandadan", "episode": 3, "language": "vostfr"}),
    ("[Mystic Z-Team] One Piece 1085 VOSTFR FHD", {"title": "One Piece", "episode": 1085, "resolution": 1080}),
    ("One Piece Episode 1085 VOSTFR", {"title": "One Piece", "episode": 1085}),
    ("Sousou no Frieren Episode 5 VF 1080p", {"title": "Sousou no Frieren", "episode": 5, "language": "vf"}),
    ("[Kaerizaki-Fansub] One Piece 1100 VOSTFR FHD (1920x1080).mp4", {"episode": 1100}),
    ("[Golumpa] Solo Leveling - 06 (Solo Leveling) [English Dub] [FuniDub 1080p x264 AAC] [MKV]", {"episode": 6, "language": "en-dub"}),
    ("[Trix] Frieren Beyond Journey's End - E05 (WEB 1080p AV1 Opus) [Multi Subs]", {"title": "Frieren Beyond Journey's End", "episode": 5}),
    ("[sam] Kusuriya no Hitorigoto - 05 [WEB 1080p].mkv", {"title": "Kusuriya no Hitorigoto", "episode": 5}),
    ("[Kawaiika-Raws] Sono Bisque Doll wa Koi wo Suru 05 [BDRip 1920x1080 HEVC FLAC].mkv", {"episode": 5}),
    ("[Some-Stuffs]_Pocket_Monsters_(2019)_002_(1080p)_[A1B2C3D4].mkv", {"episode": 2}),
    ("[GJM] Kaguya-sama wa Kokurasetai - Ultra Romantic - 09 [4E5F6A7B].mkv", {"title": "Kaguya-sama wa Kokurasetai - Ultra Romantic", "episode": 9}),
    ("[Erai-raws] Kimi ni Todoke 3rd Season - 05 [1080p][Multiple Subtitle][ENG][POR-BR].mkv", {"episode": 5, "season": 3}),
    ("[SubsPlease] Boku no Hero Academia - 150 (1080p) [0A1B2C3D].mkv", {"title": "Boku no Hero Academia", "episode": 150}),
    ("[SubsPlease] Tsuki ga Michibiku Isekai Douchuu S2 - 01 (1080p) [FEDCBA98].mkv", {"season": 2, "episode": 1}),
    ("[Erai-raws] Yuru Camp Season 3 - 12 END [1080p].mkv", {"title": "Yuru Camp", "season": 3, "episode": 12}),
    ("[SubsPlease] Hibike! Euphonium S3 - 13 (1080p) [AB12AB12].mkv", {"title": "Hibike! Euphonium", "episode": 13}),
    ("[Erai-raws] Re Monster - 06 [480p][Multiple Subtitle].mkv", {"title": "Re Monster", "episode": 6, "resolution": 480}),
    ("[SubsPlease] Lv2 kara Cheat datta Motoyuusha Kouho no Mattari Isekai Life - 10 (1080p) [1A2B3C4D].mkv", {"episode": 10}),
    ("[SubsPlease] Ore wa Subete wo Parry suru - 03 (1080p) [AAAA1111].mkv", {"episode": 3}),
    ("[SubsPlease] Sentai Daishikkaku - 10 (1080p) [BBBB2222].mkv", {"title": "Sentai Daishikkaku", "episode": 10}),
    ("Dandadan E07 1080p WEB H264-SENPAI", {"title": "Dandadan", "episode": 7, "resolution": 1080}),
    ("[Erai-raws] Kimetsu no Yaiba - Katanakaji no Sato-hen - 11 END [1080p][Multiple Subtitle].mkv", {"episode": 11}),
    ("[SubsPlease] Jujutsu Kaisen - 47 (1080p) [D1E2F3A4].mkv", {"title": "Jujutsu Kaisen", "episode": 47}),
    ("[Sokudo] Blue Lock - 24 [1080p BD AV1][dual audio].mkv", {"title": "Blue Lock", "episode": 24, "language": "multi"}),
    ("[Breeze] Fullmetal Alchemist Brotherhood - 64 [1080p BD AV1].mkv", {"title": "Fullmetal Alchemist Brotherhood", "episode": 64}),
    ("[FFA] Tensura Nikki - 05 [1080p][HEVC][Main10].mkv", {"title": "Tensura Nikki", "episode": 5}),
    ("[SubsPlease] Shuumatsu Train Doko e Iku - 02 (1080p) [0B0B0B0B].mkv", {"episode": 2}),
    ("[SubsPlease] Mahouka Koukou no Rettousei S3 - 13 (1080p) [0C0C0C0C].mkv", {"title": "Mahouka Koukou no Rettousei", "episode": 13}),
    ("[Erai-raws] Haikyuu!! - 25 [720p].mkv", {"title": "Haikyuu!!", "episode": 25}),
    ("[Erai-raws] Kono Subarashii Sekai ni Shukufuku wo! 3 - 11 [1080p].mkv", {"episode": 11}),
    ("[Erai-raws] Fate/Grand Order - Zettai Majuu Sensen Babylonia - 21 [1080p].mkv", {"title": "Fate/Grand Order - Zettai Majuu Sensen Babylonia", "episode": 21}),
    ("[SubsPlease] Tokyo Revengers - 37 (1080p) [0D0D0D0D].mkv", {"title": "Tokyo Revengers", "episode": 37}),
    ("[SubsPlease] Urusei Yatsura (2022) - 45 (1080p) [0E0E0E0E].mkv", {"title": "Urusei Yatsura", "episode": 45, "year": 2022}),
    ("[SubsPlease] Gintama. (2017) - 05 (1080p).mkv", {"episode": 5, "year": 2017}),
    ("[Erai-raws] Sousou no Frieren - 28 END [1080p][Multiple Subtitle][B1B2B3B4].mkv", {"title": "Sousou no Frieren", "episode": 28, "is_batch": False}),
    ("[SubsPlease] Dungeon Meshi - 24 (1080p) [Complete].mkv", {"episode": 24, "is_batch": False}),
])  # fmt: skip

_add("cjk", [
    ("[桜都字幕组][10月新番][葬送的芙莉莲 / Sousou no Frieren][05][1080P][简繁内封]", {"title": "Sousou no Frieren", "episode": 5, "title_aliases": ("Sousou no Frieren", "葬送的芙莉莲"), "resolution": 1080}),
    ("[桜都字幕组] 葬送的芙莉莲 / Sousou no Frieren [HEVC-10Bit-2160P][06]", {"title": "Sousou no Frieren", "episode": 6, "resolution": 2160}),
    ("【喵萌奶茶屋】★10月新番★[葬送的芙莉莲 / Sousou no Frieren][07][1080p][简体][招募翻译]", {"title": "Sousou no Frieren", "episode": 7, "group": "喵萌奶茶屋"}),
    ("[喵萌奶茶屋&LoliHouse] 葬送的芙莉莲 / Sousou no Frieren - 08 [WebRip 1080p HEVC-10bit AAC][简繁日内封字幕]", {"title": "Sousou no Frieren", "episode": 8, "group": "喵萌奶茶屋&LoliHouse"}),
    ("[北宇治字幕组] 葬送的芙莉莲 / Sousou no Frieren [12END][WebRip][1080p][HEVC_AAC][简繁日内封]", {"title": "Sousou no Frieren", "episode": 12, "is_batch": False}),
    ("[幻樱字幕组][10月新番][间谍过家家 SPY×FAMILY][13完][GB_MP4][1080P]", {"title": "SPY×FAMILY", "episode": 13, "title_aliases": ("SPY×FAMILY", "间谍过家家")}),
    ("[银色子弹字幕组][名侦探柯南][第1008話][简日双语MP4][1080P]", {"title": "名侦探柯南", "episode": 1008}),
    ("[织梦字幕组][海贼王 One Piece][第1085话][1080P][AVC][简日双语]", {"title": "One Piece", "episode": 1085, "title_aliases": ("One Piece", "海贼王")}),
    ("[ANi] 葬送的芙莉蓮 - 09 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"title": "葬送的芙莉蓮", "episode": 9, "group": "ANi"}),
    ("[ANi] 我獨自升級 - 05 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"title": "我獨自升級", "episode": 5}),
    ("[ANi] Ore dake Level Up na Ken / 我獨自升級 - 06 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"title": "Ore dake Level Up na Ken", "episode": 6}),
    ("[Lilith-Raws] 葬送的芙莉蓮 / Sousou no Frieren - 10 [Baha][WEB-DL][1080p][AVC AAC][CHT][MP4]", {"title": "Sousou no Frieren", "episode": 10}),
    ("[LoliHouse] 葬送的芙莉莲 / Sousou no Frieren [01-28 精校合集][WebRip 1080p HEVC-10bit AAC][简繁内封字幕][Fin]", {"title": "Sousou no Frieren", "episode": 1, "episode_end": 28, "is_batch": True}),
    ("[Nekomoe kissaten][Sousou no Frieren][11][1080p][JPSC]", {"title": "Sousou no Frieren", "episode": 11}),
    ("[Nekomoe kissaten&LoliHouse] Dandadan - 04 [WebRip 1080p HEVC-10bit AAC ASSx2]", {"title": "Dandadan", "episode": 4}),
    ("[动漫国字幕组&LoliHouse] 物语系列 / Monogatari Series - 05 [WebRip 1080p HEVC-10bit AAC][简繁内封字幕]", {"title": "Monogatari Series", "episode": 5}),
    ("[千夏字幕组][药屋少女的呢喃_Kusuriya no Hitorigoto][第25话][1080p_AVC][简体]", {"episode": 25}),
    ("[千夏字幕组][葬送的芙莉莲_Sousou no Frieren][第05话][1080p_HEVC][简繁内封]", {"episode": 5}),
    ("[猎户手抄部] 葬送的芙莉莲 Sousou no Frieren [05] [1080p] [简日内嵌]", {"title": "Sousou no Frieren", "episode": 5, "title_aliases": ("Sousou no Frieren", "葬送的芙莉莲")}),
    ("[猎户不鸽压制] 迷宫饭 Dungeon Meshi [20] [1080p] [简繁内封] [2024年1月番]", {"title": "Dungeon Meshi", "episode": 20}),
    ("[云光字幕组] 迷宫饭 Dungeon Meshi [02][简体双语][1080p]招募翻译", {"title": "Dungeon Meshi", "episode": 2}),
    ("[爱恋字幕社][1月新番][迷宫饭][Dungeon Meshi][03][1080p][MP4][GB][简中]", {"episode": 3}),
    ("[爱恋字幕社][4月新番][怪兽8号][Kaijuu 8-gou][07][1080p][MP4][GB][简中]", {"episode": 7}),
    ("[SweetSub][迷宫饭][Delicious in Dungeon][04][WebRip][1080P][AVC 8bit][简体内嵌]", {"episode": 4}),
    ("[豌豆字幕组&LoliHouse] 坂本日常 / Sakamoto Days - 05 [WebRip 1080p HEVC-10bit AAC][简繁外挂字幕]", {"title": "Sakamoto Days", "episode": 5}),
    ("[澄空学园&华盟字幕社&LoliHouse] 药屋少女的呢喃 / Kusuriya no Hitorigoto - 30 [WebRip 1080p HEVC-10bit AAC][简繁内封字幕]", {"title": "Kusuriya no Hitorigoto", "episode": 30}),
    ("[喵萌Production&LoliHouse] 孤独摇滚！ / Bocchi the Rock! - 12 [WebRip 1080p HEVC-10bit AAC][简繁日内封字幕][END]", {"title": "Bocchi the Rock!", "episode": 12}),
    ("[Sakurato] Kimetsu no Yaiba [05][AVC-8bit 1080p AAC][CHS]", {"title": "Kimetsu no Yaiba", "episode": 5}),
    ("[Sakurato] 鬼灭之刃 柱训练篇 [07][HEVC-10bit 1080p AAC][CHS&CHT]", {"episode": 7}),
    ("[风车字幕组][名侦探柯南][第1120集][1080P][简体][MP4]", {"title": "名侦探柯南", "episode": 1120}),
    ("[风车字幕组][海贼王][第1100话][1080P][简体][MP4]", {"title": "海贼王", "episode": 1100}),
    ("[霜庭云花Sub][葬送的芙莉莲][Sousou no Frieren][16][1080P][AVC][简日双语]", {"episode": 16}),
    ("[黒ネズミたち] 葬送のフリーレン / Sousou no Frieren - 21 (ABEMA 1920x1080 AVC AAC MP4)", {"title": "Sousou no Frieren", "episode": 21, "resolution": 1080}),
    ("[黒ネズミたち] 薬屋のひとりごと - 33 (CR 1920x1080 AVC AAC MKV)", {"title": "薬屋のひとりごと", "episode": 33}),
    ("[SBSUB][CONAN][1120][WEBRIP][1080P][HEVC_AAC][CHS_JP]", {"title": "CONAN", "episode": 1120}),
    ("[Airota][Yuru Camp Season 3][04][WebRip 1080p AVC AAC][CHS]", {"episode": 4, "season": 3}),
    ("[Airota&LoliHouse] 摇曳露营△ 第三季 / Yuru Camp Season 3 - 06 [WebRip 1080p HEVC-10bit AAC][简繁内封字幕]", {"title": "Yuru Camp", "season": 3, "episode": 6}),
    ("[桜都字幕组] 间谍过家家 第二季 / SPY×FAMILY Season 2 [05][1080P][简繁内封]", {"title": "SPY×FAMILY", "season": 2, "episode": 5}),
    ("[Skymoon-Raws] 我推的孩子 第二季 / Oshi no Ko 2nd Season - 03 [ViuTV][WEB-DL][CHT][1080p][AVC AAC]", {"title": "Oshi no Ko", "season": 2, "episode": 3}),
    ("[ANi] Sousou no Frieren - 葬送的芙莉蓮 - 14 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"episode": 14}),
    ("[桜都字幕组] 葬送的芙莉莲 / Sousou no Frieren [05v2][1080P][简繁内封]", {"episode": 5, "version": 2}),
    ("[漫猫字幕社][4月新番][怪兽8号 Kaiju No.8][08][1080P][MP4][简日双语]", {"episode": 8}),
    ("[漫猫字幕社][10月新番][葬送的芙莉莲 Sousou no Frieren][28END][1080P][MP4][简日双语]", {"episode": 28}),
    ("[MingY] 葬送的芙莉莲 / Sousou no Frieren [19][1080p][CHS&JPN]", {"title": "Sousou no Frieren", "episode": 19}),
    ("[MingY] 迷宫饭 / Dungeon Meshi [24END][1080p][CHS&JPN]", {"title": "Dungeon Meshi", "episode": 24}),
    ("[ANi] 敗北女角太多了！ - 12 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"episode": 12}),
    ("[星空字幕组][海贼王 / One Piece][1101][简日双语][1080P][WEBrip][MP4]", {"title": "One Piece", "episode": 1101}),
    ("[悠哈璃羽字幕社] [租借女友_Kanojo, Okarishimasu] [37] [x264 1080p] [CHS]", {"episode": 37}),
    ("[c.c动漫][4月新番][地。-关于地球的运动-][05][BIG5][1080P][MP4]", {"episode": 5}),
    ("[GM-Team][国漫][斗罗大陆][Douluo Dalu][2019][268][AVC][GB][1080P]", {"episode": 268}),
    ("[GM-Team][国漫][完美世界][Perfect World][2021][171][AVC][GB][1080P]", {"episode": 171}),
    ("[LoliHouse] 无职转生 第二季 / Mushoku Tensei S2 [01-25 合集][WebRip 1080p HEVC-10bit AAC][简繁内封字幕][Fin]", {"episode": 1, "episode_end": 25, "is_batch": True, "season": 2}),
    ("[DBD-Raws][葬送的芙莉莲/Sousou no Frieren][01-28TV全集+特典映像][1080P][BDRip][HEVC-10bit][FLAC][MKV]", {"episode": 1, "episode_end": 28, "is_batch": True, "title": "Sousou no Frieren"}),
    ("[VCB-Studio] 迷宫饭 / Dungeon Meshi 10-bit 1080p HEVC BDRip [Fin]", {"title": "Dungeon Meshi", "episode": None}),
    ("[桜都字幕组] 药屋少女的呢喃 第二季 / Kusuriya no Hitorigoto 2nd Season [01-12][1080P][简繁内封][合集]", {"episode": 1, "episode_end": 12, "is_batch": True}),
    ("[ANi] 咒術迴戰 第二季 - 23 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"title": "咒術迴戰", "season": 2, "episode": 23}),
    ("[名侦探柯南][第1008話][1080P]", {"episode": 1008}),
    ("【幻樱字幕组】【4月新番】【怪兽8号 Kaijuu 8-gou】【09】【GB_MP4】【1920X1080】", {"episode": 9, "resolution": 1080}),
    ("【极影字幕社】★4月新番 【怪兽8号】【Kaijuu 8-gou】【10】GB MP4_720P", {"episode": 10}),
    ("[orion origin] 葬送的芙莉莲 Sousou no Frieren [13] [1080p] [H265 AAC] [CHS]", {"title": "Sousou no Frieren", "episode": 13}),
    ("[ANi] 鬼滅之刃 柱訓練篇 - 08 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"episode": 8}),
    ("[Kirara Fantasia] 葬送的芙莉莲 / Sousou no Frieren - 17 [WebRip][1080P][HEVC][AAC][CHS_JP]", {"title": "Sousou no Frieren", "episode": 17}),
    ("[桜都字幕组] 间谍过家家 / SPY×FAMILY [26.5][1080P][简繁内封]", {"episode": 26, "is_special": True}),
    ("[织梦字幕组][名侦探柯南 Detective Conan][第1120集][1080P][AVC][简日双语]", {"title": "Detective Conan", "episode": 1120}),
    ("[沸班亚马制作组] 葬送的芙莉莲 / Sousou no Frieren - 第05话 [1080p][简繁]", {"title": "Sousou no Frieren", "episode": 5}),
    ("葬送的芙莉莲 第05话 1080p", {"episode": 5}),
    ("[7³ACG] 葬送的芙莉莲 / Sousou no Frieren [01-28] [BDRip 1080p HEVC-10bit FLAC]", {"episode": 1, "episode_end": 28, "is_batch": True}),
    ("[ANi] 葬送的芙莉蓮 - 28 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"episode": 28}),
])  # fmt: skip

_add("scene", [
    ("Sousou.no.Frieren.S01E05.1080p.WEB.H264-SENPAI", {"title": "Sousou no Frieren", "season": 1, "episode": 5, "group": "SENPAI"}),
    ("The.Office.US.S05E10.720p.HDTV.x264-CTU", {"title": "The Office US", "season": 5, "episode": 10}),
    ("Breaking.Bad.S04E11.1080p.BluRay.x264-ROVERS", {"title": "Breaking Bad", "season": 4, "episode": 11, "group": "ROVERS"}),
    ("Severance.S02E03.2160p.ATVP.WEB-DL.DDP5.1.DV.HDR.H.265-NTb", {"title": "Severance", "season": 2, "episode": 3, "resolution": 2160}),
    ("The.Last.of.Us.S01E03.Long.Long.Time.1080p.AMZN.WEB-DL.DDP5.1.H.264-NTb", {"title": "The Last of Us", "season": 1, "episode": 3}),
    ("Shogun.2024.S01E07.1080p.WEB.h264-ETHEL", {"title": "Shogun", "season": 1, "episode": 7, "year": 2024}),
    ("Doctor.Who.2005.S10E01.720p.HDTV.x264-MTB", {"title": "Doctor Who", "season": 10, "episode": 1}),
    ("Mythbusters.S2009E09.720p.HDTV.x264-DHD", {"title": "Mythbusters", "season": 2009, "episode": 9}),
    ("Top.Gear.S2015E03.1080p.HDTV.x264-FTP", {"title": "Top Gear", "season": 2015, "episode": 3}),
    ("Jeopardy.S100E05.720p.HDTV.x264-NGP", {"title": "Jeopardy", "season": 100, "episode": 5}),
    ("The.Simpsons.S35E12.1080p.WEB.h264-EDITH", {"title": "The Simpsons", "season": 35, "episode": 12}),
    ("Saturday.Night.Live.S49E15.720p.WEB.h264-BAE", {"title": "Saturday Night Live", "season": 49, "episode": 15}),
    ("Friends.1x05.720p.HDTV.x264-GRP", {"title": "Friends", "season": 1, "episode": 5}),
    ("Seinfeld 3x12 The Red Dot DVDRip XviD", {"title": "Seinfeld", "season": 3, "episode": 12}),
    ("Lost.4x02.HDTV.XviD-LOL", {"title": "Lost", "season": 4, "episode": 2}),
    ("House.103.HDTV.XviD-LOL", {"title": "House", "season": 1, "episode": 3}),
    ("Heroes.205.HDTV.XviD-XOR", {"title": "Heroes", "season": 2, "episode": 5}),
    ("Scrubs.812.720p.HDTV.x264-CTU", {"title": "Scrubs", "season": 8, "episode": 12}),
    # An anime-only streaming service (CR, HIDIVE, ADN, BILI) numbers episodes
    # from the series' start: "1043" there is episode 1043, not S10E43.
    ("Harbor.Knights.1043.1080p.CR.WEB-DL.AAC2.0.H.264-GRP", {"title": "Harbor Knights", "season": None, "episode": 1043}),
    ("Lantern.Tide.512.1080p.HIDIVE.WEB-DL.AAC2.0.H.264-GRP", {"title": "Lantern Tide", "season": None, "episode": 512}),
    ("Copper.Bell.1186.1080p.BILI.WEB-DL.AAC2.0.H.265-GRP", {"title": "Copper Bell", "season": None, "episode": 1186}),
    ("Frieren.Beyond.Journeys.End.S01E28.1080p.CR.WEB-DL.AAC2.0.H.264-VARYG", {"title": "Frieren Beyond Journeys End", "season": 1, "episode": 28, "group": "VARYG"}),
    ("Frieren Beyond Journeys End S01E05 1080p CR WEB-DL AAC2.0 H 264-VARYG", {"season": 1, "episode": 5, "group": "VARYG"}),
    ("Dan.Da.Dan.S01E07.Dual-Audio.1080p.WEB.H.264-SKYANiME", {"title": "Dan Da Dan", "season": 1, "episode": 7}),
    ("Solo.Leveling.S01E12.MULTi.1080p.WEB.x264-FW", {"title": "Solo Leveling", "season": 1, "episode": 12, "language": "multi"}),
    ("Solo.Leveling.S01E03.VOSTFR.1080p.WEB.x264-TFA", {"season": 1, "episode": 3, "language": "vostfr"}),
    ("The.Boys.S04E06.FRENCH.720p.WEB.H264-FW", {"title": "The Boys", "season": 4, "episode": 6, "language": "vf"}),
    ("Arcane.S02E09.MULTi.2160p.NF.WEB-DL.DDP5.1.Atmos.HDR.H.265-BONBON", {"title": "Arcane", "season": 2, "episode": 9}),
    ("Attack on Titan S04E28 1080p WEB H.264-SENPAI", {"title": "Attack on Titan", "season": 4, "episode": 28}),
    ("[Judas] Shingeki no Kyojin (Attack on Titan) - S04E05 [1080p][HEVC x265 10bit][Multi-Subs].mkv", {"season": 4, "episode": 5}),
    ("[SubsPlease] Show S02E05 (E17) (1080p)", {"season": 2, "episode": 5, "absolute_episode": 17}),
    ("Jujutsu.Kaisen.S02E17.1080p.WEB.H264-SENPAI", {"title": "Jujutsu Kaisen", "season": 2, "episode": 17}),
    ("Mob.Psycho.100.S03E03.1080p.WEB.H264-SENPAI", {"title": "Mob Psycho 100", "season": 3, "episode": 3}),
    ("Spy.x.Family.S02E05.1080p.WEB.H264-SENPAI", {"title": "Spy x Family", "season": 2, "episode": 5}),
    ("One.Piece.2023.S01E04.1080p.NF.WEB-DL.DDP5.1.Atmos.H.264-FLUX", {"title": "One Piece", "season": 1, "episode": 4}),
    ("Cowboy.Bebop.S01E17.720p.BluRay.x264-DEiMOS", {"title": "Cowboy Bebop", "season": 1, "episode": 17}),
    ("Naruto.Shippuden.S21E17.1080p.BluRay.x264", {"title": "Naruto Shippuden", "season": 21, "episode": 17}),
    ("Vinland Saga S02E24 1080p WEB H 264-SENPAI", {"title": "Vinland Saga", "season": 2, "episode": 24}),
    # "H 264" written apart, last in a season pack's name, is the codec, not episode 264.
    ("Harbor Lanterns S03 1080p AMZN WEB-DL DDP2.0 H 264 MULTi", {"title": "Harbor Lanterns", "season": 3, "episode": None, "is_batch": True}),
    ("Copper Gate S02 1080p iQ WEB-DL H 265", {"title": "Copper Gate", "season": 2, "episode": None, "is_batch": True}),
    ("Chainsaw.Man.S01E12.1080p.WEBRip.x265-RARBG", {"title": "Chainsaw Man", "season": 1, "episode": 12}),
    ("fargo.s05e08.720p.hdtv.x264-syncopy", {"title": "fargo", "season": 5, "episode": 8}),
    ("Title S01 E05 1080p WEB", {"season": 1, "episode": 5}),
    ("Title.S01.E05.1080p.WEB", {"season": 1, "episode": 5}),
    ("Show.Name.S03E07.PROPER.720p.HDTV.x264-KILLERS", {"title": "Show Name", "season": 3, "episode": 7}),
    ("Show.Name.S03E07.REPACK.1080p.WEB.h264-GOSSIP", {"title": "Show Name", "season": 3, "episode": 7}),
    ("Show_Name_S02E11_720p_WEB-DL", {"title": "Show Name", "season": 2, "episode": 11}),
    ("Show Name - S02E11 - Episode Title [1080p].mkv", {"title": "Show Name", "season": 2, "episode": 11}),
    ("Show Name (2019) - S01E02 - Pilot Part 2 [WEBDL-1080p].mkv", {"title": "Show Name", "season": 1, "episode": 2, "year": 2019}),
    ("Bluey.2018.S03E45.1080p.DSNP.WEB-DL.AAC2.0.H.264-NTb", {"title": "Bluey", "season": 3, "episode": 45}),
    ("The.Daily.Show.S2024E101.720p.WEB.h264-EDITH", {"season": 2024, "episode": 101}),
    ("Hells.Kitchen.US.S22E08.1080p.WEB.h264-ETHEL", {"title": "Hells Kitchen US", "season": 22, "episode": 8}),
    ("Bleach.Thousand-Year.Blood.War.S03E05.1080p.WEB.H264-SENPAI", {"season": 3, "episode": 5}),
    ("Kaiju.No.8.S01E09.1080p.WEB.H264-SENPAI", {"title": "Kaiju No 8", "season": 1, "episode": 9}),
    ("Dr.Stone.S04E04.1080p.WEB.H264-SENPAI", {"season": 4, "episode": 4}),
    ("The.Apothecary.Diaries.S02E06.1080p.CR.WEB-DL.AAC2.0.H.264-VARYG", {"title": "The Apothecary Diaries", "season": 2, "episode": 6}),
    ("Star.Trek.Discovery.S05E10.1080p.WEB.h264-ETHEL", {"title": "Star Trek Discovery", "season": 5, "episode": 10}),
    ("Dexter.S08E12v2.720p.HDTV.x264-EVOLVE", {"season": 8, "episode": 12, "version": 2}),
    ("Better.Call.Saul.S06E13.1080p.AMC.WEB-DL.DDP5.1.H.264-NTb", {"title": "Better Call Saul", "season": 6, "episode": 13}),
    ("Good.Eats.S12x04.720p.WEB", {"episode": 4}),
    ("South.Park.S27E02.1080p.WEB.h264-ETHEL", {"title": "South Park", "season": 27, "episode": 2}),
    ("QI.S21E03.720p.HDTV.x264-ORGANiC", {"title": "QI", "season": 21, "episode": 3}),
    ("Nova.S51E04.1080p.WEB.h264-BAE", {"title": "Nova", "season": 51, "episode": 4}),
    ("24.S08E20.720p.HDTV.x264-CTU", {"title": "24", "season": 8, "episode": 20}),
    ("1923.S01E03.1080p.WEB.h264-ETHEL", {"title": "1923", "season": 1, "episode": 3}),
    ("9-1-1.S07E05.1080p.WEB.h264-SYNCOPY", {"title": "9-1-1", "season": 7, "episode": 5}),
])  # fmt: skip

_add("multi", [
    ("Title.S03E01E02.1080p.WEB.x264-GRP", {"season": 3, "episode": 1, "episode_end": 2, "is_batch": True}),
    ("Title.S03E01-E03.1080p.WEB.x264-GRP", {"season": 3, "episode": 1, "episode_end": 3, "is_batch": True}),
    ("Title S03E01 - S03E02 1080p WEB x264-GRP", {"season": 3, "episode": 1, "episode_end": 2}),
    ("Title.S03E01-03.720p.HDTV.x264-GRP", {"season": 3, "episode": 1, "episode_end": 3}),
    ("The.Office.US.S06E17E18.720p.HDTV.x264-CTU", {"title": "The Office US", "season": 6, "episode": 17, "episode_end": 18}),
    ("Doctor.Who.S04E12E13.1080p.BluRay.x264-GRP", {"season": 4, "episode": 12, "episode_end": 13}),
    ("Show.Name.S01E01.E02.1080p.WEB", {"season": 1, "episode": 1, "episode_end": 2}),
    ("Show Name S01E01 E02 E03 1080p", {"season": 1, "episode": 1, "episode_end": 3}),
    ("Show.Name.S02E09-E10.720p.HDTV", {"season": 2, "episode": 9, "episode_end": 10}),
    ("Show.Name.1x01-1x02.720p.HDTV", {"season": 1, "episode": 1, "episode_end": 2}),
    ("[Group] Title - 01 ~ 10 [1080p]", {"episode": 1, "episode_end": 10, "is_batch": True}),
    ("[Group] Title - 01~12 [1080p]", {"episode": 1, "episode_end": 12, "is_batch": True}),
    ("[Group] Title 01 ~ 13 [BD 1080p][Batch]", {"episode": 1, "episode_end": 13, "is_batch": True}),
    ("[Group] Title - 01-12 [Batch]", {"episode": 1, "episode_end": 12, "is_batch": True}),
    ("[Group] Title - 01-12 [1080p] [Batch]", {"episode": 1, "episode_end": 12, "is_batch": True}),
    ("[Group] Title (01-12) [1080p]", {"episode": 1, "episode_end": 12, "is_batch": True}),
    ("[Group] Title - 01-02-03 [1080p]", {"episode": 1, "episode_end": 3, "is_batch": True}),
    ("[Group] Title - 13-14-15 [720p]", {"episode": 13, "episode_end": 15}),
    ("[SubsPlease] Sousou no Frieren (01-28) (1080p) [Batch]", {"title": "Sousou no Frieren", "episode": 1, "episode_end": 28, "is_batch": True}),
    ("[Erai-raws] Dungeon Meshi - 01 ~ 24 [1080p][Multiple Subtitle]", {"title": "Dungeon Meshi", "episode": 1, "episode_end": 24}),
    ("[Judas] Vinland Saga (Season 2) [1080p][HEVC x265 10bit][Eng-Subs] (Batch)", {"title": "Vinland Saga", "season": 2, "is_batch": True, "episode": None}),
    ("[Judas] Mushoku Tensei S2 (Batch) [1080p][HEVC x265 10bit][Multi-Subs]", {"season": 2, "is_batch": True, "episode": None}),
    ("[Group] Title S01 [1080p] [Batch]", {"season": 1, "is_batch": True, "episode": None}),
    ("Show.Name.S01.1080p.BluRay.x264-GRP", {"title": "Show Name", "season": 1, "is_batch": True, "episode": None}),
    ("Show.Name.S01-S03.1080p.BluRay.x264-GRP", {"title": "Show Name", "season": 1, "is_batch": True, "episode": None}),
    ("Show Name Season 1 Complete 1080p", {"season": 1, "is_batch": True, "episode": None}),
    ("[Group] Title (Season 2) [01-12] [1080p]", {"season": 2, "episode": 1, "episode_end": 12, "is_batch": True}),
    ("[Group] Title 2nd Season [01-12][1080p][Batch]", {"season": 2, "episode": 1, "episode_end": 12, "is_batch": True}),
    ("[Group] Title - 01-26 (BD 1080p) [Dual Audio]", {"episode": 1, "episode_end": 26, "is_batch": True}),
    ("[Group] Title Vol.2 [1080p]", {"episode": None, "is_batch": True}),
    ("[Group] Title [Batch] [1080p]", {"episode": None, "is_batch": True}),
    ("[Group] Title - Complete Series [1080p]", {"episode": None, "is_batch": True}),
    ("Title - S01E01-E12 [1080p]", {"season": 1, "episode": 1, "episode_end": 12, "is_batch": True}),
    ("[ASW] Oshi no Ko - 01-11 [1080p HEVC][Batch]", {"title": "Oshi no Ko", "episode": 1, "episode_end": 11}),
    ("[Anime Time] One Piece (0001-1000) [1080p][HEVC 10bit x265][AAC][Multi Sub] [Batch]", {"episode": 1, "episode_end": 1000, "is_batch": True}),
    ("[DB] Haikyuu!! - 01-25 [Dual Audio 10bit 720p][HEVC-x265]", {"episode": 1, "episode_end": 25}),
    ("[Group] Title - 25 ~ 36 (1080p) [Batch]", {"episode": 25, "episode_end": 36}),
    ("[Group] Title Ep 01-12 [1080p]", {"episode": 1, "episode_end": 12}),
    ("[Group] Title Episodes 01-12 [1080p]", {"episode": 1, "episode_end": 12}),
    ("[Group] Title - 05-06 [1080p].mkv", {"episode": 5, "episode_end": 6, "is_batch": True}),
    ("[Group] Title - 07 [1080p].mkv", {"episode": 7, "episode_end": None, "is_batch": False}),
    ("[Group] Title - 12 (of 24) [1080p]", {"episode": 12, "episode_end": None, "is_batch": False}),
    ("[LoliHouse] 葬送的芙莉莲 / Sousou no Frieren [01-28 精校合集][WebRip 1080p]", {"episode": 1, "episode_end": 28, "is_batch": True}),
    ("[桜都字幕组][迷宫饭 / Dungeon Meshi][01-24][1080P][简繁内封][合集]", {"episode": 1, "episode_end": 24, "is_batch": True}),
    ("[织梦字幕组][海贼王][第1085-1088话][1080P]", {"episode": 1085, "episode_end": 1088}),
    ("Show.Name.S05E01-E10.1080p.NF.WEB-DL", {"season": 5, "episode": 1, "episode_end": 10}),
    ("Show.Name.S01E01-S01E08.1080p", {"season": 1, "episode": 1, "episode_end": 8}),
    # a range right before " / " and another script's name
    ("Kaito Kid Thai 901-1134 / คิดจอมโจร (WEB-DL) [tst]", {"episode": 901, "episode_end": 1134, "is_batch": True}),
    # the years a broadcast ran, in a CJK-style name's bracket, are no range
    ("Hoshi Kaidou (ほしかいどう) Kansai TV Broadcast [2023-2024]", {"episode": None, "episode_end": None}),
])  # fmt: skip

_add("title", [
    ("[SubsPlease] Fairy Tail - 100 Years Quest - 01 (1080p) [ABCD1234].mkv", {"title": "Fairy Tail - 100 Years Quest", "episode": 1}),
    ("[Erai-raws] Fairy Tail - 100 Years Quest - 12 [1080p][Multiple Subtitle].mkv", {"title": "Fairy Tail - 100 Years Quest", "episode": 12}),
    ("[Group] 86 - 05 [1080p].mkv", {"title": "86", "episode": 5}),
    ("[SubsPlease] 86 - Eighty Six - 05 (1080p) [ABCD1234].mkv", {"title": "86 - Eighty Six", "episode": 5}),
    ("[Group] Mob Psycho 100 III - 03 [1080p].mkv", {"title": "Mob Psycho 100 III", "episode": 3}),
    ("[Group] Mob Psycho 100 - 03 [1080p].mkv", {"title": "Mob Psycho 100", "episode": 3}),
    ("[SubsPlease] Kimi no Koto ga Daidaidaidaidaisuki na 100-nin no Kanojo - 05 (1080p) [A1A1A1A1].mkv", {"title": "Kimi no Koto ga Daidaidaidaidaisuki na 100-nin no Kanojo", "episode": 5}),
    ("[Group] The 100 Girlfriends Who Really, Really, Really, Really, Really Love You - 05 [1080p].mkv", {"episode": 5}),
    ("[Group] 2.5 Jigen no Ririsa - 05 [1080p]", {"title": "2.5 Jigen no Ririsa", "episode": 5, "is_special": False}),
    ("[SubsPlease] 2.5-jigen no Ririsa - 11 (1080p) [B2B2B2B2].mkv", {"title": "2.5-jigen no Ririsa", "episode": 11}),
    ("[Group] 3-gatsu no Lion - 05 [1080p]", {"title": "3-gatsu no Lion", "episode": 5}),
    ("[Group] Steins;Gate 0 - 23 [1080p]", {"title": "Steins;Gate 0", "episode": 23}),
    ("[SubsPlease] Kaiju No. 8 - 12 (1080p) [C3C3C3C3].mkv", {"title": "Kaiju No. 8", "episode": 12}),
    ("[Group] Lv1 Maou to One Room Yuusha - 05 [1080p]", {"title": "Lv1 Maou to One Room Yuusha", "episode": 5}),
    ("[Group] 22-7 - 05 [1080p]", {"title": "22-7", "episode": 5}),
    ("[Group] Tokyo 24-ku - 05 [1080p]", {"title": "Tokyo 24-ku", "episode": 5}),
    ("[Group] 91 Days - 05 [1080p]", {"title": "91 Days", "episode": 5}),
    ("[Group] 1001 Nights - 02 [1080p]", {"title": "1001 Nights", "episode": 2}),
    ("[Group] Kono Subarashii Sekai ni Shukufuku wo! 3 - 05 [1080p]", {"title": "Kono Subarashii Sekai ni Shukufuku wo! 3", "episode": 5}),
    ("[Group] Re Zero kara Hajimeru Isekai Seikatsu 3rd Season - 05 [1080p]", {"title": "Re Zero kara Hajimeru Isekai Seikatsu", "season": 3, "episode": 5}),
    ("[Group] Spy x Family Season 2 - 05 [1080p]", {"title": "Spy x Family", "season": 2, "episode": 5}),
    ("[Group] Shingeki no Kyojin - The Final Season Part 2 - 05 [1080p]", {"title": "Shingeki no Kyojin - The Final Season Part 2", "episode": 5}),
    ("[Group] Title (2024) - 03 [1080p].mkv", {"title": "Title", "episode": 3, "year": 2024}),
    ("[Group] Hunter x Hunter (2011) - 148 [1080p].mkv", {"title": "Hunter x Hunter", "episode": 148}),
    ("[SubsPlease] Urusei Yatsura (2022) - 30 (1080p)", {"title": "Urusei Yatsura", "episode": 30}),
    ("[Group] Blade Runner 2049 - Black Out 2022 - 01 [1080p]", {"episode": 1}),
    ("[Group] Ghost in the Shell SAC_2045 - 05 [1080p]", {"episode": 5}),
    ("[Group] Tokyo Ghoul √A - 05 [1080p]", {"title": "Tokyo Ghoul √A", "episode": 5}),
    ("[Group] Mushoku Tensei II - Isekai Ittara Honki Dasu - 05 [1080p]", {"title": "Mushoku Tensei II - Isekai Ittara Honki Dasu", "episode": 5}),
    ("[Erai-raws] Dr. Stone - New World - 05 [1080p].mkv", {"title": "Dr. Stone - New World", "episode": 5}),
    ("[Group] Made in Abyss - Retsujitsu no Ougonkyou - 05 [1080p]", {"title": "Made in Abyss - Retsujitsu no Ougonkyou", "episode": 5}),
    ("[Group] Sword Art Online II - 05 [1080p]", {"title": "Sword Art Online II", "episode": 5}),
    ("[Group] Ansatsu Kyoushitsu 2nd Season - 05 [1080p]", {"title": "Ansatsu Kyoushitsu", "season": 2, "episode": 5}),
    ("[Group] Oshi no Ko 2nd Season - 05 [1080p]", {"title": "Oshi no Ko", "season": 2, "episode": 5}),
    ("[Group] Nier Automata Ver1.1a - 05 [1080p]", {"title": "Nier Automata Ver1.1a", "episode": 5}),
    ("[Group] Lycoris Recoil - 13 [1080p]", {"title": "Lycoris Recoil", "episode": 13}),
    ("[Group] Kaguya-sama wa Kokurasetai - First Kiss wa Owaranai - 03 [1080p]", {"title": "Kaguya-sama wa Kokurasetai - First Kiss wa Owaranai", "episode": 3}),
    ("[Group] Zom 100 - Zombie ni Naru made ni Shitai 100 no Koto - 05 [1080p]", {"title": "Zom 100 - Zombie ni Naru made ni Shitai 100 no Koto", "episode": 5}),
    ("[SubsPlease] Zom 100 - 05 (1080p)", {"title": "Zom 100", "episode": 5}),
    ("[Group] Gundam Build Fighters Try - 05 [720p]", {"title": "Gundam Build Fighters Try", "episode": 5}),
    ("[Group] Mobile Suit Gundam 0083 - 05 [1080p]", {"title": "Mobile Suit Gundam 0083", "episode": 5}),
    ("[Group] Chainsaw Man - 12 [1080p]", {"title": "Chainsaw Man", "episode": 12}),
    ("[Group] Hataraku Maou-sama!! - 05 [1080p]", {"title": "Hataraku Maou-sama!!", "episode": 5}),
    ("[Group] Ore no Imouto ga Konna ni Kawaii Wake ga Nai. - 05 [1080p]", {"episode": 5}),
])  # fmt: skip

_add("special", [
    ("[Group] Title - 05a [1080p].mkv", {"episode": 5, "is_special": True, "part": "a"}),
    ("[Group] Title - 05b [1080p].mkv", {"episode": 5, "is_special": True}),
    ("[Group] One Piece - 111C [1080p].mkv", {"title": "One Piece", "episode": 111, "is_special": True}),
    ("[Group] Title - 26.5 [1080p].mkv", {"episode": 26, "is_special": True}),
    ("[SubsPlease] Spy x Family - 12.5 (1080p) [A9A9A9A9].mkv", {"title": "Spy x Family", "episode": 12, "is_special": True}),
    ("[Group] Title - 13.5 [1080p] recap", {"episode": 13, "is_special": True}),
    ("[Group] Title - 05.5 [1080p].mkv", {"episode": 5, "is_special": True}),
    ("[Group] Title - OVA [1080p].mkv", {"title": "Title", "is_special": True, "episode": None}),
    ("[Group] Title - OVA 2 [1080p].mkv", {"title": "Title", "is_special": True, "episode": 2}),
    ("[Group] Title OVA - 03 [1080p].mkv", {"is_special": True, "episode": 3}),
    ("[Group] Title - OAD [1080p].mkv", {"is_special": True}),
    ("[Group] Title - SP1 [1080p].mkv", {"is_special": True, "episode": 1}),
    ("[Group] Title - Special 2 [1080p].mkv", {"title": "Title", "is_special": True, "episode": 2}),
    ("[Group] Title - NCOP [1080p]", {"is_special": True}),
    ("[Group] Title - NCED 2 [1080p]", {"is_special": True}),
    ("[Group] Title - Movie [1080p].mkv", {"title": "Title", "is_special": True}),
    ("[Group] Title - PV [1080p]", {"is_special": True}),
    ("Show - Trailer 2", {"title": "Show", "is_special": True}),
    ("Show - Teaser", {"title": "Show", "is_special": True}),
    ("[Group] Title - Pilot [1080p].mkv", {"is_special": True, "episode": None}),
    ("[Group] Kimetsu no Yaiba Movie - Mugen Ressha-hen [1080p]", {"is_special": True, "episode": None}),
    ("[Group] Title - 06 [1080p].mkv", {"is_special": False, "special_kind": ""}),
    ("[Group] Title (TV) - 05 [1080p]", {"title": "Title", "episode": 5, "is_special": False}),
    ("[Group] Title (ONA) - 05 [1080p]", {"episode": 5, "is_special": False}),
    ("[Erai-raws] One Piece - 1085.5 [1080p]", {"episode": 1085, "is_special": True}),
    ("[桜都字幕组] 间谍过家家 / SPY×FAMILY [12.5][1080P][简繁内封]", {"episode": 12, "is_special": True}),
])  # fmt: skip

_add("no_episode", [
    ("[Group] Evangelion 3.33 You Can (Not) Redo [1080p].mkv", {"episode": None}),
    ("Evangelion.3.33.You.Can.Not.Redo.2012.1080p.BluRay.x264-GRP", {"episode": None}),
    ("Evangelion 1.11 You Are (Not) Alone 1080p BluRay", {"episode": None}),
    ("[Group] 1001 Nights [1080p].mkv", {"episode": None}),
    ("1001.Nights.1998.1080p.WEB.x264-GRP", {"episode": None}),
    ("Title Pilot 1080p WEB", {"episode": None}),
    ("[Group] Kimi no Na wa. (Your Name.) [BD 1080p].mkv", {"episode": None}),
    ("[Group] Suzume no Tojimari (2022) [1080p]", {"episode": None}),
    ("Spirited.Away.2001.1080p.BluRay.x264-GRP", {"episode": None}),
    ("Akira.1988.2160p.UHD.BluRay.x265-GRP", {"episode": None}),
    ("[Group] Ghost in the Shell 2.0 [1080p]", {"episode": None}),
    ("[Group] Paprika (2006) [BD 1080p]", {"episode": None}),
    ("[Group] 5 Centimeters per Second [1080p]", {"episode": None}),
    ("[Group] Gekijouban Kimetsu no Yaiba - Mugen Ressha-hen [1080p]", {"episode": None, "is_special": True}),
    ("[Group] Sword Art Online the Movie - Ordinal Scale [1080p]", {"episode": None, "is_special": True}),
    ("Jujutsu Kaisen 0 (2021) [1080p]", {"episode": None}),
    ("[Group] Jujutsu Kaisen 0 [BD 1080p]", {"episode": None}),
    ("index.html", {"episode": None}),
    ("12345.torrent", {"episode": None}),
    ("The.Matrix.1999.1080p.BluRay.x264-GRP", {"episode": None}),
    ("2001.A.Space.Odyssey.1968.1080p.BluRay.x264-GRP", {"episode": None}),
    ("Blade.Runner.2049.2017.2160p.UHD.BluRay.x265-GRP", {"episode": None}),
    ("[Group] Macross Plus Movie Edition [1080p]", {"episode": None}),
])  # fmt: skip

_add("quality", [
    ("[Group] Title - 05 [1280×720].mkv", {"episode": 5, "resolution": 720}),
    ("[Group] Title - 05 [1920×1080].mkv", {"resolution": 1080}),
    ("[Group] Title - 05 (1920 × 1080 x264 AAC).mkv", {"resolution": 1080}),
    ("[Group] Title - 05 [1080p].mkv", {"resolution": 1080, "version": 1}),
    ("[Group] Title - 05v0 [1080p].mkv", {"episode": 5, "version": 0}),
    ("[Group] Title - 05v2 [1080p].mkv", {"episode": 5, "version": 2}),
    ("[Group] Title - 05v3 [720p].mkv", {"episode": 5, "version": 3, "resolution": 720}),
    ("[Group] Title - E05v2 [720p].mkv", {"episode": 5, "version": 2}),
    ("[Group] Title - 05 (H.264 1080p AAC) (v2)", {"episode": 5, "version": 2}),
    ("[Group] Title - 05 [v2][1080p]", {"episode": 5, "version": 2}),
    ("[Group] Title - 05 [FHD]", {"resolution": 1080}),
    ("[Group] Title - 05 [4K]", {"resolution": 2160}),
    ("[Group] Title - 05 [2160p HDR]", {"resolution": 2160}),
    ("[Group] Title - 05 [UHD]", {"resolution": 2160}),
    ("[Group] Title - 05 [480p]", {"resolution": 480}),
    ("[Group] Title - 05 [540p]", {"resolution": 540}),
    ("[Group] Title - 05 [1080i]", {"resolution": 1080}),
    ("[Group] Title - 05 [1440p]", {"resolution": 1440}),
    ("[Group] Title - 05 [BD 1080p FLAC]", {"resolution": 1080}),
    ("[Group] Title - 05 (BD 1920x1080 x265 10bit)", {"resolution": 1080}),
    ("Title.S01E05.720p.WEB.x264-GRP", {"resolution": 720}),
    ("Title.S01E05.2160p.WEB.x265-GRP", {"resolution": 2160}),
    ("Title.S01E05.1080p.WEB.x264-GRP", {"resolution": 1080}),
    ("[Group] Title - 1080 [720p]", {"episode": 1080, "resolution": 720}),
    ("[Group] Title - 720 [1080p]", {"episode": 720, "resolution": 1080}),
    ("[Group] Title - 05 (1080p) [Web-DL]", {"resolution": 1080}),
    ("【幻樱字幕组】【怪兽8号】【09】【GB_MP4】【1280X720】", {"resolution": 720}),
    ("[桜都字幕组] 葬送的芙莉莲 / Sousou no Frieren [HEVC-10Bit-2160P][05]", {"resolution": 2160}),
])  # fmt: skip

_add("fansub", [
    ("[Erai-raws] Shikanoko Nokonoko Koshitantan - 01 [1080p][Multiple Subtitle] [ENG][POR-BR][SPA-LA][SPA][ARA][FRE][GER][ITA][RUS]", {"title": "Shikanoko Nokonoko Koshitantan", "episode": 1}),
    ("[ToonsHub] Dandadan E07 1080p CR WEB-DL AAC2.0 H.264 (Multi-Subs)", {"title": "Dandadan", "episode": 7, "group": "ToonsHub"}),
    ("[Anime Land] One Piece 1088 (WEBRip 1080p Hi10P AAC) RAW [5A3B1C2D].mp4", {"title": "One Piece", "episode": 1088}),
    ("[Exiled-Destiny]_Ghost_in_the_Shell_Ep05_(A1B2C3D4).mkv", {"title": "Ghost in the Shell", "episode": 5}),
    ("[a-s]_ergo_proxy_-_05_-_confession__rs2_[1080p_bd-rip][2C3D4E5F].mkv", {"title": "ergo proxy", "episode": 5}),
    ("[jibaketa]Sousou no Frieren - 05 (WEB 1920x1080 AVC AAC SRT ENG)", {"title": "Sousou no Frieren", "episode": 5}),
    ("frieren_05_1080p.mkv", {"title": "frieren", "episode": 5}),
    ("Frieren Ep. 5 [1080p]", {"title": "Frieren", "episode": 5}),
    ("Frieren - Episode 05 - Phantoms of the Dead [1080p].mkv", {"title": "Frieren", "episode": 5}),
    ("[DB]Sousou no Frieren_-_05_(Dual Audio_10bit_BD1080p_x265).mkv", {"title": "Sousou no Frieren", "episode": 5}),
    ("[Golumpa] Frieren - Beyond Journey's End - 05 (Sousou no Frieren) [FuniDub 1080p x264 AAC]", {"title": "Frieren - Beyond Journey's End", "episode": 5}),
    ("[HorribleSubs] Gintama' - 05 [720p].mkv", {"title": "Gintama'", "episode": 5}),
    ("One Piece - Épisode 1085 VOSTFR", {"title": "One Piece", "episode": 1085, "language": "vostfr"}),
    ("Naruto Shippuden Épisode 500 VF", {"title": "Naruto Shippuden", "episode": 500, "language": "vf"}),
    ("[Ligue-fansub] Shingeki no Kyojin S4 05 VOSTFR 1080p", {"title": "Shingeki no Kyojin", "season": 4, "episode": 5}),
    ("[HR] Bleach Sennen Kessen-hen 05 [1080p HEVC 10bit AAC].mkv", {"title": "Bleach Sennen Kessen-hen", "episode": 5}),
    ("[Erai-raws] Maou 2099 - 05 [1080p]", {"title": "Maou 2099", "episode": 5}),
    ("[SubsPlease] 7th Time Loop - 05 (1080p)", {"title": "7th Time Loop", "episode": 5}),
    ("[Group] Title Ep05 [1080p]", {"title": "Title", "episode": 5}),
    ("[Group] Title #05 [1080p]", {"title": "Title", "episode": 5}),
    ("[Group] Title - 001 [1080p]", {"episode": 1}),
    ("[Group] Title - 01 - 02 [1080p]", {"episode": 1}),
])  # fmt: skip

_add("cjk", [
    ("[UCCUSS] Kimetsu no Yaiba 第05話 (BD 1920x1080p AVC FLAC)", {"title": "Kimetsu no Yaiba", "episode": 5}),
    ("Kimetsu no Yaiba 第05話「タイトル」(MX 1440x1080 MPEG2 TS).ts", {"title": "Kimetsu no Yaiba", "episode": 5, "group": ""}),
    ("[桜都字幕组][1月新番][迷宫饭 / Dungeon Meshi][第05集][1080P][简繁内封]", {"title": "Dungeon Meshi", "episode": 5}),
    ("【豌豆字幕组】[迷宫饭 / Dungeon_Meshi][05][简体][1080P][MP4]", {"title": "Dungeon Meshi", "episode": 5}),
    ("[OPFans枫雪动漫][ONE PIECE 海贼王][第1085话][周日版][1080p][MP4][简体]", {"title": "ONE PIECE", "episode": 1085}),
    ("[YYDM-11FANS][One_Piece][1085][BDRIP][1080P][X264-10bit_AAC][CHS]", {"title": "One Piece", "episode": 1085}),
    ("[桜都字幕组] 鬼灭之刃 柱训练篇 / Kimetsu no Yaiba: Hashira Geiko-hen [05][1080p][简体内嵌]", {"title": "Kimetsu no Yaiba: Hashira Geiko-hen", "episode": 5}),
    ("[jsum] 葬送のフリーレン 第5話 1080p", {"title": "葬送のフリーレン", "episode": 5}),
    ("葬送のフリーレン #05「タイトル」(BS11 1280x720 x264 AAC).mp4", {"title": "葬送のフリーレン", "episode": 5, "resolution": 720}),
    ("[KTXP][Sousou no Frieren][05][GB][1080p]", {"title": "Sousou no Frieren", "episode": 5}),
    ("[Lilith-Raws] Kage no Jitsuryokusha ni Naritakute! S02 - 05 [Baha][WEB-DL][1080p][AVC AAC][CHT][MP4]", {"title": "Kage no Jitsuryokusha ni Naritakute!", "season": 2, "episode": 5}),
])  # fmt: skip

_add("scene", [
    ("[ToonsHub] SAKAMOTO DAYS S01E05 1080p NF WEB-DL AAC2.0 H.264 (Multi-Subs)", {"title": "SAKAMOTO DAYS", "season": 1, "episode": 5}),
    ("Frieren.S01E05.Phantoms.of.the.Dead.1080p.CR.WEB-DL.JPN.AAC2.0.H.264.MSubs-ToonsHub.mkv", {"title": "Frieren", "season": 1, "episode": 5, "group": "ToonsHub"}),
    ("Sousou no Frieren - S01E05 - Phantoms of the Dead.mkv", {"title": "Sousou no Frieren", "season": 1, "episode": 5}),
    ("Grey's.Anatomy.S21E05.1080p.WEB.h264-SuccessfulCrab", {"title": "Grey's Anatomy", "season": 21, "episode": 5}),
    ("Title.S01E05.1080p.WEB.x264-GRP[rarbg]", {"title": "Title", "season": 1, "episode": 5, "group": "GRP"}),
    ("www.Torrenting.com - Title.S01E05.1080p.WEB.h264-ETHEL", {"title": "Title", "season": 1, "episode": 5}),
    ("[TorrentCouch.com].Title.S01E05.720p.WEB-DL", {"title": "Title", "season": 1, "episode": 5}),
    ("Title S01E05 720p HDTV x264-GRP [eztv]", {"title": "Title", "season": 1, "episode": 5, "group": "GRP"}),
    ("Title.S1E5.720p", {"season": 1, "episode": 5}),
    ("Title Season 1 Episode 5 720p", {"title": "Title", "season": 1, "episode": 5}),
    ("Title S01 EP05 1080p", {"season": 1, "episode": 5}),
    ("Title.Saison.1.Episode.5.FRENCH.720p", {"title": "Title", "season": 1, "episode": 5}),
    ("[Anime-Sama] Frieren S1 E05 VOSTFR", {"title": "Frieren", "season": 1, "episode": 5}),
    ("[Sokudo] Frieren: Beyond Journey's End - S01E05 [1080p BD AV1] [dual audio]", {"season": 1, "episode": 5}),
])  # fmt: skip

_add("multi", [
    ("[Yousei-raws] Shingeki no Kyojin 01-25 [BDrip 1920x1080 x264 FLAC]", {"episode": 1, "episode_end": 25, "is_batch": True}),
    ("Title.S01E05E06E07.720p", {"season": 1, "episode": 5, "episode_end": 7}),
    ("Title.S01E05-06-07.720p", {"season": 1, "episode": 5, "episode_end": 7}),
    ("Title - 1x05-06 - Name", {"season": 1, "episode": 5, "episode_end": 6}),
    ("[EMBER] Oshi no Ko (2024) (Season 2) [1080p] [Dual Audio HEVC WEBRip DDP] (Batch)", {"season": 2, "episode": None, "is_batch": True}),
    ("[Erai-raws] Sousou no Frieren - 01 ~ 04 [1080p][Multiple Subtitle]", {"episode": 1, "episode_end": 4}),
    ("[Group] Title [01-12 Fin][1080p]", {"episode": 1, "episode_end": 12, "is_batch": True}),
    ("[Group] Title 第01-12话 [1080p]", {"episode": 1, "episode_end": 12}),
    ("[Group] Title - 01+02 [1080p]", {"episode": 1, "episode_end": 2}),
])  # fmt: skip

_add("special", [
    ("[Moozzi2] Sword Art Online II [ SP 01 ] (BD 1920x1080 x.264 Flac).mkv", {"title": "Sword Art Online II", "episode": 1, "is_special": True}),
])  # fmt: skip

_add("no_episode", [
    ("Spy.x.Family.Code.White.2023.1080p.BluRay.x264-GRP", {"episode": None, "title": "Spy x Family Code White"}),
    ("The.Tonight.Show.Starring.Jimmy.Fallon.2024.11.20.Guest.1080p.WEB.h264-EDITH", {"episode": None}),
])  # fmt: skip

# --- Shapes measured on third-party fixtures (names written for this table) ---

# Episode lists after a first SxxEyy/1x05, in every joined form; a spaced
# number after the marker is an episode title, not a list.
_add("multi", [
    ("Lantern.Harbor.S02E03.S02E04.720p.HDTV.x264-QUILL", {"title": "Lantern Harbor", "season": 2, "episode": 3, "episode_end": 4}),
    ("Lantern Harbor - S04E11 - 4x12 - Two Lighthouses [HDTV-1080p].mkv", {"title": "Lantern Harbor", "season": 4, "episode": 11, "episode_end": 12}),
    ("Lantern.Harbor.3x07x08.720p.WEB-NOVA", {"title": "Lantern Harbor", "season": 3, "episode": 7, "episode_end": 8}),
    ("Lantern Harbor - 6x02_03 - The Long Tide", {"title": "Lantern Harbor", "season": 6, "episode": 2, "episode_end": 3}),
    ("Copperfield.Diaries.S01E07+08.FRENCH.720p.WEB.x264-FLEXR", {"title": "Copperfield Diaries", "season": 1, "episode": 7, "episode_end": 8}),
    ("Copperfield Diaries S03E00 & S03E01 & S03E02", {"title": "Copperfield Diaries", "season": 3, "episode": 0, "episode_end": 2}),
    ("Copperfield Diaries - 2x05 - 2x06 - 2x07 - Ep Name", {"title": "Copperfield Diaries", "season": 2, "episode": 5, "episode_end": 7}),
    ("Copperfield.Diaries.S05E10.and.S05E11.720p.HDTV", {"season": 5, "episode": 10, "episode_end": 11}),
    ("Orbit Street - 2015x21 - 2015x22 - HD.mkv", {"title": "Orbit Street", "season": 2015, "episode": 21, "episode_end": 22}),
    ("Orbit.Street.S11E1201-E1204.HDTV.x264-QUILL", {"season": 11, "episode": 1201, "episode_end": 1204}),
    ("orbit.street.205.206.hdtv-quill", {"title": "orbit street", "season": 2, "episode": 5, "episode_end": 6}),
    ("orbit.street.20304.hdtv-quill.mp4", {"season": 2, "episode": 3, "episode_end": 4}),
    ("[LumenSubs] Moonlit Bakery 01 - 48 [720p] [Batch]", {"title": "Moonlit Bakery", "episode": 1, "episode_end": 48, "is_batch": True}),
    ("[LumenSubs] Moonlit Bakery - 01+02+03 [1080p]", {"title": "Moonlit Bakery", "episode": 1, "episode_end": 3}),
    ("004-006. Moonlit Bakery - The Night Shift.mkv", {"title": "Moonlit Bakery", "episode": 4, "episode_end": 6}),
    ("Velvet.Coast.-.Temporada.2.720p.HDTV.x264[Cap.203_205]SPANISH-NEWGRP", {"title": "Velvet Coast", "season": 2, "episode": 3, "episode_end": 5}),
])  # fmt: skip

# Season packs: season words in several languages, Roman numerals and number
# words, ranges of seasons, DVD discs; a season's number is no episode.
_add("multi", [
    ("Velvet.Coast.Season.1-4.1080p.BluRay.x264-QUILL", {"title": "Velvet Coast", "season": 1, "episode": None, "is_batch": True}),
    ("Velvet Coast Seasons 2 & 3 - Complete", {"title": "Velvet Coast", "season": 2, "episode": None, "is_batch": True}),
    ("Velvet Coast Seasons 5 Complete 720p", {"title": "Velvet Coast", "season": 5, "episode": None, "is_batch": True}),
    ("Velvet Coast The Complete Seasons 1 to 3 1080p BluRay x265", {"title": "Velvet Coast", "season": 1, "episode": None, "is_batch": True}),
    ("Velvet Coast Saison IV FRENCH.BDRip.XviD-NOVA", {"title": "Velvet Coast", "season": 4, "episode": None}),
    ("Velvet Coast Saison trois FRENCH.BDRip.XviD-NOVA", {"title": "Velvet Coast", "season": 3, "episode": None}),
    ("Velvet.Coast.Stagione.2.720p.WEB.x264-NOVA", {"title": "Velvet Coast", "season": 2, "episode": None, "is_batch": True}),
    ("Velvet.Coast.S03D2.NTSC.DVDR-QUILL", {"title": "Velvet Coast", "season": 3, "episode": None}),
    ("Velvet.Coast.2xAll-QUILL", {"title": "Velvet Coast", "season": 2, "episode": None}),
    ("Harbor.77.S02.720p.WEB.x264-QUILL", {"title": "Harbor 77", "season": 2, "episode": None, "is_batch": True}),
    ("Precinct Nine 9 S01 720p WEB DL DD5 1 H 264 NOVA", {"title": "Precinct Nine 9", "season": 1, "episode": None, "is_batch": True}),
])  # fmt: skip

# Scene numbering: year seasons written 2011x04, 5-digit episodes, EP, long
# forms, Cap.NNN, compact numbers after a year or before scene words.
_add("scene", [
    ("2011x04 [SDTV].avi", {"title": "", "season": 2011, "episode": 4}),
    ("Orbit Street - 2019x118", {"title": "Orbit Street", "season": 2019, "episode": 118}),
    ("Orbit Street - S12 E20315 - 2019-02-03", {"title": "Orbit Street", "season": 12, "episode": 20315}),
    ("Orbit.Street.S02EP04.English.1080p.BluRay-QUILL", {"title": "Orbit Street", "season": 2, "episode": 4}),
    ("S04E02 WS PDTV XviD QUILL", {"title": "", "season": 4, "episode": 2}),
    ("3x09 - Two Doors Down [720p]", {"title": "", "season": 3, "episode": 9}),
    ("Orbit Street - 4x11 - 17 Candles [SDTV]", {"title": "Orbit Street", "season": 4, "episode": 11, "episode_end": None}),
    ("Orbit Street Season 03 Episode 07 720p", {"title": "Orbit Street", "season": 3, "episode": 7}),
    ("Orbit Street - Temporada 3 [HDTV 720p][Cap.306][AC3 5.1 Castellano]", {"title": "Orbit Street", "season": 3, "episode": 6}),
    ("Orbit Street - Stagione 4 (2019) 720p Episodio 11 grp.mkv", {"title": "Orbit Street", "season": 4, "episode": 11}),
    ("orbit.street.2012.314.hdtv-quill", {"title": "orbit street", "season": 3, "episode": 14, "year": 2012}),
    ("Orbit_Street.2007.108.the.pilot.avi", {"season": 1, "episode": 8}),
    ("the.200.club.112.hdtv-quill[ettv].mkv", {"title": "the 200 club", "season": 1, "episode": 12}),
    ("Quiet.Fields.Season.3.2of6.Ep.Title.HDTV", {"title": "Quiet Fields", "season": 3, "episode": 2}),
    ("Quiet.Fields.4of8.The.Harvest.1995.DVDRip.x264-QUILL", {"title": "Quiet Fields", "episode": 4}),
    ("Quiet.Fields.07.The.Well.Keeper.720p.BluRay.x264-QUILL", {"title": "Quiet Fields", "episode": 7}),
])  # fmt: skip

# Anime numbering: the episode before the title, glued episode words, a tag's
# number never beating " - 01", decimals after a dash, an SxxEyy in
# parentheses after the absolute number.
_add("fansub", [
    ("[PaperCrane] 03 - Hoshizora Kissaten [BD][1080p][FLAC].mkv", {"title": "Hoshizora Kissaten", "episode": 3}),
    ("07 - Hoshizora Kissaten.mkv", {"title": "Hoshizora Kissaten", "episode": 7}),
    ("012. Hoshizora Kissaten - The Late Customer.mkv", {"title": "Hoshizora Kissaten", "episode": 12}),
    ("Hoshizora_Kissaten-ep4.BD(H264.FLAC.10bit)[PaperCrane][0A1B2C3D].mkv", {"title": "Hoshizora Kissaten", "episode": 4}),
    ("Hoshizora Kissaten - 02 [1080p 10b DTSHD-MA eng sub].mkv", {"title": "Hoshizora Kissaten", "episode": 2}),
    ("[PaperCrane] Kaze no Tabibito 2.5 - 06 (DVD 10-bit).mkv", {"title": "Kaze no Tabibito 2.5", "episode": 6}),
    ("[PaperCrane] Kaze no Tabibito - 09 (S2E03) [1080p]", {"title": "Kaze no Tabibito", "episode": 3, "season": 2, "number": 9}),
])  # fmt: skip

_add("special", [
    ("[PaperCrane]_Kaze_no_Tabibito_-_05.2_(DVD)[A0B1C2D3].mkv", {"title": "Kaze no Tabibito", "episode": 5, "part": ".2"}),
    ("[OKAMI-Raws]_Kaze_no_Tabibito_-_EX02_[BD][720p][FFEE0011].mkv", {"episode": 2, "is_special": True}),
])  # fmt: skip

# Titles: the Latin bracket of a CJK name, a whole Latin title before a Latin
# run cut from a mixed one, dates end a title, season words at the end.
_add("cjk", [
    ("[OKAMI-Raws][国漫][星河守望者][Star River Keeper][2021][088][AVC][GB][1080P]", {"title": "Star River Keeper", "episode": 88}),
    ("[夜莺字幕组][风之旅人][KAZE NO TABIBITO][13-24完][简日双语][720P][MP4]", {"title": "KAZE NO TABIBITO", "episode": 13, "episode_end": 24}),
    ("[夜莺字幕组&LumenSubs] 星河守望者: Prelude / Star River Keeper - 05 [WebRip 1080p HEVC-10bit AAC][简繁内封字幕]", {"title": "Star River Keeper", "episode": 5}),
])  # fmt: skip

_add("title", [
    ("Orbit Street - 2021-03-14 - Spring Special", {"title": "Orbit Street"}),
    ("Night.Desk.03-15-2022.HDTV.XViD-QUILL", {"title": "Night Desk"}),
    ("Night Desk 2019 05 17 S11E88", {"title": "Night Desk", "season": 11, "episode": 88}),
])  # fmt: skip

# A number in parentheses after the episode: a browser's second copy
# ("07 (1).mkv") or the season's number after the series-wide one; the first
# number stays the episode. An absolute number written bare after SxxEyy by
# anime groups; a resolution without its "p" is never one.
_add("fansub", [
    ("Hanamaru Youchien 07 (1).mkv", {"title": "Hanamaru Youchien", "episode": 7}),
    ("[Nyaa-Fans]_Kemono_Friends_-_11_(2)_[720p].mkv", {"title": "Kemono Friends", "episode": 11}),
    ("[Hoshi] Ginga Eiyuu Densetsu - 86 (26) [DVD 480p].mkv", {"title": "Ginga Eiyuu Densetsu", "episode": 86}),
    ("[Kobe] Hikaru no Go 12 (3).avi", {"title": "Hikaru no Go", "episode": 12}),
    ("[Kobe] Hikaru no Go (5).avi", {"title": "Hikaru no Go", "episode": 5}),
])  # fmt: skip

_add("scene", [
    ("[Kanjou] Yowamushi Pedal S03E05 081 [720p].mkv", {"title": "Yowamushi Pedal", "season": 3, "episode": 5, "number": 81}),
    ("[Tairiku]Ginga.Kikoutai.S02E13.039.HDTV-720p.x264", {"season": 2, "episode": 13, "absolute_episode": 39}),
    ("[Hoshi] Space Brothers 2x14 040", {"title": "Space Brothers", "season": 2, "episode": 14, "absolute_episode": 40}),
    ("Quiet.Harbour.S02E05.1080.WEB.x264-GRP", {"season": 2, "episode": 5, "absolute_episode": None}),
    ("Night Shift S03E07 12 Hours [1080p]", {"title": "Night Shift", "season": 3, "episode": 7, "absolute_episode": None}),
])  # fmt: skip

# "N of M" written the Russian way or with a slash inside brackets; a bit
# depth written apart ("10 bits") is no episode of a season pack.
_add("fansub", [
    ("Tsukiyo no Kairou [07 из 12] [WEBRip 1080p]", {"title": "Tsukiyo no Kairou", "episode": 7}),
    ("[Yoake] Tsukiyo no Kairou [03/13] [WEBRip 720p]", {"title": "Tsukiyo no Kairou", "episode": 3}),
    ("Tsukiyo_no_Kairou_[04_of_13]_[ru_jp].mkv", {"title": "Tsukiyo no Kairou", "episode": 4}),
])  # fmt: skip

_add("multi", [
    ("[Yoake] Tsukiyo no Kairou S01 1080p Dual Audio BDRip 10 bits DD x265-KAIRO", {"title": "Tsukiyo no Kairou", "season": 1, "episode": None, "is_batch": True}),
    ("Tsukiyo no Kairou S02 720p BDRip 8 bit AAC", {"season": 2, "episode": None, "is_batch": True}),
])  # fmt: skip

_add("no_episode", [
    ("Tsukiyo no Kairou 05/12/2020 [1080p]", {"episode": None}),
])  # fmt: skip

# One unpadded digit among the title's words, followed only by tags, is the
# title's ("Byousoku 5 Centimeter"-like names); a tag or language word after
# it keeps it an episode. A BD-BOX is the whole series.
_add("no_episode", [
    ("Hoshikuzu 7 Kilometers [Blu-Ray][1920x1080 H.264][FLAC]", {"title": "Hoshikuzu 7 Kilometers", "episode": None}),
    ("[Yoake] Kaisou 3 Chome no Neko (BD 1080p)", {"title": "Kaisou 3 Chome no Neko", "episode": None}),
])  # fmt: skip

_add("fansub", [
    ("Kaisou no Neko 5 VOSTFR", {"title": "Kaisou no Neko", "episode": 5}),
    ("[Yoake] Kaisou no Neko 3 English Dub [1080p]", {"title": "Kaisou no Neko", "episode": 3}),
    ("Kaisou no Neko 4 END [720p]", {"title": "Kaisou no Neko", "episode": 4}),
])  # fmt: skip

_add("multi", [
    ("[Yoake] Kaisou no Neko BD-BOX [1080p]", {"title": "Kaisou no Neko", "episode": None, "is_batch": True}),
    ("[Yoake] Kaisou no Neko DVD BOX (480p)", {"title": "Kaisou no Neko", "is_batch": True}),
])  # fmt: skip

# "Title 2 - PV": the promotional video of a season, no episode; an
# obfuscated name that glues "s01e11" to its title's last word.
_add("special", [
    ("[Yoake] Kaisou no Neko 2 - PV [0A0B0C0D].mkv", {"title": "Kaisou no Neko 2", "episode": None, "is_special": True}),
    ("[Yoake] Kaisou no Neko 3 - Trailer [1080p]", {"title": "Kaisou no Neko 3", "episode": None, "special_kind": "preview"}),
    ("[Yoake] Kaisou no Neko - 04 - PV [1080p]", {"title": "Kaisou no Neko", "episode": 4, "is_special": True}),
])  # fmt: skip

_add("scene", [
    ("qrl-harbours02e07-720p", {"title": "qrl-harbour", "season": 2, "episode": 7}),
    ("qrl-harbour-s03e01-1080p", {"title": "qrl-harbour", "season": 3, "episode": 1}),
])  # fmt: skip

# "2nd Season 05": after an ordinal season the number is the episode; "Title
# 2 05": a title's season digit, then the episode; "Title - SP 01" is a
# special; "Disc 2" is a disc of a set, not an episode.
_add("fansub", [
    ("[Yoake] Kaisou no Neko 2nd Season 07 [720p]", {"title": "Kaisou no Neko", "season": 2, "episode": 7}),
    ("[Yoake] Kaisou no Neko 3rd Season 11 (1080p)", {"title": "Kaisou no Neko", "season": 3, "episode": 11}),
    ("[Yoake] Kaisou no Neko 2 08 [720p]", {"title": "Kaisou no Neko 2", "episode": 8}),
    ("[Yoake] Kaisou no Neko 3 04v2 (1080p)", {"title": "Kaisou no Neko 3", "episode": 4, "version": 2}),
])  # fmt: skip

_add("special", [
    ("[Yoake] Kaisou no Neko - SP 02 [720p]", {"title": "Kaisou no Neko", "episode": 2, "special_kind": "special"}),
    ("[Yoake] Kaisou no Neko - OVA 01 [720p]", {"title": "Kaisou no Neko", "episode": 1, "special_kind": "ova"}),
    # "TV Special": two kind words; neither stays in the title
    ("[Grp] Lantern Bay - TV Special 02 (DVD HEVC 480p) [Multi-Subs]", {"title": "Lantern Bay", "episode": 2, "is_special": True}),
])  # fmt: skip

_add("multi", [
    ("[Yoake] Kaisou no Neko Disc 2 [DVD]", {"title": "Kaisou no Neko", "episode": None, "is_batch": True}),
    ("Kaisou.no.Neko.S01.Disc.3.BluRay.1080p", {"season": 1, "episode": None, "is_batch": True}),
])  # fmt: skip

# The marker's own bracket is not the title's ("Title [2x05] Episode"); a
# second episode joined by "&"/"+" ("S02E05 & E06"); a daily show's date
# ("2019 05 17") numbers no episode.
_add("scene", [
    ("Harbour Lights [3x07] The Storm.avi", {"title": "Harbour Lights", "season": 3, "episode": 7}),
    ("Harbour Lights - [3x07] - The Storm.avi", {"title": "Harbour Lights", "season": 3, "episode": 7}),
    ("Harbour Lights (S03E07) 720p", {"title": "Harbour Lights", "season": 3, "episode": 7}),
])  # fmt: skip

_add("multi", [
    ("Harbour Lights S03E07 & E08 720p", {"title": "Harbour Lights", "season": 3, "episode": 7, "episode_end": 8}),
    ("Harbour Lights S03E07+E08 1080p WEB", {"season": 3, "episode": 7, "episode_end": 8}),
])  # fmt: skip

_add("no_episode", [
    ("Harbour Tonight 2021 03 14 HDTV x264", {"episode": None}),
])  # fmt: skip

# Ranges written with words of other languages ("al", "à", "a", "bis",
# "thru") or a repeated "EP"; volumes of a set ("Vol.01-Vol.03") are a batch.
_add("multi", [
    ("Kaisou no Neko Capitulos 01 al 12 [1080p]", {"title": "Kaisou no Neko", "episode": 1, "episode_end": 12}),
    ("Kaisou no Neko Episodes 01 à 13 VOSTFR", {"title": "Kaisou no Neko", "episode": 1, "episode_end": 13}),
    ("Kaisou no Neko 01 a 24 [Sub Español]", {"episode": 1, "episode_end": 24}),
    ("Kaisou no Neko Folgen 1 bis 12 German", {"episode": 1, "episode_end": 12}),
    ("Kaisou no Neko Ep 01 thru 10", {"episode": 1, "episode_end": 10}),
    ("Kaisou no Neko EP01-EP12 [1080p]", {"title": "Kaisou no Neko", "episode": 1, "episode_end": 12}),
    ("Kaisou no Neko EP13~EP24 [720p]", {"episode": 13, "episode_end": 24}),
    ("[Yoake] Kaisou no Neko Vol.01-Vol.04 [BD]", {"title": "Kaisou no Neko", "episode": None, "is_batch": True}),
])  # fmt: skip

# A compact pair joined by a dash ("101-102") and a written-out season with
# an episode range ("Season 1 Episodes 1-3").
_add("multi", [
    ("Harbour.Lights.204-205.720p.HDTV.x264-QUILL", {"title": "Harbour Lights", "season": 2, "episode": 4, "episode_end": 5}),
    ("Harbour Lights Season 1 Episode 1-3 720p", {"title": "Harbour Lights", "season": 1, "episode": 1, "episode_end": 3}),
    ("Harbour Lights Saison 2 Episodes 4 à 6 FRENCH", {"season": 2, "episode": 4, "episode_end": 6}),
    # the season word joined to its number by a hyphen ("(Saison-4)")
    ("Harbour Lights (Saison-3) - 12 VOSTFR.mp4", {"title": "Harbour Lights", "season": 3, "episode": 12}),
    ("Harbour Lights Season-2 - 07 [1080p].mkv", {"title": "Harbour Lights", "season": 2, "episode": 7}),
])  # fmt: skip

_add("scene", [
    ("Harbour Lights - Season 2 - Episode 5 - 2 Birds", {"title": "Harbour Lights", "season": 2, "episode": 5, "episode_end": None}),
])  # fmt: skip

# "No. 8" is the title's number; "CHS_CHT_JP" is a tag; "[字幕组★Title]" holds
# a group and a title; an underscore between two Latin letters is a space
# even next to a CJK title ("海贼王One_Piece").
_add("cjk", [
    ("[OKAMI-Raws] 星河守望者 / Star Keeper / Keeper No. 7 10-bit 1080p HEVC BDRip [Fin]", {"title": "Star Keeper", "episode": None}),
    ("[Yoake] Keeper No. 7 08 [1080p]", {"title": "Keeper No. 7", "episode": 8}),
    ("[夜莺字幕组][星河守望者][0112][WEBRIP][1080P][HEVC_AAC][CHS_CHT_JP]", {"title": "星河守望者", "episode": 112}),
    ("[夜莺字幕组★星河守望者Star_River_Keeper][088][繁简日内挂][1080P][MKV]", {"title": "Star River Keeper", "episode": 88, "group": "夜莺字幕组"}),
])  # fmt: skip

# "05話" without 第 after a space; "Title 00 05": a title's "00", then the episode.
_add("cjk", [
    ("Hoshizora Kissaten 07話 [1080p]", {"title": "Hoshizora Kissaten", "episode": 7}),
    ("[Yoake] 星河守望者 12话 (1080p)", {"title": "星河守望者", "episode": 12}),
])  # fmt: skip

_add("title", [
    ("[Yoake] Kidou Senkan 00 06 [1080p]", {"title": "Kidou Senkan 00", "episode": 6}),
    ("[Yoake] Kidou Senkan 0 03 [1080p]", {"title": "Kidou Senkan 0", "episode": 3}),
])  # fmt: skip

# A season marker then a bare episode ("S01.07", "S02 03", "Season 11 01"),
# never a resolution; the temporada letter ("T02E22"); ranges "E10 - E17",
# "215 ao 220", and "(01 - 12)" after a season pack.
_add("scene", [
    ("Harbour.Lights.S01.07.2019.Dub.AVC-QUILL.mkv", {"title": "Harbour Lights", "season": 1, "episode": 7}),
    ("Harbour Lights S02 03.mkv", {"title": "Harbour Lights", "season": 2, "episode": 3}),
    ("Harbour Lights Season 11 04.mp4", {"title": "Harbour Lights", "season": 11, "episode": 4}),
    ("Harbour Lights - T02E22.mp4", {"title": "Harbour Lights", "season": 2, "episode": 22}),
    ("Harbour Lights ESP T01XE08.mkv", {"season": 1, "episode": 8}),
])  # fmt: skip

_add("multi", [
    ("Harbour.Lights.S02.720p.HDTV.x264-QUILL", {"season": 2, "episode": None, "is_batch": True}),
    ("Harbour Lights S01 5.1 1080p", {"season": 1, "episode": None, "is_batch": True}),
    ("Kaisou no Neko E10 - E17 [TV] AVI", {"title": "Kaisou no Neko", "episode": 10, "episode_end": 17}),
    ("Kaisou no Neko 3º Temporada - 115 ao 120", {"episode": 115, "episode_end": 120}),
    ("[Yoake] Kaisou no Neko / The Sea Cat S01 (01 - 12) [1080p x265]", {"season": 1, "episode": 1, "episode_end": 12}),
])  # fmt: skip

# Several seasons after one season word are a pack of the first ("Season 1 2
# 3", "Seasons 1, 2 & 3", "All Seasons (1-8)"); one number after the season
# stays the episode; "01 - 12 Season 1 Complete" is a range.
_add("multi", [
    ("Night Desk Season 1 2 3 4 + Movie - threesixtyp", {"title": "Night Desk", "season": 1, "episode": None, "is_batch": True}),
    ("Night Desk Season 1, 2 & 3 + Extras DVDRip", {"title": "Night Desk", "season": 1, "episode": None, "is_batch": True}),
    ("Night Desk Season 14 15 16 17 - threesixtyp", {"season": 14, "episode": None, "is_batch": True}),
    ("Night Desk All Seasons (1-6) 720p", {"title": "Night Desk", "season": 1, "episode": None, "is_batch": True}),
    ("Kaisou no Neko 01 - 12 Season 1 Complete [720p]", {"title": "Kaisou no Neko", "season": 1, "episode": 1, "episode_end": 12}),
])  # fmt: skip

_add("scene", [
    ("Night Desk Season 1 10bit 5.1 1080p", {"season": 1, "episode": None}),
])  # fmt: skip

# A number leading the name before " - " is the episode even when the
# episode's title holds a number ("7 - 12 Angry Men").
_add("title", [
    ("04 - Harbour Night 14 Lanterns.avi", {"episode": 4}),
    ("9 - 40 Winks.avi", {"episode": 9}),
])  # fmt: skip

# Episode words of other languages stay out of the title.
_add("title", [
    ("Kaisou no Neko Cap 07", {"title": "Kaisou no Neko", "episode": 7}),
    ("Kaisou no Neko Tập 08 Vietsub", {"title": "Kaisou no Neko", "episode": 8}),
])  # fmt: skip

# "Title 2 - Subtitle 04 vostfr": the title's number, a subtitle, then the
# episode followed only by tags.
_add("title", [
    ("Kaisou no Neko 2 - The Sea Road 04 vostfr FHD", {"title": "Kaisou no Neko 2", "episode": 4}),
    ("[Yoake] Kaisou no Neko 3 - Tsuki no Uta 11 [1080p]", {"title": "Kaisou no Neko 3", "episode": 11}),
])  # fmt: skip

# Full-width "（END）" after the episode; a star or dash between brackets is
# no title; a bare number after "[Group][Title]" is the episode; "[BIG]" is
# the BIG5 tag.
_add("cjk", [
    ("【YMSUB】★【Hoshikuzu Tenshi】[12（END）][GB][1080P_MP4]", {"title": "Hoshikuzu Tenshi", "episode": 12}),
    ("[KiraSub][Amber Lantern Academy] 07 [BIG][X264_AAC][1080P].mp4", {"title": "Amber Lantern Academy", "title_aliases": ("Amber Lantern Academy",), "episode": 7}),
    ("【喵萌奶茶屋】★10月新番★[Hoshikuzu Tenshi][05][1080p][简日双语]", {"title": "Hoshikuzu Tenshi", "episode": 5, "language": "zh"}),
])  # fmt: skip

# Everyday fansub shapes, and a zero-padded episode before the title.
_add("fansub", [
    ("[PandaSubs] 04 Crimson Harbor Tales II (720p 8bit AAC).mp4", {"title": "Crimson Harbor Tales II", "episode": 4}),
    ("[Grp] Violet Orchard - 12v2 (1080p) [1A2B3C4D].mkv", {"title": "Violet Orchard", "episode": 12, "version": 2}),
    ("[LoliHouse] Violet Orchard - 05 [WebRip 1080p HEVC-10bit AAC ASSx2].mkv", {"title": "Violet Orchard", "episode": 5, "resolution": 1080}),
    ("[Grp] Violet Orchard (2024) - 05 [1080p]", {"title": "Violet Orchard", "episode": 5, "year": 2024}),
    ("[Grp] Violet Orchard - 05 END [1080p]", {"title": "Violet Orchard", "episode": 5, "is_batch": False}),
    ("[Grp] Violet Orchard 2nd Season - 05 [1080p]", {"title": "Violet Orchard", "season": 2, "episode": 5}),
    ("[Grp] 91 Days [BD 1080p]", {"title": "91 Days", "episode": None}),
    ("Harbor Nights Final Season Part 2 - 05 1080p WEB", {"episode": 5}),
    ("Crimson_Tales_Ep05_The_Two_Knights_Part1_[720p,BluRay,x264]_-_THORA.mkv", {"title": "Crimson Tales", "episode": 5}),
])  # fmt: skip

# "Title 2 - Pilot" is season 2's pilot; "Movie - 03" is a film's number in
# its series, never an episode (nor is the year after it).
_add("special", [
    ("[Mochi]_Starlight_Brigade_2_-_Pilot_[H264_AC3][1A2B3C4D].mkv", {"title": "Starlight Brigade 2", "episode": None, "special_kind": "pilot"}),
    ("Moon Raiders Movie - 03 - Silver Tide - 1996 (1280x720).mp4", {"episode": None, "special_kind": "movie"}),
    ("[Grp] Violet Orchard - OVA 2 [1080p]", {"title": "Violet Orchard", "episode": 2, "special_kind": "ova"}),
    ("[Grp] Violet Orchard - Movie [1080p]", {"title": "Violet Orchard", "episode": None, "special_kind": "movie"}),
    ("[Grp] Violet Orchard - 05.5 [1080p]", {"title": "Violet Orchard", "episode": 5, "part": ".5"}),
])  # fmt: skip

# "#1-6", "205, 206"; audio channels written apart ("DD 5 1") and the years a
# season aired ("(1991 - 92)") are no episodes; the Dutch season word.
_add("multi", [
    ("[Raws-X] Lantern Tales (Red) #1-6 (BS11 1280x720 x264 AAC).mp4", {"title": "Lantern Tales (Red)", "episode": 1, "episode_end": 6}),
    ("The Curious Garden - 205, 206 - First Bloom - Last Leaf.mkv", {"title": "The Curious Garden", "episode": 205, "episode_end": 206}),
    ("Harbor Nights Season 2 720p WEB DL DD 5 1 h264 GRP", {"title": "Harbor Nights", "season": 2, "episode": None, "is_batch": True}),
    ("Maple Street Season 3 (1991 - 92) DVDRip", {"title": "Maple Street", "season": 3, "episode": None, "is_batch": True}),
    ("Lantern Tales Seizoen 2 1080p Web NLsubs", {"title": "Lantern Tales", "season": 2, "episode": None, "is_batch": True}),
    ("[Grp] Violet Orchard (01-12) [1080p] [Batch]", {"title": "Violet Orchard", "episode": 1, "episode_end": 12}),
    ("[Grp] Violet Orchard - 01~12 [1080p]", {"title": "Violet Orchard", "episode": 1, "episode_end": 12}),
    ("[Grp] Violet Orchard Vol.1 (BD 1080p)", {"title": "Violet Orchard", "episode": None, "is_batch": True}),
])  # fmt: skip

# "Title2x05" glued to the title, "s.3_ep.07", and a mini-series' "Part03",
# "Part.Three" or "3of6" (season 1, as the TV databases number them).
_add("scene", [
    ("The.Silent.Harbour2x05.HDTV.XviD", {"title": "The Silent Harbour", "season": 2, "episode": 5}),
    ("[grp]Les_Jardins_du_Nord_s.3_ep.07(2020)DVB.mkv", {"title": "Les Jardins du Nord", "season": 3, "episode": 7}),
    ("Harbor Nights - Road to the Final Part03 720p HDTV x264 GRP", {"title": "Harbor Nights - Road to the Final", "season": 1, "episode": 3}),
    ("Harbor.Nights.Part.Three.720p.HDTV.x264-GRP", {"title": "Harbor Nights", "season": 1, "episode": 3}),
    ("Harbor.Nights.3of6.The.Storm.1997.DVDRip.x264-GRP", {"title": "Harbor Nights", "season": 1, "episode": 3}),
])  # fmt: skip

_add("scene", [
    ("Harbor.Lights.S02E05.(17).720p.HDTV", {"title": "Harbor Lights", "season": 2, "episode": 5, "absolute_episode": 17}),
])  # fmt: skip

# A name taken from a URL ("+" for spaces); a title's version ("Ver2.0b"),
# numbers ("1-2", "1+2") and year before " - 07"; a marked "E04" after a
# number of the title; "cour 2" is no episode.
_add("title", [
    ("Moonlit+Garden+Episode+7.mp4", {"title": "Moonlit Garden", "episode": 7}),
    ("[Kira] Amber Gate Ver2.0b - 04 [1080p HEVC]", {"title": "Amber Gate Ver2.0b", "episode": 4}),
    ("[Kira] Amber Gate Ver2_0b - 04 [1080p][Multiple Subtitle]", {"episode": 4}),
    ("[Kira] Lumen 1-2 (2023) - 07 [1080p]", {"title": "Lumen 1-2", "episode": 7, "episode_end": None}),
    ("[Kira] Lumen 1+2 (2023) - 07 [1080p]", {"title": "Lumen 1+2", "episode": 7, "episode_end": None}),
    ("3.5 Jigen no Haru E04 [1080p][AAC][Web-DL].mkv", {"title": "3.5 Jigen no Haru", "episode": 4}),
    ("Kagami Sora 11-20 E03 [1080p].mkv", {"title": "Kagami Sora 11-20", "episode": 3, "episode_end": None}),
    ("[Raws] Lantern Keepers - Shinsei-hen cour 2 (1080p)", {"title": "Lantern Keepers - Shinsei-hen", "episode": None}),
])  # fmt: skip

# Episodes listed after the episode letter, a dotted next episode, a spaced
# resolution, the British "Series 2".
_add("multi", [
    ("Harbor Lights E01 E02 E03 720p", {"title": "Harbor Lights", "episode": 1, "episode_end": 3}),
    ("[Subs] Lantern Keepers - Dawn [E07 E08 E09] [720p]", {"title": "Lantern Keepers - Dawn", "episode": 7, "episode_end": 9}),
    ("Harbor.Lights.S02E11.12.FASTSUB.VOSTFR.HDTV", {"title": "Harbor Lights", "season": 2, "episode": 11, "episode_end": 12}),
    ("Harbor Lights Season 3 Complete 1280 x 720 x264", {"title": "Harbor Lights", "season": 3, "episode": None, "is_batch": True, "resolution": 720}),
    ("Harbor.Lights.Series.2.XviD.hdtv", {"title": "Harbor Lights", "season": 2, "episode": None, "is_batch": True}),
])  # fmt: skip

_add("scene", [
    ("Harbor.Lights.S01E05.10.Bit.1080p.WEB", {"season": 1, "episode": 5, "episode_end": None}),
    ("[Fox] Lantern Keepers - S02E08 (灯守人; Deng Shou Ren 2nd Season) [WEB-DL 1080P AVC]", {"title": "Lantern Keepers", "season": 2, "episode": 8}),
])  # fmt: skip

# A title holding a character or word that subtitle tags also use: 日 ("day"),
# 繁 (in 繁星, "stars"), 外挂 ("cheat") are words of the title, not tags; a
# "(檢索: …)" search note is no title.
_add("cjk", [
    ("[ANi] Harbor Days / 港灣日和 - 07 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"title": "Harbor Days", "title_aliases": ("Harbor Days", "港灣日和"), "episode": 7}),
    ("[ANi] 32 岁单身灯塔守的日常 - 05 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"title": "32 岁单身灯塔守的日常", "episode": 5}),
    ("[ANi] 開外掛的灯塔守在異世界悠哉生活 - 03 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"title": "開外掛的灯塔守在異世界悠哉生活", "episode": 3}),
    ("[ANi] 繁星下的灯塔 - 11 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"title": "繁星下的灯塔", "episode": 11}),
    ("[雪月工作室][灯塔守/Lighthouse Keeper/灯塔守护者][720P][12][繁](檢索:/灯塔/守护)", {"title": "Lighthouse Keeper", "episode": 12}),
    ("[某字幕组][灯塔守 Lighthouse Keeper][08][简日双语][1080P]", {"title": "Lighthouse Keeper", "episode": 8, "language": "zh"}),
])  # fmt: skip

# Episode brackets of CJK names: "[02集]", "[05話]" (the word after the
# number), "[03(27)]" (the series-wide number beside it), "[04_渡海之夜]" (the
# episode's own title after it); a name with no group, whose first bracket is
# the title ("[灯塔守][第12集]").
_add("cjk", [
    ("[某字幕组][灯塔守护者 Lighthouse Keeper][02集][1080P][AVC][简日双语]", {"title": "Lighthouse Keeper", "episode": 2}),
    ("[某字幕组][灯塔守护者][05話][1080P][繁體]", {"title": "灯塔守护者", "episode": 5}),
    ("【某字幕组】★10月新番[灯塔守护者 第二季 / Lighthouse_Keeper_S2][03(27)][简体][1080P][MP4]", {"title": "Lighthouse Keeper", "episode": 3, "absolute_episode": 27}),
    ("[某字幕组·分部][灯塔守护者_Lighthouse Keeper][04_渡海之夜][简繁日内封][1080p AVC AAC]", {"episode": 4}),
    ("[灯塔守][第12集][国语中字][WEB-MKV][2160P]", {"title": "灯塔守", "group": "", "episode": 12}),
    ("[灯塔守 第2季][第05-08集][国语中字][WEB-MKV][1080P]", {"title": "灯塔守", "group": "", "season": 2, "episode": 5, "episode_end": 8}),
    ("[灯塔字幕组][灯塔守][第12集][1080P]", {"title": "灯塔守", "group": "灯塔字幕组", "episode": 12}),
    ("[ANi] 29 岁的灯塔守 - 07 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"title": "29 岁的灯塔守", "episode": 7}),
])  # fmt: skip

# Loose CJK-style titles: a recap's "- 12.5", a glued "OVA01", and an alias
# after a season tag ("中文名 [Season 2] / English - 01").
_add("cjk", [
    ("[ANi] 港灣日和 第二季 - 12.5 [1080P][Baha][WEB-DL][AAC AVC][CHT].mp4", {"title": "港灣日和", "season": 2, "episode": 12, "part": ".5"}),
    ("[某字幕组] 灯塔守护者 / Lighthouse Keeper OVA01 [WebRip 1080p HEVC-10bit AAC]", {"title": "Lighthouse Keeper", "episode": 1, "special_kind": "ova"}),
    ("[某字幕组] 灯塔守护者 [Season 2] / Lighthouse Keeper - 03 [WebRip 1080p][简繁内封字幕]", {"title": "Lighthouse Keeper", "title_aliases": ("Lighthouse Keeper", "灯塔守护者"), "season": 2, "episode": 3}),
    ("[某字幕组][灯塔守护者_Lighthouse Keeper][04_渡海之夜][日语配音版][Web-DL Remux][1080p AVC AAC]", {"title_aliases": ("Lighthouse Keeper", "灯塔守护者"), "episode": 4}),
])  # fmt: skip

# A finished BD series with no episode number ("[Fin]") is a batch, not a
# movie; "02 Title.mp4" leads with its episode; "Show-Name-121.x264" glues it
# to a dash-joined title.
_add("multi", [
    ("[Grp-Studio] Lighthouse Keeper / 灯塔守护者 10-bit 1080p HEVC BDRip [Fin]", {"title": "Lighthouse Keeper", "episode": None, "is_batch": True}),
    ("[Grp-Studio] Lighthouse Keeper 2nd Season / 灯塔守护者 第二季 10-bit 1080p HEVC BDRip [S2 Fin]", {"season": 2, "episode": None, "is_batch": True}),
])  # fmt: skip
_add("no_episode", [
    ("[Grp-Studio] Lighthouse Keeper the Movie / 灯塔守护者 剧场版 10-bit 1080p HEVC BDRip [Fin]", {"episode": None, "is_batch": False, "special_kind": "movie"}),
    ("07 Lanterns [BD 1080p]", {"title": "07 Lanterns", "episode": None}),
])  # fmt: skip
_add("fansub", [
    ("03 The Lantern Festival.mp4", {"title": "The Lantern Festival", "episode": 3}),
    ("Harbor-Lights-Tales-214.H264.Grp", {"title": "Harbor Lights Tales", "episode": 214}),
    ("Harbor-Lights-482 The Storm Returns.avi", {"title": "Harbor Lights", "episode": 482}),
])  # fmt: skip

# "S2009x05" / "S03xE07": a season letter before the NxNN form.
_add("scene", [
    ("Harbor Lights S2009x05 The Storm.avi", {"title": "Harbor Lights", "season": 2009, "episode": 5}),
    ("Harbor Lights S03xE07 The Storm.avi", {"title": "Harbor Lights", "season": 3, "episode": 7}),
])  # fmt: skip

# "- TV + SP": the series and its specials in one release; a bracket of tags
# ("[ x265-10Bit Ver. ]") left inside the title goes.
_add("multi", [
    ("[Grp2] Minato no Akari [ x265-10Bit Ver. ] - TV + SP", {"title": "Minato no Akari", "episode": None, "is_batch": True}),
    ("[Grp2] Minato no Akari - TV + OVA (BD 1920x1080 x.264 Flac)", {"title": "Minato no Akari", "episode": None, "is_batch": True}),
])  # fmt: skip

# "| 24 Episodes [BD]" counts a batch's episodes; "[01-12TV全集+OVA]" is still
# the range 1-12 with its extras.
_add("multi", [
    ("[Grp] Harbor Lanterns | Season 1 | 24 Episodes [BD 1080p 10bit][Dual Audio]", {"title": "Harbor Lanterns", "season": 1, "episode": None, "is_batch": True}),
    ("Harbor Lanterns Complete 24 Episodes 720p", {"title": "Harbor Lanterns", "episode": None, "is_batch": True}),
    ("[某-Raws][灯塔守护者/Lighthouse Keeper][01-12TV全集+OVA][1080P][BDRip][HEVC-10bit][简繁外挂][FLAC][MKV]", {"title": "Lighthouse Keeper", "episode": 1, "episode_end": 12}),
])  # fmt: skip

# Round 4 (families found on a fresh third-party set; names written here).
# A backslash separates aliases (or tags) like " / "; a bare "/" between two
# CJK titles does too; a batch bracket may say "合集\01-24END".
_add("cjk", [
    ("[某某字幕组][星之彼端\\Hoshi no Kanata][07][简日\\CHS_JP][1080P][MP4_AAC][网盘]", {"title": "Hoshi no Kanata", "title_aliases": ("Hoshi no Kanata", "星之彼端"), "episode": 7}),
    ("[某字幕组][银河铁道之旅/银河列车物语][03][1080P][GB]", {"title": "银河铁道之旅", "title_aliases": ("银河铁道之旅", "银河列车物语"), "episode": 3}),
    ("[某字幕组][月光列车\\Moon Train][合集\\01-24END][简日\\CHS_JP][1080P]", {"title": "Moon Train", "episode": 1, "episode_end": 24, "is_batch": True}),
    ("[某字幕组][月下行者][Moon Walker][07+小剧场][1080p][GB]", {"title": "Moon Walker", "episode": 7}),
    ("[某组] 月光列车 - 14(38) [1080P][WEB-DL]", {"title": "月光列车", "episode": 14, "absolute_episode": 38}),
    ("星之彼端 - S02E05 - 星之彼端 Hoshi [某组][1080p][AVC]", {"title": "星之彼端", "season": 2, "episode": 5}),
    ("[家族字幕][云端小镇第二期(Cloud Town II)][0412]小镇的新年[2023.01.02][GB][1080P]", {"title": "Cloud Town II", "season": 2, "episode": 412}),
    ("[家族字幕][云端小镇(Cloud Town)][0413][GB][1080P]", {"title_aliases": ("Cloud Town", "云端小镇"), "episode": 413}),
    ("[Tsukimichi Days][03][BDRIP][1080P][H264_FLACx2].mkv", {"title": "Tsukimichi Days", "group": "", "episode": 3}),
])  # fmt: skip

# A bracket holding a year alone is the year, never the episode.
_add("no_episode", [
    ("【旧番补完组】[星海学园][Starsea Academy][OVA][480P][1989][简体外挂]", {"title_aliases": ("Starsea Academy", "星海学园"), "episode": None, "year": 1989, "special_kind": "ova"}),
    ("[某组] 月光列车 [2024][1080p]", {"title": "月光列车", "episode": None, "year": 2024}),
    # A film's parts: "Part Two" then the year it came out is no mini-series episode.
    ("Starfall.Part.Two.2027.1080p.WEB-DL.DDP5.1.H.264-GRP", {"episode": None, "season": None, "year": 2027}),
    ("Starfall.Part.1.2026.2160p.BluRay.x265-GRP", {"episode": None, "season": None}),
    # A padded number, a title and disc tags, and no file: the series "07 ..." on discs.
    ("[Grp] 07 Harbors [BD 1080p]", {"title": "07 Harbors", "episode": None}),
])  # fmt: skip
_add("multi", [
    ("[某字幕組][Star Rangers (2021)][星际游侠(2021)][第45-52話][BIG5][720P]", {"title": "Star Rangers", "year": 2021, "episode": 45, "episode_end": 52}),
    # "全24集" (all 24 episodes) is read as 1-24, as a reader takes it.
    ("【某字幕社】星之彼端 全24集 合集", {"title": "星之彼端", "episode": 1, "episode_end": 24, "is_batch": True}),
    ("212-213.Kumo.Sensei.s05e03e04", {"title": "Kumo Sensei", "season": 5, "episode": 3, "episode_end": 4}),
    ("Kumo Sensei - 212-213 - s05e03e04 - Two Roads", {"title": "Kumo Sensei", "season": 5, "episode": 3, "episode_end": 4}),
])  # fmt: skip

# The series-wide number written before SxxEyy belongs to no title.
_add("scene", [
    ("Kumo Sensei - 031 - s02e07 - The Long Road", {"title": "Kumo Sensei", "season": 2, "episode": 7, "absolute_episode": 31}),
    ("212.Kumo Sensei.s05e03", {"title": "Kumo Sensei", "season": 5, "episode": 3, "absolute_episode": 212}),
    ("Harbor.Lights.Part.3.720p.HDTV.x264-GRP", {"title": "Harbor Lights", "season": 1, "episode": 3}),
    ("24.S09E01.720p.HDTV.x264-GRP", {"title": "24", "season": 9, "episode": 1}),
])  # fmt: skip

# anitopy 2.1.1 fails on a number ending the name; the parser asks it again.
_add("fansub", [
    ("[Grp] Hoshizora Kiss (Starry Kiss) 04", {"title": "Hoshizora Kiss (Starry Kiss)", "episode": 4}),
    ("[Grp] 06 Harbor Tales II (BD 720p).mkv", {"title": "Harbor Tales II", "episode": 6}),
    ("[Group] 07 Harbors - 05 [1080p]", {"title": "07 Harbors", "episode": 5}),
])  # fmt: skip

# Round 4, second part (families from a later fresh set; names written here).
# A title ending in a number of three or four digits, then the zero-padded
# episode with no separator; a group and a number alone.
_add("title", [
    ("[Grp] Harbor Town 100 07.mkv", {"title": "Harbor Town 100", "episode": 7}),
    ("[Grp] Tide 100: Hundred Lanterns no Yoru 100 no Uta 04.mkv", {"title": "Tide 100: Hundred Lanterns no Yoru 100 no Uta", "episode": 4}),
    ("Harbor Town 100 03 1080p", {"title": "Harbor Town 100", "episode": 3}),
    ("[Grp] Lanterns 1001 Nights 02 [720p]", {"title": "Lanterns 1001 Nights", "episode": 2}),
    ("[Grp] Harbor Town - 100 [1080p]", {"title": "Harbor Town", "episode": 100}),
    ("[Grp] Lantern Wars Cour 2 - 03 [1080p]", {"title": "Lantern Wars", "episode": 3}),
    ("[Grp] Lantern Wars MULTi VF/VOSTFR [1080p]", {"title": "Lantern Wars", "episode": None}),
    ("The French Chef - 05 [720p]", {"title": "The French Chef", "episode": 5}),
])  # fmt: skip
_add("fansub", [
    ("[Grp] 05.mkv", {"group": "Grp", "episode": 5}),
    # The number in a film's title is no episode; "U3" in the group is not the title's 3.
    ("[U7-Grp] Lantern Wars 3 - Second Light (2025) [Movie][WEB 1080p]", {"title": "Lantern Wars 3 - Second Light", "episode": None, "special_kind": "movie"}),
])  # fmt: skip
_add("no_episode", [
    ("[Grp] Lantern Wars (Movie 01~03) [BD 1080p]", {"title": "Lantern Wars", "episode": None, "episode_end": None, "special_kind": "movie"}),
    ("Lantern Wars + OVAs + Specials [1080p]", {"title": "Lantern Wars", "episode": None, "is_batch": True}),
    ("Lantern.Wars.Movie.3.Second.Light.2024.EXTENDED.1080p.BluRay.x264-GRP", {"title": "Lantern Wars Movie 3 Second Light", "year": 2024, "episode": None}),
])  # fmt: skip
_add("multi", [
    ("[Grp] Lantern Wars (2023) (Season 4 Part 03 [EP: 13-24]) [1080p]", {"title": "Lantern Wars", "episode": 13, "episode_end": 24}),
])  # fmt: skip

# Round 4, third part: a region note is no part of a title; lenticular
# brackets glued inside a CJK title are the title's own.
_add("cjk", [
    ("[某组] 星之彼端（仅限港澳台地区） - 08 [1080P][Bilibili][WEB-DL][AAC AVC][CHT CHS][MP4]", {"title": "星之彼端", "episode": 8}),
    ("[某组] 月光列车 第二季（僅限港澳台地區） - 03 [1080P][Bilibili][WEB-DL][AAC AVC][CHT CHS]", {"title": "月光列车", "season": 2, "episode": 3}),
    ("[某组] 最强的【占星师】统领星之彼端 - 12 [1080P][WEB-DL][CHT][MP4]", {"title": "最强的【占星师】统领星之彼端", "episode": 12}),
    ("【某字幕社】 ★4月新番 【月光列车】【Moon Train】【10】GB MP4_720P", {"title": "Moon Train", "title_aliases": ("Moon Train", "月光列车"), "episode": 10}),
])  # fmt: skip

# "Omake": an extra of the series, not an episode.
_add("special", [
    ("[Grp] Harbor Lights Omake [1080p]", {"title": "Harbor Lights", "episode": None, "special_kind": "extra"}),
    ("[Grp] Harbor Lights - Omake 02 [1080p]", {"title": "Harbor Lights", "episode": 2, "special_kind": "extra"}),
])  # fmt: skip
_add("no_episode", [
    ("[Grp] 86", {"title": "86", "episode": None}),
])  # fmt: skip

# Round 5 (general rules, names invented): a Latin title with its other name
# in parentheses gives both as aliases (the whole stays the title); a film's
# year ends its title unless it is a future one; a bare frame height in a
# bracket is the resolution when another bracket numbers the episode
# ("[TV 07]"); a range in parentheses may list the set's extras.
_add("title", [
    ("[Grp] Harbor Lights (Lanterns of the Bay) - S02E03 [1080p]", {"title": "Harbor Lights (Lanterns of the Bay)", "title_aliases": ("Harbor Lights (Lanterns of the Bay)", "Harbor Lights", "Lanterns of the Bay"), "season": 2, "episode": 3}),
    ("[Grp] Harbor Lights (Lanterns of the Bay) - 07 [1080p].mkv", {"title_aliases": ("Harbor Lights (Lanterns of the Bay)", "Harbor Lights", "Lanterns of the Bay"), "episode": 7}),
    ("[Grp] Moon Train (English Dubbed) - 05 [1080p]", {"title_aliases": ("Moon Train",), "episode": 5}),
    ("[Grp] Harbor City 2041 [720p]", {"title": "Harbor City 2041", "year": None, "episode": None}),
    ("[Grp].Harbor.City.2041.-.01.(720p).[C0FFEE11].mkv", {"title": "Harbor City 2041", "year": None, "episode": 1}),
])  # fmt: skip
_add("no_episode", [
    ("Lantern Harbor 2019 (BD Remux 1080p FLAC)", {"title": "Lantern Harbor", "year": 2019, "episode": None}),
    ("Harbor City 1984 2019 1080p BluRay x264-GRP", {"title": "Harbor City 1984", "year": 2019, "episode": None}),
])  # fmt: skip
_add("cjk", [
    ("[灯塔][Lantern Bay][2023][WEB-DL][2160][TV Series][TV 07][LeagueWEB]", {"title_aliases": ("Lantern Bay",), "episode": 7, "resolution": 2160, "year": 2023}),
])  # fmt: skip
_add("multi", [
    ("[灯塔][Lantern Bay][2023][WEB-DL][1080][TV 01-12][LeagueWEB]", {"title": "Lantern Bay", "episode": 1, "episode_end": 12, "resolution": 1080}),
    ("[Grp] Harbor Lights (0001-0250+Movies+Specials) [BD 1080p]", {"title": "Harbor Lights", "episode": 1, "episode_end": 250, "is_batch": True}),
    ("[Grp] Harbor Lights (Episodes 1-24) [1080p]", {"title": "Harbor Lights", "episode": 1, "episode_end": 24}),
])  # fmt: skip

# Round 5, second batch: a number before a dashed kind word is the title's
# ("Title 2 - OVA - Name", as "Title 3 - PV" already was); a bracket of tags
# inside a title and a dashed kind word ending it are no title; "BD-BOX" is
# no title even with a range; "（2009年）" is the year; a loose title of a
# bracket name loses the range a later stage read from it; a Latin run
# before a CJK one keeps the whole as an alias too.
_add("special", [
    ("[Grp] Harbor Lights 2 - OVA - Lantern Night.mkv", {"title": "Harbor Lights 2", "episode": None, "special_kind": "ova"}),
    ("[Grp] Harbor Lights 3 - Special [1080p].mkv", {"title": "Harbor Lights 3", "episode": None, "special_kind": "special"}),
    ("[Grp] Harbor Lights - 02 - OVA [1080p].mkv", {"title": "Harbor Lights", "episode": 2, "special_kind": "ova"}),
])  # fmt: skip
_add("no_episode", [
    ("[Grp] Harbor Lights [ x265-10Bit Ver. ] - Movie + SP", {"title": "Harbor Lights", "episode": None, "special_kind": "movie", "is_batch": True}),
    ("[Grp] Harbor Lights - Film [BD 1080p]", {"title": "Harbor Lights", "episode": None, "special_kind": "movie"}),
])  # fmt: skip
_add("multi", [
    ("[某组] Harbor BD-BOX 1-13+SP (BDRip x264 FLAC)（2009年）", {"title": "Harbor", "episode": 1, "episode_end": 13, "year": 2009, "is_batch": True}),
    ("[Grp] Harbor BD-BOX 1-13+SP (BDRip x264 FLAC)", {"title": "Harbor", "episode": 1, "episode_end": 13}),
])  # fmt: skip
_add("cjk", [
    ("[Grp] Moon Train! 灯塔列车 - 04 [1080p]", {"title": "Moon Train!", "title_aliases": ("Moon Train!", "灯塔列车", "Moon Train! 灯塔列车"), "episode": 4}),
    ("[某组] 灯塔 Harbor 05 (1080p)", {"title": "Harbor", "episode": 5}),
])  # fmt: skip

# A name that parts its titles with spaced slashes keeps a bare one between
# letters as the title's own ("Lamp/Keeper -灯塔守望者- / Lamp/Keeper -灯台守-", whose
# Latin run before the dash and the CJK one are two names);
# "[11rev]" is a revised episode; "[03、04]" two episodes listed with the CJK comma.
_add("cjk", [
    ("[Yuki-Sub][Lamp/Keeper -灯塔守望者- / Lamp/Keeper -灯台守-][07][1080p][简繁外挂]", {"title": "Lamp/Keeper", "episode": 7}),
    ("[Yuki-Sub][Copper Lantern / 铜灯][11rev][720p][简体内嵌]", {"title": "Copper Lantern", "episode": 11}),
    ("[雪灯字幕组][Harbor Lights/港灯特别篇][03、04][简体内嵌]", {"title": "Harbor Lights", "episode": 3, "episode_end": 4, "is_batch": True}),
])  # fmt: skip
# A film of a series numbered after a dash ("Title - Movie 02 - Its Title"),
# and the kind in parentheses ("Title (TV Special)"), end the series' title.
_add("no_episode", [
    ("[Grp] Copper Lantern - Movie 02 - The Long Night.mkv", {"title": "Copper Lantern", "episode": None, "is_special": True}),
    ("[Grp] Silver Kettle! - Movie 3.mkv", {"title": "Silver Kettle!", "episode": None, "is_special": True}),
    ("[Grp] 银壶 / Silver Kettle (TV Special) (CR 1920x1080 AVC AAC MKV)", {"title": "Silver Kettle", "episode": None, "is_special": True}),
])  # fmt: skip
# A Latin run ending two names in two other scripts ("灯塔守望 The Return /
# 灯台守 THE RETURN") may be their subtitle: each whole name is an alias too.
_add("cjk", [
    ("[雪灯字幕组][灯塔守望 The Return / 灯台守 THE RETURN][05][1080p][简体内嵌]", {"title_aliases": ("The Return", "灯塔守望", "灯台守", "THE RETURN", "灯塔守望 The Return", "灯台守 THE RETURN"), "episode": 5}),
])  # fmt: skip
# "Title_2-01.mkv": the title's own number, then the episode glued by a dash (a
# range never runs backwards); "Title 3-05" stays a range.
_add("title", [
    ("Copper_Lantern_Saga_2-01.mkv", {"title": "Copper Lantern Saga 2", "episode": 1, "episode_end": None}),
    ("Copper Lantern Saga 12-04 [720p].mkv", {"title": "Copper Lantern Saga 12", "episode": 4, "episode_end": None}),
    ("Copper Lantern Saga 3-05.mkv", {"title": "Copper Lantern Saga", "episode": 3, "episode_end": 5}),
])  # fmt: skip
# "[24_END]": the last episode, its END joined by an underscore.
_add("cjk", [
    ("[雪灯字幕组][Harbor Lights/港灯][24_END][720p][简体内嵌]", {"title": "Harbor Lights", "episode": 24}),
])  # fmt: skip
# The same "[12_END]" in a Latin name (Russian dubbing groups' files,
# "Title_[12_END]_[Group]_[WEBRip_1080p].mkv"), any case, an underscore or a space.
_add("fansub", [
    ("Hoshi_no_Umi_[12_END]_[AniVoice.TV]_[WEBRip_1080p].mkv", {"title": "Hoshi no Umi", "episode": 12}),
    ("Ryuusei_Kishi_S3_[13_end]_[AniVoice_TV]_[HDTV-Rip_720p].mkv", {"title": "Ryuusei Kishi", "season": 3, "episode": 13, "is_batch": False}),
    ("[Kumo] Kaze no Toride [24 END] [1080p].mkv", {"title": "Kaze no Toride", "episode": 24}),
])  # fmt: skip
# "86 - Eighty Six 02.avi": a title that opens with its own number and " - ";
# the zero-padded number ending it is the episode (a padded "07 - Title 03"
# still opens with the episode).
_add("fansub", [
    ("91 - Ninety One 04.avi", {"title": "91 - Ninety One", "episode": 4}),
    ("07 - Kaze no Uta 03.mkv", {"episode": 7}),
])  # fmt: skip
# "Title S4 - 03 [...] | Alias Season 4 | Episode 75": a last part after a
# pipe giving the series-wide number; the name's own "- 03" stays the episode.
_add("fansub", [
    ("[Kaede] Mahou Shoujo Tsuki 2nd Season - 07 [1080p WEB AAC x264] [1A2B3C4D] | Moon Witch Season 2 | Episode 19", {"title": "Mahou Shoujo Tsuki", "episode": 7, "absolute_episode": 19, "season": 2}),
    ("[Kaede] Sora Kujira - 05 [1080p] | Episode 5", {"title": "Sora Kujira", "episode": 5, "absolute_episode": None}),
    ("[Kaede] Sora Kujira [1080p] | Episode 6", {"title": "Sora Kujira", "episode": 6}),
    # "| Alias S00E73": the same episode in another numbering (a short's place among specials)
    ("[Kaze] Hoshi no Uta Break Time S2 - 04 (HDTV 1080p) | Hoshi S00E31", {"title": "Hoshi no Uta Break Time", "episode": 4, "season": 2}),
    ("Hoshi no Uta Break Time | Hoshi S00E31", {"episode": 31, "season": 0}),
])  # fmt: skip
# A CJK-style name whose Latin subtitle ends "-Into the Night- 2024" before
# the tags: the film's year, not episode 2024 (no series reached 1950).
_add("no_episode", [
    ("[Nijiiro & 77-Works] Hoshizora no Tabi 星空の旅 -Into the Night- 2024 [BDRip 1080p AV1 OPUS]", {"title": "Hoshizora no Tabi", "episode": None, "year": 2024}),
])  # fmt: skip
# A relative path whose file name opens with its group's bracket is folders
# and a file ("…/Title (2012)/[Grp] Title - S01E01 (BD).mkv"): the file names
# its series, the folders are not read as titles parted by slashes.
_add("title", [
    ("시리즈/나/바람의 정원 (2014)/[Grp] Kaze no Niwa - S01E03 (BD 1080p).mkv", {"title": "Kaze no Niwa", "season": 1, "episode": 3}),
    # a season's folder alone above the file: the file names the series
    ("Season 3/Kaze Tachinu - 3x12 - Le vent se lève.mkv", {"title": "Kaze Tachinu", "season": 3, "episode": 12}),
    ("Season 2/[Grp] Hoshi Meguri - 05 [1080p].mkv", {"title": "Hoshi Meguri", "season": 2, "episode": 5}),
    # the same from the root ("/Season 3/..."): the slash before the folder is no title's
    ("/Season 3/Harbor.Lights.2188.E05.avi", {"title": "Harbor Lights 2188", "season": 3, "episode": 5}),
    # a file opening with its marker, then "Series - Episode title"
    ("S12E04 Hikari no Tabi - Le départ de Sora !.mp4", {"title": "Hikari no Tabi", "season": 12, "episode": 4}),
    ("S03E09 WS PDTV XviD-GRP.avi", {"title": "", "season": 3, "episode": 9}),
    # a bare ordinal ending the title ("Title 3rd - 07"), Russian trackers' "TV-2"
    ("[MoonRaws] Kagami no Kuni 3rd - 07 (WEB-DL 1280x720 x264 AAC)", {"title": "Kagami no Kuni", "season": 3, "episode": 7}),
    ("Ryuu no Hane TV-2 | Крылья дракона [ТВ-2] [2025] [06 of 12] [WEBRip] [1080p]", {"title": "Ryuu no Hane", "season": 2, "episode": 6}),
    # French releases' "SUBFRENCH", "TRUEFRENCH", "MULTi" alone after a film's year
    ("Hoshi no Uta 2019 SUBFRENCH 1080p CR WEB-DL AAC2.0 x264-Grp", {"title": "Hoshi no Uta", "year": 2019, "episode": None}),
    ("Kaze no Michi 2021 MULTi 1080p WEB x264-Grp", {"title": "Kaze no Michi", "year": 2021, "episode": None}),
    ("Anime/Quiet Harbor (2019)/[Grp] Shizuka na Minato - 07 [BD 1080p].mkv", {"title": "Shizuka na Minato", "episode": 7}),
])  # fmt: skip
# "[Grp] Title-25 OVA [BD]": the episode glued to the title by a dash, then
# the kind word (anitopy takes the kind and leaves "Title-25" as the title).
_add("special", [
    ("[Grp] Ember Tide-25 OVA [BD 1920x1080 x264 FLAC].mkv", {"title": "Ember Tide", "episode": 25, "is_special": True}),
    ("[Grp] Ember Tide-13 SP [BD].mkv", {"title": "Ember Tide", "episode": 13}),
])  # fmt: skip
# One video file named by its volume ("Title Vol.1 (BD 720p).mkv", an OVA
# released a volume each) is that episode; a name that is no file stays the set.
_add("special", [
    ("[Grp] Starlit Harbor Unicorn Vol.3 (BD H264 1280x720 24fps AAC 2.0J+2.0E).mkv", {"title": "Starlit Harbor Unicorn", "episode": 3, "is_batch": False}),
    ("[Grp] Starlit Harbor Unicorn Vol.3 (BD H264 1280x720 AAC)", {"title": "Starlit Harbor Unicorn", "episode": None, "is_batch": True}),
])  # fmt: skip
# A set's note in parentheses that names an episode ("Complete Series (With
# Fixed Episodes & Missing EP218) [Batch]") gives the set no episode.
_add("multi", [
    ("[Grp] Harbor Bells Complete Series (Colour Corrected) (With Fixed Episodes & Missing EP118) [DVD] [480p] [Batch]", {"title": "Harbor Bells", "episode": None, "is_batch": True}),
    ("[Grp] Harbor Bells (Missing EP05) [Batch]", {"title": "Harbor Bells", "episode": None, "is_batch": True}),
])  # fmt: skip
# Round 5, after the held-out batches were scored (their failures were read):
# "Season" without a number is a title's word ("The Final Season"); a range
# glued with a dash before the tags ("1001-1100"); a season pack's version
# ("S02v2"); tags joined by a slash ("HEVC/AVC") end a loose title; "(Fin)"
# in parentheses marks the finished series as "[Fin]" did.
_add("title", [
    ("[Grp] Harbor Lights - The Final Season - 28 (1080p).mkv", {"title": "Harbor Lights - The Final Season", "episode": 28}),
    ("Harbor Season S01 1080p WEB-DL H265 AAC-GRP", {"title": "Harbor Season", "season": 1, "is_batch": True}),
])  # fmt: skip
_add("multi", [
    ("[Grp] Harbor Lights 1001-1100 [1080p]", {"title": "Harbor Lights", "episode": 1001, "episode_end": 1100}),
    ("[Grp] Harbor Lights - S02v2 (BD Remux 1080p FLAC)", {"title": "Harbor Lights", "season": 2, "episode": None, "is_batch": True}),
    ("[Grp] Harbor Lights 10-bit 1080p HEVC BDRip (Fin)", {"title": "Harbor Lights", "episode": None, "is_batch": True}),
])  # fmt: skip
_add("cjk", [
    ("[Grp] Harbor Lights / 灯塔 10-bit 1080p HEVC/AVC BDRip [S1-S2 + MOVIE Fin]", {"title": "Harbor Lights", "title_aliases": ("Harbor Lights", "灯塔"), "is_batch": True}),
])  # fmt: skip
# A number between a word and the release's year is a film's title ("The 355").
_add("no_episode", [
    ("The Harbor 355 2022 BluRay 1080p DTS-HD MA5.1 x265.10bit-GRP", {"title": "The Harbor 355", "year": 2022, "episode": None}),
    ("[Grp] Harbor Lights - 05 (2024) [1080p]", {"title": "Harbor Lights", "year": 2024, "episode": 5}),
])  # fmt: skip

# Round 6: a CJK title (or one alias of it) ending with the episode's number,
# glued or spaced, maybe followed by the episode's own title; a number glued to
# the title with nothing to say it is an episode stays the title's ("灯塔100").
_add("cjk", [
    ("灯塔列车日语版087.mp4", {"title": "灯塔列车日语版", "episode": 87}),
    ("灯塔列车01.起航之夜.mkv", {"title": "灯塔列车", "episode": 1}),
    ("灯塔列车第2季03.mp4", {"title": "灯塔列车", "season": 2, "episode": 3}),
    ("灯塔列车 第16 夜航.mp4", {"title": "灯塔列车", "episode": 16}),
    ("[某组][HARBOR][灯塔列车 412 夜航之谜][HDTV][简体MP4]", {"title_aliases": ("HARBOR", "灯塔列车"), "episode": 412}),
    ("灯塔100.mp4", {"title": "灯塔100", "episode": None}),
])  # fmt: skip
# Round 6: a bracket that starts with the episode and adds a note on it
# ("[11(Director's Cut Ver.)]", "[13(OAD)]": the OAD is marked) or its own
# glued CJK title ("[011北の港]"); "[第32章]" in a
# bracket of its own; the number before the Russian word for episode.
_add("fansub", [
    ("[Grp] Harbor Lights [11(Director's Cut Ver.)][Ma10p_1080p][x265_flac].mkv", {"title": "Harbor Lights", "episode": 11}),
    ("[Grp] Harbor Lights [13(OAD)][Ma10p_1080p][x265_flac].mkv", {"title": "Harbor Lights", "episode": 13, "special_kind": "ova"}),
    ("[Grp] Harbor Lights [14(OVA02)][Ma10p_1080p][x265_flac].mkv", {"title": "Harbor Lights", "episode": 14}),
    ("Harbor.Lights.(03.serija).2015.x264.HDTVRip.1080p.mkv", {"title": "Harbor Lights", "episode": 3}),
])  # fmt: skip
_add("cjk", [
    ("[011北の港][某站搬运][灯塔列车][2160P][4K画质].mkv", {"episode": 11}),
    ("[某组][灯塔列车][第32章][夜航][810P]", {"title": "灯塔列车", "episode": 32}),
    ("[某组][灯塔][12集全][1080P]", {"title": "灯塔", "episode": 1, "episode_end": 12}),
])  # fmt: skip
# Round 6: which of several numbers is the episode. A title that starts with a
# number, then " - 01 - " and the episode's title; a number of the title
# followed by more title words before a season pack ("Zom.100.Bucket.List.S01");
# an unpadded number before the kind of special with nothing after but tags
# ("Gotei 13 Omake"); one unpadded digit between title words and unbracketed tags.
_add("title", [
    ("12 - Harbor Lights - 03 - The Lantern.mkv", {"title": "12 - Harbor Lights", "episode": 3}),
    ("Harbor.100.Lanterns.of.the.Night.S01.1080p.BluRay.x265-GRP", {"title": "Harbor 100 Lanterns of the Night", "season": 1, "episode": None, "is_batch": True}),
    ("Harbor.100.Lanterns.S01E04.1080p.WEB-DL-GRP", {"title": "Harbor 100 Lanterns", "season": 1, "episode": 4}),
    ("Harbor 3 Lantern Arc 1080p Dual Audio BDRip 10 bits DD x265-GRP", {"title": "Harbor 3 Lantern Arc", "episode": None}),
])  # fmt: skip
_add("special", [
    ("[Grp] Harbor - Lights 13 Omake (DVDRip 768x576 x264 AC3).mkv", {"title": "Harbor - Lights 13", "episode": None, "special_kind": "extra"}),
    ("[Grp] Harbor Lights - 05 OVA [1080p].mkv", {"title": "Harbor Lights", "episode": 5}),
])  # fmt: skip
# Round 6: "264集全" (the whole set of 264) marks a batch as "全12集" did; a
# year leading a dotted CJK name is its year; a date leading a name is the day
# it was saved ("2022.8.2.Title.1995…"), no part of the title.
_add("no_episode", [
    ("2018.灯塔列车.264集全.4K", {"title": "灯塔列车", "year": 2018, "episode": 1, "episode_end": 264, "is_batch": True}),
    ("2016.灯塔列车.12集全+OVA.1080p", {"title": "灯塔列车", "year": 2016, "episode": None, "is_batch": True}),
    ("2022.8.2.Harbor.Lights.1995.BluRay.1080p.x265.10bit-GRP", {"title": "Harbor Lights", "year": 1995, "episode": None}),
    ("2001.A.Harbor.Odyssey.1968.1080p.BluRay", {"title": "2001 A Harbor Odyssey", "year": 1968, "episode": None}),
])  # fmt: skip
# Round 6: which bracket is the title. Tag brackets before the group
# ("[1080P][字幕组][灯塔GT][60]"); a short capital suffix glued to a CJK title is
# its own ("灯塔GT"); a size ("[709.7MB]") and a mikan page's "[复制磁连]" are
# tags; a first bracket of aliases before nothing but tags names the set; a
# starred kind between brackets ("★剧场版★") is the kind, no title.
_add("cjk", [
    ("[1080P][某某制作组&某Sub][灯塔GT][60][HEVC-10bit][AC3].mkv", {"title": "灯塔GT", "episode": 60}),
    ("★10月新番★[灯塔列车 / Harbor Lights][06][1080p][简日双语] [709.7MB]", {"title": "Harbor Lights", "title_aliases": ("Harbor Lights", "灯塔列车"), "episode": 6}),
    ("[灯塔列车 / Harbor Lights][修正合集][繁日双语][1080P][WEBrip][MP4]（急招校对、后期）", {"title": "Harbor Lights", "is_batch": True, "episode": None}),
    ("【某组】★剧场版★[HARBOR NIGHT 灯塔之夜][1080p][繁体] [复制磁连]", {"title": "HARBOR NIGHT", "title_aliases": ("HARBOR NIGHT", "灯塔之夜", "HARBOR NIGHT 灯塔之夜"), "special_kind": "movie", "episode": None}),
])  # fmt: skip
# Round 6: "01." leading a disc set's folder name orders the collection's parts.
_add("title", [
    ("01.Harbor Lights S01 1080p Dual Audio BDRip 10 bits DD x265-GRP", {"title": "Harbor Lights", "season": 1, "episode": None, "is_batch": True}),
    ("02.Harbor Lights 3 Lantern Arc 1080p Dual Audio BDRip 10 bits DD x265-GRP", {"title": "Harbor Lights 3 Lantern Arc", "episode": None}),
])  # fmt: skip
# Round 6: "S02P02" is a season's part, packed.
_add("multi", [
    ("Harbor Lights S02P02 1080p WEBRip DD+ x265-GRP", {"title": "Harbor Lights", "season": 2, "episode": None, "is_batch": True}),
])  # fmt: skip
# Round 6: a preview, opening or menu numbered in a bracket of its own ("[PV4]")
# is no episode and no title.
_add("special", [
    ("[某组][灯塔列车][PV4][1080P][BDRip][HEVC-10bit][FLAC].mkv", {"title": "灯塔列车", "episode": None, "special_kind": "preview"}),
    ("[Grp] Harbor Lights [NCOP2][Ma10p_1080p][x265_flac].mkv", {"title": "Harbor Lights", "episode": None, "special_kind": "opening"}),
])  # fmt: skip
# Round 6: " - 本篇" (the main series, as against its films) leaves the title.
_add("cjk", [
    ("灯塔列车 - 本篇 - 第166-167话：最终话；640×480P.mkv", {"title": "灯塔列车", "episode": 166, "episode_end": 167}),
])  # fmt: skip
# Round 6, read from the held-out half after its one scoring: an episode
# marker glued to a CJK title ("灯塔EP22", "灯塔列车E112"); "49. Title" leading a
# CJK file name is the episode, then the episode's own title.
_add("cjk", [
    ("灯塔EP22.mkv", {"title": "灯塔", "episode": 22}),
    ("灯塔列车E112.mkv", {"title": "灯塔列车", "episode": 112}),
    ("49. 灯塔的告别.mkv", {"episode": 49}),
])  # fmt: skip
# The years a series aired in brackets ("(2024-2025)") leave the title; the first is its year.
_add("title", [
    ("[Grp] Harbor Lights (2024-2025) (Season 1 + 2) [BDRip] [1080p Dual Audio HEVC] (Batch)", {"title": "Harbor Lights", "year": 2024, "episode": None, "is_batch": True}),
])  # fmt: skip
# Round 7: a dash left alone at the end of a library file's name ("Title - 160 -")
# once made the parser loop forever (anitopy never returned); it is the episode.
_add("fansub", [
    ("Harbor Watch - 160 -.mkv", {"title": "Harbor Watch", "episode": 160}),
    ("Harbor Watch 07 \u2013.mkv", {"title": "Harbor Watch", "episode": 7}),
])  # fmt: skip
# Korean raws mark the episode "제05화" (제 = 第, 화 = 話), or "05화" after a space.
_add("cjk", [
    ("[Grp] 등대 열차 제12화 (BD 1920x1080 x264 AAC).mp4", {"title": "등대 열차", "episode": 12}),
    ("[Grp] 등대 열차 05화 [1080p].mkv", {"title": "등대 열차", "episode": 5}),
])  # fmt: skip
# A film's cropped frame ("1920x800", "2048x858") is a resolution, never a
# season written with a year and an episode; "10 bits" written with dots is
# the bit depth; "Title The Movie" leaves no "The" in the title.
_add("no_episode", [
    ("[Tsukiko] Hoshizora Kikou - Movie [1920x800][Multi Audio].mkv", {"title": "Hoshizora Kikou", "episode": None, "season": None, "special_kind": "movie"}),
    ("[Hanabi] Ginga Tetsudou Movie [BDRip 2048x858 HEVC FLAC]", {"episode": None, "season": None, "resolution": 858}),
    ("Lantern.Road.The.Movie.1080p.Dual.Audio.BDRip.10.bits.DD.x265-GRP", {"title": "Lantern Road", "episode": None, "special_kind": "movie"}),
    ("Lantern_Road_The_Movie_1080p_BDRip_10_bits_DD_x265-GRP", {"title": "Lantern Road", "episode": None}),
])  # fmt: skip
# A number ending the title, then the episode in a bracket of its own.
_add("title", [
    ("[Grp-Studio] Harbor;Gate 0 [07][Ma10p_1080p][x265_flac].mkv", {"title": "Harbor;Gate 0", "episode": 7}),
    ("[Grp] Lantern Saga 2 [05][1080p].mkv", {"title": "Lantern Saga 2", "episode": 5}),
])  # fmt: skip
# A number inside the title before a season pack's marker ("Zom 100 Bucket
# List of the Dead - S1 - BD"), a group bracket leading the name, is the title's.
_add("multi", [
    ("[Grp] Harbor 100 Watch of the Dead - S1 - BD (1080p) (HDR) [Dual Audio]", {"title": "Harbor 100 Watch of the Dead", "episode": None, "season": 1, "is_batch": True}),
    ("[Grp] Harbor 100 Watch of the Dead S2 [1080p]", {"title": "Harbor 100 Watch of the Dead", "episode": None, "season": 2, "is_batch": True}),
    ("[Grp] Harbor 100 Watch S1 - 05 [1080p]", {"episode": 5, "season": 1}),
    # the other name in a note after the marker repeats the title's number and its season
    ("[Grp] Orbital Guard 00 S01 [BD Remux 1080p] (Kidou Guard 00 Season 1)", {"title": "Orbital Guard 00", "episode": None, "season": 1, "is_batch": True}),
    ("[Grp] Lantern Rider 7 S02 [BD 1080p] (Toumei Rider 7 Season 2)", {"title": "Lantern Rider 7", "episode": None, "season": 2, "is_batch": True}),
])  # fmt: skip
# A title in the one bracket before a scene marker ("【Title】 S01E07",
# "【中文名】.S02E04.第16話"): the bracket is the title (no group leads such a
# name), and a CJK number right after the marker is the series-wide one.
_add("scene", [
    ("【灯塔守护者】.S02E04.第16話.WEBRip.mkv", {"title": "灯塔守护者", "season": 2, "episode": 4, "absolute_episode": 16}),
    ("【Lighthouse Keeper】 S01E07 Episode 7 [CC].mkv", {"title": "Lighthouse Keeper", "season": 1, "episode": 7}),
    ("[Harbor Watch] S02E05 [1080p].mkv", {"title": "Harbor Watch", "season": 2, "episode": 5}),
])  # fmt: skip
# A path from a drive or the root ("E:/Anime/…", "/home/…") is read as folders
# and a file name whatever the file says (a film keeps its own title; a name
# without extension is a path too), and a folder with no words ("01",
# "01. Season 1 + OVA") names no series.
_add("title", [
    ("E:/Anime/Harbor Watch/[Grp] Lantern Days (BD 1080p) [841C23CD].mkv", {"title": "Lantern Days", "episode": None}),
    ("F:/Library/[Grp]/Harbor Watch [TV]/01/[Grp] Harbor Watch - 01 [1080p].mkv", {"title": "Harbor Watch", "episode": 1}),
    ("Z:/downloads/[Grp] Harbor Watch S01E1176 (TV 1080p HEVC AAC)", {"title": "Harbor Watch", "season": 1, "episode": 1176}),
    ("E:/Anime/Harbor Watch S01+OVA 1080p BDRip x265-GRP/01. Season 1 + OVA/S01E03-The Lamp [F03E1F7A].mkv", {"title": "Harbor Watch", "season": 1, "episode": 3}),
    ("/home/user/Harbor Watch/Harbor Watch - 07 [1080p].mkv", {"title": "Harbor Watch", "episode": 7}),
])  # fmt: skip
# A batch folder that names the file's series with more after it ("Title
# (Series) 2011 [BD] [Batch]") says the name is a path.
_add("title", [
    ("[Grp] Harbor Watch (Series) 2011 [Dual Audio][BD][1080p] [Batch]/Harbor Watch (2011) - 148.mkv", {"title": "Harbor Watch", "episode": 148, "is_batch": False}),
])  # fmt: skip
# A frame height without its "p" after a title's number ("Title 2 [1080]",
# "Title 2 1080 [x264]") is no episode.
_add("title", [
    ("[Grp] Lantern Saga 2 [1080][x264].mkv", {"episode": 2, "resolution": 1080}),
    ("[Grp] Lantern Saga 2 1080 [x264].mkv", {"episode": 2}),
])  # fmt: skip
# A file inside its series' folders (a batch torrent's or a library's
# listing): the file name says the episode, the folders the series and the
# season. A slash inside a title stays the title's.
_add("title", [
    ("Harbor Watch/Season 2/05 - The Lighthouse Keeper.mkv", {"title": "Harbor Watch", "episode": 5, "season": 2}),
    ("Harbor Watch/Harbor Watch - 07 [1080p].mkv", {"title": "Harbor Watch", "episode": 7}),
    ("[Grp] Harbor Watch (01-12) [1080p]/[Grp] Harbor Watch - 03 [1080p].mkv", {"title": "Harbor Watch", "episode": 3, "is_batch": False}),
    ("Lantern Road/S01/E04.mkv", {"title": "Lantern Road", "episode": 4, "season": 1}),
    ("Lantern Road\\Specials\\Lantern Road - SP2.mkv", {"title": "Lantern Road", "is_special": True}),
    ("[Grp] Gate/Keeper - 06 [720p].mkv", {"title": "Gate/Keeper", "episode": 6}),
])  # fmt: skip
# A range's last number may carry the release's version ("S04E29-31v2"): the
# range holds, and the version is read.
_add("multi", [
    ("[Grp] Harbor Lights S04E29-31v2 [1080p]", {"title": "Harbor Lights", "season": 4, "episode": 29, "episode_end": 31, "version": 2}),
    ("Harbor.Lights.S02E03-04v2.1080p.WEB.mkv", {"title": "Harbor Lights", "season": 2, "episode": 3, "episode_end": 4, "version": 2}),
])  # fmt: skip
# Another name in parentheses may be one hyphen-joined phrase ("(Rent-A-Alias)"):
# it is still a second name of the series, so both names are aliases.
_add("title", [
    ("[Kumo] Hoshizora Kissa (Star-Cafe-Days) - 05 [1080p].mkv", {"title": "Hoshizora Kissa (Star-Cafe-Days)", "episode": 5, "title_aliases": ("Hoshizora Kissa (Star-Cafe-Days)", "Hoshizora Kissa", "Star-Cafe-Days")}),
    ("[Grp] Tsuki no Michi (Moon-Road) - 11 (720p)", {"title": "Tsuki no Michi (Moon-Road)", "episode": 11, "title_aliases": ("Tsuki no Michi (Moon-Road)", "Tsuki no Michi", "Moon-Road")}),
])  # fmt: skip
# The other name may stand before the arc's name ("Romaji (English) - Arc"):
# the arc follows the series' name in either language, so the aliases are the
# title without the parenthesis and the other name. A one-word note stays.
_add("title", [
    ("[Grp] Kaze no Uta (Song of Wind) - Kouya-hen - S02E04 [1080p][HEVC x265 10bit][Multi-Subs] (Weekly)", {"title": "Kaze no Uta (Song of Wind) - Kouya-hen", "season": 2, "episode": 4, "title_aliases": ("Kaze no Uta (Song of Wind) - Kouya-hen", "Kaze no Uta - Kouya-hen", "Song of Wind")}),
    ("[Grp] Hoshi Matsuri (Star Festival Nights) - Natsu no Shou - 07 [1080p]", {"title": "Hoshi Matsuri (Star Festival Nights) - Natsu no Shou", "episode": 7, "title_aliases": ("Hoshi Matsuri (Star Festival Nights) - Natsu no Shou", "Hoshi Matsuri - Natsu no Shou", "Star Festival Nights")}),
    ("[Grp] Lantern Tales (Red) - Winter Arc - 05 [1080p]", {"title": "Lantern Tales (Red) - Winter Arc", "episode": 5, "title_aliases": ("Lantern Tales (Red) - Winter Arc",)}),
])  # fmt: skip
# Volumes of a set written "Vols. 1-3", or after a title that ends in a
# number ("Title 2 Vol.1-3"): a batch, no episode; the title keeps its number.
_add("multi", [
    ("[Grp] Amber Orchard Vols. 1-3 (BD 1080p)", {"title": "Amber Orchard", "episode": None, "is_batch": True}),
    ("[Grp] Amber Orchard 2 Vol.1-3 [BD 1080p]", {"title": "Amber Orchard 2", "episode": None, "is_batch": True}),
])  # fmt: skip
# "TVSP" is a TV special: after a title that ends in a number it is no episode.
_add("special", [
    ("[Grp] Amber Orchard 2 - TVSP [1080p].mkv", {"title": "Amber Orchard 2", "episode": None, "is_special": True}),
    ("[Grp] Silver Kettle - TVSP (BD 720p)", {"title": "Silver Kettle", "episode": None, "is_special": True}),
])  # fmt: skip
# "SS2" inside a title is its season ("Title SS2 - 05").
_add("title", [
    ("[Grp] Silver Kettle SS2 - 05 [1080p].mkv", {"title": "Silver Kettle", "season": 2, "episode": 5}),
    ("Silver Kettle SS3 - 12 (720p)", {"title": "Silver Kettle", "season": 3, "episode": 12}),
])  # fmt: skip
# "Title.the.Animation.5.1080p": the number after "the Animation" is the episode.
_add("fansub", [
    ("Copper.Lantern.the.Animation.5.1080p.WEB.x264.mkv", {"title": "Copper Lantern the Animation", "episode": 5}),
    ("Copper Lantern The Animation 12 [720p].mkv", {"title": "Copper Lantern The Animation", "episode": 12}),
])  # fmt: skip
# Bit depth written with a dot or a space ("10.bits", "10 bits") is no episode.
_add("no_episode", [
    ("Copper.Lantern.The.Movie.1080p.Dual.Audio.BDRip.10.bits.DD.x265-GRP", {"title": "Copper Lantern", "episode": None, "is_special": True}),
    ("Copper Lantern (BD 1080p 10 bits FLAC) [Grp]", {"title": "Copper Lantern", "episode": None}),
])  # fmt: skip
# A season ordinal in Portuguese or Spanish ("10º Temporada", "4ª Temporada").
_add("title", [
    ("Copper Lantern 10º Temporada - 215 ao 220 - [Grp]", {"title": "Copper Lantern", "season": 10, "episode": 215, "episode_end": 220}),
    ("Silver Kettle - 04ª Temporada 720p", {"title": "Silver Kettle", "season": 4, "episode": None}),
])  # fmt: skip
# An underscore after SxxEyy joins only the next episode ("S01E01_02"); other
# numbers after it ("S02E04_11_27", a time or a code) are no range.
_add("scene", [
    ("Lantern_Road_S02E04_11_27.mkv", {"title": "Lantern Road", "season": 2, "episode": 4, "episode_end": None}),
    ("Lantern_Road_S01E07_08.mkv", {"title": "Lantern Road", "season": 1, "episode": 7, "episode_end": 8}),
])  # fmt: skip
# A bare span of years ending a title ("Title 2010-2016 [Sezon 01-07]") is
# when the series aired, as it is in brackets ("(2024-2025)").
_add("title", [
    ("Harbor Lights 2011-2015 [Sezon 01-05] [1080p WEB-DL]", {"title": "Harbor Lights", "year": 2011, "season": 1, "episode": None}),
    ("Harbor Lights 2011-2015 S02 1080p WEB-DL", {"title": "Harbor Lights", "season": 2, "episode": None}),
])  # fmt: skip
# A library's sorting form of a title ("Boondocks, The") is read as written
# in speech ("The Boondocks"), so it matches the series' name.
_add("title", [
    ("Lighthouse Keepers, The - Seasons 1 + 2 [DVDRip]", {"title": "The Lighthouse Keepers", "season": 1, "episode": None}),
    ("Lighthouse Keepers, The - S01E03 - Fog.mkv", {"title": "The Lighthouse Keepers", "season": 1, "episode": 3}),
])  # fmt: skip
# A folder of a season's discs: a season ordinal or a one-digit number after
# the title, or "+ Special", then disc tags and no episode, is a season pack;
# a file or a disc number keeps its own reading.
_add("multi", [
    ("[Moth-Raws] Paper Moth - 2nd Season [BDRip 1080p HEVC FLAC]", {"title": "Paper Moth", "season": 2, "episode": None, "is_batch": True}),
    ("[Moth-Raws] Iron Orchard 3 [BDRip 1920x1080 HEVC FLAC]", {"title": "Iron Orchard", "season": 3, "episode": None, "is_batch": True}),
    ("[Grp] Glass Meridian + Special [BD][1080p][HEVC 10bit x265]", {"title": "Glass Meridian", "episode": None, "is_batch": True, "is_special": False}),
    ("[Grp] Glass Meridian + OVA (BDRip 1080p)", {"title": "Glass Meridian", "episode": None, "is_batch": True}),
    ("Iron Orchard 3 [BD 1080p].mkv", {"title": "Iron Orchard", "episode": 3, "is_batch": False}),
    ("[Moth-Raws] Iron Orchard 04 [BDRip 1080p]", {"title": "Iron Orchard", "episode": 4}),
    ("[Grp] Paper Moth 2nd Season Movie [BD 1080p]", {"title": "Paper Moth", "episode": None, "is_batch": False}),
    ("[Grp] Iron Orchard 2 (BD 1080p HEVC)", {"title": "Iron Orchard", "season": 2, "episode": None, "is_batch": True}),
    ("[Grp] 劇場版 Iron Orchard 2 [BD]", {"is_batch": False, "season": None}),
    # "+ Especial" (Portuguese, Spanish) with no disc tag: the series and its special, a pack
    ("[LuaFansub] Kimi to Boku no Sora + Especial [PT-BR]", {"title": "Kimi to Boku no Sora", "episode": None, "is_batch": True}),
    ("[Grp] Hana no Machi + Especiales [WEB-DL 1080p] [Español]", {"title": "Hana no Machi", "episode": None, "is_batch": True}),
])  # fmt: skip
# Scene names: "S04E40 - Ep.118" adds the series-wide number (no range);
# "Season 1 - 3 Complete" lists seasons; "Series 2 3of6" is season 2's part 3.
_add("scene", [
    ("Tidewater Crossing S04E40 - Ep.118.mkv", {"title": "Tidewater Crossing", "season": 4, "episode": 40, "episode_end": None, "absolute_episode": 118}),
    ("Tidewater Crossing Season 1 - 3 Complete DVDRip x264", {"title": "Tidewater Crossing", "season": 1, "episode": None, "is_batch": True}),
    ("Tidewater Crossing Season 1 - 03 [1080p]", {"title": "Tidewater Crossing", "season": 1, "episode": 3}),
    ("Tidewater Crossing Series 2 3of6 720p HDTV", {"title": "Tidewater Crossing", "season": 2, "episode": 3}),
])  # fmt: skip
# "Title - 0079 Name - 05 - Episode Name": the number after the first dash is
# the title's; a group glued after the episode of a side file; a season's
# numbered special ("- S02SP3") is no part of the title.
_add("fansub", [
    ("Clockwork Heron - 0079 Ash Meridian - 06 - The Long Night.mkv", {"title": "Clockwork Heron - 0079 Ash Meridian", "episode": 6}),
    ("Clockwork Heron - 07 - The Bridge - 2 - Aftermath.mkv", {"title": "Clockwork Heron", "episode": 7}),
    ("Clockwork Heron (2023) - 04Moonsubs.ass", {"title": "Clockwork Heron", "episode": 4}),
    ("Clockwork Heron (2023) - 11NightOwl.srt", {"title": "Clockwork Heron", "episode": 11}),
    ("[Grp] Clockwork Heron - S02SP3.mkv", {"title": "Clockwork Heron", "episode": 3, "is_special": True}),
])  # fmt: skip
# A bare 1080 in a name that writes no "1080p" is its frame height ("2019.1080..Dual"),
# not season 10 episode 80; a library file named "2.07 - Episode Name" is season 2 episode 7.
_add("no_episode", [
    ("Quiet.Orchard.Gaiden.2021.1080..Dual.Audio.BDRip.10.bits.DD.x265-GRP.mkv", {"title": "Quiet Orchard Gaiden", "episode": None, "season": None}),
])  # fmt: skip
_add("scene", [
    ("2.07 - The Lantern Keeper.mkv", {"season": 2, "episode": 7}),
    ("E:/TV/Quiet Orchard/Season 3/3.12 - Frost.mkv", {"title": "Quiet Orchard", "season": 3, "episode": 12}),
])  # fmt: skip
# CJK titles: an airing tag with a year ("2023年新番", "23年日剧") is no title;
# a subtitle's language suffix after the last bracket is none either; a Latin
# word glued to the CJK title that the romanised title repeats is the CJK
# title's own; a bracket between an airing tag and 第N話 is a bracket.
_add("cjk", [
    ("2023年新番 银色灯塔 第05话.mp4", {"title": "银色灯塔", "episode": 5}),
    ("【灯火字幕组】【23年日剧】【灯塔守望者】【07】【1080P】【中日双语】", {"title": "灯塔守望者", "episode": 7}),
    ("[LampSub][Paper Lantern][03][CHS].sc.ass", {"title": "Paper Lantern", "episode": 3}),
    ("【灯火字幕社】★07月新番 迷雾Lantern Kiri no Lantern 第03话 GB MP4 1080p.mp4", {"title": "Kiri no Lantern", "episode": 3, "title_aliases": ("Kiri no Lantern", "迷雾Lantern")}),
    ("【灯火字幕組】★七月新番【SILVER HARBOR 銀色港灣】第04話 BIG5 720P MP4", {"title": "SILVER HARBOR", "episode": 4}),
])  # fmt: skip
# A note ending a batch's title that holds its range ("(BD EP01-12+SP Fin)")
# is no part of the title; a note naming a cut ("(Broadcast Version)") or the
# series ("(Series)") leaves the title before it as an alias.
_add("title", [
    ("[Grp] 灯塔物语 / Lantern Keep II (BD REMUX EP01-13+SP Fin)", {"title": "Lantern Keep II", "episode": 1, "episode_end": 13}),
    ("[Grp]_Lantern_Keep_(Broadcast_Version)_[H.265_10bit]_[0A1B2C3D].mkv", {"title": "Lantern Keep (Broadcast Version)", "title_aliases": ("Lantern Keep (Broadcast Version)", "Lantern Keep")}),
    ("[Grp] Lantern Keep (Series) 2014 [BD][1080p] [Batch]", {"title_aliases": ("Lantern Keep (Series)", "Lantern Keep"), "is_batch": True}),
])  # fmt: skip
# A CJK title before its volumes ("灯塔 Vol.2-4"): the first volume is no part of the title.
_add("multi", [
    ("[Grp] 灯塔物语 Vol.2-4 [BDRip 1080p]", {"title": "灯塔物语", "episode": None, "is_batch": True}),
])  # fmt: skip
# A film numbered with a decimal sum ("2.0+1.11"): the whole number and the
# film's name after it are the title.
_add("no_episode", [
    ("[Grp] Lantern Keep 2.0+1.11 Across the Shore", {"title": "Lantern Keep 2.0+1.11 Across the Shore", "episode": None}),
])  # fmt: skip
# "Title 2 TVSP [1080p]" without a dash: the second season's TV special, as "Title 2 - TVSP".
_add("special", [
    ("[Grp] Brass Compass 2 TVSP (BD 720p)", {"title": "Brass Compass 2", "episode": None, "special_kind": "special"}),
])  # fmt: skip
# A scene name's "Exx" marker names the episode; a "Part.N" after it is part of the episode's title.
_add("scene", [
    ("Copper.Gate.(2022).E31.La.Torre.del.Rellotge.Part.2.WEBRip.x264-GRP", {"title": "Copper Gate", "episode": 31}),
])  # fmt: skip
# One video file holding two or more volumes of an OVA ("Title Vol.2-4 (BD).mkv"):
# those volumes are its episodes, as the single "Vol.3 (BD).mkv" is episode 3.
_add("multi", [
    ("[Grp] Starlit Harbor Unicorn Vol.2-4 (BD H264 1280x720 AAC).mkv", {"title": "Starlit Harbor Unicorn", "episode": 2, "episode_end": 4, "is_batch": True}),
    ("[Grp] Lantern Keep - Kita no Shiro Vol.1-2 [DVDrip 848x480 x264 FLAC].mkv", {"title": "Lantern Keep - Kita no Shiro", "episode": 1, "episode_end": 2, "is_batch": True}),
])  # fmt: skip
# "Title 0 [BD]": the 0 that is no episode stays in the title, as in "Title 0 - 05".
_add("title", [
    ("[Grp] Ember;Gate 0 [BDRip 1920x1080 HEVC FLAC]", {"title": "Ember;Gate 0", "episode": None}),
    ("[Grp] Copper Sorcery 0 (2021) [BD 1080p].mkv", {"title": "Copper Sorcery 0", "episode": None}),
])  # fmt: skip
# A kind word after a word that cannot end a title ("Life Is Movie") is the title's last word.
_add("title", [
    ("[Grp] Hoshizora Neko - Life Is Movie [AMZN WEB-DL 1080p AVC E-AC3]", {"title": "Hoshizora Neko - Life Is Movie", "episode": None}),
])  # fmt: skip
# A kind word ending the first of two names ("Title OVA \ English Title"): the kind, not the title's.
_add("special", [
    ("[Grp] Kanata no Tomoshibi. Owari: Soshite, Hikari wa Tsuzuku. OVA \\ Lights Beyond: Last Ember (Kanata 3) [BDRip 1920x1080 HEVC FLAC]", {"title": "Kanata no Tomoshibi. Owari: Soshite, Hikari wa Tsuzuku", "episode": None, "is_special": True}),
])  # fmt: skip
# "Ma10p" names a Blu-ray encode as "BDRip" does: with a season marker and no episode, a season's discs.
_add("multi", [
    ("[Grp-Studio] Kagerou Yashiki 2nd Season [Ma10p_1080p]", {"title": "Kagerou Yashiki", "season": 2, "episode": None, "is_batch": True}),
    ("[Grp-Studio] Kagerou Yashiki 3 [Ma10p_1080p]", {"title": "Kagerou Yashiki", "season": 3, "episode": None, "is_batch": True}),
])  # fmt: skip
# A dub note after the Latin name of a two-script name ("… / Title 2 (JP Dub) - 12") is no part of the title.
_add("cjk", [
    ("[Grp] 灯塔物语 第二季 （日配版） / Lantern Keep 2 (JP Dub) - 12 (ABEMA 1920x1080 AVC AAC MP4)", {"title": "Lantern Keep 2", "episode": 12}),
])  # fmt: skip
# A parenthesised alias ending in a full stop ("Title. (Alias.)"): both names are aliases.
_add("title", [
    ("[Grp] Hoshi no Uta wa. (Song of Stars.) [BD 2160p 4K UHD][HEVC x265 10bit][Dual-Audio].mkv", {"title_aliases": ("Hoshi no Uta wa. (Song of Stars )", "Hoshi no Uta wa", "Song of Stars"), "episode": None}),
])  # fmt: skip
# Discs noted "TV" ("Title (TV) [BD]"): the series' set (a film is never noted TV); without the note
# the same shape may be a film's disc and stays one release.
_add("multi", [
    ("[Grp] Amber Lantern (TV) [BD 1080p]", {"title": "Amber Lantern", "episode": None, "is_batch": True}),
    ("[Grp] Amber Lantern (2018) [BDRip 1920x1080 HEVC FLAC] [TV]", {"title": "Amber Lantern", "episode": None, "is_batch": True}),
    ("[Grp] Amber Lantern (2018) [BDRip 1920x1080 HEVC FLAC]", {"title": "Amber Lantern", "episode": None, "is_batch": False}),
    ("[Grp] Amber Lantern - 05 (TV) [BD 1080p].mkv", {"title": "Amber Lantern", "episode": 5, "is_batch": False}),
])  # fmt: skip
# Audio tracks counted after their channels ("FLAC 2.0x2") are no "0x2" episode.
_add("fansub", [
    ("[Kiln] Harbor Lanterns - 07 (BD 1080p FLAC 2.0x2).mkv", {"title": "Harbor Lanterns", "episode": 7, "season": None}),
])  # fmt: skip
_add("no_episode", [
    ("Quiet Orchard Tales (BDRip 1080p HEVC OPUS 2.0x2)", {"title": "Quiet Orchard Tales", "episode": None, "season": None}),
])  # fmt: skip
# A four-digit range in parentheses before the seasons it spans: the episodes
# are the range, never the seasons' "1-18".
_add("multi", [
    ("[Moss] Tidewater Saga (001-1040) (Season 1-18) [1080p][HEVC x265 10bit]", {"title": "Tidewater Saga", "episode": 1, "episode_end": 1040, "is_batch": True}),
])  # fmt: skip
# A file whose title starts with its folder's name is a spin-off kept in the
# series' folder; a title's own slash ("Iron/Bloom") stays the title.
_add("title", [
    ("Velvet Harbor/Velvet Harbor Academy S01E03.mkv", {"title": "Velvet Harbor Academy", "season": 1, "episode": 3}),
    ("Iron/Bloom - 04.mkv", {"title": "Iron/Bloom", "episode": 4}),
])  # fmt: skip
# A raw recorded from a TV channel ("(BS11 1920x1080 …)") naming no episode
# and no file is the season's set; with an episode it stays that episode.
_add("multi", [
    ("[Lark-Raws] Cinder Lighthouse (BS11 1920x1080 x264 AAC)", {"title": "Cinder Lighthouse", "episode": None, "is_batch": True}),
    ("[Lark-Raws] Cinder Lighthouse II (AT-X 1280x720 x264 AAC)", {"title": "Cinder Lighthouse II", "episode": None, "is_batch": True}),
    ("[Lark-Raws] Cinder Lighthouse - 05 (AT-X 1280x720 x264 AAC).mp4", {"title": "Cinder Lighthouse", "episode": 5, "is_batch": False}),
])  # fmt: skip
# A set that counts its episodes ("[全10集]", "[13集全合集]", "[全36話]") and
# numbers none holds episodes 1 to that count; an episode it names stays that one.
_add("multi", [
    ("[某搬运组][星尘旅人 Stardust Wanderers 第二季][全10集][英語無字][MKV][720P][WEB-RAW]", {"title": "Stardust Wanderers", "season": 2, "episode": 1, "episode_end": 10, "is_batch": True}),
    ("[某字幕组] 海风物语 Seabreeze Tales [13集全合集][简体双语][1080p]", {"title": "Seabreeze Tales", "episode": 1, "episode_end": 13, "is_batch": True}),
    ("[某搬运][雾港奇谭][GB][全36話][1080P][MP4]", {"title": "雾港奇谭", "episode": 1, "episode_end": 36, "is_batch": True}),
    ("[某字幕组][雾港奇谭][05][全12集][1080P]", {"title": "雾港奇谭", "episode": 5, "episode_end": None}),
    ("[某字幕组][雾港奇谭][全集][1080P]", {"title": "雾港奇谭", "episode": None, "is_batch": True}),
])  # fmt: skip
# A bare number after a title word that the name also writes as its season
# ("Title 2 Alias Season 2", "Title Season 2 (BD) | Alias 2") is that season's
# pack; an episode written apart ("Season 2 - 2") stays the episode.
_add("multi", [
    ("[Kestrel] Ember Tide 2 エンバータイド Season 2 [BDRip 1080p x265 FLAC]", {"title": "Ember Tide 2", "title_aliases": ("Ember Tide 2", "エンバータイド", "Ember Tide 2 エンバータイド"), "season": 2, "episode": None, "is_batch": True}),
    ("[Kestrel] Iron Lantern Season 3 (BD 1080p x264 Opus) [Dual Audio] | Tetsu no Chouchin 3", {"title": "Iron Lantern", "season": 3, "episode": None, "is_batch": True}),
    ("[Kestrel] Iron Lantern Season 3 - 3 [1080p]", {"title": "Iron Lantern", "season": 3, "episode": 3}),
])  # fmt: skip
# "[正片01-24+番外01-02]": the main episodes (正片) and the extras (番外); a
# bracket naming only the edition ("[普通版]") is no title.
_add("multi", [
    ("[雾岛猫记/The Tale of Misty Cat][正片01-24+番外01-02][简体][网盘][普通版]", {"title": "The Tale of Misty Cat", "episode": 1, "episode_end": 24, "is_batch": True}),
    ("[某组][雾岛猫记][正片01-24][1080P]", {"title": "雾岛猫记", "episode": 1, "episode_end": 24, "is_batch": True}),
])  # fmt: skip
# Set words a title keeps after anitopy: a remux's source ("Movies BDRemux"),
# "2012 Season Collection" (the season's set), "(TV Series 2006-2007)" (the
# series named with the years it ran: the whole series, its first year).
_add("no_episode", [
    ("{Kestrel Den} Lumen Parade!-Chapter Of Vesper Movies BDRemux", {"title": "Lumen Parade!-Chapter Of Vesper Movies", "episode": None}),
    ("Hoshikage Gakuen 2014 Season Collection 1080p BluRay x264 10bit FLAC-Kestrel", {"title": "Hoshikage Gakuen", "year": 2014, "episode": None, "is_batch": True}),
    ("Pale Orchard (TV Series 2011-2012)", {"title": "Pale Orchard", "year": 2011, "episode": None, "is_batch": True}),
    ("Pale Orchard (2011-2012)", {"title": "Pale Orchard", "year": 2011, "episode": None, "is_batch": False}),
])  # fmt: skip
# Han numerals number an episode as digits do ("第十七话", "第三十话"); "11集"
# after a space is an episode as "11话" is ("24集全" still counts a set).
_add("cjk", [
    ("[某字幕组] 雪原灯火 第十七话 [1080p][简繁内封]", {"title": "雪原灯火", "episode": 17}),
    ("雪原灯火 第九集 720p", {"title": "雪原灯火", "episode": 9}),
    ("【某字幕社】雪原灯火 第二季 第三十话 GB 1080P MP4", {"title": "雪原灯火", "season": 2, "episode": 30}),
    ("雪原灯火 11集.mkv", {"title": "雪原灯火", "episode": 11}),
    ("雪原灯火 24集全 1080P", {"title": "雪原灯火", "episode": 1, "episode_end": 24, "is_batch": True}),
])  # fmt: skip
# A year after a loose CJK title, tags after it, is the film's year, no episode.
_add("no_episode", [
    ("灯塔之夜 2016 1080p BluRay", {"title": "灯塔之夜", "episode": None, "year": 2016}),
    ("雪国の灯 Snow Lantern 2019 1080p BluRay x264", {"title": "Snow Lantern", "episode": None, "year": 2019}),
])  # fmt: skip
# "剧场版"/"劇場版" ending a CJK title is the kind of release, as "Title - Movie" is.
_add("no_episode", [
    ("雪原灯火 - 北方的约定 剧场版.mkv", {"title": "雪原灯火 - 北方的约定", "special_kind": "movie", "episode": None}),
    ("[某组] 灯塔之夜 劇場版 [1080p]", {"title": "灯塔之夜", "special_kind": "movie", "episode": None}),
])  # fmt: skip
# A CJK title whose own Latin subtitle sits between dashes ("乙女-light
# keepers-"), then the romanised title: the romanised one is the title.
_add("cjk", [
    ("【某字幕組】【4月新番】【灯塔少女 乙女-light keepers- Toudai Shoujo Light Keepers】【05】【GB_MP4】【1280X720】", {"title": "Toudai Shoujo Light Keepers", "episode": 5}),
    ("[某组] 港湾日和 -harbor days- Minato Biyori - 07 [1080p]", {"title": "Minato Biyori", "episode": 7}),
])  # fmt: skip
# One lower-case-led Latin word after a CJK title ("先导者 will+Dress") is
# the title's own word, as "龙珠GT" is, not a romanised alias.
_add("cjk", [
    ("[某组] 灯塔战斗!! 守望者 sky+Lamp 第二季 - 04 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"title": "灯塔战斗!! 守望者 sky+Lamp", "season": 2, "episode": 4}),
])  # fmt: skip
# "- 14(OVA2)": the episode, then in parentheses which special it is.
_add("special", [
    ("[某搬运组] 灯塔下的猫 / Toudai no Neko - 13(OAD1) [1080P][简繁日外挂]", {"title": "Toudai no Neko", "episode": 13}),
])  # fmt: skip
# A Chinese site's name: the CJK title and its brackets, then the scene name
# ("….Lighthouse.Watch.S02.2160p…"), whose Latin title is the title.
_add("multi", [
    ("【某剧集网发布 www.example.com】灯塔守望.第二季[全8集][简繁英字幕].Lighthouse.Watch.S02.2160p.WEB-DL.H.265-SomeTV", {"title": "Lighthouse Watch", "season": 2, "episode": 1, "episode_end": 8, "is_batch": True}),
    ("雾港奇谭[全12集][国语配音+中文字幕].Harbor.Tales.2021.1080p.WEB-DL.H264-SomeTV", {"title": "Harbor Tales", "episode": 1, "episode_end": 12}),
    ("灯塔守望 第三季[第01-06集][简繁英字幕].Lighthouse.Watch.S03.2019.1080p.WEB-DL-SomeTV", {"title": "Lighthouse Watch", "season": 3, "episode": 1, "episode_end": 6}),
])  # fmt: skip
# "English - 中文" (ANi) where the CJK name opens with a Latin word
# ("RPG 灯塔日和", "SPY×FAMILY 間諜家家酒"): the English name ends at the dash.
_add("cjk", [
    ("[ANi] Lantern Days - RPG 灯塔日和 - 04 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"title": "Lantern Days", "episode": 4}),
    ("[ANi] Harbor Family - HARBOR×FAMILY 港灣家家酒 - 05 [1080P][Baha][WEB-DL][AAC AVC][CHT][MP4]", {"title": "Harbor Family", "episode": 5}),
])  # fmt: skip
# Loose CJK names glued to the group's bracket, then the Latin name in a
# bracket of its own: the Latin one is the title, the CJK ones its aliases.
_add("cjk", [
    ("【某联盟】灯塔守望/灯塔守护者[Lighthouse Keeper][12][1080p][繁日字幕]", {"title": "Lighthouse Keeper", "episode": 12}),
])  # fmt: skip
# After set 14's held-out half was scored (seen): "剧场版 (2019)" ends a CJK
# title with the film's year after it; a name in ★-separated fields (no
# brackets) reads as brackets; "第03&04&05话" and a bare "1-26话" are ranges;
# a bracket holding only "全" (all) marks the whole set.
_add("no_episode", [
    ("灯塔守望 剧场版 (2021).mkv", {"title": "灯塔守望", "special_kind": "movie", "year": 2021, "episode": None}),
])  # fmt: skip
_add("cjk", [
    ("某某字幕组★灯塔守望的日常 Toudai Mamori no Nichijou★07★1920x1080★AVC AAC MP4★繁体中文", {"title": "Toudai Mamori no Nichijou", "episode": 7}),
])  # fmt: skip
_add("multi", [
    ("【某字幕组】★4月新番【灯塔家族2_Toudai Kazoku 2】【第06&07&08话】[GB][720P][MP4]", {"episode": 6, "episode_end": 8, "is_batch": True}),
    ("灯塔一家  Lantern Family (1988) 1-24话  全集", {"episode": 1, "episode_end": 24, "is_batch": True}),
    ("【某字幕社】[七月新番][Toumori][灯守物语][全][GB][720p_MP4]", {"title": "Toumori", "episode": None, "is_batch": True}),
])  # fmt: skip
# A season number ending the CJK name parts it from the Latin one
# ("灯塔家族 2 Toudai Kazoku 2", "灯塔物语 S2_Lantern Tale S2", "灯塔大作战S3 Lamp War III").
_add("cjk", [
    ("【某字幕組】【4月新番】【灯塔家族 2 Toudai Kazoku 2】【05】【BIG5_MP4】【1280X720】", {"title": "Toudai Kazoku 2", "episode": 5}),
    ("【某字幕社】[灯塔物语 微光 S2_Lantern Tale - Bikou! S2][03][x264 1080p][CHT]", {"title": "Lantern Tale - Bikou!", "season": 2, "episode": 3}),
    ("[某发布组] 灯塔大作战S3 Lamp War III [10] [1080p] [简中内封] [2022年4月番]", {"title": "Lamp War III", "season": 3, "episode": 10}),
])  # fmt: skip
# An extra numbered apart from its marker: "[PV][02]" (two brackets), " - NCOP
# 12b", " - Opening 03 - Song", " ED 004 Song": no episode. An episode that a
# marker merely follows ("- 04 - ED") keeps its number.
_add("special", [
    ("[某组][星河列车][PV][02][1080P][BDRip][HEVC-10bit][FLAC].mkv", {"title": "星河列车", "episode": None, "special_kind": "preview"}),
    ("[Grp][Harbor Lights][Menu][04][1080P][BDRip][HEVC-10bit][FLAC].mkv", {"title": "Harbor Lights", "episode": None, "special_kind": "extra"}),
    ("Lantern Tales - NCOP 12b.mkv", {"title": "Lantern Tales", "episode": None, "special_kind": "opening"}),
    ("Lantern Tales - Opening 03 - Paper Moon - Some Singer [Grp][A1B2C3D4].mp4", {"title": "Lantern Tales", "episode": None, "special_kind": "opening"}),
    ("[Grp] Lantern Tales ED 004 Paper Moon.mkv", {"title": "Lantern Tales", "episode": None, "special_kind": "ending"}),
    ("[Grp] Lantern Tales - 04 - ED [1080p].mkv", {"title": "Lantern Tales", "episode": 4}),
    ("[Grp] Opening Night - 07 [1080p].mkv", {"title": "Opening Night", "episode": 7}),
])  # fmt: skip
# Russian trackers' season word, before or after its number: "[Сезон 2]",
# "2 сезон" (and "Сезон 2"). A season without an episode is its pack.
_add("title", [
    ("Светлячки (2021) [Сезон 2] 5 серия 1080p", {"title": "Светлячки", "season": 2, "episode": 5}),
    ("Светлячки 2 сезон 1-6 серии 1080p", {"title": "Светлячки", "season": 2, "episode": 1, "episode_end": 6}),
    ("Светлячки 4 сезон 1080p", {"title": "Светлячки", "season": 4, "episode": None, "is_batch": True}),
    ("Светлячки Сезон 3 WEB-DL 720p", {"title": "Светлячки", "season": 3, "episode": None, "is_batch": True}),
])  # fmt: skip
# A Russian tracker's range with its total ("из 1100") or an unknown one ("из
# XXXX", "из ??": the series still airs).
_add("multi", [
    ("Ловцы ветра / Wind Catchers [TV] [1-1050 из XXXX] [2001]", {"title": "Wind Catchers", "episode": 1, "episode_end": 1050, "is_batch": True}),
    ("Ловцы ветра / Wind Catchers [TV] [1-1050 из 1100] [2001]", {"title": "Wind Catchers", "episode": 1, "episode_end": 1050, "is_batch": True}),
    ("Ловцы ветра / Wind Catchers [TV] [1-9 из ??] [2025, WEB-DL] [1080p]", {"title": "Wind Catchers", "episode": 1, "episode_end": 9, "is_batch": True}),
])  # fmt: skip
# The Russian "эпизод" (episode) like "серия": "5 эпизод", "эпизоды 1-12".
_add("title", [
    ("Лесные истории эпизоды 1-12 (2023)", {"title": "Лесные истории", "episode": 1, "episode_end": 12}),
    ("Лесные истории 5 эпизод 1080p", {"title": "Лесные истории", "episode": 5}),
])  # fmt: skip
# "Title the Movie 03 - Its Title": the series' third film, its title after a dash.
_add("no_episode", [
    ("[Grp] Copper Lantern the Movie 03 - The Long Night [480p].mkv", {"title": "Copper Lantern", "episode": None, "is_special": True}),
])  # fmt: skip
# "[Title][BDRip][1080p][x264_FLAC]": a film named in its first bracket, nothing
# but tags after it (no group: the bracket is the title).
_add("no_episode", [
    ("[Lanternfall][BDRIP][1440x1080][H264_FLAC].mkv", {"title": "Lanternfall", "episode": None}),
])  # fmt: skip
# An extra's file inside its series' folders ("Show/Season 01/extras/[Grp] Show
# - NCOP 02 (BD).mkv") is that extra, not the season's pack.
_add("special", [
    ("Harbor Lights/Season 01/extras/[Grp] Harbor Lights - NCOP 02 (BD 1920x1080 HEVC FLAC).mkv", {"title": "Harbor Lights", "episode": None, "is_batch": False, "special_kind": "opening"}),
    ("Harbor Lights/Season 01/extras/[Grp] Harbor Lights - NCED (BD 1920x1080 HEVC FLAC).mkv", {"title": "Harbor Lights", "episode": None, "is_batch": False, "special_kind": "ending"}),
])  # fmt: skip
# "Clean OP", "Creditless ED": the opening without credits; the word is the
# extra's, not the title's.
_add("special", [
    ("[Grp] Harbor Lights Clean ED [BD][1080p][AAC].mp4", {"title": "Harbor Lights", "episode": None, "special_kind": "ending"}),
    ("[Grp] Harbor Lights Creditless OP [BD][1080p][AAC].mp4", {"title": "Harbor Lights", "episode": None, "special_kind": "opening"}),
])  # fmt: skip
# Read after the held-out scoring (seen): a video file named with its number
# alone is that episode ("05.mkv" already was; "214.mp4" too, not a resolution
# nor a year); an extra named with a word before its marker ("[Game OP1]").
_add("fansub", [
    ("214.mp4", {"episode": 214}),
    ("Harbor Lights/214.mkv", {"title": "Harbor Lights", "episode": 214}),
    ("1080.mkv", {"episode": None}),
])  # fmt: skip
_add("special", [
    ("[某组][星河列车][Game OP1][1080P][BDRip][HEVC-10bit][FLAC].mkv", {"title": "星河列车", "episode": None, "special_kind": "opening"}),
    ("[某组][星河列车][Web Preview 02][1080P][BDRip][HEVC-10bit][FLAC].mkv", {"title": "星河列车", "episode": None, "special_kind": "preview"}),
])  # fmt: skip
# A season's or a cour's zero-padded number before " - 07" is no range's
# start ("Season 02 - 07" is episode 7 of season 2, not episodes 2-7).
_add("multi", [
    ("[Moth] Paper Lantern Season 02 - 07 (1080p)", {"title": "Paper Lantern", "season": 2, "episode": 7, "episode_end": None, "is_batch": False}),
    ("[Moth] Paper Lantern Cour 02 - 09 [1080p]", {"title": "Paper Lantern", "episode": 9, "episode_end": None, "is_batch": False}),
])  # fmt: skip
# An episode written with its marker first ("E05") keeps it when its title
# holds a count ("3-4-5 Lift Off!") ending on the same number.
_add("multi", [
    ("Kestrel Cove E05 - 3-4-5 Lift Off!", {"title": "Kestrel Cove", "episode": 5, "episode_end": None, "is_batch": False}),
])  # fmt: skip
# A bracketed range with the season's count after it: "[1101-1125 из 1000+]",
# "[01-09 of 12]" (the episodes a tracker's upload holds so far).
_add("multi", [
    ("Лисий остров / Kitsune Jima [TV] [1101-1125 из 1000+] [RUS(ext)] [1080p]", {"title": "Kitsune Jima", "episode": 1101, "episode_end": 1125, "is_batch": True}),
    ("Kitsune Jima [TV] [01-09 of 12] [1080p]", {"title": "Kitsune Jima", "episode": 1, "episode_end": 9, "is_batch": True}),
])  # fmt: skip
# The Czech and Slovak season ("3. série", "2. řada", "2.serie") and
# "komplet" (the whole season).
_add("multi", [
    ("Lantern Bay 3. série komplet", {"title": "Lantern Bay", "season": 3, "episode": None, "is_batch": True}),
    ("Lantern Bay 2. řada", {"title": "Lantern Bay", "season": 2, "episode": None}),
    ("Lantern Bay 2.serie dil 4.mkv", {"title": "Lantern Bay", "season": 2, "episode": 4, "is_batch": False}),
])  # fmt: skip
# "Title.The.Complete.Series": the article goes with the batch word.
_add("multi", [
    ("Copper.Kettle.The.Complete.Series.Season.3.DVDRip.XviD-NOVA", {"title": "Copper Kettle", "season": 3, "episode": None, "is_batch": True}),
    ("Copper Kettle The Complete Series 720p", {"title": "Copper Kettle", "episode": None, "is_batch": True}),
])  # fmt: skip
# "Episodes 4-9" before the season's marker: the range of that season.
_add("multi", [
    ("Copper.Kettle.Episodes.4-9.Season.2.DVDRip", {"title": "Copper Kettle", "season": 2, "episode": 4, "episode_end": 9, "is_batch": True}),
])  # fmt: skip
# A range glued to its "Fin" ("01-24Fin") before the tags.
_add("multi", [
    ("[Grp] Lantern Harbor 01-24Fin [720p]", {"title": "Lantern Harbor", "episode": 1, "episode_end": 24, "is_batch": True}),
])  # fmt: skip
# An episode written between dashes (" - 05 - ") keeps it when its title
# holds a count ending on the same number.
_add("multi", [
    ("Kestrel Cove - 05 - 3-4-5 Lift Off!", {"title": "Kestrel Cove", "episode": 5, "episode_end": None, "is_batch": False}),
])  # fmt: skip
# A tracker's "[3 из 12]" ("episode 3 of 12") names the episode, over the
# number ending an alias before it ("Title 2 [TV]").
_add("multi", [
    ("Лисья нора (ТВ-2) / Kitsune no Ana 2nd Season / Лисья нора 2 [TV] [1 из 12] [RUS(int)] [1080p]", {"title": "Kitsune no Ana", "season": 2, "episode": 1, "episode_end": None, "is_batch": False}),
    ("Kitsune no Ana 2 [TV] [3 из 12] [1080p]", {"episode": 3, "episode_end": None, "is_batch": False}),
])  # fmt: skip
# "[全]" alone: the whole series.
_add("multi", [
    ("【某字幕组】[雾港奇谭][全][GB][720p_MP4]", {"title": "雾港奇谭", "title_aliases": ("雾港奇谭",), "episode": None, "is_batch": True}),
])  # fmt: skip
# A series folder whose name ends in a number ("Harbor Watch 100/003 - ….mkv"):
# the file says the episode, so the folder's number is its title's.
_add("title", [
    ("Harbor Watch 100/003 - The Long Night.mkv", {"title": "Harbor Watch 100", "episode": 3, "episode_end": None}),
])  # fmt: skip
# A range before a season pack's marker ("Title 201-224 S01") is the pack's
# episodes, not a number of the title ("Reno.911.S01").
_add("multi", [
    ("[Grp] Harbor Lights 201-224 S01 [1080p]", {"title": "Harbor Lights", "episode": 201, "episode_end": 224, "is_batch": True}),
    ("[Grp]Harbor Lights_-_201~224 S01 [HD][1280X720]", {"title": "Harbor Lights", "episode": 201, "episode_end": 224, "is_batch": True}),
])  # fmt: skip
# "Episode 301 - 312": a spaced range after an episode word, unpadded.
_add("multi", [
    ("Harbor Lights Episode 301 - 312 [English Dub][720p]", {"title": "Harbor Lights", "episode": 301, "episode_end": 312, "is_batch": True}),
])  # fmt: skip
# "1ª a 5ª Temporada": a Portuguese or Spanish span of seasons, a pack from
# its first season (the title keeps none of it).
_add("multi", [
    ("Lantern Hill 1ª a 5ª Temporada Completa [1080p] [WEB-DL]", {"title": "Lantern Hill", "season": 1, "episode": None, "is_batch": True}),
    ("Lantern Hill 2ª a 4ª Temporada [720p] [DUAL]", {"title": "Lantern Hill", "season": 2, "episode": None, "is_batch": True}),
])  # fmt: skip
# Audio channels written with a space ("DTS-HD MA 5 1", "AAC 2 0") are no
# episode of a season pack.
_add("multi", [
    ("Orchard Lane S03 REPACK 1080p BluRay REMUX AVC DTS-HD MA 5 1-GRP", {"title": "Orchard Lane", "season": 3, "episode": None, "is_batch": True}),
    ("Orchard Lane S01 2160p WEB-DL TrueHD Atmos 7 1 H 265-GRP", {"title": "Orchard Lane", "season": 1, "episode": None, "is_batch": True}),
])  # fmt: skip
# "10x17&18": a double episode joined by "&" after the 1x05 form.
_add("multi", [
    ("Orchard Lane 10x17&18 - The Long Goodbye.avi", {"title": "Orchard Lane", "season": 10, "episode": 17, "episode_end": 18, "is_batch": True}),
    ("Orchard Lane 4x09 & 10 - Two Parts.avi", {"title": "Orchard Lane", "season": 4, "episode": 9, "episode_end": 10, "is_batch": True}),
])  # fmt: skip
# A Cyrillic "х" typed for the Latin one in "3х01" (Russian keyboards).
_add("scene", [
    ("Orchard Lane 3х01 My First Day.avi", {"title": "Orchard Lane", "season": 3, "episode": 1, "episode_end": None}),
])  # fmt: skip
# "2x2" beside a TV rip ("IPTVRip.2x2", "2x2.SATRip") is the channel it was
# recorded from (a Russian anime channel), not season 2, episode 2.
_add("fansub", [
    ("Harbor.Lights.014.SATRip.2x2.XviD.Rus.avi", {"title": "Harbor Lights", "episode": 14, "season": None}),
    ("Harbor Lights 015 2x2 TVRip [RUS].avi", {"title": "Harbor Lights", "episode": 15, "season": None}),
])  # fmt: skip
# "Season 1 - 5 1080p Complete": a spaced span of seasons, the batch word
# after the tags.
_add("multi", [
    ("[Grp] Willow Creek Season 1 - 4 1080p Complete", {"title": "Willow Creek", "season": 1, "episode": None, "is_batch": True}),
    ("Willow Creek Season 2 - 3 [720p] (Batch)", {"title": "Willow Creek", "season": 2, "episode": None, "is_batch": True}),
])  # fmt: skip
# A Russian tracker's count note between the title and its alias
# ("Title (1-8 серии из 8) / Alias / 2024 / …"): the alias still names it.
_add("title", [
    ("Лисья тропа (1-10 серии из 10) / Fox Trail / 2023 / ПМ (Студия) / WEB-DLRip (1080p)", {"title": "Fox Trail", "title_aliases": ("Fox Trail", "Лисья тропа"), "episode": 1, "episode_end": 10, "is_batch": True}),
    ("Лисья тропа (2 сезон: 1-12 серии из 12) / Fox Trail (2022) BDRip 1080p | Студия", {"title": "Fox Trail", "episode": 1, "episode_end": 12, "is_batch": True}),
])  # fmt: skip
# The same with a season note: "Title (S2) / Alias [TV] [1-12 из 12]".
_add("title", [
    ("Лисья тропа (S2) / Fox Trail 2 [TV] [1-12 из 12] [WEB-DL 1080p]", {"title": "Fox Trail", "title_aliases": ("Fox Trail", "Лисья тропа"), "season": 2, "episode": 1, "episode_end": 12, "is_batch": True}),
])  # fmt: skip
# A bracket the episode marker cut open ("Title [HDTV][Cap.2x05]", "Title
# (ТВ-2): …") leaves no "[Cap" or "(" ending the title.
_add("title", [
    ("Sombra Roja [HDTV][Cap.2x05][Castellano]", {"title": "Sombra Roja", "season": 2, "episode": 5}),
    ("Лисья нора (ТВ-2): Подзаголовок | Fox Hollow Season 2 [TV] [1-7 из 13]", {"title": "Лисья нора", "season": 2, "episode": 1, "episode_end": 7}),
])  # fmt: skip
# "IPTVRip", "SATRip": TV rips' source tags, no part of a title.
_add("no_episode", [
    ("Harbor.Lights.IPTVRip.XviD-GRP", {"title": "Harbor Lights", "episode": None}),
    ("Harbor Lights SATRip 720p", {"title": "Harbor Lights", "episode": None}),
])  # fmt: skip
# A season's number also written in the audio channels ("Temporada 1 …
# [DTS 5.1]") is still the season, not episode 1.
_add("multi", [
    ("Lantern Hill Temporada 1 [BDremux 1080p][DTS 5.1 Castellano]", {"title": "Lantern Hill", "season": 1, "episode": None, "is_batch": True}),
])  # fmt: skip
# Russian seasons: "2 сезон", and a tracker's "Сезон: 1-3 / Серии: 1-24 из 24"
# (the seasons, then the episodes).
_add("multi", [
    ("Тихая гавань 2 сезон (2021) WEB-DL 1080p", {"title": "Тихая гавань", "season": 2, "episode": None, "is_batch": True}),
    ("Тихая гавань / Quiet Harbor / Сезон: 1-3 / Серии: 1-24 из 24 [2019-2021, WEB-DL 1080p]", {"title": "Quiet Harbor", "season": 1, "episode": 1, "episode_end": 24, "is_batch": True}),
    ("Тихая гавань / Quiet Harbor / Сезон: 2 / Серии: 1-5 из 10 [2022, WEB-DL]", {"title": "Quiet Harbor", "season": 2, "episode": 1, "episode_end": 5, "is_batch": True}),
])  # fmt: skip
# French "Intégrale" and Spanish/Portuguese "Temporadas Completas": the whole
# series; "Temporada-2" a season glued by a hyphen; "1-3 temporada" a span of
# seasons written before the word.
_add("multi", [
    ("Copper Road (Integrale) MULTi 1080p HDTV", {"title": "Copper Road", "episode": None, "is_batch": True}),
    ("Copper Road - Temporadas Completas (1080p)", {"title": "Copper Road", "episode": None, "is_batch": True}),
    ("Copper Road Temporada-2 Completa 720p", {"title": "Copper Road", "season": 2, "episode": None, "is_batch": True}),
    ("copper road 1-3 temporada sub-español", {"title": "copper road", "season": 1, "episode": None, "is_batch": True}),
])  # fmt: skip
# Titles: a note "(S1E1-10 of 10)" between a title and its alias; "Season
# Pack" before the seasons; a resolution and container left before a scene
# marker ("Title (2011) 1080p MKV S01E01").
_add("title", [
    ("Лисья тропа (S1E1-10 of 10) / Fox Trail (2020) WEB-DL-1080p", {"title": "Fox Trail", "season": 1, "episode": 1, "episode_end": 10}),
    ("Copper Road Season Pack S01 to S05 720p English x264", {"title": "Copper Road", "season": 1, "episode": None, "is_batch": True}),
    ("Copper Road (2015) 1080p MKV S02E03 Eng Subs GRP", {"title": "Copper Road", "season": 2, "episode": 3}),
])  # fmt: skip
# Set 19 (multi-episode names in other languages): a range after an episode
# word written with an en dash ("Episode 1 – 12 (End)"); the Spanish "Temp. 2
# Capitulos 1 al 6"; a bracket listing consecutive episodes with spaces
# ("[21 22 23]"); "(Full 4 Seasons)", a count of seasons, is the whole series;
# the dotted temporada letter alone ("Title.T02.2019.720p") is a season pack.
_add("multi", [
    ("Kaze Lantern Sub Indo : Episode 1 – 13 (End)", {"title": "Kaze Lantern", "episode": 1, "episode_end": 13, "is_batch": True}),
    ("Kaze Lantern Season 3 Sub Indo : Episode 1 – 11 (End)", {"title": "Kaze Lantern", "episode": 1, "episode_end": 11, "is_batch": True}),
    ("Harbor Dogs - Temp. 2 Capitulos 1 al 6", {"title": "Harbor Dogs", "season": 2, "episode": 1, "episode_end": 6, "is_batch": True}),
    ("مسلسل الميناء [21 22 23][م2][SHAHID][1080p]", {"episode": 21, "episode_end": 23, "is_batch": True}),
    ("[Grp] Copper Road [1080p] (Full 4 Seasons + Extras)", {"title": "Copper Road", "episode": None, "is_batch": True}),
    ("Copper Road All 5 Seasons 720p WEB-DL", {"title": "Copper Road", "episode": None, "is_batch": True}),
    ("Lantern.Hill.T02.2019.1080p.WEB-DL.DUAL-GRP", {"title": "Lantern Hill", "season": 2, "episode": None, "is_batch": True}),
])  # fmt: skip
# Set 19, after its held-out scoring: "(Episode 1 – 12)" in parentheses;
# a dotted upper-case "INTEGRALE"; "episodes 1,2" (one-digit episodes listed
# after an episode word); "S01–S04" (an en dash between seasons); "Title - The
# Complete Season 1" (the article goes with the batch word).
_add("multi", [
    ("Kaze Lantern (Episode 1 – 24) Subtitle Indonesia", {"title": "Kaze Lantern", "episode": 1, "episode_end": 24, "is_batch": True}),
    ("Copper.Road.INTEGRALE.MULTi.1080p.BluRay-GRP", {"title": "Copper Road", "episode": None, "is_batch": True}),
    ("Лампа (Сезон 3, Епізод 4,5 з 10) / The Lamp (Season 3, episodes 4,5 of 10) (2021) WEB-DL 1080p", {"season": 3, "episode": 4, "episode_end": 5, "is_batch": True}),
    ("Harbor Lights S01–S04 1080p WEB-DL", {"title": "Harbor Lights", "season": 1, "episode": None, "is_batch": True}),
    ("Harbor Lights - The Complete Season 2 [720p-HDTV]", {"title": "Harbor Lights", "season": 2, "episode": None, "is_batch": True}),
])  # fmt: skip
# Turkish sites: "2. Sezon 7. Bölüm" (season 2, episode 7: the number comes
# before its word, with a dot), "3. Sezon" alone a season's pack; "Sezon 1"
# (the Polish way) is still season 1.
_add("multi", [
    ("Copper Road 4. Sezon - AnimeSite", {"title": "Copper Road", "season": 4, "episode": None, "is_batch": True}),
])  # fmt: skip
_add("scene", [
    ("Copper Road 2. Sezon 7. Bölüm", {"title": "Copper Road", "season": 2, "episode": 7}),
    ("Copper Road (2019) 3. Sezon 11. Bölüm - AnimeSite", {"title": "Copper Road", "season": 3, "episode": 11}),
])  # fmt: skip
# A disc set's extra whose number carries a suffix ("[NCED02_EP]", "[Menu03_2]"),
# or a file named by the extra alone ("NCOP03.mkv", "SPs/CM04.mkv"): no episode.
_add("no_episode", [
    ("[Grp&Enc] Harbor Lights [NCED02_EP][Ma10p_1080p][x265_flac].mkv", {"title": "Harbor Lights", "episode": None, "special_kind": "ending"}),
    ("[Grp] Lantern Tales [Menu03_2][Ma10p_1080p][x265_flac].mkv", {"title": "Lantern Tales", "episode": None, "special_kind": "extra"}),
    ("NCOP03.mkv", {"episode": None, "special_kind": "opening"}),
    ("Harbor Lights [BD 1080p]/SPs/CM04.mkv", {"episode": None}),
    ("PV02.mp4", {"episode": None}),
])  # fmt: skip
# A path whose folder ends with a bracket of tags ("… [BD 1080p]/Title 2x05.mkv"),
# or two folders deep ("Show/_Sorted/Title - S12E04.mkv"): folders and a file,
# never a title holding a slash.
_add("title", [
    ("[Grp] Lantern Tales [BD 1080p]/Quiet Harbor 2x05.mkv", {"title": "Quiet Harbor", "season": 2, "episode": 5}),
    ("Harbor/_Sorted/Harbor Watch - S12E04.mkv", {"title": "Harbor Watch", "season": 12, "episode": 4}),
])  # fmt: skip
# A library path without a file extension ("Show/Season 02/Show - S02E11", as a
# player or a scanner reports it): folders and a file when a folder names a season.
_add("title", [
    ("Paper Lanterns/Season 02/Paper Lanterns - S02E11", {"title": "Paper Lanterns", "season": 2, "episode": 11}),
    ("Harbor Lights/Season 2/Harbor Lights - 05", {"title": "Harbor Lights", "season": 2, "episode": 5}),
])  # fmt: skip
# A three-digit episode joined by a dash to the episode's name ("Title - 118-The Name"):
# the episode, as the two-digit "- 12-The Name" is.
_add("fansub", [
    ("Harbor Lights - 118-The Long Night Road.mkv", {"title": "Harbor Lights", "episode": 118}),
    ("Harbor_Lights_-_203-Return_of_the_Tide.avi", {"title": "Harbor Lights", "episode": 203}),
])  # fmt: skip
# A download site's file joins the episode to the title by two dashes ("Title--07_720p.mp4"),
# the site's name, which may start with a digit, glued before the title.
_add("fansub", [
    ("Lantern_Tales--07_720p.mp4", {"title": "Lantern Tales", "episode": 7, "resolution": 720}),
    ("Harbor Lights--112_480p.mp4", {"title": "Harbor Lights", "episode": 112}),
    ("2Stream_Harbor_Lights--09_480p.mp4", {"episode": 9}),
])  # fmt: skip
# A media player's window title: "Title - 04: Episode Name", the episode before a colon.
_add("fansub", [
    ("Lantern Tales 2 - 04: The Quiet Harbor", {"title": "Lantern Tales 2", "episode": 4}),
    ("Harbor Watch 100 II - 07: Night Shift", {"title": "Harbor Watch 100 II", "episode": 7}),
])  # fmt: skip
# A long-running series' number in a dotted web name ("Title.1187.1080p.WEB-DL")
# is the series-wide episode; the compact "1013" (season 10, episode 13) is
# the television-rip era's, read next to its TV source.
_add("fansub", [
    ("Lantern.Tides.1187.1080p.WEB-DL.mkv", {"title": "Lantern Tides", "episode": 1187, "season": None}),
    ("Lantern.Tides.1013.720p.HDTV.x264-GRP", {"title": "Lantern Tides", "season": 10, "episode": 13}),
])  # fmt: skip
# A disc set's picture drama (a bonus told over still images) numbered like
# an episode: "Title Picture Drama 03", "[Picture Drama 02]": no episode.
_add("no_episode", [
    ("Harbor Lights Picture Drama 03.mkv", {"title": "Harbor Lights", "episode": None, "special_kind": "extra"}),
    ("[Grp] Harbor Lights [Picture Drama 02][Ma10p_1080p][x265_flac].mkv", {"title": "Harbor Lights", "episode": None, "special_kind": "extra"}),
])  # fmt: skip
# A Russian tracker's "[TV+Special] [13+2 из 13+2]": the season's episodes
# plus its specials, each counted against its total; the first term (or its
# range, "[1-40+0 из >52+1]") is the set's episodes.
_add("multi", [
    ("Лесной дух / Mori no Seirei [TV+Special] [13+2 из 13+2] [RUS(int), JAP+Sub] [2019, BDRip] [1080p]", {"title": "Mori no Seirei", "episode": 1, "episode_end": 13, "is_batch": True}),
    ("Лесной дух / Mori no Seirei [TV+Special] [13+4 из 13+5] [JAP+Sub] [2019]", {"title": "Mori no Seirei", "episode": 1, "episode_end": 13, "is_batch": True}),
    ("Ночной патруль / Yoru no Junkai [TV] [1-40+0 из >52+1] [JAP+Sub] [2021, WEBRip]", {"title": "Yoru no Junkai", "episode": 1, "episode_end": 40, "is_batch": True}),
    ("Звёздный кузнец / Hoshi no Kajiya [OVA+Special] [01-06+2 из 6+2] (2010-2012) BDRip 720p", {"title": "Hoshi no Kajiya", "episode": 1, "episode_end": 6, "is_batch": True}),
    ("Hoshi no Kajiya | Звёздный кузнец (ТВ 2) [2022, TV+Special, 10+1 из 10+1 эп.] WEB-DL 1080p", {"title": "Hoshi no Kajiya", "episode": 1, "episode_end": 10, "is_batch": True}),
    # The season's episodes with its extras: a batch, not a special (a
    # matcher lets a special's longer title stand for the series').
    ("Лесной дух / Mori no Seirei [TV+Special] [1-12 из 12] [RUS(int)] [2019, WEBRip 1080p]", {"title": "Mori no Seirei", "episode": 1, "episode_end": 12, "is_batch": True, "is_special": False}),
    ("Лесной дух / Mori no Seirei [TV+OVA] [1-24 из 24] [2019, BDRip]", {"episode": 1, "episode_end": 24, "is_batch": True, "is_special": False}),
    ("Hoshi no Kajiya | Звёздный кузнец [2022, TV+Special, 10+1 из 10+1 эп.] WEB-DL 1080p", {"episode": 1, "episode_end": 10, "is_special": False}),
    ("Ночной кузнец / Yoru no Kajiya [OVA+Special] [01-04+1 из 4+1] (2014) BDRip 1080p", {"episode": 1, "episode_end": 4, "is_special": True}),
])  # fmt: skip
# Ukrainian episode words ("Серія 4 з 8": episode 4 of 8), as the Russian ones.
_add("fansub", [
    ("Лісова пісня Серія 4 з 8 [1080p]", {"title": "Лісова пісня", "episode": 4, "episode_end": None}),
    ("[Група] Зоряний шлях - Серія 07 з 12 (2024) WEBRip 1080p", {"title": "Зоряний шлях", "episode": 7}),
    ("Зоряний шлях (Сезон 2, серія 3 з 12)", {"title": "Зоряний шлях", "season": 2, "episode": 3, "is_batch": False}),
])  # fmt: skip
# Two Japanese episode numbers listed ("第七話・第八話"): the range 7-8.
_add("multi", [
    ("月の港 第七話・第八話「潮風の便り」", {"title": "月の港", "episode": 7, "episode_end": 8}),
    ("[字幕组] 月の港 第03話&第04話 [1080p]", {"title": "月の港", "episode": 3, "episode_end": 4}),
])  # fmt: skip
# A season's file "1.01. Title.mkv" (season, episode, then the title, as after
# "003. Title"); a title's "V3" right before " - 12" (a version follows the episode).
_add("title", [
    ("1.01. Quiet Harbor.mkv", {"title": "Quiet Harbor", "season": 1, "episode": 1}),
    ("2.13. Quiet Harbor - The Long Night.mp4", {"title": "Quiet Harbor", "season": 2, "episode": 13}),
    ("[Grp] Tokusou Ranger V3 - 12 [DVD 480p]", {"title": "Tokusou Ranger V3", "episode": 12, "version": 1}),
    ("Tokusou Ranger V3 (1974) - 07v2 [480p].mkv", {"title": "Tokusou Ranger V3", "episode": 7, "version": 2}),
])  # fmt: skip
# A Japanese broadcast's programme title numbering its episode in parentheses
# glued to the title ("星の坂道（１２）「灯台の夜」"), maybe after a season's
# number glued there too ("風待ちの港２（７）"), and a dub's file named by
# its number and the dubbing team ("07 [Moon Voice].mp4").
_add("cjk", [
    ("星の坂道（１２）「灯台の夜」[字]", {"title": "星の坂道", "title_aliases": ("星の坂道",), "episode": 12}),
    ("風待ちの港２（７）「帰り道」[字][デ].ts", {"title": "風待ちの港", "episode": 7}),
])  # fmt: skip
_add("fansub", [
    ("07 [Moon Voice].mp4", {"episode": 7}),
    ("113 [Studio Lantern].mkv", {"episode": 113}),
])  # fmt: skip
# "[42_186]": an old fansub's bracket with the episode and, after an
# underscore, its other numbering (as "[42(186)]" writes it).
_add("cjk", [
    ("[LTSUB][Lantern Tales][42_186][BIG5][x264 1280x720 AAC].mp4", {"title": "Lantern Tales", "episode": 42, "absolute_episode": 186}),
    ("[風鈴字幕組][Kaze no Tabi S2][風之旅 第二季][05_31][1280x720][繁体].mp4", {"episode": 5, "absolute_episode": 31}),
])  # fmt: skip
# "[Grp]Title. 05. [BDRip. h264. 1920x1080. FLAC]": the episode between two
# full stops after the title.
_add("fansub", [
    ("[LTS]Lantern Tales. 05. [BDRip. h264. 1920x1080. FLAC][1A2B3C4D].mkv", {"title": "Lantern Tales", "episode": 5}),
    ("[LTS]Quiet Harbor. 11. [DVDRip. x264. 848x480. AAC].mkv", {"title": "Quiet Harbor", "episode": 11}),
])  # fmt: skip
# A Japanese broadcast's programme title: a slot's label before the series
# ("アニメ　", "アニメA・", "＜アニメギルド＞", "水曜アニメ＜水もん＞"), the series
# quoted after a slot's name or alone ("日６「Title」", "『Title』第2クール"), and
# the broadcast's enclosed marks (🈟 new, 🈑 captioned): none of them its title.
_add("title", [
    ("アニメ　潮風のメロディ　＃５", {"title": "潮風のメロディ", "episode": 5}),
    ("＜アニメギルド＞月影の庭 #3[新]", {"title": "月影の庭", "episode": 3}),
    ("水曜アニメ＜水もん＞月影の庭 #4", {"title": "月影の庭", "episode": 4}),
    ("アニメA・星屑ベーカリー　＃９", {"title": "星屑ベーカリー", "episode": 9}),
    ("『星屑ベーカリー』第2クール　＃15", {"title": "星屑ベーカリー", "episode": 15}),
    ("日６「潮風のメロディ」　＃２１「約束」[字][デ]", {"title": "潮風のメロディ", "episode": 21}),
    ("🈟潮風のメロディ #7🈑", {"title": "潮風のメロディ", "episode": 7}),
])  # fmt: skip
# "[Grp]_Title_#02_(TBS_1280x720_x264_AAC)": the "#02" read as the episode is
# no part of the title (an underscored raw's name keeps it otherwise).
_add("title", [
    ("[모에-Raws]_Kaze_no_Tabi_#05_(TBS_1280x720_x264_AAC).mp4", {"title": "Kaze no Tabi", "episode": 5}),
    ("日６「潮風のメロディ」　＃２２「約束」([字][デ]", {"title": "潮風のメロディ", "episode": 22}),
])  # fmt: skip
# A subtitle file's languages and caption kind before its extension
# (".chs&jpn.ass", ".ja[cc].srt"): no title, no group.
_add("title", [
    ("[LTSub][Lantern Tales][06][BDRip][1920x1080_AVC_FLAC].chs&jpn.ass", {"title": "Lantern Tales", "episode": 6}),
    ("風の丘.S01E12.灯台守.WEBRip.Netflix.ja[cc].srt", {"title": "風の丘", "episode": 12}),
])  # fmt: skip
# "第3シリーズ": a Japanese broadcast's season ("series 3").
_add("title", [
    ("＜時代劇＞月影の剣　第3シリーズ　第2話「再会」[字]", {"title": "月影の剣", "season": 3, "episode": 2}),
])  # fmt: skip
# Old raws named "(アニメ) Title 第02話" (the genre in parentheses first), and a
# Russian-dubbed file's "[34_of_XX]" (the season's total not known yet).
_add("title", [
    ("(アニメ) 星屑ベーカリー 第03話 「夜明け」(CX 1440x1080 x264-aac).mp4", {"title": "星屑ベーカリー", "episode": 3}),
])  # fmt: skip
_add("fansub", [
    ("Kaze_no_Tabi_[34_of_XX]_[ru_jp].mkv", {"title": "Kaze no Tabi", "episode": 34}),
    ("Kaze_no_Tabi_TV_[07_of_XX]_[ru_jp]_[Studio_&_Team].mkv", {"title": "Kaze no Tabi", "episode": 7}),
])  # fmt: skip
# Seen after the held-out scoring of a round on Japanese broadcast and
# Russian-dub names: a recorder's file named by its recording time first
# ("2024年03月05日23時30分00秒-Title #5_HD-1.ts"), a capture's air date and
# time ("[11-16_19-00-00]", "07-09 21-00-00") or date ("#16-2024-05-02-Tag"),
# a subtitle file's extension and languages (".srt", ".sc-jp.ass"), a
# drama slot's label ("中国時代劇 ", "韓国時代劇「Title」", "ドラマ15 "), the
# Japanese "シーズン11", a dub's "03 · Episode title [Team].mp4", and a
# Russian dub site's tag after the title ("Title - AniLiberty.TOP [..]").
_add("title", [
    ("2024年03月05日23時30分00秒-星屑ベーカリー #5_HD-1.ts", {"title": "星屑ベーカリー", "episode": 5}),
    ("2024年04月11日01時05分-風の丘 「第３話 灯台守」[字]_ＢＳ１１.ts", {"title": "風の丘", "episode": 3}),
    ("[Grp]_Kaze_no_Tabi_-_12_[10-21_18-30-00]_(TV_TOKYO_1440x1080_MPEG2_TS).ass", {"title": "Kaze no Tabi", "episode": 12}),
    ("[Grp] Quiet Harbor (2001)  08-14 20-00-00 (NTV 1440x1080 MPEG2 TS).ass", {"title": "Quiet Harbor", "episode": None}),
    ("[字]風の丘【連日】#16-2024-05-02-Capture.srt", {"title": "風の丘", "episode": 16, "episode_end": None}),
    ("風の丘 ＃041.srt", {"title": "風の丘", "episode": 41}),
    ("風の丘＃03～09.srt", {"title": "風の丘", "episode": 3, "episode_end": 9}),
    ("[Grp][Kaze_no_Tabi][04][1280x720][H.264_AAC][1A2B3C4D].sc-jp.ass", {"title": "Kaze no Tabi", "episode": 4}),
    ("中国時代劇　風雲の城　第12話（全40話）", {"title": "風雲の城", "episode": 12}),
    ("韓国時代劇「星の王」　＃２５【セレクション】", {"title": "星の王", "episode": 25}),
    ("ドラマ１５　風雲の城[吹]（第７話）", {"title": "風雲の城", "episode": 7}),
    ("港の刑事 シーズン4　＃６「霧の夜」", {"title": "港の刑事", "season": 4, "episode": 6}),
    ("05 · Встреча [Dub Team].mp4", {"episode": 5}),
    ("Kaze no Tabi - AniLiberty.TOP [WEBRip 1080p][AVC][01-24]", {"title": "Kaze no Tabi", "episode": 1, "episode_end": 24}),
])  # fmt: skip
# A capture's air date in parentheses first ("(2021.05.03)_Title.srt"), and a
# broadcast's episode split in parts ("Title＃08-02": episode 8, part 2).
_add("title", [
    ("(2021.05.03)_港の刑事 特別編.srt", {"title": "港の刑事 特別編", "episode": None}),
    ("(2021.05.03)_港の刑事SP.srt", {"title": "港の刑事", "episode": None, "special_kind": "special"}),
    ("港の刑事～霧の街～＃08-02.srt", {"title": "港の刑事~霧の街", "episode": 8}),
])  # fmt: skip
# A later cour written after the season ("2nd Season Part 2", "Season 3 Part
# 2", "S2 Cour 2") or alone before the episode ("Cour 2 - 03"): the cour is
# kept apart from the title, so matching tells it from the season's first
# cour. "Part 1" is the first cour's own name and says nothing more.
_add("title", [
    ("[Grp] Kasumi Lantern 2nd Season Part 2 - 05 [1080p][Multiple Subtitle].mkv", {"title": "Kasumi Lantern", "season": 2, "episode": 5, "cour": 2}),
    ("[Grp] Kasumi Lantern Season 3 Part 2 - 04 (1080p) [ABCD1234].mkv", {"title": "Kasumi Lantern", "season": 3, "episode": 4, "cour": 2}),
    ("[Grp] Kasumi Lantern S2 Cour 2 - 07 [720p]", {"title": "Kasumi Lantern", "season": 2, "episode": 7, "cour": 2}),
    ("[Grp] Kasumi Lantern Cour 2 - 08 [1080p]", {"title": "Kasumi Lantern", "episode": 8, "cour": 2}),
    ("[Grp] Kasumi Lantern Season 3 Part 1 - 04 [1080p]", {"title": "Kasumi Lantern", "season": 3, "episode": 4, "cour": None}),
    ("[Grp] Kasumi Lantern Season 3 - 04 [1080p]", {"title": "Kasumi Lantern", "season": 3, "episode": 4, "cour": None}),
])  # fmt: skip
# A CJK title ending in one Latin word of its own ("星之少女灯 EXCEEDS",
# "灯塔骑士Zwei"): the word is part of that title, not a Latin-script alias.
_add("cjk", [
    ("[某组] 星之少女灯 EXCEEDS - 10 [1080p]", {"title": "星之少女灯 EXCEEDS", "episode": 10}),
    ("[某组] 灯塔骑士Zwei / 灯台ナイツ EP07 [WEBDL] [1080p]", {"title": "灯塔骑士Zwei", "episode": 7}),
])  # fmt: skip
# "EPOVA2", "EPSP1": the episode marker glued to a special's word names the special.
_add("special", [
    ("[Grp] Lantern Drift - EPOVA2 [1080p]", {"title": "Lantern Drift", "episode": 2, "special_kind": "ova", "is_special": True}),
    ("[Grp] Lantern Drift - EPSP1 [720p]", {"title": "Lantern Drift", "episode": 1, "is_special": True}),
])  # fmt: skip
# "- CUSTOM DVDRIP": a word before the source tag after the dash is a tag too.
_add("title", [
    ("[Grp] Lantern Drift - CUSTOM DVDRIP [x264 AC3]", {"title": "Lantern Drift"}),
    ("Lantern Drift - Custom BDRip 1080p", {"title": "Lantern Drift"}),
])  # fmt: skip
# A Russian release's signature after its tags and languages ("…720p.BluRay.2xRus.Eng.E180")
# is no episode; an underscored fansub file signed with a checksum numbers series-wide
# ("Title_231_(1280x720_h264)_[1A2B3C4D]" is episode 231, never S2E31).
_add("multi", [
    ("Deadwood.S02.1080p.BluRay.2xRus.Eng.E180", {"title": "Deadwood", "season": 2, "episode": None, "is_batch": True}),
    ("Rome.Complete.Series.720p.HDTV.Rus.Eng.E180", {"title": "Rome", "episode": None, "is_batch": True}),
    ("Bleach_231-232_(1280x720_h264+AAC)_[1A2B3C4D].mkv", {"title": "Bleach", "season": None, "episode": 231, "episode_end": 232}),
    ("Bleach_231_(1280x720_h264+AAC)_[1A2B3C4D].mkv", {"title": "Bleach", "season": None, "episode": 231, "episode_end": None}),
])  # fmt: skip
# Set 25: an episode list's, a media server's and a raw's shapes.
# "[13.END]": the last episode marked with a dot before END.
_add("cjk", [
    ("[某组] 灯塔物语 / Toudai Monogatari [13.END][1080p][简繁内封].mp4", {"title": "Toudai Monogatari", "episode": 13}),
    # a raw's "#07", then the episode's own title
    ("[Grp] 42 #05 ハカセ (BD 1920x1080 FLAC)[0A1B2C3D].mkv", {"title": "42", "episode": 5}),
    ("[Grp] Lantern #07 ハカセ (BD 1920x1080 FLAC).mkv", {"title": "Lantern", "episode": 7}),
    # a checksum in parentheses after the last bracket is no title
    ("[LANTERN][412][1080P][AVC_AAC][CHS_JP](0A1B2C3D).mp4", {"title": "LANTERN", "episode": 412}),
])  # fmt: skip
_add("fansub", [
    ("[Grp] Lantern Drift [24.END][720p].mkv", {"title": "Lantern Drift", "episode": 24}),
    # a dotted three-digit number past any scene season's length counts the series
    ("Lantern.Drift.147.DVDRip.480p.x264-Grp.mkv", {"title": "Lantern Drift", "episode": 147, "season": None}),
    ("Lantern.Drift.162.480p.mkv", {"title": "Lantern Drift", "episode": 162, "season": None}),
    # "Title 31: Episode Name" (an episode list's line): the number before the colon
    ("Lantern Drift 31: The Tide Comes Back", {"title": "Lantern Drift", "episode": 31}),
    ("Lantern Drift 204: Night of 00:00:00", {"title": "Lantern Drift", "episode": 204}),
    # a dotted name anitopy reads keeps its group after the last dash
    ("Lantern.Drift.028.DVD.480p.x264-Grp.mkv", {"title": "Lantern Drift", "episode": 28, "group": "Grp"}),
    ("Lantern.Drift.1112.1080p.WEB-DL.AAC-Grp.mkv", {"title": "Lantern Drift", "episode": 1112, "group": "Grp"}),
])  # fmt: skip
# A folder, then a file naming no episode that is plainly a name of its own.
_add("no_episode", [
    ("灯塔之夜 真正的灯塔！/[Grp] Lantern Drift Kore ga Hontou no Toudai Desu! [Ma10p_1080p][x265_flac].mkv", {"title": "Lantern Drift Kore ga Hontou no Toudai Desu!", "episode": None}),
])  # fmt: skip
_add("special", [
    ("Lantern Drift Zoku/Lantern Drift Zoku [OVA][Ma10p_1080p][x265_flac].mkv", {"title": "Lantern Drift Zoku", "episode": None, "is_special": True}),
])  # fmt: skip
# "Seasons 1 ~ 3": seasons spanned by a tilde, a pack.
_add("multi", [
    ("[Grp] Lantern Drift Seasons 1 ~ 3.mkv", {"title": "Lantern Drift", "episode": None, "episode_end": None, "is_batch": True}),
    ("[Grp] Lantern Drift Seasons 1~2 [1080p]", {"title": "Lantern Drift", "episode": None, "episode_end": None, "is_batch": True}),
])  # fmt: skip
# Set 25, after its held-out scoring: a BD set's count with its extras
# ("全12話+特典+Scans") and a tag's own parentheses inside the tag list; a
# name in two brackets, title then episode; a library's series-wide number
# between dashes after the scene marker.
_add("cjk", [
    ("[アニメ BD] 灯塔物語 全12話+特典+Scans (1920x1080 x264 10bit FLAC)", {"title": "灯塔物語", "episode": 1, "episode_end": 12}),
    ("[アニメ BD] カイトウ 全12話 (1920x1080 x264 10bit FLACx4 softSub(chi+eng) chap)", {"title": "カイトウ", "episode": 1, "episode_end": 12}),
])  # fmt: skip
_add("fansub", [
    ("[Lantern Drift][00].mkv", {"title": "Lantern Drift", "episode": 0}),
])  # fmt: skip
_add("scene", [
    ("Lantern Drift (2015) - S03E12 - 412 - The Long Night [WEBDL-1080p].mkv", {"title": "Lantern Drift", "season": 3, "episode": 12, "absolute_episode": 412}),
])  # fmt: skip
# Set 26: a recap's half written with an underscore after the dash ("- 07_5");
# a promotional video named by a word before "PV" ("- Character PV 1"); a
# library file "Series - Episode Title - S01E05" inside its series' and
# season's folders.
_add("special", [
    ("[Grp] Harbor Lights - 12_5 [1080p].mkv", {"title": "Harbor Lights", "episode": 12, "is_special": True, "special_kind": "recap"}),
    ("[Grp] Lantern Drift - 07_5 [480p][ABCDEF12].mkv", {"title": "Lantern Drift", "episode": 7, "is_special": True, "part": ".5"}),
    ("[Grp] Lantern Drift - Character PV 1 (BD, 1080p) [ABCDEF12].mkv", {"title": "Lantern Drift", "episode": None, "is_special": True}),
    ("[Grp] Harbor Lights - Announcement PV 3 [1080p].mkv", {"title": "Harbor Lights", "episode": None, "is_special": True}),
])  # fmt: skip
_add("title", [
    ("Lantern Drift [tvdbid-12345]/Season 1/Lantern Drift - The Long Night Falls - S01E05.mkv", {"title": "Lantern Drift", "season": 1, "episode": 5}),
    ("D:\\Anime\\Harbor Lights (2021) [tvdbid-99999]\\Season 2\\Harbor Lights (2021) - Into the Fog - S02E03.mkv", {"title": "Harbor Lights", "season": 2, "episode": 3}),
])  # fmt: skip
# Set 27: a disc's own structure inside a path ("…/[BDMV][…][Title][Vol.2]/BDMV/
# STREAM/00003.m2ts", "…\BDROM\BDMV\PLAYLIST\00000.mpls", "…\BDISO"): its stream
# files are numbered clips, the release is the disc named by the folder above
# the structure; a catalogue number ("[KIXA-12345]") is no title. Extras of BD
# sets: "[NCED_EP12]" and "[Ep12_Creditless_ED]" (the ending as episode 12 aired
# it), "[Tokuten][02]", "[menu][B2][SP3]", "Vol.03 CM_01", "Vol.04 Menu", a set's
# serial before the extra ("[SP02] NCED - 03"); "【OVA】Title03".
_add("no_episode", [
    ("BDMV/[BDMV][200101][Harbor Lights][Vol.2]/BDMV/STREAM/00003.m2ts", {"title": "Harbor Lights", "episode": None}),
    ("D:\\Rips\\[BDMV][191204][Lantern Drift][Vol.1-Vol.4 Fin]\\LANTERN_DRIFT_3\\BDROM\\BDMV\\PLAYLIST\\00000.mpls", {"title": "Lantern Drift", "episode": None}),
    ("Harbor Lights S2\\Vol1\\BDROM\\BDMV\\STREAM\\00007", {"title": "Harbor Lights", "season": 2, "episode": None}),
    ("E:\\Discs\\[BDMV][アニメ][200101] 灯塔物語\\BDISO", {"title": "灯塔物語", "episode": None}),
    ("[BDMV][200101][KIXA-12345] 灯塔物語 限定版", {"title": "灯塔物語 限定版", "episode": None}),
])  # fmt: skip
_add("special", [
    ("[Grp][Lantern Drift][Tokuten][02][1080P][BDRip].mkv", {"title": "Lantern Drift", "episode": None, "special_kind": "extra"}),
    ("[Grp] Lantern Drift [NCED_EP12][Ma10p_1080p][x265_flac].mkv", {"title": "Lantern Drift", "episode": None, "special_kind": "ending"}),
    ("[Grp][Lantern Drift][Ep12_Creditless_ED][DVDrip][x264_AAC].mp4", {"title": "Lantern Drift", "episode": None, "special_kind": "ending"}),
    ("Lantern Drift - Vol.03 CM_01 (BD 1280x720 AVC AAC).mp4", {"title": "Lantern Drift", "episode": None, "special_kind": "preview"}),
    ("Lantern Drift - Vol.04 Menu (BD 1280x720 AVC AAC).mp4", {"title": "Lantern Drift", "episode": None, "special_kind": "extra"}),
    ("[Grp] Lantern Drift [SP02] NCED - 03 (BD 1920x1080 x265-10Bit FLAC).mkv", {"title": "Lantern Drift", "episode": None, "special_kind": "ending"}),
    ("[Grp] Harbor Lights [SP04] Program Promotion Video - 02 (BD 1920x1080).mkv", {"title": "Harbor Lights", "episode": None, "special_kind": "preview"}),
    ("[Grp][Harbor Lights][menu][B2][SP3][1080P].mkv", {"title": "Harbor Lights", "episode": None, "special_kind": "extra"}),
])  # fmt: skip
_add("cjk", [
    ("【OVA】灯塔物語03.mp4", {"title": "灯塔物語", "episode": 3}),
])  # fmt: skip
# A box's number glued to "BD-BOX" and a "_BDMV" folder suffix are no words of
# the title; "[SP]" alone marks a special; "[OAD02(3.25)]" is the second OAD
# (its place in the series' order in parentheses).
_add("title", [
    ("[BDMV][アニメ][120620] 灯塔物語 BD-BOX1", {"title": "灯塔物語", "episode": None, "is_batch": True}),
    ("Lantern Drift BD-BOX2 [BDRip 1080p]", {"title": "Lantern Drift", "episode": None, "is_batch": True}),
    ("E:/rips/Lantern_Drift_BDMV/BDMV/STREAM/00001.m2ts", {"title": "Lantern Drift", "episode": None}),
])  # fmt: skip
_add("special", [
    ("[Grp] Lantern Drift [SP][1080P][BDRip].mkv", {"title": "Lantern Drift", "episode": None, "special_kind": "special"}),
    ("[Grp] Lantern Drift [OAD02(3.25)][Ma10p_1080p].mkv", {"title": "Lantern Drift", "episode": 2, "special_kind": "ova"}),
])  # fmt: skip
# Set 27, after its held-out scoring: a disc folder's trailing number is its
# volume ("[BDMV][…] Title 2\KIXA_90351\BDMV\…"); "[Interview][03]" and an
# underscored "[Character_PV2]" are extras; "映画「Title」限定版" names the film
# in its quotes.
_add("no_episode", [
    ("Harbor Lights\\[BDMV][131002] 灯塔物語 2\\KIXA_90351\\BDMV\\STREAM\\00004", {"title": "灯塔物語", "episode": None, "is_batch": True}),
    ("[BDMV][アニメ][200101] 映画「灯塔物語 ゼロ」限定版", {"title": "灯塔物語 ゼロ", "episode": None}),
])  # fmt: skip
_add("special", [
    ("extras/[Grp][Lantern Drift][Interview][03][1080P].mkv", {"title": "Lantern Drift", "episode": None, "special_kind": "extra"}),
    ("[BD-raw][Lantern Drift][BOX_Vol.2_05][Character_PV2][ABCDEF12].m2ts", {"title": "Lantern Drift", "episode": None, "special_kind": "preview"}),
])  # fmt: skip
# Season 0 is where TV databases and media servers keep a show's specials:
# "S00E02" is the second special, never the series' episode 2.
_add("special", [
    ("Lantern.Drift.S00E02.1080p.WEB-DL.AAC2.0.H.264-GRP", {"title": "Lantern Drift", "season": 0, "episode": 2, "special_kind": "special"}),
    ("[Grp] Harbor Lights - S00E05 [1080p].mkv", {"title": "Harbor Lights", "season": 0, "episode": 5, "special_kind": "special"}),
    ("Harbor Lights/Specials/Harbor Lights - S00E01 - The Lighthouse.mkv", {"title": "Harbor Lights", "season": 0, "episode": 1, "special_kind": "special"}),
    ("Lantern Drift 0x03 Recap Night", {"title": "Lantern Drift", "season": 0, "episode": 3, "special_kind": "special"}),
])  # fmt: skip
