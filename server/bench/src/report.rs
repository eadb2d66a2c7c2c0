//! The printed table.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    /// A figure shown for context, with no target of its own.
    Info,
}

impl From<bool> for Verdict {
    fn from(met: bool) -> Self {
        if met {
            Verdict::Pass
        } else {
            Verdict::Fail
        }
    }
}

pub struct Line {
    pub figure: String,
    pub measured: String,
    pub baseline: String,
    pub ratio: String,
    pub target: String,
    pub verdict: Verdict,
}

impl Line {
    pub fn new(
        figure: impl Into<String>,
        measured: impl Into<String>,
        baseline: impl Into<String>,
        ratio: impl Into<String>,
        target: impl Into<String>,
        verdict: Verdict,
    ) -> Line {
        Line {
            figure: figure.into(),
            measured: measured.into(),
            baseline: baseline.into(),
            ratio: ratio.into(),
            target: target.into(),
            verdict,
        }
    }
}

/// A plain-text table (ASCII, so columns line up in any terminal).
pub fn table(lines: &[Line]) -> String {
    let head = ["figure", "measured", "baseline", "ratio", "target", "result"];
    let rows: Vec<[String; 6]> = lines
        .iter()
        .map(|l| {
            let v = match l.verdict {
                Verdict::Pass => "PASS",
                Verdict::Fail => "FAIL",
                Verdict::Info => "",
            };
            [
                l.figure.clone(),
                l.measured.clone(),
                l.baseline.clone(),
                l.ratio.clone(),
                l.target.clone(),
                v.to_owned(),
            ]
        })
        .collect();
    let mut width = head.map(str::len);
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let rule: String = width.iter().map(|w| "-".repeat(w + 2)).collect::<Vec<_>>().join("+");
    let fmt = |cells: &[String]| -> String {
        cells
            .iter()
            .zip(width)
            .enumerate()
            .map(|(i, (c, w))| {
                // Text left, numbers right.
                if i == 0 || i == 4 {
                    format!(" {c:<w$} ")
                } else {
                    format!(" {c:>w$} ")
                }
            })
            .collect::<Vec<_>>()
            .join("|")
    };
    let mut out = vec![rule.clone(), fmt(&head.map(String::from)), rule.clone()];
    out.extend(rows.iter().map(|r| fmt(r)));
    out.push(rule);
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up() {
        let t = table(&[
            Line::new("a", "1", "2", "50 %", ">= 50 %", Verdict::Pass),
            Line::new("longer figure", "1000", "-", "-", "< 1", Verdict::Fail),
        ]);
        let widths: Vec<usize> = t.lines().map(str::len).collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{t}");
        assert!(t.contains("PASS") && t.contains("FAIL"));
    }
}
