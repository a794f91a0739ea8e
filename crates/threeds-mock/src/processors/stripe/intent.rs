//! PaymentIntents and SetupIntents: what the emulation keeps of them, their
//! statuses, and their JSON as Stripe writes it (the whole object for the secret
//! key; the reduced one a publishable key reads with the client secret). Pure.

use serde_json::{Map, Value, json};
use threeds_protocol::CardNumber;
use uuid::Uuid;

use super::cards;
use super::error::StripeError;
use super::flow::RequestThreeDS;
use super::import::Imported;

/// A PaymentIntent or a SetupIntent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `pi_...`.
    Payment,
    /// `seti_...`.
    Setup,
}

impl Kind {
    /// Stripe's `object`.
    pub fn object(self) -> &'static str {
        match self {
            Self::Payment => "payment_intent",
            Self::Setup => "setup_intent",
        }
    }

    /// The name in Stripe's messages.
    pub fn display(self) -> &'static str {
        match self {
            Self::Payment => "PaymentIntent",
            Self::Setup => "SetupIntent",
        }
    }

    /// The ID prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Payment => "pi",
            Self::Setup => "seti",
        }
    }
}

/// An intent's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// No payment method, or the last one failed.
    RequiresPaymentMethod,
    /// A payment method, not confirmed yet.
    RequiresConfirmation,
    /// The cardholder must authenticate (`next_action`).
    RequiresAction,
    /// Being processed (the emulation settles at once, so it passes through).
    Processing,
    /// Authorized, waiting for `capture` (`capture_method=manual`).
    RequiresCapture,
    /// Paid, or set up.
    Succeeded,
    /// Canceled.
    Canceled,
}

impl Status {
    /// Stripe's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RequiresPaymentMethod => "requires_payment_method",
            Self::RequiresConfirmation => "requires_confirmation",
            Self::RequiresAction => "requires_action",
            Self::Processing => "processing",
            Self::RequiresCapture => "requires_capture",
            Self::Succeeded => "succeeded",
            Self::Canceled => "canceled",
        }
    }

    /// Whether confirming is allowed.
    pub fn confirmable(self) -> bool {
        matches!(self, Self::RequiresPaymentMethod | Self::RequiresConfirmation | Self::RequiresAction)
    }

    /// Whether canceling is allowed.
    pub fn cancelable(self, kind: Kind) -> bool {
        match kind {
            Kind::Payment => !matches!(self, Self::Succeeded | Self::Canceled),
            Kind::Setup => matches!(self, Self::RequiresPaymentMethod | Self::RequiresConfirmation | Self::RequiresAction),
        }
    }

    /// Whether nothing more happens to the intent.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Succeeded | Self::Canceled)
    }
}

/// A card PaymentMethod. The number is a [`CardNumber`]: masked in `Debug`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentMethod {
    /// `pm_...` (a test PaymentMethod keeps its own ID, e.g. `pm_card_visa`).
    pub id: String,
    /// The card number.
    pub card: CardNumber,
    /// 1-12.
    pub exp_month: u8,
    /// Four digits.
    pub exp_year: u16,
    /// Unix seconds.
    pub created: u64,
}

impl PaymentMethod {
    /// Stripe's PaymentMethod object.
    pub fn to_json(&self) -> Value {
        let pan = self.card.expose();
        json!({
            "id": self.id,
            "object": "payment_method",
            "billing_details": {"address": {"city": null, "country": null, "line1": null, "line2": null, "postal_code": null, "state": null},
                                "email": null, "name": null, "phone": null},
            "card": {
                "brand": cards::brand(pan),
                "checks": {"address_line1_check": null, "address_postal_code_check": null, "cvc_check": "pass"},
                "country": "US",
                "exp_month": self.exp_month,
                "exp_year": self.exp_year,
                "funding": "credit",
                "last4": self.card.last4(),
                "networks": {"available": cards::networks(pan), "preferred": null},
                "three_d_secure_usage": {"supported": cards::usage(pan) != cards::ThreeDSUsage::NotSupported},
                "wallet": null,
            },
            "created": self.created,
            "customer": null,
            "livemode": false,
            "metadata": {},
            "type": "card",
        })
    }
}

