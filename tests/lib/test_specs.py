"""Request specs of the music provider (`lib.ops.of_provider("music")`): routes, every
validation rule of contract §5 and of the newer routes (contract-newer.md), build_body and
counters. The other providers' operations have their own spec tests (test_video_ops.py)."""

import pytest

from lib.contract.fields import MODELS
from lib.families import poll_path
from lib.ops import build_body, limits_for, of_provider, path_for, validate

SPECS = of_provider("music")

CB = "https://bench.example.org/api/callbacks/s3cret"

ARCH_TABLE = {  # docs/architecture.md "Vocabulary"
    "generate": ("music", "/api/v1/generate", "/suno/generate"),
    "extend": ("music", "/api/v1/generate/extend", "/suno/extend"),
    "upload_cover": ("music", "/api/v1/generate/upload-cover", "/suno/upload-cover"),
    "upload_extend": ("music", "/api/v1/generate/upload-extend", "/suno/upload-extend"),
    "add_vocals": ("music", "/api/v1/generate/add-vocals", "/suno/add-vocals"),
    "add_instrumental": ("music", "/api/v1/generate/add-instrumental", "/suno/add-instrumental"),
    "replace_section": ("music", "/api/v1/generate/replace-section", "/suno/replace-section"),
    "lyrics": ("lyrics", "/api/v1/lyrics", "/suno/generate-lyrics"),
    "cover_art": ("cover", "/api/v1/suno/cover/generate", "/suno/generate-cover"),
    "vocal_removal": ("stems", "/api/v1/vocal-removal/generate", "/suno/vocal-removal"),
    "split_stem": ("stems", "/api/v1/vocal-removal/generate", "/suno/split-stem"),
    "wav": ("wav", "/api/v1/wav/generate", "/suno/wav-generate"),
    "mp4": ("mp4", "/api/v1/mp4/generate", "/suno/mp4-generate"),
    "timestamped_lyrics": ("sync", "/api/v1/generate/get-timestamped-lyrics",
                           "/suno/timestamped-lyrics"),
    "style_boost": ("sync", "/api/v1/style/generate", "/suno/style-generate"),
    "persona": ("sync", "/api/v1/generate/generate-persona", "/suno/generate-persona"),
    # contract-newer.md: sunoapi.org only (no AnyInt route is known)
    "mashup": ("music", "/api/v1/generate/mashup", None),
    "sounds": ("music", "/api/v1/generate/sounds", None),
    "midi": ("midi", "/api/v1/midi/generate", None),
    "recovery": ("recovery", "/api/v1/suno/recovery", None),
    "voice_validate": ("voice_phrase", "/api/v1/voice/validate", None),
    "voice_regenerate": ("voice_phrase", "/api/v1/voice/regenerate", None),
    "voice_generate": ("voice", "/api/v1/voice/generate", None),
    "voice_check": ("sync", "/api/v1/voice/check-voice", None),
}
CREDITS = {"generate": 12, "extend": 12, "upload_cover": 12, "upload_extend": 12,
           "add_vocals": 12, "add_instrumental": 12, "replace_section": 5, "lyrics": 2,
           "cover_art": 2, "vocal_removal": 10, "split_stem": 50, "wav": 2, "mp4": 4,
           "timestamped_lyrics": 1, "style_boost": 1, "persona": 0, "mashup": 12, "sounds": 6,
           "midi": 5, "recovery": 0, "voice_validate": 0, "voice_regenerate": 0,
           "voice_generate": 0, "voice_check": 0}

