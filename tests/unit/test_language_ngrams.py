"""The fast detector must answer exactly as langdetect does: same n-grams, same languages, same probabilities."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langdetect import DetectorFactory, LangDetectException, detector_factory
from langdetect import detect_langs as reference_detect_langs
from langdetect.detector import Detector

from pipelines.enrich.language import LanguageGuess, _sample, detect_language, language_code
from pipelines.enrich.ngrams import FastDetector, detect_langs

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "wcxb-dev-articles" / "ground-truth"

TEXTS = {
    "english": (
        "The city council approved the new budget on Tuesday after a long debate. Critics said the plan "
        "would raise taxes for families, while supporters argued that schools and roads needed the money."
    ),
    "german": (
        "Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen. Kritiker sagen, die Straßenbahn "
        "werde dadurch teurer; Befürworter verweisen auf marode Schulen und Brücken in der Innenstadt."
    ),
    "french": (
        "Le conseil municipal a adopté mardi le nouveau budget après un long débat. Les critiques "
        "estiment que les impôts vont augmenter, mais les élus parlent d'écoles à rénover et de ponts."
    ),
    "spanish": (
        "El ayuntamiento aprobó el martes el nuevo presupuesto tras un largo debate. ¿Subirán los "
        "impuestos? Los críticos dicen que sí; los concejales hablan de escuelas, puentes y niños."
    ),
    "russian": (
        "Городской совет во вторник утвердил новый бюджет после долгих споров. Критики считают, что "
        "налоги вырастут, а сторонники говорят о ремонте школ, дорог и мостов в центре города."
    ),
    "greek": (
        "Το δημοτικό συμβούλιο ενέκρινε την Τρίτη τον νέο προϋπολογισμό μετά από μακρά συζήτηση. Οι "
        "επικριτές λένε ότι οι φόροι θα αυξηθούν, ενώ οι υποστηρικτές μιλούν για σχολεία και δρόμους."
    ),
    "arabic": (
        "وافق المجلس البلدي يوم الثلاثاء على الميزانية الجديدة بعد نقاش طويل. ويقول المنتقدون إن "
        "الضرائب سترتفع، بينما يتحدث المؤيدون عن إصلاح المدارس والطرق والجسور في وسط المدينة."
    ),
    "persian": "شورای شهر روز سه‌شنبه بودجه جدید را تصویب کرد. منتقدان می‌گویند مالیات‌ها افزایش می‌یابد.",
    "chinese": (
        "市议会周二在长时间辩论后批准了新的预算。批评者说，这项计划将提高家庭的税收；"
        "支持者则认为，学校和道路需要这笔资金。市长表示，明年将公布详细的支出清单。"
    ),
    "japanese": (
        "市議会は火曜日、長い議論の末に新しい予算を承認した。批判的な人々は税金が上がると言うが、"
        "支持者は学校や道路の修繕に資金が必要だと主張している。カタカナのニュースも読んでください。"
    ),
    "korean": (
        "시의회는 화요일 오랜 논쟁 끝에 새 예산안을 승인했다. 비판론자들은 세금이 오를 것이라고 "
        "말하지만, 지지자들은 학교와 도로를 고치려면 돈이 필요하다고 주장한다."
    ),
    "vietnamese": (
        "Hội đồng thành phố đã thông qua ngân sách mới vào thứ Ba sau một cuộc tranh luận dài. Những "
        "người chỉ trích cho rằng thuế sẽ tăng, còn người ủng hộ nói trường học cần được sửa chữa."
    ),
    # The same text with combining marks (U+0300..U+0323), which langdetect folds back into U+1Exx.
    "vietnamese-decomposed": unicodedata.normalize(
        "NFD", "Hội đồng thành phố đã thông qua ngân sách mới vào thứ Ba sau một cuộc tranh luận dài."
    ),
    # Latin Extended Additional letters count as non-Latin in langdetect's cleaning, which drops "ab cd".
    "vietnamese-cleaning": "ệệệệ ợợợ ửử ab cd",
    "cleaning-boundary": "ệệệệ ợợợợ abcd",  # Latin exactly half the non-Latin count: kept
    "romanian": (
        "Consiliul local a aprobat marți bugetul. Școlile și străzile din oraș vor fi reparate în această toamnă."
    ),
    "mixed-scripts": (
        "Breaking: Москва и Berlin подписали соглашение. 東京 reagiert mit Skepsis; Αθήνα schweigt. "
        "مصدر says the deal is done, 서울 wartet ab."
    ),
    "mostly-cyrillic-with-latin": (
        "Новости дня: компания Apple представила iPhone, а Samsung ответила новым Galaxy в Москве."
    ),
    "all-caps": (
        "BREAKING NEWS: THE MINISTER RESIGNED. The NATO summit in BRUSSELS ended early; UNESCO and the "
        "EU said LOL, OK. DER BUNDESTAG STIMMT AB. ÉCOLE FERMÉE AUJOURD'HUI. aBc AbC ABc."
    ),
    "urls-and-emails": (
        "Read more at https://example.com/news/2024/budget?id=42&lang=en#top or http://foo.bar/baz. "
        "Write to press.office@city-council.example.org or j_doe@mail.example.com for comments."
    ),
    "digits-and-punctuation": (
        'On 12/03/2024, at 10:45, 3,500 people (about 12.5%) voted -- "yes" -- for #budget2024!!! '
        "Prices: €1.299,00; $45.50; ±3 °C; ½ cup… « quoted » — ‘single’ “double” [1][2]{3}<4>"
    ),
    "repeated-spaces": "The   council    voted \t\t yes  \n\n and   then      went   home .   Der  Rat    ging  auch .",
    "leading-and-trailing-spaces": "   starts with spaces and ends with spaces   ",
    "single-letters": "a b c d e f g h i j k l m n o p q r s t u v w x y z",
    "emoji-and-astral": "Great news 🎉🎉 for the team 𝒜𝒷𝒸 and 😀 fans of 𠀀𠀁 characters.",
    "empty": "",
}


@pytest.fixture(scope="module")
def factory() -> DetectorFactory:
    detector_factory.init_factory()
    return detector_factory._factory


def _reference_ngrams(factory: DetectorFactory, text: str) -> tuple[str, list[str]]:
    detector = Detector(factory)
    detector.append(text)
    detector.cleaning_text()
    return detector.text, detector._extract_ngrams()


def _fast_ngrams(factory: DetectorFactory, text: str) -> tuple[str, list[str]]:
    detector = FastDetector(factory)
    detector.append(text)
    detector.cleaning_text()
    return detector.text, detector._extract_ngrams()


def _ranked(detect, text: str) -> list[tuple[str, float]] | str:
    DetectorFactory.seed = 0
    try:
        return [(lang.lang, lang.prob) for lang in detect(text)]
    except LangDetectException as exc:
        return f"error: {exc}"


def _reference_guess(text: str, cap: int = 2000, min_chars: int = 40) -> LanguageGuess:
    """The old detect_language (no hint): langdetect.detect_langs on the same sample, seed 0."""
    if len(text.strip()) < min_chars:
        return LanguageGuess(None, None, "too-short")
    DetectorFactory.seed = 0
    try:
        best = reference_detect_langs(_sample(text, cap))[0]
    except LangDetectException:
        return LanguageGuess(None, None, "undetectable")
    code = language_code(best.lang.split("-")[0])
    return LanguageGuess(code, round(float(best.prob), 4), "langdetect", code)


@pytest.mark.parametrize("name", TEXTS)
def test_ngrams_equal_langdetect(factory: DetectorFactory, name: str) -> None:
    text = TEXTS[name]
    assert _fast_ngrams(factory, text) == _reference_ngrams(factory, text)
    assert _fast_ngrams(factory, text) == _reference_ngrams(factory, text)  # again, from the word cache


def test_fixtures_exercise_the_tricky_rules(factory: DetectorFactory) -> None:
    """Guards the fixtures themselves: each rule the fast path mirrors is actually hit."""
    cleaned, _ = _reference_ngrams(factory, TEXTS["vietnamese-cleaning"])
    assert "ab" not in cleaned  # Latin removed
    cleaned, _ = _reference_ngrams(factory, TEXTS["cleaning-boundary"])
    assert "abcd" in cleaned
    cleaned, _ = _reference_ngrams(factory, TEXTS["urls-and-emails"])
    assert "example" not in cleaned and "@" not in cleaned
    _, caps = _reference_ngrams(factory, "ABC abc")
    assert "B" not in caps and "a" in caps  # the capitalword rule drops grams inside ALL-CAPS words
    assert max(map(len, TEXTS["chinese"].split())) > 24  # the uncached long-word path


@pytest.mark.parametrize("name", TEXTS)
def test_detect_langs_equal_langdetect(name: str) -> None:
    text = TEXTS[name]
    assert _ranked(detect_langs, text) == _ranked(reference_detect_langs, text)


@pytest.mark.parametrize("name", TEXTS)
def test_detect_language_equal_old_implementation(name: str) -> None:
    text = TEXTS[name]
    assert detect_language(text) == _reference_guess(text)
    assert detect_language(text * 20) == _reference_guess(text * 20)  # long enough to be sampled


_ALPHABET = st.sampled_from(
    list("aAbBeEzZéÉßñçÄÖÜ   \t\n.,;:!?'\"-_@/[]^`0123456789")
    + ["http://x.io/a ", "a.b@c.de ", "ệ", "e\u0301", "ș", "ț", "ی", "あ", "ア", "中", "文", "한", "ㄅ"]
    + ["Ω", "ω", "Σ", "Ж", "ж", "ﻻ", "\u2019", "\u3000", "\u00a0", "\U0001f600", "ǅ", "ǈ", "İ", "ﬁ"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_ngrams_equal_langdetect_on_random_text(text: str) -> None:
    detector_factory.init_factory()
    factory = detector_factory._factory
    assert _fast_ngrams(factory, text) == _reference_ngrams(factory, text)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no wcxb-dev-articles ground truth next to the repo")
def test_detect_language_equal_old_implementation_on_corpus(factory: DetectorFactory) -> None:
    texts = {}
    for path in sorted(CORPUS.glob("*.json")):
        content = json.loads(path.read_text(encoding="utf-8")).get("ground_truth", {}).get("main_content")
        if content is not None:
            texts[path.name] = content
    assert texts
    for name, text in texts.items():
        assert detect_language(text) == _reference_guess(text), name
        sample = _sample(text, 2000)
        assert _ranked(detect_langs, sample) == _ranked(reference_detect_langs, sample), name
        assert _fast_ngrams(factory, sample) == _reference_ngrams(factory, sample), name


def test_threads_starting_together_all_see_every_language(monkeypatch: pytest.MonkeyPatch) -> None:
    # langdetect publishes its factory before loading the profiles; threads that start detecting together
    # (Prefect runs small batches in threads) must still all get the 55-language answer.
    import threading

    from pipelines.enrich import ngrams

    monkeypatch.setattr(detector_factory, "_factory", None)
    monkeypatch.setattr(ngrams, "_TABLES", type(ngrams._TABLES)())
    read_profile = ngrams._read_profile

    def read_slowly(path: str) -> dict:
        threading.Event().wait(0.002)  # one language at a time, yielding the GIL, as on a busy machine
        return read_profile(path)

    monkeypatch.setattr(ngrams, "_read_profile", read_slowly)
    text = "The harbour ferry resumed service on Tuesday after the city council approved the repairs."
    start, errors, answers = threading.Barrier(6), [], []

    def detect() -> None:
        start.wait()
        try:
            answers.append(detect_langs(text)[0].lang)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=detect) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and answers == ["en"] * 6
    assert len(detector_factory._factory.langlist) == 55


def test_rows_built_on_demand_equal_langdetects_profiles() -> None:
    """Every row, the language order and the vocabulary equal what DetectorFactory.load_profile builds."""
    from pipelines.enrich.ngrams import LazyProfiles, load_profiles

    eager, lazy = DetectorFactory(), DetectorFactory()
    eager.load_profile(detector_factory.PROFILES_DIRECTORY)
    load_profiles(lazy, detector_factory.PROFILES_DIRECTORY)
    assert isinstance(lazy.word_lang_prob_map, LazyProfiles)
    assert lazy.langlist == eager.langlist and len(lazy.langlist) == 55
    assert len(lazy.word_lang_prob_map) == len(eager.word_lang_prob_map)
    assert set(lazy.word_lang_prob_map) == set(eager.word_lang_prob_map)
    for word, row in eager.word_lang_prob_map.items():
        assert lazy.word_lang_prob_map[word] == row, word
    assert "no such n-gram" not in lazy.word_lang_prob_map
    with pytest.raises(KeyError):
        lazy.word_lang_prob_map["no such n-gram"]
