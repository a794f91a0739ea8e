//! The demo checkout in headless Chromium, driven from outside over WebDriver, for
//! every card of the test table: frictionless outcomes, challenges answered by
//! typing into the cross-origin ACS frame, wrong codes, cancel, out-of-band,
//! decoupled, and the error cards. Screenshots of the challenge at each window
//! size go to `target/e2e-screenshots/`.

use serde_json::Value;
use thirtyfour::prelude::*;
use threeds_e2e::{Browser, Mode, ONE_TIME_CODE, Outcome, PayOptions, screenshot_dir};
use threeds_mock::cards::{Scenario, TEST_CARDS, TestCard};

/// What a payment with a card must end in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    /// Frictionless: the ARes is final with this transStatus.
    Frictionless(char),
    /// A one-time-code challenge, then this transStatus.
    Code(char),
    /// An out-of-band challenge, then this transStatus.
    OutOfBand(char),
    /// The demo shows an error with this code.
    Error(&'static str),
    /// The ACS ends the challenge with an Erro (an extra card, outside the test-card table's groups).
    AcsErro,
}

/// The test-card table's promise for each scenario, written out independently of the mock.
fn expected(scenario: Scenario) -> Expected {
    use Expected::*;
    match scenario {
        Scenario::FrictionlessSuccess => Frictionless('Y'),
        Scenario::Attempted => Frictionless('A'),
        Scenario::Failed => Frictionless('N'),
        Scenario::Unavailable => Frictionless('U'),
        Scenario::Rejected => Frictionless('R'),
        Scenario::ChallengeSuccess | Scenario::ChallengeSuccessNoMethod | Scenario::MandatedChallenge => Code('Y'),
        Scenario::AttemptedChallenge => Code('A'),
        Scenario::FailedChallenge => Code('N'),
        Scenario::UnavailableChallenge => Code('U'),
        Scenario::RejectedChallenge => Code('R'),
        Scenario::OutOfBandChallenge => OutOfBand('Y'),
        Scenario::FailedOutOfBandChallenge => OutOfBand('N'),
        Scenario::DirectoryServerError => Error("directory_server_error"),
        Scenario::InternalError => Error("internal_error"),
        Scenario::ChallengeErro => AcsErro,
    }
}

/// The ECI a scheme uses for a final transStatus: Mastercard 02/01/00, the others 05/06/07.
fn expected_eci(card: &TestCard, status: char) -> &'static str {
    let mastercard = card.brand == "MASTERCARD";
    match (status, mastercard) {
        ('Y', false) => "05",
        ('Y', true) => "02",
        ('A', false) => "06",
        ('A', true) => "01",
        (_, false) => "07",
        (_, true) => "00",
    }
}

fn result(status: char, card: &TestCard) -> Outcome {
    Outcome::Result { trans_status: status.to_string(), eci: expected_eci(card, status).to_owned() }
}

fn cards_where(keep: impl Fn(Expected) -> bool) -> Vec<&'static TestCard> {
    TEST_CARDS.iter().filter(|card| keep(expected(card.scenario))).collect()
}

#[tokio::test]
async fn frictionless_cards_end_with_their_status_and_eci() -> WebDriverResult<()> {
    let browser = Browser::start().await?;
    let cards = cards_where(|e| matches!(e, Expected::Frictionless(_)));
    assert_eq!(cards.len(), 14, "the table's frictionless rows");
    for card in cards {
        let Expected::Frictionless(status) = expected(card.scenario) else { unreachable!() };
        browser.open_checkout().await?;
        browser.pay(card.pan, PayOptions::default()).await?;
        assert_eq!(browser.outcome().await?, result(status, card), "card {} ({})", card.pan, card.scenario.name());
        // No challenge was shown; the timeline has the method data and the AReq / ARes.
        assert!(browser.driver.find_all(By::Css("[data-threeds-challenge]")).await?.is_empty());
        let messages = browser.timeline_messages().await?;
        assert!(messages.contains(&"AReq".to_owned()) && messages.contains(&"ARes".to_owned()), "{messages:?}");
    }
    browser.quit().await
}

