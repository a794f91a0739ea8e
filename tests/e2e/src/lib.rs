//! The end-to-end harness: a chromedriver of our own, headless Chromium, and the
//! demo checkout page driven as a cardholder would use it: pick a card, press Pay,
//! type the one-time code into the bank's (cross-origin) frame.
//!
//! `./x test` serves the built demo and starts threeds-mock, then runs these tests
//! with `THREEDS_E2E_CHECKOUT_URL` (the demo page, its `?api=` naming the mock's
//! 3DS Server) and `CHROMEDRIVER` set.

#![deny(missing_docs)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

/// How long a step may take before the test fails (flows take well under a second
/// each here; the margin is for a loaded CI machine).
pub const STEP_TIMEOUT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(50);

/// The one-time code the mock ACS accepts.
pub const ONE_TIME_CODE: &str = threeds_mock::cards::ONE_TIME_CODE;

/// The demo checkout page's URL, from `./x test`.
pub fn checkout_url() -> String {
    std::env::var("THREEDS_E2E_CHECKOUT_URL")
        .expect("THREEDS_E2E_CHECKOUT_URL is not set: run the end-to-end tests through ./x test, which serves the demo and the mock")
}

/// Where screenshots go: under `target/`, never committed.
pub fn screenshot_dir() -> PathBuf {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshot directory can be created");
    dir
}

/// A chromedriver process on a free loopback port; killed on drop, also when a test panics.
struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    fn start() -> Self {
        let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {binary}: {e} (./x bootstrap installs chromium-driver)"));
        Self { child, url: format!("http://127.0.0.1:{port}") }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How the demo shows the challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// In the page, inside the demo's challenge stage.
    Inline,
    /// Over the page, in the SDK's modal.
    Modal,
}

/// The demo form's options besides the card.
#[derive(Debug, Clone, Copy)]
pub struct PayOptions {
    /// Inline or modal.
    pub mode: Mode,
    /// `auto` or `01`..`05`.
    pub window_size: &'static str,
    /// Ask the issuer for a decoupled authentication.
    pub decoupled: bool,
}

impl Default for PayOptions {
    fn default() -> Self {
        Self { mode: Mode::Inline, window_size: "auto", decoupled: false }
    }
}

/// How a payment ended, as the demo page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The result panel: transStatus and ECI.
    Result {
        /// The final transStatus.
        trans_status: String,
        /// The ECI.
        eci: String,
    },
    /// The error box: its code and text.
    Error {
        /// The error's code.
        code: String,
        /// The error's text.
        text: String,
    },
}

/// One headless Chromium, through its own chromedriver.
pub struct Browser {
    /// The WebDriver session, for steps this harness does not wrap.
    pub driver: WebDriver,
    _chromedriver: ChromeDriver,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a desktop-sized window.
    pub async fn start() -> WebDriverResult<Self> {
        Self::start_with(&[]).await
    }

