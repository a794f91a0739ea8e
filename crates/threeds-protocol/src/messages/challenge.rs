use super::MessageExtension;
use super::emv_message;
use super::marker::{CReqType, CResType};
use crate::members::{Member, Members};
use crate::{ChallengeCompletionInd, ChallengeWindowSize, MessageVersion, TransStatus};

emv_message! {
    /// Challenge Request: posted by the browser as form field `creq` (base64url) to the ARes `acsURL`.
    pub struct CReq {
        required {
            message_type: CReqType = "messageType",
            message_version: MessageVersion = "messageVersion",
            three_ds_server_trans_id: String = "threeDSServerTransID",
            acs_trans_id: String = "acsTransID",
            /// Rule: required on the browser channel; the iframe is rendered at exactly this size.
            challenge_window_size: ChallengeWindowSize = "challengeWindowSize",
        }
        optional {
            /// Rule: at most 10 entries.
            message_extension: Vec<MessageExtension> = "messageExtension",
        }
    }
}

emv_message! {
    /// Challenge Response: the final one is posted by the ACS page as form field
    /// `cres` (base64url) to the AReq's `notificationURL`.
    pub struct CRes {
        required {
            message_type: CResType = "messageType",
            message_version: MessageVersion = "messageVersion",
            three_ds_server_trans_id: String = "threeDSServerTransID",
            acs_trans_id: String = "acsTransID",
        }
        optional {
            /// Rule: Y or N in the final browser CRes.
            trans_status: TransStatus = "transStatus",
            /// Y when the challenge is complete.
            challenge_completion_ind: ChallengeCompletionInd = "challengeCompletionInd",
            message_extension: Vec<MessageExtension> = "messageExtension",
        }
    }
}

impl CReq {
    /// The browser's CReq for a challenge the ARes asked for.
    pub fn new(
        message_version: MessageVersion,
        three_ds_server_trans_id: impl Into<String>,
        acs_trans_id: impl Into<String>,
        challenge_window_size: ChallengeWindowSize,
    ) -> Self {
        Self {
            message_type: CReqType,
            message_version,
            three_ds_server_trans_id: three_ds_server_trans_id.into(),
            acs_trans_id: acs_trans_id.into(),
            challenge_window_size,
            message_extension: None,
            extra: Default::default(),
        }
    }
}

/// A JSON string, as serde_json writes it.
pub(crate) fn json_string(text: &str) -> String {
    let mut json = String::with_capacity(text.len() + 2);
    crate::members::write_string(&mut json, text);
    json
}

/// The members every CReq has, as [`CReq`] writes them, without the closing brace.
fn creq_head(version: MessageVersion, trans_id: &str, acs_trans_id: &str, size: ChallengeWindowSize) -> String {
    format!(
        "{{\"messageType\":\"CReq\",\"messageVersion\":\"{}\",\"threeDSServerTransID\":{},\"acsTransID\":{},\"challengeWindowSize\":\"{}\"",
        version.as_str(),
        json_string(trans_id),
        json_string(acs_trans_id),
        size.code()
    )
}

impl CReq {
    /// The form field (base64url JSON) of [`CReq::new`]'s CReq, the same text
    /// `codec::encode_json` gives it, written without the derived serializer (whose
    /// code for the members a new CReq does not have is a kilobyte of the SDK host
    /// app's gzipped wasm).
    pub fn encode_new(
        message_version: MessageVersion,
        three_ds_server_trans_id: &str,
        acs_trans_id: &str,
        challenge_window_size: ChallengeWindowSize,
    ) -> String {
        let mut json = creq_head(message_version, three_ds_server_trans_id, acs_trans_id, challenge_window_size);
        json.push('}');
        crate::codec::encode(json.as_bytes())
    }
}

impl CRes {
    /// The final browser CRes the ACS posts to the notification URL when a
    /// challenge ends: complete, with `outcome` as Y or N.
    ///
    /// Rule: the final browser CRes carries Y (authenticated) or N (anything
    /// else); the RReq carries the detail (A, U, R, the reason).
    pub fn final_browser(
        message_version: MessageVersion,
        three_ds_server_trans_id: impl Into<String>,
        acs_trans_id: impl Into<String>,
        outcome: TransStatus,
    ) -> Self {
        let status = if outcome == TransStatus::Authenticated { TransStatus::Authenticated } else { TransStatus::NotAuthenticated };
        Self {
            message_type: CResType,
            message_version,
            three_ds_server_trans_id: three_ds_server_trans_id.into(),
            acs_trans_id: acs_trans_id.into(),
            trans_status: Some(status),
            challenge_completion_ind: Some(ChallengeCompletionInd::Completed),
            message_extension: None,
            extra: Default::default(),
        }
    }
}

