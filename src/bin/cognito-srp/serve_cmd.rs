//! `cognito-srp serve`: a local Cognito user pool on loopback.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use cognito_srp_auth::local_pool::{
    AuthFlows, CODES_LOG_TARGET, CustomAuthTrigger, DEFAULT_PORT, DeviceTracking, ExplicitAuthFlow,
    FirstAuthFactors, LocalPool, RunningPool, SeedUser, TotpSecret, UsernameAttributes,
};
use cognito_srp_auth::{Password, UserPoolId};

use crate::exit::{self, Failure, error_chain};
use crate::users_file;

/// Options of `serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on; must be loopback unless --allow-remote.
    #[arg(long, value_name = "ADDR:PORT", default_value_t = SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)))]
    listen: SocketAddr,
    /// A user to create, `NAME:PASSWORD` (repeatable). The password is permanent.
    #[arg(long = "user", value_name = "NAME:PASSWORD")]
    user: Vec<String>,
    /// A JSON file of users: `{"users": [{"username", "password" | "temporary_password",
    /// "attributes": {...}, "totp_secret": "BASE32"}]}` (or the bare array).
    #[arg(long = "users", value_name = "FILE")]
    users_file: Option<PathBuf>,
    /// The user pool id, `<region>_<id>` (default: a random `us-east-1_…`).
    #[arg(long, value_name = "ID")]
    user_pool_id: Option<UserPoolId>,
    /// Allow listening on a non-loopback address (the pool has no access
    /// control; remote clients also need --allowed-host).
    #[arg(long)]
    allow_remote: bool,
    /// Also answer requests whose Host is NAME (repeatable). By default only
    /// the listening address (IP:PORT) and localhost:PORT are answered (with
    /// 0.0.0.0 or :: also 127.0.0.1:PORT and the IPv6 loopback ::1); any other Host
    /// gets 403 ForbiddenException, which stops DNS rebinding. NAME alone
    /// means NAME on the listening port; NAME:PORT exactly that port.
    #[arg(long = "allowed-host", value_name = "NAME[:PORT]")]
    allowed_host: Vec<String>,
    /// Turn the Admin* operations off (AdminCreateUser, AdminSetUserPassword,
    /// …): each is answered 403 ForbiddenException. The --user and --users
    /// users are still created.
    #[arg(long)]
    no_admin: bool,
    /// Also host an identity pool on the same endpoint: Cognito Identity's
    /// GetId and GetCredentialsForIdentity for this pool's ID tokens
    /// (Logins key cognito-idp.REGION.amazonaws.com/USER_POOL_ID),
    /// answering random, well-formed temporary credentials; its id is the
    /// ready line's identity_pool_id.
    #[arg(long)]
    identity_pool: bool,
    /// Show on stderr the sign-in codes (SMS_MFA, SMS_OTP, EMAIL_OTP) and the
    /// temporary passwords AdminCreateUser generates: the pool has no mail
    /// or SMS gateway, so they go to the log target
    /// cognito_srp_auth::local_pool::codes, hidden without this flag.
    #[arg(long)]
    show_codes: bool,
    /// Refresh-token rotation, as an app client with it on: refresh only
    /// through GetTokensFromRefreshToken, which returns a new refresh token;
    /// the old one keeps working for GRACE_SECS (0-60, default 0).
    #[arg(
        long,
        value_name = "GRACE_SECS",
        num_args = 0..=1,
        default_missing_value = "0",
        value_parser = clap::value_parser!(u64).range(0..=60)
    )]
    refresh_token_rotation: Option<u64>,
    /// Device tracking: `always` (every confirmed device is remembered),
    /// `opt-in` (remembered only when the user chooses) or `off`.
    #[arg(long, value_enum, default_value_t = TrackingArg::Always)]
    device_tracking: TrackingArg,
    /// ID and access token validity in seconds (default 3600; tests may go
    /// below Cognito's 300-second minimum).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=86400))]
    access_token_validity: Option<u64>,
    /// The first factors USER_AUTH may offer (the pool's
    /// AllowedFirstAuthFactors), comma-separated: `password` (PASSWORD and
    /// PASSWORD_SRP), `email-otp`, `sms-otp` (codes go to the log: see
    /// --show-codes).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        num_args = 1..,
        default_value = "password"
    )]
    first_auth_factors: Vec<FactorArg>,
    /// What users sign in with: `username` (the default; the internal user
    /// name is the user name) or `email` (every user name must be an email
    /// address, and the internal user name is the `sub`).
    #[arg(long, value_enum, value_name = "ATTRIBUTE", default_value_t = UsernameArg::Username)]
    username_attributes: UsernameArg,
    /// The app clients' allowed auth flows, comma-separated: `user-srp`,
    /// `refresh-token`, `user-password`, `custom`, `user-auth`,
    /// `admin-user-password` (or Cognito's `ALLOW_…` names). Default: all.
    #[arg(long, value_name = "FLOWS", value_delimiter = ',', num_args = 1..)]
    auth_flows: Vec<ExplicitAuthFlow>,
    /// The app clients' PreventUserExistenceErrors: `enabled` (an unknown
    /// user is answered as a wrong password) or `legacy` (the default, as
    /// Cognito's API: UserNotFoundException). Without a value: `enabled`.
    #[arg(
        long,
        value_enum,
        value_name = "MODE",
        num_args = 0..=1,
        default_missing_value = "enabled",
        default_value_t = ExistenceArg::Legacy
    )]
    prevent_user_existence_errors: ExistenceArg,
    /// A modelled custom-auth Lambda trigger: `none` (the default; CUSTOM_AUTH
    /// is refused) or `srp-then-tokens` (CUSTOM_AUTH with SRP_A, then tokens
    /// after the password proof).
    #[arg(long, value_enum, value_name = "TRIGGER", default_value_t = TriggerArg::None)]
    custom_auth_trigger: TriggerArg,
}

