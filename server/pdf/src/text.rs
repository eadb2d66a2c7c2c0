//! Line breaking for genpdf, which breaks lines only at ASCII spaces and silently drops the
//! rest of a paragraph when one "word" is wider than the line. Text is therefore cut into
//! units that genpdf may break between: one unit per CJK character, Latin words and numbers
//! whole, and no unit longer than [`MAX_WORD_CHARS`].

use std::mem;

/// The longest unbroken run of Latin text. At 10–12 pt even 12 of the widest letters fit in
/// the narrowest value column, so genpdf never meets a unit it cannot place.
pub(crate) const MAX_WORD_CHARS: usize = 12;

/// Punctuation sticks to a neighbour only while the unit stays this short: a run of
/// punctuation must not grow into one unit wider than the line.
const MAX_STICKY_CHARS: usize = 3;

/// Punctuation that must not start a line: it sticks to the unit before it.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〉'
            | '”'
            | '’'
            | '…'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '%'
    )
}

/// Punctuation that must not end a line: it sticks to the unit after it.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '（' | '《' | '「' | '『' | '【' | '〔' | '〈' | '“' | '‘' | '(' | '['
    )
}

/// Characters a line may break before and after: CJK, full-width forms, general punctuation.
/// Everything below U+2000 (Latin, Greek, Cyrillic…) forms words.
fn breaks_anywhere(c: char) -> bool {
    c >= '\u{2000}'
}

/// Cuts one line of text (no newlines) into break units. Joining the units gives back the
/// text, except that runs of whitespace become one space and leading whitespace is dropped.
pub(crate) fn break_units(line: &str) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut word_len = 0;
    // Opening punctuation waiting for the unit it belongs to.
    let mut pending = String::new();

    fn flush(units: &mut Vec<String>, word: &mut String, word_len: &mut usize) {
        if !word.is_empty() {
            units.push(mem::take(word));
        }
        *word_len = 0;
    }

    for c in line.chars() {
        if c.is_whitespace() {
            flush(&mut units, &mut word, &mut word_len);
            if !pending.is_empty() {
                units.push(mem::take(&mut pending));
            }
            // genpdf breaks after a space: the space ends the unit before it.
            if let Some(last) = units.last_mut().filter(|u| !u.ends_with(' ')) {
                last.push(' ');
            }
            continue;
        }
        if c.is_control() {
            continue;
        }
        if is_closing(c) && pending.is_empty() {
            if !word.is_empty() {
                word.push(c);
                word_len += 1;
                continue;
            }
            let sticky = |u: &&mut String| !u.ends_with(' ') && u.chars().count() < MAX_STICKY_CHARS;
            if let Some(last) = units.last_mut().filter(sticky) {
                last.push(c);
                continue;
            }
        }
        if is_opening(c) && word.is_empty() && pending.chars().count() < MAX_STICKY_CHARS {
            pending.push(c);
            continue;
        }
        if breaks_anywhere(c) {
            flush(&mut units, &mut word, &mut word_len);
            let mut unit = mem::take(&mut pending);
            unit.push(c);
            units.push(unit);
            continue;
        }
        if word.is_empty() {
            word = mem::take(&mut pending);
        }
        word.push(c);
        word_len += 1;
        if word_len >= MAX_WORD_CHARS {
            flush(&mut units, &mut word, &mut word_len);
        }
    }
    flush(&mut units, &mut word, &mut word_len);
    if !pending.is_empty() {
        units.push(pending);
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_breaks_between_characters_and_latin_words_stay_whole() {
        assert_eq!(break_units("使用Java开发"), ["使", "用", "Java", "开", "发"]);
        assert_eq!(break_units("月薪 8000 元"), ["月", "薪 ", "8000 ", "元"]);
        assert_eq!(break_units("WQ2026-000123"), ["WQ2026-00012", "3"]);
    }

    #[test]
    fn punctuation_sticks_to_its_neighbour() {
        assert_eq!(break_units("甲方，乙方。"), ["甲", "方，", "乙", "方。"]);
        assert_eq!(break_units("（学校）"), ["（学", "校）"]);
        assert_eq!(break_units("见“协议验证”页"), ["见", "“协", "议", "验", "证”", "页"]);
        assert_eq!(break_units("ok, (yes)"), ["ok, ", "(yes)"]);
    }

    #[test]
    fn no_unit_is_longer_than_the_limit_and_nothing_is_lost() {
        let long = "x".repeat(100) + &"字".repeat(50) + "，";
        let units = break_units(&long);
        assert!(units.iter().all(|u| u.chars().count() <= MAX_WORD_CHARS + 2));
        assert_eq!(units.concat(), long);
    }

    #[test]
    fn odd_input_yields_no_empty_units() {
        for s in ["", " ", "（", "）", "\t\u{0}", "  a  ", "（ ）", "，，，"] {
            let units = break_units(s);
            assert!(units.iter().all(|u| !u.is_empty()), "{s:?} → {units:?}");
        }
        assert_eq!(break_units("（").concat(), "（");
        assert_eq!(break_units("，，，").concat(), "，，，");
    }

    #[test]
    fn runs_of_punctuation_are_cut_too() {
        for s in [
            "字".to_string() + &"，".repeat(40),
            "（".repeat(40) + "字",
            "（".repeat(40),
        ] {
            let units = break_units(&s);
            assert!(
                units.iter().all(|u| u.chars().count() <= MAX_STICKY_CHARS + 1),
                "{units:?}"
            );
            assert_eq!(units.concat(), s);
        }
    }
}
