//! The interactive profile picker of `assume` (run without a profile; a profile that does
//! not exist is an error with close matches, never a picker), and the frecency store that
//! orders it ([`frecency`]).
//!
//! Owns: drawing a fuzzy-filtered list of profiles on the controlling terminal and reading
//! the keys; the order of that list ([`order`]); the usage tip shown after a pick
//! ([`usage_tip`]).
//!
//! Must not: write to stdout (the `assume` wrapper captures stdout and evaluates it), need
//! stderr to be a terminal (the picker opens `/dev/tty` itself), wait for input when there
//! is no terminal ([`PickerError::NoTerminal`] at once instead), exit the process, or leave
//! the terminal in raw mode or with its cursor hidden, whatever way the pick ends. It knows
//! nothing of AWS config files: the caller passes names and descriptions.
//!
//! Esc and Ctrl-C both give [`Picked::Cancelled`]; the caller exits with status 130.
//! Ctrl-C: for the duration of the pick the terminal's `ISIG` flag is cleared, so Ctrl-C
//! reaches the key reader as a byte instead of a signal, and `SIGINT` is ignored, because
//! the key reader (`console`) answers that byte by raising `SIGINT` on its own process
//! before returning an `Interrupted` error. Both are restored, and the cursor shown again,
//! when the pick ends.

pub mod frecency;

use std::fmt;
use std::io;
use std::str::FromStr;

use dialoguer::FuzzySelect;
use dialoguer::console::Style;
use dialoguer::theme::Theme;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

pub use frecency::{Frecency, record_use};

/// Granted's prompt text.
pub const PROMPT: &str = "Please select the profile you would like to assume:";

/// Rows of the list shown at once (survey's default page size, as in Granted).
const PAGE_SIZE: usize = 7;

/// One profile in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub name: String,
    /// The profile's `granted_description`.
    pub description: Option<String>,
}

impl Item {
    pub fn new(name: impl Into<String>) -> Item {
        Item {
            name: name.into(),
            description: None,
        }
    }
}

/// The `Ordering` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ordering {
    /// Most frecent first, then the rest alphabetically (the default).
    #[default]
    Frecency,
    /// Alphabetical (byte-wise).
    Alphabetical,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown Ordering `{value}`: expected `Frecency` or `Alphabetical`")]
pub struct OrderingError {
    pub value: String,
}

impl Ordering {
    /// `""` and `Frecency` give [`Ordering::Frecency`], `Alphabetical` gives
    /// [`Ordering::Alphabetical`], in any case.
    pub fn parse(value: &str) -> Result<Ordering, OrderingError> {
        if value.is_empty() || value.eq_ignore_ascii_case("frecency") {
            Ok(Ordering::Frecency)
        } else if value.eq_ignore_ascii_case("alphabetical") {
            Ok(Ordering::Alphabetical)
        } else {
            Err(OrderingError {
                value: value.to_owned(),
            })
        }
    }
}

impl FromStr for Ordering {
    type Err = OrderingError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ordering::parse(s)
    }
}

/// `names` in the picker's order for `ordering` (see [`Frecency::ordered`]).
pub fn order<'a>(names: &'a [String], ordering: Ordering, frecency: &Frecency) -> Vec<&'a String> {
    match ordering {
        Ordering::Frecency => frecency.ordered(names),
        Ordering::Alphabetical => Frecency::new().ordered(names),
    }
}

/// How a pick ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    Profile(String),
    /// Esc or Ctrl-C.
    Cancelled,
}

#[derive(Debug, thiserror::Error)]
pub enum PickerError {
    #[error("Granted couldn't find any AWS profiles in your config file or your credentials file")]
    NoProfiles,
    #[error(
        "no terminal to choose a profile on: pass the profile name as an argument (`assume <profile>`)"
    )]
    NoTerminal,
    #[error("the profile picker failed on the terminal")]
    Terminal(#[source] io::Error),
}

