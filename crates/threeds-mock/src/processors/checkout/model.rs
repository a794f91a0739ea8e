//! Checkout.com's payment objects and rules, pure: the token and payment request
//! checks (every failed rule as an error code), enrollment by the test-card
//! table, the payment's outcome, and its JSON.

use base64::Engine as _;
use serde_json::{Value, json};
use threeds_protocol::{CardNumber, CardScheme, TransStatus};

use crate::cards::{self, Scenario};

/// A card token lives 15 minutes and is used once, as Checkout.com's do.
pub const TOKEN_LIFETIME_SECS: u64 = 15 * 60;

/// Checkout.com's response codes used here.
pub mod codes {
    /// Approved.
    pub const APPROVED: (&str, &str) = ("10000", "Approved");
    /// The card is not enrolled for 3-D Secure.
    pub const NOT_ENROLLED: (&str, &str) = ("20150", "Card not 3D Secure (3DS) enabled");
    /// The cardholder failed 3-D Secure.
    pub const FAILED_AUTHENTICATION: (&str, &str) = ("20151", "Cardholder failed 3DS authentication");
    /// 3-D Secure could not run.
    pub const MALFUNCTION: (&str, &str) = ("20153", "3DS system malfunction");
    /// The issuer requires 3-D Secure.
    pub const AUTHENTICATION_REQUIRED: (&str, &str) = ("20154", "3DS authentication required");
}

/// A card behind a token.
#[derive(Debug, Clone)]
pub struct TokenCard {
    /// The number; `Debug` masks it.
    pub number: CardNumber,
    /// 1-12.
    pub expiry_month: u32,
    /// Four digits.
    pub expiry_year: u32,
}

impl TokenCard {
    /// Checks a `POST /tokens` body (`type` `card`): every failed rule's code.
    pub fn from_request(body: &Value, current_year: u32) -> Result<Self, Vec<&'static str>> {
        let mut errors = Vec::new();
        match body.get("type").and_then(Value::as_str) {
            None => errors.push("token_type_required"),
            Some("card") => {}
            Some(_) => errors.push("token_type_invalid"),
        }
        let number = match body.get("number").and_then(Value::as_str) {
            None | Some("") => {
                errors.push("card_number_required");
                None
            }
            Some(number) => {
                let on_table = cards::TEST_CARDS.iter().any(|card| card.pan == number);
                let parsed = CardNumber::parse(number).ok().filter(|n| on_table || threeds_protocol::scheme::luhn_valid(n.expose()));
                if parsed.is_none() {
                    errors.push("card_number_invalid");
                }
                parsed
            }
        };
        let month = match body.get("expiry_month") {
            None | Some(Value::Null) => {
                errors.push("card_expiry_month_required");
                None
            }
            Some(value) => {
                let month = value.as_u64().filter(|m| (1..=12).contains(m)).map(|m| m as u32);
                if month.is_none() {
                    errors.push("card_expiry_month_invalid");
                }
                month
            }
        };
        let year = match body.get("expiry_year") {
            None | Some(Value::Null) => {
                errors.push("card_expiry_year_required");
                None
            }
            Some(value) => {
                let year = value.as_u64().filter(|y| (1000..=9999).contains(y)).map(|y| y as u32);
                match year {
                    None => errors.push("card_expiry_year_invalid"),
                    Some(year) if year < current_year => errors.push("card_expired"),
                    Some(_) => {}
                }
                year
            }
        };
        if let Some(cvv) = body.get("cvv")
            && !cvv.as_str().is_some_and(|c| (3..=4).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_digit()))
        {
            errors.push("cvv_invalid");
        }
        match (number, month, year) {
            (Some(number), Some(expiry_month), Some(expiry_year)) if errors.is_empty() => Ok(Self { number, expiry_month, expiry_year }),
            _ => Err(errors),
        }
    }

    /// Checkout.com's scheme name.
    pub fn scheme(&self) -> &'static str {
        match CardScheme::from_pan(self.number.expose()) {
            Some(CardScheme::Visa) => "Visa",
            Some(CardScheme::Mastercard) => "Mastercard",
            Some(CardScheme::Amex) => "Amex",
            Some(CardScheme::Discover) => "Discover",
            Some(CardScheme::Jcb) => "JCB",
            Some(CardScheme::Diners) => "Diners Club International",
            None => "Unknown",
        }
    }

    /// The first six digits.
    pub fn bin(&self) -> &str {
        self.number.expose().get(..6).unwrap_or_default()
    }
}

