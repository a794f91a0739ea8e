//! What the mock's HTTP tests share: the mock on free ports, a browser that
//! follows a processor's redirect page and the bank's challenge page with plain
//! form posts, and a webhook endpoint that records what it is sent.

// Each test file uses part of it.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use clap::Parser;
use serde_json::Value;
use threeds_mock::cards::ONE_TIME_CODE;
use threeds_mock::{Bound, Config, serve};

/// A running mock.
pub struct Mock {
    pub bound: Bound,
    pub http: reqwest::Client,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Mock {
    pub async fn start(args: &[&str]) -> Self {
        let mut argv = vec!["threeds-mock", "--server-port", "0", "--acs-port", "0"];
        argv.extend_from_slice(args);
        let config = Config::parse_from(argv);
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let (bound_tx, bound_rx) = tokio::sync::oneshot::channel();
        tokio::spawn(serve(
            config,
            async {
                let _ = stop_rx.await;
            },
            move |bound| {
                let _ = bound_tx.send(bound);
            },
        ));
        let bound = bound_rx.await.expect("mock bound");
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0")
            .build()
            .unwrap();
        Self { bound, http, _stop: stop_tx }
    }

    pub fn server(&self, path: &str) -> String {
        format!("http://{}{path}", self.bound.server)
    }

    /// GETs `url` and expects a page.
    pub async fn page(&self, url: &str) -> String {
        let response = self.http.get(url).header("Accept", "text/html").send().await.unwrap();
        let status = response.status();
        let body = response.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{url}: {body}");
        body
    }

    /// POSTs a form as it is, no browser headers; the status and the body.
    pub async fn submit(&self, url: &str, fields: &[(String, String)]) -> (StatusCode, String) {
        let response = self.http.post(url).form(fields).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// POSTs a form; the status, the Location (if any) and the body.
    pub async fn post_form(&self, url: &str, fields: &[(String, String)]) -> (StatusCode, Option<String>, String) {
        let response =
            self.http.post(url).header("Accept", "text/html").header("Accept-Language", "en-GB,en;q=0.8").form(fields).send().await.unwrap();
        let status = response.status();
        let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
        (status, location, response.text().await.unwrap())
    }

    /// Follows a processor's redirect page as a browser with JavaScript: reads the
    /// page's form, adds the browser's readings, posts it; the 303's Location.
    pub async fn through_redirect_page(&self, url: &str) -> String {
        let page = self.page(url).await;
        let (action, mut fields) = auto_post_form(&page);
        fields.retain(|(_, value)| !value.is_empty());
        for (name, value) in [
            ("java_enabled", "false"),
            ("javascript_enabled", "true"),
            ("language", "en-GB"),
            ("color_depth", "24"),
            ("screen_height", "1080"),
            ("screen_width", "1920"),
            ("timezone_offset", "-60"),
        ] {
            fields.push((name.into(), value.into()));
        }
        let (status, location, body) = self.post_form(&action, &fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        location.expect("a Location")
    }

    /// Walks the bank's page at `challenge_page` (the processor's 303 target) to
    /// `ending`; follows the CRes to the notification endpoint and returns its 303's
    /// Location (the processor's return page).
    pub async fn through_bank_page(&self, challenge_page: &str, ending: Ending) -> String {
        assert!(challenge_page.contains("/hosted-challenge"), "a bank page: {challenge_page}");
        let page = self.page(challenge_page).await;
        let (acs_url, creq_fields) = auto_post_form(&page);
        assert!(creq_fields.iter().any(|(name, _)| name == "creq"), "the bank page posts a CReq");
        let (status, _, challenge) = self.post_form(&acs_url, &creq_fields).await;
        assert_eq!(status, StatusCode::OK, "{challenge}");
        assert!(challenge.contains("Mock Bank"), "{challenge}");
        let final_page = match ending {
            Ending::Code => {
                let action = form_action_with(&challenge, "submit");
                let (status, _, page) = self.post_form(&action, &[("otp".into(), ONE_TIME_CODE.into())]).await;
                assert_eq!(status, StatusCode::OK, "{page}");
                page
            }
            Ending::Cancel => {
                let action = form_action_with(&challenge, "cancel");
                let (status, _, page) = self.post_form(&action, &[]).await;
                assert_eq!(status, StatusCode::OK, "{page}");
                page
            }
        };
        let (notification, fields) = auto_post_form(&final_page);
        assert!(fields.iter().any(|(name, _)| name == "cres"), "the ACS posts the CRes: {final_page}");
        let (status, location, body) = self.post_form(&notification, &fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
        location.expect("a Location")
    }

    /// GETs `url` and expects a 303; its Location.
    pub async fn see_other(&self, url: &str) -> String {
        let response = self.http.get(url).send().await.unwrap();
        let status = response.status();
        let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(status, StatusCode::SEE_OTHER, "{url}: {}", response.text().await.unwrap());
        location.expect("a Location")
    }
}

/// How the cardholder ends the challenge.
#[derive(Debug, Clone, Copy)]
pub enum Ending {
    /// Enters the right one-time code.
    Code,
    /// Chooses Cancel.
    Cancel,
}

/// The value of the first `name="..."` attribute in `tag`, decoded as a browser reads it.
fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = tag[start..].find('"')?;
    Some(html_escape::decode_html_entities(&tag[start..start + end]).into_owned())
}

/// `action` and the hidden fields of the first form of a page.
pub fn auto_post_form(page: &str) -> (String, Vec<(String, String)>) {
    let form_start = page.find("<form").unwrap_or_else(|| panic!("a form: {page}"));
    let form_tag = &page[form_start..form_start + page[form_start..].find('>').unwrap()];
    let action = attr(form_tag, "action").expect("an action");
    (action, hidden_fields(&page[form_start..]))
}

/// The hidden fields of the form `form` starts with.
fn hidden_fields(form: &str) -> Vec<(String, String)> {
    let end = form.find("</form>").unwrap_or(form.len());
    form[..end]
        .split("<input")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            if !tag.contains("type=\"hidden\"") {
                return None;
            }
            Some((attr(tag, "name")?, attr(tag, "value").unwrap_or_default()))
        })
        .collect()
}

/// A relay page's form (a notification endpoint's answer): the origin it names
/// (`data-target`) and its hidden fields.
pub fn relay_form(page: &str) -> (String, Vec<(String, String)>) {
    let form = page.find("<form id=\"relay\"").unwrap_or_else(|| panic!("a relay form: {page}"));
    let form_tag = &page[form..form + page[form..].find('>').unwrap()];
    (attr(form_tag, "data-target").expect("its data-target"), hidden_fields(&page[form..]))
}

/// The action of the form whose button has `id`.
pub fn form_action_with(page: &str, id: &str) -> String {
    let at = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("a button {id}: {page}"));
    let form_start = page[..at].rfind("<form").expect("its form");
    auto_post_form(&page[form_start..]).0
}

