//! A conservative CSS minifier: comments and the whitespace that cannot matter go, nothing else
//! changes (no rewriting of values or selectors, so nothing can break). cargo-leptos ran Lightning
//! CSS here, a large compile for a few hundred bytes once brotli has had its turn; style/main.css
//! needs no vendor prefixes for the browsers it targets.

/// Characters around which whitespace never matters (`:` only after it: before it, a space is a
/// descendant combinator, as in `nav :focus`).
fn no_space_around(c: char) -> bool {
    matches!(c, '{' | '}' | ';' | ',' | '>')
}

pub fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = '\0';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
                pending_space = true;
            }
            c if c.is_whitespace() => pending_space = true,
            c => {
                if pending_space {
                    let last = out.chars().last();
                    if last.is_some_and(|l| !no_space_around(l) && l != ':' && l != '(')
                        && !no_space_around(c)
                        && c != ')'
                    {
                        out.push(' ');
                    }
                    pending_space = false;
                }
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                out.push(c);
                if c == '"' || c == '\'' {
                    // A string is copied as it is, escapes included.
                    while let Some(s) = chars.next() {
                        out.push(s);
                        if s == '\\' {
                            if let Some(e) = chars.next() {
                                out.push(e);
                            }
                        } else if s == c {
                            break;
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn comments_and_insignificant_whitespace_go_combinators_and_strings_stay() {
        let css = "/* brand */\n:root {\n  --brand: #c0392b; /* red */\n}\n\nnav :focus ,  a > b {\n  margin: 0 auto;\n  width: calc(100% - 2px);\n  content: \"a ;  b { }\";\n}\n@media (max-width: 600px) {\n  .x { color : red }\n}\n";
        assert_eq!(
            minify(css),
            ":root{--brand:#c0392b}nav :focus,a>b{margin:0 auto;width:calc(100% - 2px);content:\"a ;  b { }\"}@media (max-width:600px){.x{color :red}}"
        );
    }
}
