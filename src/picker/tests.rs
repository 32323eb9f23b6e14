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
    let err = pick(&[], PROMPT).unwrap_err();
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

#[test]
fn theme_dims_descriptions_and_reports_the_name() {
    let theme = PickerTheme {
        name_width: Some(5),
        header: Some("Profile  Description".into()),
        styled: false,
    };
    let mut s = String::new();
    theme
        .format_input_prompt_selection(&mut s, PROMPT, "dev  Development")
        .unwrap();
    assert_eq!(s, format!("? {PROMPT} dev"));
    let mut s = String::new();
    theme
        .format_fuzzy_select_prompt(&mut s, PROMPT, "de", 2)
        .unwrap();
    assert_eq!(s, format!("? {PROMPT} de|\n  Profile  Description"));
    let mut s = String::new();
    let styled = PickerTheme {
        styled: true,
        ..theme
    };
    styled
        .format_fuzzy_select_prompt_item(
            &mut s,
            "dev  Dx",
            false,
            true,
            &SkimMatcherV2::default(),
            "",
        )
        .unwrap();
    // The description column is dim (SGR 2), the name is not.
    assert!(s.starts_with("  d"), "{s:?}");
    assert!(s.contains("\u{1b}[2mD"), "{s:?}");
}

#[cfg(unix)]
#[test]
fn line_counting() {
    use tty::line_delta;
    assert_eq!(line_delta(b"a\nb\n"), 2);
    assert_eq!(line_delta(b"\x1b[3A"), -3);
    assert_eq!(line_delta(b"\x1b[2B\n"), 3);
    assert_eq!(line_delta(b"\r\x1b[2K\x1b[?25l\x1b[1mx\x1b[0m"), 0);
    assert_eq!(line_delta(b"\x1b[A"), -1);
}
