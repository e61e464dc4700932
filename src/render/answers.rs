//! The overlay's answers file, with the SHA-256 digest of every other file it holds.
use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::{yaml, ANSWERS_FILE};
use crate::answers::Answers;
use crate::error::RenderError;

/// SHA-256 of `contents`, as written in the answers file.
pub fn digest(contents: &str) -> String {
    let mut h = Sha256::new();
    h.update(contents.as_bytes());
    format!("sha256:{}", hex(&h.finalize()))
}

/// Lower-case hexadecimal of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

/// The answers file for `answers`, recording the digest of every file in `files`.
///
/// `render` calls it with what it rendered; `migrate` calls it again with the merged
/// files it actually writes, so the digests always describe the bytes on disk.
pub fn answers_file(
    answers: &Answers,
    files: &BTreeMap<String, String>,
) -> Result<String, RenderError> {
    let mut answers = answers.clone();
    answers.digests = files
        .iter()
        .filter(|(p, _)| p.as_str() != ANSWERS_FILE)
        .map(|(p, c)| (p.clone(), digest(c)))
        .collect();
    Ok(format!(
        "# caracal-wizard answers (version 1): the input to re-runs and migrations.\n# `digests` records what the wizard last wrote, so hand edits are noticed.\n{}",
        yaml(ANSWERS_FILE, &answers)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_sha256_in_lower_case_hex() {
        assert_eq!(
            digest("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
    }
}
