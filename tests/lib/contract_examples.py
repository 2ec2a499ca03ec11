"""Literal provider examples from ``../shared/contract.md`` (and the OpenAPI files beside it).

Shared fixtures for the client, tracker, results and callbacks tests. Each constant says where it
comes from:

* ``contract §x`` — copied verbatim from contract.md (including its ``…`` and ``****`` elisions;
  they are part of the literal text and parsers must cope with them).
* ``openapi`` — the example block of ``contract/sunoapi-music.openapi.yaml`` /
  ``sunoapi-file-upload.openapi.yaml`` for the same route.
* ``built`` — assembled from the field list the contract gives for that route (no literal example
  exists); values follow the style of the neighbouring examples.

Everything is a plain ``dict``/``list``; use ``copy.deepcopy`` before mutating.
"""

# --------------------------------------------------------------------------------------------
# Synchronous envelopes (§4, §5.17)
# --------------------------------------------------------------------------------------------

#: contract §4: every POST creator answers with this envelope.
CREATE_OK = {"code": 200, "msg": "success", "data": {"taskId": "5c79****be8e"}}

#: contract §5.17: credit balance; ``data`` is an integer.
CREDIT_OK = {"code": 200, "msg": "success", "data": 100}


def error_envelope(code: int, msg: str) -> dict:
    """An error envelope (contract §4: same shape, ``code != 200``, ``data`` null)."""
    return {"code": code, "msg": msg, "data": None}


#: contract §4 / §2.3: the body codes, with the ApiResponse descriptions as ``msg``.
#: All of these arrive with HTTP 200 (the OpenAPI files list only HTTP 200 and 500).
ERROR_ENVELOPES = {
    400: error_envelope(400, "Invalid parameters"),
    401: error_envelope(401, "Unauthorized access"),
    404: error_envelope(404, "Invalid request method or path"),
    405: error_envelope(405, "Rate limit exceeded"),
    409: error_envelope(409, "Conflict - WAV record already exists"),
    413: error_envelope(413, "Theme or prompt too long"),
    429: error_envelope(429, "Insufficient credits"),
    430: error_envelope(430, "Your call frequency is too high. Please try again later."),
    455: error_envelope(455, "System maintenance"),
    500: error_envelope(500, "Server error"),
}

# --------------------------------------------------------------------------------------------
# Synchronous operations (§5.9, §5.10, §5.12)
# --------------------------------------------------------------------------------------------

#: openapi example of get-timestamped-lyrics (contract §5.9 fields).
TIMESTAMPED_LYRICS_OK = {
    "code": 200,
    "msg": "success",
    "data": {
        "alignedWords": [
            {"word": "[Verse]\nWaggin'", "success": True, "startS": 1.36, "endS": 1.79, "palign": 0}
        ],
        "waveformData": [0, 1, 0.5, 0.75],
        "hootCer": 0.3803191489361702,
        "isStreamed": False,
    },
}

#: built from contract §5.10 (style boost; ``successFlag`` is a string here).
STYLE_BOOST_OK = {
    "code": 200,
    "msg": "success",
    "data": {
        "taskId": "5c79****be8e",
        "param": "Pop, Mysterious",
        "result": "Pop, mysterious, airy synth pads, breathy female vocals, slow build",
        "creditsConsumed": 0.5,
        "creditsRemaining": 99.5,
        "successFlag": "1",
        "errorCode": None,
        "errorMessage": None,
        "createTime": "2025-01-01 00:00:00",
    },
}

#: built from contract §5.12 (persona response ``data {personaId, name, description}``).
PERSONA_OK = {
    "code": 200,
    "msg": "success",
    "data": {"personaId": "persona_123", "name": "Night Singer", "description": "Warm alto"},
}

# --------------------------------------------------------------------------------------------
# Poll (record-info) responses, one family at a time
# --------------------------------------------------------------------------------------------

#: contract §5.8, verbatim. NOTE: ``param`` is the literal text of the contract, which is NOT
#: valid JSON (``…`` elision) — a poll parser must not crash on it.
MUSIC_RECORD_INFO_DATA = {
    "taskId": "5c79****be8e",
    "parentMusicId": "",
    "param": '{"prompt":…,"model":"V4_5ALL"}',
    "response": {
        "taskId": "5c79****be8e",
        "sunoData": [
            {
                "id": "8551****662c",
                "audioUrl": "…mp3",
                "streamAudioUrl": "…",
                "imageUrl": "…jpeg",
                "prompt": "[Verse] …",
                "modelName": "chirp-v3-5",
                "title": "…",
                "tags": "electrifying, rock",
                "createTime": "2025-01-01 00:00:00",
                "duration": 198.44,
            }
        ],
    },
    "status": "SUCCESS",
    "type": "GENERATE",
    "operationType": "generate",
    "errorCode": None,
    "errorMessage": None,
}
MUSIC_RECORD_INFO = {"code": 200, "msg": "success", "data": MUSIC_RECORD_INFO_DATA}

