//! The typed, versioned messages between the embed (on the checkout page) and the
//! SDK host frame (on our origin). Their wire form is their serde form; both sides
//! write and read it by hand in the browser (the embed is built without serde, and
//! both wasm modules are size-budgeted); round-trip tests hold the three together.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// Every message carries this `protocol` value...
pub const PROTOCOL: &str = "threeds-web";
/// ...and this `version`; anything else is ignored as foreign. Version 2: reports
/// carry each flow's result and each event's detail ready made (`resolved`, `event`).
pub const VERSION: u8 = 2;

/// A flow: one call of a client (`createSession`, `challenge`, ...), numbered per client.
pub type FlowId = u32;

/// The checkout page's embed tells its host frame what to do. `Debug` leaves the
/// options out, so a logged command never shows a card number or a secret.
#[derive(Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "kebab-case", rename_all_fields = "camelCase"))]
pub enum Command {
    /// A call of the page (`createSession`, `startChallenge`, `runMethod`,
    /// `challenge`, `collectBrowserInfo`, `presentAuthentication`): its options
    /// object, forwarded as JSON text (with the client's `apiBaseUrl` and
    /// `publishableKey` for the session API's calls), is read and checked by the
    /// host ([`crate::calls`], feature `serde`).
    Call {
        /// The flow this command starts.
        flow: FlowId,
        /// The call's JS name.
        call: String,
        /// The page's options object, as `JSON.stringify` wrote it.
        options: String,
        /// The resolved window size code (`01`..`05`) of a call shown in a frame.
        window_size: Option<String>,
        /// The method's wait (`createSession`, `runMethod`), ms.
        method_timeout_ms: u32,
    },
    /// Stop the flow and remove its frames.
    Cancel {
        /// The flow to stop.
        flow: FlowId,
    },
    /// Say `ready` again. A host frame the checkout page declared in its HTML
    /// starts before any script of the page listens, so its first `ready` may be
    /// lost; the page's script sends this when it takes the frame.
    Hello,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The options may carry a card number or a processor's client secret.
            Self::Call { flow, call, .. } => f.debug_struct("Call").field("flow", flow).field("call", call).finish_non_exhaustive(),
            Self::Cancel { flow } => f.debug_struct("Cancel").field("flow", flow).finish(),
            Self::Hello => f.write_str("Hello"),
        }
    }
}

