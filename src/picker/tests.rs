use time::macros::datetime;

use super::*;

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn ordering_setting() {
    assert_eq!(Ordering::parse(""), Ok(Ordering::Frecency));
    assert_eq!(Ordering::parse("Frecency"), Ok(Ordering::Frecency));
    assert_eq!(Ordering::parse("FRECENCY"), Ok(Ordering::Frecency));
    assert_eq!("alphabetical".parse(), Ok(Ordering::Alphabetical));
    assert_eq!(Ordering::parse("Alphabetical"), Ok(Ordering::Alphabetical));
    let err = Ordering::parse("recent").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown Ordering `recent`: expected `Frecency` or `Alphabetical`"
    );
}

#[test]
fn order_by_setting() {
    let mut f = Frecency::new();
    f.record("b", datetime!(2024-05-01 09:00:00 UTC));
    let names = strings(&["c", "b", "a"]);
    let by = |o| -> Vec<&str> {
        order(&names, o, &f)
            .into_iter()
            .map(String::as_str)
            .collect()
    };
    assert_eq!(by(Ordering::Frecency), ["b", "a", "c"]);
    assert_eq!(by(Ordering::Alphabetical), ["a", "b", "c"]);
}

#[test]
fn no_profiles_gives_granted_error() {
    let err = pick(&[], PROMPT, false).unwrap_err();
    assert!(matches!(err, PickerError::NoProfiles));
    assert_eq!(
        err.to_string(),
        "Granted couldn't find any AWS profiles in your config file or your credentials file"
    );
    assert!(
        PickerError::NoTerminal
            .to_string()
            .contains("profile name as an argument")
    );
}

#[test]
fn usage_tip_lines() {
    assert_eq!(
        usage_tip("prod", &[]),
        "[i] To assume this profile again later without needing to select it, run: assume prod"
    );
    assert_eq!(
        usage_tip(
            "my profile",
            &strings(&["-r", "eu-west-1", "--exec", "aws s3 ls"])
        ),
        "[i] To assume this profile again later without needing to select it, run: assume 'my profile' -r eu-west-1 --exec 'aws s3 ls'"
    );
    assert!(usage_tip("it's", &[]).ends_with(r"run: assume 'it'\''s'"));
    assert!(usage_tip("a;$(b)", &[]).ends_with("run: assume 'a;$(b)'"));
    assert!(usage_tip("", &[]).ends_with("run: assume ''"));
    assert!(usage_tip("acct/role@x_1.2", &[]).ends_with("run: assume acct/role@x_1.2"));
}

#[test]
fn rows_without_descriptions_are_names() {
    let items = [Item::new("dev"), Item::new("production")];
    let rows = Rows::new(&items, 80);
    assert_eq!(rows.lines, ["dev", "production"]);
    assert_eq!(rows.name_width, None);
    assert_eq!(rows.header, None);
}

#[test]
fn rows_with_descriptions_line_up() {
    let items = [
        Item {
            name: "dev".into(),
            description: Some("Development account".into()),
        },
        Item::new("production-admin"),
    ];
    let rows = Rows::new(&items, 80);
    assert_eq!(
        rows.lines,
        ["dev               Development account", "production-admin"]
    );
    assert_eq!(rows.name_width, Some(18));
    assert_eq!(
        rows.header.as_deref(),
        Some("Profile           Description")
    );
    // Cut to the terminal's width, but never into the name.
    let narrow = Rows::new(&items, 24);
    assert_eq!(narrow.lines[0], "dev               Deve");
    assert_eq!(narrow.lines[1], "production-admin");
    assert!(narrow.lines.iter().all(|l| l.len() <= 22));
    assert_eq!(cut("ééé", 3, ""), "é");
}

fn items() -> Vec<Item> {
    let item = |name: &str, description: Option<&str>| Item {
        name: name.into(),
        description: description.map(Into::into),
    };
    vec![
        item("dev", Some("Development account")),
        item("prod-admin", Some("Production, admin")),
        item("prod-readonly", None),
        item("staging", Some("Staging")),
        item("account-1/AdminRole", None),
    ]
}

