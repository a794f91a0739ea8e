//! Stripe Sources' objects and rules, pure: form parameters, the card checks, the
//! 3-D Secure support of a card (from the test-card table), the source's status
//! machine and expiry, and the JSON of sources and charges.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use threeds_protocol::{CardNumber, CardScheme, TransStatus};

use super::error::StripeError;
use crate::cards::{self, Scenario};

/// A pending source is canceled one hour after its creation, as Stripe documents.
pub const PENDING_LIFETIME_SECS: u64 = 3600;
/// A chargeable 3-D Secure source is canceled six hours after it became chargeable.
pub const CHARGEABLE_LIFETIME_SECS: u64 = 6 * 3600;

/// A form body's pairs, in order (bracket keys kept as sent: `redirect[return_url]`).
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// Reads `application/x-www-form-urlencoded` pairs.
    pub fn parse(body: &[u8]) -> Self {
        Self(url::form_urlencoded::parse(body).into_owned().collect())
    }

    /// The last value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The value of `name`, which must be there and not empty.
    pub fn required(&self, name: &str) -> Result<&str, StripeError> {
        self.get(name).filter(|v| !v.is_empty()).ok_or_else(|| StripeError::missing(name))
    }

    /// A positive integer `name`.
    pub fn positive(&self, name: &str) -> Result<u64, StripeError> {
        let value = self.required(name)?;
        match value.parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(StripeError::invalid_integer(name, value)),
        }
    }

    /// Fails on the first parameter that is neither in `known` nor under one of
    /// the free-form hashes (`metadata[...]`, `owner[...]`).
    pub fn only(&self, known: &[&str]) -> Result<(), StripeError> {
        match self.0.iter().find(|(key, _)| !known.contains(&key.as_str()) && !key.starts_with("metadata[") && !key.starts_with("owner[")) {
            Some((key, _)) => Err(StripeError::unknown(key)),
            None => Ok(()),
        }
    }

    /// `metadata[key]=value` pairs.
    pub fn metadata(&self) -> BTreeMap<String, String> {
        self.0.iter().filter_map(|(key, value)| Some((key.strip_prefix("metadata[")?.strip_suffix(']')?.to_owned(), value.clone()))).collect()
    }
}

/// `card.three_d_secure` of a card source: what 3-D Secure means for the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// The issuer declines charges without 3-D Secure.
    Required,
    /// 3-D Secure is recommended.
    Recommended,
    /// 3-D Secure is possible, neither required nor recommended.
    Optional,
    /// The card does not take part in 3-D Secure.
    NotSupported,
}

impl Support {
    /// The API's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Recommended => "recommended",
            Self::Optional => "optional",
            Self::NotSupported => "not_supported",
        }
    }

    /// By the test-card table: a mandated challenge is `required`, any other
    /// challenge `recommended`, authentication unavailable (ARes U) `not_supported`,
    /// every other card `optional`.
    pub fn for_card(pan: &str) -> Self {
        match cards::scenario_for(pan) {
            Scenario::MandatedChallenge => Self::Required,
            Scenario::Unavailable => Self::NotSupported,
            scenario if scenario.challenges() => Self::Recommended,
            _ => Self::Optional,
        }
    }
}

/// What creating a 3-D Secure source for a card does, before any redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Creation {
    /// `pending`: the customer must follow `redirect[url]`.
    Redirect,
    /// `chargeable` at once, `redirect.status` `not_required`, not authenticated:
    /// the card takes part but is not enrolled (the issuer's attempts server, ARes A).
    NotEnrolled,
    /// `failed` at once: the card does not support 3-D Secure, or the issuer's
    /// 3-D Secure service is down (the test cards of a Directory Server or 3DS Server failure).
    Failed,
}

impl Creation {
    /// By the test-card table.
    pub fn for_card(pan: &str) -> Self {
        match cards::scenario_for(pan) {
            Scenario::Attempted => Self::NotEnrolled,
            Scenario::Unavailable | Scenario::DirectoryServerError | Scenario::InternalError => Self::Failed,
            _ => Self::Redirect,
        }
    }
}

/// A source's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Waiting for the customer.
    Pending,
    /// May be charged.
    Chargeable,
    /// Charged (a single-use source once; a card source charged without a customer).
    Consumed,
    /// Expired.
    Canceled,
    /// Authentication failed or was not possible.
    Failed,
}