/// The host frame reports to the embed. On the wire (its `Serialize`), a report is
/// one of six kinds, so the embed settles and emits without reading any result
/// field by field:
///
/// - `{kind: "ready"}`;
/// - `{kind: "event", flow, name, detail}`: `method-started` (`detail: {flow}`) and
///   `method-completed` (`detail: {flow, indicator, ms}`);
/// - `{kind: "challenge-shown", flow}` and `{kind: "cancel-requested", flow}`;
/// - `{kind: "resolved", flow, value, event?}`: the promise resolves with `value`
///   (the object the page gets), then `event` fires with it;
/// - `{kind: "failed", flow, code, message}`, plus an ACS Erro's `errorCode`,
///   `errorComponent` and `errorDescription` for `acs_error`.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    /// The host app is listening.
    Ready,
    /// The 3DS Method iframe was posted.
    MethodStarted {
        /// The flow reported on.
        flow: FlowId,
    },
    /// The 3DS Method ended.
    MethodCompleted {
        /// The flow reported on.
        flow: FlowId,
        /// Y, N or U.
        indicator: String,
        /// How long it took.
        ms: u32,
    },
    /// The ACS page is showing in the challenge frame.
    ChallengeShown {
        /// The flow reported on.
        flow: FlowId,
    },
    /// The cardholder pressed Escape inside the host frame.
    CancelRequested {
        /// The flow reported on.
        flow: FlowId,
    },
    /// Completion of `createSession`: settles its promise.
    SessionCreated {
        /// The flow reported on.
        flow: FlowId,
        /// The new session.
        session_id: String,
        /// Its 3DS Server transaction ID.
        three_ds_server_trans_id: String,
        /// Y, N or U: how the 3DS Method ended.
        method_completion_indicator: String,
        /// The version the AReq will use.
        recommended_version: String,
        /// The card scheme's display name, when known.
        card_brand: Option<String>,
    },
    /// Completion of `startChallenge`: settles its promise.
    ChallengeCompleted {
        /// The flow reported on.
        flow: FlowId,
        /// The session the challenge belonged to.
        session_id: String,
        /// Its 3DS Server transaction ID.
        three_ds_server_trans_id: String,
        /// The ACS's transaction ID.
        acs_transaction_id: String,
        /// The final CRes's `transStatus`.
        trans_status: String,
    },
    /// Completion of `runMethod`.
    MethodFinished {
        /// The flow reported on.
        flow: FlowId,
        /// Y (the notification named the transaction) or N (timeout).
        indicator: String,
    },
    /// Completion of `challenge`: the final CRes, as the ACS wrote it.
    ChallengeFinished {
        /// The flow reported on.
        flow: FlowId,
        /// The decoded final CRes, as JSON text.
        cres: String,
    },
    /// Completion of `collectBrowserInfo`.
    BrowserInfo {
        /// The flow reported on.
        flow: FlowId,
        /// The EMV browser fields, as JSON text.
        fields: String,
    },
    /// Completion of `presentAuthentication`: the processor's page navigated the
    /// frame to the return page.
    Returned {
        /// The flow reported on.
        flow: FlowId,
        /// The return page's URL, without its query.
        return_url: String,
        /// Its query parameters (first value of each name), as a JSON object text.
        params: String,
    },
    /// The flow failed: settles its promise with a typed error.
    Failed {
        /// The flow reported on.
        flow: FlowId,
        /// What kind of failure.
        code: ErrorCode,
        /// For people.
        message: String,
        /// The ACS's Erro, for `acs_error` only: its fields sit beside `code` and
        /// `message` on the wire, as on the rejected promise's error.
        acs: Option<Box<AcsErroDetail>>,
    },
}

/// What an `acs_error` carries from the Erro the ACS ended the challenge with:
/// the properties of the rejected promise's error of the same names.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct AcsErroDetail {
    /// The Erro's `errorCode`, e.g. `403`.
    pub error_code: String,
    /// The Erro's `errorComponent`, e.g. `A`.
    pub error_component: String,
    /// The Erro's `errorDescription`.
    pub error_description: String,
}

impl Report {
    /// A failure without an ACS Erro.
    pub fn failed(flow: FlowId, code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Failed { flow, code, message: message.into(), acs: None }
    }

    /// The flow a report belongs to (`Ready` belongs to none).
    pub fn flow(&self) -> Option<FlowId> {
        match self {
            Self::Ready => None,
            Self::MethodStarted { flow }
            | Self::MethodCompleted { flow, .. }
            | Self::ChallengeShown { flow }
            | Self::CancelRequested { flow }
            | Self::SessionCreated { flow, .. }
            | Self::ChallengeCompleted { flow, .. }
            | Self::MethodFinished { flow, .. }
            | Self::ChallengeFinished { flow, .. }
            | Self::BrowserInfo { flow, .. }
            | Self::Returned { flow, .. }
            | Self::Failed { flow, .. } => Some(*flow),
        }
    }