#: openapi example of generate/record-info (valid JSON ``param``; no ``operationType``).
MUSIC_RECORD_INFO_OPENAPI = {
    "code": 200,
    "msg": "success",
    "data": {
        "taskId": "5c79****be8e",
        "parentMusicId": "",
        "param": '{"prompt":"A calm piano track","style":"Classical","title":"Peaceful Piano",'
        '"customMode":true,"instrumental":true,"model":"V4_5ALL"}',
        "response": {
            "taskId": "5c79****be8e",
            "sunoData": [
                {
                    "id": "8551****662c",
                    "audioUrl": "https://example.cn/****.mp3",
                    "streamAudioUrl": "https://example.cn/****",
                    "imageUrl": "https://example.cn/****.jpeg",
                    "prompt": "[Verse] 夜晚城市 灯火辉煌",
                    "modelName": "chirp-v3-5",
                    "title": "钢铁侠",
                    "tags": "electrifying, rock",
                    "createTime": "2025-01-01 00:00:00",
                    "duration": 198.44,
                }
            ],
        },
        "status": "SUCCESS",
        "type": "GENERATE",
        "errorCode": None,
        "errorMessage": None,
    },
}


def _music_stage(status: str, tracks: list | None, error_code=None, error_message=None) -> dict:
    """built: a record-info envelope for an intermediate or failed music stage (contract §5.8)."""
    data = {
        "taskId": "5c79****be8e",
        "parentMusicId": "",
        "param": '{"prompt":"A calm piano track","customMode":false,"instrumental":false,"model":"V5"}',
        "response": {"taskId": "5c79****be8e", "sunoData": tracks} if tracks is not None else None,
        "status": status,
        "type": "GENERATE",
        "operationType": "generate",
        "errorCode": error_code,
        "errorMessage": error_message,
    }
    return {"code": 200, "msg": "success", "data": data}


def _stream_track(track_id: str, title: str) -> dict:
    """built: a camelCase track before completion (stream URL only, §5.8 note)."""
    return {
        "id": track_id,
        "audioUrl": "",
        "streamAudioUrl": f"https://example.cn/{track_id}",
        "imageUrl": f"https://example.cn/{track_id}.jpeg",
        "prompt": "[Verse] Night city lights shining",
        "modelName": "chirp-crow",
        "title": title,
        "tags": "electrifying, rock",
        "createTime": "2025-01-01 00:00:00",
        "duration": None,
    }


MUSIC_RECORD_INFO_PENDING = _music_stage("PENDING", None)
MUSIC_RECORD_INFO_TEXT_SUCCESS = _music_stage(
    "TEXT_SUCCESS", [_stream_track("8551****662c", "Iron Man"), _stream_track("bd15****1873", "Iron Man")]
)
MUSIC_RECORD_INFO_FIRST_SUCCESS = _music_stage(
    "FIRST_SUCCESS", [_stream_track("8551****662c", "Iron Man"), _stream_track("bd15****1873", "Iron Man")]
)
MUSIC_RECORD_INFO_SENSITIVE = _music_stage(
    "SENSITIVE_WORD_ERROR", None, 400, "The lyrics contain an artist name; please remove it."
)
MUSIC_RECORD_INFO_FAILED = _music_stage(
    "GENERATE_AUDIO_FAILED", None, 500, "Audio generation failed."
)

#: openapi example of lyrics/record-info (contract §5.13 fields).
LYRICS_RECORD_INFO = {
    "code": 200,
    "msg": "success",
    "data": {
        "taskId": "11dc****8b0f",
        "param": '{"prompt":"A song about peaceful night in the city"}',
        "response": {
            "taskId": "11dc****8b0f",
            "data": [
                {
                    "text": "[Verse]\n我穿越城市黑暗夜\n心中燃烧梦想的烈火",
                    "title": "钢铁侠",
                    "status": "complete",
                    "errorMessage": "",
                }
            ],
        },
        "status": "SUCCESS",
        "type": "LYRICS",
        "errorCode": None,
        "errorMessage": None,
    },
}

#: openapi example of wav/record-info (contract §5.14 fields; ``successFlag`` string).
WAV_RECORD_INFO = {
    "code": 200,
    "msg": "success",
    "data": {
        "taskId": "988e****c8d3",
        "musicId": "8551****662c",
        "callbackUrl": "https://api.example.com/callback",
        "completeTime": "2025-01-01 00:10:00",
        "response": {"audioWavUrl": "https://example.com/s/04e6****e727.wav"},
        "successFlag": "SUCCESS",
        "createTime": "2025-01-01 00:00:00",
        "errorCode": None,
        "errorMessage": None,
    },
}

