//! Asking the user for an MFA code.
//!
//! Under `credential_process` the AWS CLI owns our stdin and stdout and swallows stderr,
//! so the code is read from the controlling terminal (`/dev/tty`). With no terminal it
//! is a clear error at once, never a hang. It must not cache codes (AWS rejects a code
//! used twice); sessions are what gets reused.

use std::io::{BufRead, BufReader, Write};

#[derive(Debug, thiserror::Error)]
pub enum MfaError {
    #[error(
        "profile `{profile}` needs an MFA code for {serial}, but there is no terminal to ask on"
    )]
    NoTerminal { profile: String, serial: String },
    #[error("profile `{profile}`: no valid MFA code entered for {serial}")]
    NoCode { profile: String, serial: String },
}

/// Gives an MFA code for a device.
pub trait MfaPrompt {
    fn code(&self, profile: &str, serial: &str) -> Result<String, MfaError>;
}

/// A code given on the command line (`assume --mfa-token`): used for the first
/// prompt only (AWS rejects a code used twice); any later one goes to the terminal.
pub struct GivenCode {
    code: std::sync::Mutex<Option<String>>,
}

impl GivenCode {
    pub fn new(code: String) -> GivenCode {
        GivenCode {
            code: std::sync::Mutex::new(Some(code)),
        }
    }
}

impl MfaPrompt for GivenCode {
    fn code(&self, profile: &str, serial: &str) -> Result<String, MfaError> {
        let given = self.code.lock().map(|mut c| c.take()).unwrap_or(None);
        match given {
            Some(code) => Ok(code),
            None => TtyPrompt.code(profile, serial),
        }
    }
}

/// Reads the code from `/dev/tty`, asking up to three times for six digits.
pub struct TtyPrompt;

impl MfaPrompt for TtyPrompt {
    fn code(&self, profile: &str, serial: &str) -> Result<String, MfaError> {
        let no_terminal = || MfaError::NoTerminal {
            profile: profile.to_owned(),
            serial: serial.to_owned(),
        };
        let tty = crate::sys::open_tty(true, true).map_err(|_| no_terminal())?;
        let mut writer = tty.try_clone().map_err(|_| no_terminal())?;
        let mut reader = BufReader::new(tty);
        for _ in 0..3 {
            write!(writer, "MFA code for {serial} (profile {profile}): ")
                .map_err(|_| no_terminal())?;
            writer.flush().map_err(|_| no_terminal())?;
            let mut line = String::new();
            if reader.read_line(&mut line).map_err(|_| no_terminal())? == 0 {
                break;
            }
            let code = line.trim();
            if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
                return Ok(code.to_owned());
            }
            let _ = writeln!(writer, "an MFA code is 6 digits");
        }
        Err(MfaError::NoCode {
            profile: profile.to_owned(),
            serial: serial.to_owned(),
        })
    }
}