impl Status {
    /// The API's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Chargeable => "chargeable",
            Self::Consumed => "consumed",
            Self::Canceled => "canceled",
            Self::Failed => "failed",
        }
    }
}

/// `redirect.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectStatus {
    /// The customer has not come back yet.
    Pending,
    /// Authenticated (or attempted) at the bank.
    Succeeded,
    /// No redirect needed (not enrolled).
    NotRequired,
    /// The authentication failed, or the redirect could not be used.
    Failed,
}

impl RedirectStatus {
    /// The API's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Succeeded => "succeeded",
            Self::NotRequired => "not_required",
            Self::Failed => "failed",
        }
    }
}

/// The card of a source, as the card source holds it.
#[derive(Debug, Clone)]
pub struct Card {
    /// The number; `Debug` masks it.
    pub number: CardNumber,
    /// 1-12.
    pub exp_month: u32,
    /// Four digits.
    pub exp_year: u32,
    /// Whether a CVC was given (`cvc_check` `unchecked` then, else `null`).
    pub cvc_given: bool,
}

impl Card {
    /// Checks `card[...]` as Stripe does: a 12-19 digit number that passes the Luhn
    /// check (or is on the test-card table), an expiry month and a year not past.
    pub fn from_params(params: &Params, current_year: u32) -> Result<Self, StripeError> {
        let number: String = params.required("card[number]")?.chars().filter(|c| !c.is_whitespace()).collect();
        let on_table = cards::TEST_CARDS.iter().any(|card| card.pan == number);
        let number = CardNumber::parse(&number)
            .ok()
            .filter(|n| on_table || threeds_protocol::scheme::luhn_valid(n.expose()))
            .ok_or_else(|| StripeError::card("incorrect_number", Some("number"), "Your card number is incorrect."))?;
        let month = params.required("card[exp_month]")?;
        let exp_month = month
            .parse::<u32>()
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or_else(|| StripeError::card("invalid_expiry_month", Some("exp_month"), "Your card's expiration month is invalid."))?;
        let year = params.required("card[exp_year]")?;
        let exp_year = year
            .parse::<u32>()
            .ok()
            .map(|y| if y < 100 { 2000 + y } else { y })
            .filter(|y| *y >= current_year && *y < current_year + 50)
            .ok_or_else(|| StripeError::card("invalid_expiry_year", Some("exp_year"), "Your card's expiration year is invalid."))?;
        let cvc = params.get("card[cvc]");
        if let Some(cvc) = cvc
            && !((3..=4).contains(&cvc.len()) && cvc.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(StripeError::card("invalid_cvc", Some("cvc"), "Your card's security code is invalid."));
        }
        Ok(Self { number, exp_month, exp_year, cvc_given: cvc.is_some() })
    }

    /// Stripe's brand name.
    pub fn brand(&self) -> &'static str {
        match CardScheme::from_pan(self.number.expose()) {
            Some(CardScheme::Visa) => "Visa",
            Some(CardScheme::Mastercard) => "MasterCard",
            Some(CardScheme::Amex) => "American Express",
            Some(CardScheme::Discover) => "Discover",
            Some(CardScheme::Jcb) => "JCB",
            Some(CardScheme::Diners) => "Diners Club",
            None => "Unknown",
        }
    }

    /// The card hash of a card source (also the base of a 3-D Secure source's).
    fn to_json(&self, support: Support) -> Value {
        json!({
            "address_line1_check": null,
            "address_zip_check": null,
            "brand": self.brand(),
            "country": "US",
            "cvc_check": if self.cvc_given { json!("unchecked") } else { Value::Null },
            "dynamic_last4": null,
            "exp_month": self.exp_month,
            "exp_year": self.exp_year,
            "fingerprint": fingerprint(self.number.expose()),
            "funding": "credit",
            "last4": self.number.last4(),
            "name": null,
            "three_d_secure": support.name(),
            "tokenization_method": null,
        })
    }
}

/// A stable, non-reversible 16-character tag of a card number (FNV-1a), as Stripe's `fingerprint`.
fn fingerprint(pan: &str) -> String {
    let hash = pan.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}").chars().map(|c| if c.is_ascii_digit() { (b'A' + c as u8 - b'0') as char } else { c }).collect()
}

