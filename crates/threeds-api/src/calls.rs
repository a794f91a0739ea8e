//! Every call the embed forwards: the session API's (`createSession`,
//! `startChallenge`) and the backend-agnostic ones (`runMethod`, `challenge`,
//! `collectBrowserInfo`, `presentAuthentication`): their options as the page
//! passes them, and the rules that turn them into a [`Call`] for the SDK host frame. The embed forwards the
//! options object as JSON text ([`crate::Command::Call`]); the host reads it here,
//! so every rule lives once and is tested natively. A broken rule is a message
//! that names the option.

use threeds_protocol::MessageVersion;
use threeds_protocol::members::{Member, Members};

/// The calls the embed forwards, by their JS name.
pub const CALLS: [&str; 6] = ["createSession", "startChallenge", "runMethod", "challenge", "collectBrowserInfo", "presentAuthentication"];

/// The options object's fields, read by name (the page's own names: EMV's for
/// the 3DS fields). Fields the host does not read (`container`, `mode`,
/// `windowSize`, `timeoutMs`: the embed's) are left alone.
/// (Read as [`Members`]: the SDK host app's wasm carries no `serde_json::Value`.)
struct Options<'a>(Members<'a>);

impl<'a> Options<'a> {
    fn parse(call: &str, json: &'a str) -> Result<Self, String> {
        Members::parse(json).map(Self).map_err(|_| format!("{call} options must be an object"))
    }

    /// A string option; absent and null are `None`.
    fn string(&self, name: &str) -> Result<Option<String>, String> {
        match self.0.get(name) {
            None | Some(Member::Null) => Ok(None),
            Some(member) => member.text().map(Some).ok_or_else(|| format!("{name} must be a string")),
        }
    }

    fn required(&self, name: &str) -> Result<String, String> {
        self.string(name)?.filter(|v| !v.is_empty()).ok_or_else(|| format!("{name} is required"))
    }
}

/// A call, checked: what the host runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    /// Collect device data, create a session of the session API, run its 3DS Method.
    CreateSession {
        /// The session API's base URL (the client's `apiBaseUrl`).
        api_base_url: String,
        /// The client's publishable key.
        publishable_key: String,
        /// The card: a number (test keys only) or a vault token.
        card: Card,
    },
    /// Challenge a session of the session API in the challenge frame.
    StartChallenge {
        /// The session API's base URL (the client's `apiBaseUrl`).
        api_base_url: String,
        /// The client's publishable key.
        publishable_key: String,
        /// The session (one URL path segment).
        session_id: String,
        /// The 3DS Server's transaction ID, when the page knows it.
        trans_id: Option<String>,
        /// The ACS URL the CReq goes to.
        acs_url: String,
        /// The ARes's `acsTransID`.
        acs_trans_id: String,
        /// The ARes's `messageVersion`.
        version: MessageVersion,
    },
    /// Post `threeDSMethodData` to `method_url` in a hidden frame; wait for the
    /// notification naming `trans_id`. No method URL: U at once.
    RunMethod {
        /// The ACS's method URL.
        method_url: Option<String>,
        /// The transaction the notification must name.
        trans_id: String,
        /// The `threeDSMethodData` field to post (written from the notification URL, or given).
        method_data: MethodData,
    },
    /// Post a CReq to `acs_url` in the challenge frame; wait for the final CRes.
    Challenge {
        /// The ACS URL.
        acs_url: String,
        /// The CReq: given, or to be written.
        creq: CReqSource,
        /// `threeDSSessionData`, posted beside it.
        session_data: Option<String>,
    },
    /// Read this browser's EMV fields for `version`.
    CollectBrowserInfo {
        /// The protocol version.
        version: MessageVersion,
    },
    /// Load a processor's page in the challenge frame; wait for the return page.
    Present {
        /// The processor's page.
        url: String,
        /// The return URL the page gave, if any (it must be on the SDK origin).
        return_url: Option<String>,
    },
}

/// How `createSession` names the card. `Debug` masks a card number.
#[derive(Clone, PartialEq)]
pub enum Card {
    /// The number (with a test key only).
    Pan(String),
    /// A token of the card vault.
    Token(String),
}

impl std::fmt::Debug for Card {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Pan(pan) => f.debug_tuple("Pan").field(&threeds_protocol::scheme::mask_pan(pan)).finish(),
            Self::Token(token) => f.debug_tuple("Token").field(token).finish(),
        }
    }
}

/// Where `threeDSMethodData` comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum MethodData {
    /// Written by the host with this notification URL.
    Notify(String),
    /// As the 3DS Server wrote it.
    Given(String),
}

