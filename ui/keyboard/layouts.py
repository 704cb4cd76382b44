"""Key layouts of the on-screen keyboard, and the spoken/visible names of special keys.

A key is a string: one character types itself; a name in ``SPECIAL`` is an action. Labels
come from here, not from Qt Linguist: the keyboard's language follows its layout (the English
layout speaks English even inside the Chinese UI)."""

from __future__ import annotations

LAYOUTS = ("pinyin", "english", "digits", "id", "symbols")

# inputKind property of a field → layout; anything else: the UI language's text layout
KIND_LAYOUT = {"digits": "digits", "number": "digits", "phone": "digits", "pin": "digits",
               "id": "id", "idcard": "id", "english": "english", "latin": "english",
               "pinyin": "pinyin", "chinese": "pinyin"}

LETTER_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")

SPECIAL = ("backspace", "shift", "space", "enter", "symbols", "letters", "switch_lang",
           "hide", "separator", "cand_prev", "cand_next")

NAMES: dict[str, dict[str, str]] = {
    "zh_CN": {"backspace": "删除", "shift": "大写", "space": "空格", "enter": "确定",
              "symbols": "数字和符号", "letters": "返回字母", "hide": "收起键盘",
              "switch_lang": "切换中英文", "separator": "分词符", "cand_prev": "上一页候选",
              "cand_next": "下一页候选", "keyboard": "屏幕键盘", "candidate": "候选",
              "preedit": "正在输入的拼音"},
    "en": {"backspace": "Delete", "shift": "Shift", "space": "Space", "enter": "Done",
           "symbols": "Numbers and symbols", "letters": "Letters", "hide": "Hide keyboard",
           "switch_lang": "Switch Chinese/English", "separator": "Syllable separator",
           "cand_prev": "Previous candidates", "cand_next": "More candidates",
           "keyboard": "On-screen keyboard", "candidate": "Candidate",
           "preedit": "Pinyin being typed"},
}

# What a special key shows (short, pictographic where the meaning is universal)
GLYPHS: dict[str, dict[str, str]] = {
    "zh_CN": {"backspace": "⌫", "shift": "⇧", "space": "空格", "enter": "确定",
              "symbols": "123", "letters": "拼音", "hide": "收起 ▾", "switch_lang": "中/英",
              "separator": "'", "cand_prev": "◀", "cand_next": "▶"},
    "en": {"backspace": "⌫", "shift": "⇧", "space": "space", "enter": "Done",
           "symbols": "123", "letters": "ABC", "hide": "Hide ▾", "switch_lang": "中/EN",
           "separator": "'", "cand_prev": "◀", "cand_next": "▶"},
}

# Spoken names of keys whose character alone says little to a screen reader
CHAR_NAMES: dict[str, dict[str, str]] = {
    "zh_CN": {",": "逗号", ".": "句号", "，": "逗号", "。": "句号", "-": "横杠", "@": "at",
              "#": "井号", "/": "斜杠", "(": "左括号", ")": "右括号", ":": "冒号",
              "_": "下划线", "?": "问号", "？": "问号", "X": "X（身份证校验码）"},
    "en": {",": "comma", ".": "period", "，": "Chinese comma", "。": "Chinese period",
           "-": "hyphen", "@": "at", "#": "number sign", "/": "slash", "(": "left parenthesis",
           ")": "right parenthesis", ":": "colon", "_": "underscore", "?": "question mark",
           "？": "question mark", "X": "X (ID check digit)"},
}


def rows(layout: str, shifted: bool = False) -> list[list[str]]:
    """The rows of keys of ``layout`` (the candidate bar of Pinyin is separate)."""
    if layout in ("pinyin", "english"):
        letters = [list(r.upper() if shifted else r) for r in LETTER_ROWS]
        letters[0].append("backspace")
        if layout == "pinyin":
            letters[1].append("separator")
            letters[2] = [*letters[2], "，", "。"]
            bottom = ["symbols", "switch_lang", "space", "enter"]
        else:
            letters[1].append("@")
            letters[2] = ["shift", *letters[2], ",", "."]
            bottom = ["symbols", "switch_lang", "space", "enter"]
        return [*letters, bottom]
    if layout == "symbols":
        return [list("1234567890") + ["backspace"], list("-/:()@#_") + ["."],
                list(",?!'\"&+*"), ["letters", "space", "enter"]]
    # The pads carry their own hide key: no candidate bar row above them (one row less,
    # which a 720-line window needs in 大字版)
    last = "X" if layout == "id" else ""
    return [["1", "2", "3", "backspace"], ["4", "5", "6", "hide"], ["7", "8", "9", ""],
            [last, "0", "", "enter"]]


def key_name(key: str, language: str) -> str:
    """Accessible name of a key."""
    lang = "en" if language == "en" else "zh_CN"
    if key in NAMES[lang]:
        return NAMES[lang][key]
    return CHAR_NAMES[lang].get(key, key)


def key_label(key: str, language: str) -> str:
    lang = "en" if language == "en" else "zh_CN"
    return GLYPHS[lang].get(key, key)


def layout_for(kind: object, language: str, hints: object = None) -> str:
    """The layout a field opens: its ``inputKind`` property; else its Qt input-method hints
    (``Qt.ImhDigitsOnly``, ``ImhDialableCharactersOnly``, ``ImhFormattedNumbersOnly`` → digits;
    ``ImhLatinOnly``, ``ImhEmailCharactersOnly``, ``ImhUrlCharactersOnly`` → English); else
    the UI language's text layout."""
    if isinstance(kind, str) and kind.lower() in KIND_LAYOUT:
        return KIND_LAYOUT[kind.lower()]
    if hints is not None:
        from PySide6.QtCore import Qt

        h = Qt.InputMethodHint(hints)  # type: ignore[call-arg]
        imh = Qt.InputMethodHint
        if h & (imh.ImhDigitsOnly | imh.ImhDialableCharactersOnly | imh.ImhFormattedNumbersOnly):
            return "digits"
        if h & (imh.ImhLatinOnly | imh.ImhEmailCharactersOnly | imh.ImhUrlCharactersOnly):
            return "english"
    return "english" if language == "en" else "pinyin"