/// `--first-auth-factors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FactorArg {
    /// PASSWORD and PASSWORD_SRP.
    Password,
    /// A code sent to the user's email.
    EmailOtp,
    /// A code sent to the user's phone number.
    SmsOtp,
}

impl FactorArg {
    fn factors(list: &[FactorArg]) -> FirstAuthFactors {
        FirstAuthFactors::password_only()
            .with_password(list.contains(&FactorArg::Password))
            .with_email_otp(list.contains(&FactorArg::EmailOtp))
            .with_sms_otp(list.contains(&FactorArg::SmsOtp))
    }
}

/// `--prevent-user-existence-errors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExistenceArg {
    /// ENABLED.
    Enabled,
    /// LEGACY.
    Legacy,
}

/// `--custom-auth-trigger`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TriggerArg {
    /// No trigger.
    None,
    /// SRP password proof, then tokens.
    SrpThenTokens,
}

impl TriggerArg {
    fn setting(self) -> CustomAuthTrigger {
        match self {
            TriggerArg::None => CustomAuthTrigger::None,
            TriggerArg::SrpThenTokens => CustomAuthTrigger::SrpThenTokens,
        }
    }

    fn name(trigger: CustomAuthTrigger) -> &'static str {
        match trigger {
            CustomAuthTrigger::SrpThenTokens => "srp-then-tokens",
            _ => "none",
        }
    }
}

/// `--username-attributes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum UsernameArg {
    /// Users sign in with their user name.
    Username,
    /// Users sign in with their email address.
    Email,
}

impl UsernameArg {
    fn setting(self) -> UsernameAttributes {
        match self {
            UsernameArg::Username => UsernameAttributes::Username,
            UsernameArg::Email => UsernameAttributes::Email,
        }
    }
}

/// `--device-tracking`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TrackingArg {
    /// No device tracking.
    Off,
    /// Every confirmed device is remembered.
    Always,
    /// Devices are remembered only when the user opts in.
    OptIn,
}

impl TrackingArg {
    fn mode(self) -> DeviceTracking {
        match self {
            TrackingArg::Off => DeviceTracking::Off,
            TrackingArg::Always => DeviceTracking::Always,
            TrackingArg::OptIn => DeviceTracking::OptIn,
        }
    }