/// The charge of a PaymentIntent (or the setup attempt of a SetupIntent).
#[derive(Debug, Clone, PartialEq)]
pub struct Charge {
    /// `ch_...` or `setatt_...`.
    pub id: String,
    /// Whether the issuer approved.
    pub approved: bool,
    /// The decline code when it did not.
    pub decline_code: Option<String>,
    /// Captured (a manual capture starts false).
    pub captured: bool,
    /// Captured amount.
    pub amount_captured: u64,
    /// Refunded (released, when canceled before capture).
    pub refunded: bool,
    /// `payment_method_details.card.three_d_secure`, when 3DS ran or was imported.
    pub three_d_secure: Option<Value>,
    /// `payment_method_details.card.network`.
    pub network: String,
    /// Unix seconds.
    pub created: u64,
}

/// One intent.
#[derive(Debug, Clone, PartialEq)]
pub struct Intent {
    /// Payment or setup.
    pub kind: Kind,
    /// `pi_...` / `seti_...`.
    pub id: String,
    /// `{id}_secret_...`: lets a browser read the intent with the publishable key.
    pub client_secret: String,
    /// Unix seconds.
    pub created: u64,
    /// Minor units (PaymentIntents).
    pub amount: u64,
    /// Lower-case ISO 4217 (PaymentIntents).
    pub currency: String,
    /// `capture_method=manual`.
    pub manual_capture: bool,
    /// The status.
    pub status: Status,
    /// The payment method attached.
    pub payment_method: Option<PaymentMethod>,
    /// `request_three_d_secure`.
    pub request_three_d_secure: RequestThreeDS,
    /// `payment_method_options[card][network]`.
    pub network: Option<String>,
    /// Where the cardholder returns after authenticating.
    pub return_url: Option<String>,
    /// `next_action.redirect_to_url.url` (or `use_stripe_sdk.stripe_js`) while `requires_action`.
    pub authenticate_url: Option<String>,
    /// The 3DS session behind the authentication, once it started.
    pub session_id: Option<Uuid>,
    /// `last_payment_error` / `last_setup_error`.
    pub last_error: Option<Value>,
    /// The latest charge or setup attempt.
    pub charge: Option<Charge>,
    /// `amount_received`.
    pub amount_received: u64,
    /// `canceled_at`.
    pub canceled_at: Option<u64>,
    /// `cancellation_reason`.
    pub cancellation_reason: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `customer`.
    pub customer: Option<String>,
    /// `metadata`.
    pub metadata: Vec<(String, String)>,
    /// SetupIntent `usage` (`off_session` unless given).
    pub usage: String,
    /// A 3DS result to import at confirmation.
    pub imported: Option<Imported>,
    /// `error_on_requires_action`.
    pub error_on_requires_action: bool,
}

/// A fresh ID: the prefix and 24 characters.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", &Uuid::new_v4().simple().to_string()[..24])
}

impl Intent {
    /// A new intent in `requires_payment_method`.
    pub fn new(kind: Kind, created: u64) -> Self {
        let id = new_id(kind.prefix());
        let client_secret = format!("{id}_secret_{}", &Uuid::new_v4().simple().to_string()[..25]);
        Self {
            kind,
            id,
            client_secret,
            created,
            amount: 0,
            currency: String::new(),
            manual_capture: false,
            status: Status::RequiresPaymentMethod,
            payment_method: None,
            request_three_d_secure: RequestThreeDS::Automatic,
            network: None,
            return_url: None,
            authenticate_url: None,
            session_id: None,
            last_error: None,
            charge: None,
            amount_received: 0,
            canceled_at: None,
            cancellation_reason: None,
            description: None,
            customer: None,
            metadata: Vec::new(),
            usage: "off_session".into(),
            imported: None,
            error_on_requires_action: false,
        }
    }

