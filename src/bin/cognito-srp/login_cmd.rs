//! `cognito-srp login` and `cognito-srp refresh`.
//!
//! On success the `AuthenticationResult` (AccessToken, IdToken, RefreshToken,
//! ExpiresIn, TokenType) is printed as JSON on stdout. On failure one line on
//! stderr names Cognito's error code, and the exit code is 1 (authentication
//! refused), 2 (usage, unreadable input) or 3 (network or server fault).
//!
//! `login --device-file PATH` tracks the device: the first login confirms the
//! device Cognito names and writes its credentials to PATH (mode 0600, via a
//! temporary file renamed in the same directory); later logins sign in as
//! that device (`DEVICE_SRP_AUTH` → `DEVICE_PASSWORD_VERIFIER`, which skips
//! MFA). Credentials Cognito no longer knows are reported on stderr and
//! replaced (or removed when no new device is named).

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use cognito_srp_auth::flow::{
    Challenge, ChallengeAnswer, ChallengeKind, CognitoClient, FlowError, LoginFlow, LoginOptions,
    LoginOutcome, MfaType, RefreshOptions, RefreshToken, SecretAnswer, Tokens,
};
use cognito_srp_auth::transport::{HttpTransport, TransportError};
use cognito_srp_auth::wire::ServiceErrorKind;
use cognito_srp_auth::{ClientId, ClientSecret, DeviceCredentials, Password, UserPoolId};

use crate::steps::{StepPrinter, StepSink};

const EXIT_REFUSED: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_FAULT: u8 = 3;

/// Where to reach which app client.
#[derive(Debug, Args)]
pub struct Target {
    /// User pool id, `<region>_<id>`.
    #[arg(long, env = "COGNITO_USER_POOL_ID")]
    user_pool_id: String,
    /// App client id.
    #[arg(long, env = "COGNITO_CLIENT_ID")]
    client_id: String,
    /// App client secret, for clients that have one.
    #[arg(long, env = "COGNITO_CLIENT_SECRET", hide_env_values = true)]
    client_secret: Option<String>,
    /// AWS region (default: the user pool id's).
    #[arg(long)]
    region: Option<String>,
    /// Endpoint override, e.g. http://127.0.0.1:9229/ for a local pool.
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
    /// Print each step to stderr (never a secret).
    #[arg(long, short)]
    verbose: bool,
}

/// The sign-in flow.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FlowArg {
    /// USER_SRP_AUTH (the password never leaves this machine).
    UserSrp,
    /// CUSTOM_AUTH started with SRP, then custom challenges.
    CustomSrp,
    /// USER_AUTH, choosing PASSWORD_SRP.
    UserAuth,
    /// USER_PASSWORD_AUTH: sends the password to Cognito over TLS (user migration).
    UserPassword,
}

/// A second factor to pick at SELECT_MFA_TYPE.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MfaArg {
    /// SMS_MFA.
    Sms,
    /// SOFTWARE_TOKEN_MFA.
    Totp,
    /// EMAIL_OTP.
    Email,
}

/// `cognito-srp login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    #[command(flatten)]
    target: Target,
    /// User name (or alias: email, phone).
    #[arg(long, env = "COGNITO_USERNAME")]
    username: String,
    /// Sign-in flow.
    #[arg(long, value_enum, default_value = "user-srp")]
    auth_flow: FlowArg,
    /// Read the password from the first line of stdin (otherwise env
    /// COGNITO_PASSWORD, otherwise a no-echo prompt on a terminal).
    #[arg(long)]
    password_stdin: bool,
    /// MFA code (SMS, TOTP or email), otherwise prompted on a terminal.
    #[arg(long, env = "COGNITO_MFA_CODE", hide_env_values = true)]
    mfa_code: Option<String>,
    /// Second factor to pick when Cognito asks which one.
    #[arg(long, value_enum)]
    mfa_type: Option<MfaArg>,
    /// New password when Cognito requires one, otherwise prompted on a terminal.
    #[arg(long, env = "COGNITO_NEW_PASSWORD", hide_env_values = true)]
    new_password: Option<String>,
    /// Attribute NAME=VALUE to set with a new password (repeatable).
    #[arg(long = "attribute", value_name = "NAME=VALUE")]
    attributes: Vec<String>,
    /// Answer to a CUSTOM_CHALLENGE, otherwise prompted on a terminal.
    #[arg(long, env = "COGNITO_CHALLENGE_ANSWER", hide_env_values = true)]
    challenge_answer: Option<String>,
    /// Remembered-device credentials (JSON, mode 0600): signs in as that
    /// device when the file exists; otherwise confirms the device Cognito
    /// names and writes its credentials there.
    #[arg(long, value_name = "PATH")]
    device_file: Option<PathBuf>,
    /// Name of the device confirmed with --device-file (default: the host name).
    #[arg(long, value_name = "NAME")]
    device_name: Option<String>,
}