    /// [`Browser::start`], with more Chromium command-line arguments.
    pub async fn start_with(extra_args: &[&str]) -> WebDriverResult<Self> {
        let chromedriver = ChromeDriver::start();
        let mut caps = DesiredCapabilities::chrome();
        if let Ok(binary) = std::env::var("CHROMIUM") {
            caps.set_binary(&binary)?;
        }
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            // This machine's network is closed: no background calls home.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,1000",
        ]
        .iter()
        .chain(extra_args)
        {
            caps.add_arg(arg)?;
        }
        // chromedriver needs a moment to listen.
        let mut last_error = None;
        for _ in 0..100 {
            match WebDriver::new(&chromedriver.url, caps.clone()).await {
                Ok(driver) => {
                    return Ok(Self { driver, _chromedriver: chromedriver });
                }
                Err(error) => last_error = Some(error),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(last_error.expect("at least one attempt"))
    }

    /// Ends the browser session; chromedriver goes with `self`.
    pub async fn quit(self) -> WebDriverResult<()> {
        self.driver.clone().quit().await
    }

    /// Opens the demo checkout and waits until its SDK is loaded.
    pub async fn open_checkout(&self) -> WebDriverResult<()> {
        self.driver.enter_default_frame().await?;
        self.driver.goto(checkout_url()).await?;
        self.wait_for("body[data-ready='true']").await?;
        Ok(())
    }

    /// Waits for an element of the current frame.
    pub async fn wait_for(&self, css: &str) -> WebDriverResult<WebElement> {
        self.driver.query(By::Css(css)).wait(STEP_TIMEOUT, POLL).first().await
    }

    /// Fills the form and presses Pay (the page is open).
    pub async fn pay(&self, pan: &str, options: PayOptions) -> WebDriverResult<()> {
        let picker = SelectElement::new(&self.driver.find(By::Id("card-picker")).await?).await?;
        picker.select_by_value(pan).await?;
        let field = self.driver.find(By::Id("pan")).await?;
        assert_eq!(field.value().await?.as_deref(), Some(pan), "the picker fills the card field");
        let mode = match options.mode {
            Mode::Inline => "input[name='mode'][value='inline']",
            Mode::Modal => "input[name='mode'][value='modal']",
        };
        self.driver.find(By::Css(mode)).await?.click().await?;
        SelectElement::new(&self.driver.find(By::Id("window-size")).await?).await?.select_by_value(options.window_size).await?;
        let decoupled = self.driver.find(By::Id("decoupled")).await?;
        if decoupled.is_selected().await? != options.decoupled {
            decoupled.click().await?;
        }
        self.driver.find(By::Id("pay")).await?.click().await
    }

    /// Waits for the result panel or the error box.
    pub async fn outcome(&self) -> WebDriverResult<Outcome> {
        self.driver.enter_default_frame().await?;
        let shown = self.wait_for("#result:not([hidden]), #error:not([hidden])").await?;
        if shown.id().await?.as_deref() == Some("result") {
            Ok(Outcome::Result {
                trans_status: shown.attr("data-trans-status").await?.unwrap_or_default(),
                eci: shown.attr("data-eci").await?.unwrap_or_default(),
            })
        } else {
            Ok(Outcome::Error { code: shown.attr("data-code").await?.unwrap_or_default(), text: shown.text().await? })
        }
    }

    /// Switches into the bank's page: checkout -> SDK host frame -> ACS challenge frame.
    pub async fn enter_acs(&self) -> WebDriverResult<()> {
        self.driver.enter_default_frame().await?;
        self.wait_for("[data-threeds-challenge] iframe").await?.enter_frame().await?;
        self.wait_for("iframe[name^='threeds-challenge']").await?.enter_frame().await?;
        Ok(())
    }

    /// Types a one-time code into the ACS page and submits it, as a cardholder does.
    pub async fn submit_code(&self, code: &str) -> WebDriverResult<()> {
        self.enter_acs().await?;
        let field = self.wait_for("#otp").await?;
        field.send_keys(code).await?;
        self.driver.find(By::Id("submit")).await?.click().await?;
        self.driver.enter_default_frame().await
    }

    /// Waits until the ACS page shows `text` (e.g. after a wrong code, its new page).
    pub async fn wait_for_acs_text(&self, text: &str) -> WebDriverResult<()> {
        self.enter_acs().await?;
        let xpath = format!("//*[contains(text(), '{text}')]");
        self.driver.query(By::XPath(xpath)).wait(STEP_TIMEOUT, POLL).first().await?;
        self.driver.enter_default_frame().await
    }

    /// Clicks an element of the ACS page.
    pub async fn click_in_acs(&self, css: &str) -> WebDriverResult<()> {
        self.enter_acs().await?;
        self.wait_for(css).await?.click().await?;
        self.driver.enter_default_frame().await
    }

    /// Runs a script in the current frame and returns its JSON result.
    pub async fn script(&self, source: &str) -> WebDriverResult<Value> {
        Ok(self.driver.execute(source, Vec::new()).await?.json().clone())
    }

    /// Texts of the timeline's message entries, in order (`AReq`, `ARes`, ...).
    pub async fn timeline_messages(&self) -> WebDriverResult<Vec<String>> {
        let value = self.script("return [...document.querySelectorAll('#timeline li.message')].map(li => li.dataset.message)").await?;
        Ok(value.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect())
    }
}