    /// Authorizes (PaymentIntents) or sets up (SetupIntents) with the attached
    /// card, after 3DS where `three_d_secure` says what it did. The issuer
    /// declines the cards Stripe documents as declining (after authentication,
    /// where 3DS ran): then the intent returns to `requires_payment_method` and
    /// the error is `last_payment_error`.
    pub fn authorize(&mut self, three_d_secure: Option<Value>, now: u64) -> Result<(), StripeError> {
        let Some(pm) = self.payment_method.clone() else { return Err(self.missing_payment_method()) };
        let pan = pm.card.expose();
        let decline = cards::by_pan(pan).and_then(|card| card.decline_code);
        let network = self.network.clone().unwrap_or_else(|| cards::brand(pan).to_owned());
        let prefix = if self.kind == Kind::Payment { "ch" } else { "setatt" };
        let mut charge = Charge {
            id: new_id(prefix),
            approved: decline.is_none(),
            decline_code: decline.map(str::to_owned),
            captured: false,
            amount_captured: 0,
            refunded: false,
            three_d_secure,
            network,
            created: now,
        };
        self.authenticate_url = None;
        if let Some(code) = decline {
            let error = StripeError::card_declined(code).with("payment_method", pm.to_json());
            let error = if self.kind == Kind::Payment { error.with("charge", json!(charge.id)) } else { error };
            self.last_error = Some(error.to_value());
            self.status = Status::RequiresPaymentMethod;
            self.charge = Some(charge);
            return Err(error);
        }
        self.last_error = None;
        self.status = match (self.kind, self.manual_capture) {
            (Kind::Payment, true) => Status::RequiresCapture,
            (Kind::Payment, false) => {
                charge.captured = true;
                charge.amount_captured = self.amount;
                self.amount_received = self.amount;
                Status::Succeeded
            }
            (Kind::Setup, _) => Status::Succeeded,
        };
        self.charge = Some(charge);
        Ok(())
    }

    /// 3DS failed: back to `requires_payment_method` with Stripe's
    /// authentication failure (a SetupIntent keeps the failed attempt).
    pub fn fail_authentication(&mut self, three_d_secure: Value, now: u64) {
        let mut error = StripeError::authentication_failure(self.kind.display());
        if let Some(pm) = &self.payment_method {
            error = error.with("payment_method", pm.to_json());
        }
        self.last_error = Some(error.to_value());
        self.status = Status::RequiresPaymentMethod;
        self.authenticate_url = None;
        if self.kind == Kind::Setup {
            let network = self
                .network
                .clone()
                .unwrap_or_else(|| self.payment_method.as_ref().map_or("unknown", |pm| cards::brand(pm.card.expose())).to_owned());
            self.charge = Some(Charge {
                id: new_id("setatt"),
                approved: false,
                decline_code: None,
                captured: false,
                amount_captured: 0,
                refunded: false,
                three_d_secure: Some(three_d_secure),
                network,
                created: now,
            });
        }
    }

    /// Confirming without a payment method.
    pub fn missing_payment_method(&self) -> StripeError {
        let object = self.kind.display();
        StripeError::unexpected_state(
            &format!("{}_unexpected_state", self.kind.object()),
            format!(
                "You cannot confirm this {object} because it's missing a payment method. To confirm the {object} with a payment method, pass payment_method or payment_method_data."
            ),
        )
    }

    /// `next_action`: a redirect to the authentication page when there is a
    /// `return_url`, else Stripe.js's `use_stripe_sdk`.
    pub fn next_action(&self) -> Value {
        match (&self.status, &self.authenticate_url) {
            (Status::RequiresAction, Some(url)) => match &self.return_url {
                Some(return_url) => json!({"type": "redirect_to_url", "redirect_to_url": {"url": url, "return_url": return_url}}),
                None => json!({"type": "use_stripe_sdk", "use_stripe_sdk": {"type": "three_d_secure_redirect", "stripe_js": url}}),
            },
            _ => Value::Null,
        }
    }

    /// The charge object (PaymentIntents).
    pub fn charge_json(&self, charge: &Charge) -> Value {
        let pm = self.payment_method.as_ref();
        let failure_message = charge.decline_code.as_ref().map(|_| "Your card was declined.");
        let outcome = if charge.approved {
            json!({"network_status": "approved_by_network", "reason": null, "risk_level": "normal", "seller_message": "Payment complete.", "type": "authorized"})
        } else {
            json!({"network_status": "declined_by_network", "reason": charge.decline_code, "risk_level": "normal",
                   "seller_message": "The bank did not return any further details with this decline.", "type": "issuer_declined"})
        };
        json!({
            "id": charge.id,
            "object": "charge",
            "amount": self.amount,
            "amount_captured": charge.amount_captured,
            "amount_refunded": if charge.refunded { self.amount } else { 0 },
            "captured": charge.captured,
            "created": charge.created,
            "currency": self.currency,
            "customer": self.customer,
            "description": self.description,
            "failure_code": charge.decline_code.as_ref().map(|_| "card_declined"),
            "failure_message": failure_message,
            "livemode": false,
            "metadata": {},
            "outcome": outcome,
            "paid": charge.approved,
            "payment_intent": self.id,
            "payment_method": pm.map(|pm| pm.id.clone()),
            "payment_method_details": {"card": self.card_details(charge), "type": "card"},
            "refunded": charge.refunded,
            "status": if charge.approved { "succeeded" } else { "failed" },
        })
    }

