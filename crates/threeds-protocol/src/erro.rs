//! The Erro message, its codes and components.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::MessageVersion;
use crate::codes::wire_codes;
use crate::messages::marker::ErroType;

wire_codes! {
    /// `errorCode`: what went wrong.
    ///
    /// Rule: 205-207 exist from 2.3.1; the others in every version.
    ErrorCode, field "errorCode" {
        /// 101: message received invalid.
        MessageInvalid = "101" since V2_1_0,
        /// 102: message version number not supported.
        VersionNotSupported = "102" since V2_1_0,
        /// 103: sent messages limit exceeded.
        SentMessagesLimitExceeded = "103" since V2_1_0,
        /// 201: required data element missing.
        RequiredElementMissing = "201" since V2_1_0,
        /// 202: critical message extension not recognised.
        CriticalExtensionNotRecognised = "202" since V2_1_0,
        /// 203: format of one or more data elements is invalid.
        FormatInvalid = "203" since V2_1_0,
        /// 204: duplicate data element.
        DuplicateElement = "204" since V2_1_0,
        /// 205: (2.3.1) conditional element required.
        ConditionalElementMissing = "205" since V2_3_1,
        /// 206: (2.3.1) required data element not supported.
        ElementNotSupported = "206" since V2_3_1,
        /// 207: (2.3.1) data element not defined for this message.
        ElementNotDefined = "207" since V2_3_1,
        /// 301: transaction ID not recognised.
        TransactionIdNotRecognised = "301" since V2_1_0,
        /// 302: data decryption failure.
        DecryptionFailure = "302" since V2_1_0,
        /// 303: access denied, invalid endpoint.
        AccessDenied = "303" since V2_1_0,
        /// 304: ISO code invalid.
        IsoCodeInvalid = "304" since V2_1_0,
        /// 305: transaction data not valid.
        TransactionDataInvalid = "305" since V2_1_0,
        /// 306: merchant category code not valid for payment system.
        MccInvalid = "306" since V2_1_0,
        /// 307: serial number not valid.
        SerialNumberInvalid = "307" since V2_1_0,
        /// 402: transaction timed out.
        TimedOut = "402" since V2_1_0,
        /// 403: transient system failure.
        TransientFailure = "403" since V2_1_0,
        /// 404: permanent system failure.
        PermanentFailure = "404" since V2_1_0,
        /// 405: system connection failure.
        ConnectionFailure = "405" since V2_1_0,
    }
}

impl ErrorCode {
    /// The spec's short description, used as `errorDescription`.
    pub fn description(self) -> &'static str {
        match self {
            Self::MessageInvalid => "Message received invalid",
            Self::VersionNotSupported => "Message version number not supported",
            Self::SentMessagesLimitExceeded => "Sent messages limit exceeded",
            Self::RequiredElementMissing => "Required data element missing",
            Self::CriticalExtensionNotRecognised => "Critical message extension not recognised",
            Self::FormatInvalid => "Format of one or more data elements is invalid",
            Self::DuplicateElement => "Duplicate data element",
            Self::ConditionalElementMissing => "Conditional data element missing",
            Self::ElementNotSupported => "Required data element not supported",
            Self::ElementNotDefined => "Data element not defined for this message",
            Self::TransactionIdNotRecognised => "Transaction ID not recognised",
            Self::DecryptionFailure => "Data decryption failure",
            Self::AccessDenied => "Access denied, invalid endpoint",
            Self::IsoCodeInvalid => "ISO code invalid",
            Self::TransactionDataInvalid => "Transaction data not valid",
            Self::MccInvalid => "Merchant category code not valid for payment system",
            Self::SerialNumberInvalid => "Serial number not valid",
            Self::TimedOut => "Transaction timed out",
            Self::TransientFailure => "Transient system failure",
            Self::PermanentFailure => "Permanent system failure",
            Self::ConnectionFailure => "System connection failure",
        }
    }
}

wire_codes! {
    /// `errorComponent`: which party found the error.
    ErrorComponent, field "errorComponent" {
        /// C: the 3DS SDK.
        Sdk = "C" since V2_1_0,
        /// S: the 3DS Server.
        ThreeDSServer = "S" since V2_1_0,
        /// D: the Directory Server.
        DirectoryServer = "D" since V2_1_0,
        /// A: the ACS.
        Acs = "A" since V2_1_0,
    }
}