/// Shows `items` (already in order) on the controlling terminal and lets the user choose
/// one by typing a filter, moving with the arrow keys and pressing Enter.
pub fn pick(items: &[Item], prompt: &str) -> Result<Picked, PickerError> {
    if items.is_empty() {
        return Err(PickerError::NoProfiles);
    }
    let styled = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    tty::with_terminal(|term| {
        let columns = usize::from(term.size().1);
        let rows = Rows::new(items, columns);
        let theme = PickerTheme {
            name_width: rows.name_width,
            header: rows.header.clone(),
            styled,
        };
        let chosen = FuzzySelect::with_theme(&theme)
            .with_prompt(prompt)
            .items(&rows.lines)
            .default(0)
            .max_length(PAGE_SIZE)
            .interact_on_opt(term)
            .map_err(io::Error::from)?;
        Ok(chosen.map(|i| items[i].name.clone()))
    })
}

/// The text of each row: the name, then (when any item has one) the description in a
/// column after the longest name. Rows are cut to the terminal's width: the list is redrawn
/// by counting lines, and a wrapped row would throw that count off.
struct Rows {
    lines: Vec<String>,
    /// Characters before the description column (`None` without descriptions).
    name_width: Option<usize>,
    header: Option<String>,
}

/// Spaces between the name column and the description.
const GAP: usize = 2;

impl Rows {
    fn new(items: &[Item], columns: usize) -> Rows {
        let any_description = items
            .iter()
            .any(|i| i.description.as_deref().is_some_and(|d| !d.is_empty()));
        // Two columns are taken by the `> ` marker.
        let max = columns.saturating_sub(2).max(8);
        if !any_description {
            return Rows {
                lines: items.iter().map(|i| i.name.clone()).collect(),
                name_width: None,
                header: None,
            };
        }
        let longest = items
            .iter()
            .map(|i| i.name.chars().count())
            .chain(["Profile".len()])
            .max()
            .unwrap_or(0);
        let width = longest + GAP;
        let lines = items
            .iter()
            .map(|i| {
                let pad = width - i.name.chars().count();
                let line = format!(
                    "{}{:pad$}{}",
                    i.name,
                    "",
                    i.description.as_deref().unwrap_or("")
                );
                cut(line.trim_end(), max, &i.name)
            })
            .collect();
        let header = format!("{:width$}Description", "Profile");
        Rows {
            lines,
            name_width: Some(width),
            header: Some(cut(&header, max, "").to_owned()),
        }
    }
}

/// `line` cut to at most `max` bytes at a character boundary, never shorter than `keep`.
fn cut(line: &str, max: usize, keep: &str) -> String {
    if line.len() <= max || line.len() <= keep.len() {
        return line.to_owned();
    }
    let mut end = max.max(keep.len());
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    line[..end].to_owned()
}

/// Granted's look: `? ` before the prompt, the description column dim, matched letters bold.
struct PickerTheme {
    name_width: Option<usize>,
    header: Option<String>,
    styled: bool,
}

impl PickerTheme {
    fn style(&self, style: Style) -> Style {
        style.force_styling(self.styled)
    }
}

impl Theme for PickerTheme {
    fn format_fuzzy_select_prompt(
        &self,
        f: &mut dyn fmt::Write,
        prompt: &str,
        search_term: &str,
        bytes_pos: usize,
    ) -> fmt::Result {
        let (head, tail) = search_term.split_at(bytes_pos);
        write!(
            f,
            "{} {prompt} {head}|{tail}",
            self.style(Style::new().green()).apply_to("?")
        )?;
        if let Some(header) = &self.header {
            write!(
                f,
                "\n  {}",
                self.style(Style::new().bold().underlined())
                    .apply_to(header)
            )?;
        }
        Ok(())
    }