/// The checked parts of a `POST /payments` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRequest {
    /// `source.token`.
    pub token: String,
    /// Minor units.
    pub amount: u64,
    /// Uppercase ISO 4217.
    pub currency: String,
    /// `reference`.
    pub reference: Option<String>,
    /// `3ds.enabled`.
    pub three_ds: bool,
    /// `3ds.attempt_n3d`.
    pub attempt_n3d: bool,
    /// `success_url`.
    pub success_url: Option<String>,
    /// `failure_url`.
    pub failure_url: Option<String>,
}

fn web_url(value: &str) -> bool {
    url::Url::parse(value).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}

impl PaymentRequest {
    /// Checks a payment request with a token source: every failed rule's code.
    pub fn from_body(body: &Value, currency_known: impl Fn(&str) -> bool) -> Result<Self, Vec<&'static str>> {
        let mut errors = Vec::new();
        let source = body.get("source").filter(|s| s.is_object());
        let token = match source {
            None => {
                errors.push("payment_source_required");
                None
            }
            Some(source) => match source.get("type").and_then(Value::as_str) {
                None => {
                    errors.push("payment_source_type_required");
                    None
                }
                Some("token") => match source.get("token").and_then(Value::as_str) {
                    Some(token) if !token.is_empty() => Some(token.to_owned()),
                    _ => {
                        errors.push("token_required");
                        None
                    }
                },
                Some(_) => {
                    errors.push("payment_source_type_invalid");
                    None
                }
            },
        };
        let amount = match body.get("amount") {
            None | Some(Value::Null) => {
                errors.push("amount_required");
                None
            }
            Some(value) => {
                let amount = value.as_u64();
                if amount.is_none() {
                    errors.push("amount_invalid");
                }
                amount
            }
        };
        let currency = match body.get("currency").and_then(Value::as_str) {
            None | Some("") => {
                errors.push("currency_required");
                None
            }
            Some(currency) if currency.len() == 3 && currency_known(currency) => Some(currency.to_ascii_uppercase()),
            Some(_) => {
                errors.push("currency_invalid");
                None
            }
        };
        let url = |name: &str, code: &'static str, errors: &mut Vec<&'static str>| match body.get(name) {
            None | Some(Value::Null) => None,
            Some(value) => match value.as_str().filter(|v| web_url(v)) {
                Some(url) => Some(url.to_owned()),
                None => {
                    errors.push(code);
                    None
                }
            },
        };
        let success_url = url("success_url", "success_url_invalid", &mut errors);
        let failure_url = url("failure_url", "failure_url_invalid", &mut errors);
        let three_ds = body.get("3ds");
        let flag = |name: &str, code: &'static str, errors: &mut Vec<&'static str>| match three_ds.and_then(|t| t.get(name)) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(value)) => *value,
            Some(_) => {
                errors.push(code);
                false
            }
        };
        let enabled = flag("enabled", "3ds_enabled_invalid", &mut errors);
        let attempt_n3d = flag("attempt_n3d", "3ds_attempt_n3d_invalid", &mut errors);
        let reference = body.get("reference").and_then(Value::as_str).map(str::to_owned);
        match (token, amount, currency) {
            (Some(token), Some(amount), Some(currency)) if errors.is_empty() => {
                Ok(Self { token, amount, currency, reference, three_ds: enabled, attempt_n3d, success_url, failure_url })
            }
            _ => Err(errors),
        }
    }
}

/// `3ds.enrolled` of a card, by the test-card table: authentication unavailable
/// (ARes U) is not enrolled (`N`); a Directory Server or 3DS Server failure is
/// unknown (`U`); every other card is enrolled (`Y`).
pub fn enrolled(pan: &str) -> &'static str {
    match cards::scenario_for(pan) {
        Scenario::Unavailable => "N",
        Scenario::DirectoryServerError | Scenario::InternalError => "U",
        _ => "Y",
    }
}