_STEM_NULLS = {
    "originUrl": None, "instrumentalUrl": None, "vocalUrl": None, "backingVocalsUrl": None,
    "drumsUrl": None, "bassUrl": None, "guitarUrl": None, "keyboardUrl": None,
    "percussionUrl": None, "stringsUrl": None, "synthUrl": None, "fxUrl": None,
    "brassUrl": None, "woodwindsUrl": None,
}

#: openapi example (separate_vocal) of vocal-removal/record-info (contract §5.15; epoch-ms times).
STEMS_RECORD_INFO_SEPARATE_VOCAL = {
    "code": 200,
    "msg": "success",
    "data": {
        "taskId": "3e63b4cc88d52611159371f6af5571e7",
        "musicId": "376c687e-d439-42c1-b1e4-bcb43b095ec2",
        "callbackUrl": "https://57312fc2e366.ngrok-free.app/api/v1/vocal-removal/test",
        "audioId": "e231****-****-****-****-****8cadc7dc",
        "completeTime": 1753782937000,
        "response": {
            **_STEM_NULLS,
            "instrumentalUrl": "https://file.aiquickdraw.com/s/d92a13bf-c6f4-4ade-bb47-f69738435528_Instrumental.mp3",
            "vocalUrl": "https://file.aiquickdraw.com/s/3d7021c9-fa8b-4eda-91d1-3b9297ddb172_Vocals.mp3",
        },
        "successFlag": "SUCCESS",
        "createTime": 1753782854000,
        "errorCode": None,
        "errorMessage": None,
    },
}

_AQD = "https://file.aiquickdraw.com/s/"

#: openapi example (split_stem) of vocal-removal/record-info.
STEMS_RECORD_INFO_SPLIT_STEM = {
    "code": 200,
    "msg": "success",
    "data": {
        "taskId": "e649edb7abfd759285bd41a47a634b10",
        "musicId": "376c687e-d439-42c1-b1e4-bcb43b095ec2",
        "callbackUrl": "https://57312fc2e366.ngrok-free.app/api/v1/vocal-removal/test",
        "audioId": "e231****-****-****-****-****8cadc7dc",
        "completeTime": 1753782459000,
        "response": {
            "originUrl": None,
            "instrumentalUrl": None,
            "vocalUrl": _AQD + "07420749-29a2-4054-9b62-e6a6f8b90ccb_Vocals.mp3",
            "backingVocalsUrl": _AQD + "aadc51a3-4c88-4c8e-a4c8-e867c539673d_Backing_Vocals.mp3",
            "drumsUrl": _AQD + "ac75c5ea-ac77-4ad2-b7d9-66e140b78e44_Drums.mp3",
            "bassUrl": _AQD + "a3c2da5a-b364-4422-adb5-2692b9c26d33_Bass.mp3",
            "guitarUrl": _AQD + "064dd08e-d5d2-4201-9058-c5c40fb695b4_Guitar.mp3",
            "keyboardUrl": _AQD + "adc934e0-df7d-45da-8220-1dba160d74e0_Keyboard.mp3",
            "percussionUrl": _AQD + "0f70884d-047c-41f1-a6d0-7044618b7dc6_Percussion.mp3",
            "stringsUrl": _AQD + "49829425-a5b0-424e-857a-75d4c63a426b_Strings.mp3",
            "synthUrl": _AQD + "56b2d94a-eb92-4d21-bc43-3460de0c8348_Synth.mp3",
            "fxUrl": _AQD + "a8822c73-6629-4089-8f2a-d19f41f0007d_FX.mp3",
            "brassUrl": _AQD + "334b2d23-0c65-4a04-92c7-22f828afdd44_Brass.mp3",
            "woodwindsUrl": _AQD + "d81545b1-6f94-4388-9785-1aaa6ecabb02_Woodwinds.mp3",
        },
        "successFlag": "SUCCESS",
        "createTime": 1753782327000,
        "errorCode": None,
        "errorMessage": None,
    },
}

#: built from contract §5.16 (mp4/record-info fields).
MP4_RECORD_INFO = {
    "code": 200,
    "msg": "success",
    "data": {
        "taskId": "taskId_774b9aa0422f",
        "musicId": "8551****662c",
        "callbackUrl": "https://api.example.com/callback",
        "audioId": "e231****-****-****-****-****8cadc7dc",
        "completeTime": "2025-01-01 00:10:00",
        "response": {"videoUrl": "https://example.com/s/774b****0422f.mp4"},
        "successFlag": "SUCCESS",
        "createTime": "2025-01-01 00:00:00",
        "errorCode": None,
        "errorMessage": None,
    },
}

