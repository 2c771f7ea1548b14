//! `LuxSciClient`: each method prepares a request and drives the core's exchange with it — sends what
//! it asks, waits what it asks, runs the authentication it asks for, and reports what happened.

use super::body::{self, Attachment, Prepared};
use super::wire::{self, now_ms};
use super::{CallOptions, Error};
use crate::endpoints::{self, Endpoint, Method, Shape};
use crate::envelope::{self, Ids};
use crate::error::Error as CoreError;
use crate::exchange::{Action, Authentication, Exchange, Request, Resolution};
use crate::limits::SendLimits;
use crate::multipart::{self, FilePart};
use crate::path::{self, PathArgs};
use crate::session::{FlightId, Session};
use crate::signing;
use crate::step::{Deadline, Policy};
use serde_json::{json, Value};
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::watch;

/// A LuxSci API client. Cheap to clone: clones share the authentication.
#[derive(Clone)]
pub struct LuxSciClient {
    pub(super) shared: Arc<Shared>,
}

pub(super) struct Shared {
    pub(super) http: reqwest::Client,
    pub(super) base: String,
    pub(super) session: Mutex<Session>,
    /// Bumped whenever an authentication settles, for the calls waiting on it.
    pub(super) settled: watch::Sender<u64>,
    pub(super) account_id: Option<String>,
    pub(super) username: Option<String>,
    pub(super) timeout: Duration,
    pub(super) total_timeout: Duration,
    pub(super) max_retries: u32,
    pub(super) limits: SendLimits,
    pub(super) max_response_bytes: usize,
}

impl fmt::Debug for LuxSciClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LuxSciClient")
            .field("base_url", &self.shared.base)
            .field("account_id", &self.shared.account_id)
            .field("username", &self.shared.username)
            .finish_non_exhaustive()
    }
}

impl LuxSciClient {
    /// Authenticates now (otherwise the first call does); reuses a cached auth code.
    pub async fn authenticate(&self) -> Result<(), Error> {
        let exchange = Exchange::authenticate(self.policy(&CallOptions::default()), seed());
        self.drive(exchange, Prepared::default()).await.map(drop)
    }

    /// Ends the authentication session (`DELETE /auth`) and drops the cached code; sends nothing when
    /// the client has not authenticated.
    pub async fn revoke_authentication(&self) -> Result<(), Error> {
        let exchange = Exchange::revoke(self.policy(&CallOptions::default()), seed());
        self.drive(exchange, Prepared::default()).await.map(drop)
    }