/// `cognito-srp refresh`.
#[derive(Debug, Args)]
pub struct RefreshArgs {
    #[command(flatten)]
    target: Target,
    /// Read the refresh token from the first line of stdin (otherwise env
    /// COGNITO_REFRESH_TOKEN, otherwise a no-echo prompt on a terminal).
    #[arg(long)]
    refresh_token_stdin: bool,
    /// Internal user name (the access token's `username`), needed for SECRET_HASH
    /// when the client has a secret.
    #[arg(long, env = "COGNITO_USERNAME")]
    username: Option<String>,
    /// Device key, when device tracking is on.
    #[arg(long)]
    device_key: Option<String>,
}

/// A failure: the line to print and the exit code.
struct Failure {
    code: u8,
    line: String,
}

impl Failure {
    fn usage(line: impl Into<String>) -> Self {
        Self {
            code: EXIT_USAGE,
            line: line.into(),
        }
    }
}

impl From<FlowError> for Failure {
    fn from(error: FlowError) -> Self {
        let code = match &error {
            FlowError::Transport(TransportError::Service {
                kind: ServiceErrorKind::TooManyRequests | ServiceErrorKind::InternalError,
                ..
            }) => EXIT_FAULT,
            FlowError::Transport(TransportError::Service { .. }) => EXIT_REFUSED,
            FlowError::Transport(TransportError::InvalidEndpoint) => EXIT_USAGE,
            FlowError::Transport(_) => EXIT_FAULT,
            FlowError::Srp(_)
            | FlowError::IncompleteResponse { .. }
            | FlowError::MissingField { .. }
            | FlowError::UnexpectedChallenge { .. } => EXIT_FAULT,
            FlowError::UsernameRequired | FlowError::AnswerMismatch { .. } => EXIT_USAGE,
            _ => EXIT_REFUSED,
        };
        Self {
            code,
            line: one_line(&error),
        }
    }
}

/// The error and its sources on one line (service errors are already
/// `Code: message`).
fn one_line(error: &dyn std::error::Error) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line.replace(['\n', '\r'], " ")
}

/// Runs `cognito-srp login`.
pub fn run_login(args: LoginArgs) -> ExitCode {
    finish(runtime().and_then(|rt| rt.block_on(login(args))))
}

/// Runs `cognito-srp refresh`.
pub fn run_refresh(args: RefreshArgs) -> ExitCode {
    finish(runtime().and_then(|rt| rt.block_on(refresh(args))))
}

fn finish(result: Result<Tokens, Failure>) -> ExitCode {
    match result {
        Ok(tokens) => {
            let result = tokens.expose_authentication_result();
            match serde_json::to_string_pretty(&result) {
                Ok(json) => {
                    println!("{json}");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("error: {error}");
                    ExitCode::from(EXIT_FAULT)
                }
            }
        }
        Err(failure) => {
            eprintln!("{}", failure.line);
            ExitCode::from(failure.code)
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure {
            code: EXIT_FAULT,
            line: format!("error: cannot start the async runtime: {e}"),
        })
}

fn client(target: &Target) -> Result<CognitoClient<StepPrinter<HttpTransport>>, Failure> {
    let pool = UserPoolId::parse(&target.user_pool_id)
        .map_err(|e| Failure::usage(format!("error: --user-pool-id: {e}")))?;
    let client_id = ClientId::new(target.client_id.as_str())
        .map_err(|e| Failure::usage(format!("error: --client-id: {e}")))?;
    let builder = HttpTransport::builder().user_pool(&pool);
    let builder = match (&target.endpoint, &target.region) {
        (Some(url), _) => builder.endpoint(url.as_str()),
        (None, Some(region)) => builder.region(region.as_str()),
        (None, None) => builder,
    };
    let transport = builder.build().map_err(|e| match e {
        TransportError::InvalidEndpoint => Failure::usage("error: invalid --endpoint or --region"),
        other => Failure {
            code: EXIT_FAULT,
            line: format!("error: {}", one_line(&other)),
        },
    })?;
    let sink = if target.verbose {
        StepSink::Stderr
    } else {
        StepSink::Off
    };
    let transport = StepPrinter::new(transport, sink);
    let mut client = CognitoClient::new(pool, client_id, transport);
    if let Some(secret) = target.client_secret.as_deref().filter(|s| !s.is_empty()) {
        client = client.with_client_secret(ClientSecret::new(secret));
    }
    Ok(client)
}

async fn login(args: LoginArgs) -> Result<Tokens, Failure> {
    let client = client(&args.target)?;
    let password = Password::new(read_secret(
        args.password_stdin,
        "COGNITO_PASSWORD",
        "Password: ",
        "a password: --password-stdin, COGNITO_PASSWORD or a terminal",
    )?);
    let flow = match args.auth_flow {
        FlowArg::UserSrp => LoginFlow::UserSrp,
        FlowArg::CustomSrp => LoginFlow::CustomSrp,
        FlowArg::UserAuth => LoginFlow::UserAuth,
        FlowArg::UserPassword => LoginFlow::UserPassword,
    };
    let mut options = LoginOptions::default().flow(flow);
    if let Some(path) = &args.device_file {
        let name = args.device_name.clone().unwrap_or_else(default_device_name);
        options = options.remember_device(name, true);
        if let Some(credentials) = read_device_file(path)? {
            options = options.device(credentials);
        }
    }
    let mut outcome = client
        .login_with(&args.username, password, &options)
        .await?;
    // Bounded: Cognito ends a sign-in after a handful of challenges.
    for _ in 0..16 {
        let challenge = match outcome {
            LoginOutcome::Tokens(mut tokens) => {
                if let Some(path) = &args.device_file {
                    store_device(path, &mut tokens)?;
                }
                return Ok(*tokens);
            }
            LoginOutcome::Challenge(challenge) => *challenge,
        };
        outcome = answer(&client, &args, challenge).await?;
    }
    Err(Failure {
        code: EXIT_FAULT,
        line: "error: too many challenges".into(),
    })
}

/// The device name when --device-name is not given: the host name, else "cognito-srp".
fn default_device_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty() && name.len() <= 256)
        .unwrap_or_else(|| "cognito-srp".to_owned())
}

