from ui.theme import MIN_TARGET_MM, Theme


def test_touch_targets_are_at_least_15_mm_on_the_configured_panel() -> None:
    for px, mm in ((1280, 476.0), (1920, 476.0), (1024, 222.0), (3840, 1200.0)):
        t = Theme(px, mm)
        assert t.target / t.px_per_mm >= MIN_TARGET_MM


def test_elderly_mode_is_larger_and_higher_contrast() -> None:
    normal, elderly = Theme(1280, 476.0), Theme(1280, 476.0, elderly=True)
    assert elderly.font_px > normal.font_px and elderly.target > normal.target
    assert elderly.colors["fg"] == "#000000" and elderly.colors["bg"] == "#ffffff"
    assert "font-family" in elderly.stylesheet()
