//! The interactive profile picker of `assume` (run without a profile; a profile that does
//! not exist is an error with close matches, never a picker), and the frecency store that
//! orders it ([`frecency`]).
//!
//! Owns: drawing a filtered list of profiles on the controlling terminal and reading the
//! keys; the order of that list ([`order`]); the usage tip shown after a pick
//! ([`usage_tip`]).
//!
//! The filter is Granted's: the typed text is split on whitespace, and an item is shown
//! when every word is a case-insensitive substring of its name or of its description (each
//! word may match either, so `prod admin` and `admin prod` both find `prod-admin`). An
//! empty filter shows every item. The items stay in the order the caller gave (frecency or
//! alphabetical), never re-ranked, and the first one shown is selected after each change
//! of the filter. Up and Down (and Tab, Shift-Tab) move the selection, wrapping around at
//! either end, 7 rows at a time on screen; Enter picks the selected item (nothing happens
//! when no item is shown); the matched text is bold.
//!
//! Must not: write to stdout (the `assume` wrapper captures stdout and evaluates it), need
//! stderr to be a terminal (the picker opens `/dev/tty` itself), wait for input when there
//! is no terminal ([`PickerError::NoTerminal`] at once instead), exit the process, or leave
//! the terminal in raw mode or with its cursor hidden, whatever way the pick ends. It knows
//! nothing of AWS config files: the caller passes names and descriptions.
//!
//! Esc and Ctrl-C both give [`Picked::Cancelled`] and erase the list; Enter replaces it
//! with one line, `? <prompt> <picked>`. The caller exits with status 130 when cancelled.
//! Ctrl-C: for the duration of the pick the terminal's `ISIG` flag is cleared, so Ctrl-C
//! reaches the key reader (`console`, which reads in raw mode) as a byte instead of a
//! signal even when pressed while the list is being drawn between two reads, and `SIGINT`
//! is ignored, so no stray interrupt can end the process with the terminal changed. Both
//! are restored, and the cursor shown again, when the pick ends.

pub mod frecency;

use std::io::{self, Write};
use std::str::FromStr;

use console::{Key, Style, Term};

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
/// `styled`: colours and dim text (off when `NO_COLOR` is set).
pub fn pick(items: &[Item], prompt: &str, styled: bool) -> Result<Picked, PickerError> {
    if items.is_empty() {
        return Err(PickerError::NoProfiles);
    }
    tty::with_terminal(|term| {
        let columns = usize::from(term.size().1);
        let mut select = Select::new(items, prompt, columns, styled);
        select.run(term)
    })
}

/// The positions in `items` of the items shown for the typed `input`, in the order given:
/// those where every whitespace-separated word of `input` is a case-insensitive substring
/// of the name or of the description (each word may match either). An empty (or blank)
/// input shows every item.
fn filter(items: &[Item], input: &str) -> Vec<usize> {
    let words = words(input);
    (0..items.len())
        .filter(|&i| {
            let name = fold(&items[i].name);
            let description = fold(items[i].description.as_deref().unwrap_or(""));
            words
                .iter()
                .all(|w| contains(&name, w) || contains(&description, w))
        })
        .collect()
}

/// The words of `input`, case-folded.
fn words(input: &str) -> Vec<Vec<char>> {
    input.split_whitespace().map(fold).collect()
}

/// `text` one character at a time in lower case (a character whose lower case is more
/// than one character stays as it is), so positions in the result are positions in `text`.
fn fold(text: &str) -> Vec<char> {
    text.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        })
        .collect()
}

fn contains(haystack: &[char], word: &[char]) -> bool {
    occurrences(haystack, word).next().is_some()
}

/// Where `word` starts in `haystack`, overlapping occurrences included.
fn occurrences<'a>(haystack: &'a [char], word: &'a [char]) -> impl Iterator<Item = usize> + 'a {
    haystack
        .windows(word.len().max(1))
        .enumerate()
        .filter(move |(_, w)| !word.is_empty() && *w == word)
        .map(|(i, _)| i)
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

/// How a key ended the pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Done {
    /// The position of the chosen item in the items.
    Picked(usize),
    Cancelled,
}

/// The state of one pick: the typed filter, the items it shows, the selected one and the
/// page of rows on screen. Granted's look: `? ` before the prompt, then the filter with a
/// `|` for the text cursor, the header row, `> ` before the selected row, the description
/// column dim, the matched text bold.
struct Select<'a> {
    items: &'a [Item],
    rows: Rows,
    prompt: &'a str,
    /// The terminal's width, to count the screen lines a wrapped prompt line takes.
    columns: usize,
    styled: bool,
    input: String,
    /// The text cursor, in characters into `input`.
    cursor: usize,
    /// Positions in `items` of the items the filter shows, in order.
    shown: Vec<usize>,
    /// Position in `shown` of the selected item.
    selected: usize,
    /// Position in `shown` of the first row on screen.
    top: usize,
}