/// Where the CReq comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum CReqSource {
    /// As the 3DS Server wrote it (base64url).
    Given(String),
    /// Written by the host from the ARes's IDs.
    Write {
        /// `threeDSServerTransID`.
        trans_id: String,
        /// `acsTransID`.
        acs_trans_id: String,
        /// `messageVersion`.
        version: MessageVersion,
    },
}

/// A UUID in its canonical 8-4-4-4-12 hex form.
pub fn is_uuid(value: &str) -> bool {
    value.len() == 36 && value.bytes().enumerate().all(|(i, b)| if matches!(i, 8 | 13 | 18 | 23) { b == b'-' } else { b.is_ascii_hexdigit() })
}

/// `value` as [`is_uuid`], else an error naming the option.
fn check_uuid(name: &str, value: &str) -> Result<(), String> {
    if is_uuid(value) { Ok(()) } else { Err(format!("{name} must be a UUID")) }
}

/// base64url (padding tolerated), 1 to `max` characters.
fn is_base64url(value: &str, max: usize) -> bool {
    (1..=max).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'='))
}

/// An absolute https URL, or http on loopback (`localhost`, `127.0.0.1`, `[::1]`).
pub fn check_url(name: &str, url: &str) -> Result<(), String> {
    let Some(origin) = crate::origin_of(url) else { return Err(format!("{name} must be an absolute http(s) URL")) };
    let loopback = ["http://localhost", "http://127.0.0.1", "http://[::1]"]
        .iter()
        .any(|base| origin == *base || origin.strip_prefix(base).is_some_and(|port| port.starts_with(':')));
    if origin.starts_with("https://") || loopback {
        Ok(())
    } else {
        Err(format!("{name} must be an https URL (http only on localhost, 127.0.0.1 or [::1])"))
    }
}

fn version(name: &str, value: &str) -> Result<MessageVersion, String> {
    value.parse().map_err(|_| format!("{name} must be 2.1.0, 2.2.0 or 2.3.1"))
}

/// Reads the options of `call` (JSON text, as the embed forwarded them) and
/// checks them; the error names the option that breaks a rule.
pub fn read(call: &str, options: &str) -> Result<Call, String> {
    if !CALLS.contains(&call) {
        return Err(format!("unknown call {}", call.chars().take(40).collect::<String>()));
    }
    let options = Options::parse(call, options)?;
    match call {
        "createSession" => create_session(&options),
        "startChallenge" => start_challenge(&options),
        "runMethod" => run_method(&options),
        "challenge" => challenge(&options),
        "collectBrowserInfo" => Ok(Call::CollectBrowserInfo { version: version("messageVersion", &options.required("messageVersion")?)? }),
        _ => {
            let url = options.required("url")?;
            check_url("url", &url)?;
            let return_url = options.string("returnUrl")?;
            if let Some(return_url) = &return_url {
                check_url("returnUrl", return_url)?;
            }
            Ok(Call::Present { url, return_url })
        }
    }
}

/// The client's session API: its base URL and publishable key (the embed adds
/// them to the page's options).
fn session_api(options: &Options) -> Result<(String, String), String> {
    let api_base_url = options.required("apiBaseUrl")?;
    check_url("apiBaseUrl", &api_base_url)?;
    Ok((api_base_url.trim_end_matches('/').to_owned(), options.required("publishableKey")?))
}

fn create_session(options: &Options) -> Result<Call, String> {
    let (api_base_url, publishable_key) = session_api(options)?;
    let card = match (options.string("pan")?, options.string("tokenId")?) {
        (Some(pan), None) if publishable_key.starts_with("pk_test_") => Card::Pan(pan),
        (Some(_), None) => {
            return Err("pan: a raw card number needs a test key (pk_test_...); with a live key pass tokenId, \
                        so card numbers stay out of the checkout page (PCI DSS scope)"
                .into());
        }
        (None, Some(token)) => Card::Token(token),
        _ => return Err("createSession needs exactly one of pan or tokenId".into()),
    };
    Ok(Call::CreateSession { api_base_url, publishable_key, card })
}

