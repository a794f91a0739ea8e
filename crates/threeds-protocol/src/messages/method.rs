use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::members::Members;
use crate::{ProtocolError, codec};

/// Upper bound on a decoded `threeDSMethodData` (the JSON is a few hundred bytes).
pub const MAX_METHOD_DATA_BYTES: usize = 4096;

/// `threeDSMethodData` as the browser posts it to the ACS's `threeDSMethodURL`.
///
/// Rule: JSON, base64url-encoded without padding, form field `threeDSMethodData`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodData {
    /// EMV `threeDSServerTransID`: the transaction's UUID.
    #[serde(rename = "threeDSServerTransID")]
    pub three_ds_server_trans_id: String,
    /// Where the ACS posts when fingerprinting is done.
    #[serde(rename = "threeDSMethodNotificationURL")]
    pub three_ds_method_notification_url: String,
    /// Fields this type does not model, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MethodData {
    /// The value of the form field: unpadded base64url JSON.
    pub fn encode(&self) -> String {
        codec::encode_json(self)
    }

    /// Reads the form field (either base64 alphabet, padded or not).
    pub fn decode(field: &str) -> Result<Self, ProtocolError> {
        codec::decode_json::<Value>(field, MAX_METHOD_DATA_BYTES).and_then(|value| serde_json::from_value(value).map_err(ProtocolError::from_serde))
    }

    /// The form field of a `MethodData` with these two fields and no others, the
    /// same text as [`MethodData::encode`] gives it, written without the derived
    /// serializer (and its code for `extra`).
    pub fn encode_new(three_ds_server_trans_id: &str, three_ds_method_notification_url: &str) -> String {
        let json = format!(
            "{{\"threeDSServerTransID\":{},\"threeDSMethodNotificationURL\":{}}}",
            super::challenge::json_string(three_ds_server_trans_id),
            super::challenge::json_string(three_ds_method_notification_url)
        );
        codec::encode(json.as_bytes())
    }

    /// The `threeDSServerTransID` of a form field [`MethodData::decode`] reads (a
    /// JSON object with both fields as strings), read without the rest: `None`
    /// where `decode` fails.
    pub fn trans_id_of(field: &str) -> Option<String> {
        let json = String::from_utf8(codec::decode(field, MAX_METHOD_DATA_BYTES).ok()?).ok()?;
        let members = Members::parse(&json).ok()?;
        members.text("threeDSMethodNotificationURL")?;
        members.text("threeDSServerTransID")
    }
}

