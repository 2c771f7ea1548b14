//! A call, bound from JavaScript arguments: the endpoint's shape decides which argument is the path
//! parameter, the body or the query, and the options; `request()` builds one for any path.

use super::js::{self, get, is_plain_object, string_or_number};
use super::options::{CallOptions, Config};
use super::payload::{self, Body, Payload};
use crate::endpoints::{self, Endpoint, Method, Shape};
use crate::error::Error;
use crate::path::{self, PathArgs, API_PREFIX};
use wasm_bindgen::prelude::*;

/// A request on its way out: its `payload` a [`Payload`] once any files are read, a [`Body`] before.
pub(super) struct Call<P = Payload> {
    pub operation: Option<&'static str>,
    pub method: Method,
    pub path: String,
    pub query: String,
    pub payload: P,
    pub idempotent: bool,
    pub options: CallOptions,
    /// Whether the body can be sent again (false for a stream): no retry and no replay otherwise.
    pub resendable: bool,
    /// Read and decode the body (a relay passes the Response through instead).
    pub read_body: bool,
    /// sendEmail's message count: its success must carry one sendmail id per message.
    pub ids_due: Option<usize>,
}

impl<P> Call<P> {
    /// The same call with its payload made by `f` (or `f`'s error).
    fn map<Q, E>(self, f: impl FnOnce(P) -> Result<Q, E>) -> Result<Call<Q>, E> {
        let Call {
            operation,
            method,
            path,
            query,
            payload,
            idempotent,
            options,
            resendable,
            read_body,
            ids_due,
        } = self;
        Ok(Call {
            payload: f(payload)?,
            operation,
            method,
            path,
            query,
            idempotent,
            options,
            resendable,
            read_body,
            ids_due,
        })
    }
}

impl Call<Body> {
    /// The call once its files' hashes are known (`hashes` in the order of `Batch::distinct`).
    pub fn complete(self, hashes: &[String]) -> Result<Call<Body>, Error> {
        self.map(|body| body.complete(hashes))
    }

    /// The call ready to send, when no file is left to read.
    pub fn ready(self) -> Option<Call> {
        self.map(|body| body.ready().ok_or(())).ok()
    }
}

/// Binds arguments by shape, builds the path (with `config`'s account and user unless the call
/// names its own), and prepares the body (within `config`'s send limits).
pub(super) fn operation_call(
    config: &Config,
    endpoint: &'static Endpoint,
    a: JsValue,
    b: JsValue,
    c: JsValue,
) -> Result<Call<Body>, Error> {
    let (param, input, options) = match endpoint.shape {
        Shape::Auth | Shape::Options => (JsValue::UNDEFINED, JsValue::UNDEFINED, a),
        Shape::Param | Shape::Dir | Shape::File => (a, JsValue::UNDEFINED, b),
        Shape::Body | Shape::Send | Shape::OptQuery | Shape::Report => (JsValue::UNDEFINED, a, b),
        Shape::ParamBody | Shape::Upload => (a, b, c),
        // A string is the directory; a lone object is the options.
        Shape::OptDir if a.as_string().is_some() => (a, JsValue::UNDEFINED, b),
        Shape::OptDir if is_plain_object(&a) && b.is_undefined() => {
            (JsValue::UNDEFINED, JsValue::UNDEFINED, a)
        }
        Shape::OptDir => (JsValue::UNDEFINED, JsValue::UNDEFINED, b),
    };
    let options = CallOptions::from_js(&options)?;
    let param = match endpoint.param {
        Some(name) if !param.is_undefined() => Some(
            string_or_number(&param)
                .ok_or_else(|| Error::validation(format!("{name} must be a string")))?,
        ),
        _ => None,
    };
    let c = config;
    let path = path::build(
        endpoint,
        PathArgs {
            account_id: options.account_id.as_deref().or(c.account_id.as_deref()),
            username: options.username.as_deref().or(c.username.as_deref()),
            param: param.as_deref(),
        },
    )?;
    let mut query = String::new();
    let mut ids_due = None;
    let payload = match endpoint.shape {
        Shape::Body | Shape::ParamBody => Body::Ready(payload::json_object(
            &input,
            &format!("{} body", endpoint.id),
        )?),
        Shape::Send => {
            let payload = payload::send(endpoint, &input, &c.limits)?;
            // sendEmail's body was checked to hold a messages array; the other send is one message.
            if endpoint.id == "sendEmail" {
                ids_due = Some(js_sys::Array::from(&get(&input, "messages")).length() as usize);
            }
            payload
        }
        Shape::Upload => payload::upload(param.as_deref().unwrap_or_default(), &input)?,
        Shape::OptQuery | Shape::Report => {
            query = query_string(&input)?;
            Body::Ready(Payload::None)
        }
        _ => Body::Ready(Payload::None),
    };
    Ok(Call {
        operation: Some(endpoint.id),
        method: endpoint.method,
        path,
        query,
        payload,
        idempotent: endpoint.idempotent(),
        options,
        resendable: true,
        read_body: true,
        ids_due,
    })
}