/// Safe as one URL path segment: 1 to 128 ASCII letters, digits, `-` or `_`.
fn is_path_segment(value: &str) -> bool {
    (1..=128).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn start_challenge(options: &Options) -> Result<Call, String> {
    let (api_base_url, publishable_key) = session_api(options)?;
    let session_id = options.required("sessionId")?;
    if !is_path_segment(&session_id) {
        return Err("sessionId must be 1 to 128 letters, digits, - or _".into());
    }
    let acs_url = options.required("acsChallengeUrl")?;
    check_url("acsChallengeUrl", &acs_url)?;
    let acs_trans_id = options.required("acsTransactionId")?;
    check_uuid("acsTransactionId", &acs_trans_id)?;
    let trans_id = options.string("threeDSServerTransId")?;
    if let Some(id) = &trans_id {
        check_uuid("threeDSServerTransId", id)?;
    }
    let version = version("threeDSVersion", &options.required("threeDSVersion")?)?;
    Ok(Call::StartChallenge { api_base_url, publishable_key, session_id, trans_id, acs_url, acs_trans_id, version })
}

fn run_method(options: &Options) -> Result<Call, String> {
    let trans_id = options.required("threeDSServerTransID")?;
    check_uuid("threeDSServerTransID", &trans_id)?;
    let method_url = options.string("threeDSMethodURL")?;
    if let Some(url) = &method_url {
        check_url("threeDSMethodURL", url)?;
    }
    let method_data = match (options.string("notificationURL")?, options.string("threeDSMethodData")?) {
        (Some(url), None) => {
            check_url("notificationURL", &url)?;
            MethodData::Notify(url)
        }
        (None, Some(data)) if is_base64url(&data, 4096) => MethodData::Given(data),
        (None, Some(_)) => return Err("threeDSMethodData must be base64url, at most 4096 characters".into()),
        _ => return Err("runMethod needs exactly one of notificationURL (the SDK writes threeDSMethodData) or threeDSMethodData".into()),
    };
    Ok(Call::RunMethod { method_url, trans_id, method_data })
}

fn challenge(options: &Options) -> Result<Call, String> {
    let acs_url = options.required("acsURL")?;
    check_url("acsURL", &acs_url)?;
    let ids = (options.string("threeDSServerTransID")?, options.string("acsTransID")?, options.string("messageVersion")?);
    let creq = match (options.string("creq")?, ids) {
        (Some(creq), (None, None, None)) if is_base64url(&creq, 16 * 1024) => CReqSource::Given(creq),
        (Some(_), (None, None, None)) => return Err("creq must be base64url, at most 16384 characters".into()),
        (None, (Some(trans_id), Some(acs_trans_id), Some(message_version))) => {
            check_uuid("threeDSServerTransID", &trans_id)?;
            check_uuid("acsTransID", &acs_trans_id)?;
            CReqSource::Write { trans_id, acs_trans_id, version: version("messageVersion", &message_version)? }
        }
        _ => return Err("challenge needs creq, or threeDSServerTransID, acsTransID and messageVersion (not both)".into()),
    };
    let session_data = options.string("threeDSSessionData")?;
    if session_data.as_deref().is_some_and(|data| !is_base64url(data, 1024)) {
        return Err("threeDSSessionData must be base64url, at most 1024 characters".into());
    }
    Ok(Call::Challenge { acs_url, creq, session_data })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRANS: &str = "3ac7caa7-aa42-2663-791b-2ac05a542c4a";
    const ACS_TRANS: &str = "8a880dc0-d2d2-4067-bcb1-b08d1690b26e";

    #[test]
    fn urls_are_https_or_loopback_http() {
        assert_eq!(check_url("u", "https://acs.example/m"), Ok(()));
        assert_eq!(check_url("u", "http://127.0.0.1:8182/m"), Ok(()));
        assert_eq!(check_url("u", "http://localhost/m"), Ok(()));
        assert_eq!(check_url("u", "http://[::1]:9/m"), Ok(()));
        assert_eq!(check_url("u", "http://acs.example/m"), Err("u must be an https URL (http only on localhost, 127.0.0.1 or [::1])".into()));
        assert!(check_url("u", "http://localhost.evil.example/m").is_err());
        assert_eq!(check_url("u", "javascript:alert(1)"), Err("u must be an absolute http(s) URL".into()));
    }

    #[test]
    fn run_method_needs_a_transaction_and_one_way_to_notify() {
        let options = format!(
            r#"{{"threeDSMethodURL":"https://acs.example/m","threeDSServerTransID":"{TRANS}","notificationURL":"https://server.example/n"}}"#
        );
        assert_eq!(
            read("runMethod", &options),
            Ok(Call::RunMethod {
                method_url: Some("https://acs.example/m".into()),
                trans_id: TRANS.into(),
                method_data: MethodData::Notify("https://server.example/n".into())
            })
        );
        let none = format!(r#"{{"threeDSMethodURL":null,"threeDSServerTransID":"{TRANS}","threeDSMethodData":"eyJ9"}}"#);
        assert!(matches!(read("runMethod", &none), Ok(Call::RunMethod { method_url: None, method_data: MethodData::Given(_), .. })));
        for (options, error) in [
            (r#"{"notificationURL":"https://s.example/n"}"#.to_owned(), "threeDSServerTransID is required"),
            (r#"{"threeDSServerTransID":"1","notificationURL":"https://s.example/n"}"#.to_owned(), "threeDSServerTransID must be a UUID"),
            (format!(r#"{{"threeDSServerTransID":"{TRANS}"}}"#), "runMethod needs exactly one of notificationURL"),
            (format!(r#"{{"threeDSServerTransID":"{TRANS}","notificationURL":"http://s.example/n"}}"#), "notificationURL must be an https URL"),
            (format!(r#"{{"threeDSServerTransID":"{TRANS}","threeDSMethodData":"a b"}}"#), "threeDSMethodData must be base64url"),
            ("[1]".to_owned(), "runMethod options must be an object"),
            (format!(r#"{{"threeDSServerTransID":"{TRANS}","notificationURL":7}}"#), "notificationURL must be a string"),
        ] {
            let got = read("runMethod", &options).unwrap_err();
            assert!(got.starts_with(error), "{options}: {got}");
        }
    }

    #[test]
    fn a_challenge_takes_a_creq_or_the_ids_to_write_one() {
        let given = r#"{"acsURL":"https://acs.example/c","creq":"eyJ9","threeDSSessionData":"c2Vzcw"}"#;
        assert_eq!(
            read("challenge", given),
            Ok(Call::Challenge {
                acs_url: "https://acs.example/c".into(),
                creq: CReqSource::Given("eyJ9".into()),
                session_data: Some("c2Vzcw".into())
            })
        );
        let ids =
            format!(r#"{{"acsURL":"https://acs.example/c","threeDSServerTransID":"{TRANS}","acsTransID":"{ACS_TRANS}","messageVersion":"2.3.1"}}"#);
        assert!(matches!(
            read("challenge", &ids),
            Ok(Call::Challenge { creq: CReqSource::Write { version: MessageVersion::V2_3_1, .. }, session_data: None, .. })
        ));
        for (options, error) in [
            (r#"{"creq":"eyJ9"}"#.to_owned(), "acsURL is required"),
            (r#"{"acsURL":"https://a.example","creq":"eyJ9","acsTransID":"x"}"#.to_owned(), "challenge needs creq, or"),
            (
                format!(r#"{{"acsURL":"https://a.example","threeDSServerTransID":"{TRANS}","acsTransID":"x","messageVersion":"2.2.0"}}"#),
                "acsTransID must be a UUID",
            ),
            (
                format!(r#"{{"acsURL":"https://a.example","threeDSServerTransID":"{TRANS}","acsTransID":"{ACS_TRANS}","messageVersion":"1.0.2"}}"#),
                "messageVersion must be",
            ),
            (r#"{"acsURL":"https://a.example","creq":"eyJ9","threeDSSessionData":"<script>"}"#.to_owned(), "threeDSSessionData must be base64url"),
        ] {
            let got = read("challenge", &options).unwrap_err();
            assert!(got.starts_with(error), "{options}: {got}");
        }
    }

    #[test]
    fn a_session_names_its_card_once_and_a_raw_pan_needs_a_test_key() {
        let api = r#""apiBaseUrl":"http://127.0.0.1:8181/","publishableKey""#;
        assert_eq!(
            read("createSession", &format!(r#"{{{api}:"pk_test_x","pan":"4000020000000000"}}"#)),
            Ok(Call::CreateSession {
                api_base_url: "http://127.0.0.1:8181".into(),
                publishable_key: "pk_test_x".into(),
                card: Card::Pan("4000020000000000".into())
            })
        );
        assert!(matches!(
            read("createSession", &format!(r#"{{{api}:"pk_live_x","tokenId":"tok_1"}}"#)),
            Ok(Call::CreateSession { card: Card::Token(_), .. })
        ));
        for (options, error) in [
            (format!(r#"{{{api}:"pk_live_x","pan":"4000020000000000"}}"#), "pan: a raw card number needs a test key"),
            (format!(r#"{{{api}:"pk_x","pan":"4000020000000000"}}"#), "pan: a raw card number needs a test key"),
            (format!(r#"{{{api}:"pk_test_x"}}"#), "createSession needs exactly one of pan or tokenId"),
            (format!(r#"{{{api}:"pk_test_x","pan":"4000020000000000","tokenId":"tok_1"}}"#), "createSession needs exactly one of pan or tokenId"),
            (format!(r#"{{{api}:"pk_test_x","pan":4000020000000000}}"#), "pan must be a string"),
            (r#"{"apiBaseUrl":"http://api.example","publishableKey":"pk_test_x","pan":"4"}"#.to_owned(), "apiBaseUrl must be an https URL"),
        ] {
            let got = read("createSession", &options).unwrap_err();
            assert!(got.starts_with(error), "{options}: {got}");
        }
        let printed = format!("{:?}", Card::Pan("4000020000000000".into()));
        assert!(!printed.contains("4000020000000000"), "{printed}");
    }

    #[test]
    fn a_session_challenge_has_a_known_version_and_well_formed_ids() {
        let options = |change: &dyn Fn(&mut serde_json::Value)| {
            let mut options = serde_json::json!({
                "apiBaseUrl": "https://api.example", "publishableKey": "pk_test_x", "sessionId": "sess_ABC-123",
                "acsChallengeUrl": "http://127.0.0.1:8182/challenge", "acsTransactionId": ACS_TRANS, "threeDSVersion": "2.2.0",
            });
            change(&mut options);
            read("startChallenge", &options.to_string())
        };
        assert!(matches!(options(&|_| {}), Ok(Call::StartChallenge { trans_id: None, version: MessageVersion::V2_2_0, .. })));
        assert!(matches!(options(&|o| o["threeDSServerTransId"] = TRANS.into()), Ok(Call::StartChallenge { trans_id: Some(_), .. })));
        assert!(matches!(options(&|o| o["threeDSVersion"] = "2.1.0".into()), Ok(Call::StartChallenge { version: MessageVersion::V2_1_0, .. })));
        assert!(matches!(options(&|o| o["threeDSVersion"] = "2.3.1".into()), Ok(Call::StartChallenge { version: MessageVersion::V2_3_1, .. })));
        let segment = "sessionId must be 1 to 128 letters, digits, - or _";
        for bad in ["..", "a/b", "a?b", "a#b", "%2e%2e", "x y"] {
            assert_eq!(options(&|o| o["sessionId"] = bad.into()).unwrap_err(), segment, "{bad}");
        }
        for (change, error) in [
            (
                &(|o: &mut serde_json::Value| o["threeDSVersion"] = "2.4.0".into()) as &dyn Fn(&mut serde_json::Value),
                "threeDSVersion must be 2.1.0, 2.2.0 or 2.3.1",
            ),
            (&|o| o["acsTransactionId"] = "acs-1".into(), "acsTransactionId must be a UUID"),
            (&|o| o["threeDSServerTransId"] = "x".into(), "threeDSServerTransId must be a UUID"),
            (&|o| o["acsChallengeUrl"] = "http://acs.example/c".into(), "acsChallengeUrl must be an https URL"),
            (&|o| o["acsChallengeUrl"] = "javascript:alert(1)".into(), "acsChallengeUrl must be an absolute http(s) URL"),
            (&|o| o["sessionId"] = "../../admin".into(), segment),
            (&|o| o["sessionId"] = "".into(), "sessionId is required"),
            (&|o| o["sessionId"] = "a".repeat(129).into(), segment),
        ] {
            let got = options(change).unwrap_err();
            assert!(got.starts_with(error), "{got}");
        }
    }

    #[test]
    fn browser_info_and_processor_pages() {
        assert_eq!(read("collectBrowserInfo", r#"{"messageVersion":"2.2.0"}"#), Ok(Call::CollectBrowserInfo { version: MessageVersion::V2_2_0 }));
        assert_eq!(read("collectBrowserInfo", "{}"), Err("messageVersion is required".into()));
        assert_eq!(
            read("presentAuthentication", r#"{"url":"https://hooks.stripe.example/3ds?x=1","returnUrl":"https://sdk.example/return.html"}"#),
            Ok(Call::Present { url: "https://hooks.stripe.example/3ds?x=1".into(), return_url: Some("https://sdk.example/return.html".into()) })
        );
        assert_eq!(read("presentAuthentication", r#"{"url":"ftp://x"}"#), Err("url must be an absolute http(s) URL".into()));
        assert_eq!(read("deleteEverything", "{}"), Err("unknown call deleteEverything".into()));
        assert!(CALLS.iter().all(|call| read(call, "{}").is_err()), "every call has required options");
    }
}