    fn format_fuzzy_select_prompt_item(
        &self,
        f: &mut dyn fmt::Write,
        text: &str,
        active: bool,
        highlight_matches: bool,
        matcher: &SkimMatcherV2,
        search_term: &str,
    ) -> fmt::Result {
        if active {
            write!(
                f,
                "{} ",
                self.style(Style::new().cyan().bold()).apply_to(">")
            )?;
        } else {
            f.write_str("  ")?;
        }
        let matched = if highlight_matches && !search_term.is_empty() {
            matcher
                .fuzzy_indices(text, search_term)
                .map(|(_, indices)| indices)
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let description_from = self.name_width.unwrap_or(usize::MAX);
        for (i, c) in text.chars().enumerate() {
            let mut style = Style::new();
            if active && i < description_from {
                style = style.cyan();
            }
            if i >= description_from {
                style = style.dim();
            }
            if matched.contains(&i) {
                style = style.bold();
            }
            write!(f, "{}", self.style(style).apply_to(c))?;
        }
        Ok(())
    }

    fn format_input_prompt_selection(
        &self,
        f: &mut dyn fmt::Write,
        prompt: &str,
        sel: &str,
    ) -> fmt::Result {
        let name: String = match self.name_width {
            Some(width) => sel.chars().take(width).collect(),
            None => sel.to_owned(),
        };
        write!(
            f,
            "{} {prompt} {}",
            self.style(Style::new().green()).apply_to("?"),
            self.style(Style::new().cyan()).apply_to(name.trim_end())
        )
    }
}

/// The tip after a pick (one line, no trailing newline): how to assume the same
/// profile again without the picker. `other_args` are the rest of the original arguments.
pub fn usage_tip(profile: &str, other_args: &[String]) -> String {
    let mut command = format!("assume {}", shell_quote(profile));
    for arg in other_args {
        command.push(' ');
        command.push_str(&shell_quote(arg));
    }
    format!("[i] To assume this profile again later without needing to select it, run: {command}")
}

/// `word` as one word for POSIX shells and fish: as it is when made only of characters no
/// shell treats specially, else in single quotes (`'` written as `'\''`).
fn shell_quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(unix)]
mod tty {
    //! The controlling terminal for the length of one pick.

