//! ASCII, NO_COLOR and every terminal size.

use super::*;

#[test]
fn ascii_mode_uses_no_box_drawing_or_symbols() {
    let mut d = crashloop(Theme {
        color: false,
        ascii: true,
    });
    d.send(Msg::Cluster(Box::new(cluster())));
    d.keys(" ");
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = d.screen(w, h);
        assert!(screen.is_ascii(), "non-ASCII at {w}x{h}:\n{screen}");
    }
    both(&mut d, "ascii");
    // #24 (20): the tab strip's "more on the left" mark was `‹`.
    d.key(KeyCode::Tab);
    for _ in 0..6 {
        d.key(KeyCode::Right);
    }
    let screen = d.screen(80, 24);
    assert!(screen.is_ascii(), "non-ASCII in the panes:\n{screen}");
    assert!(screen.contains("[live]"), "the connection whole:\n{screen}");
}

#[test]
fn no_color_writes_no_color() {
    let mut d = crashloop(Theme::new(false, false, Some("1")));
    d.send(Msg::Cluster(Box::new(cluster())));
    d.key(KeyCode::Char('?'));
    for (w, h) in [(80, 24), (160, 48)] {
        let terminal = d.render(w, h);
        for cell in terminal.backend().buffer().content() {
            assert_eq!(cell.fg, Color::Reset, "a foreground color at {w}x{h}");
            assert_eq!(cell.bg, Color::Reset, "a background color at {w}x{h}");
        }
    }
}

#[test]
fn every_size_from_80x24_to_300x100_renders() {
    let mut d = crashloop(color());
    d.send(Msg::Cluster(Box::new(cluster())));
    for (w, h) in [
        (80, 24),
        (100, 30),
        (120, 40),
        (200, 60),
        (300, 100),
        (40, 10),
    ] {
        let screen = d.screen(w, h);
        assert!(
            screen.contains("Confirm the symptom") || h < 24,
            "{w}x{h}:\n{screen}"
        );
    }
}
