//! `Debug` helpers that show the shape of a value but never its secret content.

use std::fmt;

use super::ParameterMap;

/// Shows a parameter map's keys, never its values.
pub(crate) struct KeysOnly<'a>(pub(crate) &'a Option<ParameterMap>);

impl fmt::Debug for KeysOnly<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("None"),
            Some(map) => f
                .debug_set()
                .entries(map.keys().map(|k| format!("{k}=[redacted]")))
                .finish(),
        }
    }
}

/// Shows whether an optional secret string is there, never what it is.
pub(crate) struct Presence<'a>(pub(crate) &'a Option<String>);

impl fmt::Debug for Presence<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Some([redacted])"
        } else {
            "None"
        })
    }
}