impl<'a> Select<'a> {
    fn new(items: &'a [Item], prompt: &'a str, columns: usize, styled: bool) -> Select<'a> {
        Select {
            items,
            rows: Rows::new(items, columns),
            prompt,
            columns,
            styled,
            input: String::new(),
            cursor: 0,
            shown: (0..items.len()).collect(),
            selected: 0,
            top: 0,
        }
    }

    /// Shows the list, reads keys until Enter, Esc or Ctrl-C, then leaves in place of the
    /// list the one-line summary of the pick (Enter) or nothing (Esc, Ctrl-C).
    fn run(&mut self, term: &Term) -> io::Result<Option<String>> {
        term.hide_cursor()?;
        let mut out = term;
        // Screen lines above the cursor taken by the frame on screen (`None`: no frame yet).
        let mut drawn: Option<usize> = None;
        loop {
            let frame = self.frame();
            let previous = drawn.map(erase).unwrap_or_default();
            out.write_all(format!("{previous}{frame}").as_bytes())?;
            out.flush()?;
            let above = screen_lines(&frame, self.columns) - 1;
            drawn = Some(above);
            let key = match term.read_key_raw() {
                Ok(key) => key,
                Err(e) => {
                    let _ = out.write_all(erase(above).as_bytes());
                    return Err(e);
                }
            };
            match self.key(key) {
                None => {}
                Some(Done::Cancelled) => {
                    out.write_all(erase(above).as_bytes())?;
                    out.flush()?;
                    return Ok(None);
                }
                Some(Done::Picked(i)) => {
                    let summary = self.summary(i);
                    out.write_all(format!("{}{summary}\n", erase(above)).as_bytes())?;
                    out.flush()?;
                    return Ok(Some(self.items[i].name.clone()));
                }
            }
        }
    }

    /// Applies one key; `Some` when it ends the pick.
    fn key(&mut self, key: Key) -> Option<Done> {
        let count = self.shown.len();
        match key {
            Key::Escape | Key::CtrlC => return Some(Done::Cancelled),
            Key::Enter if count > 0 => return Some(Done::Picked(self.shown[self.selected])),
            Key::ArrowUp | Key::BackTab if count > 0 => {
                self.select((self.selected + count - 1) % count);
            }
            Key::ArrowDown | Key::Tab if count > 0 => self.select((self.selected + 1) % count),
            Key::ArrowLeft => self.cursor = self.cursor.saturating_sub(1),
            Key::ArrowRight => self.cursor = (self.cursor + 1).min(self.input.chars().count()),
            Key::Home => self.cursor = 0,
            Key::End => self.cursor = self.input.chars().count(),
            Key::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                self.input.remove(self.byte_at(self.cursor));
                self.refilter();
            }
            Key::Del if self.cursor < self.input.chars().count() => {
                self.input.remove(self.byte_at(self.cursor));
                self.refilter();
            }
            Key::Char(c) if !c.is_control() => {
                self.input.insert(self.byte_at(self.cursor), c);
                self.cursor += 1;
                self.refilter();
            }
            _ => {}
        }
        None
    }

    /// The byte offset in `input` of the character at `chars`.
    fn byte_at(&self, chars: usize) -> usize {
        self.input
            .char_indices()
            .nth(chars)
            .map_or(self.input.len(), |(i, _)| i)
    }

    /// Filters again after the input changed; the first item shown is selected.
    fn refilter(&mut self) {
        self.shown = filter(self.items, &self.input);
        self.selected = 0;
        self.top = 0;
    }

    /// Selects `shown[selected]`, scrolling the page just enough to show it.
    fn select(&mut self, selected: usize) {
        self.selected = selected;
        if selected < self.top {
            self.top = selected;
        } else if selected >= self.top + PAGE_SIZE {
            self.top = selected + 1 - PAGE_SIZE;
        }
    }

    fn style(&self, style: Style) -> Style {
        style.force_styling(self.styled)
    }

    /// What is drawn: the prompt line, the header row when there is one, then the rows of
    /// the page; lines joined by `\n`, with no newline after the last one.
    fn frame(&self) -> String {
        let (head, tail) = self.input.split_at(self.byte_at(self.cursor));
        let mut frame = format!(
            "{} {} {head}|{tail}",
            self.style(Style::new().green()).apply_to("?"),
            self.prompt
        );
        if let Some(header) = &self.rows.header {
            frame.push_str(&format!(
                "\n  {}",
                self.style(Style::new().bold().underlined())
                    .apply_to(header)
            ));
        }
        let words = words(&self.input);
        for (position, &item) in self.shown.iter().enumerate().skip(self.top).take(PAGE_SIZE) {
            frame.push('\n');
            frame.push_str(&self.row(item, position == self.selected, &words));
        }
        frame
    }

    /// The row of `items[item]`: the `> ` marker when `active` (and the name in cyan), the
    /// description dim, the text matching `words` bold.
    fn row(&self, item: usize, active: bool, words: &[Vec<char>]) -> String {
        let text: Vec<char> = self.rows.lines[item].chars().collect();
        let description_from = self.rows.name_width.unwrap_or(usize::MAX);
        let mut bold = vec![false; text.len()];
        let mut mark = |field: &[char], offset: usize| {
            for word in words {
                for start in occurrences(field, word) {
                    for i in offset + start..offset + start + word.len() {
                        if let Some(b) = bold.get_mut(i) {
                            *b = true;
                        }
                    }
                }
            }
        };
        let entry = &self.items[item];
        mark(&fold(&entry.name), 0);
        if let Some(description) = &entry.description {
            mark(&fold(description), description_from);
        }
        let mut row = if active {
            format!("{} ", self.style(Style::new().cyan().bold()).apply_to(">"))
        } else {
            "  ".to_owned()
        };
        // Runs of characters that share a style.
        let mut start = 0;
        while start < text.len() {
            let key = |i: usize| (i >= description_from, bold[i]);
            let end = (start..text.len())
                .find(|&i| key(i) != key(start))
                .unwrap_or(text.len());
            let (in_description, is_bold) = key(start);
            let mut style = Style::new();
            if in_description {
                style = style.dim();
            } else if active {
                style = style.cyan();
            }
            if is_bold {
                style = style.bold();
            }
            let run: String = text[start..end].iter().collect();
            row.push_str(&self.style(style).apply_to(run).to_string());
            start = end;
        }
        row
    }

    /// The line left on screen after a pick: the prompt and the chosen name.
    fn summary(&self, item: usize) -> String {
        format!(
            "{} {} {}",
            self.style(Style::new().green()).apply_to("?"),
            self.prompt,
            self.style(Style::new().cyan())
                .apply_to(&self.items[item].name)
        )
    }
}

