//! The SDK's own words (the challenge dialog's label and Cancel bar in the embed,
//! the loading line and frame titles in the host page), in each locale it speaks.
//! Pure: the embed picks the locale (the `locale` option, else the browser's
//! languages) and tells the host frame with `?locale=`.

/// The locales the SDK speaks; anything else falls back to English.
pub const LOCALES: [&str; 8] = ["en", "de", "fr", "es", "it", "nl", "pl", "pt"];

/// The SDK's strings in one locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Strings {
    /// The locale's tag, for `lang` attributes.
    pub tag: &'static str,
    /// The challenge dialog's (or inline region's) accessible name.
    pub dialog_label: &'static str,
    /// The bar's title beside Cancel.
    pub verify: &'static str,
    /// The Cancel button.
    pub cancel: &'static str,
    /// Shown until the bank's page has loaded.
    pub loading: &'static str,
    /// The bank's frame's title.
    pub frame_title: &'static str,
    /// The hidden 3DS Method frame's title.
    pub method_title: &'static str,
}

const TABLE: [Strings; 8] = [
    Strings {
        tag: "en",
        dialog_label: "Card verification",
        verify: "Verify your card",
        cancel: "Cancel",
        loading: "Loading your bank's verification…",
        frame_title: "Card verification by your bank",
        method_title: "3-D Secure device check",
    },
    Strings {
        tag: "de",
        dialog_label: "Kartenprüfung",
        verify: "Karte bestätigen",
        cancel: "Abbrechen",
        loading: "Die Prüfung Ihrer Bank wird geladen…",
        frame_title: "Kartenprüfung durch Ihre Bank",
        method_title: "3-D-Secure-Geräteprüfung",
    },
    Strings {
        tag: "fr",
        dialog_label: "Vérification de la carte",
        verify: "Vérifiez votre carte",
        cancel: "Annuler",
        loading: "Chargement de la vérification de votre banque…",
        frame_title: "Vérification de la carte par votre banque",
        method_title: "Vérification 3-D Secure de l'appareil",
    },
    Strings {
        tag: "es",
        dialog_label: "Verificación de la tarjeta",
        verify: "Verifique su tarjeta",
        cancel: "Cancelar",
        loading: "Cargando la verificación de su banco…",
        frame_title: "Verificación de la tarjeta por su banco",
        method_title: "Comprobación 3-D Secure del dispositivo",
    },
    Strings {
        tag: "it",
        dialog_label: "Verifica della carta",
        verify: "Verifica la tua carta",
        cancel: "Annulla",
        loading: "Caricamento della verifica della tua banca…",
        frame_title: "Verifica della carta da parte della tua banca",
        method_title: "Controllo 3-D Secure del dispositivo",
    },
    Strings {
        tag: "nl",
        dialog_label: "Kaartverificatie",
        verify: "Bevestig uw kaart",
        cancel: "Annuleren",
        loading: "De verificatie van uw bank wordt geladen…",
        frame_title: "Kaartverificatie door uw bank",
        method_title: "3-D Secure-apparaatcontrole",
    },
    Strings {
        tag: "pl",
        dialog_label: "Weryfikacja karty",
        verify: "Potwierdź swoją kartę",
        cancel: "Anuluj",
        loading: "Wczytywanie weryfikacji Twojego banku…",
        frame_title: "Weryfikacja karty przez Twój bank",
        method_title: "Sprawdzenie urządzenia 3-D Secure",
    },
    Strings {
        tag: "pt",
        dialog_label: "Verificação do cartão",
        verify: "Confirme o seu cartão",
        cancel: "Cancelar",
        loading: "A carregar a verificação do seu banco…",
        frame_title: "Verificação do cartão pelo seu banco",
        method_title: "Verificação 3-D Secure do dispositivo",
    },
];

/// The strings of the first tag (`fr-CA`, `pt_BR`, `DE`) whose language the SDK
/// speaks; English when none is.
pub fn pick<'a>(tags: impl IntoIterator<Item = &'a str>) -> &'static Strings {
    for tag in tags {
        let language = tag.split(['-', '_']).next().unwrap_or_default();
        if let Some(strings) = TABLE.iter().find(|strings| strings.tag.eq_ignore_ascii_case(language)) {
            return strings;
        }
    }
    &TABLE[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_language_spoken_wins_and_english_is_the_fallback() {
        assert_eq!(pick(["fr-CA", "de"]).cancel, "Annuler");
        assert_eq!(pick(["ja", "pt_BR"]).tag, "pt");
        assert_eq!(pick(["DE"]).cancel, "Abbrechen");
        assert_eq!(pick(["ja", "zh-Hant"]).tag, "en");
        assert_eq!(pick([]).tag, "en");
        assert_eq!(pick([""]).tag, "en");
    }

    #[test]
    fn every_locale_has_every_string() {
        assert_eq!(TABLE.map(|s| s.tag), LOCALES);
        for strings in TABLE {
            for text in [strings.dialog_label, strings.verify, strings.cancel, strings.loading, strings.frame_title, strings.method_title] {
                assert!(!text.trim().is_empty(), "{}", strings.tag);
            }
        }
    }
}