#[tokio::test]
async fn challenge_cards_take_the_code_typed_into_the_acs_frame() -> WebDriverResult<()> {
    let browser = Browser::start().await?;
    let cards = cards_where(|e| matches!(e, Expected::Code(_)));
    assert_eq!(cards.len(), 19, "the table's one-time-code challenge rows");
    for card in cards {
        let Expected::Code(status) = expected(card.scenario) else { unreachable!() };
        browser.open_checkout().await?;
        browser.pay(card.pan, PayOptions::default()).await?;
        browser.submit_code(ONE_TIME_CODE).await?;
        assert_eq!(browser.outcome().await?, result(status, card), "card {} ({})", card.pan, card.scenario.name());
        assert!(browser.driver.find_all(By::Css("[data-threeds-challenge]")).await?.is_empty(), "the challenge is gone");
    }
    browser.quit().await
}

#[tokio::test]
async fn the_timeline_and_the_processor_hand_off_show_everything_that_crossed() -> WebDriverResult<()> {
    let browser = Browser::start().await?;
    browser.open_checkout().await?;
    let pan = "4000020000000000";
    browser.pay(pan, PayOptions::default()).await?;
    browser.submit_code(ONE_TIME_CODE).await?;
    assert!(matches!(browser.outcome().await?, Outcome::Result { ref trans_status, .. } if trans_status == "Y"));
    let messages = browser.timeline_messages().await?;
    for expected in ["threeDSMethodData", "AReq", "ARes", "CReq", "CRes", "RReq", "RRes"] {
        assert!(messages.iter().any(|m| m == expected), "{expected} missing from {messages:?}");
    }
    // The AReq as shown carries the masked card number, never the whole one.
    let shown = browser.script("return [...document.querySelectorAll('#timeline pre')].map(p => p.textContent).join('\\n')").await?;
    let shown = shown.as_str().unwrap_or_default();
    assert!(shown.contains("\"acctNumber\""), "the AReq is shown decoded");
    assert!(!shown.contains(pan), "the card number is masked in the timeline");
    // Stripe's import parameters, as JSON and as curl flags.
    let json: Value = serde_json::from_str(&browser.driver.find(By::Id("handoff-json")).await?.text().await?).expect("the hand-off is JSON");
    let three_d_secure = &json["payment_method_options"]["card"]["three_d_secure"];
    assert_eq!(three_d_secure["ares_trans_status"], "C", "{json}");
    assert_eq!(three_d_secure["electronic_commerce_indicator"], "05", "{json}");
    assert_eq!(three_d_secure["cryptogram"].as_str().map(str::len), Some(28), "{json}");
    let curl = browser.driver.find(By::Id("handoff-curl")).await?.text().await?;
    assert!(curl.contains("payment_method_options[card][three_d_secure][version]"), "{curl}");
    let facts = browser.driver.find(By::Id("result-facts")).await?.text().await?;
    for term in ["ECI", "authenticationValue", "dsTransID", "Version", "Liability shift"] {
        assert!(facts.contains(term), "{term} missing from the result: {facts}");
    }
    browser.quit().await
}

#[tokio::test]
async fn a_wrong_code_can_be_corrected_and_three_wrong_codes_fail() -> WebDriverResult<()> {
    let browser = Browser::start().await?;
    let card = TEST_CARDS.iter().find(|c| c.pan == "4000020000000000").expect("the Visa challenge card");
    browser.open_checkout().await?;
    browser.pay(card.pan, PayOptions::default()).await?;
    browser.submit_code("000000").await?;
    browser.wait_for_acs_text("2 attempts left").await?;
    browser.enter_acs().await?;
    let error = browser.wait_for("p.error").await?.text().await?;
    assert!(error.contains("not right"), "the ACS says the code was wrong: {error:?}");
    browser.submit_code(ONE_TIME_CODE).await?;
    assert_eq!(browser.outcome().await?, result('Y', card));

    browser.open_checkout().await?;
    browser.pay(card.pan, PayOptions::default()).await?;
    browser.submit_code("000000").await?;
    browser.wait_for_acs_text("2 attempts left").await?;
    browser.submit_code("111111").await?;
    browser.wait_for_acs_text("1 attempt left").await?;
    browser.submit_code("222222").await?;
    assert_eq!(browser.outcome().await?, result('N', card));
    let facts = browser.driver.find(By::Id("result-facts")).await?.text().await?;
    assert!(facts.contains("19 (max-challenges-exceeded)"), "transStatusReason 19, too many attempts: {facts}");
    browser.quit().await
}