/// Whether the card's issuer declines payments without 3-D Secure (a mandated challenge).
pub fn requires_authentication(pan: &str) -> bool {
    cards::scenario_for(pan) == Scenario::MandatedChallenge
}

/// A payment's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Waiting for the customer's 3-D Secure.
    Pending,
    /// Authorized.
    Authorized,
    /// Declined.
    Declined,
}

impl Status {
    /// The API's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Authorized => "Authorized",
            Self::Declined => "Declined",
        }
    }
}

/// The payment's `3ds` object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThreeDs {
    /// Processed without 3-D Secure although it was asked for.
    pub downgraded: bool,
    /// `Y`, `N` or `U`.
    pub enrolled: &'static str,
    /// After authentication: the outcome's values.
    pub authentication: Option<Authentication>,
}

/// What 3-D Secure produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authentication {
    /// transStatus: `Y`, `A`, `N`, `U`, `R`.
    pub response: String,
    /// The CAVV / AAV.
    pub cryptogram: Option<String>,
    /// The transaction's ID (the Directory Server's), base64.
    pub xid: String,
}

/// An action on a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// `act_...`.
    pub id: String,
    /// `Authorization`.
    pub kind: &'static str,
    /// Checkout.com's response code.
    pub response_code: &'static str,
    /// Its summary.
    pub response_summary: &'static str,
    /// When (RFC 3339).
    pub processed_on: String,
}

/// What a payment ended in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Authorized or Declined.
    pub status: Status,
    /// The response code and summary.
    pub response: (&'static str, &'static str),
}

/// The decision after 3-D Secure: Y and A are authorized, anything else declined
/// (U as a malfunction, N, R and a cancel as a failed authentication).
pub fn after_authentication(status: TransStatus) -> Decision {
    match status {
        TransStatus::Authenticated | TransStatus::Attempted => Decision { status: Status::Authorized, response: codes::APPROVED },
        TransStatus::Unavailable => Decision { status: Status::Declined, response: codes::MALFUNCTION },
        _ => Decision { status: Status::Declined, response: codes::FAILED_AUTHENTICATION },
    }
}

/// What a new payment does before any redirect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// `202 Pending`: the customer must be redirected.
    Redirect,
    /// `201` at once, with the 3ds object it has (none without 3-D Secure).
    Now(Decision, Option<ThreeDs>),
}

/// The start of a payment for `pan`: without 3-D Secure, authorized (declined
/// when the issuer requires 3-D Secure); with it, a redirect for an enrolled card;
/// a card not enrolled (or of unknown enrollment) is declined, or with
/// `attempt_n3d` downgraded and authorized without liability shift.
pub fn start(pan: &str, request: &PaymentRequest) -> Start {
    if !request.three_ds {
        return if requires_authentication(pan) {
            Start::Now(Decision { status: Status::Declined, response: codes::AUTHENTICATION_REQUIRED }, None)
        } else {
            Start::Now(Decision { status: Status::Authorized, response: codes::APPROVED }, None)
        };
    }
    match enrolled(pan) {
        "Y" => Start::Redirect,
        enrolled if request.attempt_n3d => Start::Now(
            Decision { status: Status::Authorized, response: codes::APPROVED },
            Some(ThreeDs { downgraded: true, enrolled, authentication: None }),
        ),
        enrolled => {
            let response = if enrolled == "N" { codes::NOT_ENROLLED } else { codes::MALFUNCTION };
            Start::Now(Decision { status: Status::Declined, response }, Some(ThreeDs { downgraded: false, enrolled, authentication: None }))
        }
    }
}

/// A payment.
#[derive(Debug, Clone)]
pub struct Payment {
    /// `pay_...`.
    pub id: String,
    /// `sid_...`: the 3-D Secure session, in the redirect and `cko-session-id`.
    pub session_id: String,
    /// The request.
    pub request: PaymentRequest,
    /// The card.
    pub card: TokenCard,
    /// `src_...`: the card source.
    pub source_id: String,
    /// When requested (RFC 3339).
    pub requested_on: String,
    /// Now.
    pub status: Status,
    /// The `3ds` object.
    pub three_ds: Option<ThreeDs>,
    /// The ECI.
    pub eci: Option<String>,
    /// The actions so far.
    pub actions: Vec<Action>,
    /// The 3DS session, once the customer reached the redirect page.
    pub hosted_session: Option<uuid::Uuid>,
}