#: A minimal valid body per operation (after build_body).
VALID = {
    "generate": {"customMode": False, "instrumental": False, "model": "V5",
                 "prompt": "A calm piano piece"},
    "extend": {"defaultParamFlag": False, "audioId": "a1", "model": "V5"},
    "upload_cover": {"uploadUrl": "https://x/a.mp3", "customMode": True, "instrumental": True,
                     "model": "V4_5ALL", "style": "Jazz", "title": "T"},
    "upload_extend": {"uploadUrl": "https://x/a.mp3", "defaultParamFlag": False, "model": "V4"},
    "add_vocals": {"uploadUrl": "https://x/i.mp3", "prompt": "la la", "title": "T",
                   "negativeTags": "metal", "style": "pop"},
    "add_instrumental": {"uploadUrl": "https://x/v.mp3", "title": "T", "negativeTags": "metal",
                         "tags": "folk guitar"},
    "replace_section": {"taskId": "t1", "audioId": "a1", "prompt": "new words", "tags": "rock",
                        "title": "T", "infillStartS": 10.0, "infillEndS": 20.5},
    "lyrics": {"prompt": "a song about the sea"},
    "cover_art": {"taskId": "t1"},
    "vocal_removal": {"taskId": "t1", "audioId": "a1"},
    "split_stem": {"taskId": "t1", "audioId": "a1"},
    "wav": {"taskId": "t1", "audioId": "a1"},
    "mp4": {"taskId": "t1", "audioId": "a1", "author": "Me", "domainName": "example.org"},
    "timestamped_lyrics": {"taskId": "t1", "audioId": "a1"},
    "style_boost": {"content": "Pop, Mysterious"},
    "persona": {"taskId": "t1", "audioId": "a1", "name": "N", "description": "D"},
    "mashup": {"uploadUrlList": ["https://x/a.mp3", "https://x/b.mp3"], "customMode": False,
               "instrumental": False, "model": "V5", "prompt": "two songs as one"},
    "sounds": {"prompt": "rain on a tin roof", "model": "V5"},
    "midi": {"taskId": "t1"},
    "recovery": {"sunoTaskId": "t1"},
    "voice_validate": {"voiceUrl": "https://x/v.mp3", "vocalStartS": 0, "vocalEndS": 12},
    "voice_regenerate": {"taskId": "t1"},
    "voice_generate": {"taskId": "t1", "verifyUrl": "https://x/r.mp3"},
    "voice_check": {"task_id": "t1"},
}


def errs(op, body):
    """{field: message} of validate(op, body)."""
    return {e.field: e.message for e in validate(op, body)}


def body(op, **changes):
    """A built body for ``op`` from VALID with ``changes`` (None removes a key)."""
    values = {**VALID[op], **changes}
    built = build_body(op, {k: v for k, v in values.items() if v is not None}, CB)
    return built


# ---- table ---------------------------------------------------------------------------------------

def test_every_operation_of_the_architecture_has_a_spec():
    assert set(SPECS) == set(ARCH_TABLE)


@pytest.mark.parametrize("op", sorted(ARCH_TABLE))
def test_paths_family_and_sync(op):
    family, sunoapi, anyint = ARCH_TABLE[op]
    assert SPECS[op].family == family
    assert path_for(op, "sunoapi") == sunoapi
    if anyint is None:
        assert not SPECS[op].offered("anyint")
        with pytest.raises(ValueError, match="not offered"):
            path_for(op, "anyint")
    else:
        assert path_for(op, "anyint") == anyint
    assert SPECS[op].sync is (family == "sync")


def test_credit_estimates():
    assert {op: s.credits_estimate for op, s in SPECS.items()} == CREDITS


@pytest.mark.parametrize("family,sunoapi,anyint", [
    ("music", "/api/v1/generate/record-info", "/suno/query/task"),
    ("lyrics", "/api/v1/lyrics/record-info", "/suno/query/lyrics"),
    ("cover", "/api/v1/suno/cover/record-info", "/suno/query/cover"),
    ("stems", "/api/v1/vocal-removal/record-info", "/suno/query/vocal-removal"),
    ("wav", "/api/v1/wav/record-info", "/suno/query/wav"),
    ("mp4", "/api/v1/mp4/record-info", "/suno/query/mp4"),
])
def test_poll_paths(family, sunoapi, anyint):
    assert poll_path(family, "sunoapi") == sunoapi
    assert poll_path(family, "anyint") == anyint


