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
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use cognito_srp_auth::Password;
use cognito_srp_auth::flow::{
    Challenge, ChallengeAnswer, ChallengeKind, CognitoClient, FirstFactor, LoginFlow, LoginOptions,
    LoginOutcome, MfaType, RefreshOptions, SecretAnswer, Tokens,
};
use cognito_srp_auth::transport::HttpTransport;

use crate::connection::Connection;
use crate::device_file;
use crate::exit::{self, Failure};
use crate::login_profile::{previous_device, save_profile};
use crate::profile::{Profile, ProfileAccess};
use crate::prompts::{prompt_new_password, prompt_tty, read_refresh_token, read_secret};
use crate::steps::{StepPrinter, StepSink};

/// Where to reach which app client.
#[derive(Debug, Args)]
pub(crate) struct Target {
    #[command(flatten)]
    connection: Connection,
    /// Print each step to stderr (never a secret).
    #[arg(long, short)]
    verbose: bool,
}

impl Target {
    /// What a command working on a profile takes from these arguments: the
    /// client secret, `--allow-insecure-http`, `--verbose`.
    pub(crate) fn profile_access(&self) -> ProfileAccess {
        ProfileAccess {
            client_secret: self.connection.client_secret.clone(),
            allow_insecure_http: self.connection.allow_insecure_http,
            verbose: self.verbose,
        }
    }
}

/// The sign-in flow.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FlowArg {
    /// USER_SRP_AUTH (the password never leaves this machine).
    UserSrp,
    /// CUSTOM_AUTH started with SRP, then custom challenges.
    CustomSrp,
    /// USER_AUTH (choice-based), with the first factor of --first-factor.
    UserAuth,
    /// USER_PASSWORD_AUTH: sends the password to Cognito over TLS (user migration).
    UserPassword,
}

/// The first factor of a USER_AUTH sign-in (PREFERRED_CHALLENGE).
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FirstFactorArg {
    /// PASSWORD_SRP: the password proven with SRP (the default).
    PasswordSrp,
    /// PASSWORD: sends the password to Cognito over TLS.
    Password,
    /// EMAIL_OTP: passwordless, a code sent by email.
    EmailOtp,
    /// SMS_OTP: passwordless, a code sent by SMS.
    SmsOtp,
}

/// A second factor to pick at SELECT_MFA_TYPE.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum MfaArg {
    /// SMS_MFA.
    Sms,
    /// SOFTWARE_TOKEN_MFA.
    Totp,
    /// EMAIL_OTP.
    Email,
}

/// `cognito-srp login`.
#[derive(Debug, Args)]
pub(crate) struct LoginArgs {
    #[command(flatten)]
    target: Target,
    /// User name (or alias: email, phone).
    #[arg(long, env = "COGNITO_USERNAME")]
    username: String,
    /// Sign-in flow.
    #[arg(long, value_enum, default_value = "user-srp")]
    auth_flow: FlowArg,
    /// First factor with --auth-flow user-auth (default password-srp); the
    /// code of email-otp / sms-otp is read like an MFA code.
    #[arg(long, value_enum, value_name = "FACTOR")]
    first_factor: Option<FirstFactorArg>,
    /// Read the password from the first line of stdin (otherwise env
    /// COGNITO_PASSWORD, otherwise a no-echo prompt on a terminal).
    #[arg(long)]
    password_stdin: bool,
    /// MFA or sign-in code (SMS, TOTP or email), otherwise prompted on a terminal.
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
    /// Save the session in this profile (tokens, device credentials, pool
    /// and client ids, endpoint; never the password or client secret)
    /// instead of printing the tokens; `cognito-srp token --profile NAME`
    /// then prints a valid token. The profile's remembered device is used
    /// and kept unless --device-file is given. The old profile is replaced
    /// only once the sign-in succeeds.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
}

/// `cognito-srp refresh`.
#[derive(Debug, Args)]
pub(crate) struct RefreshArgs {
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

/// Runs `cognito-srp login`.
pub(crate) fn run_login(args: LoginArgs) -> ExitCode {
    let profile = args.profile.clone();
    let result = exit::runtime(&mut tokio::runtime::Builder::new_current_thread())
        .and_then(|rt| rt.block_on(login(args)));
    match (profile, result) {
        (Some(name), Ok(tokens)) => {
            let user = tokens.username().unwrap_or("the user");
            eprintln!("signed in as {user}; session saved in profile {name}");
            ExitCode::SUCCESS
        }
        (_, result) => finish(result),
    }
}

/// Runs `cognito-srp refresh`.
pub(crate) fn run_refresh(args: RefreshArgs) -> ExitCode {
    finish(
        exit::runtime(&mut tokio::runtime::Builder::new_current_thread())
            .and_then(|rt| rt.block_on(refresh(args))),
    )
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
                Err(error) => Failure::fault(format!("error: {error}")).report(),
            }
        }
        Err(failure) => failure.report(),
    }
}

