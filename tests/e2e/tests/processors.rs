//! The demo checkout with a processor (Stripe PaymentIntent, Stripe Sources,
//! Checkout.com) in headless Chromium: the processor's 3-D Secure page shown by
//! `presentAuthentication` inline, in a modal and as a full-page redirect, the
//! one-time code typed into the bank's cross-origin frame, the return to the SDK's
//! return page (or to the checkout page, which resumes with `ThreeDS.readReturn`),
//! and the processor's object read back by the merchant's server. Then a
//! cancelled challenge per processor, and a Stripe source that expires on the test
//! clock, with the webhooks the merchant's endpoint received. One browser runs every step.

use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;
use threeds_e2e::{Browser, ONE_TIME_CODE, STEP_TIMEOUT};

/// A challenge card of the test-card table (Visa, 2.2.0): every processor challenges it.
const CHALLENGE_CARD: &str = "4000020000000000";

/// How the demo page shows a payment's end.
#[derive(Debug, PartialEq, Eq)]
struct Shown {
    /// The processor object's status (`data-processor-status`), or the error box's code.
    status: String,
    /// Stripe Sources: the charge's status.
    charge: String,
    /// Stripe Sources: the webhook event types received, space-separated.
    webhooks: String,
}

fn shown(status: &str, charge: &str, webhooks: &str) -> Shown {
    Shown { status: status.into(), charge: charge.into(), webhooks: sorted(webhooks) }
}

/// Event types in a stable order: deliveries run concurrently, so they may arrive in any.
fn sorted(types: &str) -> String {
    let mut types: Vec<&str> = types.split_whitespace().collect();
    types.sort_unstable();
    types.join(" ")
}

/// Picks the processor, the card and the display, and presses Pay.
async fn pay(browser: &Browser, processor: &str, display: &str) -> WebDriverResult<()> {
    browser.open_checkout().await?;
    SelectElement::new(&browser.driver.find(By::Id("processor")).await?).await?.select_by_value(processor).await?;
    SelectElement::new(&browser.driver.find(By::Id("card-picker")).await?).await?.select_by_value(CHALLENGE_CARD).await?;
    browser.driver.find(By::Css(format!("input[name='mode'][value='{display}']"))).await?.click().await?;
    browser.driver.find(By::Id("pay")).await?.click().await
}

/// Into the bank's page: in the SDK's frames (inline, modal) or the whole page (redirect).
async fn enter_bank_page(browser: &Browser, display: &str) -> WebDriverResult<()> {
    if display == "redirect" {
        browser.driver.enter_default_frame().await?;
        browser.driver.query(By::Id("otp")).wait(STEP_TIMEOUT, std::time::Duration::from_millis(50)).first().await?;
        Ok(())
    } else {
        // Checkout page -> SDK host frame -> the processor's frame, now at the bank's page.
        browser.driver.enter_default_frame().await?;
        browser.wait_for("[data-threeds-challenge] iframe").await?.enter_frame().await?;
        browser.wait_for("iframe[name^='threeds-page']").await?.enter_frame().await?;
        browser.wait_for("#otp").await?;
        Ok(())
    }
}

/// Ends the bank's challenge by clicking `button` (after typing the code for `#submit`).
async fn end_challenge(browser: &Browser, display: &str, button: &str) -> WebDriverResult<()> {
    enter_bank_page(browser, display).await?;
    if button == "#submit" {
        browser.wait_for("#otp").await?.send_keys(ONE_TIME_CODE).await?;
    }
    browser.wait_for(button).await?.click().await?;
    browser.driver.enter_default_frame().await
}

/// Waits for the result panel (and, for a source, its webhooks) or the error box.
async fn outcome(browser: &Browser, processor: &str) -> WebDriverResult<Shown> {
    browser.driver.enter_default_frame().await?;
    let ready = if processor == "stripe-sources" { "#result[data-webhooks]:not([hidden])" } else { "#result[data-processor-status]:not([hidden])" };
    let shown = browser.wait_for(&format!("{ready}, #error:not([hidden])")).await?;
    if shown.id().await?.as_deref() == Some("error") {
        return Ok(Shown {
            status: format!("error {}", shown.attr("data-code").await?.unwrap_or_default()),
            charge: shown.text().await?,
            webhooks: String::new(),
        });
    }
    Ok(Shown {
        status: shown.attr("data-processor-status").await?.unwrap_or_default(),
        charge: shown.attr("data-charge-status").await?.unwrap_or_default(),
        webhooks: sorted(&shown.attr("data-webhooks").await?.unwrap_or_default()),
    })
}

