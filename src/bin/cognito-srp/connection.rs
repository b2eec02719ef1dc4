//! The connection arguments every client command shares: where to reach
//! which app client (`--endpoint`, `--region`, `--user-pool-id`,
//! `--client-id`, `--client-secret` and their environment variables).

use clap::Args;
use cognito_srp_auth::transport::{HttpTransport, HttpTransportBuilder, TransportError};
use cognito_srp_auth::{ClientId, ClientSecret, UserPoolId};

use crate::exit::{self, Failure};

/// Where to reach which app client.
#[derive(Debug, Args)]
pub(crate) struct Connection {
    /// User pool id, `<region>_<id>`.
    #[arg(long, env = "COGNITO_USER_POOL_ID")]
    pub user_pool_id: String,
    /// App client id.
    #[arg(long, env = "COGNITO_CLIENT_ID")]
    pub client_id: String,
    /// App client secret, for clients that have one.
    #[arg(long, env = "COGNITO_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: Option<String>,
    /// AWS region (default: the user pool id's).
    #[arg(long)]
    pub region: Option<String>,
    /// Endpoint override, e.g. http://127.0.0.1:9229/ for a local pool
    /// (http:// only to loopback unless --allow-insecure-http).
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Accept an http:// endpoint that is not loopback: tokens, codes and
    /// passwords then travel in clear.
    #[arg(long)]
    pub allow_insecure_http: bool,
}

impl Connection {
    /// The user pool id and app client id, checked.
    pub(crate) fn ids(&self) -> Result<(UserPoolId, ClientId), Failure> {
        let pool = UserPoolId::parse(&self.user_pool_id)
            .map_err(|e| Failure::usage(format!("error: --user-pool-id: {e}")))?;
        let client_id = ClientId::new(self.client_id.as_str())
            .map_err(|e| Failure::usage(format!("error: --client-id: {e}")))?;
        Ok((pool, client_id))
    }

    /// The app client secret, when one is given and not empty.
    pub(crate) fn client_secret(&self) -> Option<ClientSecret> {
        self.client_secret
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(ClientSecret::new)
    }

    /// The HTTP transport to `pool`'s region or the endpoint; `configure`
    /// adds command-specific limits.
    pub(crate) fn transport(
        &self,
        pool: &UserPoolId,
        configure: impl FnOnce(HttpTransportBuilder) -> HttpTransportBuilder,
    ) -> Result<HttpTransport, Failure> {
        let builder = HttpTransport::builder()
            .user_pool(pool)
            .allow_insecure_http(self.allow_insecure_http);
        let builder = match (&self.endpoint, &self.region) {
            (Some(url), _) => builder.endpoint(url.as_str()),
            (None, Some(region)) => builder.region(region.as_str()),
            (None, None) => builder,
        };
        configure(builder).build().map_err(|e| {
            let code = exit::transport_code_of(&e);
            if let TransportError::InsecureEndpoint { .. } = e {
                Failure::usage(format!("error: --endpoint: {e} (--allow-insecure-http)"))
            } else if code == exit::USAGE {
                let flags = if self.region.is_some() {
                    "--endpoint or --region"
                } else {
                    "--endpoint"
                };
                Failure::usage(format!("error: invalid {flags}"))
            } else {
                Failure::new(code, format!("error: {}", exit::one_line(&e)))
            }
        })
    }
}