def test_unknown_names_raise():
    with pytest.raises(KeyError):
        path_for("nope", "sunoapi")
    with pytest.raises(ValueError):
        path_for("generate", "openai")
    with pytest.raises(KeyError):
        poll_path("sync", "sunoapi")


@pytest.mark.parametrize("op", sorted(VALID))
def test_minimal_valid_bodies_pass(op):
    assert validate(op, body(op)) == []


@pytest.mark.parametrize("op", sorted(VALID))
def test_every_field_has_label_and_help(op):
    for f in SPECS[op].fields:
        assert f.label and f.help, (op, f.name)


# ---- generate / upload-cover matrix (§5.1, §5.3) -----------------------------------------------

@pytest.mark.parametrize("op", ["generate", "upload_cover"])
def test_simple_mode_requires_prompt(op):
    assert errs(op, body(op, customMode=False, prompt=None, style=None, title=None)) == {
        "prompt": "Prompt / lyrics is required in simple mode"}


@pytest.mark.parametrize("op", ["generate", "upload_cover"])
def test_custom_instrumental_requires_style_and_title_not_prompt(op):
    e = errs(op, body(op, customMode=True, instrumental=True, prompt=None, style=None, title=None))
    assert set(e) == {"style", "title"}
    assert e["style"] == "Style is required in custom mode for an instrumental"


@pytest.mark.parametrize("op", ["generate", "upload_cover"])
def test_custom_vocal_requires_style_title_prompt(op):
    e = errs(op, body(op, customMode=True, instrumental=False, prompt="", style=" ", title=None))
    assert set(e) == {"prompt", "style", "title"}
    assert "in custom mode for a song with vocals" in e["prompt"]


def test_title_limit_per_model_message():
    e = errs("generate", body("generate", customMode=True, instrumental=True, style="x",
                              title="t" * 104, model="V4_5ALL"))
    assert e == {"title": "Title is 104 characters long; V4_5ALL allows at most 80"}
    assert validate("generate", body("generate", customMode=True, instrumental=True, style="x",
                                     title="t" * 100, model="V5")) == []


@pytest.mark.parametrize("model,prompt,style,title", [
    ("V4", 3000, 200, 80), ("V4_5", 5000, 1000, 100), ("V4_5PLUS", 5000, 1000, 100),
    ("V4_5ALL", 5000, 1000, 80), ("V5", 5000, 1000, 100),
])
def test_custom_mode_limits_table(model, prompt, style, title):
    ok = body("generate", customMode=True, instrumental=False, model=model, prompt="p" * prompt,
              style="s" * style, title="t" * title)
    assert validate("generate", ok) == []
    bad = body("generate", customMode=True, instrumental=False, model=model,
               prompt="p" * (prompt + 1), style="s" * (style + 1), title="t" * (title + 1))
    e = errs("generate", bad)
    assert e["prompt"] == (f"Prompt / lyrics is {prompt + 1} characters long; {model} allows at "
                           f"most {prompt}")
    assert e["style"] == f"Style is {style + 1} characters long; {model} allows at most {style}"
    assert e["title"] == f"Title is {title + 1} characters long; {model} allows at most {title}"


def test_simple_mode_prompt_limit_is_500():
    assert validate("generate", body("generate", prompt="p" * 500)) == []
    assert errs("generate", body("generate", prompt="p" * 501)) == {
        "prompt": "Prompt / lyrics is 501 characters long; at most 500 in simple mode"}