/// The credentials in `path`, or `None` when it does not exist yet.
fn read_device_file(path: &Path) -> Result<Option<DeviceCredentials>, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => zeroize::Zeroizing::new(text),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(Failure::usage(format!(
                "error: --device-file {}: {error}",
                path.display()
            )));
        }
    };
    DeviceCredentials::from_json(&text).map(Some).map_err(|_| {
        Failure::usage(format!(
            "error: --device-file {}: not device credentials written by cognito-srp",
            path.display()
        ))
    })
}

/// After a login with --device-file: reports stale credentials, writes newly
/// confirmed ones, removes stale ones nothing replaced.
fn store_device(path: &Path, tokens: &mut Tokens) -> Result<(), Failure> {
    let fault = |error: std::io::Error| Failure {
        code: EXIT_FAULT,
        line: format!("error: --device-file {}: {error}", path.display()),
    };
    if let Some(stale) = tokens.stale_device() {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(
            stderr,
            "warning: Cognito no longer knows the device in {} ({}); signed in without it{}",
            path.display(),
            stale.error_code(),
            if tokens.device_credentials().is_some() {
                ", replacing it"
            } else {
                ", removing it"
            }
        );
    }
    match tokens.take_device_credentials() {
        Some(credentials) => {
            let json = credentials.to_json().map_err(|e| Failure {
                code: EXIT_FAULT,
                line: format!("error: cannot serialise the device credentials: {e}"),
            })?;
            write_private_atomically(path, json.as_bytes()).map_err(fault)
        }
        None if tokens.stale_device().is_some() => match std::fs::remove_file(path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(fault(error)),
            _ => Ok(()),
        },
        None => Ok(()),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory
/// (created with mode 0600), synced and renamed over `path`.
fn write_private_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "device".to_owned());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let result = (|| {
        let mut file = options.open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

async fn answer(
    client: &CognitoClient<StepPrinter<HttpTransport>>,
    args: &LoginArgs,
    challenge: Challenge,
) -> Result<LoginOutcome, Failure> {
    let answer = match challenge.kind() {
        ChallengeKind::NewPasswordRequired {
            required_attributes,
            ..
        } => {
            let new_password = match &args.new_password {
                Some(p) => p.clone(),
                None => prompt_new_password()?,
            };
            let mut attributes = BTreeMap::new();
            for pair in &args.attributes {
                let (name, value) = pair
                    .split_once('=')
                    .ok_or_else(|| Failure::usage("error: --attribute takes NAME=VALUE"))?;
                attributes.insert(name.to_owned(), value.to_owned());
            }
            if let Some(missing) = required_attributes
                .iter()
                .find(|a| !attributes.contains_key(*a))
            {
                return Err(Failure::usage(format!(
                    "error: NEW_PASSWORD_REQUIRED needs attribute {missing}: add --attribute {missing}=VALUE"
                )));
            }
            ChallengeAnswer::NewPassword {
                new_password: Password::new(new_password),
                attributes,
            }
        }
        ChallengeKind::SmsMfa { .. }
        | ChallengeKind::SoftwareTokenMfa { .. }
        | ChallengeKind::EmailOtp { .. } => {
            let label = match challenge.kind() {
                ChallengeKind::SmsMfa { destination } => code_label("SMS", destination),
                ChallengeKind::EmailOtp { destination } => code_label("email", destination),
                _ => "Authenticator code: ".to_owned(),
            };
            ChallengeAnswer::Code(mfa_code(args, &label)?)
        }
        ChallengeKind::SelectMfaType { options } => {
            let wanted = match args.mfa_type {
                Some(MfaArg::Sms) => Some(MfaType::Sms),
                Some(MfaArg::Totp) => Some(MfaType::SoftwareToken),
                Some(MfaArg::Email) => Some(MfaType::Email),
                None => None,
            };
            let choice = match wanted {
                Some(t) if options.contains(&t) => t,
                Some(_) => {
                    return Err(Failure::usage(
                        "error: the chosen --mfa-type is not offered",
                    ));
                }
                None => *options.first().ok_or_else(|| Failure {
                    code: EXIT_FAULT,
                    line: "error: SELECT_MFA_TYPE offers no known factor".into(),
                })?,
            };
            if args.target.verbose {
                StepSink::Stderr.print(&format!("choosing {}", choice.wire_name()));
            }
            ChallengeAnswer::SelectMfaType(choice)
        }
        ChallengeKind::MfaSetup { .. } => {
            let setup = client.begin_software_token_setup(challenge).await?;
            let uri = setup.otpauth_uri("Cognito", setup.username());
            if !std::io::stderr().is_terminal() && args.mfa_code.is_none() {
                return Err(Failure::usage(
                    "error: MFA_SETUP needs a terminal to show the authenticator secret",
                ));
            }
            eprintln!("Add this to your authenticator app: {uri}");
            let code = mfa_code(args, "Authenticator code: ")?;
            return Ok(client
                .finish_software_token_setup(setup, code, Some("cognito-srp"))
                .await?);
        }
        ChallengeKind::CustomChallenge { .. } => {
            let answer = match &args.challenge_answer {
                Some(a) => a.clone(),
                None => prompt_tty("Challenge answer: ")?,
            };
            ChallengeAnswer::Custom(SecretAnswer::new(answer))
        }
        _ => {
            return Err(Failure {
                code: EXIT_REFUSED,
                line: format!(
                    "error: challenge {} is not supported by this command",
                    challenge.name()
                ),
            });
        }
    };
    Ok(client.answer(challenge, answer).await?)
}

fn code_label(medium: &str, destination: &Option<String>) -> String {
    match destination {
        Some(d) => format!("Code sent by {medium} to {d}: "),
        None => format!("Code sent by {medium}: "),
    }
}

fn mfa_code(args: &LoginArgs, label: &str) -> Result<SecretAnswer, Failure> {
    match &args.mfa_code {
        Some(code) => Ok(SecretAnswer::new(code.as_str())),
        None => prompt_tty(label).map(SecretAnswer::new),
    }
}

fn prompt_new_password() -> Result<String, Failure> {
    let first = prompt_tty("New password: ")?;
    let second = prompt_tty("New password again: ")?;
    if first != second {
        return Err(Failure::usage("error: the new passwords differ"));
    }
    Ok(first)
}

/// A no-echo prompt on the terminal; a usage error without one.
fn prompt_tty(label: &str) -> Result<String, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(format!(
            "error: input needed ({}) but stdin is not a terminal; see --help",
            label.trim_end_matches([':', ' '])
        )));
    }
    rpassword::prompt_password(label)
        .map_err(|e| Failure::usage(format!("error: cannot read from the terminal: {e}")))
}

/// A secret from stdin's first line, an environment variable, or a prompt.
fn read_secret(from_stdin: bool, env: &str, label: &str, what: &str) -> Result<String, Failure> {
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

async fn refresh(args: RefreshArgs) -> Result<Tokens, Failure> {
    let client = client(&args.target)?;
    let token = RefreshToken::new(read_secret(
        args.refresh_token_stdin,
        "COGNITO_REFRESH_TOKEN",
        "Refresh token: ",
        "a refresh token: --refresh-token-stdin, COGNITO_REFRESH_TOKEN or a terminal",
    )?);
    let mut options = RefreshOptions::default();
    if let Some(username) = &args.username {
        options = options.username(username.as_str());
    }
    if let Some(key) = &args.device_key {
        options = options.device_key(key.as_str());
    }
    Ok(client.refresh(&token, &options).await?)
}