/// What kind of source, with what only that kind has.
#[derive(Debug, Clone)]
pub enum Kind {
    /// `type=card`: reusable, chargeable at once.
    Card,
    /// `type=three_d_secure`: single use.
    ThreeDSecure {
        /// The card source's ID.
        card_source: String,
        /// Minor units.
        amount: u64,
        /// Lowercase ISO 4217.
        currency: String,
        /// `redirect[return_url]`.
        return_url: String,
        /// `redirect.status`.
        redirect_status: RedirectStatus,
        /// `three_d_secure.authenticated`.
        authenticated: bool,
        /// The 3DS session, once the customer followed the redirect.
        session: Option<uuid::Uuid>,
    },
}

/// A source.
#[derive(Debug, Clone)]
pub struct Source {
    /// `src_...`.
    pub id: String,
    /// `src_client_secret_...`.
    pub client_secret: String,
    /// When created, on the emulation's clock (Unix seconds).
    pub created: u64,
    /// When it became chargeable, on the same clock.
    pub chargeable_at: Option<u64>,
    /// Its status.
    pub status: Status,
    /// The card.
    pub card: Card,
    /// The card's 3-D Secure support.
    pub support: Support,
    /// Card or 3-D Secure.
    pub kind: Kind,
    /// `metadata`.
    pub metadata: BTreeMap<String, String>,
}

impl Source {
    /// Whether it is a `three_d_secure` source.
    pub fn is_three_d_secure(&self) -> bool {
        matches!(self.kind, Kind::ThreeDSecure { .. })
    }

    /// Cancels an expired source: a pending one an hour after its creation, a
    /// chargeable 3-D Secure one six hours after it became chargeable. True when it
    /// was canceled now.
    pub fn expire(&mut self, now: u64) -> bool {
        if !self.is_three_d_secure() {
            return false;
        }
        let expired = match self.status {
            Status::Pending => now >= self.created + PENDING_LIFETIME_SECS,
            Status::Chargeable => now >= self.chargeable_at.unwrap_or(self.created) + CHARGEABLE_LIFETIME_SECS,
            _ => false,
        };
        if expired {
            self.status = Status::Canceled;
            if let Kind::ThreeDSecure { redirect_status, .. } = &mut self.kind
                && *redirect_status == RedirectStatus::Pending
            {
                *redirect_status = RedirectStatus::Failed;
            }
        }
        expired
    }

    /// Records the authentication's final transStatus on a pending 3-D Secure
    /// source: Y `chargeable` and authenticated; A (attempted) `chargeable`, not
    /// authenticated; anything else `failed`. Returns the new status, or `None`
    /// when the source was not pending (nothing changes then).
    pub fn authenticated(&mut self, status: TransStatus, now: u64) -> Option<Status> {
        let Kind::ThreeDSecure { redirect_status, authenticated, .. } = &mut self.kind else { return None };
        if self.status != Status::Pending {
            return None;
        }
        let (next, redirect, verified) = match status {
            TransStatus::Authenticated => (Status::Chargeable, RedirectStatus::Succeeded, true),
            TransStatus::Attempted => (Status::Chargeable, RedirectStatus::Succeeded, false),
            _ => (Status::Failed, RedirectStatus::Failed, false),
        };
        self.status = next;
        *redirect_status = redirect;
        *authenticated = verified;
        if next == Status::Chargeable {
            self.chargeable_at = Some(now);
        }
        Some(next)
    }

    /// The source object; `redirect_url` is the 3-D Secure source's `redirect[url]`.
    pub fn to_json(&self, redirect_url: &str) -> Value {
        let mut object = json!({
            "id": self.id,
            "object": "source",
            "amount": null,
            "client_secret": self.client_secret,
            "created": self.created,
            "currency": null,
            "flow": "none",
            "livemode": false,
            "metadata": self.metadata,
            "owner": {
                "address": null, "email": null, "name": null, "phone": null,
                "verified_address": null, "verified_email": null, "verified_name": null, "verified_phone": null
            },
            "statement_descriptor": null,
            "status": self.status.name(),
            "type": "card",
            "usage": "reusable",
        });
        match &self.kind {
            Kind::Card => object["card"] = self.card.to_json(self.support),
            Kind::ThreeDSecure { card_source, amount, currency, return_url, redirect_status, authenticated, .. } => {
                object["type"] = json!("three_d_secure");
                object["usage"] = json!("single_use");
                object["flow"] = json!("redirect");
                object["amount"] = json!(amount);
                object["currency"] = json!(currency);
                object["redirect"] = json!({
                    "failure_reason": null,
                    "return_url": return_url,
                    "status": redirect_status.name(),
                    "url": redirect_url,
                });
                let mut three_d_secure = self.card.to_json(self.support);
                three_d_secure["card"] = json!(card_source);
                three_d_secure["customer"] = Value::Null;
                three_d_secure["authenticated"] = json!(authenticated);
                object["three_d_secure"] = three_d_secure;
            }
        }
        object
    }
}