    fn card_details(&self, charge: &Charge) -> Value {
        let pm = self.payment_method.as_ref();
        json!({
            "brand": pm.map(|pm| cards::brand(pm.card.expose())),
            "checks": {"address_line1_check": null, "address_postal_code_check": null, "cvc_check": "pass"},
            "country": "US",
            "exp_month": pm.map(|pm| pm.exp_month),
            "exp_year": pm.map(|pm| pm.exp_year),
            "funding": "credit",
            "last4": pm.map(|pm| pm.card.last4().to_owned()),
            "network": charge.network,
            "three_d_secure": charge.three_d_secure,
        })
    }

    /// The setup attempt object (SetupIntents).
    pub fn attempt_json(&self, attempt: &Charge) -> Value {
        json!({
            "id": attempt.id,
            "object": "setup_attempt",
            "created": attempt.created,
            "customer": self.customer,
            "livemode": false,
            "payment_method": self.payment_method.as_ref().map(|pm| pm.id.clone()),
            "payment_method_details": {"card": {"three_d_secure": attempt.three_d_secure}, "type": "card"},
            "setup_error": if attempt.approved { Value::Null } else { self.last_error.clone().unwrap_or(Value::Null) },
            "setup_intent": self.id,
            "status": if attempt.approved { "succeeded" } else { "failed" },
            "usage": self.usage,
        })
    }

    /// The whole object (secret key). `expand` names the fields to expand
    /// (`latest_charge`, `latest_attempt`, `payment_method`).
    pub fn to_json(&self, expand: &[String]) -> Value {
        let expanded = |name: &str| expand.iter().any(|e| e == name);
        let payment_method = match &self.payment_method {
            Some(pm) if expanded("payment_method") => pm.to_json(),
            Some(pm) => json!(pm.id),
            None => Value::Null,
        };
        let metadata: Map<String, Value> = self.metadata.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        let card_options = json!({"mandate_options": null, "network": self.network, "request_three_d_secure": self.request_three_d_secure.as_str()});
        match self.kind {
            Kind::Payment => {
                let latest_charge = match &self.charge {
                    Some(charge) if expanded("latest_charge") => self.charge_json(charge),
                    Some(charge) => json!(charge.id),
                    None => Value::Null,
                };
                let capturable = if self.status == Status::RequiresCapture { self.amount } else { 0 };
                json!({
                    "id": self.id,
                    "object": "payment_intent",
                    "amount": self.amount,
                    "amount_capturable": capturable,
                    "amount_details": {"tip": {}},
                    "amount_received": self.amount_received,
                    "application": null,
                    "application_fee_amount": null,
                    "automatic_payment_methods": null,
                    "canceled_at": self.canceled_at,
                    "cancellation_reason": self.cancellation_reason,
                    "capture_method": if self.manual_capture { "manual" } else { "automatic" },
                    "client_secret": self.client_secret,
                    "confirmation_method": "automatic",
                    "created": self.created,
                    "currency": self.currency,
                    "customer": self.customer,
                    "description": self.description,
                    "last_payment_error": self.last_error,
                    "latest_charge": latest_charge,
                    "livemode": false,
                    "metadata": metadata,
                    "next_action": self.next_action(),
                    "on_behalf_of": null,
                    "payment_method": payment_method,
                    "payment_method_options": {"card": card_options},
                    "payment_method_types": ["card"],
                    "processing": null,
                    "receipt_email": null,
                    "review": null,
                    "setup_future_usage": null,
                    "shipping": null,
                    "source": null,
                    "statement_descriptor": null,
                    "statement_descriptor_suffix": null,
                    "status": self.status.as_str(),
                    "transfer_data": null,
                    "transfer_group": null,
                })
            }
            Kind::Setup => {
                let latest_attempt = match &self.charge {
                    Some(attempt) if expanded("latest_attempt") => self.attempt_json(attempt),
                    Some(attempt) => json!(attempt.id),
                    None => Value::Null,
                };
                json!({
                    "id": self.id,
                    "object": "setup_intent",
                    "application": null,
                    "cancellation_reason": self.cancellation_reason,
                    "client_secret": self.client_secret,
                    "created": self.created,
                    "customer": self.customer,
                    "description": self.description,
                    "flow_directions": null,
                    "last_setup_error": self.last_error,
                    "latest_attempt": latest_attempt,
                    "livemode": false,
                    "mandate": null,
                    "metadata": metadata,
                    "next_action": self.next_action(),
                    "on_behalf_of": null,
                    "payment_method": payment_method,
                    "payment_method_options": {"card": card_options},
                    "payment_method_types": ["card"],
                    "single_use_mandate": null,
                    "status": self.status.as_str(),
                    "usage": self.usage,
                })
            }
        }
    }