    fn name(mode: DeviceTracking) -> &'static str {
        match mode {
            DeviceTracking::Off => "off",
            DeviceTracking::OptIn => "opt-in",
            _ => "always",
        }
    }
}

fn seed_from_file(path: &Path) -> Result<Vec<SeedUser>, String> {
    users_file::read(path)?
        .into_iter()
        .map(|user| {
            if let Some(field) = user.unknown.keys().next() {
                return Err(format!(
                    "{}: not a users file: unknown field `{field}` in user {:?}",
                    path.display(),
                    user.username
                ));
            }
            let mut seed = match (user.password, user.temporary_password) {
                (_, Some(temporary)) => {
                    SeedUser::new(user.username.clone(), Password::new(temporary)).temporary()
                }
                (Some(password), None) => {
                    SeedUser::new(user.username.clone(), Password::new(password))
                }
                (None, None) => {
                    return Err(format!(
                        "user {:?}: needs password or temporary_password",
                        user.username
                    ));
                }
            };
            for (name, value) in user.attributes {
                seed = seed.attribute(name, value);
            }
            if let Some(secret) = user.totp_secret {
                let secret = TotpSecret::from_base32(&secret).ok_or_else(|| {
                    format!("user {:?}: totp_secret is not base32", user.username)
                })?;
                seed = seed.totp_secret(secret);
            }
            Ok(seed)
        })
        .collect()
}

fn seeds(args: &ServeArgs) -> Result<Vec<SeedUser>, String> {
    let mut seeds = Vec::new();
    for spec in &args.user {
        let (name, password) = spec
            .split_once(':')
            .ok_or_else(|| "--user wants NAME:PASSWORD".to_owned())?;
        seeds.push(SeedUser::new(name, Password::new(password)));
    }
    if let Some(path) = &args.users_file {
        seeds.extend(seed_from_file(path)?);
    }
    Ok(seeds)
}

/// Flags that cannot hold together, as a clap-style usage message naming both.
fn contradictions(args: &ServeArgs, seeds: &[SeedUser]) -> Result<(), String> {
    let flows = AuthFlows::only(args.auth_flows.iter().copied());
    let flows_text = || {
        let names: Vec<&str> = flows.iter().map(ExplicitAuthFlow::short_name).collect();
        names.join(",")
    };
    if !args.auth_flows.is_empty() && !flows.signs_in() {
        return Err(format!(
            "the argument '--auth-flows {}' allows no sign-in flow: no user could sign in (add user-srp, user-password, custom or user-auth)",
            flows_text()
        ));
    }
    if args.custom_auth_trigger != TriggerArg::None
        && !args.auth_flows.is_empty()
        && !flows.allows(ExplicitAuthFlow::Custom)
    {
        return Err(format!(
            "the argument '--custom-auth-trigger srp-then-tokens' cannot be used with '--auth-flows {}': the app clients do not allow custom",
            flows_text()
        ));
    }
    if args.username_attributes == UsernameArg::Email {
        let from_flag = args.user.len();
        for (index, seed) in seeds.iter().enumerate() {
            let name = seed.username();
            let is_email = name
                .split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
            if !is_email {
                let source = match index < from_flag {
                    true => format!("--user {name}:…"),
                    false => "--users".to_owned(),
                };
                return Err(format!(
                    "the argument '--username-attributes email' cannot be used with '{source}': user name {name:?} is not an email address"
                ));
            }
        }
    }
    Ok(())
}

