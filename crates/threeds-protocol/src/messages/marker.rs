//! `messageType` markers: unit types that read and write exactly one messageType,
//! so a typed message cannot be read from a message of another type.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! message_type_marker {
    ($($name:ident = $wire:literal),+ $(,)?) => {$(
        #[doc = concat!("The `messageType` \"", $wire, "\".")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct $name;

        impl $name {
            /// The wire value.
            pub const WIRE: &'static str = $wire;
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str($wire)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = std::borrow::Cow::<str>::deserialize(deserializer)?;
                if raw == $wire {
                    Ok($name)
                } else {
                    Err(serde::de::Error::custom(format_args!("messageType {:?} where {:?} was expected", raw, $wire)))
                }
            }
        }
    )+};
}

message_type_marker! {
    AReqType = "AReq",
    AResType = "ARes",
    CReqType = "CReq",
    CResType = "CRes",
    RReqType = "RReq",
    RResType = "RRes",
    PReqType = "PReq",
    PResType = "PRes",
    ErroType = "Erro",
}