#[tokio::test]
async fn cancel_from_the_checkout_and_from_the_bank() -> WebDriverResult<()> {
    let browser = Browser::start().await?;
    // The SDK's Cancel button: the promise rejects with `cancelled`, the frame goes.
    browser.open_checkout().await?;
    browser.pay("4000020000000000", PayOptions { mode: Mode::Modal, ..PayOptions::default() }).await?;
    browser.enter_acs().await?;
    browser.wait_for("#otp").await?;
    browser.driver.enter_default_frame().await?;
    browser.wait_for("[data-threeds-cancel]").await?.click().await?;
    match browser.outcome().await? {
        Outcome::Error { code, .. } => assert_eq!(code, "cancelled"),
        other => panic!("expected a cancelled error, got {other:?}"),
    }
    assert!(browser.driver.find_all(By::Css("[data-threeds-challenge], [inert]")).await?.is_empty(), "the modal is gone, the page live");

    // The bank's own cancel link: transStatus N with the cardholder-cancelled reason.
    browser.open_checkout().await?;
    browser.pay("4000020000000000", PayOptions::default()).await?;
    browser.click_in_acs("#cancel").await?;
    match browser.outcome().await? {
        Outcome::Result { trans_status, .. } => assert_eq!(trans_status, "N"),
        other => panic!("expected a result, got {other:?}"),
    }
    let facts = browser.driver.find(By::Id("result-facts")).await?.text().await?;
    assert!(facts.contains("cardholder-canceled"), "{facts}");
    browser.quit().await
}

#[tokio::test]
async fn out_of_band_and_decoupled_flows() -> WebDriverResult<()> {
    let browser = Browser::start().await?;
    let cards = cards_where(|e| matches!(e, Expected::OutOfBand(_)));
    assert_eq!(cards.len(), 4, "the table's out-of-band rows");
    for card in cards {
        let Expected::OutOfBand(status) = expected(card.scenario) else { unreachable!() };
        browser.open_checkout().await?;
        browser.pay(card.pan, PayOptions::default()).await?;
        if status == 'Y' {
            // The cardholder says they approved in the app.
            browser.click_in_acs("#approve").await?;
        }
        // Otherwise the banking app answers by itself after a moment.
        assert_eq!(browser.outcome().await?, result(status, card), "card {}", card.pan);
    }
    // Decoupled: the issuer confirms out of band; the merchant's server polls for the result.
    let card = TEST_CARDS.iter().find(|c| c.pan == "4000020000000000").expect("a 2.2.0 challenge card");
    browser.open_checkout().await?;
    browser.pay(card.pan, PayOptions { decoupled: true, ..PayOptions::default() }).await?;
    assert_eq!(browser.outcome().await?, result('Y', card));
    let steps = browser.driver.find(By::Id("timeline")).await?.text().await?;
    assert!(steps.contains("Decoupled authentication"), "{steps}");
    assert!(browser.driver.find_all(By::Css("[data-threeds-challenge]")).await?.is_empty(), "no challenge frame for decoupled");
    browser.quit().await
}

#[tokio::test]
async fn error_cards_show_a_clear_message() -> WebDriverResult<()> {
    let browser = Browser::start().await?;
    let cards = cards_where(|e| matches!(e, Expected::Error(_)));
    assert_eq!(cards.len(), 5, "the table's error rows");
    for card in cards {
        let Expected::Error(code) = expected(card.scenario) else { unreachable!() };
        browser.open_checkout().await?;
        browser.pay(card.pan, PayOptions::default()).await?;
        match browser.outcome().await? {
            Outcome::Error { code: shown, text } => {
                assert_eq!(shown, code, "card {}", card.pan);
                assert!(text.len() > 20, "a message people can read: {text:?}");
            }
            other => panic!("card {}: expected an error, got {other:?}", card.pan),
        }
    }
    browser.quit().await
}

