//! The web UI in a real headless Chromium driven through chromedriver (Debian packages `chromium`
//! and `chromium-driver`, installed by `scripts/test`). Skipped only with LIMES_TEST_BROWSER=0.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::support::{PASSWORD, env};

pub(crate) struct Browser {
    pub(crate) client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

pub(crate) async fn browser() -> Option<Browser> {
    if std::env::var("LIMES_TEST_BROWSER").as_deref() == Ok("0") {
        eprintln!("browser tests skipped: LIMES_TEST_BROWSER=0");
        return None;
    }
    let driver_path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("chromedriver is missing: run scripts/test (installs chromium-driver) or set LIMES_TEST_BROWSER=0");
    let port = free_port();
    let mut driver = Command::new(driver_path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().expect("profile dir");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,900", format!("--user-data-dir={}", profile.path().display())]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        if let Ok(client) = ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            return Some(Browser {
                client,
                driver,
                _profile: profile,
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = driver.kill();
    let _ = driver.wait();
    panic!("could not start a Chromium session through chromedriver");
}

pub(crate) async fn serve(state: std::sync::Arc<limes_server::AppState>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(limes_server::serve(listener, state, std::future::pending()));
    format!("http://{addr}")
}

pub(crate) async fn text(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} not on the page: {e}"))
        .text()
        .await
        .expect("text")
}

/// Clicks an element that submits a form or follows a link, and waits until the page it was on
/// has gone: webdriver's click may return before the navigation, and reading the next page too
/// early would read the old one.
pub(crate) async fn submit(client: &Client, locator: Locator<'_>) {
    let element = client.find(locator).await.expect("element to click");
    element.clone().click().await.expect("clicks");
    for _ in 0..200 {
        if element.is_displayed().await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the click did not leave the page");
}

pub(crate) async fn sign_in(
    client: &Client,
    base: &str,
    name: &str,
    password: &str,
    purpose: &str,
) {
    client
        .goto(&format!("{base}/login"))
        .await
        .expect("login page");
    client
        .find(Locator::Id("name"))
        .await
        .expect("name")
        .send_keys(name)
        .await
        .expect("types");
    client
        .find(Locator::Id("password"))
        .await
        .expect("pw")
        .send_keys(password)
        .await
        .expect("types");
    client
        .find(Locator::Css(&format!(
            "#purpose-select option[value='{purpose}']"
        )))
        .await
        .expect("purpose option")
        .click()
        .await
        .expect("selects");
    submit(client, Locator::Id("sign-in")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dpo_signs_in_filters_the_journal_verifies_and_signs_out() {
    let Some(browser) = browser().await else {
        return;
    };
    let env = env().await;
    // Some activity by the guard to find in the journal.
    assert_eq!(env.get("guard", "/api/v1/me", None, None).await.status, 200);
    let base = serve(env.state.clone()).await;
    let client = &browser.client;

    sign_in(client, &base, "dpo", PASSWORD, "audit").await;
    assert!(text(client, "#welcome").await.contains("dpo"));
    assert_eq!(text(client, "#purpose").await, "audit");

    client
        .goto(&format!("{base}/audit?user=guard"))
        .await
        .expect("audit page");
    let users: Vec<String> = {
        let cells = client
            .find_all(Locator::Css("#entries td.user"))
            .await
            .expect("cells");
        let mut out = Vec::new();
        for cell in cells {
            out.push(cell.text().await.expect("text"));
        }
        out
    };
    assert!(!users.is_empty(), "the guard's activity is listed");
    assert!(users.iter().all(|u| u == "guard"), "{users:?}");
    let actions = text(client, "#entries").await;
    assert!(actions.contains("me.read"), "{actions}");

    submit(client, Locator::Id("verify")).await;
    let result = text(client, "#verify-result").await;
    assert!(result.starts_with("Chain intact"), "{result}");

    submit(client, Locator::Id("sign-out")).await;
    let url = client.current_url().await.expect("url");
    assert!(url.path().starts_with("/login"), "{url}");
    client.goto(&format!("{base}/audit")).await.expect("goes");
    assert!(
        client
            .current_url()
            .await
            .expect("url")
            .path()
            .starts_with("/login"),
        "signed out means signed out"
    );

    // The journal shows the sign-in, the audit search, the verification and the sign-out.
    let entries = env
        .hub
        .store()
        .journal_search(&Default::default())
        .await
        .expect("search");
    for action in [
        "auth.sign_in",
        "audit.search",
        "audit.verify",
        "auth.sign_out",
    ] {
        assert!(
            entries
                .iter()
                .any(|e| e.body.action == action && e.body.actor == "dpo"),
            "{action} journalled"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_wrong_purpose_and_session_expiry() {
    let Some(browser) = browser().await else {
        return;
    };
    let env = env().await;
    let base = serve(env.state.clone()).await;
    let client = &browser.client;

    sign_in(client, &base, "guard", "not the password", "border_check").await;
    assert_eq!(text(client, "#error").await, "Wrong user name or password.");

    sign_in(client, &base, "guard", PASSWORD, "audit").await;
    assert!(
        text(client, "#error")
            .await
            .contains("do not allow the purpose audit")
    );

    sign_in(client, &base, "guard", PASSWORD, "border_check").await;
    assert!(text(client, "#welcome").await.contains("guard"));
    // A guard has no audit view: the page answers with the gate's refusal.
    client.goto(&format!("{base}/audit")).await.expect("goes");
    assert!(
        text(client, "#error")
            .await
            .contains("no rule of the access matrix allows")
    );

    // 14 minutes idle is fine; 15 more minutes idle ends the session.
    env.clock.advance(time::Duration::minutes(14));
    client.goto(&format!("{base}/")).await.expect("home");
    assert!(text(client, "#welcome").await.contains("guard"));
    env.clock.advance(time::Duration::minutes(15));
    client.goto(&format!("{base}/")).await.expect("home");
    assert!(text(client, "#notice").await.contains("session has ended"));

    // The absolute limit: 12 hours even with activity.
    sign_in(client, &base, "guard", PASSWORD, "border_check").await;
    for _ in 0..60 {
        env.clock.advance(time::Duration::minutes(14));
        client.goto(&format!("{base}/")).await.expect("home");
        if client.find(Locator::Id("notice")).await.is_ok() {
            break;
        }
    }
    assert!(
        text(client, "#notice").await.contains("session has ended"),
        "absolute timeout after 12 h"
    );
}