/// The one line printed on stdout when the pool is ready.
fn ready_line(pool: &RunningPool) -> String {
    let settings = pool.token_settings();
    let clients: Vec<serde_json::Value> = pool
        .clients()
        .iter()
        .map(|client| {
            serde_json::json!({
                "client_id": client.client_id().as_str(),
                "client_secret": client.client_secret().map(|s| s.expose_secret()),
            })
        })
        .collect();
    serde_json::json!({
        "endpoint": pool.endpoint(),
        "user_pool_id": pool.user_pool_id().as_str(),
        "region": pool.region(),
        "clients": clients,
        "users": pool.usernames(),
        "device_tracking": TrackingArg::name(pool.device_tracking()),
        "first_auth_factors": pool.first_auth_factors().names(),
        "username_attributes": pool.username_attributes().as_str(),
        "custom_auth_trigger": TriggerArg::name(pool.custom_auth_trigger()),
        "auth_flows": pool.clients().first().map(|client| {
            client.auth_flows().iter().map(ExplicitAuthFlow::as_str).collect::<Vec<_>>()
        }),
        "prevent_user_existence_errors": pool.clients().first().map(|client| {
            match client.prevents_user_existence_errors() {
                true => "ENABLED",
                false => "LEGACY",
            }
        }),
        "access_token_validity": settings.access_token_validity.as_secs(),
        "refresh_token_rotation": settings.refresh_token_rotation.map(|grace| grace.as_secs()),
        "allowed_hosts": pool.allowed_hosts(),
        "admin_operations": pool.admin_operations(),
        "identity_pool_id": pool.identity_pool_id(),
    })
    .to_string()
}

/// INFO and above to stderr; the codes target only with `--show-codes`.
fn init_log(show_codes: bool) {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;

    let codes = match show_codes {
        true => LevelFilter::INFO,
        false => LevelFilter::OFF,
    };
    let filter = Targets::new()
        .with_default(LevelFilter::INFO)
        .with_target(CODES_LOG_TARGET, codes);
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .finish()
        .with(filter)
        .try_init();
}

async fn wait_for_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result,
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}

/// Runs `serve` until SIGINT or SIGTERM; exit 0 then.
pub(crate) fn run(args: ServeArgs) -> ExitCode {
    init_log(args.show_codes);
    let seeds = match seeds(&args) {
        Ok(seeds) => seeds,
        Err(message) => return Failure::usage(format!("error: {message}")).report(),
    };
    if let Err(message) = contradictions(&args, &seeds) {
        return Failure::usage(format!(
            "error: {message}\n\nFor more information, try '--help'."
        ))
        .report();
    }
    let runtime = match exit::runtime(&mut tokio::runtime::Builder::new_multi_thread()) {
        Ok(runtime) => runtime,
        Err(failure) => return failure.report(),
    };
    runtime.block_on(async move {
        let mut builder = LocalPool::builder()
            .listen(args.listen)
            .allow_remote(args.allow_remote)
            .admin_operations(!args.no_admin)
            .identity_pool(args.identity_pool);
        for name in &args.allowed_host {
            builder = builder.allowed_host(name.as_str());
        }
        if let Some(id) = args.user_pool_id {
            builder = builder.user_pool_id(id);
        }
        builder = builder
            .device_tracking(args.device_tracking.mode())
            .username_attributes(args.username_attributes.setting())
            .custom_auth_trigger(args.custom_auth_trigger.setting())
            .prevent_user_existence_errors(
                args.prevent_user_existence_errors == ExistenceArg::Enabled,
            );
        if !args.auth_flows.is_empty() {
            builder = builder.auth_flows(AuthFlows::only(args.auth_flows.iter().copied()));
        }
        builder = builder.first_auth_factors(FactorArg::factors(&args.first_auth_factors));
        if let Some(grace) = args.refresh_token_rotation {
            builder = builder.refresh_token_rotation(Duration::from_secs(grace));
        }
        if let Some(validity) = args.access_token_validity {
            builder = builder.access_token_validity(Duration::from_secs(validity));
        }
        for seed in seeds {
            builder = builder.user(seed);
        }
        let pool = match builder.start().await {
            Ok(pool) => pool,
            Err(error) => {
                return Failure::usage(format!("error: {}", error_chain(&error))).report();
            }
        };
        let mut stdout = std::io::stdout().lock();
        if writeln!(stdout, "{}", ready_line(&pool))
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return ExitCode::from(exit::FAULT);
        }
        drop(stdout);
        if let Err(error) = wait_for_signal().await {
            eprintln!("error: cannot wait for signals: {error}");
        }
        match pool.shutdown().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => Failure::fault(format!("error: {}", error_chain(&error))).report(),
        }
    })
}