/// A DS transaction ID as Checkout.com's `xid`: base64.
pub fn xid(ds_trans_id: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(ds_trans_id)
}

impl Payment {
    /// Whether it was approved (authorized).
    pub fn approved(&self) -> bool {
        self.status == Status::Authorized
    }

    /// Records a decision, with its authorization action.
    pub fn decide(&mut self, decision: &Decision, action_id: String, now: String) {
        self.status = decision.status;
        self.actions.push(Action {
            id: action_id,
            kind: "Authorization",
            response_code: decision.response.0,
            response_summary: decision.response.1,
            processed_on: now,
        });
    }

    /// The actions as the API lists them.
    pub fn actions_json(&self) -> Value {
        Value::Array(
            self.actions
                .iter()
                .map(|a| {
                    json!({
                        "id": a.id, "type": a.kind, "processed_on": a.processed_on, "amount": self.request.amount,
                        "approved": a.response_code == codes::APPROVED.0,
                        "response_code": a.response_code, "response_summary": a.response_summary,
                    })
                })
                .collect(),
        )
    }

    /// The `3ds` object.
    fn three_ds_json(&self) -> Option<Value> {
        let three_ds = self.three_ds.as_ref()?;
        let mut object = json!({ "downgraded": three_ds.downgraded, "enrolled": three_ds.enrolled });
        if let Some(authentication) = &three_ds.authentication {
            object["signature_valid"] = json!("Y");
            object["authentication_response"] = json!(authentication.response);
            if let Some(cryptogram) = &authentication.cryptogram {
                object["cryptogram"] = json!(cryptogram);
            }
            object["xid"] = json!(authentication.xid);
        }
        Some(object)
    }

    /// The payment as `GET /payments/{id}` shows it; links on `base` (the API's root).
    pub fn to_json(&self, base: &str, redirect: &str) -> Value {
        let mut object = json!({
            "id": self.id,
            "requested_on": self.requested_on,
            "source": {
                "type": "card",
                "id": self.source_id,
                "expiry_month": self.card.expiry_month,
                "expiry_year": self.card.expiry_year,
                "scheme": self.card.scheme(),
                "last4": self.card.number.last4(),
                "bin": self.card.bin(),
            },
            "amount": self.request.amount,
            "currency": self.request.currency,
            "payment_type": "Regular",
            "status": self.status.name(),
            "approved": self.approved(),
            "actions": self.actions_json(),
            "_links": {
                "self": { "href": format!("{base}/payments/{}", self.id) },
                "actions": { "href": format!("{base}/payments/{}/actions", self.id) },
            },
        });
        if let Some(reference) = &self.request.reference {
            object["reference"] = json!(reference);
        }
        if let Some(three_ds) = self.three_ds_json() {
            object["3ds"] = three_ds;
        }
        if let Some(eci) = &self.eci {
            object["eci"] = json!(eci);
        }
        if self.status == Status::Pending {
            object["_links"]["redirect"] = json!({ "href": redirect });
        }
        object
    }