/// The value of `name` in the query of `url`.
pub fn query_value(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url).ok()?.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

/// A webhook endpoint on a free port: answers 500 to its first `failures` posts,
/// then 200, and keeps every post it took.
#[derive(Clone, Default)]
pub struct Hooks {
    pub received: Arc<Mutex<Vec<Value>>>,
    pub posts: Arc<AtomicU32>,
    failures: Arc<AtomicU32>,
}

impl Hooks {
    pub async fn start(failures: u32) -> (Self, String) {
        let hooks = Self { failures: Arc::new(AtomicU32::new(failures)), ..Self::default() };
        let app = axum::Router::new().route("/hooks", axum::routing::post(receive)).with_state(hooks.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (hooks, url)
    }

    /// The events taken so far.
    pub fn events(&self) -> Vec<Value> {
        self.received.lock().unwrap().clone()
    }

    /// Waits (up to 5 s) for an event of `kind` about `object_id`.
    pub async fn wait_for(&self, kind: &str, object_id: &str) -> Value {
        for _ in 0..100 {
            if let Some(event) = self.events().into_iter().find(|e| e["type"] == kind && e["data"]["object"]["id"] == object_id) {
                return event;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no {kind} event for {object_id}; got {:#?}", self.events());
    }
}

async fn receive(State(hooks): State<Hooks>, Json(event): Json<Value>) -> StatusCode {
    hooks.posts.fetch_add(1, Ordering::SeqCst);
    if hooks.failures.load(Ordering::SeqCst) > 0 {
        hooks.failures.fetch_sub(1, Ordering::SeqCst);
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    hooks.received.lock().unwrap().push(event);
    StatusCode::OK
}