/// The Erro message: sent instead of a response when a message cannot be processed.
///
/// Rule: `errorDescription` and `errorDetail` at most 2048 characters each; for 203
/// `errorDetail` lists the invalid fields, comma-separated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Erro {
    /// `messageType`: always `Erro`.
    #[serde(rename = "messageType")]
    pub message_type: ErroType,
    /// `messageVersion`: the protocol version this Erro is written in.
    #[serde(rename = "messageVersion")]
    pub message_version: MessageVersion,
    /// `threeDSServerTransID` of the message in error, when known.
    #[serde(rename = "threeDSServerTransID", skip_serializing_if = "Option::is_none")]
    pub three_ds_server_trans_id: Option<String>,
    /// `acsTransID` of the message in error, when known.
    #[serde(rename = "acsTransID", skip_serializing_if = "Option::is_none")]
    pub acs_trans_id: Option<String>,
    /// `dsTransID` of the message in error, when known.
    #[serde(rename = "dsTransID", skip_serializing_if = "Option::is_none")]
    pub ds_trans_id: Option<String>,
    /// `sdkTransID` of the message in error, when known (app channel).
    #[serde(rename = "sdkTransID", skip_serializing_if = "Option::is_none")]
    pub sdk_trans_id: Option<String>,
    /// `errorCode`: the three-digit error code.
    #[serde(rename = "errorCode")]
    pub error_code: ErrorCode,
    /// `errorComponent`: which component found the error (C, S, D or A).
    #[serde(rename = "errorComponent")]
    pub error_component: ErrorComponent,
    /// `errorDescription`: the code's description, at most 2048 characters.
    #[serde(rename = "errorDescription")]
    pub error_description: String,
    /// `errorDetail`: at most 2048 characters; for 201 and 203 the offending field names.
    #[serde(rename = "errorDetail")]
    pub error_detail: String,
    /// The messageType of the message in error, when known.
    #[serde(rename = "errorMessageType", skip_serializing_if = "Option::is_none")]
    pub error_message_type: Option<String>,
    /// Fields this type does not model, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Cuts a text to at most 2048 characters (the Erro field limit).
fn limit_2048(text: &str) -> String {
    text.chars().take(2048).collect()
}

impl Erro {
    /// An Erro with the spec's description for `code` and the given detail.
    pub fn new(code: ErrorCode, component: ErrorComponent, version: MessageVersion, detail: &str) -> Self {
        Self {
            message_type: ErroType,
            message_version: version,
            three_ds_server_trans_id: None,
            acs_trans_id: None,
            ds_trans_id: None,
            sdk_trans_id: None,
            error_code: code,
            error_component: component,
            error_description: code.description().to_owned(),
            error_detail: limit_2048(detail),
            error_message_type: None,
            extra: Map::new(),
        }
    }

    /// Sets the 3DS Server transaction ID it answers.
    pub fn for_transaction(mut self, three_ds_server_trans_id: Option<String>) -> Self {
        self.three_ds_server_trans_id = three_ds_server_trans_id;
        self
    }

    /// Sets the messageType of the message in error.
    pub fn about(mut self, message_type: &str) -> Self {
        self.error_message_type = Some(message_type.chars().take(4).collect());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_versions() {
        assert_eq!(ErrorCode::from_code("203").unwrap(), ErrorCode::FormatInvalid);
        assert!(!ErrorCode::ElementNotDefined.allowed_in(MessageVersion::V2_2_0));
        assert!(ErrorCode::ElementNotDefined.allowed_in(MessageVersion::V2_3_1));
        assert!(ErrorCode::from_code("999").is_err());
        assert_eq!(ErrorComponent::from_code("D").unwrap(), ErrorComponent::DirectoryServer);
    }

    #[test]
    fn new_erro_serialises_to_the_wire_shape() {
        let erro = Erro::new(ErrorCode::FormatInvalid, ErrorComponent::DirectoryServer, MessageVersion::V2_2_0, &"x".repeat(3000))
            .for_transaction(Some("8a880dc0-d2d2-4067-bcb1-b08d1690b26e".into()))
            .about("AReq");
        let json = serde_json::to_value(&erro).unwrap();
        assert_eq!(json["messageType"], "Erro");
        assert_eq!(json["errorCode"], "203");
        assert_eq!(json["errorComponent"], "D");
        assert_eq!(json["errorDescription"], "Format of one or more data elements is invalid");
        assert_eq!(json["errorDetail"].as_str().unwrap().len(), 2048);
        assert_eq!(json["errorMessageType"], "AReq");
        assert!(json.get("acsTransID").is_none());
    }
}
