//! `LuxSciClient` for Rust (cargo feature `native`): the core's exchange driven over reqwest and tokio.
//! Every rule — authentication, signing, retries, replay, deadline, `may_have_been_sent` — is the
//! core's ([`crate::exchange`]); this driver sends, waits and reports what happened.
//!
//! ```no_run
//! # async fn run() -> Result<(), luxsci::native::Error> {
//! use luxsci::native::{CallOptions, LuxSciClient};
//! use serde_json::json;
//!
//! let client = LuxSciClient::builder("token", "secret")
//!     .account_id("12345")
//!     .username("me@example.com")
//!     .build()?;
//! let domains = client.call("getDomainsReport", None, None, &CallOptions::default()).await?;
//! let ids = client
//!     .send_email(&json!({ "messages": [{ "to": ["a@example.org"], "subject": "Hi", "body": "Hello" }] }))
//!     .await?;
//! client.revoke_authentication().await?;
//! # let _ = (domains, ids); Ok(()) }
//! ```

mod body;
mod client;
mod error;
mod wire;

pub use crate::endpoints::Method;
pub use body::Attachment;
pub use client::LuxSciClient;
pub use error::{Error, Failure};

use crate::error::Error as CoreError;
use crate::limits::SendLimits;
use crate::session::{Credentials, Session};
use crate::signing::Secret;
use crate::step::{
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, DEFAULT_TOTAL_TIMEOUT_MS,
};
use client::Shared;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// LuxSci's API host.
pub const DEFAULT_BASE_URL: &str = "https://rest.luxsci.com";

/// Builds a [`LuxSciClient`].
pub struct Builder {
    base_url: String,
    credentials: Credentials,
    account_id: Option<String>,
    username: Option<String>,
    timeout: Duration,
    total_timeout: Option<Duration>,
    max_retries: u32,
    limits: SendLimits,
    max_response_bytes: usize,
}

impl Builder {
    /// The API's base URL (default [`DEFAULT_BASE_URL`]; a sandbox's URL in tests).
    pub fn base_url(mut self, url: impl Into<String>) -> Builder {
        self.base_url = url.into();
        self
    }

    /// User scope: authenticate as this user with this password.
    pub fn user(mut self, user: impl Into<String>, password: impl Into<String>) -> Builder {
        self.credentials.user_pass = Some((user.into(), Secret::new(password.into())));
        self
    }

    /// The default `{accountId}` of account operations.
    pub fn account_id(mut self, id: impl Into<String>) -> Builder {
        self.account_id = Some(id.into());
        self
    }

    /// The default `{username}` of user operations.
    pub fn username(mut self, name: impl Into<String>) -> Builder {
        self.username = Some(name.into());
        self
    }

    /// Each attempt's timeout (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Builder {
        self.timeout = timeout;
        self
    }

    /// The longest a whole call may take, retries and waits included (default: the longer of 120 s
    /// and the attempt timeout); [`CallOptions::deadline`] overrides it per call.
    pub fn total_timeout(mut self, total: Duration) -> Builder {
        self.total_timeout = Some(total);
        self
    }

    /// Extra attempts where repeating is harmless (default 2).
    pub fn max_retries(mut self, retries: u32) -> Builder {
        self.max_retries = retries;
        self
    }

    /// The sendEmail limits (default: LuxSci's documented ones; dedicated servers may raise them).
    pub fn send_limits(mut self, limits: SendLimits) -> Builder {
        self.limits = limits;
        self
    }

    /// The longest answer body read (default [`DEFAULT_MAX_RESPONSE_BYTES`], 64 MiB); a longer one is not read
    /// further and fails the call with [`Error::Api`] naming this option (`may_have_been_sent` when
    /// it was a 2xx to a call that is not safe to repeat: LuxSci may have acted on it).
    pub fn max_response_bytes(mut self, bytes: usize) -> Builder {
        self.max_response_bytes = bytes;
        self
    }

    /// The client. Fails with [`Error::Validation`] for an unusable base URL.
    pub fn build(self) -> Result<LuxSciClient, Error> {
        let base = self.base_url.trim_end_matches('/').to_owned();
        if !(base.starts_with("https://") || base.starts_with("http://"))
            || base.contains(['?', '#'])
        {
            return Err(CoreError::validation(
                "base_url must be an http(s) URL without query or fragment",
            )
            .into());
        }
        // rustls needs a process-wide crypto provider; ring is this crate's (unless the program chose one).
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            #[allow(
                deprecated,
                reason = "ring builds with a plain C compiler; aws-lc-rs, the provider with post-quantum key exchange, needs cmake. A program may install its own provider first"
            )]
            let provider = rustls::crypto::ring::default_provider();
            // Another thread may install one first: either way a provider is in place.
            let _ = provider.install_default();
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| CoreError::validation(format!("the HTTP client could not start: {e}")))?;
        let (notify, _) = watch::channel(0);
        Ok(LuxSciClient {
            shared: Arc::new(Shared {
                http,
                base,
                session: Mutex::new(Session::new(Some(self.credentials))),
                settled: notify,
                account_id: self.account_id,
                username: self.username,
                timeout: self.timeout,
                total_timeout: self.total_timeout.unwrap_or(
                    self.timeout
                        .max(Duration::from_secs_f64(DEFAULT_TOTAL_TIMEOUT_MS / 1000.0)),
                ),
                max_retries: self.max_retries,
                limits: self.limits,
                max_response_bytes: self.max_response_bytes,
            }),
        })
    }
}

/// Per-call options.
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    /// This call's attempt timeout (default: the client's).
    pub timeout: Option<Duration>,
    /// This call's retries (default: the client's).
    pub max_retries: Option<u32>,
    /// The whole call, retries and waits included, settles within this (default: the client's
    /// total timeout).
    pub deadline: Option<Duration>,
    /// `{accountId}` for this call.
    pub account_id: Option<String>,
    /// `{username}` for this call.
    pub username: Option<String>,
}

impl LuxSciClient {
    /// A builder for a client with the integration's API token and secret.
    pub fn builder(token: impl Into<String>, secret: impl Into<String>) -> Builder {
        Builder {
            base_url: DEFAULT_BASE_URL.into(),
            credentials: Credentials {
                token: token.into(),
                secret: Secret::new(secret.into()),
                user_pass: None,
            },
            account_id: None,
            username: None,
            timeout: Duration::from_secs_f64(DEFAULT_TIMEOUT_MS / 1000.0),
            total_timeout: None,
            max_retries: DEFAULT_MAX_RETRIES,
            limits: SendLimits::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES as usize,
        }
    }
}
