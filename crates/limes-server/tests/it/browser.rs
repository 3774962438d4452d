//! The web UI in a real headless Chromium driven through chromedriver (Debian packages `chromium`
//! and `chromium-driver`, installed by `scripts/test`). Skipped only with LIMES_TEST_BROWSER=0.

use std::os::unix::process::CommandExt as _;
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
    /// Kills chromedriver's whole process group: killing chromedriver alone left every Chromium
    /// it started running after the tests (60 processes after one `scripts/test`).
    fn drop(&mut self) {
        kill_group(&mut self.driver);
    }
}

fn kill_group(driver: &mut Child) {
    if let Some(group) = i32::try_from(driver.id())
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
    }
    let _ = driver.kill();
    let _ = driver.wait();
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
        .process_group(0)
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
    kill_group(&mut driver);
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

/// Signs in with purpose law_enforcement and a case reference, as Art 32 requests need.
async fn sign_in_for_case(client: &Client, base: &str, name: &str, case_ref: &str) {
    client
        .goto(&format!("{base}/login"))
        .await
        .expect("login page");
    for (id, value) in [
        ("name", name),
        ("password", PASSWORD),
        ("case_ref", case_ref),
    ] {
        client
            .find(Locator::Id(id))
            .await
            .expect("field")
            .send_keys(value)
            .await
            .expect("types");
    }
    client
        .find(Locator::Css(
            "#purpose-select option[value='law_enforcement']",
        ))
        .await
        .expect("purpose option")
        .click()
        .await
        .expect("selects");
    submit(client, Locator::Id("sign-in")).await;
    assert!(text(client, "#welcome").await.contains(name));
}

/// Files a reasoned request from the home page link; returns the request's id.
async fn file_request(client: &Client, document: &str, urgent: bool) -> String {
    submit(client, Locator::Id("link-ees-le")).await;
    for (id, value) in [
        ("le-country", "USA"),
        ("le-document", document),
        ("le-offence-description", "armed robbery, Penal Code s. 211"),
        (
            "le-necessity",
            "the suspect's travel dates decide the alibi",
        ),
        (
            "le-reasonable",
            "the suspect is a US national who entered by air",
        ),
        (
            "le-prior",
            "national register and Prüm AFIS searched: no result",
        ),
    ] {
        client
            .find(Locator::Id(id))
            .await
            .expect("field")
            .send_keys(value)
            .await
            .expect("types");
    }
    client
        .find(Locator::Id("le-offence-serious_criminal_offence"))
        .await
        .expect("radio")
        .click()
        .await
        .expect("clicks");
    if urgent {
        client
            .find(Locator::Id("le-urgent"))
            .await
            .expect("checkbox")
            .click()
            .await
            .expect("clicks");
    }
    submit(client, Locator::Id("le-submit")).await;
    let url = client.current_url().await.expect("url");
    url.path()
        .strip_prefix("/ees/le/")
        .unwrap_or_else(|| panic!("on the request page, not {url}"))
        .to_owned()
}

