//! Figure 8: time to a working click under DevTools' "Slow 4G", measured in Chromium by
//! `end2end/bench/click-time.mjs` (Playwright and Debian's Chromium, which `make test`'s tool
//! install provides) against the app this bench serves. The script defines the figure; this
//! module runs it and reads its JSON answer.

use std::{path::Path, process::Command};

use serde_json::Value;

use crate::fixture::Res;

/// One case of the script: a page, the CPU slowdown, the medians and every run.
pub struct Case {
    pub name: String,
    pub path: String,
    pub cpu: u64,
    pub hydrated_ms: f64,
    pub click_ms: f64,
    pub runs: Vec<(f64, f64)>,
}

/// Runs the script (`runs` fresh visits per case) against `base`; `student`, `employer` and
/// `admin` log in with the demo password.
pub fn measure(
    workspace: &Path,
    base: &str,
    student: &str,
    employer: &str,
    admin: &str,
    runs: usize,
) -> Res<Vec<Case>> {
    let e2e = workspace.join("end2end");
    let script = e2e.join("bench/click-time.mjs");
    if !e2e.join("node_modules/@playwright/test").is_dir() {
        return Err(format!(
            "figure 8 needs Playwright in {} (`make test-tools` installs it; or pass --no-browser)",
            e2e.join("node_modules").display()
        ));
    }
    let out = Command::new("node")
        .arg(&script)
        .arg(base)
        .arg(student)
        .arg(runs.to_string())
        .arg(employer)
        .arg(admin)
        .current_dir(&e2e)
        .output()
        .map_err(|e| format!("figure 8: node {}: {e} (is Node.js installed?)", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "figure 8: {} failed ({}): {}",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let json: Value = serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "figure 8: unreadable answer ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })?;
    let cases = json["cases"]
        .as_array()
        .ok_or_else(|| format!("figure 8: no cases in {json}"))?;
    cases
        .iter()
        .map(|c| {
            let num = |v: &Value, k: &str| v[k].as_f64().ok_or_else(|| format!("figure 8: no {k} in {v}"));
            let runs = c["each"]
                .as_array()
                .ok_or_else(|| format!("figure 8: no runs in {c}"))?
                .iter()
                .map(|r| Ok((num(r, "hydrated")?, num(r, "click")?)))
                .collect::<Res<Vec<_>>>()?;
            Ok(Case {
                name: c["name"].as_str().unwrap_or_default().to_owned(),
                path: c["path"].as_str().unwrap_or_default().to_owned(),
                cpu: c["cpu"].as_u64().unwrap_or(1),
                hydrated_ms: num(c, "hydrated")?,
                click_ms: num(c, "click")?,
                runs,
            })
        })
        .collect()
}