    /// The wire `kind`: `ready`, `event`, `challenge-shown`, `cancel-requested`,
    /// `resolved` or `failed`.
    pub fn wire_kind(&self) -> &'static str {
        match self {
            Self::Ready => "ready",
            Self::MethodStarted { .. } | Self::MethodCompleted { .. } => "event",
            Self::ChallengeShown { .. } => "challenge-shown",
            Self::CancelRequested { .. } => "cancel-requested",
            Self::Failed { .. } => "failed",
            Self::SessionCreated { .. }
            | Self::ChallengeCompleted { .. }
            | Self::MethodFinished { .. }
            | Self::ChallengeFinished { .. }
            | Self::BrowserInfo { .. }
            | Self::Returned { .. } => "resolved",
        }
    }

    /// The page's event for this report: an `event`'s name, or the event that
    /// fires with a `resolved` value once the promise has settled.
    pub fn page_event(&self) -> Option<&'static str> {
        match self {
            Self::MethodStarted { .. } => Some("method-started"),
            Self::MethodCompleted { .. } => Some("method-completed"),
            Self::ChallengeCompleted { .. } | Self::ChallengeFinished { .. } => Some("challenge-completed"),
            Self::Returned { .. } => Some("returned"),
            _ => None,
        }
    }

    /// Whether this report settles its flow's promise.
    pub fn is_completion(&self) -> bool {
        matches!(self.wire_kind(), "resolved" | "failed")
    }
}

/// The wire form (see [`Report`]). The JSON texts a report holds (a CRes, the
/// browser fields, a return page's query) are embedded as the objects they are.
#[cfg(feature = "serde")]
impl Serialize for Report {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeMap};
        use serde_json::{Value, json};
        let object = |text: &str| match serde_json::from_str::<Value>(text) {
            Ok(value @ Value::Object(_)) => Ok(value),
            _ => Err(S::Error::custom("a report's JSON text is not an object")),
        };
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("kind", self.wire_kind())?;
        if let Some(flow) = self.flow() {
            map.serialize_entry("flow", &flow)?;
        }
        let value = match self {
            Self::Ready | Self::ChallengeShown { .. } | Self::CancelRequested { .. } => None,
            Self::MethodStarted { flow } => {
                map.serialize_entry("name", "method-started")?;
                map.serialize_entry("detail", &json!({ "flow": flow }))?;
                None
            }
            Self::MethodCompleted { flow, indicator, ms } => {
                map.serialize_entry("name", "method-completed")?;
                map.serialize_entry("detail", &json!({ "flow": flow, "indicator": indicator, "ms": ms }))?;
                None
            }
            Self::SessionCreated { session_id, three_ds_server_trans_id, method_completion_indicator, recommended_version, card_brand, .. } => {
                let mut value = json!({
                    "sessionId": session_id,
                    "threeDSServerTransId": three_ds_server_trans_id,
                    "methodCompletionIndicator": method_completion_indicator,
                    "recommendedVersion": recommended_version,
                });
                if let Some(brand) = card_brand {
                    value["cardBrand"] = json!(brand);
                }
                Some(value)
            }
            Self::ChallengeCompleted { session_id, three_ds_server_trans_id, acs_transaction_id, trans_status, .. } => Some(json!({
                "sessionId": session_id,
                "transStatus": trans_status,
                "acsTransactionId": acs_transaction_id,
                "threeDSServerTransId": three_ds_server_trans_id,
            })),
            Self::MethodFinished { indicator, .. } => Some(json!({ "threeDSCompInd": indicator })),
            Self::ChallengeFinished { cres: text, .. } | Self::BrowserInfo { fields: text, .. } => Some(object(text)?),
            Self::Returned { return_url, params, .. } => Some(json!({ "returnUrl": return_url, "params": object(params)? })),
            Self::Failed { code, message, acs, .. } => {
                map.serialize_entry("code", code)?;
                map.serialize_entry("message", message)?;
                if let Some(acs) = acs {
                    map.serialize_entry("errorCode", &acs.error_code)?;
                    map.serialize_entry("errorComponent", &acs.error_component)?;
                    map.serialize_entry("errorDescription", &acs.error_description)?;
                }
                None
            }
        };
        if let Some(value) = value {
            map.serialize_entry("value", &value)?;
            if let Some(event) = self.page_event() {
                map.serialize_entry("event", event)?;
            }
        }
        map.end()
    }
}

/// A message with its protocol and version stamped on.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Envelope<T> {
    /// Always [`PROTOCOL`] for ours.
    pub protocol: String,
    /// [`VERSION`] for this build.
    pub version: u8,
    /// The command or report.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub body: T,
}