/// The names `filter` shows for `input`, in order.
fn shown(input: &str) -> Vec<String> {
    let items = items();
    filter(&items, input)
        .into_iter()
        .map(|i| items[i].name.clone())
        .collect()
}

#[test]
fn filter_words_match_in_any_order() {
    assert_eq!(shown("prod admin"), ["prod-admin"]);
    assert_eq!(shown("admin prod"), ["prod-admin"]);
    assert_eq!(shown("admin acc"), ["account-1/AdminRole"]);
    assert_eq!(shown("  prod \t admin  "), ["prod-admin"]);
}

#[test]
fn filter_ignores_case() {
    assert_eq!(shown("PROD ADMIN"), ["prod-admin"]);
    assert_eq!(shown("adminrole"), ["account-1/AdminRole"]);
    assert_eq!(shown("ÉTÉ"), Vec::<String>::new());
    let items = [Item::new("Été")];
    assert_eq!(filter(&items, "été"), [0]);
}

#[test]
fn filter_words_match_the_description_too() {
    assert_eq!(shown("development"), ["dev"]);
    // One word in the name, one in the description.
    assert_eq!(shown("dev account"), ["dev"]);
    assert_eq!(shown("production admin"), ["prod-admin"]);
    assert_eq!(shown("Staging"), ["staging"]);
}

#[test]
fn filter_a_word_that_matches_nothing_hides_the_item() {
    assert_eq!(shown("prod nothing"), Vec::<String>::new());
    assert_eq!(shown("readonly admin"), Vec::<String>::new());
    assert_eq!(shown("zzz"), Vec::<String>::new());
}

#[test]
fn filter_empty_shows_all_in_order() {
    let all = [
        "dev",
        "prod-admin",
        "prod-readonly",
        "staging",
        "account-1/AdminRole",
    ];
    assert_eq!(shown(""), all);
    assert_eq!(shown("   "), all);
    // No re-ranking: an exact name match stays where it is.
    assert_eq!(shown("prod"), ["prod-admin", "prod-readonly"]);
    assert_eq!(shown("admin"), ["prod-admin", "account-1/AdminRole"]);
    assert_eq!(
        shown("a"),
        [
            "dev",
            "prod-admin",
            "prod-readonly",
            "staging",
            "account-1/AdminRole"
        ]
    );
}

fn type_text(select: &mut Select, text: &str) {
    for c in text.chars() {
        assert_eq!(select.key(Key::Char(c)), None);
    }
}

#[test]
fn keys_filter_move_and_pick() {
    let items = items();
    let mut s = Select::new(&items, PROMPT, 120, false);
    // Down wraps from the last item to the first, Up from the first to the last.
    assert_eq!(s.key(Key::ArrowUp), None);
    assert_eq!(s.selected, 4);
    assert_eq!(s.key(Key::ArrowDown), None);
    assert_eq!(s.selected, 0);
    s.key(Key::ArrowDown);
    type_text(&mut s, "prod");
    // The first item shown is selected after each keystroke.
    assert_eq!((s.selected, s.shown.clone()), (0, vec![1, 2]));
    s.key(Key::ArrowDown);
    assert_eq!(s.key(Key::Enter), Some(Done::Picked(2)));
    type_text(&mut s, " x");
    assert!(s.shown.is_empty());
    assert_eq!(
        s.key(Key::Enter),
        None,
        "Enter on an empty list does nothing"
    );
    assert_eq!(s.key(Key::ArrowDown), None);
    s.key(Key::Backspace);
    assert_eq!(s.input, "prod ");
    assert_eq!(s.shown, [1, 2]);
    assert_eq!(s.key(Key::Escape), Some(Done::Cancelled));
    assert_eq!(s.key(Key::CtrlC), Some(Done::Cancelled));
}