/// `return_url` with `source`, `livemode` and `client_secret` set (any of these
/// the merchant put there replaced), as Stripe returns the customer.
pub fn return_location(return_url: &str, source: &str, client_secret: &str) -> Option<String> {
    let mut url = url::Url::parse(return_url).ok()?;
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !matches!(k.as_ref(), "source" | "livemode" | "client_secret"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    {
        let mut query = url.query_pairs_mut();
        query.clear();
        query.extend_pairs(kept);
        query.append_pair("source", source).append_pair("livemode", "false").append_pair("client_secret", client_secret);
    }
    Some(url.to_string())
}

/// A charge.
#[derive(Debug, Clone)]
pub struct Charge {
    /// `ch_...`.
    pub id: String,
    /// Minor units.
    pub amount: u64,
    /// Lowercase ISO 4217.
    pub currency: String,
    /// When, on the emulation's clock.
    pub created: u64,
    /// Whether it succeeded.
    pub succeeded: bool,
    /// The source as it was charged (JSON).
    pub source: Value,
    /// The 3-D Secure result of a 3-D Secure source: (authenticated, succeeded).
    pub three_d_secure: Option<(bool, bool)>,
    /// `metadata`.
    pub metadata: BTreeMap<String, String>,
}

/// Why a charge of a card source is declined: its issuer requires 3-D Secure.
pub const AUTHENTICATION_REQUIRED: &str = "authentication_required";

impl Charge {
    /// The charge object.
    pub fn to_json(&self) -> Value {
        let (network_status, kind, reason, seller_message) = if self.succeeded {
            ("approved_by_network", "authorized", Value::Null, "Payment complete.".to_owned())
        } else {
            (
                "declined_by_network",
                "issuer_declined",
                json!(AUTHENTICATION_REQUIRED),
                format!("The bank returned the decline code `{AUTHENTICATION_REQUIRED}`."),
            )
        };
        json!({
            "id": self.id,
            "object": "charge",
            "amount": self.amount,
            "amount_captured": if self.succeeded { self.amount } else { 0 },
            "amount_refunded": 0,
            "captured": self.succeeded,
            "created": self.created,
            "currency": self.currency,
            "failure_code": if self.succeeded { Value::Null } else { json!("card_declined") },
            "failure_message": if self.succeeded { Value::Null } else { json!("Your card was declined. This transaction requires authentication.") },
            "livemode": false,
            "metadata": self.metadata,
            "outcome": {
                "network_status": network_status,
                "reason": reason,
                "risk_level": "normal",
                "seller_message": seller_message,
                "type": kind,
            },
            "paid": self.succeeded,
            "payment_method_details": {
                "type": "card",
                "card": {
                    "three_d_secure": self.three_d_secure.map(|(authenticated, succeeded)| json!({ "authenticated": authenticated, "succeeded": succeeded })),
                }
            },
            "refunded": false,
            "source": self.source,
            "status": if self.succeeded { "succeeded" } else { "failed" },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(pan: &str) -> Card {
        Card { number: CardNumber::new(pan), exp_month: 12, exp_year: 2034, cvc_given: true }
    }

    fn three_d_secure_source(created: u64) -> Source {
        Source {
            id: "src_1".into(),
            client_secret: "src_client_secret_1".into(),
            created,
            chargeable_at: None,
            status: Status::Pending,
            card: card("4000020000000000"),
            support: Support::Recommended,
            kind: Kind::ThreeDSecure {
                card_source: "src_0".into(),
                amount: 1099,
                currency: "eur".into(),
                return_url: "https://shop.example/return".into(),
                redirect_status: RedirectStatus::Pending,
                authenticated: false,
                session: None,
            },
            metadata: BTreeMap::new(),
        }
    }

    #[test]
    fn params_read_bracket_keys_and_reject_unknown_ones() {
        let params = Params::parse(b"type=three_d_secure&redirect%5Breturn_url%5D=https%3A%2F%2Fx%2Fr&metadata[order]=42&amount=0");
        assert_eq!(params.get("redirect[return_url]"), Some("https://x/r"));
        assert_eq!(params.metadata().get("order").map(String::as_str), Some("42"));
        assert_eq!(params.positive("amount").unwrap_err().code, Some("parameter_invalid_integer"));
        assert_eq!(params.required("currency").unwrap_err().param.as_deref(), Some("currency"));
        assert!(params.only(&["type", "redirect[return_url]", "amount"]).is_ok());
        assert_eq!(params.only(&["type"]).unwrap_err().param.as_deref(), Some("redirect[return_url]"));
    }

    #[test]
    fn cards_map_onto_the_test_card_table() {
        assert_eq!(Support::for_card("4761369980320253"), Support::Required);
        assert_eq!(Support::for_card("4000020000000000"), Support::Recommended);
        assert_eq!(Support::for_card("4242424242424242"), Support::Optional);
        assert_eq!(Support::for_card("5405001111111165"), Support::NotSupported);
        assert_eq!(Creation::for_card("4111111111111111"), Creation::NotEnrolled);
        assert_eq!(Creation::for_card("5405001111111165"), Creation::Failed);
        assert_eq!(Creation::for_card("4264281500003339"), Creation::Failed);
        assert_eq!(Creation::for_card("4000020000000000"), Creation::Redirect);
    }

    #[test]
    fn card_checks_name_the_parameter() {
        let params = |number: &str, month: &str, year: &str| {
            Params(vec![("card[number]".into(), number.into()), ("card[exp_month]".into(), month.into()), ("card[exp_year]".into(), year.into())])
        };
        assert!(Card::from_params(&params("4242 4242 4242 4242", "12", "2034"), 2026).is_ok());
        assert!(Card::from_params(&params("4200000000000004", "12", "34"), 2026).is_ok(), "Luhn-invalid table cards are taken");
        assert_eq!(Card::from_params(&params("4242424242424241", "12", "2034"), 2026).unwrap_err().code, Some("incorrect_number"));
        assert_eq!(Card::from_params(&params("4242424242424242", "13", "2034"), 2026).unwrap_err().code, Some("invalid_expiry_month"));
        assert_eq!(Card::from_params(&params("4242424242424242", "1", "2020"), 2026).unwrap_err().code, Some("invalid_expiry_year"));
        assert!(!format!("{:?}", card("4242424242424242")).contains("4242424242424242"), "Debug masks the number");
    }

    #[test]
    fn pending_sources_expire_after_an_hour_and_chargeable_ones_six_hours_after_becoming_chargeable() {
        let mut source = three_d_secure_source(1000);
        assert!(!source.expire(1000 + PENDING_LIFETIME_SECS - 1));
        assert!(source.expire(1000 + PENDING_LIFETIME_SECS));
        assert_eq!(source.status, Status::Canceled);
        assert!(!source.expire(u64::MAX / 2), "once");

        let mut source = three_d_secure_source(1000);
        assert_eq!(source.authenticated(TransStatus::Authenticated, 2000), Some(Status::Chargeable));
        assert!(!source.expire(2000 + CHARGEABLE_LIFETIME_SECS - 1));
        assert!(source.expire(2000 + CHARGEABLE_LIFETIME_SECS));
    }

    #[test]
    fn the_outcome_sets_status_redirect_and_authenticated() {
        let check = |status, expected: Status, redirect: RedirectStatus, verified: bool| {
            let mut source = three_d_secure_source(0);
            assert_eq!(source.authenticated(status, 5), Some(expected));
            let json = source.to_json("u");
            assert_eq!(json["redirect"]["status"], redirect.name());
            assert_eq!(json["three_d_secure"]["authenticated"], verified);
            assert_eq!(source.authenticated(TransStatus::Authenticated, 6), None, "only a pending source changes");
        };
        check(TransStatus::Authenticated, Status::Chargeable, RedirectStatus::Succeeded, true);
        check(TransStatus::Attempted, Status::Chargeable, RedirectStatus::Succeeded, false);
        check(TransStatus::NotAuthenticated, Status::Failed, RedirectStatus::Failed, false);
        check(TransStatus::Rejected, Status::Failed, RedirectStatus::Failed, false);
    }

    #[test]
    fn the_return_url_gets_source_livemode_and_client_secret() {
        let location = return_location("https://shop.example/r?order=7&source=mine", "src_1", "src_client_secret_1").unwrap();
        assert_eq!(location, "https://shop.example/r?order=7&source=src_1&livemode=false&client_secret=src_client_secret_1");
        assert_eq!(return_location("not a url", "s", "c"), None);
    }
}