/// Moves the cursor up `above` lines to the start of the frame, and clears from there to
/// the end of the screen.
fn erase(above: usize) -> String {
    let up = if above > 0 {
        format!("\x1b[{above}A")
    } else {
        String::new()
    };
    format!("{up}\r\x1b[J")
}

/// Screen lines `frame` takes on a terminal `columns` wide (escape sequences take none; a
/// line longer than the width wraps).
fn screen_lines(frame: &str, columns: usize) -> usize {
    let columns = columns.max(1);
    frame
        .split('\n')
        .map(|line| visible_width(line).div_ceil(columns).max(1))
        .sum()
}

/// Characters of `line` outside `ESC [ … letter` sequences.
fn visible_width(line: &str) -> usize {
    let mut width = 0;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            width += 1;
        }
    }
    width
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

    use std::fs::File;
    use std::io::{self, Write};
    use std::os::fd::{AsRawFd, RawFd};

    use console::Term;

    use super::PickerError;

    /// Runs `select` on a [`Term`] that reads and draws on `/dev/tty`, with Ctrl-C turned
    /// into a key (see the module docs), then restores the terminal. `Ok(None)` from
    /// `select` and an interrupted read both mean cancelled.
    pub(super) fn with_terminal(
        select: impl FnOnce(&Term) -> io::Result<Option<String>>,
    ) -> Result<super::Picked, PickerError> {
        let tty = crate::sys::open_tty(true, true).map_err(|_| PickerError::NoTerminal)?;
        // SAFETY: isatty only inspects the descriptor, which `tty` keeps open.
        if unsafe { libc::isatty(tty.as_raw_fd()) } != 1 {
            return Err(PickerError::NoTerminal);
        }
        let clone = || tty.try_clone().map_err(PickerError::Terminal);
        let term = Term::read_write_pair(clone()?, clone()?);
        let session = Session::start(tty)?;
        let picked = match select(&term) {
            Ok(Some(name)) => Ok(super::Picked::Profile(name)),
            Ok(None) => Ok(super::Picked::Cancelled),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(super::Picked::Cancelled),
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
}

#[cfg(not(unix))]
mod tty {
    //! Without `/dev/tty`: the console on stderr.

    use std::io;

    use console::Term;

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
