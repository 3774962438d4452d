//! The access matrix: role × purpose × action × data category → allow, loaded from configuration
//! that carries the legal basis of every rule. Default deny.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use limes_model::{Action, DataCategory, Purpose, Role};
use serde::Deserialize;

/// The matrix shipped with Limes; a deployment may replace it with `--access-matrix FILE`.
pub const DEFAULT_MATRIX: &str = include_str!("../../../../config/access-matrix.toml");

#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    #[error(
        "access matrix is not valid TOML or names an unknown role, purpose, action or category"
    )]
    Parse(#[source] toml::de::Error),
    #[error("rule {index} ({role} / {purpose}) has no legal basis")]
    NoLegalBasis {
        index: usize,
        role: Role,
        purpose: Purpose,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub role: Role,
    pub purpose: Purpose,
    pub actions: Vec<Action>,
    pub categories: Vec<DataCategory>,
    pub legal: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MatrixFile {
    rule: Vec<Rule>,
}

type Key = (Role, Purpose, Action, DataCategory);

#[derive(Debug, Clone)]
pub struct AccessMatrix {
    rules: Vec<Rule>,
    /// Expanded allow-set with the legal basis of the (first) rule that allows each tuple.
    allowed: BTreeMap<Key, usize>,
}

impl AccessMatrix {
    pub fn parse(text: &str) -> Result<Self, MatrixError> {
        let file: MatrixFile = toml::from_str(text).map_err(MatrixError::Parse)?;
        let mut allowed = BTreeMap::new();
        for (index, rule) in file.rule.iter().enumerate() {
            if rule.legal.trim().is_empty() {
                return Err(MatrixError::NoLegalBasis {
                    index,
                    role: rule.role,
                    purpose: rule.purpose,
                });
            }
            for action in &rule.actions {
                for category in &rule.categories {
                    allowed
                        .entry((rule.role, rule.purpose, *action, *category))
                        .or_insert(index);
                }
            }
        }
        Ok(Self {
            rules: file.rule,
            allowed,
        })
    }

    pub fn shipped() -> Self {
        Self::parse(DEFAULT_MATRIX).expect("the shipped access matrix is checked by the test suite")
    }

    /// Whether any of `roles` may do `action` on `category` for `purpose`; returns the rule that
    /// allows it so the decision can cite its legal basis.
    pub fn decide(
        &self,
        roles: &[Role],
        purpose: Purpose,
        action: Action,
        category: DataCategory,
    ) -> Option<&Rule> {
        roles.iter().find_map(|role| {
            self.allowed
                .get(&(*role, purpose, action, category))
                .map(|index| &self.rules[*index])
        })
    }

    pub fn allows(
        &self,
        role: Role,
        purpose: Purpose,
        action: Action,
        category: DataCategory,
    ) -> bool {
        self.allowed
            .contains_key(&(role, purpose, action, category))
    }

    /// The purposes a holder of `roles` may state: those for which any rule exists.
    pub fn purposes_for(&self, roles: &[Role]) -> Vec<Purpose> {
        let set: BTreeSet<Purpose> = self
            .rules
            .iter()
            .filter(|rule| roles.contains(&rule.role))
            .map(|rule| rule.purpose)
            .collect();
        set.into_iter().collect()
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// A fixed-width table of every allowed tuple with its legal basis, for `limes admin
    /// access-matrix` and for review by the data-protection officer.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<24} {:<20} {:<7} {:<23} legal basis",
            "role", "purpose", "action", "category"
        );
        for ((role, purpose, action, category), index) in &self.allowed {
            let _ = writeln!(
                out,
                "{:<24} {:<20} {:<7} {:<23} {}",
                role.as_str(),
                purpose.as_str(),
                action.as_str(),
                category.as_str(),
                self.rules[*index].legal
            );
        }
        let _ = writeln!(
            out,
            "{} allowed tuples; everything else is denied",
            self.allowed.len()
        );
        out
    }
}

#[cfg(test)]
mod tests;