pub(crate) fn client(
    target: &Target,
) -> Result<CognitoClient<StepPrinter<HttpTransport>>, Failure> {
    let (pool, client_id) = target.connection.ids()?;
    let transport = target.connection.transport(&pool, |builder| builder)?;
    let sink = if target.verbose {
        StepSink::Stderr
    } else {
        StepSink::Off
    };
    let transport = StepPrinter::new(transport, sink);
    let mut client = CognitoClient::new(pool, client_id, transport);
    if let Some(secret) = target.connection.client_secret() {
        client = client.with_client_secret(secret);
    }
    Ok(client)
}

async fn login(args: LoginArgs) -> Result<Tokens, Failure> {
    let client = client(&args.target)?;
    let flow = match args.auth_flow {
        FlowArg::UserSrp => LoginFlow::UserSrp,
        FlowArg::CustomSrp => LoginFlow::CustomSrp,
        FlowArg::UserAuth => LoginFlow::UserAuth,
        FlowArg::UserPassword => LoginFlow::UserPassword,
    };
    let mut options = LoginOptions::default().flow(flow);
    let profile = args.profile.as_deref().map(Profile::named).transpose()?;
    let previous = match &profile {
        Some(profile) if args.device_file.is_none() => {
            previous_device(profile, client.user_pool_id(), client.client_id())
        }
        _ => None,
    };
    if profile.is_some() && args.device_file.is_none() {
        let name = args.device_name.clone().unwrap_or_else(default_device_name);
        options = options.remember_device(name, true);
        if let Some(credentials) = &previous {
            options = options.device(credentials.clone());
        }
    }
    if let Some(path) = &args.device_file {
        let name = args.device_name.clone().unwrap_or_else(default_device_name);
        options = options.remember_device(name, true);
        if let Some(credentials) = device_file::read(path)? {
            options = options.device(credentials);
        }
    }
    let mut outcome = match (args.auth_flow, args.first_factor) {
        (FlowArg::UserAuth, Some(factor)) => {
            let factor = match factor {
                FirstFactorArg::PasswordSrp => FirstFactor::PasswordSrp(read_password(&args)?),
                FirstFactorArg::Password => FirstFactor::Password(read_password(&args)?),
                FirstFactorArg::EmailOtp => FirstFactor::EmailOtp,
                FirstFactorArg::SmsOtp => FirstFactor::SmsOtp,
            };
            client
                .login_user_auth(&args.username, Some(factor), &options)
                .await?
        }
        (_, Some(_)) => {
            return Err(Failure::usage(
                "error: --first-factor needs --auth-flow user-auth",
            ));
        }
        (_, None) => {
            client
                .login_with(&args.username, read_password(&args)?, &options)
                .await?
        }
    };
    // Bounded: Cognito ends a sign-in after a handful of challenges.
    for _ in 0..16 {
        let challenge = match outcome {
            LoginOutcome::Tokens(mut tokens) => {
                if let Some(path) = &args.device_file {
                    device_file::store(path, &mut tokens)?;
                }
                if let Some(profile) = &profile {
                    save_profile(profile, &client, &args.target.connection, &tokens, previous)?;
                }
                return Ok(*tokens);
            }
            LoginOutcome::Challenge(challenge) => *challenge,
        };
        outcome = answer(&client, &args, challenge).await?;
    }
    Err(Failure::fault("error: too many challenges"))
}

fn read_password(args: &LoginArgs) -> Result<Password, Failure> {
    Ok(Password::new(read_secret(
        args.password_stdin,
        "COGNITO_PASSWORD",
        "Password: ",
        "a password: --password-stdin, COGNITO_PASSWORD or a terminal",
    )?))
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
        | ChallengeKind::SmsOtp { .. }
        | ChallengeKind::SoftwareTokenMfa { .. }
        | ChallengeKind::EmailOtp { .. } => {
            let label = match challenge.kind() {
                ChallengeKind::SmsMfa { destination } | ChallengeKind::SmsOtp { destination } => {
                    code_label("SMS", destination)
                }
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
                None => *options.first().ok_or_else(|| {
                    Failure::fault("error: SELECT_MFA_TYPE offers no known factor")
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
        ChallengeKind::SelectChallenge { available } => {
            let offered: Vec<&str> = available.iter().map(|c| c.as_str()).collect();
            return Err(Failure::new(
                exit::REFUSED,
                format!(
                    "error: the first factor asked for is not available to this user; Cognito offers {}: choose one with --first-factor",
                    offered.join(", ")
                ),
            ));
        }
        ChallengeKind::CustomChallenge { .. } => {
            let answer = match &args.challenge_answer {
                Some(a) => a.clone(),
                None => prompt_tty("Challenge answer: ")?,
            };
            ChallengeAnswer::Custom(SecretAnswer::new(answer))
        }
        _ => {
            return Err(Failure::new(
                exit::REFUSED,
                format!(
                    "error: challenge {} is not supported by this command",
                    challenge.name()
                ),
            ));
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

async fn refresh(args: RefreshArgs) -> Result<Tokens, Failure> {
    let client = client(&args.target)?;
    let token = read_refresh_token(args.refresh_token_stdin)?;
    let mut options = RefreshOptions::default();
    if let Some(username) = &args.username {
        options = options.username(username.as_str());
    }
    if let Some(key) = &args.device_key {
        options = options.device_key(key.as_str());
    }
    Ok(client.refresh(&token, &options).await?)
}