    /// The object a publishable key reads with the client secret: what Stripe.js
    /// sees (no customer, metadata, charges or payment method options).
    pub fn to_publishable_json(&self) -> Value {
        const PAYMENT: [&str; 21] = [
            "id",
            "object",
            "amount",
            "amount_details",
            "automatic_payment_methods",
            "canceled_at",
            "cancellation_reason",
            "capture_method",
            "client_secret",
            "confirmation_method",
            "created",
            "currency",
            "description",
            "last_payment_error",
            "livemode",
            "next_action",
            "payment_method",
            "payment_method_types",
            "processing",
            "setup_future_usage",
            "status",
        ];
        const SETUP: [&str; 13] = [
            "id",
            "object",
            "cancellation_reason",
            "client_secret",
            "created",
            "description",
            "last_setup_error",
            "livemode",
            "next_action",
            "payment_method",
            "payment_method_types",
            "status",
            "usage",
        ];
        let keep: &[&str] = match self.kind {
            Kind::Payment => &PAYMENT,
            Kind::Setup => &SETUP,
        };
        let Value::Object(full) = self.to_json(&[]) else { return Value::Null };
        Value::Object(full.into_iter().filter(|(key, _)| keep.contains(&key.as_str())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intent() -> Intent {
        let mut intent = Intent::new(Kind::Payment, 1_700_000_000);
        intent.amount = 2000;
        intent.currency = "eur".into();
        intent.customer = Some("cus_1".into());
        intent.metadata = vec![("order".into(), "42".into())];
        intent.payment_method =
            Some(PaymentMethod { id: "pm_card_visa".into(), card: CardNumber::new("4242424242424242"), exp_month: 12, exp_year: 2034, created: 1 });
        intent
    }

    #[test]
    fn ids_and_secrets() {
        let intent = intent();
        assert!(intent.id.starts_with("pi_") && intent.id.len() == 27, "{}", intent.id);
        assert!(intent.client_secret.starts_with(&format!("{}_secret_", intent.id)));
        assert!(Intent::new(Kind::Setup, 0).id.starts_with("seti_"));
    }

    #[test]
    fn the_publishable_object_is_reduced() {
        let mut intent = intent();
        intent.status = Status::RequiresAction;
        intent.return_url = Some("https://shop.example/return".into());
        intent.authenticate_url = Some("http://127.0.0.1/stripe/redirect".into());
        let full = intent.to_json(&[]);
        assert_eq!(full["customer"], "cus_1");
        assert_eq!(full["metadata"]["order"], "42");
        assert_eq!(full["next_action"]["type"], "redirect_to_url");
        assert_eq!(full["next_action"]["redirect_to_url"]["return_url"], "https://shop.example/return");
        let reduced = intent.to_publishable_json();
        assert_eq!(reduced["status"], "requires_action");
        assert_eq!(reduced["client_secret"], intent.client_secret.as_str());
        assert_eq!(reduced["next_action"], full["next_action"]);
        for hidden in ["customer", "metadata", "latest_charge", "payment_method_options", "amount_received"] {
            assert!(reduced.get(hidden).is_none(), "{hidden}");
        }
        // Without a return_url, Stripe.js handles the action.
        intent.return_url = None;
        assert_eq!(intent.to_json(&[])["next_action"]["type"], "use_stripe_sdk");
    }

    #[test]
    fn statuses_allow_what_stripe_allows() {
        assert!(Status::RequiresCapture.cancelable(Kind::Payment));
        assert!(!Status::Succeeded.cancelable(Kind::Payment));
        assert!(!Status::Succeeded.cancelable(Kind::Setup));
        assert!(Status::RequiresAction.confirmable());
        assert!(!Status::RequiresCapture.confirmable());
    }

    #[test]
    fn the_payment_method_never_shows_the_number() {
        let intent = intent();
        let text = format!("{:?} {}", intent, intent.to_json(&["payment_method".into()]));
        assert!(!text.contains("4242424242424242"), "{text}");
    }
}
