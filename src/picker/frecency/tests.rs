use std::sync::{Arc, Barrier};

use time::Duration;
use time::macros::datetime;

use super::*;

const T0: OffsetDateTime = datetime!(2024-05-01 09:00:00 UTC);

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn first_use_scores_two() {
    let mut f = Frecency::new();
    f.record("dev", T0);
    let e = &f.entries()[0];
    assert_eq!((e.profile.as_str(), e.frequency), ("dev", 1));
    assert_eq!(e.last_used, T0);
    assert!(close(e.frequency_score, 1.0));
    assert!(close(e.last_used_score, 1.0), "lastUsed == oldest");
    assert!(close(e.score, 2.0));
    assert_eq!(f.oldest(), Some(T0));
    assert_eq!(f.max_frequency(), 1);
}

#[test]
fn scores_follow_the_formula() {
    let mut f = Frecency::new();
    f.record("a", T0);
    f.record("b", T0 + Duration::hours(1));
    f.record("b", T0 + Duration::hours(2));
    f.record("b", T0 + Duration::hours(3));
    f.record("c", T0 + Duration::hours(4));
    let now = T0 + Duration::hours(4);
    assert_eq!(f.max_frequency(), 3);
    assert_eq!(f.oldest(), Some(T0));
    let get = |p: &str| f.entries().iter().find(|e| e.profile == p).unwrap().clone();
    // a: freq 1 of 3, last used at the oldest date.
    let a = get("a");
    assert!(close(a.frequency_score, (1.0f64 / 3.0 * 10.0).log10()));
    assert!(close(a.last_used_score, 1.0));
    // b: freq 3 of 3, last used 3h after the oldest, 4h span.
    let b = get("b");
    assert!(close(b.frequency_score, 1.0));
    assert!(close(b.last_used_score, (3.0f64 / 4.0 * 10.0).log10()));
    assert!(close(b.score, b.frequency_score + b.last_used_score));
    // c: freq 1, used now.
    let c = get("c");
    assert!(close(c.last_used_score, 1.0));
    assert_eq!(c.last_used, now);
    // Sorted by score, descending: b (1.875), c (1.52), a (1.52, older entry first).
    let order: Vec<_> = f.entries().iter().map(|e| e.profile.as_str()).collect();
    assert_eq!(order, ["b", "a", "c"]);
    for w in f.entries().windows(2) {
        assert!(w[0].score >= w[1].score);
    }
}

#[test]
fn recency_beats_a_stale_favourite() {
    let mut f = Frecency::new();
    f.record("older", T0 - Duration::days(1));
    for i in 0..5 {
        f.record("old", T0 + Duration::minutes(i));
    }
    f.record("new", T0 + Duration::days(30));
    f.record("new", T0 + Duration::days(30) + Duration::minutes(1));
    f.record("new", T0 + Duration::days(30) + Duration::minutes(2));
    let order: Vec<_> = f.entries().iter().map(|e| e.profile.as_str()).collect();
    // As in Granted, the least recently used entry defines `oldest` and so gets the full
    // recency score (1): "older" (log10(2) + 1) ranks above "old".
    assert_eq!(order, ["new", "older", "old"]);
    assert!(close(f.entries()[1].last_used_score, 1.0));
}

#[test]
fn ordered_puts_frecent_first_then_the_rest_bytewise() {
    let mut f = Frecency::new();
    f.record("zeta", T0);
    f.record("zeta", T0 + Duration::hours(1));
    f.record("gone", T0 + Duration::hours(2));
    f.record("beta", T0 + Duration::hours(3));
    let stored: Vec<_> = f.entries().iter().map(|e| e.profile.clone()).collect();
    let all = names(&["alpha", "Zulu", "beta", "zeta", "_x", "alpha"]);
    let got: Vec<&str> = f.ordered(&all).into_iter().map(String::as_str).collect();
    let frecent: Vec<&str> = stored
        .iter()
        .map(String::as_str)
        .filter(|p| *p != "gone")
        .collect();
    assert_eq!(&got[..2], &frecent[..]);
    // Byte-wise: upper case before `_` before lower case; duplicates once.
    assert_eq!(&got[2..], ["Zulu", "_x", "alpha"]);
}

#[test]
fn ordered_without_entries_is_alphabetical() {
    let all = names(&["b", "a", "C"]);
    let got: Vec<&str> = Frecency::new()
        .ordered(&all)
        .into_iter()
        .map(String::as_str)
        .collect();
    assert_eq!(got, ["C", "a", "b"]);
}

