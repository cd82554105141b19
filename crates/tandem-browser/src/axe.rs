//! The accessibility gate: axe-core, injected into the page, run against WCAG 2.0, 2.1 and 2.2
//! at levels A and AA.

use crate::error::{Error, Result};
use crate::tools;
use fantoccini::Client;
use serde::Deserialize;
use serde_json::json;
use std::fmt::Write as _;

/// The axe-core tags the gate runs: WCAG 2.0, 2.1 and 2.2, levels A and AA (DESIGN §4: the
/// Public Sector Bodies Accessibility Regulations ask for WCAG 2.2 AA).
pub const WCAG_TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// Runs axe over the document and hands back a summary small enough to cross the WebDriver wire.
const RUN_AXE: &str = r"
const done = arguments[arguments.length - 1];
const nodes = (rule) => rule.nodes.map((node) => ({
  target: node.target.map(String).join(' '),
  summary: node.failureSummary || null,
}));
const rule = (it) => ({ id: it.id, impact: it.impact || null, help: it.help, helpUrl: it.helpUrl, nodes: nodes(it) });
window.axe
  .run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations', 'incomplete'] })
  .then((results) => done({
    version: window.axe.version,
    passes: results.passes.map((it) => it.id),
    inapplicable: results.inapplicable.length,
    incomplete: results.incomplete.map(rule),
    violations: results.violations.map(rule),
  }))
  .catch((err) => done({ error: String(err) }));
";

/// What axe found on one page.
#[derive(Debug, Clone, Deserialize)]
pub struct AxeReport {
    /// The axe-core version that ran.
    pub version: String,
    /// The rules the page passed.
    pub passes: Vec<String>,
    /// How many rules had nothing to check on this page.
    pub inapplicable: usize,
    /// Rules axe could not decide and a person should review (not a failure).
    pub incomplete: Vec<AxeRule>,
    /// Rules the page breaks; the gate wants none.
    pub violations: Vec<AxeRule>,
}

impl AxeReport {
    /// How many rules ran: passed, broken, undecided and not applicable.
    pub fn rules_run(&self) -> usize {
        self.passes.len() + self.violations.len() + self.incomplete.len() + self.inapplicable
    }

    /// One line for logs and docs: `axe-core 4.x: N rules run, …, 0 violations`.
    pub fn summary(&self) -> String {
        format!(
            "axe-core {}: {} rules run ({} passed, {} not applicable, {} for a person to review: {}), {} violations",
            self.version,
            self.rules_run(),
            self.passes.len(),
            self.inapplicable,
            self.incomplete.len(),
            self.incomplete
                .iter()
                .map(|it| it.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            self.violations.len()
        )
    }
}

/// One axe rule's result on the page.
#[derive(Debug, Clone, Deserialize)]
pub struct AxeRule {
    /// The rule, e.g. `color-contrast`.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: Option<String>,
    /// What the rule asks for, in a sentence.
    pub help: String,
    /// Deque's page explaining the rule.
    #[serde(rename = "helpUrl")]
    pub help_url: String,
    /// The elements concerned.
    pub nodes: Vec<AxeNode>,
}

/// One element a rule concerns.
#[derive(Debug, Clone, Deserialize)]
pub struct AxeNode {
    /// A CSS selector for the element.
    pub target: String,
    /// What to fix on it.
    pub summary: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Outcome {
    Failed { error: String },
    Ran(AxeReport),
}

/// Injects axe-core (once per document) and runs it with `WCAG_TAGS`.
pub(crate) async fn run(client: &Client) -> Result<AxeReport> {
    let loaded = client
        .execute("return typeof window.axe === 'object';", vec![])
        .await
        .map_err(Error::webdriver(
            "cannot ask the page whether axe-core is loaded",
        ))?;
    if loaded != json!(true) {
        let path = tools::axe_script_path();
        let script = std::fs::read_to_string(&path)
            .map_err(Error::io(format!("cannot read {}", path.display())))?;
        client
            .execute(&script, vec![])
            .await
            .map_err(Error::webdriver("cannot inject axe-core into the page"))?;
    }
    let outcome = client
        .execute_async(RUN_AXE, vec![json!(WCAG_TAGS)])
        .await
        .map_err(Error::webdriver("cannot run axe-core"))?;
    match serde_json::from_value(outcome.clone()) {
        Ok(Outcome::Ran(report)) => Ok(report),
        Ok(Outcome::Failed { error }) => Err(Error::Check(format!("axe-core failed: {error}"))),
        Err(err) => Err(Error::Check(format!(
            "axe-core answered something unexpected ({err}): {outcome}"
        ))),
    }
}

/// Every violation with its impact, help, and each element to fix, for a failure message.
pub(crate) fn describe_violations(report: &AxeReport, page: &str) -> String {
    let mut text = format!(
        "axe-core {} found {} accessibility violation(s) on {page} (WCAG 2.0/2.1/2.2 A and AA):",
        report.version,
        report.violations.len()
    );
    for rule in &report.violations {
        let _ = write!(
            text,
            "\n  - {} ({}): {}\n    {}",
            rule.id,
            rule.impact.as_deref().unwrap_or("unknown impact"),
            rule.help,
            rule.help_url
        );
        for node in &rule.nodes {
            let summary = node
                .summary
                .as_deref()
                .unwrap_or("")
                .replace('\n', " ")
                .trim()
                .to_owned();
            let _ = write!(text, "\n      {}: {summary}", node.target);
        }
    }
    text
}
