//! `cognito-srp verify`: check an ID or access token (stdin's first line)
//! against the user pool's JWKS and print its claims as JSON.

use std::io::{BufRead, Read};
use std::process::ExitCode;

use clap::Args;
use cognito_srp_auth::UserPoolId;
use cognito_srp_auth::transport::{ErrorClass, HttpTransport};
use cognito_srp_auth::verify::{MAX_TOKEN_LEN, TokenUse, TokenVerifier, VerifierOptions};

use zeroize::Zeroizing;

use crate::exit::{self, Failure};

/// Verifies a token read from stdin.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// User pool id, `<region>_<id>`.
    #[arg(long, env = "COGNITO_USER_POOL_ID")]
    user_pool_id: String,
    /// An allowed app client id (`aud` of an ID token, `client_id` of an
    /// access token); repeat for several. None: any client of the pool.
    #[arg(long = "client-id", value_name = "ID")]
    client_ids: Vec<String>,
    /// The required token use; default: either.
    #[arg(long, value_parser = ["id", "access"])]
    token_use: Option<String>,
    /// AWS region (default: the user pool id's).
    #[arg(long)]
    region: Option<String>,
    /// Endpoint override, e.g. http://127.0.0.1:9229/ for a local pool: the
    /// issuer is then `<endpoint>/<user-pool-id>` (http:// only to loopback
    /// unless --allow-insecure-http).
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
    /// The expected `iss` (and JWKS at `<issuer>/.well-known/jwks.json`),
    /// overriding the one derived from the endpoint and pool id.
    #[arg(long, value_name = "URL")]
    issuer: Option<String>,
    /// Accept an http:// endpoint that is not loopback.
    #[arg(long)]
    allow_insecure_http: bool,
    /// Clock leeway for exp/iat/nbf, seconds.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    leeway: u64,
}

/// Runs `cognito-srp verify`: exit 0 and the claims on stdout; 1 and the
/// failed check on stderr when the token is refused; 2 for usage, 3 when
/// the JWKS could not be fetched.
pub(crate) fn run(args: VerifyArgs) -> ExitCode {
    let result = exit::runtime(&mut tokio::runtime::Builder::new_current_thread())
        .and_then(|rt| rt.block_on(verify(args)));
    match result {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(failure) => failure.report(),
    }
}

/// Stdin's first line, trimmed, at most [`MAX_TOKEN_LEN`] bytes; wiped
/// when dropped.
fn read_token() -> Result<Zeroizing<String>, Failure> {
    let mut line = Zeroizing::new(String::with_capacity(MAX_TOKEN_LEN + 2));
    let limit = u64::try_from(MAX_TOKEN_LEN + 2).unwrap_or(u64::MAX);
    std::io::stdin()
        .lock()
        .take(limit)
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("error: cannot read the token from stdin: {e}")))?;
    let token = line.trim();
    if token.is_empty() {
        return Err(Failure::usage("error: no token on stdin"));
    }
    Ok(Zeroizing::new(token.to_owned()))
}

async fn verify(args: VerifyArgs) -> Result<String, Failure> {
    let pool = UserPoolId::parse(&args.user_pool_id)
        .map_err(|e| Failure::usage(format!("error: --user-pool-id: {e}")))?;
    let builder = HttpTransport::builder()
        .user_pool(&pool)
        .allow_insecure_http(args.allow_insecure_http);
    let builder = match (&args.endpoint, &args.region) {
        (Some(url), _) => builder.endpoint(url.as_str()),
        (None, Some(region)) => builder.region(region.as_str()),
        (None, None) => builder,
    };
    let transport = builder.build().map_err(|e| {
        Failure::new(
            exit::transport_code_of(&e),
            format!("error: {}", exit::one_line(&e)),
        )
    })?;
    let mut options = VerifierOptions::new().leeway(std::time::Duration::from_secs(args.leeway));
    options.client_ids = args.client_ids;
    if let Some(token_use) = args.token_use.as_deref() {
        let token_use: TokenUse = token_use
            .parse()
            .map_err(|e| Failure::usage(format!("error: --token-use: {e}")))?;
        options = options.token_use(token_use);
    }
    if let Some(issuer) = args.issuer {
        options = options.issuer(issuer);
    }
    let verifier = TokenVerifier::new(&pool, transport, options);
    let token = read_token()?;
    let claims = verifier.verify(&token).await.map_err(|e| {
        let what = match e.class() {
            ErrorClass::Refused => "token refused",
            _ => "cannot verify the token",
        };
        Failure::new(
            e.class().exit_code(),
            format!("error: {what} ({}): {}", e.code(), exit::one_line(&e)),
        )
    })?;
    serde_json::to_string_pretty(claims.as_map())
        .map_err(|e| Failure::fault(format!("error: cannot print the claims: {e}")))
}