    /// Calls any LuxSci endpoint, signed like every operation: `path` relative to `/perl/api/v2` (or
    /// absolute, with an optional `?query`), `query` an object or a string, `body` sent as JSON.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        query: Option<&Value>,
        body: Option<&Value>,
    ) -> Result<Value, Error> {
        let (path, inline) = path::split_custom(path)?;
        let query = match (inline.is_empty(), query) {
            (_, None) => inline,
            (true, given) => body::query_string(given)?,
            (false, Some(_)) => {
                return Err(CoreError::validation(
                    "give the query in the path or in query, not both",
                )
                .into())
            }
        };
        if matches!(method, Method::Get | Method::Delete) && body.is_some() {
            return Err(
                CoreError::validation("GET and DELETE requests carry no body: use query").into(),
            );
        }
        let prepared = body.map(Prepared::json).transpose()?.unwrap_or_default();
        let relative = path.strip_prefix(path::API_PREFIX).unwrap_or(&path);
        let request = Request {
            operation: endpoints::match_route(method, relative).map(|e| e.id),
            method,
            query,
            body_hash: prepared.hash.clone(),
            idempotent: method.idempotent(),
            resendable: true,
            decode: true,
            path,
        };
        let policy = self.policy(&CallOptions::default());
        self.drive(Exchange::call(request, policy, seed()), prepared)
            .await
    }

    /// Calls the table operation `operation_id` (its LuxSci operationId, e.g. `"getDomainDetails"`):
    /// `param` is its path parameter (domain, alias address, directory, file path, …), `input` its body
    /// or, for `getEmailTemplateList` and the reports, its query. Resolves to the envelope's `data`
    /// (`Value::Null` when there is none).
    pub async fn call(
        &self,
        operation_id: &str,
        param: Option<&str>,
        input: Option<&Value>,
        options: &CallOptions,
    ) -> Result<Value, Error> {
        let endpoint = endpoints::operations()
            .find(|e| e.id == operation_id)
            .ok_or_else(|| CoreError::validation(format!("unknown operation {operation_id:?}")))?;
        let fail = |e: CoreError| Error::from(e.for_operation(Some(endpoint.id)));
        let path = self.path(endpoint, param, options).map_err(fail)?;
        let (query, prepared) = match endpoint.shape {
            Shape::Body | Shape::ParamBody => (
                String::new(),
                Prepared::json(body::object(input)?).map_err(fail)?,
            ),
            Shape::Send => {
                let send = body::object(input)?;
                let limits = &self.shared.limits;
                let prepared = body::send_body(endpoint.id, send, &[], limits, &random());
                (String::new(), prepared.map_err(fail)?)
            }
            Shape::OptQuery | Shape::Report => (
                body::query_string(input).map_err(fail)?,
                Prepared::default(),
            ),
            Shape::Upload => {
                return Err(fail(CoreError::validation(
                    "use upload_content_library_file to send a file",
                )))
            }
            Shape::Auth
            | Shape::Options
            | Shape::Param
            | Shape::OptDir
            | Shape::Dir
            | Shape::File => {
                if input.is_some() {
                    return Err(fail(CoreError::validation(format!(
                        "{operation_id} takes no body or query"
                    ))));
                }
                (String::new(), Prepared::default())
            }
        };
        let request = Request::operation(endpoint, path, query, prepared.hash.clone());
        self.run(request, prepared, options).await
    }

    /// `getDomainsReport`: every domain of the account.
    pub async fn get_domains_report(&self) -> Result<Value, Error> {
        self.call("getDomainsReport", None, None, &CallOptions::default())
            .await
    }

    /// `getDomainDetails`: one domain.
    pub async fn get_domain_details(&self, domain: &str) -> Result<Value, Error> {
        self.call(
            "getDomainDetails",
            Some(domain),
            None,
            &CallOptions::default(),
        )
        .await
    }

    /// `createAlias`: `{ user, domain, dest, action }`. Not repeated once it may have reached LuxSci.
    pub async fn create_alias(&self, body: &Value) -> Result<Value, Error> {
        self.call("createAlias", None, Some(body), &CallOptions::default())
            .await
    }

    /// `deleteAlias`: removes an alias.
    pub async fn delete_alias(&self, address: &str) -> Result<Value, Error> {
        self.call("deleteAlias", Some(address), None, &CallOptions::default())
            .await
    }

    /// `sendEmail`: `{ messages: [...] }`, checked against the send limits first; resolves to one
    /// sendmail id per message, in order. Never repeated once it may have reached LuxSci.
    pub async fn send_email(&self, body: &Value) -> Result<Vec<String>, Error> {
        self.send_email_with_files(body, &[]).await
    }

    /// `sendEmail` with attachments: each message's `attachments` entries are `{ "name": … }`, naming
    /// one of `files`; their SHA-256 is computed here and each file is sent once, however many
    /// messages attach it. Resolves as [`LuxSciClient::send_email`] does.
    pub async fn send_email_with_files(
        &self,
        body: &Value,
        files: &[Attachment],
    ) -> Result<Vec<String>, Error> {
        let endpoint = endpoints::by_id("sendEmail")
            .ok_or_else(|| CoreError::validation("the table has no sendEmail"))?;
        let fail = |e: CoreError| Error::from(e.for_operation(Some(endpoint.id)));
        let prepared = body::send_body(endpoint.id, body, files, &self.shared.limits, &random())
            .map_err(fail)?;
        let path = self
            .path(endpoint, None, &CallOptions::default())
            .map_err(fail)?;
        let request = Request::operation(endpoint, path, String::new(), prepared.hash.clone());
        let data = self.run(request, prepared, &CallOptions::default()).await?;
        let messages = body
            .get("messages")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let shape = match data.as_array() {
            Some(list) => Ids::Array {
                len: list.len(),
                all_ids: list
                    .iter()
                    .all(|id| id.as_str().is_some_and(|s| !s.is_empty()) || id.is_number()),
            },
            None => Ids::Other,
        };
        if let Err(message) = envelope::check_ids(messages, shape) {
            let mut error = CoreError::new(crate::error::ErrorKind::Api, message)
                .for_operation(Some("sendEmail"));
            error.may_have_been_sent = Some(true);
            return Err(Error::from_core(error, Some(data)));
        }
        // Checked above: an array of ids.
        let list = match data {
            Value::Array(list) => list,
            _ => Vec::new(),
        };
        Ok(list
            .into_iter()
            .map(|id| match id {
                Value::String(s) => s,
                other => other.to_string(),
            })
            .collect())
    }

    /// `uploadContentLibraryFile`: uploads `content` as the file at `file_path` (multipart; its
    /// SHA-256 computed here).
    pub async fn upload_content_library_file(
        &self,
        file_path: &str,
        content: Vec<u8>,
        content_type: Option<&str>,
    ) -> Result<Value, Error> {
        let endpoint = endpoints::by_id("uploadContentLibraryFile")
            .ok_or_else(|| CoreError::validation("the table has no uploadContentLibraryFile"))?;
        let fail = |e: CoreError| Error::from(e.for_operation(Some(endpoint.id)));
        let path = self
            .path(endpoint, Some(file_path), &CallOptions::default())
            .map_err(fail)?;
        let name = file_path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(file_path);
        multipart::check_name(name, "file").map_err(fail)?;
        let part = FilePart {
            name: name.to_owned(),
            hash: signing::sha256_hex(&content),
            content_type: multipart::default_content_type(name, content_type),
        };
        let json = json!({ "attachments": [{ "name": part.name, "hash": part.hash }] });
        let prepared =
            Prepared::multipart(&json, &[(part, content.as_slice())], &random()).map_err(fail)?;
        let request = Request::operation(endpoint, path, String::new(), prepared.hash.clone());
        self.run(request, prepared, &CallOptions::default()).await
    }

    /// The encoded path of `endpoint` with `param` and the call's (or the client's) account and user.
    fn path(
        &self,
        endpoint: &'static Endpoint,
        param: Option<&str>,
        options: &CallOptions,
    ) -> Result<String, CoreError> {
        let shared = &self.shared;
        path::build(
            endpoint,
            PathArgs {
                account_id: options
                    .account_id
                    .as_deref()
                    .or(shared.account_id.as_deref()),
                username: options.username.as_deref().or(shared.username.as_deref()),
                param,
            },
        )
    }

    /// Sends `request` with its `prepared` body through the core's exchange.
    async fn run(
        &self,
        request: Request,
        prepared: Prepared,
        options: &CallOptions,
    ) -> Result<Value, Error> {
        let exchange = Exchange::call(request, self.policy(options), seed());
        self.drive(exchange, prepared).await
    }

    fn policy(&self, options: &CallOptions) -> Policy {
        // The call's own deadline, else the client's total_timeout; its timeout errors name the one in force.
        let (total, option) = match options.deadline {
            Some(deadline) => (deadline, "deadline"),
            None => (self.shared.total_timeout, "total_timeout"),
        };
        Policy {
            timeout_ms: options.timeout.unwrap_or(self.shared.timeout).as_secs_f64() * 1000.0,
            max_retries: options.max_retries.unwrap_or(self.shared.max_retries),
            deadline: Some(Deadline::starting(
                now_ms(),
                total.as_secs_f64() * 1000.0,
                option,
            )),
        }
    }

    fn session(&self) -> MutexGuard<'_, Session> {
        // The session is left consistent by every step, so a panic elsewhere does not spoil it.
        self.shared
            .session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `exchange` to its end: sends what it asks, waits what it asks, reports what happened.
    async fn drive(&self, mut exchange: Exchange, prepared: Prepared) -> Result<Value, Error> {
        let mut action = exchange.next(&mut self.session(), now_ms());
        let mut last: Option<Value> = None;
        loop {
            action = match action {
                Action::Send(attempt) => {
                    let received = wire::send(
                        &self.shared.http,
                        &self.shared.base,
                        &attempt,
                        &prepared,
                        self.shared.max_response_bytes,
                    )
                    .await;
                    let now = now_ms();
                    let next = exchange.on_outcome(&mut self.session(), received.outcome(now), now);
                    last = received.into_json();
                    next
                }
                Action::Wait { ms } => {
                    tokio::time::sleep(Duration::from_secs_f64(ms / 1000.0)).await;
                    exchange.next(&mut self.session(), now_ms())
                }
                Action::Authenticate { auth, until_ms } => {
                    let flight = auth.flight();
                    let waiting = self.shared.settled.subscribe();
                    tokio::spawn(authenticate(self.shared.clone(), auth));
                    self.await_flight(waiting, flight, until_ms).await;
                    exchange.next(&mut self.session(), now_ms())
                }
                Action::AwaitAuthentication { flight, until_ms } => {
                    let waiting = self.shared.settled.subscribe();
                    self.await_flight(waiting, flight, until_ms).await;
                    exchange.next(&mut self.session(), now_ms())
                }
                Action::Resolve(Resolution::Data) => {
                    return Ok(last
                        .and_then(|mut body| body.get_mut("data").map(Value::take))
                        .unwrap_or(Value::Null))
                }
                Action::Resolve(Resolution::Nothing | Resolution::Answer) => {
                    return Ok(Value::Null)
                }
                Action::Reject(error) => {
                    let body = match error.status {
                        Some(_) => last.map(|body| redact_value(&self.session(), body)),
                        None => None,
                    };
                    return Err(Error::from_core(error, body));
                }
            };
        }
    }

    /// Waits until `flight` has settled, or until `until_ms`.
    async fn await_flight(
        &self,
        mut waiting: watch::Receiver<u64>,
        flight: FlightId,
        until_ms: Option<f64>,
    ) {
        loop {
            if self.session().in_flight() != Some(flight) {
                return;
            }
            let changed = waiting.changed();
            let ended = match until_ms {
                Some(until) => {
                    let left = Duration::from_secs_f64(((until - now_ms()) / 1000.0).max(0.0));
                    tokio::time::timeout(left, changed)
                        .await
                        .map_or(true, |r| r.is_err())
                }
                None => changed.await.is_err(),
            };
            if ended {
                return;
            }
        }
    }
}

