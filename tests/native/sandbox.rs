//! The project's sandbox for the native client's tests: `node js/sandbox/cli.js` on 127.0.0.1 with a
//! free port and fault injection, its control API, and a client configured for it.

use luxsci::native::LuxSciClient;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A running sandbox; stopped when dropped.
pub struct Sandbox {
    child: Child,
    pub details: Value,
    http: Option<reqwest::Client>,
}

impl Sandbox {
    /// Starts one with `flags` added (e.g. `--auth-idle-seconds`).
    pub fn start(flags: &[&str]) -> Sandbox {
        let mut child = Command::new("node")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/js/sandbox/cli.js"))
            .args(["--host", "127.0.0.1", "--port", "0", "--faults"])
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node starts the sandbox");
        let stdout = child.stdout.take();
        let mut sandbox = Sandbox {
            child,
            details: Value::Null,
            http: None,
        };
        let mut line = String::new();
        BufReader::new(stdout.expect("stdout"))
            .read_line(&mut line)
            .expect("the sandbox prints its details");
        sandbox.details = serde_json::from_str(&line).expect("one JSON line");
        assert!(sandbox.url().starts_with("http://127.0.0.1:"));
        // The first LuxSciClient installs the TLS crypto provider that this reqwest needs too.
        drop(sandbox.client());
        sandbox.http = Some(reqwest::Client::new());
        sandbox
    }

    pub fn url(&self) -> &str {
        self.details["url"].as_str().unwrap()
    }

    pub fn field(&self, name: &str) -> String {
        match &self.details[name] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    /// An account-scope client for this sandbox.
    pub fn client(&self) -> LuxSciClient {
        LuxSciClient::builder(self.field("token"), self.field("secret"))
            .base_url(self.url())
            .account_id(self.field("accountId"))
            .username(self.field("username"))
            .build()
            .unwrap()
    }

    fn http(&self) -> &reqwest::Client {
        self.http.as_ref().expect("started")
    }

    /// `POST /__sandbox/<what>` with `body`.
    pub async fn control(&self, what: &str, body: Value) {
        let answer = self
            .http()
            .post(format!("{}/__sandbox/{what}", self.url()))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{what}: {}", answer.status());
    }

    /// `GET /__sandbox/<what>`'s data.
    pub async fn record(&self, what: &str) -> Value {
        let body: Value = self
            .http()
            .get(format!("{}/__sandbox/{what}", self.url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["data"].clone()
    }

    /// How many requests of `operation_id` reached the sandbox.
    pub async fn count(&self, operation_id: &str) -> usize {
        let log = self.record("log").await;
        log.as_array()
            .unwrap()
            .iter()
            .filter(|entry| entry["operationId"] == json!(operation_id))
            .count()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