def test_types_enums_and_ranges():
    e = errs("generate", body("generate", customMode="yes", model="V3_5", vocalGender="x",
                              styleWeight=1.5, weirdnessConstraint=-0.1, audioWeight="0.5"))
    assert e["customMode"] == "Custom mode must be on or off (true/false)"
    assert e["model"].startswith("Model must be one of V4, V4_5") and "(not 'V3_5')" in e["model"]
    assert e["vocalGender"] == "Vocal gender must be one of m, f (not 'x')"
    assert e["styleWeight"] == "Style weight must be at most 1 (it is 1.5)"
    assert e["weirdnessConstraint"] == "Weirdness must be at least 0 (it is -0.1)"
    assert e["audioWeight"] == "Audio weight must be a number"
    assert validate("generate", body("generate", styleWeight=0, audioWeight=1, vocalGender="f")) == []


def test_models_enum():
    assert MODELS == ("V4", "V4_5", "V4_5PLUS", "V4_5ALL", "V5", "V5_5", "V6", "V6_WILD",
                      "V6_MINI")
    for op in ("generate", "extend", "upload_cover", "upload_extend"):
        assert SPECS[op].field("model").enum == MODELS and SPECS[op].field("model").required


def test_required_fields_and_callback():
    e = errs("generate", {})
    assert {"customMode", "instrumental", "model", "callBackUrl"} <= set(e)
    assert e["model"] == "Model is required"


def test_upload_url_must_be_http():
    assert errs("upload_cover", body("upload_cover", uploadUrl="file:///etc/passwd")) == {
        "uploadUrl": "Source audio URL must be an http(s) URL"}


# ---- extend / upload-extend (§5.2, §5.4) --------------------------------------------------------

def test_extend_default_params_need_nothing_more():
    assert validate("extend", body("extend", defaultParamFlag=False)) == []


def test_extend_custom_params_require_continue_at_prompt_style_title():
    e = errs("extend", body("extend", defaultParamFlag=True))
    assert set(e) == {"continueAt", "prompt", "style", "title"}
    assert e["continueAt"] == "Continue at is required with custom parameters"


def test_extend_continue_at_must_be_positive():
    b = body("extend", defaultParamFlag=True, continueAt=0, prompt="p", style="s", title="t")
    assert errs("extend", b) == {"continueAt": "Continue at must be greater than 0 (it is 0)"}
    b["continueAt"] = 60
    assert validate("extend", b) == []


def test_extend_limits_follow_model():
    b = body("extend", defaultParamFlag=True, continueAt=5, prompt="p", style="s" * 201,
             title="t", model="V4")
    assert errs("extend", b) == {"style": "Style is 201 characters long; V4 allows at most 200"}


def test_upload_extend_prompt_required_unless_instrumental():
    e = errs("upload_extend", body("upload_extend", defaultParamFlag=True))
    assert set(e) == {"continueAt", "style", "title", "prompt"}  # instrumental defaults to false
    e = errs("upload_extend", body("upload_extend", defaultParamFlag=True, instrumental=True))
    assert set(e) == {"continueAt", "style", "title"}
    ok = body("upload_extend", defaultParamFlag=True, instrumental=True, continueAt=3.5,
              style="s", title="t")
    assert validate("upload_extend", ok) == []


# ---- add vocals / add instrumental (§5.5, §5.6) -------------------------------------------------

def test_add_vocals_required_set():
    e = errs("add_vocals", {"callBackUrl": CB})
    assert set(e) == {"uploadUrl", "prompt", "title", "negativeTags", "style"}


def test_add_instrumental_required_set():
    e = errs("add_instrumental", {"callBackUrl": CB})
    assert set(e) == {"uploadUrl", "title", "negativeTags", "tags"}


@pytest.mark.parametrize("op", ["add_vocals", "add_instrumental"])
def test_add_models_are_v4_5plus_or_v5(op):
    f = SPECS[op].field("model")
    assert f.enum == ("V4_5PLUS", "V5") and f.default == "V4_5PLUS" and not f.required
    assert "model" in errs(op, body(op, model="V4_5"))
    assert validate(op, body(op, model="V5")) == []


