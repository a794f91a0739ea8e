use super::MessageExtension;
use super::emv_message;
use super::marker::AResType;
use crate::{MessageVersion, TransStatus, TransStatusReason};

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
            authentication_type: String = "authenticationType",
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