impl<T> Envelope<T> {
    /// Wraps a message for posting.
    pub fn new(body: T) -> Self {
        Self { protocol: PROTOCOL.to_owned(), version: VERSION, body }
    }

    /// The message, if the envelope is ours and of this version.
    pub fn open(self) -> Result<T, Ignored> {
        if self.protocol != PROTOCOL {
            return Err(Ignored::Foreign);
        }
        if self.version != VERSION {
            return Err(Ignored::Version(self.version));
        }
        Ok(self.body)
    }
}

/// The typed error codes a promise rejects with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ErrorCode {
    /// An option is missing or malformed.
    InvalidArgument,
    /// The host frame did not become ready.
    HostUnavailable,
    /// The session API could not be reached.
    Network,
    /// The session API refused the request.
    ApiError,
    /// The challenge did not end within `timeoutMs`.
    ChallengeTimeout,
    /// `cancel()`, the Cancel button or Escape.
    Cancelled,
    /// `destroy()` was called.
    Destroyed,
    /// Another flow of this client is running.
    Busy,
    /// The ACS ended the challenge with an Erro (its errorCode, errorComponent and
    /// errorDescription are properties of the error).
    AcsError,
}

impl ErrorCode {
    /// Every code.
    pub const ALL: [Self; 9] = [
        Self::InvalidArgument,
        Self::HostUnavailable,
        Self::Network,
        Self::ApiError,
        Self::ChallengeTimeout,
        Self::Cancelled,
        Self::Destroyed,
        Self::Busy,
        Self::AcsError,
    ];

    /// The code of a wire form, if it is one.
    pub fn parse(code: &str) -> Option<Self> {
        // A loop over `ALL` would do; a match is smaller in the host app's wasm.
        Some(match code {
            "invalid_argument" => Self::InvalidArgument,
            "host_unavailable" => Self::HostUnavailable,
            "network" => Self::Network,
            "api_error" => Self::ApiError,
            "challenge_timeout" => Self::ChallengeTimeout,
            "cancelled" => Self::Cancelled,
            "destroyed" => Self::Destroyed,
            "busy" => Self::Busy,
            "acs_error" => Self::AcsError,
            _ => return None,
        })
    }

    /// The wire form, as in the `code` of a rejected promise.
    pub fn as_str(self) -> &'static str {
        const NAMES: [&str; 9] =
            ["invalid_argument", "host_unavailable", "network", "api_error", "challenge_timeout", "cancelled", "destroyed", "busy", "acs_error"];
        NAMES[self as usize]
    }
}

/// Why a message was not acted on (reported as a debug event, never settling anything).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ignored {
    /// Not from the expected origin.
    Origin(String),
    /// From the right origin but not from the expected window.
    Source,
    /// Not a message of this protocol.
    Foreign,
    /// Our protocol, another version.
    Version(u8),
    /// Ours but not well-formed.
    Malformed(String),
    /// For a flow (or transaction) that is not this listener's.
    OtherFlow,
    /// For a flow already settled.
    Duplicate,
}

impl std::fmt::Display for Ignored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Origin(origin) => write!(f, "message from unexpected origin {origin}"),
            Self::Source => f.write_str("message from an unexpected window"),
            Self::Foreign => f.write_str("not a threeds-web message"),
            Self::Version(v) => write!(f, "threeds-web message of unsupported version {v}"),
            Self::Malformed(why) => write!(f, "malformed threeds-web message: {why}"),
            Self::OtherFlow => f.write_str("message for another flow or transaction"),
            Self::Duplicate => f.write_str("duplicate message for a settled flow"),
        }
    }
}

/// The first checks on any incoming message: exact origin, then exact source window.
/// (`source_matches` is computed by the DOM glue: `event.source === expected window`.)
pub fn check_sender(origin: &str, expected_origin: &str, source_matches: bool) -> Result<(), Ignored> {
    if origin != expected_origin {
        return Err(Ignored::Origin(origin.chars().take(100).collect()));
    }
    if !source_matches {
        return Err(Ignored::Source);
    }
    Ok(())
}

