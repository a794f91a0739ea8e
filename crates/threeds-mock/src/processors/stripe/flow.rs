//! Stripe's decisions, pure: whether confirming a card needs 3-D Secure, what an
//! authentication's outcome means for the payment, and when liability shifts.

use threeds_protocol::TransStatus;

use super::cards::{self, ThreeDSUsage};

/// `payment_method_options[card][request_three_d_secure]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestThreeDS {
    /// Stripe asks for 3DS when the card (the issuer, a regulation) requires it.
    Automatic,
    /// 3DS whenever the card supports it.
    Any,
    /// 3DS with a challenge asked for (the issuer still decides).
    Challenge,
}

impl RequestThreeDS {
    /// The parameter's values.
    pub const VALUES: [&'static str; 3] = ["automatic", "any", "challenge"];

    /// From the parameter's value.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "automatic" => Some(Self::Automatic),
            "any" => Some(Self::Any),
            "challenge" => Some(Self::Challenge),
            _ => None,
        }
    }

    /// The parameter's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Automatic => "automatic",
            Self::Any => "any",
            Self::Challenge => "challenge",
        }
    }

    /// The session API's challenge preference for the AReq.
    pub fn challenge_preference(self) -> &'static str {
        match self {
            Self::Challenge => "challenge-requested",
            _ => "no-preference",
        }
    }
}

/// What confirming does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Authorize (or set up) now, without 3DS.
    Proceed,
    /// Authorize with the imported 3DS result.
    ProceedWithImport,
    /// The cardholder must authenticate first (`requires_action`).
    Authenticate,
    /// Authentication is needed but the request forbids it (`error_on_requires_action`).
    AuthenticationRequired,
}

/// Whether confirming the card `pan` runs 3DS.
pub fn next(pan: &str, request: RequestThreeDS, imported: bool, error_on_requires_action: bool) -> Next {
    if imported {
        return Next::ProceedWithImport;
    }
    let runs = match cards::usage(pan) {
        ThreeDSUsage::NotSupported => false,
        ThreeDSUsage::Required => true,
        ThreeDSUsage::Supported => request != RequestThreeDS::Automatic,
    };
    match (runs, error_on_requires_action) {
        (false, _) => Next::Proceed,
        (true, false) => Next::Authenticate,
        (true, true) => Next::AuthenticationRequired,
    }
}

/// An authentication's outcome as Stripe reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// `three_d_secure.result`.
    pub result: &'static str,
    /// `three_d_secure.result_reason`.
    pub result_reason: Option<&'static str>,
    /// Whether the payment goes on to authorization; otherwise the intent
    /// returns to `requires_payment_method` with an authentication failure.
    pub proceed: bool,
}

/// The verdict on a final transStatus (`cancelled`: the cardholder chose Cancel).
///
/// As Stripe documents: a successful or attempted authentication goes on to the
/// charge; a failed one returns the intent to `requires_payment_method`; when
/// 3DS is unavailable or errs, the payment proceeds without authentication.
pub fn verdict(status: TransStatus, cancelled: bool) -> Verdict {
    let verdict = |result, result_reason, proceed| Verdict { result, result_reason, proceed };
    match status {
        TransStatus::Authenticated => verdict("authenticated", None, true),
        TransStatus::Attempted => verdict("attempt_acknowledged", None, true),
        TransStatus::NotAuthenticated if cancelled => verdict("failed", Some("canceled"), false),
        TransStatus::NotAuthenticated => verdict("failed", None, false),
        TransStatus::Rejected => verdict("failed", Some("rejected"), false),
        _ => verdict("processing_error", None, true),
    }
}

/// The verdict when 3DS could not run (the Directory Server or the ACS failed).
pub fn protocol_error() -> Verdict {
    Verdict { result: "processing_error", result_reason: Some("protocol_error"), proceed: true }
}

/// Whether liability shifts to the issuer: after a successful authentication,
/// and (as Stripe documents) when the card is not enrolled and the network
/// attests the attempt; not when 3DS failed, erred or did not run.
pub fn liability_shifted(result: &str) -> bool {
    matches!(result, "authenticated" | "attempt_acknowledged")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_3ds_runs() {
        use RequestThreeDS::*;
        assert_eq!(next("4000002760003184", Automatic, false, false), Next::Authenticate);
        assert_eq!(next("4000002760003184", Automatic, false, true), Next::AuthenticationRequired);
        assert_eq!(next("4000002760003184", Automatic, true, true), Next::ProceedWithImport);
        assert_eq!(next("4242424242424242", Automatic, false, false), Next::Proceed);
        assert_eq!(next("4242424242424242", Any, false, false), Next::Authenticate);
        assert_eq!(next("4000000000003055", Challenge, false, false), Next::Authenticate);
        assert_eq!(next("378282246310005", Any, false, false), Next::Proceed, "not supported: the payment goes on");
        assert_eq!(next("4000020000000000", Automatic, false, false), Next::Authenticate, "a card of the test-card table");
        assert_eq!(RequestThreeDS::parse("challenge").map(RequestThreeDS::challenge_preference), Some("challenge-requested"));
    }

    #[test]
    fn verdicts_and_liability() {
        let y = verdict(TransStatus::Authenticated, false);
        assert!(y.proceed && liability_shifted(y.result));
        let a = verdict(TransStatus::Attempted, false);
        assert_eq!(a.result, "attempt_acknowledged");
        assert!(a.proceed && liability_shifted(a.result));
        let cancelled = verdict(TransStatus::NotAuthenticated, true);
        assert_eq!((cancelled.result, cancelled.result_reason, cancelled.proceed), ("failed", Some("canceled"), false));
        assert_eq!(verdict(TransStatus::Rejected, false).result_reason, Some("rejected"));
        let unavailable = verdict(TransStatus::Unavailable, false);
        assert!(unavailable.proceed && !liability_shifted(unavailable.result));
        assert!(!liability_shifted(protocol_error().result));
        assert!(!liability_shifted("failed"));
    }
}