#: openapi example of suno/cover/record-info (contract §5.11; ``successFlag`` is an INTEGER).
COVER_RECORD_INFO = {
    "code": 200,
    "msg": "success",
    "data": {
        "taskId": "21aee3c3c2a01fa5e030b3799fa4dd56",
        "parentTaskId": "73d6128b3523a0079df10da9471017c8",
        "callbackUrl": "https://api.example.com/callback",
        "completeTime": "2025-01-15T10:35:27.000Z",
        "response": {
            "images": [
                "https://tempfile.aiquickdraw.com/s/1753958521_6c1b3015141849d1a9bf17b738ce9347.png",
                "https://tempfile.aiquickdraw.com/s/1753958524_c153143acc6340908431cf0e90cbce9e.png",
            ]
        },
        "successFlag": 1,
        "createTime": "2025-01-15T10:33:01.000Z",
        "errorCode": 200,
        "errorMessage": "",
    },
}

#: built: pending / failed variants of the non-music families (same fields, no results yet).
LYRICS_RECORD_INFO_PENDING = {
    "code": 200, "msg": "success",
    "data": {"taskId": "11dc****8b0f", "param": '{"prompt":"A song about peaceful night in the city"}',
             "response": None, "status": "PENDING", "type": "LYRICS",
             "errorCode": None, "errorMessage": None},
}
WAV_RECORD_INFO_FAILED = {
    "code": 200, "msg": "success",
    "data": {"taskId": "988e****c8d3", "musicId": "8551****662c",
             "callbackUrl": "https://api.example.com/callback", "completeTime": None,
             "response": None, "successFlag": "GENERATE_WAV_FAILED",
             "createTime": "2025-01-01 00:00:00", "errorCode": 500,
             "errorMessage": "WAV conversion failed"},
}
COVER_RECORD_INFO_GENERATING = {
    "code": 200, "msg": "success",
    "data": {"taskId": "21aee3c3c2a01fa5e030b3799fa4dd56",
             "parentTaskId": "73d6128b3523a0079df10da9471017c8",
             "callbackUrl": "https://api.example.com/callback", "completeTime": None,
             "response": None, "successFlag": 2, "createTime": "2025-01-15T10:33:01.000Z",
             "errorCode": None, "errorMessage": ""},
}
COVER_RECORD_INFO_FAILED = {
    "code": 200, "msg": "success",
    "data": {**COVER_RECORD_INFO_GENERATING["data"], "successFlag": 3, "errorCode": 500,
             "errorMessage": "Internal error - Please try again later."},
}

# --------------------------------------------------------------------------------------------
# Upload API (§5.18) — different envelope: {success, code, msg, data}
# --------------------------------------------------------------------------------------------

#: contract §5.18 fields with the openapi example values.
UPLOAD_OK = {
    "success": True,
    "code": 200,
    "msg": "File uploaded successfully",
    "data": {
        "fileName": "uploaded-image.png",
        "filePath": "images/user-uploads/uploaded-image.png",
        "downloadUrl": "https://tempfile.redpandaai.co/xxx/images/user-uploads/uploaded-image.png",
        "fileSize": 154832,
        "mimeType": "image/png",
        "uploadedAt": "2025-01-01T12:00:00.000Z",
    },
}
#: contract §5.18 error example.
UPLOAD_ERROR_400 = {"success": False, "code": 400, "msg": "Missing required parameter: uploadPath"}
#: openapi UnauthorizedError example.
UPLOAD_ERROR_401 = {"success": False, "code": 401, "msg": "Authentication failed: Invalid API Key"}

# --------------------------------------------------------------------------------------------
# Callbacks (§6)
# --------------------------------------------------------------------------------------------

#: contract §6.1, verbatim (wrapped sunoapi.org shape; snake_case tracks; second track elided).
CALLBACK_MUSIC_COMPLETE = {
    "code": 200,
    "msg": "All generated successfully.",
    "data": {
        "callbackType": "complete",
        "task_id": "2fac****9f72",
        "data": [
            {
                "id": "8551****662c",
                "audio_url": "https://…mp3",
                "source_audio_url": "https://…mp3",
                "stream_audio_url": "https://…",
                "source_stream_audio_url": "https://…",
                "image_url": "https://…jpeg",
                "source_image_url": "https://…jpeg",
                "prompt": "[Verse] …",
                "model_name": "chirp-v3-5",
                "title": "Iron Man",
                "tags": "electrifying, rock",
                "createTime": "2025-01-01 00:00:00",
                "duration": 198.44,
            },
            {"id": "bd15****1873", "…": "second track", "duration": 228.28},
        ],
    },
}


def _music_callback(callback_type: str) -> dict:
    """built: a §6.1 delivery for an earlier stage (stream URLs only, no ``audio_url`` yet)."""
    tracks = [
        {"id": tid, "audio_url": "", "stream_audio_url": f"https://example.cn/{tid}",
         "image_url": f"https://example.cn/{tid}.jpeg", "prompt": "[Verse] …",
         "model_name": "chirp-crow", "title": "Iron Man", "tags": "electrifying, rock",
         "createTime": "2025-01-01 00:00:00", "duration": None}
        for tid in ("8551****662c", "bd15****1873")
    ]
    return {"code": 200, "msg": f"{callback_type} generated successfully.",
            "data": {"callbackType": callback_type, "task_id": "2fac****9f72", "data": tracks}}