/// The origin (`scheme://host[:port]`) of an absolute URL, as `event.origin` spells it.
pub fn origin_of(url: &str) -> Option<String> {
    // Byte loops and `strip_prefix`, not `split_once` / `find`: the substring and
    // memchr searchers would add kilobytes to the size-budgeted host app.
    let (scheme, rest) = match url.strip_prefix("https://") {
        Some(rest) => ("https", rest),
        None => ("http", url.strip_prefix("http://")?),
    };
    let end = rest.bytes().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len());
    let authority = rest.get(..end)?;
    if authority.is_empty() || authority.bytes().any(|b| b == b'@') {
        return None;
    }
    let default_port = if scheme == "http" { ":80" } else { ":443" };
    let authority = authority.strip_suffix(default_port).unwrap_or(authority);
    Some(format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(feature = "serde")]
    use serde_json::json;

    #[test]
    fn a_command_never_prints_its_options() {
        let command = Command::Call {
            flow: 1,
            call: "createSession".into(),
            options: r#"{"pan":"4000020000000000"}"#.into(),
            window_size: None,
            method_timeout_ms: 10_000,
        };
        let printed = format!("{command:?}");
        assert!(!printed.contains("4000020000000000") && printed.contains("createSession"), "{printed}");
    }

    #[test]
    #[cfg(feature = "serde")]
    fn commands_and_reports_have_a_stable_wire_shape() {
        let command = Envelope::new(Command::Cancel { flow: 3 });
        assert_eq!(serde_json::to_value(&command).unwrap(), json!({"protocol": "threeds-web", "version": 2, "kind": "cancel", "flow": 3}));
        // As preload.js writes it, by hand.
        let hello = Envelope::new(Command::Hello);
        assert_eq!(serde_json::to_value(&hello).unwrap(), json!({"protocol": "threeds-web", "version": 2, "kind": "hello"}));
        let wire = |report: Report| serde_json::to_value(Envelope::new(report)).unwrap();
        assert_eq!(wire(Report::Ready), json!({"protocol": "threeds-web", "version": 2, "kind": "ready"}));
        assert_eq!(
            wire(Report::MethodCompleted { flow: 1, indicator: "Y".into(), ms: 120 }),
            json!({"protocol": "threeds-web", "version": 2, "kind": "event", "flow": 1, "name": "method-completed",
                "detail": {"flow": 1, "indicator": "Y", "ms": 120}})
        );
        assert_eq!(
            wire(Report::SessionCreated {
                flow: 1,
                session_id: "sess_1".into(),
                three_ds_server_trans_id: "t".into(),
                method_completion_indicator: "Y".into(),
                recommended_version: "2.2.0".into(),
                card_brand: None,
            }),
            json!({"protocol": "threeds-web", "version": 2, "kind": "resolved", "flow": 1, "value": {"sessionId": "sess_1",
                "threeDSServerTransId": "t", "methodCompletionIndicator": "Y", "recommendedVersion": "2.2.0"}})
        );
        assert_eq!(
            wire(Report::Returned { flow: 4, return_url: "https://sdk.example/return.html".into(), params: r#"{"source":"src_1"}"#.into() }),
            json!({"protocol": "threeds-web", "version": 2, "kind": "resolved", "flow": 4, "event": "returned",
                "value": {"returnUrl": "https://sdk.example/return.html", "params": {"source": "src_1"}}})
        );
        assert_eq!(
            wire(Report::failed(2, ErrorCode::ChallengeTimeout, "m")),
            json!({"protocol": "threeds-web", "version": 2, "kind": "failed", "flow": 2, "code": "challenge_timeout", "message": "m"})
        );
        assert!(serde_json::to_value(Envelope::new(Report::BrowserInfo { flow: 1, fields: "[1]".into() })).is_err(), "a JSON text is an object");
    }

    #[test]
    #[cfg(feature = "serde")]
    fn foreign_and_other_versions_are_not_opened() {
        let foreign: Envelope<Command> = serde_json::from_value(json!({"protocol": "other", "version": 2, "kind": "cancel", "flow": 1})).unwrap();
        assert_eq!(foreign.open(), Err(Ignored::Foreign));
        let old: Envelope<Command> = serde_json::from_value(json!({"protocol": "threeds-web", "version": 1, "kind": "cancel", "flow": 1})).unwrap();
        assert_eq!(old.open(), Err(Ignored::Version(1)));
        assert!(serde_json::from_value::<Envelope<Command>>(json!({"protocol": "threeds-web", "version": 2, "kind": "nope"})).is_err());
    }

    #[test]
    #[cfg(feature = "serde")]
    fn error_codes_parse_their_serde_form() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), json!(code.as_str()));
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::parse("nope"), None);
    }

    #[test]
    #[cfg(feature = "serde")]
    fn an_acs_error_carries_the_erro_fields_and_other_failures_do_not() {
        let acs = AcsErroDetail { error_code: "403".into(), error_component: "A".into(), error_description: "Transient system failure".into() };
        let report = Envelope::new(Report::Failed { flow: 4, code: ErrorCode::AcsError, message: "m".into(), acs: Some(Box::new(acs)) });
        let wire = json!({"protocol": "threeds-web", "version": 2, "kind": "failed", "flow": 4, "code": "acs_error", "message": "m",
            "errorCode": "403", "errorComponent": "A", "errorDescription": "Transient system failure"});
        assert_eq!(serde_json::to_value(&report).unwrap(), wire);
        let plain = serde_json::to_value(Envelope::new(Report::failed(4, ErrorCode::Network, "m"))).unwrap();
        assert!(plain.get("errorCode").is_none(), "{plain}");
    }

    #[test]
    fn completions_are_known() {
        assert!(Report::failed(1, ErrorCode::Cancelled, "").is_completion());
        assert!(!Report::MethodStarted { flow: 1 }.is_completion());
        assert_eq!(Report::Ready.flow(), None);
    }

    #[test]
    fn a_completion_resolves_or_fails_and_nothing_else_does() {
        let samples = [
            Report::Ready,
            Report::MethodStarted { flow: 1 },
            Report::MethodFinished { flow: 1, indicator: "Y".into() },
            Report::ChallengeFinished { flow: 1, cres: "{}".into() },
            Report::ChallengeShown { flow: 1 },
            Report::failed(1, ErrorCode::Busy, "m"),
        ];
        for report in samples {
            assert_eq!(report.is_completion(), matches!(report.wire_kind(), "resolved" | "failed"), "{report:?}");
        }
        assert_eq!(Report::ChallengeFinished { flow: 1, cres: "{}".into() }.page_event(), Some("challenge-completed"));
        assert_eq!(Report::MethodFinished { flow: 1, indicator: "Y".into() }.page_event(), None);
    }

    #[test]
    fn sender_checks_and_origins() {
        assert_eq!(check_sender("http://127.0.0.1:8181", "http://127.0.0.1:8181", true), Ok(()));
        assert!(matches!(check_sender("http://evil.example", "http://127.0.0.1:8181", true), Err(Ignored::Origin(_))));
        assert_eq!(check_sender("http://127.0.0.1:8181", "http://127.0.0.1:8181", false), Err(Ignored::Source));
        assert_eq!(origin_of("http://127.0.0.1:8181/3ds/x?y#z").as_deref(), Some("http://127.0.0.1:8181"));
        assert_eq!(origin_of("https://Shop.Example:443/a").as_deref(), Some("https://shop.example"));
        assert_eq!(origin_of("http://localhost:8080").as_deref(), Some("http://localhost:8080"));
        assert_eq!(origin_of("javascript:alert(1)"), None);
        assert_eq!(origin_of("http://user@host/"), None);
    }
}