/// `threeDSMethodData` as the ACS posts it back to the method notification URL.
///
/// Rule: base64url of `{"threeDSServerTransID": ...}`. Read leniently: some ACSs
/// send other shapes, so only the transaction ID is looked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodNotification {
    /// EMV `threeDSServerTransID`: the transaction the method ran for.
    #[serde(rename = "threeDSServerTransID")]
    pub three_ds_server_trans_id: String,
    /// Fields this type does not model, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MethodNotification {
    /// A notification for a transaction.
    pub fn new(three_ds_server_trans_id: impl Into<String>) -> Self {
        Self { three_ds_server_trans_id: three_ds_server_trans_id.into(), extra: Map::new() }
    }

    /// The value of the form field: unpadded base64url JSON.
    pub fn encode(&self) -> String {
        codec::encode_json(self)
    }

    /// The transaction ID of a form field [`MethodNotification::decode`] reads,
    /// found the same way without keeping the rest: `None` where `decode` fails.
    pub fn trans_id_of(field: &str) -> Option<String> {
        let json = String::from_utf8(codec::decode(field, MAX_METHOD_DATA_BYTES).ok()?).ok()?;
        let members = Members::parse(&json).ok()?;
        members.text("threeDSServerTransID").or_else(|| members.text("threeDSServerTransId")).or_else(|| {
            let data = members.get("data")?;
            Members::parse(data.raw()).ok()?.text("threeDSServerTransID")
        })
    }

    /// Reads the form field; the transaction ID may also sit under `threeDSServerTransId`
    /// or `threeDSServerTransID` of a nested `data` object, as some ACSs send it.
    pub fn decode(field: &str) -> Result<Self, ProtocolError> {
        let value: Value = codec::decode_json(field, MAX_METHOD_DATA_BYTES)?;
        let Value::Object(mut object) = value else {
            return Err(ProtocolError::Json("threeDSMethodData is not a JSON object".into()));
        };
        let id = ["threeDSServerTransID", "threeDSServerTransId"]
            .into_iter()
            .find_map(|key| object.get(key).and_then(Value::as_str).map(str::to_owned))
            .or_else(|| object.get("data").and_then(|data| data.get("threeDSServerTransID")).and_then(Value::as_str).map(str::to_owned))
            .ok_or_else(|| ProtocolError::Missing("threeDSServerTransID".into()))?;
        object.remove("threeDSServerTransID");
        Ok(Self { three_ds_server_trans_id: id, extra: object })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_data_is_unpadded_base64url_json() {
        let data = MethodData {
            three_ds_server_trans_id: "d461f105-1792-407f-95ff-9a496fd918a9".into(),
            three_ds_method_notification_url: "https://3ds.example/notify?session=a&b=c".into(),
            extra: Map::new(),
        };
        let field = data.encode();
        assert!(!field.contains(['=', '+', '/']), "{field}");
        assert_eq!(MethodData::decode(&field).unwrap(), data);
    }

    #[test]
    fn notification_reads_other_shapes() {
        let standard = codec::encode(br#"{"threeDSServerTransID":"abc"}"#);
        assert_eq!(MethodNotification::decode(&standard).unwrap().three_ds_server_trans_id, "abc");
        let camel = codec::encode(br#"{"threeDSServerTransId":"abc","x":1}"#);
        let parsed = MethodNotification::decode(&camel).unwrap();
        assert_eq!(parsed.three_ds_server_trans_id, "abc");
        assert_eq!(parsed.extra["x"], 1);
        let nested = codec::encode(br#"{"data":{"threeDSServerTransID":"abc"}}"#);
        assert_eq!(MethodNotification::decode(&nested).unwrap().three_ds_server_trans_id, "abc");
        let missing = codec::encode(br#"{"other":"abc"}"#);
        assert!(matches!(MethodNotification::decode(&missing), Err(ProtocolError::Missing(_))));
        assert!(MethodNotification::decode("%%%").is_err());
        assert!(MethodNotification::decode(&codec::encode(b"[1]")).is_err());
    }

    #[test]
    fn trans_id_of_agrees_with_decode() {
        let fields = [
            r#"{"threeDSServerTransID":"abc","threeDSMethodNotificationURL":"https://n"}"#,
            r#"{"threeDSServerTransID":"abc","threeDSMethodNotificationURL":null}"#,
            r#"{"threeDSServerTransID":1,"threeDSMethodNotificationURL":"https://n"}"#,
            r#"{"threeDSServerTransID":"a","threeDSServerTransID":"b","threeDSMethodNotificationURL":"u","x":[1.5e3,{"y":null}]}"#,
            r#"{"threeDSServerTransId":"abc","x":1}"#,
            r#"{"threeDSServerTransID":5,"threeDSServerTransId":"abc"}"#,
            r#"{"data":{"threeDSServerTransID":"abc"}}"#,
            r#"{"data":"abc"}"#,
            r#"{"data":{"threeDSServerTransId":"abc"}}"#,
            r#"{"other":"abc"}"#,
            r#"["abc"]"#,
            r#""abc""#,
            "not json",
        ]
        .map(|json| codec::encode(json.as_bytes()));
        for field in fields.iter().map(String::as_str).chain(["%%%", ""]) {
            let data = MethodData::decode(field).ok().map(|data| data.three_ds_server_trans_id);
            assert_eq!(MethodData::trans_id_of(field), data, "{field}");
            let notification = MethodNotification::decode(field).ok().map(|n| n.three_ds_server_trans_id);
            assert_eq!(MethodNotification::trans_id_of(field), notification, "{field}");
        }
    }

    #[test]
    fn a_new_method_data_is_encoded_as_serde_writes_it() {
        for (trans_id, url) in [("abc", "https://3ds.example/n?a=1&b=\"2\""), ("", "\u{7f}é\\")] {
            let data = MethodData { three_ds_server_trans_id: trans_id.into(), three_ds_method_notification_url: url.into(), extra: Map::new() };
            assert_eq!(MethodData::encode_new(trans_id, url), data.encode());
        }
    }
}