CALLBACK_MUSIC_TEXT = _music_callback("text")
CALLBACK_MUSIC_FIRST = _music_callback("first")

#: contract §6.1 failure shape (sunoapi.org pages); the task id is elided there, filled here.
CALLBACK_MUSIC_ERROR = {
    "code": 400,
    "msg": "Generation failed",
    "data": {"callbackType": "error", "task_id": "2fac****9f72", "data": None},
}
#: contract §6.1 kie.ai variant (failure code 501).
CALLBACK_MUSIC_ERROR_501 = {
    "code": 501,
    "msg": "Audio generation failed.",
    "data": {"callbackType": "error", "task_id": "2fac****9f72", "data": None},
}

#: contract §2.3, verbatim field list: AnyInt's FLAT example (no {code,msg,data} wrapper).
CALLBACK_MUSIC_FLAT_ANYINT = {
    "callbackType": "complete",
    "task_id": "2fac****9f72",
    "data": [
        {
            "id": "8551****662c",
            "audio_url": "https://example.cn/8551****662c.mp3",
            "stream_audio_url": "https://example.cn/8551****662c",
            "image_url": "https://example.cn/8551****662c.jpeg",
            "title": "Iron Man",
            "tags": "electrifying, rock",
            "duration": 198.44,
        }
    ],
}

#: contract §6.2 + openapi lyrics callback example (camelCase ``taskId``).
CALLBACK_LYRICS = {
    "code": 200,
    "msg": "All generated successfully.",
    "data": {
        "callbackType": "complete",
        "taskId": "11dc****8b0f",
        "data": [
            {"text": "[Verse]\n我穿越城市黑暗夜\n心中燃烧梦想的烈火", "title": "钢铁侠",
             "status": "complete", "errorMessage": ""},
            {"text": "[Verse]\n风在呼唤我名字\n钢铁盔甲闪得刺眼", "title": "钢铁侠",
             "status": "complete", "errorMessage": ""},
        ],
    },
}
#: contract §6.2 failure.
CALLBACK_LYRICS_ERROR = {
    "code": 400,
    "msg": "Lyrics generation failed",
    "data": {"callbackType": "error", "taskId": "11dc****8b0f", "data": None},
}

#: contract §6.3.
CALLBACK_WAV = {
    "code": 200,
    "msg": "success",
    "data": {"task_id": "988e****c8d3", "audioWavUrl": "https://example.com/s/04e6****e727.wav"},
}
#: contract §6.3 failure.
CALLBACK_WAV_ERROR = {
    "code": 500,
    "msg": "WAV generation failed",
    "data": {"task_id": "988e****c8d3", "audioWavUrl": None},
}

#: contract §6.4 / openapi separate_vocal callback example.
CALLBACK_STEMS_SEPARATE_VOCAL = {
    "code": 200,
    "data": {
        "task_id": "3e63b4cc88d52611159371f6af5571e7",
        "vocal_removal_info": {
            "instrumental_url": _AQD + "d92a13bf-c6f4-4ade-bb47-f69738435528_Instrumental.mp3",
            "origin_url": "",
            "vocal_url": _AQD + "3d7021c9-fa8b-4eda-91d1-3b9297ddb172_Vocals.mp3",
        },
    },
    "msg": "vocal Removal generated successfully.",
}
#: contract §6.4 / openapi split_stem callback example.
CALLBACK_STEMS_SPLIT_STEM = {
    "code": 200,
    "data": {
        "task_id": "e649edb7abfd759285bd41a47a634b10",
        "vocal_removal_info": {
            "origin_url": "",
            "backing_vocals_url": _AQD + "aadc51a3-4c88-4c8e-a4c8-e867c539673d_Backing_Vocals.mp3",
            "bass_url": _AQD + "a3c2da5a-b364-4422-adb5-2692b9c26d33_Bass.mp3",
            "brass_url": _AQD + "334b2d23-0c65-4a04-92c7-22f828afdd44_Brass.mp3",
            "drums_url": _AQD + "ac75c5ea-ac77-4ad2-b7d9-66e140b78e44_Drums.mp3",
            "fx_url": _AQD + "a8822c73-6629-4089-8f2a-d19f41f0007d_FX.mp3",
            "guitar_url": _AQD + "064dd08e-d5d2-4201-9058-c5c40fb695b4_Guitar.mp3",
            "keyboard_url": _AQD + "adc934e0-df7d-45da-8220-1dba160d74e0_Keyboard.mp3",
            "percussion_url": _AQD + "0f70884d-047c-41f1-a6d0-7044618b7dc6_Percussion.mp3",
            "strings_url": _AQD + "49829425-a5b0-424e-857a-75d4c63a426b_Strings.mp3",
            "synth_url": _AQD + "56b2d94a-eb92-4d21-bc43-3460de0c8348_Synth.mp3",
            "vocal_url": _AQD + "07420749-29a2-4054-9b62-e6a6f8b90ccb_Vocals.mp3",
            "woodwinds_url": _AQD + "d81545b1-6f94-4388-9785-1aaa6ecabb02_Woodwinds.mp3",
        },
    },
    "msg": "vocal Removal generated successfully.",
}
#: contract §6.4 failure.
CALLBACK_STEMS_ERROR = {
    "code": 500,
    "msg": "vocal Removal failed.",
    "data": {"task_id": "3e63b4cc88d52611159371f6af5571e7", "vocal_removal_info": None},
}

