//! The native Rust client against a LuxSci (or the sandbox: `npx luxsci-sandbox` prints what to set):
//! authenticate, list domains, create and read back an alias, send an email, revoke.
//!
//! `LUXSCI_URL=http://127.0.0.1:8787 LUXSCI_TOKEN=… LUXSCI_SECRET=… LUXSCI_ACCOUNT_ID=… \
//!  LUXSCI_USERNAME=… cargo run --example native --features native`

use luxsci::native::{CallOptions, Error, LuxSciClient};
use serde_json::json;

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = LuxSciClient::builder(env("LUXSCI_TOKEN")?, env("LUXSCI_SECRET")?)
        .base_url(env("LUXSCI_URL")?)
        .account_id(env("LUXSCI_ACCOUNT_ID")?)
        .username(env("LUXSCI_USERNAME")?)
        .build()?;
    client.authenticate().await?;
    println!("authenticated");
    let domain = "example.test";
    let options = CallOptions::default();
    match client
        .call(
            "createDomain",
            None,
            Some(&json!({ "domain": domain })),
            &options,
        )
        .await
    {
        Ok(_) => println!("created domain {domain}"),
        Err(Error::Api(f)) if f.status == Some(409) => println!("domain {domain} exists"),
        Err(e) => return Err(e.into()),
    }
    let domains = client.get_domains_report().await?;
    println!("domains: {}", domains.as_array().map_or(0, Vec::len));
    let alias = json!({ "user": "hello", "domain": domain, "dest": "team@example.test", "action": "email" });
    match client.create_alias(&alias).await {
        Ok(_) => println!("created alias hello@{domain}"),
        Err(Error::Api(f)) if f.status == Some(409) => println!("alias hello@{domain} exists"),
        Err(e) => return Err(e.into()),
    }
    let details = client
        .call(
            "getAliasDetails",
            Some(&format!("hello@{domain}")),
            None,
            &options,
        )
        .await?;
    println!("alias: {details}");
    let ids = client
        .send_email(&json!({ "messages": [{ "to": ["patient@example.org"], "subject": "Your results", "body": "Ready." }] }))
        .await?;
    println!("sent: {}", ids.join(", "));
    client.revoke_authentication().await?;
    println!("revoked");
    Ok(())
}