/// The merchant server's calls the timeline shows (`POST /stripe/v1/payment_intents`, ...).
async fn timeline_calls(browser: &Browser) -> WebDriverResult<Vec<String>> {
    let value = browser.script("return [...document.querySelectorAll('#timeline li.call')].map(li => li.dataset.call)").await?;
    Ok(value.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect())
}

/// The checkout page's text (the timeline and the error box), to say why a step failed.
async fn page_text(browser: &Browser) -> String {
    let _ = browser.driver.enter_default_frame().await;
    let frames = browser
        .script("return [...document.querySelectorAll('iframe')].map(f => f.name + ' ' + f.src + ' ' + f.title).join('\\n')")
        .await
        .unwrap_or_default();
    let text = browser.script("return document.body.innerText").await.unwrap_or_default();
    format!("{}\nframes: {}", text.as_str().unwrap_or_default(), frames.as_str().unwrap_or_default())
}

/// What a processor's page must leave after the right code.
fn authenticated(processor: &str) -> Shown {
    match processor {
        "stripe" => shown("succeeded", "", ""),
        "stripe-sources" => shown("chargeable", "succeeded", "source.chargeable charge.succeeded"),
        _ => shown("Authorized", "", ""),
    }
}

/// What it must leave after the cardholder cancels at the bank.
fn cancelled(processor: &str) -> Shown {
    match processor {
        "stripe" => shown("requires_payment_method", "", ""),
        "stripe-sources" => shown("failed", "", "source.failed"),
        _ => shown("Declined", "", ""),
    }
}

/// The processor's API calls the merchant's server must have made, in order.
fn calls(processor: &str) -> &'static [&'static str] {
    match processor {
        "stripe" => &["POST /stripe/v1/payment_intents", "GET /stripe/v1/payment_intents/"],
        "stripe-sources" => &["POST /stripe-sources/v1/sources", "POST /stripe-sources/v1/sources", "GET /stripe-sources/v1/sources/"],
        _ => &["POST /checkout/tokens", "POST /checkout/payments", "GET /checkout/payments/"],
    }
}

#[tokio::test]
async fn every_processor_in_every_display_mode_then_cancelled_and_expired() -> WebDriverResult<()> {
    let browser = Browser::start().await?;
    for processor in ["stripe", "stripe-sources", "checkout"] {
        for display in ["inline", "modal", "redirect"] {
            let what = format!("{processor} × {display}");
            pay(&browser, processor, display).await?;
            if let Err(error) = end_challenge(&browser, display, "#submit").await {
                panic!("{what}: no bank page ({error}); the page shows: {}", page_text(&browser).await);
            }
            assert_eq!(outcome(&browser, processor).await?, authenticated(processor), "{what}");
            let made = timeline_calls(&browser).await?;
            for (at, expected) in calls(processor).iter().enumerate() {
                assert!(made.get(at).is_some_and(|call| call.starts_with(expected)), "{what}: call {at} is {expected}: {made:?}");
            }
            let text = browser.driver.find(By::Id("timeline")).await?.text().await?;
            assert!(!text.contains(CHALLENGE_CARD), "{what}: the card number is masked in the timeline");
            assert!(browser.driver.find_all(By::Css("[data-threeds-challenge]")).await?.is_empty(), "{what}: the processor's page is gone");
            if display == "redirect" {
                let address = browser.driver.current_url().await?;
                assert!(!address.as_str().contains("secret"), "{what}: readReturn took the client secret out of the address: {address}");
            }
        }
        // The cardholder cancels at the bank: the processor's failure.
        pay(&browser, processor, "inline").await?;
        end_challenge(&browser, "inline", "#cancel").await?;
        assert_eq!(outcome(&browser, processor).await?, cancelled(processor), "{processor}, cancelled at the bank");
    }

    // A pending source expires on Stripe Sources' test clock while its page is shown.
    pay(&browser, "stripe-sources", "inline").await?;
    enter_bank_page(&browser, "inline").await?;
    browser.driver.enter_default_frame().await?;
    browser.wait_for("#advance-clock:not([hidden])").await?.click().await?;
    assert_eq!(outcome(&browser, "stripe-sources").await?, shown("canceled", "", "source.canceled"), "expired on the test clock");
    let made = timeline_calls(&browser).await?;
    assert!(made.iter().any(|c| c == "POST /stripe-sources/v1/test_helpers/advance"), "{made:?}");
    let webhooks = browser.script("return [...document.querySelectorAll('#timeline li.webhook')].map(li => li.dataset.event)").await?;
    assert_eq!(webhooks, serde_json::json!(["source.canceled"]), "the webhook is in the timeline");
    assert!(browser.driver.find_all(By::Css("[data-threeds-challenge]")).await?.is_empty(), "the expired source's page is closed");
    browser.quit().await
}