/// A CReq as a 3DS Server wrote it (decoded JSON), checked as [`CReq`] reads it
/// but without building one: the SDK host app only needs its IDs and window size,
/// and, when the size is not its frame's, the same CReq with another size. (The
/// derived reading of `CReq`, with its flattened `extra`, is about a tenth of the
/// host app's wasm.)
#[derive(Debug, Clone, PartialEq)]
pub struct GivenCReq<'a> {
    members: Members<'a>,
    message_version: MessageVersion,
    /// EMV `threeDSServerTransID`.
    pub three_ds_server_trans_id: String,
    /// EMV `acsTransID`.
    pub acs_trans_id: String,
    /// EMV `challengeWindowSize`.
    pub challenge_window_size: ChallengeWindowSize,
}

/// The members [`CReq`] models, in the order it writes them.
const CREQ_FIELDS: [&str; 6] = ["messageType", "messageVersion", "threeDSServerTransID", "acsTransID", "challengeWindowSize", "messageExtension"];

/// Whether `raw` is what `Vec<MessageExtension>` reads: an array of objects with
/// string `name` and `id` and a boolean `criticalityIndicator` (each once).
fn is_extension_list(raw: &str) -> bool {
    let Ok(entries) = crate::members::array_items(raw) else { return false };
    entries.iter().all(|entry| {
        Members::parse(entry).is_ok_and(|members| {
            ["name", "id", "criticalityIndicator", "data"].iter().all(|name| members.count(name) <= 1)
                && members.text("name").is_some()
                && members.text("id").is_some()
                && matches!(members.get("criticalityIndicator"), Some(Member::Other("true" | "false")))
        })
    })
}

impl<'a> GivenCReq<'a> {
    /// Reads what `serde_json::from_str::<CReq>` reads; anything else is `None`.
    pub fn parse(json: &'a str) -> Option<Self> {
        let members = Members::parse(json).ok()?;
        if CREQ_FIELDS.iter().any(|name| members.count(name) > 1) || members.text("messageType")? != CReqType::WIRE {
            return None;
        }
        if let Some(Member::Str(_) | Member::Other(_)) = members.get("messageExtension")
            && !members.get("messageExtension").is_some_and(|list| is_extension_list(list.raw()))
        {
            return None;
        }
        Some(Self {
            message_version: members.text("messageVersion")?.parse().ok()?,
            three_ds_server_trans_id: members.text("threeDSServerTransID")?,
            acs_trans_id: members.text("acsTransID")?,
            challenge_window_size: ChallengeWindowSize::from_code(&members.text("challengeWindowSize")?)?,
            members,
        })
    }

