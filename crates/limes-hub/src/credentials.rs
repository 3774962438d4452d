//! Passwords, API tokens and session identifiers.
//!
//! Passwords are hashed with Argon2id at the `argon2` crate's defaults (m = 19 MiB, t = 2, p = 1),
//! which is OWASP's minimum recommendation. Tokens and session ids are 256-bit random secrets; a
//! secret of that entropy needs no slow hash, so SHA-256 of it is stored and looked up directly.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

use crate::HubError;

/// Prefix that makes a leaked Limes token recognisable by secret scanners.
pub const TOKEN_PREFIX: &str = "lms_";

pub fn hash_password(password: &str) -> Result<String, HubError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| HubError::Internal(format!("password hashing failed: {error}")))
}

/// Constant-time by construction (argon2 compares digests with `subtle`).
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

pub fn random_bytes<const N: usize>() -> Result<[u8; N], HubError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|error| HubError::Internal(format!("no randomness available: {error}")))?;
    Ok(bytes)
}

pub fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

/// A freshly minted API token: the secret is shown once and only its hash is stored.
pub struct MintedToken {
    /// Public identifier used to list and revoke the token; not a secret.
    pub id: String,
    pub secret: String,
    pub hash: Vec<u8>,
}

pub fn mint_token() -> Result<MintedToken, HubError> {
    let id = hex::encode(random_bytes::<6>()?);
    let secret = format!("{TOKEN_PREFIX}{id}_{}", hex::encode(random_bytes::<32>()?));
    let hash = sha256(secret.as_bytes());
    Ok(MintedToken { id, secret, hash })
}

pub fn new_session_secret() -> Result<String, HubError> {
    Ok(hex::encode(random_bytes::<32>()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_roundtrip_and_rejection() {
        let phc = hash_password("correct horse").expect("hashes");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_password("correct horse", &phc));
        assert!(!verify_password("Correct horse", &phc));
        assert!(!verify_password("correct horse", "not a phc string"));
    }

    #[test]
    fn tokens_are_unique_and_hashed() {
        let a = mint_token().expect("mints");
        let b = mint_token().expect("mints");
        assert_ne!(a.secret, b.secret);
        assert!(a.secret.starts_with(TOKEN_PREFIX));
        assert_eq!(a.hash, sha256(a.secret.as_bytes()));
        assert!(a.secret.contains(&a.id));
    }
}