#: contract §6.5 (the URL is elided there; a concrete one is filled in).
CALLBACK_MP4 = {
    "code": 200,
    "msg": "MP4 generated successfully.",
    "data": {"task_id": "taskId_774b9aa0422f", "video_url": "https://example.com/s/774b****0422f.mp4"},
}
#: contract §6.5 failure.
CALLBACK_MP4_ERROR = {
    "code": 451,
    "msg": "Failed to fetch the source music.",
    "data": {"task_id": "taskId_774b9aa0422f", "video_url": None},
}

#: contract §6.6 (camelCase ``taskId``) with the openapi image URLs.
CALLBACK_COVER = {
    "code": 200,
    "msg": "success",
    "data": {
        "taskId": "21aee3c3c2a01fa5e030b3799fa4dd56",
        "images": [
            "https://tempfile.aiquickdraw.com/s/1753958521_6c1b3015141849d1a9bf17b738ce9347.png",
            "https://tempfile.aiquickdraw.com/s/1753958524_c153143acc6340908431cf0e90cbce9e.png",
        ],
    },
}
#: contract §6.6 failure (code 500).
CALLBACK_COVER_ERROR = {
    "code": 500,
    "msg": "Cover generation failed",
    "data": {"taskId": "21aee3c3c2a01fa5e030b3799fa4dd56", "images": None},
}

#: Every record-info example by family, for parametrised tests.
RECORD_INFO_BY_FAMILY = {
    "music": MUSIC_RECORD_INFO,
    "lyrics": LYRICS_RECORD_INFO,
    "wav": WAV_RECORD_INFO,
    "stems": STEMS_RECORD_INFO_SPLIT_STEM,
    "mp4": MP4_RECORD_INFO,
    "cover": COVER_RECORD_INFO,
}


# ---- newer routes (contract-newer.md) ------------------------------------------------------------

#: contract-newer §4, the DS example verbatim (epoch-ms times, integer successFlag).
MIDI_RECORD_INFO = {"code": 200, "msg": "success", "data": {
    "taskId": "5c79****be8e", "recordTaskId": -1, "audioId": "e231****-****-****-****-8cadc7dc",
    "callbackUrl": "https://api.example.com/callback", "completeTime": 1760335255000,
    "midiData": {"state": "complete", "instruments": [{"name": "Drums", "notes": [
        {"pitch": 73, "start": 0.0364, "end": 0.1822, "velocity": 1}]}]},
    "successFlag": 1, "createTime": 1760335251000, "errorCode": None, "errorMessage": None}}
MIDI_RECORD_INFO_PENDING = {"code": 200, "msg": "success", "data": {
    "taskId": "5c79****be8e", "midiData": None, "successFlag": 0}}
MIDI_RECORD_INFO_FAILED = {"code": 200, "msg": "success", "data": {
    "taskId": "5c79****be8e", "midiData": None, "successFlag": 3, "errorCode": "500",
    "errorMessage": "MIDI generation failed"}}
#: contract-newer §4 callback: task_id at the top level, note times as strings.
CALLBACK_MIDI = {"task_id": "5c79****be8e", "code": 200, "msg": "success", "data": {
    "state": "complete", "instruments": [{"name": "Drums", "notes": [
        {"pitch": 73, "start": "0.0364", "end": "0.1822", "velocity": 1}]}]}}
#: the current kie CN page: taskId inside data.
CALLBACK_MIDI_KIE = {"code": 200, "msg": "success", "data": {
    "taskId": "5c79****be8e", "state": "complete", "instruments": []}}