    /// The answer to `POST /payments`: `202` Pending with the redirect, or `201` with the decision.
    pub fn created_json(&self, base: &str, redirect: &str) -> Value {
        if self.status == Status::Pending {
            let mut object = json!({
                "id": self.id,
                "status": "Pending",
                "_links": {
                    "self": { "href": format!("{base}/payments/{}", self.id) },
                    "redirect": { "href": redirect },
                },
            });
            if let Some(three_ds) = self.three_ds_json() {
                object["3ds"] = three_ds;
            }
            if let Some(reference) = &self.request.reference {
                object["reference"] = json!(reference);
            }
            return object;
        }
        let mut object = self.to_json(base, redirect);
        if let Some(action) = self.actions.last() {
            object["action_id"] = json!(action.id);
            object["response_code"] = json!(action.response_code);
            object["response_summary"] = json!(action.response_summary);
            object["processed_on"] = json!(action.processed_on);
        }
        if let Some(map) = object.as_object_mut() {
            map.remove("actions");
        }
        object
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(three_ds: bool, attempt_n3d: bool) -> PaymentRequest {
        PaymentRequest {
            token: "tok_x".into(),
            amount: 2000,
            currency: "USD".into(),
            reference: None,
            three_ds,
            attempt_n3d,
            success_url: None,
            failure_url: None,
        }
    }

    #[test]
    fn token_requests_list_every_failed_rule() {
        let errors = TokenCard::from_request(&json!({"type": "card", "expiry_month": 13, "cvv": "1"}), 2026).unwrap_err();
        assert_eq!(errors, vec!["card_number_required", "card_expiry_month_invalid", "card_expiry_year_required", "cvv_invalid"]);
        let errors = TokenCard::from_request(&json!({"type": "card", "number": "4242424242424241", "expiry_month": 1, "expiry_year": 2020}), 2026)
            .unwrap_err();
        assert_eq!(errors, vec!["card_number_invalid", "card_expired"]);
        let card =
            TokenCard::from_request(&json!({"type": "card", "number": "4000020000000000", "expiry_month": 6, "expiry_year": 2030}), 2026).unwrap();
        assert_eq!((card.scheme(), card.bin()), ("Visa", "400002"));
    }

    #[test]
    fn payment_requests_name_their_fields() {
        let known = |c: &str| c.eq_ignore_ascii_case("usd");
        assert_eq!(
            PaymentRequest::from_body(&json!({}), known).unwrap_err(),
            vec!["payment_source_required", "amount_required", "currency_required"]
        );
        let body = json!({"source": {"type": "token"}, "amount": -1, "currency": "XXX", "success_url": "nope", "3ds": {"enabled": "yes"}});
        assert_eq!(
            PaymentRequest::from_body(&body, known).unwrap_err(),
            vec!["token_required", "amount_invalid", "currency_invalid", "success_url_invalid", "3ds_enabled_invalid"]
        );
        let body = json!({"source": {"type": "token", "token": "tok_x"}, "amount": 2000, "currency": "usd", "3ds": {"enabled": true}});
        assert_eq!(PaymentRequest::from_body(&body, known).unwrap(), PaymentRequest { currency: "USD".into(), ..request(true, false) });
    }

    #[test]
    fn enrollment_and_the_start_of_a_payment_follow_the_card_table() {
        assert_eq!(start("4000020000000000", &request(true, false)), Start::Redirect);
        assert_eq!(start("4242424242424242", &request(true, false)), Start::Redirect, "frictionless cards are enrolled");
        let Start::Now(decision, Some(three_ds)) = start("5405001111111165", &request(true, false)) else { panic!("declined at once") };
        assert_eq!((decision.status, decision.response.0, three_ds.enrolled, three_ds.downgraded), (Status::Declined, "20150", "N", false));
        let Start::Now(decision, Some(three_ds)) = start("5405001111111165", &request(true, true)) else { panic!("downgraded") };
        assert_eq!((decision.status, three_ds.downgraded), (Status::Authorized, true));
        let Start::Now(decision, None) = start("4761369980320253", &request(false, false)) else { panic!("no 3ds") };
        assert_eq!(decision.response.0, "20154");
        assert_eq!(
            start("4242424242424242", &request(false, false)),
            Start::Now(Decision { status: Status::Authorized, response: codes::APPROVED }, None)
        );
    }

    #[test]
    fn outcomes_decide_the_payment() {
        assert_eq!(after_authentication(TransStatus::Authenticated).status, Status::Authorized);
        assert_eq!(after_authentication(TransStatus::Attempted).status, Status::Authorized);
        assert_eq!(after_authentication(TransStatus::NotAuthenticated).response, codes::FAILED_AUTHENTICATION);
        assert_eq!(after_authentication(TransStatus::Rejected).response, codes::FAILED_AUTHENTICATION);
        assert_eq!(after_authentication(TransStatus::Unavailable).response, codes::MALFUNCTION);
    }
}
