//! The SDK's own words (the challenge dialog's label and Cancel bar in the embed,
//! the loading line and frame titles in the host page), in each locale it speaks.
//! Pure: the embed picks the locale (the `locale` option, else the browser's
//! languages) and tells the host frame with `?locale=`. The two tables are apart
//! so that each wasm keeps only its own words (the embed's size is budgeted).

/// The locales the SDK speaks, in the tables' order; anything else falls back to English.
pub const LOCALES: [&str; 8] = ["en", "de", "fr", "es", "it", "nl", "pl", "pt"];

/// The embed's words in one locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Strings {
    /// The locale's tag, for `lang` attributes and `?locale=`.
    pub tag: &'static str,
    /// The challenge dialog's (or inline region's) name: its accessible name, and
    /// the title of its bar beside Cancel.
    pub dialog_label: &'static str,
    /// The Cancel button.
    pub cancel: &'static str,
}

/// The host page's words in one locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostStrings {
    /// Shown until the bank's page has loaded.
    pub loading: &'static str,
    /// The bank's frame's title.
    pub frame_title: &'static str,
    /// The hidden 3DS Method frame's title.
    pub method_title: &'static str,
}

static EMBED: [Strings; 8] = [
    Strings { tag: "en", dialog_label: "Card verification", cancel: "Cancel" },
    Strings { tag: "de", dialog_label: "Kartenprüfung", cancel: "Abbrechen" },
    Strings { tag: "fr", dialog_label: "Vérification de la carte", cancel: "Annuler" },
    Strings { tag: "es", dialog_label: "Verificación de la tarjeta", cancel: "Cancelar" },
    Strings { tag: "it", dialog_label: "Verifica della carta", cancel: "Annulla" },
    Strings { tag: "nl", dialog_label: "Kaartverificatie", cancel: "Annuleren" },
    Strings { tag: "pl", dialog_label: "Weryfikacja karty", cancel: "Anuluj" },
    Strings { tag: "pt", dialog_label: "Verificação do cartão", cancel: "Cancelar" },
];

static HOST: [HostStrings; 8] = [
    HostStrings {
        loading: "Loading your bank's verification…",
        frame_title: "Card verification by your bank",
        method_title: "3-D Secure device check",
    },
    HostStrings {
        loading: "Die Prüfung Ihrer Bank wird geladen…",
        frame_title: "Kartenprüfung durch Ihre Bank",
        method_title: "3-D-Secure-Geräteprüfung",
    },
    HostStrings {
        loading: "Chargement de la vérification de votre banque…",
        frame_title: "Vérification de la carte par votre banque",
        method_title: "Vérification 3-D Secure de l'appareil",
    },
    HostStrings {
        loading: "Cargando la verificación de su banco…",
        frame_title: "Verificación de la tarjeta por su banco",
        method_title: "Comprobación 3-D Secure del dispositivo",
    },
    HostStrings {
        loading: "Caricamento della verifica della tua banca…",
        frame_title: "Verifica della carta da parte della tua banca",
        method_title: "Controllo 3-D Secure del dispositivo",
    },
    HostStrings {
        loading: "De verificatie van uw bank wordt geladen…",
        frame_title: "Kaartverificatie door uw bank",
        method_title: "3-D Secure-apparaatcontrole",
    },
    HostStrings {
        loading: "Wczytywanie weryfikacji Twojego banku…",
        frame_title: "Weryfikacja karty przez Twój bank",
        method_title: "Sprawdzenie urządzenia 3-D Secure",
    },
    HostStrings {
        loading: "A carregar a verificação do seu banco…",
        frame_title: "Verificação do cartão pelo seu banco",
        method_title: "Verificação 3-D Secure do dispositivo",
    },
];

/// Which of [`LOCALES`] the first tag (`fr-CA`, `pt_BR`, `DE`) whose language the
/// SDK speaks names; 0 (English) when none does.
pub fn pick_index<'a>(tags: impl IntoIterator<Item = &'a str>) -> usize {
    for tag in tags {
        // The primary language subtag: up to the first `-` or `_` (a byte loop: no
        // pattern searcher in the embed's wasm).
        let end = tag.bytes().position(|b| b == b'-' || b == b'_').unwrap_or(tag.len());
        let language = tag.as_bytes().get(..end).unwrap_or_default();
        if let Some(index) = LOCALES.iter().position(|locale| locale.as_bytes().eq_ignore_ascii_case(language)) {
            return index;
        }
    }
    0
}

/// The embed's words for the first tag spoken (see [`pick_index`]).
pub fn pick<'a>(tags: impl IntoIterator<Item = &'a str>) -> &'static Strings {
    &EMBED[pick_index(tags)]
}

/// The host page's words for the first tag spoken (see [`pick_index`]).
pub fn pick_host<'a>(tags: impl IntoIterator<Item = &'a str>) -> (&'static str, &'static HostStrings) {
    let index = pick_index(tags);
    (LOCALES[index], &HOST[index])
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
        assert_eq!(pick_host(["nl-BE"]), ("nl", &HOST[5]));
    }

    #[test]
    fn every_locale_has_every_string() {
        assert_eq!(EMBED.map(|s| s.tag), LOCALES);
        for (strings, host) in EMBED.iter().zip(&HOST) {
            for text in [strings.dialog_label, strings.cancel, host.loading, host.frame_title, host.method_title] {
                assert!(!text.trim().is_empty(), "{}", strings.tag);
            }
        }
    }
}