/// Exactly what Granted (Go `json.NewEncoder(file).Encode(store)`) writes.
const GRANTED_FILE: &str = concat!(
    r#"{"MaxFrequency":4,"OldestDate":"2024-04-30T18:12:01.123456789+02:00","Entries":["#,
    r#"{"Entry":"prod-admin","Frequency":4,"LastUsed":"2024-05-02T10:00:00.5+02:00","FrequencyScore":1,"LastUsedScore":1,"FrecencySortingScore":2},"#,
    r#"{"Entry":"dev","Frequency":1,"LastUsed":"2024-04-30T18:12:01.123456789+02:00","FrequencyScore":0.3979400086720376,"LastUsedScore":1,"FrecencySortingScore":1.3979400086720377},"#,
    r#"{"Entry":"staging","Frequency":2,"LastUsed":"2024-05-01T07:00:00Z","FrequencyScore":0.6989700043360189,"LastUsedScore":0.5,"FrecencySortingScore":1.1989700043360188}"#,
    "]}\n"
);

#[test]
fn reads_granted_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aws_profiles_frecency");
    std::fs::write(&path, GRANTED_FILE).unwrap();
    let f = Frecency::load(&path);
    assert!(!f.was_reset());
    assert_eq!(f.max_frequency(), 4);
    assert_eq!(
        f.oldest(),
        Some(datetime!(2024-04-30 18:12:01.123456789 +02:00))
    );
    let order: Vec<_> = f.entries().iter().map(|e| e.profile.as_str()).collect();
    assert_eq!(order, ["prod-admin", "dev", "staging"]);
    let prod = &f.entries()[0];
    assert_eq!(prod.frequency, 4);
    assert_eq!(prod.last_used, datetime!(2024-05-02 10:00:00.5 +02:00));
    assert!(close(prod.score, 2.0));
    assert!(close(f.entries()[2].last_used_score, 0.5));
    let all = names(&["staging", "dev", "prod-admin", "new"]);
    let got: Vec<&str> = f.ordered(&all).into_iter().map(String::as_str).collect();
    assert_eq!(got, ["prod-admin", "dev", "staging", "new"]);
}

#[test]
fn writes_granted_format() {
    let f = Frecency::from_json(GRANTED_FILE.as_bytes()).unwrap();
    let json = f.to_json();
    assert!(json.ends_with("}\n") && json.matches('\n').count() == 1);
    // Same keys, same order, same times as Go writes them.
    assert!(json.starts_with(
        r#"{"MaxFrequency":4,"OldestDate":"2024-04-30T18:12:01.123456789+02:00","Entries":[{"Entry":"prod-admin","Frequency":4,"LastUsed":"2024-05-02T10:00:00.5+02:00","FrequencyScore":1.0,"LastUsedScore":1.0,"FrecencySortingScore":2.0},"#
    ), "{json}");
    assert!(
        json.contains(r#""LastUsed":"2024-05-01T07:00:00Z""#),
        "{json}"
    );
}

#[test]
fn go_time_format() {
    assert_eq!(format_go_time(T0), "2024-05-01T09:00:00Z");
    assert_eq!(
        format_go_time(datetime!(2024-05-01 09:00:00.120 -05:30)),
        "2024-05-01T09:00:00.12-05:30"
    );
    assert_eq!(
        format_go_time(datetime!(2024-05-01 09:00:00.000000001 UTC)),
        "2024-05-01T09:00:00.000000001Z"
    );
    assert_eq!(format_go_time(GO_ZERO_TIME), "0001-01-01T00:00:00Z");
}

#[test]
fn round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/aws_profiles_frecency");
    let mut f = Frecency::new();
    f.record("a", datetime!(2024-05-01 09:00:00.123456789 UTC));
    f.record("b", datetime!(2024-05-01 10:00:00 +02:00));
    f.record("a", datetime!(2024-05-02 10:00:00 UTC));
    f.save(&path).unwrap();
    let back = Frecency::load(&path);
    assert_eq!(back, f);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), f.to_json());
}

#[test]
fn missing_file_is_empty_and_not_reset() {
    let dir = tempfile::tempdir().unwrap();
    let f = Frecency::load(&dir.path().join("none"));
    assert!(f.entries().is_empty());
    assert!(!f.was_reset());
}

#[test]
fn corrupt_file_is_empty_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aws_profiles_frecency");
    for bad in [
        &b""[..],
        b"{\"MaxFrequency\":",
        b"not json",
        b"[]",
        b"{\"Entries\":[{\"Entry\":\"a\",\"LastUsed\":\"yesterday\"}]}",
        b"{\"Entries\":[{\"Entry\":\"a\",\"Frequency\":1.5}]}",
        b"\xff\xfe\x00",
    ] {
        std::fs::write(&path, bad).unwrap();
        let f = Frecency::load(&path);
        assert!(f.entries().is_empty(), "{bad:?}");
        assert!(f.was_reset(), "{bad:?}");
    }
    // A folder where the file should be: unreadable, still no panic.
    let f = Frecency::load(dir.path());
    assert!(f.was_reset());
    // record_use over a corrupt file starts over.
    std::fs::write(&path, "garbage").unwrap();
    record_use(&path, "x", T0).unwrap();
    let f = Frecency::load(&path);
    assert_eq!(f.entries().len(), 1);
}