    /// The CReq as JSON with `size` as its window size, as [`CReq`] would write
    /// it: the members it models first, in its order, then the others (each name
    /// once, where it first appeared, with its last value). Values are written as
    /// they came (`CReq` would write them again from a `serde_json::Value`: the
    /// same JSON values, compact).
    pub fn to_json_with_size(&self, size: ChallengeWindowSize) -> String {
        let mut json = creq_head(self.message_version, &self.three_ds_server_trans_id, &self.acs_trans_id, size);
        let mut member = |name: &str, value: &str| {
            json.push(',');
            json.push_str(&json_string(name));
            json.push(':');
            json.push_str(value);
        };
        if let Some(Member::Str(list) | Member::Other(list)) = self.members.get("messageExtension") {
            member("messageExtension", list);
        }
        let mut written: Vec<&str> = Vec::new();
        for (name, _) in &self.members.0 {
            let name = name.as_str();
            if !written.contains(&name) && !CREQ_FIELDS.contains(&name) {
                written.push(name);
                member(name, self.members.get(name).map_or("null", Member::raw));
            }
        }
        json.push('}');
        json
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_creq_is_what_the_acs_reads() {
        let creq = CReq::new(MessageVersion::V2_2_0, "t", "a", ChallengeWindowSize::W390xH400);
        let json = serde_json::to_value(&creq).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"messageType": "CReq", "messageVersion": "2.2.0", "threeDSServerTransID": "t", "acsTransID": "a", "challengeWindowSize": "02"})
        );
        assert_eq!(serde_json::from_value::<CReq>(json).unwrap(), creq);
    }

    #[test]
    fn a_final_cres_says_y_or_n_and_round_trips() {
        let cres = CRes::final_browser(MessageVersion::V2_1_0, "t", "a", TransStatus::Attempted);
        let json = serde_json::to_value(&cres).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"messageType": "CRes", "messageVersion": "2.1.0", "threeDSServerTransID": "t", "acsTransID": "a",
                "transStatus": "N", "challengeCompletionInd": "Y"})
        );
        assert_eq!(crate::Message::from_value(json).unwrap(), crate::Message::CRes(cres));
        let authenticated = CRes::final_browser(MessageVersion::V2_2_0, "t", "a", TransStatus::Authenticated);
        assert_eq!(authenticated.trans_status, Some(TransStatus::Authenticated));
    }

    /// `GivenCReq` reads what `CReq` reads, and writes what it writes (compact values).
    #[test]
    fn a_given_creq_reads_and_writes_as_creq_does() {
        let base = r#""messageVersion":"2.2.0","threeDSServerTransID":"t\u00e9","acsTransID":"a","challengeWindowSize":"02""#;
        let ext = r#"{"name":"n","id":"i","criticalityIndicator":false,"data":{"k":[1,2]},"z":"y"}"#;
        let cases = [
            format!(r#"{{"messageType":"CReq",{base}}}"#),
            format!(r#"{{"x":{{"b":1,"a":[true,null]}},"messageType":"CReq",{base},"y":"\"q\"","x":"second","messageExtension":[{ext}]}}"#),
            format!(r#"{{"messageType":"CReq",{base},"messageExtension":null,"n":null}}"#),
            format!(r#"{{"messageType":"CReq",{base},"messageExtension":[]}}"#),
            format!(r#"{{"messageType":"CRes",{base}}}"#),
            format!(r#"{{{base}}}"#),
            format!(r#"{{"messageType":"CReq","messageType":"CReq",{base}}}"#),
            format!(r#"{{"messageType":"CReq",{base},"messageExtension":{{}}}}"#),
            format!(r#"{{"messageType":"CReq",{base},"messageExtension":[{{"name":"n","id":"i"}}]}}"#),
            format!(r#"{{"messageType":"CReq",{base},"messageExtension":[{{"name":"n","id":"i","criticalityIndicator":"true"}}]}}"#),
            format!(r#"{{"messageType":"CReq",{base},"messageExtension":"x"}}"#),
            r#"{"messageType":"CReq","messageVersion":"2.0.0","threeDSServerTransID":"t","acsTransID":"a","challengeWindowSize":"02"}"#.to_owned(),
            r#"{"messageType":"CReq","messageVersion":"2.2.0","threeDSServerTransID":"t","acsTransID":"a","challengeWindowSize":"06"}"#.to_owned(),
            r#"{"messageType":"CReq","messageVersion":"2.2.0","threeDSServerTransID":null,"acsTransID":"a","challengeWindowSize":"01"}"#.to_owned(),
            r#"{"messageType":"CReq","messageVersion":"2.2.0","threeDSServerTransID":"t","acsTransID":7,"challengeWindowSize":"01"}"#.to_owned(),
            format!(r#"[{base}]"#),
            "not json".to_owned(),
        ];
        for json in &cases {
            let full = serde_json::from_str::<CReq>(json).ok();
            let given = GivenCReq::parse(json);
            assert_eq!(given.is_some(), full.is_some(), "{json}");
            let (Some(mut full), Some(given)) = (full, given) else { continue };
            assert_eq!(
                (&given.three_ds_server_trans_id, &given.acs_trans_id, given.challenge_window_size),
                (&full.three_ds_server_trans_id, &full.acs_trans_id, full.challenge_window_size),
                "{json}"
            );
            full.challenge_window_size = ChallengeWindowSize::FullScreen;
            assert_eq!(given.to_json_with_size(ChallengeWindowSize::FullScreen), serde_json::to_string(&full).unwrap(), "{json}");
        }
    }

    #[test]
    fn a_new_creq_is_encoded_as_serde_writes_it() {
        for (trans_id, acs_trans_id) in [("t", "a"), ("8a880dc0-d2d2-4067-bcb1-b08d1690b26e", "q\"uote\\é\u{1}")] {
            for version in MessageVersion::ALL {
                let creq = CReq::new(version, trans_id, acs_trans_id, ChallengeWindowSize::W600xH400);
                let encoded = CReq::encode_new(version, trans_id, acs_trans_id, ChallengeWindowSize::W600xH400);
                assert_eq!(encoded, crate::codec::encode_json(&creq));
            }
        }
    }
}