# ---- replace section (§5.7) ----------------------------------------------------------------------

@pytest.mark.parametrize("start,end,ok", [
    (0, 6, True), (10, 70, True), (10, 15.99, False), (10, 70.01, False), (20, 20, False),
    (30, 10, False),
])
def test_replace_section_window(start, end, ok):
    e = errs("replace_section", body("replace_section", infillStartS=start, infillEndS=end))
    assert (e == {}) is ok, e
    if not ok:
        assert "infillEndS" in e


def test_replace_section_messages_name_the_limit():
    e = errs("replace_section", body("replace_section", infillStartS=30, infillEndS=10))
    assert e == {"infillEndS": "End (10 s) must be after Start (30 s)"}
    e = errs("replace_section", body("replace_section", infillStartS=0, infillEndS=61))
    assert e == {"infillEndS": "From start to end is 61 s; it must be 6–60 s long"}
    e = errs("replace_section", body("replace_section", infillStartS=-1, infillEndS=10))
    assert e == {"infillStartS": "Start must be at least 0 (it is -1)"}


def test_replace_section_callback_is_optional():
    b = build_body("replace_section", VALID["replace_section"], None)
    assert "callBackUrl" not in b and validate("replace_section", b) == []
    assert build_body("replace_section", VALID["replace_section"], CB)["callBackUrl"] == CB


# ---- persona (§5.12) -----------------------------------------------------------------------------

@pytest.mark.parametrize("start,end,ok", [
    (None, None, True), (0, 10, True), (5, 35, True), (0, 9.99, False), (0, 30.5, False),
    (25, None, False), (None, 8, False), (12, 12, False),
])
def test_persona_segment_is_10_to_30_seconds(start, end, ok):
    e = errs("persona", body("persona", vocalStart=start, vocalEnd=end))
    assert (e == {}) is ok, e


def test_persona_required():
    assert set(errs("persona", {})) == {"taskId", "audioId", "name", "description"}


# ---- lyrics, mp4, stems, others ------------------------------------------------------------------

def test_lyrics_prompt_at_most_200_words():
    assert validate("lyrics", body("lyrics", prompt="word " * 200)) == []
    assert errs("lyrics", body("lyrics", prompt="word " * 201)) == {
        "prompt": "Theme is 201 words long; at most 200 words"}
    assert SPECS["lyrics"].field("prompt").max_words == 200


@pytest.mark.parametrize("name", ["author", "domainName"])
def test_mp4_text_at_most_50(name):
    assert validate("mp4", body("mp4", **{name: "a" * 50})) == []
    assert errs("mp4", body("mp4", **{name: "a" * 51})) == {
        name: f"{SPECS['mp4'].field(name).label} is 51 characters long; at most 50 allowed"}


def test_stem_type_is_fixed_per_operation():
    assert build_body("vocal_removal", {"taskId": "t", "audioId": "a", "type": "split_stem"},
                      CB)["type"] == "separate_vocal"
    assert build_body("split_stem", {"taskId": "t", "audioId": "a"}, CB)["type"] == "split_stem"
    e = errs("vocal_removal", {"taskId": "t", "audioId": "a", "callBackUrl": CB,
                               "type": "split_stem"})
    assert e == {"type": "Type must be one of separate_vocal (not 'split_stem')"}
    assert "type" in errs("split_stem", {"taskId": "t", "audioId": "a", "callBackUrl": CB})


@pytest.mark.parametrize("op", ["cover_art", "wav", "mp4", "vocal_removal", "split_stem",
                                "timestamped_lyrics"])
def test_task_based_ops_require_their_ids(op):
    e = errs(op, {})
    assert "taskId" in e
    if op != "cover_art":
        assert "audioId" in e


def test_style_boost_requires_content():
    assert errs("style_boost", {}) == {"content": "Style is required"}


# ---- build_body ---------------------------------------------------------------------------------

