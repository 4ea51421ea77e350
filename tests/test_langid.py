"""Language detection: fa vs prs vs ar (and ur, ps, und), with the evidence named in the reason."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shared_data import SEEDS, require

from annotate.corpus.langid import LANGUAGES, LanguageGuess, detect_language


def _manifest() -> list[dict[str, str]]:
    path = SEEDS / "manifest.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("entry", _manifest() or [None], ids=lambda e: e["file"][:3] if e else "missing")
def test_seed_corpus_language_from_text_alone(entry: dict[str, str] | None) -> None:
    require(SEEDS / "manifest.jsonl", "the seed corpus")
    assert entry is not None
    text = (SEEDS / entry["file"]).read_text(encoding="utf-8")
    guess = detect_language(text)
    assert guess.lang == entry["lang"], guess.reason
    assert guess.reason


def test_seed_manifest_has_the_five_expected_languages() -> None:
    require(SEEDS / "manifest.jsonl", "the seed corpus")
    assert [e["lang"] for e in _manifest()] == ["fa", "ar", "fa", "ar", "prs"]


DARI_NO_MONTHS = (
    "صدراعظم افغانستان امروز در کابل گفت که پولیس ولایت هرات کنترول چند ولسوالی را به دست گرفته است."
)

# (expected language, text, words the reason must name)
CASES: list[tuple[str, str, list[str]]] = [
    # Iranian Persian
    ("fa", "وزیر امور خارجه ایران روز دوشنبه در تهران گفت که دولت برای گسترش همکاری با همسایگان آماده است.",
     ["no Dari markers"]),
    ("fa", "خبرگزاری مهر گزارش داد که شهرداری تهران از امروز طرح جدید ترافیک را اجرا می‌کند.", ["شهرداری"]),
    ("fa", "نشست شورای امنیت در تاریخ ۱۲ مرداد ۱۴۰۲ برگزار شد و نمایندگان استان‌ها در آن حضور داشتند.",
     ["مرداد"]),
    ("fa", "دانشجویان دانشگاه تهران روز ۲۰ ژانویه در برابر ساختمان وزارت علوم تجمع کردند.", ["ژانویه"]),
    # Persian quoting an Arabic phrase
    ("fa", "رئیس‌جمهور در سخنرانی خود با اشاره به آیه «إن الله مع الصابرين» گفت که مردم باید صبور باشند و "
           "این مسیر ادامه دارد.", ["Persian function words"]),
    # Persian typed on an Arabic keyboard (ي and ك)
    ("fa", "تيم ملي فوتبال ايران براي ديدار با كره جنوبي راهي سئول شد.", ["برای"]),
    # Iranian text about Afghanistan: place names are not Dari markers
    ("fa", "سخنگوی طالبان در کابل به خبرگزاری تسنیم گفت که هیئت افغانستان برای مذاکره به تهران سفر می‌کند.",
     ["no Dari markers"]),
    # Traps: جدی "serious", میزان "amount", ولایت فقیه
    ("fa", "ایران این تهدید را جدی می‌گیرد و میزان آمادگی نیروها افزایش یافته است.", ["no Dari markers"]),
    ("fa", "رهبر انقلاب درباره ولایت فقیه سخن گفت و آن را اصل اساسی نظام دانست.", ["no Dari markers"]),
    # Dari without month names
    ("prs", DARI_NO_MONTHS, ["صدراعظم", "کنترول"]),
    ("prs", "شاروالی کابل اعلام کرد که سرک‌های شهر ترمیم می‌شوند و موترها باید از مسیرهای دیگر بروند.",
     ["شاروال"]),
    ("prs", "محصلین پوهنتون کابل روز شنبه در برابر وزارت تحصیلات عالی تجمع کردند.", ["پوهنتون"]),
    ("prs", "کم از کم ده تن در این رویداد زخمی شدند و قوماندان امنیه گفت که تحقیقات جریان دارد.",
     ["کم از کم", "قوماندان"]),
    # Dari with month names: Gregorian (جنوری), Afghan solar after برج or a day
    ("prs", "این نشست در ۱۵ جنوری برگزار شد و نمایندگان ایتلاف در آن اشتراک کردند.", ["جنوری"]),
    ("prs", "انتخابات ولسی جرگه در برج میزان ۱۴۰۲ برگزار می‌شود.", ["میزان"]),
    ("prs", "جلسه روز هفتم دلو در کابل برگزار شد و مقام‌ها در آن شرکت کردند.", ["دلو"]),
    # Arabic
    ("ar", "قال وزير الخارجية العراقي في مؤتمر صحفي إن الحكومة تسعى إلى تعزيز التعاون مع دول الجوار.",
     ["في"]),
    ("ar", "أعلنت وزارة الدفاع التي تتابع الملف أن القوات انسحبت من المدينة يوم الخميس.", ["التي"]),
    # Arabic naming a Persian speaker
    ("ar", "وصل الوفد الإيراني برئاسة محمد جواد ظريف إلى بغداد في زيارة رسمية.", ["إلى"]),
    ("ar", "ذكرت وكالة الأنباء الرسمية أن الاجتماع سيعقد في 15/03/2024 في القاهرة.", ["في"]),
    # Urdu shares جنوری with Dari, but its own letters decide
    ("ur", "پاکستان کے وزیر اعظم نے کہا ہے کہ حکومت عوام کی فلاح کے لیے کام کر رہی ہے۔", ["Urdu"]),
    ("ur", "اسلام آباد میں اجلاس ہوا جس میں وزیر خارجہ نے شرکت کی اور 15 جنوری کو دورہ کریں گے۔", ["Urdu"]),
    # Pashto (ښاغلی alone is a Dari marker; Pashto needs its function words)
    ("ps", "ښاغلي وزیر وویل چې حکومت د خلکو لپاره کار کوي او دغه پروژه به بشپړه شي.", ["Pashto"]),
    # Undetermined
    ("und", "The Iraqi government asked its forces to reduce cooperation.", ["cannot tell"]),
    ("und", "Breaking News: Tehran (تهران) and Kabul meet on January 27.", ["cannot tell"]),
    ("und", "12345 67890", ["cannot tell"]),
    ("und", "", ["cannot tell"]),
    ("und", "تهران", ["cannot tell"]),
]


IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]
PERSIAN_CASES = [c[:2] for c in CASES if c[0] in ("fa", "prs")]


@pytest.mark.parametrize(("lang", "text", "evidence"), CASES, ids=IDS)
def test_detect_language_table(lang: str, text: str, evidence: list[str]) -> None:
    guess = detect_language(text)
    assert guess.lang == lang, guess.reason
    for word in evidence:
        assert word in guess.reason, f"{word!r} missing from reason {guess.reason!r}"


@pytest.mark.parametrize(
    ("text", "ambiguous"),
    [
        ("سخنگوی دولت گفت که این موضوع جدی است و میزان خسارت هنوز روشن نیست.", "جدی"),
        ("کاروان حمل کالا از مرز گذشت و شیر اسد نام داشت.", "اسد"),
    ],
)
def test_afghan_month_words_without_date_context_are_not_dari_evidence(text: str, ambiguous: str) -> None:
    guess = detect_language(text)
    assert guess.lang == "fa"
    assert ambiguous not in guess.reason


def test_dari_vocabulary_outweighs_a_single_iranian_word() -> None:
    text = "صدراعظم در نشست ایتلاف گفت که پولیس و اردوی ملی کنترول ولسوالی را به دست گرفته و دانشگاه باز است."
    guess = detect_language(text)
    assert guess.lang == "prs"
    assert "دانشگاه" in guess.reason  # the Iranian marker is named as outweighed


@pytest.mark.parametrize(("lang", "text"), PERSIAN_CASES)
def test_arabic_keyboard_yeh_and_kaf_do_not_change_persian_or_dari(lang: str, text: str) -> None:
    arabic_keyboard = text.replace("ی", "ي").replace("ک", "ك")
    assert detect_language(arabic_keyboard).lang == lang


@pytest.mark.parametrize(("lang", "text"), PERSIAN_CASES)
def test_zwnj_presence_does_not_change_the_answer(lang: str, text: str) -> None:
    assert detect_language(text.replace("\u200c", "")).lang == lang
    assert detect_language(text.replace("\u200c", " ")).lang == lang


def test_scores_are_shares_and_argmax_is_the_answer() -> None:
    guess = detect_language(DARI_NO_MONTHS)
    assert set(guess.scores) == {"fa", "prs", "ar", "ur", "ps"}
    assert sum(guess.scores.values()) == pytest.approx(1.0, abs=1e-3)
    assert max(guess.scores, key=guess.scores.__getitem__) == guess.lang == "prs"


def test_result_is_frozen() -> None:
    guess = detect_language("وزیر گفت که این طرح اجرا می‌شود.")
    with pytest.raises(AttributeError):
        guess.lang = "ar"  # type: ignore[misc]


ALPHABET = list("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكةأإآىءٹڈڑںےښ \u200c،.۱۲٤٥012ab")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=300))
def test_any_text_gives_a_known_language_and_a_reason(text: str) -> None:
    guess = detect_language(text)
    assert isinstance(guess, LanguageGuess)
    assert guess.lang in LANGUAGES
    assert guess.reason
    if guess.lang == "und":
        assert guess.scores == {}
    else:
        assert sum(guess.scores.values()) == pytest.approx(1.0, abs=1e-3)
        assert guess.scores[guess.lang] == max(guess.scores.values())


def test_long_documents_are_sampled() -> None:
    text = (DARI_NO_MONTHS + "\n") * 3000  # about 300 KB
    guess = detect_language(text)
    assert guess.lang == "prs"
    assert "sampled" in guess.reason
