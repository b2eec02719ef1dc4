//! Reading secrets: stdin's first line, an environment variable, or a
//! no-echo prompt on the terminal.

use std::io::{BufRead, IsTerminal};

use cognito_srp_auth::flow::RefreshToken;

use crate::exit::Failure;

/// A no-echo prompt on the terminal; a usage error without one.
pub(crate) fn prompt_tty(label: &str) -> Result<String, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(format!(
            "error: input needed ({}) but stdin is not a terminal; see --help",
            label.trim_end_matches([':', ' '])
        )));
    }
    rpassword::prompt_password(label)
        .map_err(|e| Failure::usage(format!("error: cannot read from the terminal: {e}")))
}

/// A new password, prompted twice.
pub(crate) fn prompt_new_password() -> Result<String, Failure> {
    let first = prompt_tty("New password: ")?;
    let second = prompt_tty("New password again: ")?;
    if first != second {
        return Err(Failure::usage("error: the new passwords differ"));
    }
    Ok(first)
}

/// A refresh token from stdin's first line (`--refresh-token-stdin`),
/// `COGNITO_REFRESH_TOKEN`, or a no-echo prompt.
pub(crate) fn read_refresh_token(from_stdin: bool) -> Result<RefreshToken, Failure> {
    read_secret(
        from_stdin,
        "COGNITO_REFRESH_TOKEN",
        "Refresh token: ",
        "a refresh token: --refresh-token-stdin, COGNITO_REFRESH_TOKEN or a terminal",
    )
    .map(RefreshToken::new)
}

/// A secret from stdin's first line, an environment variable, or a prompt.
pub(crate) fn read_secret(
    from_stdin: bool,
    env: &str,
    label: &str,
    what: &str,
) -> Result<String, Failure> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::usage(format!("error: cannot read stdin: {e}")))?;
        let secret = line.trim_end_matches(['\n', '\r']).to_owned();
        if secret.is_empty() {
            return Err(Failure::usage("error: stdin is empty"));
        }
        return Ok(secret);
    }
    if let Some(secret) = std::env::var(env).ok().filter(|s| !s.is_empty()) {
        return Ok(secret);
    }
    if std::io::stdin().is_terminal() {
        return prompt_tty(label);
    }
    Err(Failure::usage(format!("error: needs {what}")))
}