#[tokio::test]
async fn the_challenge_has_the_spec_size_at_each_window_size() -> WebDriverResult<()> {
    let browser = Browser::start().await?;
    let dir = screenshot_dir();
    let sizes = [("01", Mode::Inline), ("02", Mode::Inline), ("03", Mode::Inline), ("04", Mode::Modal), ("05", Mode::Modal), ("auto", Mode::Inline)];
    for (size, mode) in sizes {
        browser.open_checkout().await?;
        browser.pay("4000020000000000", PayOptions { mode, window_size: size, decoupled: false }).await?;
        browser.enter_acs().await?;
        browser.wait_for("#otp").await?;
        // The ACS page's own viewport is the challenge window.
        let inside = browser.script("return [innerWidth, innerHeight]").await?;
        browser.driver.enter_default_frame().await?;
        let outside = browser
            .script(
                "const r = document.querySelector('[data-threeds-challenge] iframe').getBoundingClientRect(); \
                 const v = document.documentElement; return [r.width, r.height, v.clientWidth, v.clientHeight]",
            )
            .await?;
        let (width, height) = (outside[0].as_f64().unwrap_or(0.0), outside[1].as_f64().unwrap_or(0.0));
        let expected = match size {
            "01" => (250.0, 400.0),
            "02" => (390.0, 400.0),
            "03" | "auto" => (500.0, 600.0), // auto: the demo's inline stage fits 03 at this window size
            "04" => (600.0, 400.0),
            // 05 in a modal fills the viewport the overlay covers (without the page's scrollbar).
            _ => (outside[2].as_f64().unwrap_or(0.0), outside[3].as_f64().unwrap_or(0.0)),
        };
        assert_eq!((width, height), expected, "window size {size}");
        assert_eq!((inside[0].as_f64(), inside[1].as_f64()), (Some(expected.0), Some(expected.1)), "the ACS sees the same size ({size})");
        browser.driver.screenshot(&dir.join(format!("challenge-{size}.png"))).await?;
        browser.submit_code(ONE_TIME_CODE).await?;
        assert!(matches!(browser.outcome().await?, Outcome::Result { ref trans_status, .. } if trans_status == "Y"));
    }
    browser.driver.screenshot(&dir.join("result.png")).await?;
    browser.quit().await
}

#[tokio::test]
async fn a_session_result_pays_through_stripe_by_import_the_whole_chain() -> WebDriverResult<()> {
    let browser = Browser::start().await?;
    // Frictionless Y (Mastercard, 2.1.0) and a challenge answered Y (Visa, 2.2.0):
    // each result, handed off as the session API gives it, pays through Stripe's import.
    for (pan, code) in [("5204247750001471", None), ("4000020000000000", Some(ONE_TIME_CODE))] {
        browser.open_checkout().await?;
        browser.pay(pan, PayOptions::default()).await?;
        if let Some(code) = code {
            browser.submit_code(code).await?;
        }
        assert!(matches!(browser.outcome().await?, Outcome::Result { ref trans_status, .. } if trans_status == "Y"), "{pan}");
        browser.wait_for("#import-stripe:not([hidden])").await?.click().await?;
        let paid = browser.wait_for("#result[data-import-status]").await?;
        let text = browser.driver.find(By::Id("import-result")).await?.text().await?;
        assert_eq!(paid.attr("data-import-status").await?.as_deref(), Some("succeeded"), "{pan}: {text}");
        assert!(text.contains("three_d_secure authenticated"), "{pan}: {text}");
        let calls = browser.script("return [...document.querySelectorAll('[data-call]')].map(e => e.dataset.call)").await?;
        assert_eq!(calls, serde_json::json!(["POST /stripe/v1/payment_intents"]), "{pan}: the merchant server's one call");
    }
    // An N carries nothing to import: no button.
    let failed = cards_where(|e| matches!(e, Expected::Frictionless('N')))[0];
    browser.open_checkout().await?;
    browser.pay(failed.pan, PayOptions::default()).await?;
    assert_eq!(browser.outcome().await?, result('N', failed));
    assert!(browser.driver.find(By::Css("#import-stripe[hidden]")).await.is_ok(), "no import for N");
    browser.quit().await
}