/// The central access point decides from the queue, reached from the home page.
async fn decide(client: &Client, id: &str, decision: &str, reason: &str) {
    submit(client, Locator::Id("link-ees-le-queue")).await;
    client
        .find(Locator::Id(&format!("reason-{id}")))
        .await
        .expect("reason field")
        .send_keys(reason)
        .await
        .expect("types");
    submit(client, Locator::Id(&format!("{decision}-{id}"))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ees_law_enforcement_request_verified_refused_and_erased_on_screen() {
    let Some(browser) = browser().await else {
        return;
    };
    let env = env().await;
    let actor = limes_hub::Actor::Cli {
        os_user: "test".to_owned(),
    };
    for (name, roles) in [
        ("cap", &[limes_model::Role::EesCentralAccessPoint][..]),
        (
            "both",
            &[
                limes_model::Role::PoliceOfficer,
                limes_model::Role::EesCentralAccessPoint,
            ][..],
        ),
    ] {
        env.hub
            .create_user(&actor, name, roles, PASSWORD)
            .await
            .expect("user");
    }
    // The traveller the police ask about entered through this State's border.
    let traveller = json!({
        "surname": "TESTPERSON", "given_names": "SYNTHETIC", "birth_date": "1990-01-01",
        "nationality": "USA",
        "document": {"kind": "P", "number": "LE100", "issuing_country": "USA", "expiry": "2035-01-01"},
        "regime": "visa_exempt", "facial_image": "face/1", "fingerprints": "fp/1"
    });
    let entered = env
        .send(
            "guard",
            "POST",
            "/api/v1/ees/entries",
            "border_check",
            &json!({"traveller": traveller, "crossing_point": "UTO-AIR-1", "basis": {"kind": "visa_exempt"}})
                .to_string(),
            "application/json",
        )
        .await;
    assert_eq!(entered.status, 201, "{}", entered.text);
    let base = serve(env.state.clone()).await;
    let client = &browser.client;

    // The police officer files a reasoned request: pending, no data.
    sign_in_for_case(client, &base, "police", "CASE-2026-41").await;
    let id = file_request(client, "LE100", false).await;
    assert!(
        text(client, "#le-request-status")
            .await
            .contains("case CASE-2026-41")
    );
    assert!(text(client, "#le-pending").await.contains("no data yet"));
    assert!(client.find(Locator::Id("le-data")).await.is_err());
    submit(client, Locator::Id("sign-out")).await;

    // A police officer who is also a central access point cannot verify their own request.
    sign_in_for_case(client, &base, "both", "CASE-2026-42").await;
    let own = file_request(client, "LE100", false).await;
    client.goto(&format!("{base}/")).await.expect("home");
    decide(client, &own, "verify", "looks fine to me").await;
    let error = text(client, "#error").await;
    assert!(error.contains("different person"), "{error}");
    submit(client, Locator::Id("sign-out")).await;

    // The central access point verifies the police officer's request.
    sign_in_for_case(client, &base, "cap", "CAP-2026-7").await;
    submit(client, Locator::Id("link-ees-le-queue")).await;
    let item = text(client, &format!("#le-item-{id}")).await;
    assert!(item.contains("armed robbery"), "{item}");
    assert!(item.contains("police"), "{item}");
    client.goto(&format!("{base}/")).await.expect("home");
    decide(client, &id, "verify", "grounds complete and proportionate").await;
    assert!(text(client, "#le-decided").await.contains("verified"));
    assert!(
        client
            .find(Locator::Id(&format!("le-item-{id}")))
            .await
            .is_err()
    );
    submit(client, Locator::Id("sign-out")).await;

    // The police officer sees the result, then files an urgent request answered at once.
    sign_in_for_case(client, &base, "police", "CASE-2026-41").await;
    submit(client, Locator::Id("link-ees-le")).await;
    assert_eq!(
        text(client, &format!("#le-row-{id} td.status")).await,
        "verified"
    );
    submit(client, Locator::LinkText(&id)).await;
    assert!(text(client, "#le-verified").await.contains("proportionate"));
    assert!(text(client, "#le-identity").await.contains("TESTPERSON"));
    assert!(text(client, "#le-entries").await.contains("UTO-AIR-1"));
    client.goto(&format!("{base}/")).await.expect("home");
    let urgent = file_request(client, "LE100", true).await;
    assert!(text(client, "#le-urgent-answer").await.contains("erased"));
    assert!(text(client, "#le-identity").await.contains("TESTPERSON"));
    submit(client, Locator::Id("sign-out")).await;

    // The central access point refuses the urgent request afterwards: the data is erased.
    sign_in_for_case(client, &base, "cap", "CAP-2026-7").await;
    decide(client, &urgent, "refuse", "no imminent danger to life").await;
    assert!(
        text(client, "#le-decided")
            .await
            .contains("refused_data_erased")
    );
    submit(client, Locator::Id("sign-out")).await;

    sign_in_for_case(client, &base, "police", "CASE-2026-41").await;
    client
        .goto(&format!("{base}/ees/le/{urgent}"))
        .await
        .expect("request page");
    assert!(text(client, "#le-erased").await.contains("erased"));
    assert!(
        text(client, "#le-refused-reason")
            .await
            .contains("no imminent danger")
    );
    assert!(client.find(Locator::Id("le-data")).await.is_err());
    assert!(client.find(Locator::Id("le-identity")).await.is_err());

    // Every step is in the journal under its actor.
    let entries = env
        .hub
        .store()
        .journal_search(&Default::default())
        .await
        .expect("search");
    for (action, actor) in [
        ("ees.le_request", "police"),
        ("ees.le_verify", "cap"),
        ("ees.le_verify", "both"),
        ("ees.le_result", "police"),
        ("ees.le_request_urgent_answer", "police"),
        ("ees.le_refuse_erase", "cap"),
    ] {
        assert!(
            entries
                .iter()
                .any(|e| e.body.action == action && e.body.actor == actor),
            "{action} by {actor} journalled"
        );
    }
}