#: contract-newer §5: the create answer's id is snake_case task_id.
RECOVERY_CREATE_OK = {"code": 200, "msg": "success", "data": {"task_id": "rec****0001"}}
RECOVERY_RUNNING = {"code": 201, "msg": "processing", "task_id": "rec****0001", "data": None}
RECOVERY_DONE = {"code": 200, "msg": "success", "task_id": "rec****0001", "data": [
    {"id": "8551****662c", "audio_url": "https://cdn.example/8551.m4a", "title": "Iron Man",
     "status": "success", "error": ""},
    {"id": "bd15****1873", "title": "Iron Man", "status": "failed", "error": "clip_error"}]}
RECOVERY_ALL_FAILED = {"code": 500, "msg": "all failed", "task_id": "rec****0001", "data": [
    {"id": "8551****662c", "status": "failed", "error": "no_audio_id_mappings"}]}
CALLBACK_RECOVERY = RECOVERY_DONE

#: contract-newer §6, validate-info and record-info, and the callbacks.
VOICE_PHRASE_READY = {"code": 200, "msg": "success", "data": {
    "taskId": "val****0001", "validateInfo": "The quick brown fox sings at dawn",
    "status": "wait_validating", "errorCode": None, "errorMessage": None}}
VOICE_PHRASE_WORKING = {"code": 200, "msg": "success", "data": {
    "taskId": "val****0001", "validateInfo": "", "status": "processing_validate"}}
VOICE_RECORD_READY = {"code": 200, "msg": "success", "data": {
    "taskId": "gen****0001", "voiceId": "voice-7f3a", "status": "success", "errorCode": None,
    "errorMessage": None}}
VOICE_RECORD_FAILED = {"code": 200, "msg": "success", "data": {
    "taskId": "gen****0001", "voiceId": "", "status": "fail", "errorCode": 500,
    "errorMessage": "Verification audio did not match the validation phrase"}}
CALLBACK_VOICE_PHRASE = {"code": 200, "msg": "success", "data": {
    "taskId": "val****0001", "validateInfo": "The quick brown fox sings at dawn",
    "status": "wait_validating", "errorCode": 0, "errorMessage": ""}}
CALLBACK_VOICE_PHRASE_FAILED = {"code": 400, "msg": "failed", "data": {
    "taskId": "val****0001", "validateInfo": "", "status": "processing_validate_fail",
    "errorCode": 400, "errorMessage": "no voice found"}}
CALLBACK_VOICE = {"code": 200, "msg": "success", "data": {
    "taskId": "gen****0001", "voiceId": "voice-7f3a", "status": "success", "errorCode": 0,
    "errorMessage": ""}}
CALLBACK_VOICE_FAILED = {"code": 400, "msg": "failed", "data": {
    "taskId": "gen****0001", "voiceId": "", "status": "fail", "errorCode": 500,
    "errorMessage": "Verification audio did not match the validation phrase"}}
VOICE_CHECK_OK = {"code": 200, "msg": "success", "data": {"isAvailable": True}}

# --------------------------------------------------------------------------------------------
# DashScope on the AnyInt gateway (contract-media.md §2.5-2.8), Kling (§1.5), OpenAI (§3)
# --------------------------------------------------------------------------------------------

#: contract-media §2.5: the create answer of a video-synthesis task.
DASHSCOPE_CREATE = {"output": {"task_id": "966cebcd-dedc-4962-af88-xxxxxx",
                               "task_status": "PENDING"},
                    "request_id": "c1209113-8437-424f-a386-xxxxxx"}
#: contract-media §2.5: the poll on success.
DASHSCOPE_VIDEO_SUCCEEDED = {
    "request_id": "c1209113-8437-424f-a386-xxxxxx",
    "output": {
        "task_id": "966cebcd-dedc-4962-af88-xxxxxx", "task_status": "SUCCEEDED",
        "submit_time": "2025-07-27 21:05:15.212", "scheduled_time": "2025-07-27 21:05:15.232",
        "end_time": "2025-07-27 21:07:58.027",
        "video_url": "https://dashscope-result-sh.oss-accelerate.aliyuncs.com/xxx.mp4?Expires=xxx",
        "orig_prompt": "…", "actual_prompt": "…",
        "task_metrics": {"TOTAL": 1, "SUCCEEDED": 1, "FAILED": 0}},
    "usage": {"video_count": 1, "video_duration": 10, "SR": 1080}}
#: contract-media §2.3 (CNB get-task-image-synthesis-success, trimmed): the async wan
#: text-to-image task's poll on success (4 images; each may carry the rewritten prompt).
DASHSCOPE_IMAGE_SUCCEEDED = {
    "request_id": "6662e925-…",
    "output": {
        "task_id": "9e2b6ef6-285d-4efa-8651-4dbda7d571fa", "task_status": "SUCCEEDED",
        "submit_time": "2024-03-01 17:38:24.817", "scheduled_time": "2024-03-01 17:38:24.831",
        "end_time": "2024-03-01 17:38:55.565",
        "results": [{"url": "https://dashscope-result-bj.oss-cn-beijing.aliyuncs.com/a-1.png",
                     "orig_prompt": "a record-store poster",
                     "actual_prompt": "a record-store poster, retro risograph style"},
                    {"url": "https://dashscope-result-bj.oss-cn-beijing.aliyuncs.com/a-2.png"},
                    {"url": "https://dashscope-result-bj.oss-cn-beijing.aliyuncs.com/a-3.png"},
                    {"url": "https://dashscope-result-bj.oss-cn-beijing.aliyuncs.com/a-4.png"}],
        "task_metrics": {"TOTAL": 4, "SUCCEEDED": 4, "FAILED": 0}},
    "usage": {"image_count": 4}}
