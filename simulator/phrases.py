"""Verification phrases for Suno Voice validation: a short sentence in the requested language,
chosen deterministically from the voice clip (`pick(language, seed, n)`; `n` counts
regenerations, and consecutive `n` always give different sentences)."""

from __future__ import annotations

LANGUAGES = ("en", "zh", "es", "fr", "pt", "de", "ja", "ko", "hi", "ru")
PHRASES = {
    "en": ("The morning light falls softly on the quiet river.",
           "I sing this song to find my own true voice.",
           "Bright stars are dancing over the sleeping city.",
           "Every road I travel brings me closer to home.",
           "The wind carries our music across the open sea.",
           "Today my voice is clear and ready to be heard."),
    "zh": ("清晨的阳光温柔地洒在安静的河面上。", "我唱这首歌，是为了找到我自己的声音。",
           "明亮的星星在沉睡的城市上空跳舞。", "我走过的每一条路都让我离家更近。",
           "风把我们的音乐带过辽阔的大海。", "今天我的声音清晰，准备好被听见。"),
    "es": ("La luz de la mañana cae sobre el río tranquilo.",
           "Canto esta canción para encontrar mi propia voz.",
           "Las estrellas bailan sobre la ciudad dormida.",
           "Cada camino que recorro me acerca a casa.",
           "El viento lleva nuestra música sobre el mar abierto.",
           "Hoy mi voz es clara y está lista para ser escuchada."),
    "fr": ("La lumière du matin tombe doucement sur la rivière calme.",
           "Je chante cette chanson pour trouver ma propre voix.",
           "Les étoiles dansent au-dessus de la ville endormie.",
           "Chaque route que je prends me rapproche de la maison.",
           "Le vent porte notre musique sur la mer ouverte.",
           "Aujourd'hui ma voix est claire et prête à être entendue."),
    "pt": ("A luz da manhã cai suavemente sobre o rio calmo.",
           "Eu canto esta canção para encontrar a minha própria voz.",
           "As estrelas dançam sobre a cidade adormecida.",
           "Cada estrada que percorro me leva mais perto de casa.",
           "O vento leva a nossa música pelo mar aberto.",
           "Hoje a minha voz está clara e pronta para ser ouvida."),
    "de": ("Das Morgenlicht fällt sanft auf den stillen Fluss.",
           "Ich singe dieses Lied, um meine eigene Stimme zu finden.",
           "Die Sterne tanzen über der schlafenden Stadt.",
           "Jeder Weg, den ich gehe, bringt mich näher nach Hause.",
           "Der Wind trägt unsere Musik über das offene Meer.",
           "Heute ist meine Stimme klar und bereit, gehört zu werden."),
    "ja": ("朝の光が静かな川にやさしく降りそそぐ。", "自分の声を見つけるために、この歌を歌います。",
           "眠る街の上で明るい星が踊っている。", "歩くたびに、私は家に近づいていく。",
           "風が私たちの音楽を広い海の向こうへ運ぶ。", "今日の私の声は澄んでいて、届ける準備ができている。"),
    "ko": ("아침 햇살이 조용한 강 위에 부드럽게 내려앉는다.", "나는 나만의 목소리를 찾기 위해 이 노래를 부른다.",
           "밝은 별들이 잠든 도시 위에서 춤을 춘다.", "내가 걷는 모든 길은 나를 집에 더 가까이 데려간다.",
           "바람이 우리의 음악을 넓은 바다 너머로 실어 간다.", "오늘 내 목소리는 맑고 들려줄 준비가 되어 있다."),
    "hi": ("सुबह की रोशनी शांत नदी पर धीरे से गिरती है।", "मैं अपनी आवाज़ खोजने के लिए यह गीत गाता हूँ।",
           "चमकते तारे सोते हुए शहर के ऊपर नाचते हैं।", "हर रास्ता जिस पर मैं चलता हूँ, मुझे घर के करीब लाता है।",
           "हवा हमारे संगीत को खुले समुद्र के पार ले जाती है।", "आज मेरी आवाज़ साफ़ है और सुनी जाने के लिए तैयार है।"),
    "ru": ("Утренний свет мягко ложится на тихую реку.",
           "Я пою эту песню, чтобы найти свой собственный голос.",
           "Яркие звёзды танцуют над спящим городом.",
           "Каждая дорога приближает меня к дому.",
           "Ветер несёт нашу музыку над открытым морем.",
           "Сегодня мой голос чист и готов прозвучать."),
}


def pick(language: str, seed: int, n: int = 0) -> str:
    """Sentence `n` (0: the first phrase, 1..: regenerations) for a clip seed."""
    options = PHRASES[language]
    return options[(seed + n) % len(options)]
