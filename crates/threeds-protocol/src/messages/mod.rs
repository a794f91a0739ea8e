//! The EMV 3DS browser-flow messages: AReq/ARes, CReq/CRes, RReq/RRes, PReq/PRes,
//! Erro, and the 3DS Method data in both directions.
//!
//! Every message keeps the fields it does not model in `extra`, so parsing and
//! serialising gives back an equal JSON value. Reading is lenient (a value's
//! format is checked by `validate`, not by the parser); only wire codes with a
//! closed set of values are parsed into enums.

mod areq;
mod ares;
mod challenge;
mod extension;
pub(crate) mod marker;
mod method;
mod preparation;
mod results;

pub use areq::{AReq, Merchant, Phone, Purchase, Requestor};
pub use ares::ARes;
pub use challenge::{CReq, CRes, GivenCReq};
pub use extension::MessageExtension;
pub use method::{MethodData, MethodNotification};
pub use preparation::{CardRange, PReq, PRes};
pub use results::{RReq, RRes};

use serde::Serialize;
use serde_json::Value;

use crate::erro::Erro;
use crate::{ErrorCode, ErrorComponent, MessageVersion, ProtocolError};

/// Declares a message struct: required fields, then optional ones (skipped when
/// `None`), each with its EMV name, then groups flattened into the message, then
/// `extra` for everything else (declared last, so it gets only what is left).
/// Each named field's rustdoc gains its wire name (``EMV `threeDSServerTransID`.``),
/// after any doc comment written on it.
macro_rules! emv_message {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            required {
                $( $(#[$rmeta:meta])* $rfield:ident : $rty:ty = $rjson:literal, )*
            }
            optional {
                $( $(#[$ometa:meta])* $ofield:ident : $oty:ty = $ojson:literal, )*
            }
            $( flattened {
                $( $(#[$fmeta:meta])* $ffield:ident : $fty:ty, )*
            } )?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $(
                $(#[$rmeta])*
                #[doc = concat!("EMV `", $rjson, "`.")]
                #[serde(rename = $rjson)]
                pub $rfield: $rty,
            )*
            $(
                $(#[$ometa])*
                #[doc = concat!("EMV `", $ojson, "`.")]
                #[serde(rename = $ojson, default, skip_serializing_if = "Option::is_none")]
                pub $ofield: Option<$oty>,
            )*
            $( $(
                $(#[$fmeta])*
                #[serde(flatten)]
                pub $ffield: $fty,
            )* )?
            /// Fields this type does not model, kept as they came.
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    };
}
pub(crate) use emv_message;

/// The three transaction IDs the ARes, RReq and RRes carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionIds {
    /// `threeDSServerTransID`: the 3DS Server's.
    pub three_ds_server_trans_id: String,
    /// `acsTransID`: the ACS's.
    pub acs_trans_id: String,
    /// `dsTransID`: the Directory Server's.
    pub ds_trans_id: String,
}

impl TransactionIds {
    /// The IDs of one transaction.
    pub fn new(three_ds_server_trans_id: impl Into<String>, acs_trans_id: impl Into<String>, ds_trans_id: impl Into<String>) -> Self {
        Self { three_ds_server_trans_id: three_ds_server_trans_id.into(), acs_trans_id: acs_trans_id.into(), ds_trans_id: ds_trans_id.into() }
    }
}

/// Any EMV 3DS message this crate reads, chosen by its `messageType`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Message {
    /// Authentication Request: 3DS Server to DS to ACS.
    AReq(Box<AReq>),
    /// Authentication Response: ACS to DS to 3DS Server.
    ARes(Box<ARes>),
    /// Challenge Request: browser to ACS.
    CReq(CReq),
    /// Challenge Response: ACS to browser, at the end of the challenge.
    CRes(CRes),
    /// Results Request: ACS to DS to 3DS Server, the challenge's outcome.
    RReq(RReq),
    /// Results Response: 3DS Server's acknowledgement of an RReq.
    RRes(RRes),
    /// Preparation Request: 3DS Server asks the DS for card ranges.
    PReq(PReq),
    /// Preparation Response: the DS's card ranges.
    PRes(PRes),
    /// Error message, sent instead of a response.
    Erro(Erro),
}

/// Upper bound on a message's JSON size accepted by [`Message::from_json`] (64 KiB).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

impl Message {
    /// Parses any message: reads `messageType`, then the matching type.
    ///
    /// Errors name what is wrong: not JSON, no or unknown `messageType`, an
    /// unsupported `messageVersion`, or the field that does not fit its type.
    pub fn from_json(json: &str) -> Result<Self, ProtocolError> {
        if json.len() > MAX_MESSAGE_BYTES {
            return Err(ProtocolError::TooLarge { limit: MAX_MESSAGE_BYTES, actual: json.len() });
        }
        let value: Value = serde_json::from_str(json).map_err(|error| ProtocolError::Json(error.to_string()))?;
        Self::from_value(value)
    }

    /// Parses any message from a JSON value (see [`Message::from_json`]).
    pub fn from_value(value: Value) -> Result<Self, ProtocolError> {
        let Some(object) = value.as_object() else {
            return Err(ProtocolError::Json("a message is a JSON object".into()));
        };
        let message_type = match object.get("messageType") {
            Some(Value::String(message_type)) => message_type.clone(),
            Some(_) => return Err(ProtocolError::Invalid { field: "messageType", rule: "must be a string".into() }),
            None => return Err(ProtocolError::Missing("messageType".into())),
        };
        // Version first: an unsupported version is Erro 102 whatever else is wrong.
        if let Some(version) = object.get("messageVersion") {
            match version {
                Value::String(version) => {
                    version.parse::<MessageVersion>()?;
                }
                _ => return Err(ProtocolError::Invalid { field: "messageVersion", rule: "must be a string".into() }),
            }
        }
        fn typed<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, ProtocolError> {
            serde_json::from_value(value).map_err(ProtocolError::from_serde)
        }
        Ok(match message_type.as_str() {
            "AReq" => Self::AReq(Box::new(typed(value)?)),
            "ARes" => Self::ARes(Box::new(typed(value)?)),
            "CReq" => Self::CReq(typed(value)?),
            "CRes" => Self::CRes(typed(value)?),
            "RReq" => Self::RReq(typed(value)?),
            "RRes" => Self::RRes(typed(value)?),
            "PReq" => Self::PReq(typed(value)?),
            "PRes" => Self::PRes(typed(value)?),
            "Erro" => Self::Erro(typed(value)?),
            other => return Err(ProtocolError::UnknownMessageType(other.chars().take(32).collect())),
        })
    }

    /// The wire `messageType`.
    pub fn message_type(&self) -> &'static str {
        match self {
            Self::AReq(_) => "AReq",
            Self::ARes(_) => "ARes",
            Self::CReq(_) => "CReq",
            Self::CRes(_) => "CRes",
            Self::RReq(_) => "RReq",
            Self::RRes(_) => "RRes",
            Self::PReq(_) => "PReq",
            Self::PRes(_) => "PRes",
            Self::Erro(_) => "Erro",
        }
    }

    /// The message as a JSON value.
    pub fn to_value(&self) -> Value {
        // Our types hold only JSON-representable data; this cannot fail.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl ProtocolError {
    /// The Erro a receiver sends back for this error, from `component`, in `version`.
    pub fn to_erro(&self, component: ErrorComponent, version: MessageVersion) -> Erro {
        Erro::new(self.erro_code(), component, version, &self.to_string())
    }

    /// The EMV error code for this error.
    ///
    /// Rule: unsupported version 102; missing element 201; bad format or unknown
    /// code 203; anything that is not a readable message 101.
    pub fn erro_code(&self) -> ErrorCode {
        match self {
            Self::UnsupportedVersion(_) => ErrorCode::VersionNotSupported,
            Self::Missing(_) => ErrorCode::RequiredElementMissing,
            Self::Invalid { .. } | Self::UnknownCode { .. } => ErrorCode::FormatInvalid,
            Self::Browser(error) => error.erro_code(),
            _ => ErrorCode::MessageInvalid,
        }
    }

    /// Turns a serde error on a typed message into the error naming the field.
    pub(crate) fn from_serde(error: serde_json::Error) -> Self {
        let text = error.to_string();
        // serde says "missing field `x`" for an absent required field.
        if let Some(rest) = text.strip_prefix("missing field `") {
            let field = rest.split('`').next().unwrap_or_default();
            return Self::Missing(field.to_owned());
        }
        Self::Json(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzz/message_from_json: without serde_json's `float_roundtrip`, `-3e-47`
    /// read as -2.9999999999999997e-47, which wrote back and re-read as another number.
    #[test]
    fn numbers_kept_in_extra_survive_a_round_trip() {
        let json = r#"{"messageType":"PReq","messageVersion":"2.2.0","threeDSServerTransID":"t",
            "threeDSServerRefNumber":"r","x":{"n":[-3e-47,1.0715660391465826e-75]}}"#;
        let message = Message::from_json(json).unwrap();
        assert_eq!(message.to_value()["x"]["n"][0].as_f64(), Some(-3e-47));
        let again = Message::from_json(&serde_json::to_string(&message).unwrap()).unwrap();
        assert_eq!(message, again);
    }
}