#[test]
fn odd_but_valid_values_stay_finite() {
    let json = br#"{"MaxFrequency":0,"Entries":[{"Entry":"a","Frequency":0},{"Entry":"a","Frequency":9},{"Entry":null},{"Entry":""}],"Extra":1}"#;
    let mut f = Frecency::from_json(json).unwrap();
    assert_eq!(f.entries().len(), 1);
    assert_eq!(f.entries()[0].last_used, GO_ZERO_TIME);
    f.record("b", T0);
    // The clock went backwards: an entry used "after" now.
    f.record("c", T0 - Duration::days(1));
    for e in f.entries() {
        assert!(e.score.is_finite(), "{e:?}");
    }
    assert!(!f.to_json().contains("null"));
}

#[cfg(unix)]
#[test]
fn save_is_atomic_and_private() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aws_profiles_frecency");
    // An existing world-readable file, as Granted may have left: replaced, not rewritten.
    std::fs::write(&path, GRANTED_FILE).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let old_ino = std::fs::metadata(&path).unwrap().ino();
    let mut f = Frecency::load(&path);
    f.record("dev", T0);
    f.save(&path).unwrap();
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert_ne!(meta.ino(), old_ino, "a new file renamed over the old one");
    // Nothing left behind but the file.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("aws_profiles_frecency")]);
    assert_eq!(Frecency::load(&path), f);
}

#[test]
fn retain_existing_removes_deleted_profiles() {
    let mut f = Frecency::new();
    f.record("keep", T0);
    f.record("drop", T0 + Duration::hours(1));
    f.record("keep2", T0 + Duration::hours(2));
    let before: Vec<_> = f.entries().iter().map(|e| e.profile.clone()).collect();
    f.retain_existing(|p| p != "drop");
    let after: Vec<_> = f.entries().iter().map(|e| e.profile.clone()).collect();
    let expected: Vec<_> = before.into_iter().filter(|p| p != "drop").collect();
    assert_eq!(after, expected);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    f.save(&path).unwrap();
    assert!(!std::fs::read_to_string(&path).unwrap().contains("\"drop\""));
}

#[test]
fn concurrent_record_use_loses_nothing() {
    const THREADS: usize = 8;
    const EACH: usize = 25;
    let dir = tempfile::tempdir().unwrap();
    let path = Arc::new(dir.path().join("granted/aws_profiles_frecency"));
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|i| {
            let path = Arc::clone(&path);
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                for n in 0..EACH {
                    let profile = if n % 2 == 0 { "shared" } else { "own" };
                    let profile = format!("{profile}-{}", if n % 2 == 0 { 0 } else { i });
                    record_use(&path, &profile, T0 + Duration::seconds(n as i64)).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let f = Frecency::load(&path);
    assert!(!f.was_reset());
    let total: u64 = f.entries().iter().map(|e| e.frequency).sum();
    assert_eq!(total, (THREADS * EACH) as u64);
    let shared = f
        .entries()
        .iter()
        .find(|e| e.profile == "shared-0")
        .unwrap();
    assert_eq!(shared.frequency, (THREADS * EACH.div_ceil(2)) as u64);
    assert!(lock_path(&path).exists());
}

#[cfg(unix)]
#[test]
fn a_private_file_of_ours_is_rewritten_in_place_and_a_link_is_never_followed() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aws_profiles_frecency");
    let mut f = Frecency::new();
    for (i, name) in ["alpha", "beta", "gamma", "delta"].iter().enumerate() {
        f.record(name, T0 + Duration::minutes(i as i64));
    }
    f.save(&path).unwrap();
    let ino = std::fs::metadata(&path).unwrap().ino();
    // Shorter content: the file is rewritten in place and cut to the new length.
    let mut short = Frecency::new();
    short.record("one", T0);
    short.save(&path).unwrap();
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(meta.ino(), ino, "rewritten in place");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert_eq!(load_locked(&path), short);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), short.to_json());

    // A link planted at the path: replaced by a file of ours, its target untouched.
    let target = dir.path().join("elsewhere");
    std::fs::write(&target, "keep").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink(&target, &path).unwrap();
    f.save(&path).unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    assert!(
        !std::fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let names = |f: &Frecency| {
        f.entries()
            .iter()
            .map(|e| e.profile.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&Frecency::load(&path)), names(&f));
}
