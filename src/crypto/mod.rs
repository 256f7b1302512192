//! Sensitive variables: their values are sealed by wfctl before any store sees them, with
//! XChaCha20-Poly1305 under a key that lives in a file of its own and never reaches a store.
//!
//! A sealed value is the text `wfctl:enc:v1:KEYID:BASE64(nonce || ciphertext)`: the key id says
//! which key opens it (so keys can rotate), and the case id and variable name are bound as
//! associated data, so a value copied to another case or variable does not open.

mod key;
mod rotate;
mod scrub;
mod seal;
mod sealed_store;
mod withheld;

pub use key::{Key, KeyRing};
pub use rotate::{RotateError, rotate_case};
pub use scrub::{CUT, Scrubbed, Scrubber, Seen};
pub use seal::{SEALED_PREFIX, is_sealed, open, seal};
pub use sealed_store::{MASK, Sealed, Sensitive, View};
pub use withheld::{Withheld, guarded};

/// Why a sensitive value cannot be sealed or opened, or a key cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A key file cannot be read, written or parsed.
    #[error("key file {path}: {reason}")]
    KeyFile {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// A sensitive value is met and no key is loaded.
    #[error(
        "case {case}: variable {variable} is sensitive and no key is loaded (set WFCTL_KEY_FILE or [variables] key_file)"
    )]
    NoKey {
        /// Case id.
        case: String,
        /// Variable name.
        variable: String,
    },
    /// A value is sealed with a key that is not loaded.
    #[error(
        "case {case}: variable {variable} is sealed with key {key_id}, and the key loaded is {loaded}"
    )]
    WrongKey {
        /// Case id.
        case: String,
        /// Variable name.
        variable: String,
        /// The key id the value names.
        key_id: String,
        /// The key ids loaded.
        loaded: String,
    },
    /// A sealed value does not open: changed, truncated, or moved from another case or
    /// variable.
    #[error(
        "case {case}: variable {variable} does not decrypt: its ciphertext was altered or moved from another case or variable"
    )]
    Tampered {
        /// Case id.
        case: String,
        /// Variable name.
        variable: String,
    },
}
