//! What the demo merchant records of its calls to a processor, for the demo's
//! timeline: the request with its card data masked, the HTTP status and the answer.
//! Pure: no I/O.

use serde::Serialize;
use serde_json::{Map, Value, json};
use threeds_protocol::CardNumber;

/// One call the merchant's server made to a processor's API.
#[derive(Debug, Clone, Serialize)]
pub struct Call {
    /// When it was sent, Unix milliseconds.
    pub at_ms: u64,
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path on the processor's origin, with its query.
    pub path: String,
    /// The body as sent, card number masked and security code hidden (form pairs
    /// become a JSON object); `null` without a body.
    pub request: Value,
    /// The HTTP status, `0` when the processor could not be reached.
    pub status: u16,
    /// The answer's JSON (`null` for an empty or non-JSON answer).
    pub response: Value,
}

/// A value as the timeline may show it: a card number masked, a security code hidden.
pub fn shown(name: &str, value: &str) -> String {
    let field = name.rsplit('[').next().unwrap_or(name).trim_end_matches(']');
    match field {
        "number" => CardNumber::new(value).masked(),
        "cvc" | "cvv" => "•••".into(),
        _ => value.into(),
    }
}

/// Form pairs as a JSON object of shown values (a repeated name keeps its last value).
pub fn shown_form(pairs: &[(String, String)]) -> Value {
    let object: Map<String, Value> = pairs.iter().map(|(name, value)| (name.clone(), Value::String(shown(name, value)))).collect();
    Value::Object(object)
}

/// A JSON body with its top-level card fields shown as [`shown`] does.
pub fn shown_json(body: &Value) -> Value {
    match body {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(name, value)| match value {
                    Value::String(text) => (name.clone(), Value::String(shown(name, text))),
                    other => (name.clone(), other.clone()),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The lowercase ISO 4217 code of the demo's numeric currencies (Stripe's spelling;
/// Checkout.com takes it uppercase).
pub fn alpha_currency(numeric: &str) -> Option<&'static str> {
    match numeric {
        "978" => Some("eur"),
        "840" => Some("usd"),
        "826" => Some("gbp"),
        _ => None,
    }
}

/// A card expiry year three years after `unix_secs` (any future expiry works).
pub fn expiry_year(unix_secs: u64) -> u64 {
    1970 + unix_secs / 31_556_952 + 3
}

/// The source a Stripe Sources event is about: the source itself, or a charge's source.
pub fn event_source(event: &Value) -> Option<&str> {
    let object = &event["data"]["object"];
    match object["object"].as_str() {
        Some("source") => object["id"].as_str(),
        Some("charge") => object["source"]["id"].as_str(),
        _ => None,
    }
}

/// An event as the timeline shows it: its ID, type, and the object's ID and status.
pub fn event_summary(event: &Value, received_at_ms: u64) -> Value {
    let object = &event["data"]["object"];
    json!({
        "id": event["id"],
        "type": event["type"],
        "created": event["created"],
        "received_at_ms": received_at_ms,
        "object": { "id": object["id"], "object": object["object"], "status": object["status"] },
    })
}

/// `url` with `name=value` appended to its query.
pub fn with_query(url: &str, name: &str, value: &str) -> Option<String> {
    let mut url = url::Url::parse(url).ok()?;
    url.query_pairs_mut().append_pair(name, value);
    Some(url.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_and_codes_are_never_shown() {
        let pairs = vec![
            ("payment_method_data[card][number]".to_owned(), "4000002760003184".to_owned()),
            ("payment_method_data[card][cvc]".to_owned(), "123".to_owned()),
            ("amount".to_owned(), "1999".to_owned()),
        ];
        let shown = shown_form(&pairs).to_string();
        assert!(!shown.contains("4000002760003184") && !shown.contains("123\""), "{shown}");
        assert!(shown.contains("3184") && shown.contains("1999"), "{shown}");
        let body = json!({"type": "card", "number": "5200000000001005", "cvv": "100", "expiry_year": 2030});
        let shown = shown_json(&body).to_string();
        assert!(!shown.contains("5200000000001005") && !shown.contains("\"100\""), "{shown}");
        assert!(shown.contains("2030"), "{shown}");
    }

    #[test]
    fn currencies_and_years() {
        assert_eq!(alpha_currency("978"), Some("eur"));
        assert_eq!(alpha_currency("999"), None);
        // 2026-12-01 -> 2029.
        assert_eq!(expiry_year(1_796_083_200), 2029);
    }

    #[test]
    fn events_name_their_source() {
        let source = json!({"data": {"object": {"object": "source", "id": "src_1", "status": "chargeable"}}, "type": "source.chargeable"});
        let charge = json!({"data": {"object": {"object": "charge", "id": "ch_1", "source": {"id": "src_2"}}}});
        assert_eq!(event_source(&source), Some("src_1"));
        assert_eq!(event_source(&charge), Some("src_2"));
        assert_eq!(event_source(&json!({})), None);
        assert_eq!(event_summary(&source, 5)["object"]["status"], "chargeable");
    }

    #[test]
    fn queries_are_appended() {
        assert_eq!(with_query("http://a.test/r?x=1", "outcome", "success").as_deref(), Some("http://a.test/r?x=1&outcome=success"));
        assert_eq!(with_query("not a url", "a", "b"), None);
    }
}