    use std::fs::{File, OpenOptions};
    use std::io::{self, Write};
    use std::os::fd::{AsRawFd, RawFd};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicIsize, Ordering};

    use dialoguer::console::Term;

    use super::PickerError;

    /// Runs `select` on a [`Term`] that reads and draws on `/dev/tty`, with Ctrl-C turned
    /// into a key (see the module docs), then restores the terminal. `Ok(None)` from
    /// `select` and an interrupted read both mean cancelled.
    pub(super) fn with_terminal(
        select: impl FnOnce(&Term) -> io::Result<Option<String>>,
    ) -> Result<super::Picked, PickerError> {
        let tty = OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .map_err(|_| PickerError::NoTerminal)?;
        // SAFETY: isatty only inspects the descriptor, which `tty` keeps open.
        if unsafe { libc::isatty(tty.as_raw_fd()) } != 1 {
            return Err(PickerError::NoTerminal);
        }
        let clone = || tty.try_clone().map_err(PickerError::Terminal);
        let lines = Arc::new(AtomicIsize::new(0));
        let out = LineCounter {
            file: clone()?,
            lines: Arc::clone(&lines),
        };
        let term = Term::read_write_pair(clone()?, out);
        let session = Session::start(tty)?;
        let result = select(&term);
        let picked = match result {
            Ok(Some(name)) => Ok(super::Picked::Profile(name)),
            Ok(None) => Ok(super::Picked::Cancelled),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                // Ctrl-C: the list is still drawn (Esc clears it); erase it the same way.
                session.erase_lines(lines.load(Ordering::Relaxed));
                Ok(super::Picked::Cancelled)
            }
            Err(e) => Err(PickerError::Terminal(e)),
        };
        drop(session);
        picked
    }

    /// Terminal and signal state changed for the pick, put back on drop (also on panic).
    struct Session {
        tty: File,
        termios: Option<libc::termios>,
        sigint: Option<libc::sigaction>,
    }

    impl Session {
        fn start(tty: File) -> Result<Session, PickerError> {
            let fd = tty.as_raw_fd();
            let mut session = Session {
                tty,
                termios: None,
                sigint: None,
            };
            let original = get_termios(fd).map_err(PickerError::Terminal)?;
            let mut no_signals = original;
            no_signals.c_lflag &= !libc::ISIG;
            set_termios(fd, &no_signals).map_err(PickerError::Terminal)?;
            session.termios = Some(original);
            session.sigint = Some(ignore_sigint().map_err(PickerError::Terminal)?);
            Ok(session)
        }

        /// Moves up `lines` lines and clears from there to the end of the screen.
        fn erase_lines(&self, lines: isize) {
            let mut seq = String::new();
            if lines > 0 {
                seq.push_str(&format!("\x1b[{lines}A"));
            }
            seq.push_str("\r\x1b[J");
            let _ = (&self.tty).write_all(seq.as_bytes());
        }
    }

    impl Drop for Session {
        fn drop(&mut self) {
            // Show the cursor (the list hides it), then the terminal modes, then SIGINT.
            let _ = (&self.tty).write_all(b"\x1b[?25h");
            let _ = (&self.tty).flush();
            if let Some(termios) = self.termios.take() {
                let _ = set_termios(self.tty.as_raw_fd(), &termios);
            }
            if let Some(action) = self.sigint.take() {
                // SAFETY: puts back the action read by `ignore_sigint`, unchanged.
                unsafe { libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut()) };
            }
        }
    }

    fn get_termios(fd: RawFd) -> io::Result<libc::termios> {
        let mut termios = std::mem::MaybeUninit::<libc::termios>::uninit();
        // SAFETY: tcgetattr fills the struct when it returns 0; it is read only then.
        if unsafe { libc::tcgetattr(fd, termios.as_mut_ptr()) } != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: initialised by the successful tcgetattr above.
        Ok(unsafe { termios.assume_init() })
    }

    fn set_termios(fd: RawFd, termios: &libc::termios) -> io::Result<()> {
        // SAFETY: a valid termios from tcgetattr, on an open descriptor.
        if unsafe { libc::tcsetattr(fd, libc::TCSANOW, termios) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Sets SIGINT to be ignored; returns the previous action.
    fn ignore_sigint() -> io::Result<libc::sigaction> {
        // SAFETY: sigaction structs are plain data; zeroed is a valid empty action, and
        // the mask is initialised with sigemptyset before use.
        unsafe {
            let mut ignore: libc::sigaction = std::mem::zeroed();
            ignore.sa_sigaction = libc::SIG_IGN;
            libc::sigemptyset(&mut ignore.sa_mask);
            let mut previous: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(libc::SIGINT, &ignore, &mut previous) != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(previous)
        }
    }

    /// The terminal's output side. Counts the lines drawn below the prompt's first line
    /// (newlines, less cursor moves up, plus cursor moves down) so an interrupted list can
    /// be erased.
    #[derive(Debug)]
    struct LineCounter {
        file: File,
        lines: Arc<AtomicIsize>,
    }

    impl Write for LineCounter {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let n = self.file.write(buf)?;
            self.lines
                .fetch_add(line_delta(&buf[..n]), Ordering::Relaxed);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            self.file.flush()
        }
    }

    impl AsRawFd for LineCounter {
        fn as_raw_fd(&self) -> RawFd {
            self.file.as_raw_fd()
        }
    }

    /// Net lines moved down by `bytes`: `\n`, `ESC [ n A` (up) and `ESC [ n B` (down).
    pub(super) fn line_delta(bytes: &[u8]) -> isize {
        let mut delta = 0isize;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => delta += 1,
                0x1b if bytes.get(i + 1) == Some(&b'[') => {
                    let digits = bytes[i + 2..]
                        .iter()
                        .take_while(|b| b.is_ascii_digit())
                        .count();
                    let end = i + 2 + digits;
                    let n = std::str::from_utf8(&bytes[i + 2..end])
                        .ok()
                        .and_then(|s| s.parse::<isize>().ok())
                        .unwrap_or(1);
                    match bytes.get(end) {
                        Some(b'A') => delta -= n,
                        Some(b'B') => delta += n,
                        _ => {}
                    }
                    i = end;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        delta
    }
}

#[cfg(not(unix))]
mod tty {
    //! Without `/dev/tty`: the console on stderr.

    use std::io;

    use dialoguer::console::Term;

    use super::PickerError;

    pub(super) fn with_terminal(
        select: impl FnOnce(&Term) -> io::Result<Option<String>>,
    ) -> Result<super::Picked, PickerError> {
        let term = Term::stderr();
        if !term.is_term() {
            return Err(PickerError::NoTerminal);
        }
        let picked = match select(&term) {
            Ok(Some(name)) => Ok(super::Picked::Profile(name)),
            Ok(None) => Ok(super::Picked::Cancelled),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(super::Picked::Cancelled),
            Err(e) => Err(PickerError::Terminal(e)),
        };
        let _ = term.show_cursor();
        picked
    }
}

#[cfg(test)]
mod tests;
