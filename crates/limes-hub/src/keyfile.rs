//! The journal's checkpoint signing key lives in a file outside the database, so whoever can edit
//! the database cannot forge a checkpoint (issue: "never stored in the database").

use std::fs;
use std::io::Write as _;
use std::path::Path;

use limes_journal::Signer;

use crate::HubError;
use crate::credentials::random_bytes;

/// Whether the key was read or had to be created (the caller warns on creation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOrigin {
    Existing,
    Created,
}

pub fn load_or_create(path: &Path) -> Result<(Signer, KeyOrigin), HubError> {
    match fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let raw = hex::decode(text.trim()).map_err(|_| {
                HubError::InvalidInput(format!("{} is not a hex Ed25519 key", path.display()))
            })?;
            let seed: [u8; 32] = raw.try_into().map_err(|_| {
                HubError::InvalidInput(format!("{} must hold 32 bytes", path.display()))
            })?;
            Ok((Signer::from_bytes(&seed), KeyOrigin::Existing))
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let seed = random_bytes::<32>()?;
            write_private(path, &hex::encode(seed)).map_err(|error| {
                HubError::Internal(format!("writing {}: {error}", path.display()))
            })?;
            Ok((Signer::from_bytes(&seed), KeyOrigin::Created))
        }
        Err(error) => Err(HubError::Internal(format!(
            "reading {}: {error}",
            path.display()
        ))),
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}