def test_build_body_drops_empty_optionals_and_unknown_keys():
    b = build_body("generate", {"customMode": False, "instrumental": False, "model": "V5",
                                "prompt": "p", "style": "", "title": None, "personaId": "  ",
                                "negativeTags": "metal", "styleWeight": 0, "junk": 1}, CB)
    assert b == {"customMode": False, "instrumental": False, "model": "V5", "prompt": "p",
                 "negativeTags": "metal", "styleWeight": 0, "callBackUrl": CB}


def test_build_body_keeps_required_even_if_empty_so_validation_reports_it():
    b = build_body("style_boost", {"content": ""}, CB)
    assert b == {"content": ""}
    assert errs("style_boost", b) == {"content": "Style is required"}


@pytest.mark.parametrize("op", sorted(SPECS))
def test_callback_set_only_where_the_op_takes_one(op):
    b = build_body(op, VALID[op], CB)
    field = SPECS[op].callback_field
    assert (field is not None) is (not SPECS[op].sync)
    assert field is None or b[field] == CB
    assert ({"callBackUrl", "calBackUrl"} & set(b)) == ({field} if field else set())


def test_voice_regenerate_spells_its_callback_calbackurl():
    assert build_body("voice_regenerate", VALID["voice_regenerate"], CB) == {
        "taskId": "t1", "calBackUrl": CB}


def test_no_callback_url_leaves_a_required_callback_missing():
    # the runtime always passes a URL (a placeholder when it has no public one)
    assert "callBackUrl" not in build_body("generate", VALID["generate"], None)
    assert errs("generate", build_body("generate", VALID["generate"], None)) == {
        "callBackUrl": "Callback URL is required"}
    assert "callBackUrl" not in build_body("persona", VALID["persona"], None)


# ---- counters -----------------------------------------------------------------------------------

def test_limits_for_counters():
    assert limits_for("generate", "V4_5ALL") == {"prompt": 5000, "style": 1000, "title": 80,
                                                 "lyrics": 5000}
    assert limits_for("generate", "V4") == {"prompt": 3000, "style": 200, "title": 80,
                                            "lyrics": 5000}
    assert limits_for("generate", "V5", {"customMode": False})["prompt"] == 500
    assert limits_for("generate", "V5", {"customMode": True})["prompt"] == 5000
    assert limits_for("upload_cover", "V4_5", {"customMode": False})["prompt"] == 500
    assert limits_for("mp4", None) == {"author": 50, "domainName": 50}
    assert limits_for("add_instrumental", "V5") == {"title": 100, "tags": 1000}
    assert limits_for("generate", None)["title"] == 80  # unknown model: strictest
    assert limits_for("wav", None) == {}


def test_form_fields_hide_callback_and_type():
    names = [f.name for f in SPECS["split_stem"].form_fields]
    assert names == ["taskId", "audioId"]


# ---- V6-era fields (contract-newer.md §1) ----------------------------------------------------------

def test_v6_models_limits_and_simple_prompt():
    custom = dict(customMode=True, instrumental=False, prompt="la", style="s")
    assert validate("generate", body("generate", model="V6", title="t" * 80, **custom)) == []
    assert errs("generate", body("generate", model="V6", title="t" * 81, **custom)) == {
        "title": "Title is 81 characters long; V6 allows at most 80"}
    assert validate("generate", body("generate", model="V6_MINI", prompt="p" * 3000)) == []
    assert errs("generate", body("generate", model="V6", prompt="p" * 3001)) == {
        "prompt": "Prompt / lyrics is 3001 characters long; at most 3000 in simple mode with V6"}
    assert limits_for("generate", "V6_WILD", {"customMode": False})["prompt"] == 3000


def test_v6_lyrics_stand_in_for_the_prompt_in_custom_mode():
    b = body("generate", customMode=True, instrumental=False, model="V6", prompt=None,
             style="s", title="t", lyrics="[Verse] la la")
    assert validate("generate", b) == []
    b.pop("lyrics")
    assert set(errs("generate", b)) == {"prompt"}