/// Runs one authentication, detached from the call that leads it; its flight is abandoned (its
/// followers fail) if the task is dropped unfinished, e.g. when the runtime shuts down.
async fn authenticate(shared: Arc<Shared>, mut auth: Authentication) {
    struct Settle<'a>(&'a Shared, FlightId);
    impl Drop for Settle<'_> {
        fn drop(&mut self) {
            let mut session = self.0.session.lock().unwrap_or_else(|p| p.into_inner());
            session.abandon(self.1);
            drop(session);
            self.0.settled.send_modify(|n| *n += 1);
        }
    }
    let _settle = Settle(&shared, auth.flight());
    let lock = || shared.session.lock().unwrap_or_else(|p| p.into_inner());
    let mut action = auth.next(&mut lock(), now_ms());
    loop {
        action = match action {
            Action::Send(attempt) => {
                let received = wire::send(
                    &shared.http,
                    &shared.base,
                    &attempt,
                    &Prepared::default(),
                    shared.max_response_bytes,
                )
                .await;
                let now = now_ms();
                auth.on_outcome(&mut lock(), received.outcome(now), now)
            }
            Action::Wait { ms } => {
                tokio::time::sleep(Duration::from_secs_f64(ms / 1000.0)).await;
                auth.next(&mut lock(), now_ms())
            }
            // Settled: the flight's result is in the session; `_settle` wakes the waiting calls.
            _ => return,
        };
    }
}

/// 16 bytes for a multipart boundary.
fn random() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&seed().to_le_bytes());
    bytes[8..].copy_from_slice(&seed().to_le_bytes());
    bytes
}

/// A random seed from the standard library's per-process random keys.
fn seed() -> u64 {
    RandomState::new().build_hasher().finish()
}

/// `value` with every credential of the session removed from its strings (a server may echo them).
fn redact_value(session: &Session, value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(session.redact(&s)),
        Value::Array(list) => {
            Value::Array(list.into_iter().map(|v| redact_value(session, v)).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (session.redact(&k), redact_value(session, v)))
                .collect(),
        ),
        other => other,
    }
}
