use super::MessageExtension;
use super::TransactionIds;
use super::emv_message;
use super::marker::AResType;
use crate::{AuthenticationType, MessageVersion, TransStatus, TransStatusReason};

emv_message! {
    /// Authentication Response: the ACS's (or DS's) decision on an AReq.
    pub struct ARes {
        required {
            message_type: AResType = "messageType",
            message_version: MessageVersion = "messageVersion",
            three_ds_server_trans_id: String = "threeDSServerTransID",
            acs_trans_id: String = "acsTransID",
            ds_trans_id: String = "dsTransID",
            /// Rule: C means challenge (then `acsURL` is present), D decoupled.
            trans_status: TransStatus = "transStatus",
        }
        optional {
            acs_challenge_mandated: String = "acsChallengeMandated",
            acs_dec_con_ind: String = "acsDecConInd",
            acs_operator_id: String = "acsOperatorID",
            acs_reference_number: String = "acsReferenceNumber",
            acs_rendering_type: serde_json::Map<String, serde_json::Value> = "acsRenderingType",
            acs_signed_content: String = "acsSignedContent",
            /// Where the CReq is posted; at most 2048 characters.
            acs_url: String = "acsURL",
            authentication_type: AuthenticationType = "authenticationType",
            /// CAVV / AAV: 28 characters of base64.
            authentication_value: String = "authenticationValue",
            cardholder_info: String = "cardholderInfo",
            ds_reference_number: String = "dsReferenceNumber",
            eci: String = "eci",
            message_extension: Vec<MessageExtension> = "messageExtension",
            sdk_trans_id: String = "sdkTransID",
            three_ds_server_ref_number: String = "threeDSServerRefNumber",
            /// Rule: required with N, U and R.
            trans_status_reason: TransStatusReason = "transStatusReason",
            white_list_status: String = "whiteListStatus",
            white_list_status_source: String = "whiteListStatusSource",
        }
    }
}

impl ARes {
    /// The ARes for a transaction, with its outcome; every optional field empty.
    pub fn new(message_version: MessageVersion, ids: TransactionIds, trans_status: TransStatus) -> Self {
        Self {
            message_type: AResType,
            message_version,
            three_ds_server_trans_id: ids.three_ds_server_trans_id,
            acs_trans_id: ids.acs_trans_id,
            ds_trans_id: ids.ds_trans_id,
            trans_status,
            acs_challenge_mandated: None,
            acs_dec_con_ind: None,
            acs_operator_id: None,
            acs_reference_number: None,
            acs_rendering_type: None,
            acs_signed_content: None,
            acs_url: None,
            authentication_type: None,
            authentication_value: None,
            cardholder_info: None,
            ds_reference_number: None,
            eci: None,
            message_extension: None,
            sdk_trans_id: None,
            three_ds_server_ref_number: None,
            trans_status_reason: None,
            white_list_status: None,
            white_list_status_source: None,
            extra: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Message;

    #[test]
    fn a_new_ares_validates_and_round_trips() {
        let ids = TransactionIds::new("8a880dc0-d2d2-4067-bcb1-b08d1690b26e", "a", "d");
        let ares = ARes {
            acs_url: Some("https://acs.example/challenge".into()),
            authentication_type: Some(AuthenticationType::Dynamic),
            ..ARes::new(MessageVersion::V2_2_0, ids, TransStatus::Challenge)
        };
        let json = serde_json::to_value(&ares).unwrap();
        assert_eq!(json["messageType"], "ARes");
        assert_eq!(json["transStatus"], "C");
        assert_eq!(json["authenticationType"], "02");
        assert_eq!(Message::from_value(json).unwrap(), Message::ARes(Box::new(ares)));
    }
}