const INIT_KEYS: &[&str] = &[
    "query",
    "body",
    "files",
    "signal",
    "timeoutMs",
    "totalTimeoutMs",
    "maxRetries",
];

/// `request(method, path, init)`.
pub(super) fn custom_call(
    method: &JsValue,
    path: &JsValue,
    init: &JsValue,
) -> Result<Call<Body>, Error> {
    let method = method
        .as_string()
        .and_then(|m| Method::parse(&m))
        .ok_or_else(|| Error::validation("method must be one of GET, POST, PUT, DELETE"))?;
    let path = path
        .as_string()
        .ok_or_else(|| Error::validation("path must be a string"))?;
    if !init.is_undefined() {
        if !is_plain_object(init) {
            return Err(Error::validation("request init must be an object"));
        }
        js::check_keys(init, "request", INIT_KEYS)?;
    }
    let (path, inline_query) = path::split_custom(&path)?;
    let given = get(init, "query");
    let query = match (inline_query.is_empty(), given.is_undefined()) {
        (_, true) => inline_query,
        (true, false) => query_string(&given)?,
        (false, false) => {
            return Err(Error::validation(
                "give the query in the path or in init.query, not both",
            ))
        }
    };
    let (body, files) = (get(init, "body"), get(init, "files"));
    if matches!(method, Method::Get | Method::Delete)
        && !(body.is_undefined() && files.is_undefined())
    {
        return Err(Error::validation(
            "GET and DELETE requests carry no body: use query",
        ));
    }
    let payload = if !files.is_undefined() {
        payload::with_files(&body, &files)?
    } else if body.is_undefined() {
        Body::Ready(Payload::None)
    } else {
        let (text, hash) = payload::stringify(&body, "body")?;
        Body::Ready(Payload::Json { text, hash })
    };
    // init's keys were checked above: of the call options, it can only hold signal, timeoutMs, totalTimeoutMs and maxRetries.
    let options = CallOptions::read(init)?;
    Ok(Call {
        operation: endpoints::match_route(method, path.strip_prefix(API_PREFIX).unwrap_or(&path))
            .map(|e| e.id),
        method,
        idempotent: method.idempotent(),
        path,
        query,
        payload,
        options,
        resendable: true,
        read_body: true,
        ids_due: None,
    })
}

/// A query object serialised in key order (`k=v&...`, arrays as repeated keys, null/undefined
/// skipped), or a raw query string as given.
fn query_string(value: &JsValue) -> Result<String, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(String::new());
    }
    if let Some(raw) = value.as_string() {
        return Ok(raw.trim_start_matches('?').to_owned());
    }
    if !is_plain_object(value) {
        return Err(Error::validation("query must be an object or a string"));
    }
    let mut out = String::new();
    for key in js::keys(value) {
        let v = get(value, &key);
        let items: Vec<JsValue> = if js_sys::Array::is_array(&v) {
            js_sys::Array::from(&v).iter().collect()
        } else {
            vec![v]
        };
        for item in items.iter().filter(|i| !i.is_undefined() && !i.is_null()) {
            let text = string_or_number(item)
                .or_else(|| item.as_bool().map(|b| b.to_string()))
                .ok_or_else(|| {
                    Error::validation(format!("query.{key} must be a string, number or boolean"))
                })?;
            if !out.is_empty() {
                out.push('&');
            }
            path::query_component(&mut out, &key);
            out.push('=');
            path::query_component(&mut out, &text);
        }
    }
    Ok(out)
}