def test_v6_duration_variety_and_persona_model_rules():
    custom = dict(customMode=True, instrumental=True, style="s", title="t")
    assert validate("generate", body("generate", model="V6", duration=120, variety=3,
                                     **custom)) == []
    e = errs("generate", body("generate", model="V5", duration=120, **custom))
    assert e == {"duration": "Duration needs model V5_5, V6, V6_WILD or V6_MINI (the model is V5)"}
    assert errs("generate", body("generate", model="V6", duration=5, **custom)) == {
        "duration": "Duration must be at least 10 (it is 5)"}
    assert errs("generate", body("generate", model="V6", variety=1.5, **custom)) == {
        "variety": "Variety must be a whole number"}
    assert errs("generate", body("generate", model="V6", duration=60)) == {
        "duration": "Duration only applies in custom mode"}
    assert errs("generate", body("generate", model="V4", personaModel="style_persona",
                                 **custom)) == {
        "personaModel": "Persona kind needs model V5, V5_5, V6, V6_WILD or V6_MINI"}
    assert errs("generate", body("generate", model="V5", personaModel="voice_persona",
                                 **custom)) == {
        "personaId": "Persona ID is required for a voice persona (the Suno Voice id)"}
    assert validate("generate", body("generate", model="V5", personaModel="voice_persona",
                                     personaId="voice-1", **custom)) == []


# ---- newer routes (contract-newer.md §2-6) -------------------------------------------------------

def test_mashup_needs_exactly_two_urls():
    assert errs("mashup", body("mashup", uploadUrlList=["https://x/a.mp3"])) == {
        "uploadUrlList": "Source audio URLs must have exactly 2 (it has 1)"}
    assert errs("mashup", body("mashup", uploadUrlList=["https://x/a.mp3", "ftp://b"])) == {
        "uploadUrlList": "Source audio URLs: item 2 must be an http(s) URL"}
    assert errs("mashup", body("mashup", uploadUrlList="https://x/a.mp3")) == {
        "uploadUrlList": "Source audio URLs must be a list of URLs"}
    custom = body("mashup", customMode=True, prompt=None)
    assert set(errs("mashup", custom)) == {"prompt", "style", "title"}


def test_sounds_rules():
    assert errs("sounds", body("sounds", model="V5_5")) == {
        "model": "Model must be one of V5 (not 'V5_5')"}
    assert errs("sounds", body("sounds", soundTempo=301)) == {
        "soundTempo": "Tempo must be at most 300 (it is 301)"}
    assert errs("sounds", body("sounds", soundKey="H")) == {
        "soundKey": "Key must be one of " + ", ".join(SPECS["sounds"].field(
            "soundKey").enum) + " (not 'H')"}
    assert errs("sounds", body("sounds", prompt="p" * 501)) == {
        "prompt": "Description is 501 characters long; at most 500 allowed"}
    assert "callBackUrl" not in errs("sounds", {"prompt": "x", "model": "V5"})


def test_voice_validate_segment_is_whole_seconds_in_order():
    assert errs("voice_validate", body("voice_validate", vocalStartS=1.5)) == {
        "vocalStartS": "Vocal start must be a whole number"}
    assert errs("voice_validate", body("voice_validate", vocalStartS=12, vocalEndS=12)) == {
        "vocalEndS": "Vocal end (12 s) must be after Vocal start (12 s)"}
    assert errs("voice_validate", body("voice_validate", language="xx"))["language"].startswith(
        "Language must be one of en, zh")


@pytest.mark.parametrize("op,field", [("midi", "taskId"), ("recovery", "sunoTaskId"),
                                      ("voice_generate", "verifyUrl"),
                                      ("voice_check", "task_id")])
def test_newer_ops_require_their_ids(op, field):
    assert field in errs(op, {})