#[test]
fn keys_edit_at_the_text_cursor() {
    let items = items();
    let mut s = Select::new(&items, PROMPT, 120, false);
    type_text(&mut s, "ádmn");
    s.key(Key::ArrowLeft);
    type_text(&mut s, "i");
    assert_eq!(s.input, "ádmin");
    s.key(Key::Home);
    s.key(Key::Del);
    type_text(&mut s, "a");
    assert_eq!(s.input, "admin");
    assert!(s.frame().starts_with(&format!("? {PROMPT} a|dmin\n")));
    s.key(Key::End);
    s.key(Key::Backspace);
    assert!(s.frame().starts_with(&format!("? {PROMPT} admi|\n")));
}

#[test]
fn frame_pages_seven_rows_and_scrolls() {
    let items: Vec<Item> = (0..10).map(|i| Item::new(format!("p{i}"))).collect();
    let mut s = Select::new(&items, "Pick:", 80, false);
    let lines = |s: &Select| s.frame().lines().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        lines(&s),
        [
            "? Pick: |",
            "> p0",
            "  p1",
            "  p2",
            "  p3",
            "  p4",
            "  p5",
            "  p6"
        ]
    );
    for _ in 0..7 {
        s.key(Key::ArrowDown);
    }
    assert_eq!(
        lines(&s)[1..],
        ["  p1", "  p2", "  p3", "  p4", "  p5", "  p6", "> p7"]
    );
    s.key(Key::ArrowUp);
    s.key(Key::ArrowUp);
    assert_eq!(lines(&s)[1], "  p1");
    // Up from the first wraps to the last page.
    for _ in 0..6 {
        s.key(Key::ArrowUp);
    }
    assert_eq!(lines(&s)[1], "  p3");
    assert_eq!(lines(&s)[7], "> p9");
    s.key(Key::ArrowDown);
    assert_eq!(lines(&s)[1], "> p0");
    // Typing goes back to the top.
    s.key(Key::ArrowUp);
    type_text(&mut s, "p");
    assert_eq!(lines(&s)[1], "> p0");
}

#[test]
fn frame_has_the_header_and_a_dim_description_column() {
    let items = items();
    let s = Select::new(&items, PROMPT, 120, false);
    let frame = s.frame();
    let lines: Vec<&str> = frame.lines().collect();
    assert_eq!(lines[0], format!("? {PROMPT} |"));
    assert_eq!(lines[1], "  Profile              Description");
    assert_eq!(lines[2], "> dev                  Development account");
    assert_eq!(lines[4], "  prod-readonly");
    assert_eq!(s.summary(1), format!("? {PROMPT} prod-admin"));

    let mut styled = Select::new(&items, PROMPT, 120, true);
    type_text(&mut styled, "dev acc");
    let frame = styled.frame();
    let row = frame.lines().nth(2).unwrap();
    // Active: the marker, the name cyan and bold where it matched; the description dim,
    // bold where it matched.
    assert!(row.contains("\u{1b}[36m\u{1b}[1mdev\u{1b}[0m"), "{row:?}");
    assert!(row.contains("\u{1b}[1m\u{1b}[2mDev\u{1b}[0m"), "{row:?}");
    assert!(row.contains("\u{1b}[2melopment \u{1b}[0m"), "{row:?}");
    assert!(row.contains("\u{1b}[1m\u{1b}[2macc\u{1b}[0m"), "{row:?}");
    assert_eq!(
        visible_width(row),
        "> dev                  Development account".len()
    );
}

#[test]
fn screen_line_counting() {
    assert_eq!(screen_lines("abc", 80), 1);
    assert_eq!(screen_lines("abc\n\nx", 80), 3);
    assert_eq!(screen_lines(&"x".repeat(80), 80), 1);
    assert_eq!(screen_lines(&"x".repeat(81), 80), 2);
    assert_eq!(screen_lines("\u{1b}[2mabc\u{1b}[0m\nd", 3), 2);
    assert_eq!(visible_width("\u{1b}[36m\u{1b}[1mé\u{1b}[0m"), 1);
    assert_eq!(erase(0), "\r\u{1b}[J");
    assert_eq!(erase(3), "\u{1b}[3A\r\u{1b}[J");
}