#: contract-media §2.3 (CNB image-synthesis create): the async t2i route's create answer.
DASHSCOPE_IMAGE_CREATE = {"output": {"task_status": "PENDING",
                                     "task_id": "9e2b6ef6-285d-4efa-8651-4dbda7d571fa"},
                          "request_id": "33da8e6b-1309-9a44-be83-352165959608"}
#: contract-media §2.3 (CNB get-task-running), the video task's poll while it runs.
DASHSCOPE_RUNNING = {"request_id": "edbd4e81-…", "output": {
    "task_id": "966cebcd-dedc-4962-af88-xxxxxx", "task_status": "RUNNING",
    "submit_time": "2024-03-01 17:38:24.817", "scheduled_time": "2024-03-01 17:38:24.831",
    "task_metrics": {"TOTAL": 1, "SUCCEEDED": 0, "FAILED": 0}}}
#: contract-media §2.6 (CNB get-task-unknown): an expired or invalid id, with HTTP 200.
DASHSCOPE_UNKNOWN = {"request_id": "85c25460-…", "output": {"task_id": "1111",
                                                            "task_status": "UNKNOWN"}}
#: contract-media §2.8: a failed task (HTTP 200).
DASHSCOPE_FAILED = {"request_id": "r-1", "output": {
    "task_id": "966cebcd-dedc-4962-af88-xxxxxx", "task_status": "FAILED",
    "code": "InvalidParameter", "message": "Field required: input.media"}}
#: contract-media §2.8 (CNB): HTTP-level error bodies.
DASHSCOPE_401 = {"code": "InvalidApiKey", "message": "Invalid API-key provided.",
                 "request_id": "a1c0561c-1dfe-98a6-a62f-983577b8bc5e"}
DASHSCOPE_400 = {"code": "InvalidParameter", "message": "Role must be user or assistant and "
                 "Content length must be greater than 0", "request_id": "a5898c04-…"}
#: contract-media §0.7: the AnyInt gateway's own error shape.
GATEWAY_ERROR_429 = {"error": {"message": "Rate limit reached", "type": "rate_limit_error",
                               "code": "rate_limit_exceeded"}}
#: contract-media §1.5 [V-3p]: Kling's native envelope.
KLING_CREATE = {"code": 0, "message": "SUCCEED", "request_id": "k-1",
                "data": {"task_id": "kt-1", "task_status": "submitted"}}
KLING_DONE = {"code": 0, "message": "SUCCEED", "request_id": "k-2", "data": {
    "task_id": "kt-1", "task_status": "succeed",
    "task_result": {"videos": [{"id": "v1", "url": "https://kling.example/v1.mp4",
                                "duration": "5"}]}}}
#: contract-media §1.3 [V CNB multimodal-generation-image-nosse]: the sync Qwen-Image answer.
QWEN_IMAGE_OK = {"output": {"choices": [{"finish_reason": "stop", "message": {
    "role": "assistant", "content": [{"image": "https://dashscope-result.oss-cn-shanghai."
                                               "aliyuncs.com/q1.png?Expires=1&Signature=s"}]}}],
    "task_metric": {"FAILED": 0, "SUCCEEDED": 1, "TOTAL": 1}},
    "usage": {"height": 928, "image_count": 1, "width": 1664},
    "request_id": "5795d646-…"}
#: contract-media §1.5 [V-3p]: a Kling image task that succeeded.
KLING_IMAGE_DONE = {"code": 0, "message": "SUCCEED", "request_id": "k-3", "data": {
    "task_id": "ki-1", "task_status": "succeed",
    "task_result": {"images": [{"index": 0, "url": "https://kling.example/i0.png"},
                               {"index": 1, "url": "https://kling.example/i1.png"}]}}}
#: contract-media §3: one OpenAI chat completion (stream false), as the text server answers it.
CHAT_COMPLETION_OK = {
    "id": "chatcmpl-1", "object": "chat.completion", "created": 1767225600, "model": "gpt-5",
    "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                 "message": {"role": "assistant", "content": "Neon rain on the city, a slow "
                             "synth line and a voice that carries the chorus home.",
                             "refusal": None}}],
    "usage": {"prompt_tokens": 12, "completion_tokens": 18, "total_tokens": 30}}
